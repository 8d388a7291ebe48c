// The standard library on both back ends: each case runs a stdlib entry through the reference
// evaluator and the compiled module (compiler/mizan_compiler.h) and requires both to give the
// hand-computed value or error code written here. (stdlib/README.md; the stdlib's own tests run
// only on the evaluator.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "compiler/mizan_compiler.h"
#include "lang/evaluator.h"
#include "lang/value_json.h"
#include "lang/workspace.h"

namespace savm::lang {
namespace {

struct Case {
  const char* entry;
  const char* args;
  const char* expect;  // the result as JSON, or "error:<code>"
};

constexpr std::int64_t kLawDate = 20'089;  // 2025-01-01: 55 × 365 + 14 leap days after 1970-01-01

const Case kCases[] = {
    // TY2026 = 2025-07-01 .. 2026-06-30, named by the year it ends.
    {"std.dates.tax_year_of", R"({"d": "2025-07-01", "start_month": 7, "start_day": 1})", "2026"},
    {"std.dates.tax_year_of", R"({"d": "2025-06-30", "start_month": 7, "start_day": 1})", "2025"},
    // The UK tax year containing 15 January 2025 began on 6 April 2024.
    {"std.dates.tax_year_start", R"({"d": "2025-01-15", "start_month": 4, "start_day": 6})", R"("2024-04-06")"},
    {"std.dates.civil_of", R"({"d": "1969-12-31"})", R"({"year":1969,"month":12,"day":31})"},
    {"std.dates.date_of", R"({"year": 2024, "month": 2, "day": 29})", R"("2024-02-29")"},
    {"std.dates.date_of", R"({"year": 2025, "month": 2, "day": 29})", "error:no_row"},  // not a leap year
    {"std.dates.shift_days", R"({"d": "1970-01-01", "n": 20089})", R"("2025-01-01")"},
    {"std.dates.shift_days", R"({"d": "2025-01-01", "n": 1048576})", "error:no_row"},  // 2^20: beyond reach
    {"std.dates.add_months_clamped", R"({"d": "2024-03-31", "n": -1})", R"("2024-02-29")"},
    {"std.dates.add_months_end_to_end", R"({"d": "2024-02-29", "n": 1})", R"("2024-03-31")"},
    {"std.dates.whole_years_between", R"({"from": "2000-02-29", "to": "2025-02-28"})", "25"},  // 300 months
    {"std.dates.is_leap_year", R"({"year": 1900})", "false"},
    {"std.dates.is_leap_year", R"({"year": 2000})", "true"},
    // 5% × 10,010 = 500.50: half up 501, half even 500.
    {"std.money.pkr.percent_half_up", R"({"amount": {"amount": "10010", "currency": "PKR"}, "rate": "5%"})",
     R"({"amount":"501","currency":"PKR"})"},
    {"std.money.pkr.percent_half_even", R"({"amount": {"amount": "10010", "currency": "PKR"}, "rate": "5%"})",
     R"({"amount":"500","currency":"PKR"})"},
    // 5.5% × 10,001 = 550.055 → 550.06
    {"std.money.pkr.percent_to_paisa", R"({"amount": {"amount": "10001", "currency": "PKR"}, "rate": "5.5%"})",
     R"({"amount":"550.06","currency":"PKR"})"},
    // 30,000 + 15% × (1,500,000 − 1,200,000) = 75,000
    {"std.money.pkr.slab_tax",
     R"({"amount": {"amount": "1500000", "currency": "PKR"},
         "s": {"fixed": {"amount": "30000", "currency": "PKR"}, "rate": "15%", "over": {"amount": "1200000", "currency": "PKR"}}})",
     R"({"amount":"75000","currency":"PKR"})"},
    {"std.money.pkr.apportion", R"({"amount": {"amount": "1000000", "currency": "PKR"}, "part": 91, "whole": 0})",
     "error:division_by_zero"},
    // 5% × 10.10 = 0.505: half even 0.50 (50 fils is even)
    {"std.money.aed.percent_half_even", R"({"amount": {"amount": "10.10", "currency": "AED"}, "rate": "5%"})",
     R"({"amount":"0.5","currency":"AED"})"},
    {"std.lattice.verdict_where", R"({"applies": false, "ok": false})", R"("not_applicable")"},
};

std::string outcome(const std::optional<Value>& value, const std::optional<std::string>& error, const Type& type) {
  return value ? value_to_json(*value, type) : "error:" + error.value_or("?");
}

TEST(StdlibCompiled, EvaluatorAndCompiledModuleGiveTheHandComputedResults) {
  const Workspace w = load_workspace(SAVM_SOURCE_DIR "/stdlib", {});
  ASSERT_TRUE(w.program) << "stdlib does not check";
  std::map<std::string, compiler::CompiledPack> compiled;
  for (const PackInfo& pack : w.program->packs) compiled.emplace(pack.id, compiler::compile_pack(*w.program, pack.id));
  for (const Case& c : kCases) {
    const RuleInfo* rule = w.program->find_rule(c.entry);
    ASSERT_NE(rule, nullptr) << c.entry;
    const std::vector<Value> args = args_from_json(nlohmann::json::parse(c.args), rule->params);
    const EvalResult reference = evaluate(*w.program, *rule, args, kLawDate);
    const std::optional<std::string> reference_error =
        reference.error ? std::optional<std::string>(reference.error->code) : std::nullopt;
    EXPECT_EQ(outcome(reference.value, reference_error, rule->result), c.expect) << "evaluator: " << c.entry << " " << c.args;
    const compiler::RunResult run = compiler::run_compiled(compiled.at(rule->pack_id), *rule, args, kLawDate);
    EXPECT_EQ(outcome(run.value, run.error_code, rule->result), c.expect) << "compiled: " << c.entry << " " << c.args;
  }
}

}  // namespace
}  // namespace savm::lang
