// Group commit (runtime/zone_group_commit.h) against real SQLite: the same stream committed per
// transition and in groups gives byte-identical receipts and databases; a group whose transaction
// fails acknowledges nothing and stores nothing; a transition that fails alone ends the batch
// exactly as it would with a durable commit per transition; two threads batching into shared
// groups stay serializable.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <thread>

#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;

// Transfers on three assets (every fifth amount 0: a revert) and bumps of one shared tensor cell.
std::vector<runtime::TransitionRequest> mixed_stream(unsigned n) {
  std::vector<runtime::TransitionRequest> out;
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(i % 4 == 3 ? bump(1 + i % 3, 9, i) : transfer(1 + i % 3, i % 5 == 4 ? 0 : 100 + i, 1700000000 + i));
  }
  return out;
}

std::vector<runtime::TransitionRequest> transfers(unsigned asset, unsigned n) {
  std::vector<runtime::TransitionRequest> out;
  for (unsigned i = 0; i < n; ++i) out.push_back(transfer(asset, 1000 + i, 1700000000 + i));
  return out;
}

std::string text(const Json& receipt) { return std::string(runtime::canonicalize(receipt).view()); }

// A batch receipt's bytes are canonical, and its digest and status are the ones those bytes hold.
std::string text(const runtime::ZoneReceipt& receipt) {
  const Json tree = receipt.json();
  EXPECT_EQ(text(tree), receipt.bytes);
  EXPECT_EQ(tree.at("receipt_digest"), receipt.digest.hex());
  EXPECT_EQ(tree.at("outcome").at("status") == "success", receipt.status == vm::Status::success);
  return receipt.bytes;
}

class ZoneGroupTest : public ZoneTest {
 protected:
  // Runs `stream` in one run_batch of `group`; returns the indices acknowledged, in order.
  std::vector<std::size_t> batch(const std::vector<runtime::TransitionRequest>& stream, std::size_t group) {
    std::vector<std::size_t> acknowledged;
    zone_->run_batch(stream, runtime::GroupPolicy{group},
                     [&](std::size_t i, const runtime::ZoneReceipt&) { acknowledged.push_back(i); });
    return acknowledged;
  }
  std::uint64_t height(unsigned asset) const {
    return zone_->store().chain_head(runtime::parse_id(asset_hex(asset), runtime::IdForm::raw, "a")).height;
  }
};

