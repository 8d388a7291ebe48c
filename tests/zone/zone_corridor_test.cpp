// Corridor chains inside a zone (runtime/zone_corridor.h) against a real SQLite zone: corridor
// transitions build a MEZ chain the standalone corridor verifier accepts, only successful
// transitions append, unknown corridors are refused before execution, export -> receive moves
// the chain to the counterparty zone, tampering is named, proofs pass `savm mmr verify`, and a
// version 2 zone migrates. Oracles: the documented genesis root (docs/formats.md), hand-written
// canonical payloads, the standalone verifier and the `savm` binary.
#include <gtest/gtest.h>

#include <thread>

#include "runtime/corridor_verify.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_corridor.h"
#include "runtime/zone_corridor_audit.h"
#include "tests/cli/savm_runner.h"
#include "tests/zone/zone_fixture.h"
#include "vm/crypto/digest.h"

namespace savm::testing {
namespace {

// docs/formats.md "Genesis root": test-corridor-001, definition 11×32, agreement 22×32,
// lawpacks [aa×32], rulesets [bb×32].
constexpr const char* kCorridor = "test-corridor-001";
constexpr const char* kGenesisRoot = "3d79bb9c504bdf938b6d501527a40eb91b03da7f46b931dbfd5acbe474d6889f";

runtime::Json genesis() {
  return runtime::Json{{"corridor_id", kCorridor},
                       {"definition_payload_sha256", std::string(64, '1')},
                       {"agreement_set_sha256", std::string(64, '2')},
                       {"lawpack_digest_set", runtime::Json::array({std::string(64, 'a')})},
                       {"ruleset_digest_set", runtime::Json::array({std::string(64, 'b')})}};
}

// transfer() of the fixture, on the corridor.
runtime::TransitionRequest corridor_transfer(unsigned asset, std::int64_t amount, std::int64_t timestamp = 1700000000) {
  runtime::TransitionRequest r = transfer(asset, amount, timestamp);
  r.context["corridor"] = kCorridor;
  return r;
}

std::vector<runtime::Json> lines(const std::string& jsonl) {
  std::vector<runtime::Json> out;
  for (const auto record : runtime::jsonl_records(jsonl)) out.push_back(runtime::parse_json(record));
  return out;
}

class ZoneCorridorTest : public ZoneTest {
 protected:
  runtime::Zone& corridor_zone(runtime::SigningPolicy signing, std::uint64_t every) {
    runtime::Zone& zone = reinit(signing, every);
    EXPECT_EQ(zone.open_corridor(genesis()).hex(), kGenesisRoot);
    return zone;
  }
  std::int64_t corridor_height() const {
    return sql_integer("SELECT count(*) FROM corridor_receipts");
  }
  // A second zone directory (the counterparty), removed with the test.
  std::filesystem::path peer_dir() const { return dir_.string() + ".peer"; }
  void TearDown() override {
    std::filesystem::remove_all(peer_dir());
    ZoneTest::TearDown();
  }
};

TEST_F(ZoneCorridorTest, TransitionsBuildASignedChainTheCorridorVerifierAccepts) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::every, 2);
  std::vector<runtime::Json> executions;
  for (unsigned i = 0; i < 5; ++i) executions.push_back(zone.run(corridor_transfer(1 + i % 2, 10 + i)));
  const std::vector<runtime::Json> chain = lines(runtime::export_corridor(zone.store(), kCorridor));
  ASSERT_EQ(chain.size(), 5u);

  const runtime::SignaturePolicy zone_key{.require_signatures = true, .authorized = {key(7).public_key()}};
  const auto verified = runtime::verify_chain(
      runtime::ChainStart{.genesis_root = *runtime::Digest::from_hex(kGenesisRoot)}, chain, zone_key);
  ASSERT_TRUE(verified.ok()) << verified.failure->reason;
  EXPECT_EQ(verified.chain->height(), 5u);

