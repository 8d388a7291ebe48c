// Asset halting and cross-zone tensor slices in real zones (SQLite on disk): the halt-on trigger
// halts in the commit that writes the cell, a halted asset writes nothing, operator halt/resume
// are chained records, and a slice exported by one zone is verified, imported and read (with
// meet and expiry) by a transition in another. Expected records and digests are written out here.
#include <gtest/gtest.h>

#include <string>

#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/proof.h"
#include "runtime/tensor_slice.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_halt.h"
#include "runtime/zone_tensor.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;
using vm::ComplianceState;

// flag (tests/zone/zone_fixture.h) and screened(target, foreign): the meet of the sanctions cells
// of target in this zone's jurisdiction and in `foreign`, as the transition reads them (expiry
// applied).
const std::string kSanctionsModule = std::string(kFlagModule) + R"(
.func screened(0)->1
  PUSH 0
  INPUT_LOAD
  JURISDICTION
  PUSH 2
  TENSOR_GET
  PUSH 0
  INPUT_LOAD
  PUSH 32
  INPUT_LOAD
  PUSH 2
  TENSOR_GET
  MIN
  RETURN
.export screened transition
)";

Json word_arg(const vm::Word& w) { return Json{{"word", w.to_decimal()}}; }

vm::Word jurisdiction(const std::string& name) { return runtime::parse_id(name, runtime::IdForm::short_string, "test"); }

runtime::TransitionRequest flag(unsigned asset, const std::string& j, ComplianceState state, std::int64_t evidence,
                                std::int64_t timestamp = 1700000000) {
  return runtime::transition_request_from_json(Json{
      {"asset_id", asset_hex(asset)},
      {"entry", "flag"},
      {"args", Json::array({word_arg(vm::Word::from_u64(asset)), word_arg(jurisdiction(j)), static_cast<int>(state), evidence})},
      {"context", {{"caller", "screening-desk"}, {"timestamp", timestamp}}}});
}

runtime::TransitionRequest screened(unsigned asset, const std::string& foreign, std::int64_t timestamp) {
  return runtime::transition_request_from_json(Json{
      {"asset_id", asset_hex(asset)},
      {"entry", "screened"},
      {"args", Json::array({word_arg(vm::Word::from_u64(asset)), word_arg(jurisdiction(foreign))})},
      {"context", {{"caller", "payments"}, {"timestamp", timestamp}}}});
}

std::string returned(const Json& receipt) {
  if (receipt.at("outcome").at("status") != "success") return receipt.dump();
  return receipt.at("return").at(0).get<std::string>();
}

class ZoneHaltTest : public ZoneTest {
 protected:
  void SetUp() override {
    ZoneTest::SetUp();
    sanctions_module_ = vm::write_module(compiler::assemble(kSanctionsModule));
  }
  void TearDown() override {
    pk_.reset();
    std::filesystem::remove_all(pk_dir());
    ZoneTest::TearDown();
  }

  runtime::Zone& sanctions_zone() {
    runtime::Zone& zone = installed_zone();
    zone.install(sanctions_module_);
    return zone;
  }
  // The AE-ADGM zone signing with key(7), and the exporting side of a corridor.
  runtime::Zone& signed_zone() {
    runtime::Zone& zone = reinit(runtime::SigningPolicy::checkpoint, 64);
    zone.install(sanctions_module_);
    return zone;
  }
  std::filesystem::path pk_dir() const { return dir_.string() + ".pk"; }
  // A second, unsigned zone in PK: the importing side.
  runtime::Zone& pk_zone() {
    std::filesystem::remove_all(pk_dir());
    runtime::Zone::init(pk_dir(), runtime::ZoneConfig{"PK"});
    pk_ = runtime::Zone::open(pk_dir());
    pk_->install(sanctions_module_);
    return *pk_;
  }

  std::vector<std::uint8_t> sanctions_module_;
  std::unique_ptr<runtime::Zone> pk_;
};

