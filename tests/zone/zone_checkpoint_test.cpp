// Per-asset receipt MMRs, checkpoints and the signing policy, on a real SQLite zone. Expected MMR
// roots are folded by hand from SHA-256 here (FORMATS.md leaf/node rules), not by runtime::Mmr;
// signatures are checked with runtime::verify_document and the key the test chose.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/proof.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_inclusion.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::SigningPolicy;

vm::Digest sha(const std::string& bytes) { return vm::sha256(bytes); }
std::string raw(const vm::Digest& d) { return std::string(d.bytes().begin(), d.bytes().end()); }
// Appends rather than `"\x01" + string`, which g++ 12 misreports under -Wrestrict.
vm::Digest tagged(char tag, const std::string& a, const std::string& b = "") {
  std::string bytes(1, tag);
  bytes += a;
  bytes += b;
  return sha(bytes);
}
vm::Digest leaf(const vm::Digest& receipt) { return tagged('\0', raw(receipt)); }
vm::Digest node(const vm::Digest& l, const vm::Digest& r) { return tagged('\x01', raw(l), raw(r)); }

vm::Digest digest_of_receipt(const runtime::Json& receipt) {
  return vm::Digest::from_hex(receipt.at("receipt_digest").get<std::string>()).value();
}

class ZoneCheckpointTest : public ZoneTest {
 protected:
  // Runs `n` transfers on asset 1 and returns their receipt digests.
  std::vector<vm::Digest> run_transfers(runtime::Zone& zone, unsigned n) {
    std::vector<vm::Digest> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(digest_of_receipt(zone.run(transfer(1, 10 + i, 1700000000 + i))));
    return out;
  }
  // Overwrites one column of one row with `bytes`, as an attacker with the file would.
  void set_bytes(const std::string& update, const std::string& bytes) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "zone.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, update.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_bind_blob(stmt, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  runtime::AuditReport verify() { return runtime::verify_chains(zone_->store(), std::nullopt); }
};

TEST_F(ZoneCheckpointTest, ACheckpointEveryNReceiptsCommitsToTheReceiptDigests) {
  runtime::Zone& zone = reinit(SigningPolicy::none, 3);
  const std::vector<vm::Digest> d = run_transfers(zone, 7);
  const auto checkpoints = zone.store().checkpoints(vm::Word::from_u64(1));
  ASSERT_EQ(checkpoints.size(), 2u);
  EXPECT_EQ(checkpoints[0].receipt_count, 3u);
  EXPECT_EQ(checkpoints[1].receipt_count, 6u);

  // 3 leaves: peaks (height 1: node(l0, l1)), (height 0: l2); root = node(peak1, peak0).
  const vm::Digest peak1 = node(leaf(d[0]), leaf(d[1]));
  const runtime::Json cp = runtime::parse_json(checkpoints[0].bytes);
  EXPECT_EQ(cp.at("type"), "SAVMZoneCheckpoint");
  EXPECT_EQ(cp.at("head"), d[2].hex());
  EXPECT_EQ(cp.at("timestamp"), 1700000002);
  EXPECT_EQ(cp.at("jurisdiction"), "AE-ADGM");
  EXPECT_EQ(cp.at("mmr").at("root"), node(peak1, leaf(d[2])).hex());
  EXPECT_EQ(cp.at("mmr").at("peaks")[0].at("hash"), peak1.hex());
  EXPECT_FALSE(cp.contains("proof"));
  // checkpoint_digest: the document without proof and mmr.peaks.
  runtime::Json payload = cp;
  payload["mmr"].erase("peaks");
  EXPECT_EQ(checkpoints[0].digest, runtime::digest_of(runtime::canonicalize(payload)));

  // 6 leaves: peaks (height 2: node(node(l0,l1), node(l2,l3))), (height 1: node(l4, l5)).
  const vm::Digest peak2 = node(peak1, node(leaf(d[2]), leaf(d[3])));
  EXPECT_EQ(runtime::parse_json(checkpoints[1].bytes).at("mmr").at("root"),
            node(peak2, node(leaf(d[4]), leaf(d[5]))).hex());
  // The chain head keeps the MMR of all 7: peaks of heights 2, 1, 0.
  const auto head = zone.store().chain_head(vm::Word::from_u64(1));
  ASSERT_EQ(head.peaks.size(), 3u);
  EXPECT_EQ(head.peaks[2].hash, leaf(d[6]));
  EXPECT_FALSE(verify().failure);
}