  const runtime::Json& first = chain[0];
  EXPECT_EQ(first["prev_root"], kGenesisRoot);
  EXPECT_EQ(first["timestamp"], "2023-11-14T22:13:20Z");  // 1700000000 by hand
  const std::string module = executions[0]["module_digest"].get<std::string>();
  EXPECT_EQ(first["lawpack_digest_set"], runtime::Json::parse(R"([{"artifact_type":"module","digest_sha256":")" + module + R"("}])"));
  const runtime::Json& envelope = first["transition"];
  EXPECT_EQ(envelope["type"], "MSEZTransitionEnvelope");
  EXPECT_EQ(envelope["kind"], "savm.zone.transition.v1");
  const std::string receipt = executions[0]["receipt_digest"].get<std::string>();
  // The canonical payload written out by hand: keys sorted, no spaces.
  const std::string payload = R"({"asset_id":")" + asset_hex(1) + R"(","entry":"transfer","execution_receipt_digest":")" +
                              receipt + R"(","module_digest":")" + module + R"("})";
  EXPECT_EQ(envelope["payload"], runtime::Json::parse(payload));
  EXPECT_EQ(envelope["payload_sha256"], vm::sha256(payload).hex());

  // A checkpoint after receipts 2 and 4, each signed by the zone and equal to the verifier's.
  const auto checkpoints = zone.store().corridor_checkpoints(kCorridor);
  ASSERT_EQ(checkpoints.size(), 2u);
  EXPECT_EQ(checkpoints[1].receipt_count, 4u);
  const auto second = runtime::CorridorCheckpoint::from_json(runtime::parse_json(checkpoints[1].bytes));
  ASSERT_TRUE(second.proof);
  const std::vector<runtime::Json> four(chain.begin(), chain.begin() + 4);
  const auto prefix = runtime::verify_chain(runtime::ChainStart{.genesis_root = *runtime::Digest::from_hex(kGenesisRoot)}, four);
  EXPECT_EQ(prefix.chain->checkpoint(second.timestamp).digest(), second.digest());

  const runtime::AuditReport audit = runtime::verify_corridor(zone.store(), kCorridor);
  EXPECT_FALSE(audit.failure) << audit.failure->message;
  EXPECT_FALSE(runtime::verify_chains(zone.store(), std::nullopt).failure);
}

TEST_F(ZoneCorridorTest, RevertedTransitionKeepsItsExecutionReceiptButAppendsNoCorridorReceipt) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 64);
  zone.run(corridor_transfer(1, 5));
  const runtime::Json reverted = zone.run(corridor_transfer(1, 0));  // fee_transfer reverts on amount <= 0
  EXPECT_EQ(reverted["outcome"]["status"], "revert");
  EXPECT_EQ(zone.store().chain_head(runtime::parse_id(asset_hex(1), runtime::IdForm::raw, "a")).height, 2u);
  EXPECT_EQ(corridor_height(), 1);
  zone.run(corridor_transfer(1, 6));
  EXPECT_EQ(corridor_height(), 2);
  EXPECT_FALSE(runtime::verify_corridor(zone.store(), kCorridor).failure);
}

TEST_F(ZoneCorridorTest, UnknownCorridorIsRejectedBeforeExecutionWithNothingWritten) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 64);
  zone.run(corridor_transfer(1, 5));
  const std::string before = dump();
  runtime::TransitionRequest elsewhere = transfer(1, 7);
  elsewhere.context["corridor"] = "pk-ae";
  EXPECT_EQ(error_code([&] { zone.run(elsewhere); }), "zone.corridor");
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(corridor_height(), 1);
  // A transition on no corridor appends nothing to it.
  zone.run(transfer(1, 7));
  EXPECT_EQ(corridor_height(), 1);
  // Opening the same corridor again is a no-op; the same id with another genesis is refused.
  EXPECT_EQ(zone.open_corridor(genesis()).hex(), kGenesisRoot);
  runtime::Json other = genesis();
  other["agreement_set_sha256"] = std::string(64, '3');
  EXPECT_EQ(error_code([&] { zone.open_corridor(other); }), "zone.corridor_exists");
  EXPECT_EQ(error_code([&] { runtime::export_corridor(zone.store(), "pk-ae"); }), "zone.corridor");
}

