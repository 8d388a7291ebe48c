// savm eval, explain and test end to end: the real binary on a small pack written here, with
// hand-computed results (30,000 + 15% × 300,000 = 75,000 PKR), fault codes and exit codes.
#include <gtest/gtest.h>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {

constexpr const char* kPack = R"(lawpack t.tax "Evaluator fixture"
  jurisdiction pk  version "1"
  horizon 2024-07-01 .. 2025-07-01

record Slab {
  fixed: Money<PKR>,
  rate: Rate,
  over: Money<PKR>,
}

table salary_slabs(income: Money<PKR>) -> Slab
  cites "First Schedule Pt I Div I"
  in force 2024-07-01 .. 2025-07-01:
    | up to 600_000 PKR   => slab(fixed: 0 PKR, rate: 0%, over: 0 PKR)
    | up to 1_200_000 PKR => slab(fixed: 0 PKR, rate: 5%, over: 600_000 PKR)
    | above 1_200_000 PKR => slab(fixed: 30_000 PKR, rate: 15%, over: 1_200_000 PKR)

rule salary_tax(income: Money<PKR>) -> Money<PKR>  cites "s.149"
  = let s = salary_slabs(income)
    in s.fixed + round(mul(income - s.over, s.rate), to: 1 PKR, mode: half_up)

rule wht(amount: Money<PKR>, atl: Bool, exempt: Bool) -> Money<PKR>  cites "s.153"
  default round(mul(amount, 5%), to: 1 PKR, mode: half_up)
  exception non_atl priority 1 cites "Tenth Schedule" when not atl:
    round(mul(amount, 10%), to: 1 PKR, mode: half_up)
  exception small priority 2 when amount <= 75_000 PKR: 0 PKR
  exception certificate priority 3 when exempt: 0 PKR

rule big -> Int = 57896044618658097711785492504343953926634992332820282019728792003956564819967 + 1

test "salary of 1.5M" at 2025-01-01 {
  let income = 1_500_000 PKR
  expect salary_tax(income) == 75_000 PKR
}
)";

constexpr const char* kFailingTest = R"(
test "wrong on purpose" at 2025-01-01 {
  expect wht(100_000 PKR, true, false) == 4_000 PKR
}
)";

const char* kIncome = R"('{"income": {"amount": "1500000", "currency": "PKR"}}')";

class MizanVerbs : public SavmRunner {
 protected:
  void SetUp() override {
    SavmRunner::SetUp();
    write("tax.mizan", kPack);
  }
};

TEST_F(MizanVerbs, EvalPrintsTheResultAsJson) {
  const Outcome o = savm(std::string("eval tax.mizan t.tax.salary_tax --law-date 2025-01-01 --args ") + kIncome);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "{\"amount\":\"75000\",\"currency\":\"PKR\"}\n");
  // 5% of 100,000 for a filer; 10% for a non-filer (exception non_atl).
  write("args.json", R"({"amount": {"amount": "100000", "currency": "PKR"}, "atl": false, "exempt": false})");
  const Outcome non_atl = savm("eval tax.mizan t.tax.wht --law-date 2025-01-01 --args @args.json");
  EXPECT_EQ(non_atl.exit_code, 0) << non_atl.err;
  EXPECT_EQ(non_atl.out, "{\"amount\":\"10000\",\"currency\":\"PKR\"}\n");
}

TEST_F(MizanVerbs, EvalFaultsExitOneWithTheirCode) {
  const Outcome no_row = savm(std::string("eval tax.mizan t.tax.salary_tax --law-date 2025-07-01 --args ") + kIncome);
  EXPECT_EQ(no_row.exit_code, 1);
  EXPECT_NE(no_row.err.find("savm: error[eval.no_row]: t.tax.salary_slabs: no row matches"), std::string::npos) << no_row.err;
  for (const char* tier : {"reference", "compiled"}) {
    const Outcome overflow = savm(std::string("eval tax.mizan t.tax.big --law-date 2025-01-01 --tier ") + tier);
    EXPECT_EQ(overflow.exit_code, 1) << tier;
    EXPECT_NE(overflow.err.find("error[eval.overflow]"), std::string::npos) << tier << overflow.err;
  }
  const Outcome compiled_no_row =
      savm(std::string("eval tax.mizan t.tax.salary_tax --tier compiled --law-date 2025-07-01 --args ") + kIncome);
  EXPECT_EQ(compiled_no_row.exit_code, 1);
  EXPECT_NE(compiled_no_row.err.find("savm: error[eval.no_row]: t.tax.salary_tax (compiled): "), std::string::npos)
      << compiled_no_row.err;
  // conflict cannot come from a checked pack (equal priorities are M0119): evaluator_test covers it.
}

