// `savm fmt` (lang/formatter.h): over every Mizan source in the repository, formatting is
// idempotent, keeps the AST (tests/lang/ast_dump.h, spans left out) and keeps every comment in
// order; hand-written cases pin the canonical layout of each construct (docs/mizan.md,
// "Formatting"); input that does not parse gets the parser's diagnostics and no text.
#include "lang/formatter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "lang/parser.h"
#include "tests/lang/ast_dump.h"

namespace savm::lang {
namespace {

namespace fs = std::filesystem;

// The comments of a source, found independently of the formatter: `//` to the end of the line,
// outside string literals.
std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"' || c == '\n') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      const std::size_t end = text.find('\n', i);
      out.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end - i));
      i = end == std::string::npos ? text.size() : end;
    }
  }
  return out;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Source {
  std::string name;
  std::string text;
};

// Every .mizan file under packs/, stdlib/, examples/ and tests/, and the source of every
// conformance case (the .json suites; the directory also holds a README).
std::vector<Source> corpus() {
  std::vector<Source> out;
  for (const char* dir : {"packs", "stdlib", "examples", "tests"}) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(SAVM_SOURCE_DIR) / dir)) {
      if (entry.path().extension() == ".mizan") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) out.push_back({f.string(), read(f)});
  }
  std::vector<fs::path> suites;
  for (const auto& entry : fs::directory_iterator(fs::path(SAVM_SOURCE_DIR) / "tests/conformance/mizan")) {
    if (entry.path().extension() == ".json") suites.push_back(entry.path());
  }
  std::sort(suites.begin(), suites.end());
  for (const fs::path& path : suites) {
    const nlohmann::json suite = nlohmann::json::parse(read(path));
    for (const auto& section : suite.at("sections")) {
      for (const auto& c : section.at("cases")) {
        const auto& s = c.at("source");
        std::string text;
        if (s.is_string()) {
          text = s.get<std::string>();
        } else {
          for (const auto& line : s) text += line.get<std::string>() + "\n";
        }
        out.push_back({path.filename().string() + ":" + c.at("name").get<std::string>(), text});
      }
    }
  }
  return out;
}

std::string fmt(const std::string& text) {
  FormatResult r = format(SourceFile{"t.mizan", text, 0});
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.size() << " diagnostics, first " << r.diagnostics[0].message;
  return r.text.value_or("<no text>");
}

TEST(Formatter, CorpusIsIdempotentKeepsTheAstAndEveryComment) {
  std::size_t formatted = 0;
  std::size_t refused = 0;
  for (const Source& s : corpus()) {
    SCOPED_TRACE(s.name);
    const SourceFile file{s.name, s.text, 0};
    ParseResult before = parse(file);
    FormatResult once = format(file);
    if (!before.pack) {
      // Input that does not parse is not formatted: same diagnostics as the parser, no text.
      EXPECT_FALSE(once.text.has_value());
      ASSERT_EQ(once.diagnostics.size(), before.diagnostics.size());
      for (std::size_t i = 0; i < before.diagnostics.size(); ++i) EXPECT_EQ(once.diagnostics[i].code, before.diagnostics[i].code);
      ++refused;
      continue;
    }
    ASSERT_TRUE(once.text.has_value());
    ++formatted;
    const SourceFile out{s.name, *once.text, 0};
    ParseResult after = parse(out);
    ASSERT_TRUE(after.pack.has_value()) << *once.text;
    EXPECT_EQ(test::dump(*after.pack), test::dump(*before.pack));
    EXPECT_EQ(comments_of(*once.text), comments_of(s.text));
    EXPECT_EQ(format(out).text, once.text) << "not idempotent";
  }
  // The corpus really holds packs and cases, and the golden error files.
  EXPECT_GE(formatted, 80u);
  EXPECT_GE(refused, 6u);
}

// ---- the layout of each construct (docs/mizan.md, "Formatting")

TEST(Formatter, HeaderOneFieldPerLineThenUses) {
  EXPECT_EQ(fmt("lawpack  pk.x \"X\" jurisdiction pk version \"1\"  source \"/akn\" horizon 2024-07-01..2025-07-01\n"
                "use regpack pk.fbr as fbr use pk.y\n"),
            "lawpack pk.x \"X\"\n"
            "  jurisdiction pk\n"
            "  version \"1\"\n"
            "  source \"/akn\"\n"
            "  horizon 2024-07-01 .. 2025-07-01\n"
            "\n"
            "use regpack pk.fbr as fbr\n"
            "use pk.y\n");
}

TEST(Formatter, HeaderFieldsKeepTheirOrderAndOpenIntervals) {
  EXPECT_EQ(fmt("regpack pk.x horizon 2024-07-01 .. version \"1\" jurisdiction pk.sifc"),
            "regpack pk.x\n"
            "  horizon 2024-07-01 ..\n"
            "  version \"1\"\n"
            "  jurisdiction pk.sifc\n");
}