TEST_F(ZoneCorridorTest, TheCorridorReceiptCommitsInTheExecutionReceiptsTransaction) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 64);
  zone.run(corridor_transfer(1, 5));
  // A stray row where the next corridor receipt goes: its insert fails inside the commit.
  sql("INSERT INTO corridor_receipts(corridor, sequence, next_root, receipt, bytes) "
      "VALUES('test-corridor-001', 1, '" + std::string(64, '0') + "', '', x'7b7d')");
  const std::string before = dump();
  EXPECT_EQ(error_code([&] { zone.run(corridor_transfer(1, 6)); }), "zone.db");
  EXPECT_EQ(dump(), before);  // no execution receipt, no effect, no chain head moved
  EXPECT_EQ(zone.store().corridor(kCorridor)->height, 1u);
}

TEST_F(ZoneCorridorTest, ReceivedChainHasTheSameHeadAndVerifies) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::every, 2);
  for (unsigned i = 0; i < 3; ++i) zone.run(corridor_transfer(1, 10 + i));
  const std::string exported = runtime::export_corridor(zone.store(), kCorridor);

  runtime::write_key_file(other_key_file(), key(9));
  runtime::ZoneConfig config("PK");
  config.signing = runtime::SigningPolicy::checkpoint;
  config.checkpoint_every = 2;
  config.key_path = other_key_file().string();
  runtime::Zone::init(peer_dir(), config);
  auto peer = runtime::Zone::open(peer_dir());
  peer->open_corridor(genesis());
  // Trusting another key than the signer's: refused, nothing appended.
  const runtime::SignaturePolicy wrong{.require_signatures = true, .authorized = {key(9).public_key()}};
  EXPECT_EQ(error_code([&] { peer->receive_corridor(exported, wrong); }), "chain.signature");
  EXPECT_EQ(peer->store().corridor(kCorridor)->height, 0u);

  const runtime::SignaturePolicy trusted{.require_signatures = true, .authorized = {key(7).public_key()}};
  EXPECT_EQ(peer->receive_corridor(exported, trusted), 3u);
  EXPECT_EQ(peer->store().corridor(kCorridor)->head, zone.store().corridor(kCorridor)->head);
  EXPECT_EQ(runtime::export_corridor(peer->store(), kCorridor), exported);
  const runtime::AuditReport audit = runtime::verify_corridor(peer->store(), kCorridor);
  EXPECT_FALSE(audit.failure) << audit.failure->message;
  EXPECT_EQ(audit.receipts, 3u);
  EXPECT_EQ(peer->receive_corridor(exported, trusted), 0u);  // nothing new

  // The tail arrives later: only the new receipts are appended.
  zone.run(corridor_transfer(2, 20));
  EXPECT_EQ(peer->receive_corridor(runtime::export_corridor(zone.store(), kCorridor), trusted), 1u);
  EXPECT_EQ(peer->store().corridor_checkpoints(kCorridor).size(), 2u);
  EXPECT_FALSE(runtime::verify_corridor(peer->store(), kCorridor).failure);

  // The other way: the peer transacts on the corridor (receipt 4), the first zone receives it.
  peer->install(fee_module_);
  peer->run(corridor_transfer(3, 30));
  EXPECT_EQ(zone.receive_corridor(runtime::export_corridor(peer->store(), kCorridor), {}), 1u);
  EXPECT_EQ(zone.store().corridor(kCorridor)->head, peer->store().corridor(kCorridor)->head);
  const runtime::AuditReport both = runtime::verify_corridor(zone.store(), kCorridor);
  EXPECT_FALSE(both.failure) << both.failure->message;
  EXPECT_EQ(both.receipts, 5u);
}

TEST_F(ZoneCorridorTest, ForkedOrForeignChainsAreRefusedWholly) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 64);
  for (unsigned i = 0; i < 2; ++i) zone.run(corridor_transfer(1, 10 + i));
  const std::string exported = runtime::export_corridor(zone.store(), kCorridor);

  // The peer ran its own transition on the corridor first: the chains fork at sequence 0.
  runtime::Zone::init(peer_dir(), runtime::ZoneConfig{"AE-ADGM"});
  auto peer = runtime::Zone::open(peer_dir());
  peer->install(fee_module_);
  peer->open_corridor(genesis());
  peer->run(corridor_transfer(1, 99));
  EXPECT_EQ(error_code([&] { peer->receive_corridor(exported, {}); }), "zone.corridor_fork");
  EXPECT_EQ(peer->store().corridor(kCorridor)->height, 1u);

  // A corridor of the same id opened from another genesis: receipt 0 does not link.
  std::filesystem::remove_all(peer_dir());
  runtime::Zone::init(peer_dir(), runtime::ZoneConfig{"PK"});
  peer = runtime::Zone::open(peer_dir());
  runtime::Json other = genesis();
  other["ruleset_digest_set"] = runtime::Json::array();
  peer->open_corridor(other);
  EXPECT_EQ(error_code([&] { peer->receive_corridor(exported, {}); }), "chain.link");
  EXPECT_EQ(peer->store().corridor(kCorridor)->height, 0u);
}