TEST_F(ZoneHaltTest, TheHaltOnTriggerHaltsTheAssetInTheCommitThatWritesTheCell) {
  runtime::Zone& zone = sanctions_zone();
  const Json clear = zone.run(flag(5, "AE-ADGM", ComplianceState::compliant, 11));
  ASSERT_EQ(clear.at("outcome").at("status"), "success") << clear.dump();
  EXPECT_FALSE(zone.store().halted(vm::Word::from_u64(5)));

  const Json hit = zone.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12));
  ASSERT_EQ(hit.at("outcome").at("status"), "success") << hit.dump();
  EXPECT_TRUE(zone.store().halted(vm::Word::from_u64(5)));
  const auto log = zone.store().halt_log(std::nullopt);
  ASSERT_EQ(log.size(), 1u);
  // The record by hand: the second receipt (commit_index 2) caused it.
  const std::string expected =
      std::string(R"({"action":"halt","after_commit":2,"asset_id":")") + asset_hex(5) +
      R"(","cause":{"cell":{"domain":"sanctions","jurisdiction":")" + runtime::id_hex(jurisdiction("AE-ADGM")) +
      R"(","state":"non_compliant"},"kind":"trigger","receipt":")" + hit.at("receipt_digest").get<std::string>() +
      R"("},"format_version":1,"jurisdiction":"AE-ADGM","prev":")" + std::string(64, '0') +
      R"(","sequence":0,"type":"SAVMHaltRecord"})";
  EXPECT_EQ(log[0].bytes, expected);
  EXPECT_EQ(log[0].digest, vm::sha256(expected));
  EXPECT_EQ(log[0].action, runtime::HaltAction::halt);
  EXPECT_EQ(runtime::halt_log_problem(log), std::nullopt);
}

TEST_F(ZoneHaltTest, AHaltThatCannotBeWrittenRollsBackItsReceipt) {
  runtime::Zone& zone = sanctions_zone();
  sql("CREATE TRIGGER broken_disk BEFORE INSERT ON halt_log BEGIN SELECT RAISE(ABORT, 'disk'); END;");
  const std::string before = dump();
  EXPECT_EQ(error_code([&] { zone.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12)); }), "zone.db");
  EXPECT_EQ(dump(), before);  // no receipt, no cell without its halt
  EXPECT_FALSE(zone.store().halted(vm::Word::from_u64(5)));
}

TEST_F(ZoneHaltTest, OnlyHaltOnDomainsAndSuccessfulWritesHalt) {
  // A zone that halts on aml only: a sanctions failure does not halt.
  std::filesystem::remove_all(dir_);
  runtime::ZoneConfig config("AE-ADGM");
  config.halt_on = runtime::parse_halt_on("aml");
  runtime::Zone::init(dir_, config);
  runtime::Zone& zone = sanctions_zone();
  EXPECT_EQ(zone.config().halt_on, std::vector<vm::Domain>{vm::Domain::aml});
  zone.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12));
  EXPECT_FALSE(zone.store().halted(vm::Word::from_u64(5)));
  EXPECT_EQ(error_code([] { runtime::parse_halt_on("sanctions,weather"); }), "zone.config");
  EXPECT_EQ(runtime::parse_halt_on("").size(), 0u);
  EXPECT_EQ(runtime::halt_on_text(runtime::parse_halt_on("aml,sanctions,aml")), "aml,sanctions");
}

TEST_F(ZoneHaltTest, AVersion2ZoneGainsTheHaltAndSliceTablesWhenOpened) {
  downgrade_to_version2();
  runtime::Zone& zone = sanctions_zone();
  EXPECT_EQ(sql_integer("PRAGMA user_version"), runtime::kZoneSchemaVersion);
  EXPECT_EQ(zone.config().halt_on, std::vector<vm::Domain>{vm::Domain::sanctions});  // the default
  zone.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12));
  EXPECT_TRUE(zone.store().halted(vm::Word::from_u64(5)));
}

TEST_F(ZoneHaltTest, AHaltedAssetIsRefusedBeforeExecutionAndNothingIsWritten) {
  runtime::Zone& zone = sanctions_zone();
  zone.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12));
  const std::string before = dump();
  const auto log_before = zone.store().halt_log(std::nullopt).size();
  EXPECT_EQ(error_code([&] { zone.run(transfer(5, 10)); }), "zone.halted");
  EXPECT_EQ(error_code([&] { zone.prepare(flag(5, "AE-ADGM", ComplianceState::compliant, 13)); }), "zone.halted");
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(zone.store().halt_log(std::nullopt).size(), log_before);
  EXPECT_EQ(zone.run(transfer(6, 10)).at("outcome").at("status"), "success");  // other assets run
}