TEST_F(ZoneCheckpointTest, SignEverySignsReceiptsAndCheckpointsWithTheZoneKey) {
  runtime::Zone& zone = reinit(SigningPolicy::every, 2);
  const runtime::Json receipt = zone.run(transfer(1, 5, 1700000000));
  const runtime::DocumentVerification v = runtime::verify_document(receipt);
  ASSERT_TRUE(v.verified());
  EXPECT_EQ(*v.proofs[0].signer, key(7).public_key());
  EXPECT_EQ(receipt.at("proof").at("created"), "2023-11-14T22:13:20Z");  // 1700000000, by hand
  // The receipt digest does not cover the proof: it is the unsigned receipt's.
  EXPECT_EQ(digest_of_receipt(receipt), runtime::receipt_digest(receipt));
  zone.run(transfer(1, 6, 1700000001));
  const auto checkpoints = zone.store().checkpoints(vm::Word::from_u64(1));
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_TRUE(runtime::verify_document(runtime::parse_json(checkpoints[0].bytes)).verified());
  EXPECT_FALSE(verify().failure);
  const auto replay = runtime::replay_all(zone);  // the stored proof does not break replay
  EXPECT_FALSE(replay.failure) << replay.failure->message;
}

TEST_F(ZoneCheckpointTest, SignCheckpointLeavesReceiptsUnsigned) {
  runtime::Zone& zone = reinit(SigningPolicy::checkpoint, 2);
  EXPECT_FALSE(zone.run(transfer(1, 5)).contains("proof"));
  EXPECT_FALSE(zone.run(transfer(1, 6)).contains("proof"));
  const auto checkpoints = zone.store().checkpoints(vm::Word::from_u64(1));
  ASSERT_EQ(checkpoints.size(), 1u);
  const auto v = runtime::verify_document(runtime::parse_json(checkpoints[0].bytes));
  ASSERT_TRUE(v.verified());
  EXPECT_EQ(*v.proofs[0].signer, key(7).public_key());
  EXPECT_FALSE(verify().failure);
}

TEST_F(ZoneCheckpointTest, ATamperedReceiptSignatureIsNamed) {
  runtime::Zone& zone = reinit(SigningPolicy::every, 4);
  const std::vector<vm::Digest> d = run_transfers(zone, 3);
  std::string bytes = zone.store().find_receipt(d[1])->bytes;
  const std::size_t jws = bytes.find("..") + 2;  // the signature part of the detached JWS
  bytes[jws] = bytes[jws] == 'A' ? 'B' : 'A';
  set_bytes("UPDATE receipts SET bytes = ? WHERE sequence = 1", bytes);
  const auto report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.signature");
  EXPECT_EQ(report.failure->receipt, d[1]);
  EXPECT_NE(report.failure->message.find("proof.signature"), std::string::npos) << report.failure->message;
}

TEST_F(ZoneCheckpointTest, AnUnsignedReceiptInASignEveryZoneIsNamed) {
  runtime::Zone& zone = reinit(SigningPolicy::every, 4);
  const std::vector<vm::Digest> d = run_transfers(zone, 2);
  runtime::Json stripped = runtime::parse_json(zone.store().find_receipt(d[0])->bytes);
  stripped.erase("proof");
  set_bytes("UPDATE receipts SET bytes = ? WHERE sequence = 0", runtime::canonicalize(stripped).str());
  const auto report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.signature");
  EXPECT_EQ(report.failure->receipt, d[0]);
}

TEST_F(ZoneCheckpointTest, ACheckpointSignedByAnotherKeyIsNamed) {
  runtime::Zone& zone = reinit(SigningPolicy::checkpoint, 2);
  run_transfers(zone, 2);
  const auto stored = zone.store().checkpoints(vm::Word::from_u64(1)).at(0);
  runtime::Json document = runtime::parse_json(stored.bytes);
  document.erase("proof");
  const runtime::Json forged = runtime::sign_document(document, key(9), "2023-11-14T22:13:21Z");
  set_bytes("UPDATE checkpoints SET bytes = ? WHERE receipt_count = 2", runtime::canonicalize(forged).str());
  const auto report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.signature");
  EXPECT_EQ(report.failure->receipt, stored.digest);
  EXPECT_NE(report.failure->message.find("not by the zone key " + key(7).public_key().hex()), std::string::npos)
      << report.failure->message;
}

TEST_F(ZoneCheckpointTest, AChangedByteOfACheckpointIsNamed) {
  runtime::Zone& zone = reinit(SigningPolicy::none, 2);
  run_transfers(zone, 4);
  const auto stored = zone.store().checkpoints(vm::Word::from_u64(1)).at(1);
  // 4 receipts: one peak of height 2, whose hash is the root; "peaks" sorts before "root".
  const std::string root = runtime::parse_json(stored.bytes).at("mmr").at("root");
  const auto flipped = [&](std::size_t at) {
    std::string bytes = stored.bytes;
    bytes[at] = bytes[at] == '0' ? '1' : '0';
    return bytes;
  };
  // A peak is not covered by the digest, but must still be the chain's.
  set_bytes("UPDATE checkpoints SET bytes = ? WHERE receipt_count = 4", flipped(stored.bytes.find(root)));
  auto report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.mmr");
  EXPECT_EQ(report.failure->receipt, stored.digest);

  // The root is: the digest column no longer matches.
  const std::string bytes = flipped(stored.bytes.rfind(root));
  set_bytes("UPDATE checkpoints SET bytes = ? WHERE receipt_count = 4", bytes);
  report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "zone.checkpoint");
  EXPECT_EQ(report.failure->receipt, stored.digest);
  EXPECT_NE(report.failure->message.find("checkpoint " + stored.digest.hex()), std::string::npos);

  // The same edit with a consistent digest column: now the root itself is wrong.
  runtime::Json payload = runtime::parse_json(bytes);
  payload["mmr"].erase("peaks");
  sql("UPDATE checkpoints SET digest = '" + runtime::digest_of(runtime::canonicalize(payload)).hex() +
      "' WHERE receipt_count = 4");
  report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.mmr");
  EXPECT_EQ(report.failure->sequence, 4u);
}

