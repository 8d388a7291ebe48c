// `savm fmt` end to end (docs/cli.md): printing one file, --check listing what is not formatted,
// --write rewriting only what changes, parse errors leaving every file alone, and the checked-in
// packs and examples being formatted.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "tests/cli/savm_runner.h"

namespace {

using savm::testing::SavmRunner;

constexpr const char* kMessy = "module m rule r(a:Int)->Int=a+1\n";
constexpr const char* kTidy = "module m\n\nrule r(a: Int) -> Int\n  = a + 1\n";

class FmtVerb : public SavmRunner {};

TEST_F(FmtVerb, PrintsOneFileFormatted) {
  write("a.mizan", kMessy);
  const auto r = savm("fmt a.mizan");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kTidy);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(read("a.mizan"), kMessy);  // printing never writes
}

TEST_F(FmtVerb, CheckListsUnformattedFilesAndExitsOne) {
  std::filesystem::create_directories(dir_ / "p/sub");
  write("p/sub/b.mizan", kMessy);
  write("p/a.mizan", kTidy);
  write("p/c.mizan", kMessy);
  const auto r = savm("fmt --check p");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "p/c.mizan\np/sub/b.mizan\n");
  EXPECT_EQ(read("p/c.mizan"), kMessy);
  write("p/c.mizan", kTidy);
  write("p/sub/b.mizan", kTidy);
  const auto clean = savm("fmt --check p");
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST_F(FmtVerb, WriteRewritesOnlyFilesThatChange) {
  std::filesystem::create_directories(dir_ / "p");
  write("p/a.mizan", kTidy);
  write("p/b.mizan", kMessy);
  const auto old_time = std::filesystem::file_time_type::clock::now() - std::chrono::hours(24);
  std::filesystem::last_write_time(dir_ / "p/a.mizan", old_time);
  const auto r = savm("fmt --write p");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "p/b.mizan\n");
  EXPECT_EQ(read("p/b.mizan"), kTidy);
  EXPECT_EQ(read("p/a.mizan"), kTidy);
  EXPECT_EQ(std::filesystem::last_write_time(dir_ / "p/a.mizan"), old_time);
  EXPECT_FALSE(exists("p/b.mizan.fmt.tmp"));
  write("p/c.mizan", kMessy);
  const auto owner_only = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
  std::filesystem::permissions(dir_ / "p/c.mizan", owner_only);
  EXPECT_EQ(savm("fmt --write p").out, "p/c.mizan\n");
  EXPECT_EQ(read("p/c.mizan"), kTidy);
  EXPECT_EQ(std::filesystem::status(dir_ / "p/c.mizan").permissions(), owner_only);
  EXPECT_EQ(savm("fmt --check p").exit_code, 0);
}

TEST_F(FmtVerb, ParseErrorsGiveDiagnosticsAndWriteNothing) {
  std::filesystem::create_directories(dir_ / "p");
  write("p/a.mizan", "module m\nrule r -> Int = 1 +\n");
  write("p/b.mizan", kMessy);
  const auto r = savm("fmt --write p");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("p/a.mizan:3:1: error[M0001]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("savm fmt: 1 error in 1 of 2 files; nothing formatted\n"), std::string::npos) << r.err;
  EXPECT_EQ(read("p/b.mizan"), kMessy);
  const auto one = savm("fmt p/a.mizan");
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_EQ(one.out, "");
}

TEST_F(FmtVerb, UsageAndMissingFiles) {
  EXPECT_EQ(savm("fmt --check --write a.mizan").exit_code, 2);
  const auto missing = savm("fmt nowhere.mizan");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "savm: error[io.read]: nowhere.mizan: cannot open file\n");
  std::filesystem::create_directories(dir_ / "p");
  write("p/a.mizan", kTidy);
  const auto dir = savm("fmt p");
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_EQ(dir.err, "savm: error[fmt.usage]: p: a directory is formatted with --check or --write, not printed\n");
}

TEST_F(FmtVerb, CheckedInPacksAndExamplesAreFormatted) {
  const auto packs = savm("fmt --check '" SAVM_SOURCE_DIR "/packs'");
  EXPECT_EQ(packs.exit_code, 0) << packs.out << packs.err;
  const auto examples = savm("fmt --check '" SAVM_SOURCE_DIR "/examples/mizan'");
  EXPECT_EQ(examples.exit_code, 0) << examples.out << examples.err;
}

}  // namespace
