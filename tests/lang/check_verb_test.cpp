// `savm check` end to end: exit codes, the rendered diagnostics on stderr, directories walked in
// sorted order (docs/cli.md).
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/cli/savm_runner.h"

namespace {

using savm::testing::SavmRunner;

constexpr const char* kClean = "lawpack pk.t \"T\" jurisdiction pk version \"1\"\nrule r -> Int = 1\n";

class CheckVerb : public SavmRunner {};

TEST_F(CheckVerb, CleanFileExitsZero) {
  write("a.mizan", kClean);
  const auto r = savm("check a.mizan");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: 1 file checked\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CheckVerb, ErrorsGoToStderrAndExitTwo) {
  write("bad.mizan", "lawpack pk.t \"T\" jurisdiction pk version \"1\"\nrule r -> Int = 1 # 2\n");
  const auto r = savm("check bad.mizan");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "bad.mizan:2:19: error[M0004]: unexpected character '#'\n"
            " 2 | rule r -> Int = 1 # 2\n"
            "   |                   ^\n"
            "savm check: 1 error in 1 of 1 file\n");
}

TEST_F(CheckVerb, DirectoryIsWalkedInSortedOrder) {
  std::filesystem::create_directories(dir_ / "pack/sub");
  write("pack/b.mizan", "rule x -> Int = 1\n");
  write("pack/sub/a.mizan", kClean);
  write("pack/a.mizan", "module m\nrule r -> Int = (\n");
  write("pack/notes.txt", "not Mizan");
  const auto r = savm("check pack");
  EXPECT_EQ(r.exit_code, 2);
  const std::size_t a = r.err.find("pack/a.mizan:3:1: error[M0001]");
  const std::size_t b = r.err.find("pack/b.mizan:1:1: error[M0009]");
  EXPECT_NE(a, std::string::npos) << r.err;
  EXPECT_NE(b, std::string::npos) << r.err;
  EXPECT_LT(a, b);
  EXPECT_NE(r.err.find("savm check: 2 errors in 2 of 3 files\n"), std::string::npos) << r.err;
}

TEST_F(CheckVerb, MissingPathAndEmptyDirectory) {
  const auto missing = savm("check nowhere.mizan");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "savm: error[io.read]: nowhere.mizan: cannot open file\n");
  std::filesystem::create_directories(dir_ / "empty");
  const auto empty = savm("check empty");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(empty.err, "savm: error[io.read]: empty: no .mizan files in this directory\n");
}

// The UAE packs are real packs the checker accepts whole (packs/pk too since its opt-in
// threshold table is keyed on its option: tests/cli/build_verb_test.cpp builds it). examples/mizan is a syntax showcase: it parses
// (ast_test) but uses features the checker does not support yet.
TEST_F(CheckVerb, UaePacksAreClean) {
  const auto r = savm("check '" SAVM_SOURCE_DIR "/packs/ae'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: 3 files checked\n");
}

TEST_F(CheckVerb, SyntaxShowcaseGetsCheckerDiagnostics) {
  const auto r = savm("check '" SAVM_SOURCE_DIR "/examples/mizan'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error[M0102]: no pack pk.fbr.wht in this workspace"), std::string::npos) << r.err;
}

}  // namespace
