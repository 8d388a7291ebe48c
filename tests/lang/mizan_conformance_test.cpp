// The data-driven Mizan language conformance suite (tests/conformance/mizan/README.md).
//
// Every *.json file in tests/conformance/mizan/ holds named sections of named cases: a small
// pack, an entry rule, JSON arguments, a law date and the expected value, runtime error code or
// checker diagnostic code, all computed by hand (each case's "note" holds the arithmetic). One
// gtest per case, MizanConformance/<file>.<section>/<case>: parse, check, run the reference
// evaluator and compare; when the compiler is built in (SAVM_HAVE_MIZAN_COMPILER), also run the
// compiled path and require the same value or error code. A malformed case fails loudly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "lang/checker.h"
#include "lang/eval_dates.h"
#include "lang/evaluator.h"
#include "lang/parser.h"
#include "lang/value_json.h"
#ifdef SAVM_HAVE_MIZAN_COMPILER
#include "compiler/mizan_compiler.h"
#endif

namespace savm::lang {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kCaseDir = fs::path(SAVM_SOURCE_DIR) / "tests" / "conformance" / "mizan";

struct CaseRef {
  std::string file, section, name;
  Json body;
  std::string id() const { return file + "/" + section + "/" + name; }
};

struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void malformed(const CaseRef& c, const std::string& what) { throw CaseError(c.id() + ": " + what); }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

std::string source_of(const CaseRef& c) {
  const Json& s = c.body.at("source");
  if (s.is_string()) return s.get<std::string>();
  if (!s.is_array()) malformed(c, "source must be a string or an array of lines");
  std::string text;
  for (const Json& line : s) {
    if (!line.is_string()) malformed(c, "source lines must be strings");
    text += line.get<std::string>() + "\n";
  }
  return text;
}

std::string string_field(const CaseRef& c, const char* key) {
  if (!c.body.contains(key) || !c.body.at(key).is_string()) malformed(c, std::string("\"") + key + "\" must be a string");
  return c.body.at(key).get<std::string>();
}

void validate(const CaseRef& c) {
  static const std::set<std::string> allowed = {"name", "note", "source", "entry", "args", "law_date",
                                                "expect", "error", "check_error"};
  for (const auto& [key, value] : c.body.items()) {
    if (!allowed.contains(key)) malformed(c, "unknown field \"" + key + "\"");
  }
  if (string_field(c, "note").empty()) malformed(c, "\"note\" must hold the hand computation");
  if (!c.body.contains("source")) malformed(c, "missing \"source\"");
  const int outcomes = int(c.body.contains("expect")) + int(c.body.contains("error")) + int(c.body.contains("check_error"));
  if (outcomes != 1) malformed(c, "exactly one of expect, error, check_error is required");
}

std::string diagnostics_text(const std::vector<Diagnostic>& ds, const SourceFile& file) {
  std::string out;
  for (const Diagnostic& d : ds) out += render(d, file);
  return out;
}

void check_case(const CaseRef& c) {
  validate(c);
  const SourceFile file{c.id() + ".mizan", source_of(c), 0};
  const ParseResult parsed = parse(file);
  ASSERT_TRUE(parsed.pack.has_value()) << "does not parse:\n" << diagnostics_text(parsed.diagnostics, file);
  const CheckResult checked = check({&*parsed.pack}, {&file});
  if (c.body.contains("check_error")) {
    const std::string code = string_field(c, "check_error");
    const bool found = std::any_of(checked.diagnostics.begin(), checked.diagnostics.end(), [&](const Diagnostic& d) {
      return d.code == code && d.severity == Severity::error;
    });
    EXPECT_TRUE(found) << "expected checker error " << code << "; got:\n" << diagnostics_text(checked.diagnostics, file);
    EXPECT_FALSE(checked.program) << "a program despite the expected error";
    return;
  }
  ASSERT_TRUE(checked.program) << "does not check:\n" << diagnostics_text(checked.diagnostics, file);
  const Program& program = *checked.program;
  const RuleInfo* rule = program.find_rule(string_field(c, "entry"));
  if (!rule) malformed(c, "no rule " + string_field(c, "entry"));
  std::string why;
  const auto law_date = eval::parse_date_days(string_field(c, "law_date"), why);
  if (!law_date) malformed(c, "law_date: " + why);
  std::vector<Value> args;
  try {
    args = args_from_json(c.body.value("args", Json::object()), rule->params);
  } catch (const ValueJsonError& e) {
    malformed(c, "args " + e.path + ": " + e.message);
  }
  Json expected_value;
  std::string expected_error;
  if (c.body.contains("expect")) {
    try {
      expected_value = Json::parse(value_to_json(value_from_json(c.body.at("expect"), rule->result, "$"), rule->result));
    } catch (const ValueJsonError& e) {
      malformed(c, "expect " + e.path + ": " + e.message);
    }
  } else {
    expected_error = string_field(c, "error");
  }

  const EvalResult eval = evaluate(program, *rule, args, *law_date);
  if (expected_error.empty()) {
    ASSERT_TRUE(eval.value) << "evaluator: error " << (eval.error ? eval.error->code + ": " + eval.error->message : "?");
    EXPECT_EQ(expected_value, Json::parse(value_to_json(*eval.value, rule->result))) << "evaluator value";
  } else {
    ASSERT_TRUE(eval.error) << "evaluator: value " << value_to_json(*eval.value, rule->result);
    EXPECT_EQ(expected_error, eval.error->code) << "evaluator error: " << eval.error->message;
  }
#ifdef SAVM_HAVE_MIZAN_COMPILER
  const compiler::CompiledPack pack = compiler::compile_pack(program, rule->pack_id);
  const compiler::RunResult run = compiler::run_compiled(pack, *rule, args, *law_date);
  if (expected_error.empty()) {
    ASSERT_TRUE(run.value) << "compiled: error " << run.error_code.value_or("?");
    EXPECT_EQ(expected_value, Json::parse(value_to_json(*run.value, rule->result))) << "compiled value";
    EXPECT_EQ(compiler::derivation_steps(eval.trace), compiler::derivation_steps(pack, run.trace)) << "the derivations differ";
  } else {
    ASSERT_TRUE(run.error_code) << "compiled: value " << value_to_json(*run.value, rule->result);
    EXPECT_EQ(expected_error, *run.error_code) << "compiled error";
  }
#endif
}

std::vector<CaseRef>& all_cases() {
  static std::vector<CaseRef> cases;
  return cases;
}

class CaseTest : public ::testing::Test {
 public:
  explicit CaseTest(CaseRef c) : case_(std::move(c)) {}
  void TestBody() override {
    try {
      check_case(case_);
    } catch (const CaseError& e) {
      FAIL() << "malformed conformance case " << e.what();
    } catch (const std::exception& e) {
      FAIL() << case_.id() << ": " << e.what();
    }
  }