TEST(Formatter, RecordsOneFieldPerLineWithCommas) {
  EXPECT_EQ(fmt("module m record Slab { fixed: Money<PKR> rate: Rate, over: Map<String,List<Decimal<2>>> } record E {}"),
            "module m\n"
            "\n"
            "record Slab {\n"
            "  fixed: Money<PKR>,\n"
            "  rate: Rate,\n"
            "  over: Map<String, List<Decimal<2>>>,\n"
            "}\n"
            "\n"
            "record E {}\n");
}

TEST(Formatter, EnumsOnOneLineWhenTheyFit) {
  const std::string long_names = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccccccccc";
  EXPECT_EQ(fmt("module m enum Category {goods,services,} enum Long {" + long_names + "}"),
            "module m\n"
            "\n"
            "enum Category { goods, services }\n"
            "\n"
            "enum Long {\n"
            "  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n"
            "  bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
            "  ccccccccccccccccccccccccc,\n"
            "}\n");
}

TEST(Formatter, RuleHeaderCitesAndDefinition) {
  EXPECT_EQ(fmt("module m rule f(a: Int,b: Int,) -> Int cites \"s.1\",\"s.2\" = a+b*2 rule g -> Rate = 25 bps"),
            "module m\n"
            "\n"
            "rule f(a: Int, b: Int) -> Int\n"
            "  cites \"s.1\", \"s.2\"\n"
            "  = a + b * 2\n"
            "\n"
            "rule g -> Rate\n"
            "  = 25 bps\n");
}

TEST(Formatter, LongParameterListsFillAlignedAfterTheParenthesis) {
  EXPECT_EQ(fmt("module m rule wht(category: Category, item: Item, payee_is_company: Bool, payee_on_atl: Bool, "
                "amount: Money<PKR>) -> Money<PKR> = amount"),
            "module m\n"
            "\n"
            "rule wht(category: Category, item: Item, payee_is_company: Bool, payee_on_atl: Bool,\n"
            "         amount: Money<PKR>) -> Money<PKR>\n"
            "  = amount\n");
}

// The room kept for ") -> Map<String, Int>" is its formatted width, not its width in the source,
// so a tightly written type breaks the line the same way in the first pass and the second.
TEST(Formatter, WidthsComeFromTokensNotFromTheSourceSpacing) {
  const std::string name(60, 'q');  // "rule f(p: Int, " is 15 columns: this parameter ends at 80
  const std::string expected = "module m\n\nrule f(p: Int,\n       " + name + ": Int) -> Map<String, Int>\n  = 1\n";
  EXPECT_EQ(fmt("module m rule f(p: Int, " + name + ": Int) -> Map<String,Int> = 1"), expected);
  EXPECT_EQ(fmt(expected), expected);
}

TEST(Formatter, VersionsAndExceptions) {
  EXPECT_EQ(fmt("module m rule r(x: Int) -> Int in force 2024-07-01 .. 2025-07-01 cites \"A\": = 1 "
                "in force 2025-07-01 ..: default 0 exception big priority 1 cites \"s.2\" when x > 10: 2"),
            "module m\n"
            "\n"
            "rule r(x: Int) -> Int\n"
            "  in force 2024-07-01 .. 2025-07-01 cites \"A\":\n"
            "    = 1\n"
            "  in force 2025-07-01 ..:\n"
            "    default 0\n"
            "    exception big priority 1 cites \"s.2\" when x > 10: 2\n");
}

TEST(Formatter, LongExceptionsPutTheValueAndThenTheConditionOnLinesOfTheirOwn) {
  const std::string cond = "payee_is_registered_and_active and amount_paid_in_the_year <= threshold";
  EXPECT_EQ(fmt("module m rule r(x: Int) -> Int default 0\n"
                "exception registered priority 1 cites \"s.3(1A)\" when x > 1: "
                "a_rather_long_value_function(with_some_argument, and_another_one)\n"
                "exception quite_a_long_label_for_it priority 2 cites \"a citation of some length\" when " + cond + ": 0"),
            "module m\n"
            "\n"
            "rule r(x: Int) -> Int\n"
            "  default 0\n"
            "  exception registered priority 1 cites \"s.3(1A)\" when x > 1:\n"
            "    a_rather_long_value_function(with_some_argument, and_another_one)\n"
            "  exception quite_a_long_label_for_it priority 2 cites \"a citation of some length\"\n"
            "    when " + cond + ":\n"
            "    0\n");
}

