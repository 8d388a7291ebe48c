// Diagnostic rendering and the golden diagnostics of tests/lang/golden/: each NAME.mizan is
// parsed and its rendered diagnostics must equal NAME.expected byte for byte. The expected files
// are written by hand from the format in lang/diagnostics.h (columns counted in the source).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/lang/parse_test.h"

namespace savm::lang::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MizanDiagnostics, RenderShowsLineCaretAndHint) {
  const SourceFile file{"x.mizan", "first\n\tab = 12345\r\nlast", 0};
  Diagnostic d{"M0005", Severity::error, span_at(file, 12, 5), "bad number", "a hint"};
  EXPECT_EQ(d.span.line, 2u);
  EXPECT_EQ(d.span.column, 7u);
  EXPECT_EQ(render(d, file),
            "x.mizan:2:7: error[M0005]: bad number\n"
            " 2 | \tab = 12345\n"
            "   | \t     ^^^^^\n"
            "hint: a hint\n");
}

TEST(MizanDiagnostics, CaretsCountCodePointsAndStopAtTheLineEnd) {
  // "é" is two bytes, one column. The span starts at it (byte 1, column 2) and runs past the line
  // end, so it is underlined to the end of the line: é, ", space, x.
  const SourceFile file{"u.mizan", "\"é\" x\nnext", 0};
  const Diagnostic d{"M0001", Severity::error, span_at(file, 1, 20), "m", ""};
  EXPECT_EQ(d.span.column, 2u);
  EXPECT_EQ(render(d, file), "u.mizan:1:2: error[M0001]: m\n 1 | \"é\" x\n   |  ^^^^\n");
  // A span starting after the é counts it as one column.
  EXPECT_EQ(span_at(file, 5, 1).column, 5u);
}

TEST(MizanDiagnostics, EmptySpanAtEndOfFileGetsOneCaret) {
  const SourceFile file{"e.mizan", "ab", 0};
  const Diagnostic d{"M0001", Severity::error, span_at(file, 2, 0), "unexpected end of file", ""};
  EXPECT_EQ(render(d, file), "e.mizan:1:3: error[M0001]: unexpected end of file\n 1 | ab\n   |   ^\n");
}

std::vector<std::pair<std::string, std::uint32_t>> codes_and_lines(const std::string& body) {
  const std::string text = std::string(kHeader) + body;
  const ParseResult r = parse_text(text);
  std::vector<std::pair<std::string, std::uint32_t>> got;
  for (const Diagnostic& d : r.diagnostics) got.emplace_back(d.code, d.span.line);
  return got;
}

// Codes the golden files do not show, each with the line it must point at. Token-level checks
// run first; the declaration-level ones only once the file is free of lexical and syntax errors.
TEST(MizanDiagnostics, LiteralAndDeclarationCodes) {
  using Want = std::vector<std::pair<std::string, std::uint32_t>>;
  EXPECT_EQ(codes_and_lines("rule a -> Timestamp = 2025-01-01T24:00:00Z\n"  // line 2
                            "rule b -> Rate = 5__0%\n"),                     // line 3
            (Want{{"M0008", 2}, {"M0005", 3}}));
  EXPECT_EQ(codes_and_lines("rule c -> Int default 1 exception e priority 1.5 when x: 2\n"  // line 2
                            "rule d -> Duration = 1.5 days\n"                               // line 3
                            "rule e -> Decimal<77> = 1\n"                                   // line 4
                            "rule f -> Option<3> = none\n"),                                // line 5
            (Want{{"M0005", 2}, {"M0005", 3}, {"M0013", 4}, {"M0013", 5}}));
}

TEST(MizanDiagnostics, Golden) {
  const fs::path dir = fs::path(SAVM_SOURCE_DIR) / "tests/lang/golden";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".mizan") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 6u);
  for (const fs::path& source : cases) {
    const std::string text = slurp(source);
    const ParseResult r = parse_text(text, source.filename().string());
    EXPECT_FALSE(r.pack) << source;
    fs::path expected = source;
    expected.replace_extension(".expected");
    EXPECT_EQ(rendered(r, text, source.filename().string()), slurp(expected)) << source;
  }
}

}  // namespace
}  // namespace savm::lang::test
