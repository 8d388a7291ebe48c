// The entry points integrators call, through `savm eval` on both tiers: the same JSON line and
// the same exit code and eval.* code, against figures worked by hand from
// ../shared/reference/pk-income-tax.md and ae-tax-and-adgm.md (confirmed figures only).
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {


std::string pkr(const std::string& amount) { return R"({"amount": ")" + amount + R"(", "currency": "PKR"})"; }
std::string aed(const std::string& amount) { return R"({"amount": ")" + amount + R"(", "currency": "AED"})"; }

std::string wht_153_args(const std::string& category, bool company, bool atl, const std::string& amount) {
  return R"({"category": ")" + category + R"(", "payee_is_company": )" + (company ? "true" : "false") +
         R"(, "payee_on_atl": )" + (atl ? "true" : "false") + R"(, "amount": )" + pkr(amount) + "}";
}

class CompiledTier : public SavmRunner {
 protected:
  // Runs the evaluation on both tiers and returns the reference tier's outcome after requiring
  // the compiled one to print the same JSON, exit the same way and report the same code.
  Outcome both(const std::string& path, const std::string& entry, const std::string& date, const std::string& args) {
    write("args.json", args);
    const std::string call = "eval " + path + " " + entry + " --law-date " + date + " --args @args.json --tier ";
    const Outcome reference = savm(call + "reference");
    const Outcome compiled = savm(call + "compiled");
    EXPECT_EQ(compiled.exit_code, reference.exit_code) << entry << " " << args << "\n" << compiled.err;
    EXPECT_EQ(compiled.out, reference.out) << entry << " " << args;
    EXPECT_EQ(code_of(compiled.err), code_of(reference.err)) << compiled.err << reference.err;
    return reference;
  }
  static std::string code_of(const std::string& err) { return err.substr(0, err.find(']') + 1); }
};

TEST_F(CompiledTier, SalaryTaxS149) {
  // TY2025 slab 3: 30,000 + 15% × (1,500,000 − 1,200,000) = 30,000 + 45,000 = 75,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.salary_tax", "2025-01-01", R"({"income": )" + pkr("1500000") + "}").out,
            "{\"amount\":\"75000\",\"currency\":\"PKR\"}\n");
  // TY2026 slab 3: 6,000 + 11% × 300,000 = 6,000 + 33,000 = 39,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.salary_tax", "2025-07-01", R"({"income": )" + pkr("1500000") + "}").out,
            "{\"amount\":\"39000\",\"currency\":\"PKR\"}\n");
  // TY2025 slab 2 rounding under s.219: 5% × (600,010 − 600,000) = 0.50 → half up to 1.
  EXPECT_EQ(both(kPk, "pk.ito2001.salary_tax", "2025-01-01", R"({"income": )" + pkr("600010") + "}").out,
            "{\"amount\":\"1\",\"currency\":\"PKR\"}\n");
  // TY2026 top slab: 616,000 + 35% × (5,000,000 − 4,100,000) = 616,000 + 315,000 = 931,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.salary_tax", "2026-06-30", R"({"income": )" + pkr("5000000") + "}").out,
            "{\"amount\":\"931000\",\"currency\":\"PKR\"}\n");
  // Outside the pack's horizon no table row is in force.
  const Outcome before = both(kPk, "pk.ito2001.salary_tax", "2024-06-30", R"({"income": )" + pkr("1500000") + "}");
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_EQ(code_of(before.err), "savm: error[eval.no_row]");
}