TEST_F(ZoneCorridorTest, TamperingWithOneByteIsNamedByReceipt) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 64);
  for (unsigned i = 0; i < 4; ++i) zone.run(corridor_transfer(1, 10 + i));
  ASSERT_FALSE(runtime::verify_corridor(zone.store(), kCorridor).failure);
  // One byte of receipt 2: "transfer" -> "transfes".
  sql("UPDATE corridor_receipts SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"entry\":\"transfer\"', "
      "'\"entry\":\"transfes\"') AS BLOB) WHERE sequence = 2");
  const runtime::AuditReport audit = runtime::verify_corridor(zone.store(), kCorridor);
  ASSERT_TRUE(audit.failure);
  EXPECT_EQ(audit.failure->code, "chain.commit");
  EXPECT_EQ(audit.failure->sequence, 2u);
  EXPECT_NE(audit.failure->message.find("receipt 2:"), std::string::npos) << audit.failure->message;
}

TEST_F(ZoneCorridorTest, ReplayOfACorridorTransitionReproducesItsExecutionReceipt) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::every, 2);
  zone.run(corridor_transfer(1, 5));
  const runtime::Json receipt = zone.run(corridor_transfer(2, 6));
  const runtime::AuditReport one =
      runtime::replay_receipt(zone, *runtime::Digest::from_hex(receipt["receipt_digest"].get<std::string>()));
  EXPECT_FALSE(one.failure) << one.failure->message;
  EXPECT_FALSE(runtime::replay_all(zone).failure);
}