TEST_F(ZoneHaltTest, OperatorHaltAndResumeAreChainedRecords) {
  runtime::Zone& zone = sanctions_zone();
  const vm::Word asset = vm::Word::from_u64(7);
  zone.run(transfer(7, 10));
  const runtime::HaltRecord halt = zone.set_halted(asset, runtime::HaltAction::halt, "court order 12/2026");
  EXPECT_EQ(error_code([&] { zone.run(transfer(7, 10)); }), "zone.halted");
  EXPECT_EQ(error_code([&] { zone.set_halted(asset, runtime::HaltAction::halt, "again"); }), "zone.halt_state");
  const runtime::HaltRecord resume = zone.set_halted(asset, runtime::HaltAction::resume, "order lifted");
  EXPECT_EQ(error_code([&] { zone.set_halted(asset, runtime::HaltAction::resume, "again"); }), "zone.halt_state");
  EXPECT_EQ(zone.run(transfer(7, 10)).at("outcome").at("status"), "success");

  EXPECT_EQ(halt.bytes, std::string(R"({"action":"halt","after_commit":1,"asset_id":")") + asset_hex(7) +
                            R"(","cause":{"kind":"operator","reason":"court order 12/2026"},"format_version":1,)"
                            R"("jurisdiction":"AE-ADGM","prev":")" + std::string(64, '0') +
                            R"(","sequence":0,"type":"SAVMHaltRecord"})");
  EXPECT_EQ(resume.sequence, 1u);
  EXPECT_NE(resume.bytes.find("\"prev\":\"" + halt.digest.hex() + "\""), std::string::npos);
  EXPECT_EQ(runtime::halt_log_problem(zone.store().halt_log(std::nullopt)), std::nullopt);

  // A resumed asset halts again on a new failing write; an edited record breaks the chain.
  zone.run(flag(7, "AE-ADGM", ComplianceState::non_compliant, 12));
  EXPECT_TRUE(zone.store().halted(asset));
  sql("UPDATE halt_log SET bytes = replace(bytes, 'court order', 'court 0rder') WHERE sequence = 0");
  const auto problem = runtime::halt_log_problem(zone.store().halt_log(std::nullopt));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("halt record 0"), std::string::npos) << *problem;
}

TEST_F(ZoneHaltTest, AHaltSincePrepareIsRefusedByTheCommitAndNothingIsWritten) {
  runtime::Zone& zone = sanctions_zone();
  const runtime::PreparedTransition prepared = zone.prepare(transfer(5, 10));
  zone.set_halted(vm::Word::from_u64(5), runtime::HaltAction::halt, "court order");
  const std::string before = dump();
  EXPECT_EQ(error_code([&] { zone.run(prepared); }), "zone.halted");
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(zone.store().chain_head(vm::Word::from_u64(5)).height, 0u);
}

TEST_F(ZoneHaltTest, ABatchIsCheckedAgainstTheLatestHaltActionOfEachAsset) {
  runtime::Zone& zone = sanctions_zone();
  zone.set_halted(vm::Word::from_u64(3), runtime::HaltAction::halt, "inquiry");
  zone.set_halted(vm::Word::from_u64(4), runtime::HaltAction::halt, "inquiry");
  zone.set_halted(vm::Word::from_u64(3), runtime::HaltAction::resume, "closed");
  zone.set_halted(vm::Word::from_u64(9), runtime::HaltAction::halt, "inquiry");
  EXPECT_EQ(zone.store().halted_assets(), (std::vector<vm::Word>{vm::Word::from_u64(4), vm::Word::from_u64(9)}));

  EXPECT_EQ(zone.run_batch(std::vector{transfer(3, 10), transfer(5, 10)}, runtime::GroupPolicy{}).size(), 2u);
  const std::string before = dump();
  // Every request is prepared before the first one runs: a halted asset anywhere stops the batch.
  for (const unsigned halted : {4u, 9u}) {
    EXPECT_EQ(error_code([&] { zone.run_batch(std::vector{transfer(3, 11), transfer(halted, 11)}, runtime::GroupPolicy{}); }),
              "zone.halted");
  }
  EXPECT_EQ(dump(), before);
}