TEST_F(CompiledTier, WithholdingS153) {
  // TY2025 goods, company on the ATL: 5% × 1,000,000 = 50,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.wht_153", "2025-01-01", wht_153_args("goods", true, true, "1000000")).out,
            "{\"amount\":\"50000\",\"currency\":\"PKR\"}\n");
  // TY2025 goods, other payee not on the ATL: 5.5% doubled = 11% × 1,000,000 = 110,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.wht_153", "2025-01-01", wht_153_args("goods", false, false, "1000000")).out,
            "{\"amount\":\"110000\",\"currency\":\"PKR\"}\n");
  // TY2025 services, company on the ATL: 9% × 200,000 = 18,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.wht_153", "2025-01-01", wht_153_args("services", true, true, "200000")).out,
            "{\"amount\":\"18000\",\"currency\":\"PKR\"}\n");
  // TY2026 services, any payee, not on the ATL: 15% doubled = 30% × 100,000 = 30,000.
  EXPECT_EQ(both(kPk, "pk.ito2001.wht_153", "2025-07-01", wht_153_args("services", false, false, "100000")).out,
            "{\"amount\":\"30000\",\"currency\":\"PKR\"}\n");
  // 5% × 10,010 = 500.50 → half up to 501 (s.219).
  EXPECT_EQ(both(kPk, "pk.ito2001.wht_153", "2025-01-01", wht_153_args("goods", true, true, "10010")).out,
            "{\"amount\":\"501\",\"currency\":\"PKR\"}\n");
  // Contracts (TY2025) and TY2026 goods are single-source: no confirmed row, on both tiers.
  for (const auto& [category, date] : {std::pair{"contracts", "2025-01-01"}, std::pair{"goods", "2026-01-01"}}) {
    const Outcome o = both(kPk, "pk.ito2001.wht_153", date, wht_153_args(category, true, true, "1000000"));
    EXPECT_EQ(o.exit_code, 1) << category;
    EXPECT_EQ(code_of(o.err), "savm: error[eval.no_row]") << category;
  }
}

TEST_F(CompiledTier, UaeCorporateTax) {
  // Art. 3(1): 9% × (500,000 − 375,000) = 9% × 125,000 = 11,250 (the reference's worked example).
  EXPECT_EQ(both(kAe, "ae.ct.corporate_tax", "2024-06-01", R"({"taxable_income": )" + aed("500000") + "}").out,
            "{\"amount\":\"11250\",\"currency\":\"AED\"}\n");
  // Up to and including 375,000: 0%.
  EXPECT_EQ(both(kAe, "ae.ct.corporate_tax", "2024-06-01", R"({"taxable_income": )" + aed("375000") + "}").out,
            "{\"amount\":\"0\",\"currency\":\"AED\"}\n");
  // One dirham above: 9% × 1 = 0.09.
  EXPECT_EQ(both(kAe, "ae.ct.corporate_tax", "2024-06-01", R"({"taxable_income": )" + aed("375001") + "}").out,
            "{\"amount\":\"0.09\",\"currency\":\"AED\"}\n");
  // 9% × (375,000.11 − 375,000) = 0.0099 → half up to the fils: 0.01.
  EXPECT_EQ(both(kAe, "ae.ct.corporate_tax", "2024-06-01", R"({"taxable_income": )" + aed("375000.11") + "}").out,
            "{\"amount\":\"0.01\",\"currency\":\"AED\"}\n");
  // Before the law (2023-06-01) no band is in force.
  const Outcome before = both(kAe, "ae.ct.corporate_tax", "2023-05-31", R"({"taxable_income": )" + aed("500000") + "}");
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_EQ(code_of(before.err), "savm: error[eval.no_row]");
}

TEST_F(CompiledTier, WhatTheCompiledTierCannotRun) {
  // A list result has no entry ABI: the rule is not in the module's exports (C0003), which is
  // bad input.
  const Outcome lists = savm("eval " + kPk + R"( pk.sanctions.matches --law-date 2025-01-01 --args '{"party_keys": [], "list": []}' --tier compiled)");
  EXPECT_EQ(lists.exit_code, 2);
  EXPECT_EQ(code_of(lists.err), "savm: error[eval.not_compiled]");
  EXPECT_NE(lists.err.find("(C0003"), std::string::npos) << lists.err;
  EXPECT_TRUE(lists.out.empty());
  // explain shows the reference derivation only.
  const Outcome explain = savm("explain " + kAe + R"( ae.ct.corporate_tax --law-date 2024-06-01 --args '{"taxable_income": )" +
                               aed("1") + "}' --tier compiled");
  EXPECT_EQ(explain.exit_code, 2);
  EXPECT_EQ(code_of(explain.err), "savm: error[eval.tier]");
}

}  // namespace
}  // namespace savm::testing