TEST_F(ZoneCheckpointTest, AMissingCheckpointOrMmrHeadIsNamed) {
  runtime::Zone& zone = reinit(SigningPolicy::none, 2);
  const std::vector<vm::Digest> d = run_transfers(zone, 5);
  sql("UPDATE chains SET mmr = substr(mmr, 1, 33)");  // 5 receipts: keep the height-2 peak, drop the leaf
  auto report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "chain.mmr");
  sql("DELETE FROM checkpoints WHERE receipt_count = 2");
  report = verify();
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "zone.checkpoint");
  EXPECT_EQ(report.failure->receipt, d[1]);  // the receipt after which one is due
}

TEST_F(ZoneCheckpointTest, ProveAReceiptAgainstTheLatestCheckpoint) {
  runtime::Zone& zone = reinit(SigningPolicy::none, 4);
  const std::vector<vm::Digest> d = run_transfers(zone, 10);
  const runtime::MmrProof proof = runtime::prove_receipt(zone.store(), vm::Word::from_u64(1), 5);
  EXPECT_TRUE(runtime::verify_inclusion(proof));
  EXPECT_EQ(proof.size, 8u);
  EXPECT_EQ(proof.receipt_next_root, d[5]);
  // The 8-leaf root by hand: one perfect tree.
  const auto pair = [&](int i) { return node(leaf(d[i]), leaf(d[i + 1])); };
  EXPECT_EQ(proof.root, node(node(pair(0), pair(2)), node(pair(4), pair(6))));
  EXPECT_EQ(runtime::parse_json(zone.store().checkpoints(vm::Word::from_u64(1)).back().bytes).at("mmr").at("root"),
            proof.root.hex());
  EXPECT_EQ(error_code([&] { runtime::prove_receipt(zone.store(), vm::Word::from_u64(1), 8); }), "zone.not_checkpointed");
  EXPECT_EQ(error_code([&] { runtime::prove_receipt(zone.store(), vm::Word::from_u64(1), 10); }), "zone.unknown_receipt");
  EXPECT_EQ(error_code([&] { runtime::prove_receipt(zone.store(), vm::Word::from_u64(2), 0); }), "zone.unknown_asset");
}

TEST_F(ZoneCheckpointTest, InitRefusesAnIncoherentSigningPolicy) {
  const auto init = [&](SigningPolicy signing, std::uint64_t every, const std::string& key_path) {
    runtime::ZoneConfig config("PK");
    config.signing = signing;
    config.checkpoint_every = every;
    config.key_path = key_path;
    return error_code([&] { runtime::Zone::init(dir_ / "other", config); });
  };
  runtime::write_key_file(key_file(), key(7));
  EXPECT_EQ(init(SigningPolicy::none, 0, ""), "zone.config");
  EXPECT_EQ(init(SigningPolicy::every, 4, ""), "zone.config");
  EXPECT_EQ(init(SigningPolicy::none, 4, key_file().string()), "zone.config");
  EXPECT_EQ(init(SigningPolicy::every, 4, (dir_ / "absent.key").string()), "zone.key");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "other" / "zone.db"));
}

TEST_F(ZoneCheckpointTest, OpenRefusesAKeyThatIsNotTheZones) {
  reinit(SigningPolicy::every, 4);
  zone_.reset();
  std::filesystem::remove(key_file());
  runtime::write_key_file(key_file(), key(9));
  EXPECT_EQ(error_code([&] { runtime::Zone::open(dir_); }), "zone.key");
  std::filesystem::remove(key_file());
  EXPECT_EQ(error_code([&] { runtime::Zone::open(dir_); }), "zone.key");
}

TEST_F(ZoneCheckpointTest, ASchemaVersion1ZoneIsRefusedWithAClearError) {
  sql("PRAGMA user_version=1");
  try {
    runtime::Zone::open(dir_);
    FAIL() << "opened a version 1 zone";
  } catch (const runtime::Error& e) {
    EXPECT_EQ(e.code(), "zone.schema");
    EXPECT_NE(std::string(e.what()).find("schema version 1 predates receipt MMRs"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace savm::testing