TEST(Formatter, TableRowsAlignLikeTheStatutesColumns) {
  EXPECT_EQ(fmt("module m table slabs(income: Money<PKR>) -> Slab cites \"s.149\"\n"
                "in force 2024-07-01 .. 2025-07-01 cites \"FA 2024\":\n"
                "| up to 600_000 PKR => slab(fixed: 0 PKR, rate: 0%)\n"
                "| above 600_000 PKR => slab(fixed: 30_000 PKR, rate: 15%,)\n"
                "in force 2025-07-01 ..:\n"
                "| 1 .. 2 => slab(fixed: 1 PKR, rate: 1%) in force 2025-07-01 ..\n"),
            "module m\n"
            "\n"
            "table slabs(income: Money<PKR>) -> Slab\n"
            "  cites \"s.149\"\n"
            "  in force 2024-07-01 .. 2025-07-01 cites \"FA 2024\":\n"
            "    | up to 600_000 PKR => slab(fixed: 0 PKR,      rate: 0%)\n"
            "    | above 600_000 PKR => slab(fixed: 30_000 PKR, rate: 15%)\n"
            "  in force 2025-07-01 ..:\n"
            "    | 1 .. 2            => slab(fixed: 1 PKR,      rate: 1%) in force 2025-07-01 ..\n");
}

TEST(Formatter, TablesWithColumnsAndSeveralKeys) {
  EXPECT_EQ(fmt("module m table t(a: Bool, k: Kind) -> Rate columns atl, non_atl\n"
                "| true, company => 5%, 10%\n| else, else => 5.5%, 11%\n"),
            "module m\n"
            "\n"
            "table t(a: Bool, k: Kind) -> Rate\n"
            "  columns atl, non_atl\n"
            "  | true, company => 5%,   10%\n"
            "  | else, else    => 5.5%, 11%\n");
}

TEST(Formatter, TransitionsTriggersAndTests) {
  EXPECT_EQ(fmt("module m transition pay(p: Payment) cites \"s.1\" requires ok(p) let v = tax(p) "
                "writes tensor(p.payer, tax) := v evidence p.digest\n"
                "trigger freeze on listing(e: Event) jurisdiction pk when e.hit priority 10 authorization automatic "
                "action halt(asset) action log(reason: \"x\")\n"
                "test \"t\" at 2025-01-01 { let o = 1 expect o == 1 } test \"empty\" at 2025-01-01 {}"),
            "module m\n"
            "\n"
            "transition pay(p: Payment)\n"
            "  cites \"s.1\"\n"
            "  requires ok(p)\n"
            "  let v = tax(p)\n"
            "  writes tensor(p.payer, tax) := v evidence p.digest\n"
            "\n"
            "trigger freeze on listing(e: Event)\n"
            "  jurisdiction pk\n"
            "  when e.hit\n"
            "  priority 10\n"
            "  authorization automatic\n"
            "  action halt(asset)\n"
            "  action log(reason: \"x\")\n"
            "\n"
            "test \"t\" at 2025-01-01 {\n"
            "  let o = 1\n"
            "  expect o == 1\n"
            "}\n"
            "\n"
            "test \"empty\" at 2025-01-01 {}\n");
}

TEST(Formatter, ExpressionsKeepTheirSpellingAndTheAuthorsParentheses) {
  EXPECT_EQ(fmt("module m rule r -> Bool = -(3-1)*2/4<((([1,2,3,]).size())) and not x is not passing or "
                "f(x->x,(a,b)->a) != \"\\t\" and d == 2025-01-01T00:00:00Z and 1_000.50 PKR > 3 days"),
            "module m\n"
            "\n"
            "rule r -> Bool\n"
            "  = -(3 - 1) * 2 / 4 < (([1, 2, 3]).size()) and not x is not passing\n"
            "    or f(x -> x, (a, b) -> a) != \"\\t\" and d == 2025-01-01T00:00:00Z and 1_000.50 PKR > 3 days\n");
}

TEST(Formatter, IfStaysFlatWhenItFitsElseIfContinuesLetAlwaysBreaks) {
  EXPECT_EQ(fmt("module m rule r(p: Int) -> Int = let s = p * 2 in if s > 1 then s else 0\n"
                "rule q(p: Int) -> Int = if p > 100000000000000000 then some_long_function_name(p, p, p, p) else "
                "another_long_function_name(p)\n"
                "rule c(p: Int) -> Int = if p > 100000000000000000 then 1 else if p > 100000000000000 then 2 "
                "else if p > 1000000000 then 3 else (if p > 0 then 4 else 5)"),
            "module m\n"
            "\n"
            "rule r(p: Int) -> Int\n"
            "  = let s = p * 2\n"
            "    in if s > 1 then s else 0\n"
            "\n"
            "rule q(p: Int) -> Int\n"
            "  = if p > 100000000000000000\n"
            "    then some_long_function_name(p, p, p, p)\n"
            "    else another_long_function_name(p)\n"
            "\n"
            "rule c(p: Int) -> Int\n"
            "  = if p > 100000000000000000\n"
            "    then 1\n"
            "    else if p > 100000000000000\n"
            "    then 2\n"
            "    else if p > 1000000000\n"
            "    then 3\n"
            "    else (if p > 0 then 4 else 5)\n");
}

