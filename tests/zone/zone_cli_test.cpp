// The zone verbs end to end through the real `savm` binary: exit codes, output and files.
#include <gtest/gtest.h>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {

constexpr const char* kAsset1 = "0x0000000000000000000000000000000000000000000000000000000000000001";

std::string request(const std::string& amount_json, const char* asset = kAsset1) {
  return std::string(R"({"asset_id":")") + asset + R"(","entry":"transfer","args":[)" + amount_json +
         R"(],"context":{"timestamp":1700000000}})";
}

class ZoneCli : public SavmRunner {
 protected:
  void SetUp() override {
    SavmRunner::SetUp();
    ASSERT_EQ(savm("asm '" SAVM_SOURCE_DIR "/examples/asm/fee_transfer.sasm' -o fee.savm").exit_code, 0);
    ASSERT_EQ(savm("zone init z --jurisdiction AE-ADGM").exit_code, 0);
    const Outcome installed = savm("zone install z fee.savm");
    ASSERT_EQ(installed.exit_code, 0) << installed.err;
    EXPECT_NE(installed.out.find("export transfer transition"), std::string::npos);
  }
};

TEST_F(ZoneCli, RunVerifyReplay) {
  write("t.json", request("40000"));
  const Outcome run = savm("run z t.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(R"("return":["100"])"), std::string::npos);
  const std::size_t at = run.out.find(R"("receipt_digest":")");
  ASSERT_NE(at, std::string::npos);
  const std::string digest = run.out.substr(at + 18, 64);

  write("b.jsonl", request("1") + "\n\n" + request("0") + "\n" + request("2") + "\n");
  const Outcome batch = savm("run z --batch b.jsonl");
  EXPECT_EQ(batch.exit_code, 1);  // the middle one reverts
  EXPECT_EQ(std::count(batch.out.begin(), batch.out.end(), '\n'), 3);
  EXPECT_NE(batch.out.find(R"("sequence":3)"), std::string::npos);

  const Outcome verify = savm(std::string("chain verify z --asset ") + kAsset1);
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out, "ok chains verified: 4 receipts, 1 assets\n");
  const Outcome replay = savm("replay z " + digest);
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_EQ(savm("replay z --all").exit_code, 0);
}

TEST_F(ZoneCli, BadInputExitsTwoAndWritesNothing) {
  write("ok.json", request("5"));
  ASSERT_EQ(savm("run z ok.json").exit_code, 0);
  write("b.jsonl", request("1") + "\n" + R"({"asset_id":")" + kAsset1 + R"(","entry":"nope"})" + "\n");
  const Outcome batch = savm("run z --batch b.jsonl");
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_EQ(batch.out, "");
  EXPECT_NE(batch.err.find("error[zone.entry]: line 2:"), std::string::npos) << batch.err;
  write("bad.json", "{\"asset_id\":");
  EXPECT_NE(savm("run z bad.json").err.find("error[mcf.syntax]"), std::string::npos);
  EXPECT_EQ(savm("chain verify z").out, "ok chains verified: 1 receipts, 1 assets\n");  // nothing ran

  const std::string unknown_asset = "0x" + std::string(64, 'a');
  const Outcome verify = savm("chain verify z --asset " + unknown_asset);
  EXPECT_EQ(verify.exit_code, 2);
  EXPECT_NE(verify.err.find("error[zone.unknown_asset]"), std::string::npos);
  const Outcome replay = savm("replay z " + std::string(64, 'b'));
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_NE(replay.err.find("error[zone.unknown_receipt]"), std::string::npos);
  EXPECT_NE(savm("zone init z --jurisdiction PK").err.find("error[zone.exists]"), std::string::npos);
  EXPECT_NE(savm("run nowhere ok.json").err.find("error[zone.not_a_zone]"), std::string::npos);
}

}  // namespace
}  // namespace savm::testing