TEST_F(ZoneCorridorTest, AssetsTransactingInParallelShareOneCorridorChain) {
  runtime::Zone& zone = corridor_zone(runtime::SigningPolicy::none, 4);
  std::vector<std::thread> threads;
  for (unsigned asset = 1; asset <= 3; ++asset) {
    threads.emplace_back([&zone, asset] {
      for (int i = 0; i < 6; ++i) zone.run(corridor_transfer(asset, 1 + i));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(zone.store().corridor(kCorridor)->height, 18u);
  const runtime::AuditReport audit = runtime::verify_corridor(zone.store(), kCorridor);
  EXPECT_FALSE(audit.failure) << audit.failure->message;
  EXPECT_EQ(zone.store().corridor_checkpoints(kCorridor).size(), 4u);
}

TEST_F(ZoneCorridorTest, AVersion2ZoneIsMigratedInOneStep) {
  runtime::Zone& zone = installed_zone();
  const runtime::Json before = zone.run(transfer(1, 5));
  zone_.reset();
  downgrade_to_version2();
  runtime::Zone& migrated = open_zone();
  EXPECT_EQ(sql_integer("PRAGMA user_version"), 3);
  EXPECT_EQ(sql_integer("SELECT count(*) FROM corridors"), 0);
  EXPECT_FALSE(runtime::verify_chains(migrated.store(), std::nullopt).failure);
  migrated.open_corridor(genesis());
  migrated.run(corridor_transfer(1, 6));
  EXPECT_EQ(corridor_height(), 1);
}

// Through the `savm` binary: the verbs, `savm corridor verify` on the export, and a proof that
// `savm mmr verify` accepts against the checkpoint root the standalone verifier computes.
class ZoneCorridorCli : public SavmRunner {};

TEST_F(ZoneCorridorCli, OpenRunExportVerifyProveTamper) {
  ASSERT_EQ(savm("asm '" SAVM_SOURCE_DIR "/examples/asm/fee_transfer.sasm' -o fee.savm").exit_code, 0);
  ASSERT_EQ(savm("zone init z --jurisdiction PK --checkpoint-every 2").exit_code, 0);
  ASSERT_EQ(savm("zone install z fee.savm").exit_code, 0);
  write("g.json", genesis().dump());
  const Outcome opened = savm("zone corridor open z g.json");
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(trim(opened.out), kGenesisRoot);
  std::string batch;
  for (int amount = 1; amount <= 5; ++amount) {
    batch += R"({"asset_id":")" + asset_hex(1) + R"(","entry":"transfer","args":[)" + std::to_string(amount) +
             R"(],"context":{"timestamp":1700000000,"corridor":"test-corridor-001"}})" "\n";
  }
  write("b.jsonl", batch);
  ASSERT_EQ(savm("run z --batch b.jsonl").exit_code, 0);
  write("unknown.json", R"({"asset_id":")" + asset_hex(1) +
                            R"(","entry":"transfer","args":[1],"context":{"corridor":"pk-ae"}})");
  const Outcome unknown = savm("run z unknown.json");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("error[zone.corridor]"), std::string::npos) << unknown.err;

  const Outcome exported = savm("zone corridor export z --corridor test-corridor-001");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  write("chain.jsonl", exported.out);
  EXPECT_EQ(savm(std::string("corridor verify --genesis ") + kGenesisRoot + " chain.jsonl").exit_code, 0);
  const Outcome verify = savm("chain verify z --corridor test-corridor-001");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(verify.out, "ok corridor test-corridor-001 verified: 5 receipts\n");

  // Receipt 1 against the latest checkpoint (4 receipts), whose root the standalone verifier gives.
  const Outcome proof = savm("chain prove z --corridor test-corridor-001 --sequence 1");
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  write("proof.json", proof.out);
  const std::vector<runtime::Json> chain = lines(exported.out);
  std::string first_four;
  for (int i = 0; i < 4; ++i) first_four += chain[static_cast<std::size_t>(i)].dump() + "\n";
  write("four.jsonl", first_four);
  const Outcome checkpoint = savm(std::string("corridor verify --genesis ") + kGenesisRoot + " four.jsonl");
  ASSERT_EQ(checkpoint.exit_code, 0) << checkpoint.err;
  const std::string root = runtime::parse_json(checkpoint.out)["mmr"]["root"].get<std::string>();
  const std::string next_root = chain[1]["next_root"].get<std::string>();
  const Outcome checked = savm("mmr verify proof.json --root " + root + " --next-root " + next_root);
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_EQ(savm("mmr verify proof.json --root " + root + " --next-root " + chain[2]["next_root"].get<std::string>())
                .exit_code,
            1);
  EXPECT_EQ(savm("chain prove z --corridor test-corridor-001 --sequence 4").exit_code, 2);  // not checkpointed yet
  const Outcome neither = savm("chain prove z --sequence 1");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("error[zone.request]"), std::string::npos) << neither.err;
  EXPECT_NE(savm("chain verify z --corridor test-corridor-001 --asset " + asset_hex(1)).err.find("error[zone.request]"),
            std::string::npos);
  const Outcome nowhere = savm("zone corridor export z --corridor pk-ae");
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_NE(nowhere.err.find("error[zone.corridor]"), std::string::npos) << nowhere.err;

  // The counterparty zone receives the export.
  ASSERT_EQ(savm("zone init peer --jurisdiction AE").exit_code, 0);
  ASSERT_EQ(savm("zone corridor open peer g.json").exit_code, 0);
  const Outcome received = savm("zone corridor receive peer chain.jsonl");
  EXPECT_EQ(received.exit_code, 0) << received.err;
  EXPECT_EQ(received.out, "received 5 receipts\n");
  EXPECT_EQ(savm("zone corridor export peer --corridor test-corridor-001").out, exported.out);

  // One byte of stored receipt 3: chain verify names it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "z" / "zone.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE corridor_receipts SET bytes = CAST(replace(CAST(bytes AS TEXT), "
                             "'\"sequence\":3', '\"sequence\":8') AS BLOB) WHERE sequence = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const Outcome tampered = savm("chain verify z --corridor test-corridor-001");
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.out.find("receipt 3:"), std::string::npos) << tampered.out;
  EXPECT_NE(tampered.out.find("[chain.sequence]"), std::string::npos) << tampered.out;
}

}  // namespace
}  // namespace savm::testing
