// The standard library (stdlib/) checks and passes its own tests, and its guards refuse what they
// cannot honour: `savm check stdlib`, `savm test stdlib` and `savm eval` on the real binary. And a
// pack reaches library packs through MIZAN_PATH (lang/workspace.h).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

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

// Runs savm with MIZAN_PATH set (the child inherits this process's environment).
class LibraryPath : public SavmRunner {
 protected:
  void TearDown() override {
    ::unsetenv("MIZAN_PATH");
    SavmRunner::TearDown();
  }
  static void set_path(const std::string& value) { ::setenv("MIZAN_PATH", value.c_str(), 1); }
};

constexpr const char* kUser = R"(lawpack t.due "Uses the standard library"
  jurisdiction pk  version "1"

use module std.dates as dates
use std.money.pkr as pkr

rule tax_year(d: Date) -> Int = dates.tax_year_of(d, 7, 1)
rule tax(amount: Money<PKR>) -> Money<PKR> = pkr.percent_half_up(amount, 5%)

test "TY2025 ends on 30 June 2025; 5% of 10,010 = 500.50 rounds to 501" at 2025-01-01 {
  expect tax_year(2025-06-30) == 2025
  expect tax(10_010 PKR) == 501 PKR
}
)";

TEST_F(LibraryPath, APackUsesTheStandardLibrary) {
  write("due.mizan", kUser);
  set_path(std::string(SAVM_SOURCE_DIR) + "/stdlib");
  const Outcome check = savm("check due.mizan");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "ok: 3 files checked\n");  // due.mizan, std.dates, std.money.pkr
  const Outcome test = savm("test due.mizan");
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  // Only the pack's own test runs; the library's tests are the library's.
  EXPECT_EQ(test.out.rfind("ok   t.due: TY2025 ends on 30 June 2025; 5% of 10,010 = 500.50 rounds to 501\n"
                           "1 test: 1 passed, 0 failed\n", 0), 0u) << test.out;
  // Coverage counts the pack's two rules, not the library's.
  EXPECT_NE(test.out.find("  rules: 2/2 entered\n"), std::string::npos) << test.out;
  EXPECT_EQ(test.out.find("std."), std::string::npos) << test.out;
  const Outcome eval = savm(R"(eval due.mizan t.due.tax_year --law-date 2025-01-01 --args '{"d": "2025-07-01"}')");
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(eval.out, "2026\n");
}

TEST_F(LibraryPath, WithoutItTheUseIsAMissingPack) {
  write("due.mizan", kUser);
  ::unsetenv("MIZAN_PATH");
  const Outcome o = savm("check due.mizan");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("due.mizan:4:12: error[M0102]: no pack std.dates in this workspace"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("hint: a library pack outside this directory is found through MIZAN_PATH"), std::string::npos) << o.err;
}

TEST_F(LibraryPath, AnEntryThatIsNotADirectoryIsReportedWhenNeeded) {
  write("due.mizan", kUser);
  set_path("no-such-dir");
  const Outcome o = savm("check due.mizan");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err, "savm: error[io.read]: MIZAN_PATH: no-such-dir is not a directory\n");
  write("plain.mizan", "module p version \"1\"\nrule r -> Int = 1\n");  // uses nothing: never looks
  const Outcome plain = savm("check plain.mizan");
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
}

TEST_F(LibraryPath, DirectoriesInOrderTransitiveUsesAndNoLibraryTests) {
  std::filesystem::create_directories(dir_ / "lib1");
  std::filesystem::create_directories(dir_ / "lib2");
  write("lib1/a.mizan", "module lib.a version \"1\"\nuse lib.b as b\nrule one_more -> Int = b.one() + 1\n");
  write("lib1/b.mizan", "module lib.b version \"1\"\nrule one -> Int = 1\n"
                        "test \"fails, but is the library's own\" at 2025-01-01 { expect one() == 5 }\n");
  write("lib2/b.mizan", "module lib.b version \"1\"\nrule one -> Int = 100\n");  // shadowed by lib1
  write("lib2/broken.mizan", "module lib.broken version \"1\"\nrule r -> Int = (\n");  // unused: not loaded
  write("p.mizan", "module p version \"1\"\nuse lib.a as a\nrule two -> Int = a.one_more()\n"
                   "test \"1 + 1\" at 2025-01-01 { expect two() == 2 }\n");
  set_path("lib1::lib2");  // the empty entry is skipped
  const Outcome check = savm("check p.mizan");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "ok: 3 files checked\n");  // p, lib.a, lib.b from lib1
  const Outcome test = savm("test p.mizan");
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  EXPECT_EQ(test.out.rfind("ok   p: 1 + 1\n1 test: 1 passed, 0 failed\n", 0), 0u) << test.out;
}

TEST_F(LibraryPath, ALibraryPackTheWorkspaceDeclaresIsNotLoaded) {
  std::filesystem::create_directories(dir_ / "lib");
  write("lib/b.mizan", "module lib.b version \"1\"\nrule one -> Int = 100\n");
  std::filesystem::create_directories(dir_ / "ws");
  write("ws/b.mizan", "module lib.b version \"1\"\nrule one -> Int = 1\n");
  write("ws/p.mizan", "module p version \"1\"\nuse lib.b as b\nrule two -> Int = b.one() + 1\n");
  set_path("lib");
  const Outcome eval = savm("eval ws p.two --law-date 2025-01-01");
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(eval.out, "2\n");
}

}  // namespace
}  // namespace savm::testing
