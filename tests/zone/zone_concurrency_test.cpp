// Many threads, many assets, one asset hammered, and a tensor cell every thread read-modify-
// writes: chains stay dense and verified, storage sums are exact, and replaying the zone in
// commit order reproduces every receipt (the executor kept cross-asset state serializable).
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/base64url.h"
#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;

TEST_F(ZoneTest, ParallelAssetsHammeredAssetAndSharedCellStaySerializable) {
  runtime::Zone& zone = installed_zone();
  constexpr unsigned kThreads = 4;
  constexpr unsigned kPerThread = 30;
  constexpr unsigned kHammered = 100;
  std::mutex mutex;
  std::map<unsigned, unsigned> runs;  // asset -> transitions run
  std::int64_t hammered_in = 0;       // sum of successful amounts into the hammered asset
  unsigned bumps = 0;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (unsigned i = 0; i < kPerThread; ++i) {
        const unsigned own = 1 + t * 3 + i % 3;  // three assets per thread
        Json receipt;
        unsigned asset = own;
        if (i % 3 == 0) {
          asset = kHammered;
          receipt = zone.run(transfer(asset, 100 + t));
        } else if (i % 3 == 1) {
          receipt = zone.run(bump(asset, 9, t * 1000 + i));  // all threads: cell of asset 9
        } else {
          receipt = zone.run(transfer(asset, 7));
        }
        std::lock_guard lock(mutex);
        ++runs[asset];
        if (asset == kHammered && receipt.at("outcome").at("status") == "success") hammered_in += 100 + t;
        if (i % 3 == 1) ++bumps;
      }
    });
  }
  for (auto& th : threads) th.join();

  for (const auto& [asset, count] : runs) {
    const auto head = zone.store().chain_head(runtime::parse_id(asset_hex(asset), runtime::IdForm::raw, "a"));
    EXPECT_EQ(head.height, count) << "asset " << asset;
  }
  EXPECT_EQ(runs[kHammered], kThreads * kPerThread / 3);
  const vm::Word hammered = runtime::parse_id(asset_hex(kHammered), runtime::IdForm::raw, "a");
  EXPECT_EQ(zone.store().storage_get(hammered, vm::Word::from_decimal("2").value()),
            vm::Word::from_decimal(std::to_string(hammered_in)).value());
  // A missing cell reads as pending (1); each bump adds one mod 5: the state is (1 + bumps) mod 5.
  const auto cells = zone.store().tensor_rows();
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(static_cast<unsigned>(cells[0].second.state), (1 + bumps) % 5);

  const auto chains = runtime::verify_chains(zone.store(), std::nullopt);
  EXPECT_FALSE(chains.failure) << chains.failure->message;
  EXPECT_EQ(chains.receipts, kThreads * kPerThread);
  const auto replay = runtime::replay_all(zone);
  EXPECT_FALSE(replay.failure) << replay.failure->message;
}

// With every receipt signed, executor threads share the zone's receipt signers (each signs one
// receipt at a time and keeps what the receipts it signed share). Every proof must verify, and
// carry the signature libsodium's one-shot signer (KeyPair::sign) gives: Ed25519 is
// deterministic, and a wrong nonce would still verify, so only the bytes show it.
TEST_F(ZoneTest, ParallelExecutorsSignEveryReceiptWithTheZoneKey) {
  runtime::Zone& zone = reinit(runtime::SigningPolicy::every, 10);
  constexpr unsigned kThreads = 4;
  constexpr unsigned kPerThread = 25;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (unsigned i = 0; i < kPerThread; ++i) zone.run(transfer(i % 2 == 0 ? 1 + t : 50, 10 + i));
    });
  }
  for (auto& th : threads) th.join();
  const auto chains = runtime::verify_chains(zone.store(), std::nullopt);
  EXPECT_FALSE(chains.failure) << chains.failure->message;
  EXPECT_EQ(chains.receipts, kThreads * kPerThread);
  std::size_t compared = 0;
  zone.store().for_each_receipt(std::nullopt, [&](const runtime::StoredReceipt& stored) {
    Json receipt = runtime::parse_json(stored.bytes);
    const std::string jws = receipt.at("proof").at("jws").get<std::string>();
    receipt.erase("proof");
    const std::string header = jws.substr(0, jws.find(".."));
    std::string expected = header + "..";
    runtime::append_base64url(expected, key(7).sign(header + ".", runtime::canonicalize(receipt)).bytes());
    EXPECT_EQ(jws, expected) << "receipt " << stored.commit_index;
    ++compared;
  });
  EXPECT_EQ(compared, kThreads * kPerThread);
}

}  // namespace
}  // namespace savm::testing
