// The halting and slice verbs end to end through the real `savm` binary: an AE zone's screening
// hit halts the asset there, its exported slice halts it in a PK zone, an operator resumes it,
// and bad input exits 2 with its code and writes nothing.
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/savm_runner.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

constexpr const char* kAsset = "0x0000000000000000000000000000000000000000000000000000000000000005";

// "AE" as a jurisdiction word: 0x4145 then zeros, length 2 in the last byte, in decimal.
constexpr const char* kAeWord = "29522247605382023763007317939913425480961428432894717171253918017398383837186";

std::string hit(std::int64_t timestamp) {
  return std::string(R"({"asset_id":")") + kAsset + R"(","entry":"flag","args":[{"word":"5"},{"word":")" + kAeWord +
         R"("},0,12],"context":{"timestamp":)" + std::to_string(timestamp) + "}}";
}

class ZoneHaltCli : public SavmRunner {
 protected:
  void SetUp() override {
    SavmRunner::SetUp();
    write("flag.sasm", kFlagModule);
    ASSERT_EQ(savm("asm flag.sasm -o flag.savm").exit_code, 0);
    ASSERT_EQ(savm("keygen --out ae.key --public-out ae.pub").exit_code, 0);
    ASSERT_EQ(savm("zone init ae --jurisdiction AE --key ae.key").exit_code, 0);
    ASSERT_EQ(savm("zone init pk --jurisdiction PK --halt-on sanctions,aml").exit_code, 0);
    ASSERT_EQ(savm("zone install ae flag.savm").exit_code, 0);
    ASSERT_EQ(savm("zone install pk flag.savm").exit_code, 0);
  }
};

TEST_F(ZoneHaltCli, AScreeningHitHaltsTheAssetInBothZones) {
  write("hit.json", hit(1700000000));
  const Outcome run = savm("run ae hit.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Outcome status = savm(std::string("zone status ae --asset ") + kAsset);
  EXPECT_EQ(status.out.rfind(std::string("asset ") + kAsset + " halted, 1 halt record(s)\n  #0 halt ", 0), 0u) << status.out;
  EXPECT_NE(status.out.find(R"("kind":"trigger")"), std::string::npos);
  const Outcome refused = savm("run ae hit.json");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("error[zone.halted]"), std::string::npos) << refused.err;
  write("day.jsonl", hit(1700000001) + "\n" + hit(1700000002) + "\n");  // a batch reads the halt log once
  const Outcome batch = savm("run ae --batch day.jsonl");
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_EQ(batch.out, "");
  EXPECT_NE(batch.err.find("error[zone.halted]: line 1: "), std::string::npos) << batch.err;
  EXPECT_EQ(savm("chain verify ae").out, "ok chains verified: 1 receipts, 1 assets\n");  // nothing written

  const Outcome exported = savm(std::string("tensor ae --asset ") + kAsset + " --export");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  write("slice.json", exported.out);
  const Outcome imported = savm("zone import-slice pk slice.json --trust ae.pub");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("of AE for asset " + std::string(kAsset) + ": 1 cell(s)\n  #0 halt "), std::string::npos)
      << imported.out;
  EXPECT_NE(savm(std::string("zone status pk --asset ") + kAsset).out.find(" halted, 1 halt record(s)"), std::string::npos);

  const Outcome resumed = savm(std::string("zone resume pk --asset ") + kAsset + " --reason 'cleared by the MLRO'");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find(R"("reason":"cleared by the MLRO")"), std::string::npos);
  const Outcome again = savm(std::string("zone resume pk --asset ") + kAsset + " --reason again");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("error[zone.halt_state]"), std::string::npos);
  EXPECT_NE(savm(std::string("zone status pk --asset ") + kAsset).out.find(" active, 2 halt record(s)"), std::string::npos);
}

TEST_F(ZoneHaltCli, BadSlicesAndOptionsExitTwoWithTheirCodes) {
  write("hit.json", hit(1700000000));
  ASSERT_EQ(savm("run ae hit.json").exit_code, 0);
  write("slice.json", savm(std::string("tensor ae --asset ") + kAsset + " --export").out);
  std::string tampered = savm(std::string("tensor ae --asset ") + kAsset + " --export").out;
  tampered.replace(tampered.find("non_compliant"), 13, "compliant");
  write("tampered.json", tampered);
  const auto code = [&](const std::string& args) {
    const Outcome o = savm(args);
    const std::size_t at = o.err.find("error[");
    return std::to_string(o.exit_code) + " " + (at == std::string::npos ? o.err : o.err.substr(at, o.err.find(']', at) - at + 1));
  };
  EXPECT_EQ(code("zone import-slice pk tampered.json --trust ae.pub"), "2 error[slice.signature]");
  EXPECT_EQ(code("zone import-slice ae slice.json --trust ae.pub"), "2 error[slice.jurisdiction]");
  EXPECT_EQ(code(std::string("tensor pk --asset ") + kAsset + " --export"), "2 error[slice.unsigned]");
  EXPECT_EQ(code("zone init x --jurisdiction PK --halt-on sanctions,weather"), "2 error[zone.config]");
  EXPECT_EQ(code(std::string("zone halt pk --asset ") + kAsset + " --reason ''"), "2 error[zone.request]");
  EXPECT_EQ(savm(std::string("tensor pk --asset ") + kAsset).out.find("1 cells"), std::string::npos);  // nothing imported
}

}  // namespace
}  // namespace savm::testing