 private:
  CaseRef case_;
};

class BrokenFileTest : public ::testing::Test {
 public:
  explicit BrokenFileTest(std::string message) : message_(std::move(message)) {}
  void TestBody() override { FAIL() << "malformed conformance file " << message_; }

 private:
  std::string message_;
};

std::vector<CaseRef> load_file(const fs::path& path) {
  const std::string file = path.stem().string();
  const Json doc = Json::parse(read_text(path));
  if (!doc.is_object() || !doc.contains("feature") || !doc.contains("sections") || !doc.at("sections").is_array()) {
    throw std::runtime_error(file + ": needs \"feature\" and an array \"sections\"");
  }
  std::vector<CaseRef> out;
  std::set<std::string> ids;
  for (const auto& section : doc.at("sections")) {
    const std::string sname = section.is_object() ? section.value("name", "") : "";
    if (!valid_name(sname) || !section.contains("cases") || !section.at("cases").is_array()) {
      throw std::runtime_error(file + ": a section needs a name [A-Za-z0-9_]+ and an array \"cases\"");
    }
    for (const auto& body : section.at("cases")) {
      const std::string cname = body.is_object() ? body.value("name", "") : "";
      if (!valid_name(cname)) throw std::runtime_error(file + "/" + sname + ": a case needs a name [A-Za-z0-9_]+");
      CaseRef c{file, sname, cname, body};
      if (!ids.insert(c.id()).second) throw std::runtime_error(c.id() + ": duplicate case name");
      out.push_back(std::move(c));
    }
  }
  return out;
}

// Every rounding mode is exercised by some case's source.
TEST(MizanConformanceSuite, CoversEveryRoundingMode) {
  for (const char* mode : {"floor", "ceil", "toward_zero", "half_up", "half_even", "half_down"}) {
    const std::string needle = std::string("mode: ") + mode;
    const bool seen = std::any_of(all_cases().begin(), all_cases().end(), [&](const CaseRef& c) {
      return c.body.value("source", Json()).dump().find(needle) != std::string::npos;
    });
    EXPECT_TRUE(seen) << "no case rounds with " << mode;
  }
}

const bool kRegistered = [] {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCaseDir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    const std::string file = path.stem().string();
    std::vector<CaseRef> cases;
    try {
      cases = load_file(path);
    } catch (const std::exception& e) {
      const std::string message = path.string() + ": " + e.what();
      ::testing::RegisterTest(("MizanConformance/" + file).c_str(), "load", nullptr, nullptr, __FILE__, __LINE__,
                              [message]() -> ::testing::Test* { return new BrokenFileTest(message); });
      continue;
    }
    for (CaseRef& c : cases) {
      all_cases().push_back(c);
      ::testing::RegisterTest(("MizanConformance/" + c.file).c_str(), (c.section + "/" + c.name).c_str(), nullptr,
                              nullptr, __FILE__, __LINE__, [c]() -> ::testing::Test* { return new CaseTest(c); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace savm::lang