TEST_F(ZoneHaltTest, AnExportedSliceIsImportedAndReadWithMeetByAnotherZone) {
  runtime::Zone& ae = signed_zone();
  ae.run(flag(5, "AE-ADGM", ComplianceState::compliant, 11, 1700000100));
  const runtime::ZoneSigner signer(ae.config());
  const Json slice = runtime::export_slice(ae.store(), ae.config(), signer, vm::Word::from_u64(5));
  const std::string cell = std::string(R"({"as_of":1700000100,"domain":"sanctions","evidence":")") +
                           std::string(62, '0') + R"(0b","expires":0,"state":"compliant"})";
  Json unsigned_slice = slice;
  unsigned_slice.erase("proof");
  EXPECT_EQ(runtime::canonicalize(unsigned_slice).str(),
            std::string(R"({"asset_id":")") + asset_hex(5) + R"(","cells":[)" + cell + R"(],"commitment":")" +
                runtime::tensor_commitment(ae.store()).hex() +  // the zone holds only this cell
                R"(","format_version":1,"issued_at":1700000100,"jurisdiction":"AE-ADGM","type":"SAVMTensorSlice"})");
  EXPECT_EQ(slice.at("proof").at("verificationMethod"), "savm:ed25519:" + key(7).public_key().hex());

  runtime::Zone& pk = pk_zone();
  const runtime::VerifiedSlice verified = runtime::verify_slice(slice, key(7).public_key(), "PK");
  EXPECT_EQ(verified.digest, vm::sha256(runtime::canonicalize(unsigned_slice).view()));
  EXPECT_TRUE(pk.import_slice(verified).empty());
  const auto foreign = pk.store().tensor_get(vm::TensorKey{vm::Word::from_u64(5), jurisdiction("AE-ADGM"), vm::Domain::sanctions});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->state, ComplianceState::compliant);
  EXPECT_EQ(foreign->evidence, verified.digest);
  EXPECT_EQ(foreign->as_of, 1700000100);

  // PK's own cell is exempt (3): meet(exempt, compliant) = exempt; no PK cell: meet(pending, compliant) = pending.
  EXPECT_EQ(returned(pk.run(screened(5, "AE-ADGM", 1700000200))), "1");
  pk.run(flag(5, "PK", ComplianceState::exempt, 21, 1700000300));
  EXPECT_EQ(returned(pk.run(screened(5, "AE-ADGM", 1700000400))), "3");

  // The foreign cell belongs to the AE zone: a PK transition may not write it.
  EXPECT_EQ(error_code([&] { pk.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 22, 1700000500)); }),
            "zone.foreign_cell");
  EXPECT_EQ(pk.store().chain_head(vm::Word::from_u64(5)).height, 3u);  // nothing was written
  EXPECT_EQ(runtime::replay_all(pk).failure, std::nullopt);  // the import replays in commit order
  EXPECT_TRUE(pk.import_slice(verified).empty());           // re-importing is a no-op
  EXPECT_EQ(pk.store().imported_slices().size(), 1u);
}

