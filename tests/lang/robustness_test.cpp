// Malformed input never crashes, hangs or throws: limits (size, nesting, error count), invalid
// UTF-8, and random bytes and token soups.
#include <gtest/gtest.h>

#include <random>

#include "tests/lang/parse_test.h"

namespace savm::lang::test {
namespace {

std::vector<std::string> codes(const ParseResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.code);
  return out;
}

TEST(MizanRobustness, DeepParenthesesAreRejectedWithACode) {
  const std::string text = std::string(kHeader) + "rule r -> Int = " + std::string(50000, '(') + "1" +
                           std::string(50000, ')') + "\n";
  const ParseResult r = parse_text(text);
  EXPECT_FALSE(r.pack);
  EXPECT_EQ(codes(r), std::vector<std::string>{"M0010"});
}

TEST(MizanRobustness, DeepPrefixOperatorsAreRejectedWithACode) {
  std::string nots;
  for (int i = 0; i < 50000; ++i) nots += "not ";
  for (const std::string& chain : {nots, std::string(50000, '-'), std::string(50000, '[')}) {
    const ParseResult r = parse_text(std::string(kHeader) + "rule r -> Int = " + chain + "1\n");
    EXPECT_EQ(codes(r), std::vector<std::string>{"M0010"});
  }
}

TEST(MizanRobustness, ModerateNestingIsAccepted) {
  // 40 nested parentheses stay well inside the default depth limit.
  const std::string text = std::string(kHeader) + "rule r -> Int = " + std::string(40, '(') + "1" + std::string(40, ')');
  EXPECT_TRUE(parse_text(text).pack);
}

TEST(MizanRobustness, LongFlatExpressionsAreFine) {
  std::string sum = "1";
  for (int i = 0; i < 20000; ++i) sum += " + 1";
  EXPECT_TRUE(parse_text(std::string(kHeader) + "rule r -> Int = " + sum + "\n").pack);
}

TEST(MizanRobustness, FileSizeLimit) {
  ParseLimits limits;
  limits.max_bytes = 100;
  const ParseResult r = parse(SourceFile{"big.mizan", std::string(kHeader) + std::string(200, ' '), 0}, limits);
  EXPECT_EQ(codes(r), std::vector<std::string>{"M0011"});
}

TEST(MizanRobustness, TokenLimit) {
  ParseLimits limits;
  limits.max_tokens = 14;  // the header is 9 tokens (pk.t is three), "rule r -> Int = 1" 6 more
  const std::string text = std::string(kHeader) + "rule r -> Int = 1\n";
  EXPECT_EQ(codes(parse(SourceFile{"t.mizan", text, 0}, limits)), std::vector<std::string>{"M0011"});
  limits.max_tokens = 15;
  EXPECT_TRUE(parse(SourceFile{"t.mizan", text, 0}, limits).pack);
}

TEST(MizanRobustness, InvalidUtf8IsLocated) {
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF"}) {
    const std::string text = std::string(kHeader) + "rule r -> String = \"" + bad + "\"\n";
    const ParseResult r = parse_text(text);
    ASSERT_EQ(codes(r), std::vector<std::string>{"M0012"});
    EXPECT_EQ(r.diagnostics[0].span.line, 2u);
    EXPECT_EQ(r.diagnostics[0].span.begin, std::string(kHeader).size() + 20);
  }
}

TEST(MizanRobustness, ErrorCountIsCapped) {
  std::string text = kHeader;
  for (int i = 0; i < 200; ++i) text += "rule r -> Int = #\n";
  const ParseResult r = parse_text(text);
  ASSERT_EQ(r.diagnostics.size(), 51u);
  EXPECT_EQ(r.diagnostics.back().code, "M0017");
}

TEST(MizanRobustness, SeveralSyntaxErrorsPerRun) {
  const std::string text = std::string(kHeader) +
                           "rule a -> Int = 1 +\n"
                           "table t(x: Int) -> Int | up 5 => 1\n"
                           "record R { a Int }\n"
                           "rule fine -> Int = 2\n"
                           "test \"t\" at 2025-01-01 { expect }\n";
  const ParseResult r = parse_text(text);
  std::vector<std::uint32_t> lines;
  for (const Diagnostic& d : r.diagnostics) {
    EXPECT_EQ(d.code, "M0001");
    lines.push_back(d.span.line);
  }
  EXPECT_EQ(lines, (std::vector<std::uint32_t>{3, 3, 4, 6})) << rendered(r, text);
}

TEST(MizanRobustness, EmptyAndBlankFiles) {
  for (const std::string text : {"", "   \n\n", "/// only a doc comment\n", "// comment"}) {
    const ParseResult r = parse_text(text);
    EXPECT_EQ(codes(r), std::vector<std::string>{"M0009"}) << text;
  }
}

TEST(MizanRobustness, RandomBytesNeverCrash) {
  // ASCII only, so the inputs get past the UTF-8 check into the lexer and parser (fuzz_mizan_parse
  // covers arbitrary bytes).
  std::mt19937 rng(20260101);  // fixed seed: the same inputs on every run
  for (int i = 0; i < 300; ++i) {
    std::string text = kHeader;
    const std::size_t n = rng() % 400;
    for (std::size_t k = 0; k < n; ++k) text += static_cast<char>(rng() % 128);
    const ParseResult r = parse_text(text);
    EXPECT_EQ(r.pack.has_value(), r.diagnostics.empty());
  }
}

TEST(MizanRobustness, RandomTokenSoupsNeverCrash) {
  static const char* kTokens[] = {"rule", "table", "(", ")", "[", "]", "{", "}", "=", "=>", "|", "up", "to", "x",
                                  "1", "5%", "2025-01-01", "..", ":", ",", "let", "in", "if", "then", "else", "PKR",
                                  "default", "exception", "priority", "when", "not", "and", "+", "*", "->", "\"s\"",
                                  "in force", "test", "expect", "writes", ":=", "is", "trigger", "on", "action"};
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string text = kHeader;
    const std::size_t n = rng() % 120;
    for (std::size_t k = 0; k < n; ++k) text += std::string(kTokens[rng() % std::size(kTokens)]) + " ";
    const ParseResult r = parse_text(text);
    EXPECT_EQ(r.pack.has_value(), r.diagnostics.empty());
  }
}

}  // namespace
}  // namespace savm::lang::test
