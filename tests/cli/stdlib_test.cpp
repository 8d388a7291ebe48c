// The standard library (stdlib/) checks and passes its own tests, and its guards refuse what they
// cannot honour: `savm check stdlib`, `savm test stdlib` and `savm eval` on the real binary.
#include <gtest/gtest.h>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {

const std::string kStdlib = std::string("'") + SAVM_SOURCE_DIR + "/stdlib'";

class Stdlib : public SavmRunner {};

TEST_F(Stdlib, Checks) {
  const Outcome o = savm("check " + kStdlib);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ok: 4 files checked\n");
}

TEST_F(Stdlib, PassesItsTestsWithFullCoverage) {
  const Outcome o = savm("test " + kStdlib);
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(o.out.find("FAIL"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(" passed, 0 failed\n"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("never:"), std::string::npos) << o.out;
}

TEST_F(Stdlib, DateOfRefusesANonDate) {
  // 2025 is not a leap year: 29 February does not exist.
  const Outcome o = savm("eval " + kStdlib + R"( std.dates.date_of --law-date 2025-01-01 --args '{"year": 2025, "month": 2, "day": 29}')");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.err, "savm: error[eval.no_row]: std.dates.is_calendar_date: no row matches (ok = 0) on 2025-01-01\n");
  const Outcome leap = savm("eval " + kStdlib + R"( std.dates.date_of --law-date 2025-01-01 --args '{"year": 2024, "month": 2, "day": 29}')");
  EXPECT_EQ(leap.exit_code, 0) << leap.err;
  EXPECT_EQ(leap.out, "\"2024-02-29\"\n");
}

TEST_F(Stdlib, ShiftDaysRefusesAnOffsetBeyondItsReach) {
  // 2^20 days is one past the reach; 2^20 - 1 back from 2025-01-01 is still reached.
  const Outcome far = savm("eval " + kStdlib + R"( std.dates.shift_days --law-date 2025-01-01 --args '{"d": "2025-01-01", "n": 1048576}')");
  EXPECT_EQ(far.exit_code, 1);
  EXPECT_NE(far.err.find("error[eval.no_row]: std.dates.offset_within_reach"), std::string::npos) << far.err;
  // 2025-01-01 is day 20,089; 20,089 - 1,048,575 = -1,028,486.
  const Outcome back = savm("eval " + kStdlib + R"( std.dates.shift_days --law-date 2025-01-01 --args '{"d": "2025-01-01", "n": -1048575}')");
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, "\"day -1028486\"\n");
}

TEST_F(Stdlib, TaxYearOfAPakistaniDate) {
  // TY2026 runs 2025-07-01 .. 2026-06-30 (named by the year it ends).
  const Outcome o = savm("eval " + kStdlib +
                         R"( std.dates.tax_year_of --law-date 2025-01-01 --args '{"d": "2026-06-30", "start_month": 7, "start_day": 1}')");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "2026\n");
}

}  // namespace
}  // namespace savm::testing