TEST(Formatter, LongCallsFillTheirLinesAndLongChainsPutOneOperandPerLine) {
  EXPECT_EQ(fmt("module m rule r -> Money<PKR> = round(amount * rate_for(category, item, payee_is_company, "
                "payee_on_atl, include_single_source, opts), to: 1 PKR, mode: half_up)\n"
                "rule c -> Bool = first_condition_that_is_long and second_condition_that_is_long and "
                "third_condition_that_is_longer\n"
                "rule d -> Int = some_rather_long_operand_name_one + some_rather_long_operand_name_two * 2 + "
                "some_rather_long_operand_name_three\n"
                "rule e -> Int = some_rather_long_operand_name_one_that_is_long + "
                "some_rather_long_operand_name_two_that_is_long_too"),
            "module m\n"
            "\n"
            "rule r -> Money<PKR>\n"
            "  = round(amount * rate_for(category, item, payee_is_company, payee_on_atl, include_single_source,\n"
            "                            opts), to: 1 PKR, mode: half_up)\n"
            "\n"
            "rule c -> Bool\n"
            "  = first_condition_that_is_long\n"
            "    and second_condition_that_is_long\n"
            "    and third_condition_that_is_longer\n"
            "\n"
            "rule d -> Int\n"
            "  = some_rather_long_operand_name_one\n"
            "    + some_rather_long_operand_name_two * 2\n"
            "    + some_rather_long_operand_name_three\n"
            "\n"
            "rule e -> Int\n"
            "  = some_rather_long_operand_name_one_that_is_long\n"
            "    + some_rather_long_operand_name_two_that_is_long_too\n");
}

// ---- comments

TEST(Formatter, CommentsKeepTheirPlaceTrailingOnesAlign) {
  EXPECT_EQ(fmt("/// The pack.\nmodule m\n\n// ---- section ----\n\n/// Doc of r.\n"
                "rule r -> Int = 1 // one\n"
                "test \"t\" at 2025-01-01 {\n  expect r() == 1 // first\n  // own line\n  expect r() != 22   // second\n}\n"
                "// at the end\n"),
            "/// The pack.\n"
            "module m\n"
            "\n"
            "// ---- section ----\n"
            "\n"
            "/// Doc of r.\n"
            "rule r -> Int\n"
            "  = 1  // one\n"
            "\n"
            "test \"t\" at 2025-01-01 {\n"
            "  expect r() == 1  // first\n"
            "  // own line\n"
            "  expect r() != 22  // second\n"
            "}\n"
            "// at the end\n");
}

TEST(Formatter, ACommentInsideAnExpressionBreaksItsLine) {
  EXPECT_EQ(fmt("module m rule r -> Int = f(1, // the first\n 2) + // plus\n 3\n"
                "record R { a: Int // the a\n b: Int }"),
            "module m\n"
            "\n"
            "rule r -> Int\n"
            "  = f(1,  // the first\n"
            "      2)\n"
            "    +  // plus\n"
            "    3\n"
            "\n"
            "record R {\n"
            "  a: Int,  // the a\n"
            "  b: Int,\n"
            "}\n");
}

TEST(Formatter, DocCommentsStayWithTheirDeclaration) {
  const std::string text = "module m record R { a: Int /// not a doc\n}\n/// doc of r\nrule r -> Int = (1 /// nor this\n)";
  FormatResult r = format(SourceFile{"t.mizan", text, 0});
  ASSERT_TRUE(r.text.has_value());
  ParseResult again = parse(SourceFile{"t.mizan", *r.text, 0});
  ASSERT_TRUE(again.pack.has_value()) << *r.text;
  EXPECT_EQ(again.pack->decls[0].doc, "");
  EXPECT_EQ(again.pack->decls[1].doc, "doc of r");
}

TEST(Formatter, InputThatDoesNotParseGetsDiagnosticsAndNoText) {
  FormatResult r = format(SourceFile{"bad.mizan", "module m\nrule r -> Int = 1 +\n", 0});
  EXPECT_FALSE(r.text.has_value());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, "M0001");
  EXPECT_EQ(format(SourceFile{"bad.mizan", "rule r -> Int = 1", 0}).diagnostics.at(0).code, "M0009");
}

}  // namespace
}  // namespace savm::lang
