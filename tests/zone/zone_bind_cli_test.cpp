// `savm zone bind` end to end through the real binary: a good list is bound and reported, a bad
// one is refused with its path and binds nothing.
#include <gtest/gtest.h>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {

class ZoneBindCli : public SavmRunner {
 protected:
  void SetUp() override {
    SavmRunner::SetUp();
    ASSERT_EQ(savm("zone init z --jurisdiction PK").exit_code, 0);
  }
};

TEST_F(ZoneBindCli, BindsTheReferenceListAndRefusesABadOne) {
  const Outcome bound = savm("zone bind z --sanctions '" SAVM_SHARED_DIR "/reference/sanctions-sample.json'");
  ASSERT_EQ(bound.exit_code, 0) << bound.err;
  EXPECT_EQ(bound.out.rfind("bound sanctions sha256:", 0), 0u) << bound.out;
  EXPECT_NE(bound.out.find("(40 entries)"), std::string::npos) << bound.out;

  write("bad.json", R"({"entries":[{"list":"x","reference":null,"primary_name":"A","aliases":[1]}]})");
  const Outcome bad = savm("zone bind z --sanctions bad.json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("error[regpack.sanctions]: $.entries[0].aliases[0]: must be a string"), std::string::npos)
      << bad.err;
  const Outcome digest = savm("digest '" SAVM_SHARED_DIR "/reference/sanctions-sample.json'");
  // The digest bound is the list's canonical digest, as `savm digest` prints it.
  EXPECT_NE(bound.out.find(digest.out.substr(0, 64)), std::string::npos);
}

}  // namespace
}  // namespace savm::testing