TEST_F(ZoneHaltTest, ABadSliceIsRejectedNamingWhyAndWritesNothing) {
  runtime::Zone& ae = signed_zone();
  ae.run(flag(5, "AE-ADGM", ComplianceState::compliant, 11, 1700000100));
  const runtime::ZoneSigner signer(ae.config());
  const Json slice = runtime::export_slice(ae.store(), ae.config(), signer, vm::Word::from_u64(5));
  runtime::Zone& pk = pk_zone();
  const auto rejected = [&](const Json& document, const runtime::PublicKey& trusted, const std::string& own) {
    try {
      runtime::verify_slice(document, trusted, own);
    } catch (const runtime::Error& e) {
      return e.code() + " " + e.what();
    }
    return std::string("accepted");
  };
  Json one_byte = slice;
  one_byte["cells"][0]["evidence"] = std::string(62, '0') + "0c";
  EXPECT_EQ(rejected(one_byte, key(7).public_key(), "PK").rfind("slice.signature $.proof: proof.signature", 0), 0u);
  EXPECT_EQ(rejected(slice, key(8).public_key(), "PK").rfind("slice.signature $.proof: signed by", 0), 0u);
  Json recommitted = slice;
  recommitted.erase("proof");
  recommitted["commitment"] = std::string(64, 'a');
  recommitted = runtime::sign_document(recommitted, key(7), "2023-11-14T22:15:00Z");
  EXPECT_EQ(rejected(recommitted, key(7).public_key(), "PK").rfind("slice.commitment $.commitment: aaaa", 0), 0u);
  EXPECT_EQ(rejected(slice, key(7).public_key(), "AE-ADGM").rfind("slice.jurisdiction", 0), 0u);
  Json shapeless = slice;
  shapeless["cells"][0]["domain"] = "weather";
  EXPECT_EQ(rejected(shapeless, key(7).public_key(), "PK").rfind("slice.field $.cells[0].domain", 0), 0u);
  EXPECT_EQ(error_code([&] { runtime::export_slice(pk.store(), pk.config(), runtime::ZoneSigner(pk.config()), vm::Word::from_u64(5)); }),
            "slice.unsigned");

  // An older slice after a newer one is stale, and the store is unchanged.
  pk.import_slice(runtime::verify_slice(slice, key(7).public_key(), "PK"));
  ae.run(flag(5, "AE-ADGM", ComplianceState::exempt, 12, 1700000200));
  const Json newer = runtime::export_slice(ae.store(), ae.config(), signer, vm::Word::from_u64(5));
  pk.import_slice(runtime::verify_slice(newer, key(7).public_key(), "PK"));
  const auto rows = pk.store().tensor_rows();
  EXPECT_EQ(error_code([&] { pk.import_slice(runtime::verify_slice(slice, key(7).public_key(), "PK")); }), "slice.stale");
  EXPECT_EQ(pk.store().tensor_rows(), rows);
  EXPECT_EQ(rows.at(0).second.state, ComplianceState::exempt);
}

TEST_F(ZoneHaltTest, AnImportedCellKeepsItsExpiryAndAForeignSanctionsHitHaltsTheAsset) {
  runtime::Zone& ae = signed_zone();
  ae.run(flag(5, "AE-ADGM", ComplianceState::compliant, 11, 1700000100));
  sql("UPDATE tensor SET expires = 1700000500");  // an attestation valid until 1700000500
  const runtime::ZoneSigner signer(ae.config());
  const Json slice = runtime::export_slice(ae.store(), ae.config(), signer, vm::Word::from_u64(5));
  EXPECT_EQ(slice.at("cells").at(0).at("expires"), 1700000500);
  runtime::Zone& pk = pk_zone();
  pk.import_slice(runtime::verify_slice(slice, key(7).public_key(), "PK"));
  pk.run(flag(5, "PK", ComplianceState::compliant, 21, 1700000200));
  EXPECT_EQ(returned(pk.run(screened(5, "AE-ADGM", 1700000499))), "4");  // both compliant
  EXPECT_EQ(returned(pk.run(screened(5, "AE-ADGM", 1700000500))), "1");  // expired: pending, never compliant

  // A later AE screening hit arrives by slice: the PK asset halts in the import's transaction.
  ae.run(flag(5, "AE-ADGM", ComplianceState::non_compliant, 12, 1700000600));
  EXPECT_TRUE(ae.store().halted(vm::Word::from_u64(5)));
  const Json hit = runtime::export_slice(ae.store(), ae.config(), signer, vm::Word::from_u64(5));
  const runtime::VerifiedSlice verified = runtime::verify_slice(hit, key(7).public_key(), "PK");
  const auto halts = pk.import_slice(verified);
  ASSERT_EQ(halts.size(), 1u);
  EXPECT_NE(halts[0].bytes.find(R"("kind":"slice","slice":")" + verified.digest.hex()), std::string::npos);
  EXPECT_NE(halts[0].bytes.find(R"("after_commit":3)"), std::string::npos);
  EXPECT_EQ(error_code([&] { pk.run(screened(5, "AE-ADGM", 1700000700)); }), "zone.halted");
  EXPECT_EQ(runtime::replay_all(pk).failure, std::nullopt);
}

}  // namespace
}  // namespace savm::testing