TEST_F(ZoneGroupTest, GroupsGiveByteIdenticalReceiptsAndDatabaseToPerTransitionCommit) {
  const auto stream = mixed_stream(23);
  reinit(runtime::SigningPolicy::every, 3);
  std::vector<std::string> alone;
  for (const auto& request : stream) alone.push_back(text(zone_->run(request)));
  const std::string alone_db = dump();

  reinit(runtime::SigningPolicy::every, 3);
  std::vector<std::string> grouped;
  std::vector<std::size_t> order;
  zone_->run_batch(stream, runtime::GroupPolicy{5}, [&](std::size_t i, const runtime::ZoneReceipt& receipt) {
    order.push_back(i);
    grouped.push_back(text(receipt));
  });
  EXPECT_EQ(grouped, alone);
  EXPECT_EQ(dump(), alone_db);
  ASSERT_EQ(order.size(), stream.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  // 23 transitions round-robin over 3 assets: 8, 8 and 7 receipts; a checkpoint every 3.
  EXPECT_EQ(height(1), 8u);
  EXPECT_EQ(height(3), 7u);
  EXPECT_EQ(zone_->store().checkpoints(runtime::parse_id(asset_hex(3), runtime::IdForm::raw, "a")).size(), 2u);
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
  EXPECT_FALSE(runtime::replay_all(*zone_).failure);
}

// A batch's groups are committed as each chunk ends and acknowledged after the next chunk has
// executed (runtime/zone_group_commit.h): still in input order, and never before the receipt is
// committed, as another connection sees the database.
TEST_F(ZoneGroupTest, AStreamOfGroupsIsAcknowledgedInOrderAndOnlyOnceCommitted) {
  installed_zone();
  const auto stream = mixed_stream(30);
  std::vector<std::size_t> order;
  zone_->run_batch(stream, runtime::GroupPolicy{4}, [&](std::size_t i, const runtime::ZoneReceipt& receipt) {
    order.push_back(i);
    EXPECT_EQ(sql_integer("SELECT count(*) FROM receipts WHERE digest = '" + receipt.digest.hex() + "'"), 1) << i;
  });
  ASSERT_EQ(order.size(), stream.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(sql_integer("SELECT count(*) FROM receipts"), 30);
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
}

// RAISE(ROLLBACK) ends the whole transaction, as a full disk or an I/O error can.
TEST_F(ZoneGroupTest, AGroupWhoseTransactionFailsAcknowledgesNothingAndStoresNothing) {
  installed_zone();
  sql("CREATE TRIGGER fail_group BEFORE INSERT ON receipts WHEN NEW.sequence = 6 "
      "BEGIN SELECT RAISE(ROLLBACK, 'injected failure'); END");
  const auto stream = transfers(1, 12);
  std::vector<std::size_t> acknowledged;
  const std::string before_group_2 = [&] {
    // Groups of 4: [0..3] is durable; the group [4..7] fails at sequence 6.
    zone_->run_batch(std::span(stream).first(4), runtime::GroupPolicy{4},
                     [&](std::size_t i, const runtime::ZoneReceipt&) { acknowledged.push_back(i); });
    return dump();
  }();
  EXPECT_EQ(error_code([&] {
              zone_->run_batch(std::span(stream).subspan(4), runtime::GroupPolicy{4},
                               [&](std::size_t i, const runtime::ZoneReceipt&) { acknowledged.push_back(4 + i); });
            }),
            "zone.db");
  EXPECT_EQ(acknowledged, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(dump(), before_group_2);  // sequences 4 and 5, committed into the group, are gone too
  EXPECT_EQ(height(1), 4u);

  // The zone goes on from the last durable group.
  sql("DROP TRIGGER fail_group");
  EXPECT_EQ(batch(std::vector(stream.begin() + 4, stream.end()), 4).size(), 8u);
  EXPECT_EQ(height(1), 12u);
  // Slot 2 received every amount: 1000 + ... + 1011.
  EXPECT_EQ(zone_->store().storage_get(runtime::parse_id(asset_hex(1), runtime::IdForm::raw, "a"),
                                      vm::Word::from_u64(2)),
            vm::Word::from_u64(12 * 1000 + 66));
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
  EXPECT_FALSE(runtime::replay_all(*zone_).failure);
}

// The disk fills up during the group's COMMIT: a file size limit just above the write-ahead log
// makes SQLite's write of the group's frames fail (EFBIG), as a full disk would.
TEST_F(ZoneGroupTest, AGroupWhoseCommitHitsAFullDiskAcknowledgesNothingAndStoresNothing) {
  installed_zone();
  const auto stream = transfers(1, 12);
  ASSERT_EQ(batch(std::vector(stream.begin(), stream.begin() + 4), 4).size(), 4u);
  const std::string durable = dump();
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(std::filesystem::file_size(dir_ / "zone.db-wal") + 4096);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  std::vector<std::size_t> acknowledged;
  std::string failure;
  try {
    zone_->run_batch(std::span(stream).subspan(4), runtime::GroupPolicy{8},
                     [&](std::size_t i, const runtime::ZoneReceipt&) { acknowledged.push_back(i); });
  } catch (const runtime::Error& e) {
    failure = e.code() + ": " + e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);
  EXPECT_EQ(failure.rfind("zone.db: group commit failed, no transition of the group is stored: sqlite: group commit:", 0),
            0u) << failure;
  EXPECT_TRUE(acknowledged.empty());
  EXPECT_EQ(dump(), durable);
  EXPECT_EQ(height(1), 4u);

  EXPECT_EQ(batch(std::vector(stream.begin() + 4, stream.end()), 8).size(), 8u);
  EXPECT_EQ(height(1), 12u);
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
  EXPECT_FALSE(runtime::replay_all(*zone_).failure);
}

// RAISE(ABORT) fails one statement: that transition alone, as with a commit per transition.
TEST_F(ZoneGroupTest, ATransitionThatFailsAloneEndsTheBatchLikeAPerTransitionCommit) {
  installed_zone();
  sql("CREATE TRIGGER fail_one BEFORE INSERT ON receipts WHEN NEW.sequence = 6 "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  std::vector<std::size_t> acknowledged;
  EXPECT_EQ(error_code([&] {
              zone_->run_batch(transfers(1, 12), runtime::GroupPolicy{4},
                               [&](std::size_t i, const runtime::ZoneReceipt&) { acknowledged.push_back(i); });
            }),
            "zone.db");
  EXPECT_EQ(acknowledged, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(height(1), 6u);
  EXPECT_EQ(sql_integer("SELECT count(*) FROM transitions"), 6);
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
}

// The first transition of a group fails: the empty group is closed, not left holding the
// database's write lock (the fixture's own connection, without a busy timeout, must write at once).
TEST_F(ZoneGroupTest, AGroupWhoseOnlyTransitionFailedReleasesTheDatabase) {
  installed_zone();
  sql("CREATE TRIGGER fail_first BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  EXPECT_EQ(error_code([&] { batch(transfers(1, 3), 2); }), "zone.db");
  sql("DROP TRIGGER fail_first");
  EXPECT_EQ(height(1), 0u);
  EXPECT_EQ(batch(transfers(1, 3), 2).size(), 3u);
}

TEST_F(ZoneGroupTest, AGroupOfZeroIsAConfigurationError) {
  installed_zone();
  EXPECT_EQ(error_code([&] { batch(transfers(1, 1), 0); }), "zone.config");
  EXPECT_EQ(height(1), 0u);
}

// Two batching threads share groups (and one thread's flush commits the other's transitions);
// both read-modify-write one tensor cell: commit order stays a serial order.
TEST_F(ZoneGroupTest, TwoThreadsBatchingIntoSharedGroupsStaySerializable) {
  installed_zone();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 2; ++t) {
    threads.emplace_back([this, t] {
      std::vector<runtime::TransitionRequest> stream;
      for (unsigned i = 0; i < 24; ++i) stream.push_back(i % 2 ? bump(1 + t, 9, t * 100 + i) : transfer(1 + t, 10 + i));
      zone_->run_batch(stream, runtime::GroupPolicy{6});
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(height(1), 24u);
  EXPECT_EQ(height(2), 24u);
  const auto cells = zone_->store().tensor_rows();
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(static_cast<unsigned>(cells[0].second.state), (1 + 24) % 5);  // pending (1) + 24 bumps
  EXPECT_FALSE(runtime::verify_chains(zone_->store(), std::nullopt).failure);
  EXPECT_FALSE(runtime::replay_all(*zone_).failure);
}

}  // namespace
}  // namespace savm::testing
