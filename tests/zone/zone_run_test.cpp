// The transition executor against a real SQLite zone: what commits, what does not, and how
// receipts chain. Expected values are computed by hand in the comments (fee_transfer.sasm:
// fee = amount * 25 / 10000 rounded half-even; slot 1 -= amount + fee; slot 2 += amount).
#include <gtest/gtest.h>

#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"
#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"
#include "vm/crypto/digest.h"

namespace savm::testing {
namespace {

using runtime::Json;

vm::Word word(std::int64_t v) { return vm::Word::from_decimal(std::to_string(v)).value(); }

vm::Word asset_word(unsigned n) { return runtime::parse_id(asset_hex(n), runtime::IdForm::raw, "asset"); }

// Independent digest: SHA-256 of the receipt's canonical bytes without receipt_digest.
std::string recomputed_digest(const std::string& bytes) {
  Json body = runtime::parse_json(bytes);
  body.erase("receipt_digest");
  const std::string canonical = runtime::canonicalize(body).str();
  return vm::sha256(std::span(reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size())).hex();
}

TEST_F(ZoneTest, SuccessCommitsEffectsReceiptAndHead) {
  runtime::Zone& zone = installed_zone();
  const Json receipt = zone.run(transfer(1, 40000));
  EXPECT_EQ(receipt.at("outcome").at("status"), "success");
  EXPECT_EQ(receipt.at("return"), Json::array({"100"}));  // 40000 * 25 / 10000
  EXPECT_EQ(zone.store().storage_get(asset_word(1), word(1)), word(-40100));
  EXPECT_EQ(zone.store().storage_get(asset_word(1), word(2)), word(40000));
  const auto head = zone.store().chain_head(asset_word(1));
  EXPECT_EQ(head.height, 1u);
  EXPECT_EQ(head.head.hex(), receipt.at("receipt_digest"));
  EXPECT_EQ(receipt.at("prev_receipt_digest"), std::string(64, '0'));
  EXPECT_EQ(receipt.at("context").at("jurisdiction"), runtime::id_hex(runtime::parse_id("AE-ADGM", runtime::IdForm::short_string, "j")));
  const auto stored = zone.store().find_receipt(head.head);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->bytes, runtime::canonicalize(receipt).str());
  EXPECT_EQ(recomputed_digest(stored->bytes), head.head.hex());
}

// An entry without arguments has empty input bytes; they are stored as an empty blob (SQLite
// would bind an empty span as NULL) and replay.
TEST_F(ZoneTest, AnEntryWithoutArgumentsCommitsAndReplays) {
  runtime::Zone& zone = installed_zone();
  zone.install(vm::write_module(compiler::assemble(".func seven(0)->1 locals 0\n  PUSH 7\n  RETURN\n.export seven transition\n")));
  const Json receipt = zone.run(runtime::transition_request_from_json(
      Json{{"asset_id", asset_hex(4)}, {"entry", "seven"}, {"args", Json::array()}, {"context", {{"timestamp", 1}}}}));
  EXPECT_EQ(receipt.at("return"), Json::array({"7"}));
  EXPECT_EQ(sql_integer("SELECT length(input) FROM transitions"), 0);
  EXPECT_FALSE(runtime::replay_all(zone).failure);
}

TEST_F(ZoneTest, RevertAndOutOfGasLeaveNoEffectsButAdvanceTheChain) {
  runtime::Zone& zone = installed_zone();
  const Json first = zone.run(transfer(1, 40000));
  const Json reverted = zone.run(transfer(1, 0));  // amount > 0 fails: revert 1001
  EXPECT_EQ(reverted.at("outcome").at("status"), "revert");
  EXPECT_EQ(reverted.at("outcome").at("code"), "1001");
  auto starved = transfer(1, 500);
  starved.context["gas_limit"] = 10u;
  const Json out_of_gas = zone.run(starved);
  EXPECT_EQ(out_of_gas.at("outcome").at("status"), "out_of_gas");
  EXPECT_EQ(out_of_gas.at("gas_used"), 10);
  // Storage is still what the first transfer left; both failures are in the chain.
  EXPECT_EQ(zone.store().storage_get(asset_word(1), word(1)), word(-40100));
  EXPECT_EQ(zone.store().storage_get(asset_word(1), word(2)), word(40000));
  EXPECT_EQ(reverted.at("sequence"), 1);
  EXPECT_EQ(reverted.at("prev_receipt_digest"), first.at("receipt_digest"));
  EXPECT_EQ(out_of_gas.at("sequence"), 2);
  EXPECT_EQ(out_of_gas.at("prev_receipt_digest"), reverted.at("receipt_digest"));
  EXPECT_EQ(zone.store().chain_head(asset_word(1)).height, 3u);
  EXPECT_EQ(sql_integer("SELECT count(*) FROM receipts"), 3);
  EXPECT_EQ(sql_integer("SELECT count(*) FROM storage"), 2);
}

TEST_F(ZoneTest, ChainsArePerAsset) {
  runtime::Zone& zone = installed_zone();
  zone.run(transfer(1, 100));
  const Json other = zone.run(transfer(2, 100));
  EXPECT_EQ(other.at("sequence"), 0);
  EXPECT_EQ(zone.store().chain_head(asset_word(1)).height, 1u);
  EXPECT_EQ(zone.store().assets().size(), 2u);
}

TEST_F(ZoneTest, StateSurvivesReopen) {
  {
    runtime::Zone& zone = installed_zone();
    zone.run(transfer(7, 40000));
  }
  runtime::Zone& reopened = open_zone();  // modules come back from the content store
  const Json receipt = reopened.run(transfer(7, 40000));
  EXPECT_EQ(receipt.at("sequence"), 1);
  EXPECT_EQ(reopened.store().storage_get(asset_word(7), word(2)), word(80000));
}

TEST_F(ZoneTest, BadRequestsAreRejectedBeforeExecutionAndWriteNothing) {
  runtime::Zone& zone = installed_zone();
  zone.run(transfer(1, 40000));
  const std::string before = dump();
  EXPECT_EQ(error_code([&] { zone.run(runtime::parse_transition_request("{\"asset_id\":")); }), "mcf.syntax");
  EXPECT_EQ(error_code([&] { runtime::parse_transition_request("[1]"); }), "zone.request");
  EXPECT_EQ(error_code([&] { runtime::parse_transition_request(R"({"asset_id":"0x01","entry":"transfer"})"); }), "context.id");
  EXPECT_EQ(error_code([&] { runtime::parse_transition_request(R"({"entry":"transfer"})"); }), "zone.request");
  EXPECT_EQ(error_code([&] { runtime::parse_transition_request(R"({"asset_id":")" + asset_hex(1) + R"(","entry":"transfer","colour":1})"); }), "zone.request");
  EXPECT_EQ(error_code([&] {
              runtime::parse_transition_request(R"({"asset_id":")" + asset_hex(1) + R"(","entry":"transfer","context":{"sequence":5}})");
            }), "zone.request");
  auto unknown = transfer(1, 5);
  unknown.entry = "steal";
  EXPECT_EQ(error_code([&] { zone.run(unknown); }), "zone.entry");
  auto test_export = transfer(1, 5);
  test_export.entry = "fee_test";  // installed, but a test export is not a transition
  EXPECT_EQ(error_code([&] { zone.run(test_export); }), "zone.entry");
  auto bad_arg = transfer(1, 5);
  bad_arg.args = Json::array({"40000"});  // a bare string is not an ABI value
  EXPECT_EQ(error_code([&] { zone.run(bad_arg); }), "abi.value");
  auto bad_context = transfer(1, 5);
  bad_context.context["timestamp"] = "noon";
  EXPECT_EQ(error_code([&] { zone.run(bad_context); }), "context.field");
  auto foreign = transfer(1, 5);
  foreign.context["jurisdiction"] = "PK";
  EXPECT_EQ(error_code([&] { zone.run(foreign); }), "zone.jurisdiction");
  EXPECT_EQ(dump(), before);
}

TEST_F(ZoneTest, InstallIsIdempotentAndRefusesConflictingExports) {
  runtime::Zone& zone = installed_zone();
  const auto again = zone.install(fee_module_);
  EXPECT_EQ(again.digest, vm::module_digest(fee_module_));
  // Another module (different code) exporting `transfer` must not replace the pinned one.
  const auto impostor = vm::write_module(compiler::assemble(".func transfer(0)->0\n  HALT\n.export transfer transition\n"));
  const std::string before = dump();
  EXPECT_EQ(error_code([&] { zone.install(impostor); }), "zone.export_conflict");
  EXPECT_EQ(dump(), before);
  std::vector<std::uint8_t> garbage = {0, 'S', 'A', 'V', 'X'};
  EXPECT_EQ(error_code([&] { zone.install(garbage); }), "module.bad_magic");
  const auto lock = zone.store().lockfile();
  ASSERT_EQ(lock.size(), 3u);  // bump, fee_test, transfer (by name)
  EXPECT_EQ(lock[2].name, "transfer");
  EXPECT_EQ(lock[2].module, vm::module_digest(fee_module_));
}

TEST_F(ZoneTest, ContentStoreLayoutAndDigestCheck) {
  installed_zone();
  const auto digest = vm::module_digest(fee_module_);
  const auto path = dir_ / "cas" / "module" / (digest.hex() + ".savm");
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(slurp(path), std::string(fee_module_.begin(), fee_module_.end()));
  std::string bytes = slurp(path);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(path, std::ios::binary) << bytes;
  zone_.reset();
  runtime::Zone& reopened = open_zone();
  EXPECT_EQ(error_code([&] { reopened.run(transfer(1, 5)); }), "zone.cas_digest");
}

TEST_F(ZoneTest, SchemaVersionIsCheckedAndDurabilityIsSet) {
  open_zone();
  zone_.reset();
  EXPECT_EQ(sql_integer("PRAGMA user_version"), runtime::kZoneSchemaVersion);
  sqlite3* db = nullptr;
  sqlite3_open((dir_ / "zone.db").c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");  // persistent
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  sql("PRAGMA user_version = " + std::to_string(runtime::kZoneSchemaVersion + 1));  // newer than this build
  EXPECT_EQ(error_code([&] { runtime::Zone::open(dir_); }), "zone.schema");
  sql("PRAGMA user_version = 1; PRAGMA application_id = 7");
  EXPECT_EQ(error_code([&] { runtime::Zone::open(dir_); }), "zone.schema");
  EXPECT_EQ(error_code([&] { runtime::Zone::init(dir_, runtime::ZoneConfig{"PK"}); }), "zone.exists");
  EXPECT_EQ(error_code([&] { runtime::Zone::open(dir_ / "nowhere"); }), "zone.not_a_zone");
  EXPECT_EQ(error_code([&] { runtime::Zone::init(dir_ / "z2", runtime::ZoneConfig{std::string(40, 'x')}); }), "context.id");
}

}  // namespace
}  // namespace savm::testing