TEST_F(MizanVerbs, EvalBadInputExitsTwo) {
  auto code = [&](const std::string& args) {
    const Outcome o = savm(args);
    EXPECT_TRUE(o.out.empty()) << o.out;
    return std::to_string(o.exit_code) + " " + o.err.substr(0, o.err.find(']') + 1);
  };
  EXPECT_EQ(code("eval tax.mizan t.tax.nope --law-date 2025-01-01"), "2 savm: error[eval.entry]");
  EXPECT_EQ(code("eval tax.mizan t.tax.big --law-date 2025-02-30"), "2 savm: error[eval.law_date]");
  EXPECT_EQ(code("eval tax.mizan t.tax.salary_tax --law-date 2025-01-01"), "2 savm: error[eval.args]");
  EXPECT_EQ(code(R"(eval tax.mizan t.tax.salary_tax --law-date 2025-01-01 --args '{"income": {"amount": "1.001", "currency": "PKR"}}')"),
            "2 savm: error[eval.args]");
  EXPECT_EQ(code("eval tax.mizan t.tax.big --law-date 2025-01-01 --args '{'"), "2 savm: error[mcf.syntax]");
  EXPECT_EQ(code("eval tax.mizan t.tax.big --law-date 2025-01-01 --tier gpu"), "2 savm: error[eval.tier]");
  const Outcome wrong = savm(R"(eval tax.mizan t.tax.salary_tax --law-date 2025-01-01 --args '{"income": 5}')");
  EXPECT_NE(wrong.err.find("$.income"), std::string::npos) << wrong.err;
  write("bad.mizan", "lawpack t.bad \"x\" jurisdiction pk version \"1\"\nrule r -> Int = nope\n");
  EXPECT_EQ(savm("eval bad.mizan t.bad.r --law-date 2025-01-01").exit_code, 2);
}

TEST_F(MizanVerbs, ExplainShowsRulesRowsRoundingAndExceptions) {
  const Outcome o = savm(std::string("explain tax.mizan t.tax.salary_tax --law-date 2025-01-01 --args ") + kIncome);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "t.tax.salary_tax at 2025-01-01\n"
            "  income = {\"amount\":\"1500000\",\"currency\":\"PKR\"}\n"
            "derivation:\n"
            "  rule t.tax.salary_tax, always; cites \"s.149\"\n"
            "    table t.tax.salary_slabs: row 3, in force 2024-07-01 .. 2025-07-01; cites \"First Schedule Pt I Div I\"\n"
            "    rounding half_up to 100: 30000000 x 150000000 / 1000000000 -> 4500000\n"
            "result: {\"amount\":\"75000\",\"currency\":\"PKR\"}\n");
  const Outcome e = savm(
      R"(explain tax.mizan t.tax.wht --law-date 2025-01-01 --args '{"amount": {"amount": "100000", "currency": "PKR"}, "atl": false, "exempt": false}')");
  EXPECT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("    exception taken: non_atl (priority 1); does not apply: "), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("; cites \"Tenth Schedule\""), std::string::npos) << e.out;
}

TEST_F(MizanVerbs, TestPassesAndReportsCoverage) {
  const Outcome o = savm("test tax.mizan");
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("ok   t.tax: salary of 1.5M\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("1 test: 1 passed, 0 failed\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  rules: 1/3 entered\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  table rows: 1/3 taken\n    never: t.tax.salary_slabs row 1\n    never: t.tax.salary_slabs row 2\n"),
            std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  exception branches: 0/4 taken\n    never: t.tax.wht default\n"), std::string::npos) << o.out;
}

TEST_F(MizanVerbs, FailingTestShowsTheExpectAndBothSides) {
  append_to("tax.mizan", kFailingTest);
  const Outcome o = savm("test tax.mizan");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("FAIL t.tax: wrong on purpose\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("tax.mizan:37:10: expect wht(100_000 PKR, true, false) == 4_000 PKR\n"), std::string::npos) << o.out;
  // 5% × 100,000 = 5,000 PKR, not 4,000.
  EXPECT_NE(o.out.find("    left:  {\"amount\":\"5000\",\"currency\":\"PKR\"}\n    right: {\"amount\":\"4000\",\"currency\":\"PKR\"}\n"),
            std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2 tests: 1 passed, 1 failed\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  exception branches: 1/4 taken\n"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace savm::testing
