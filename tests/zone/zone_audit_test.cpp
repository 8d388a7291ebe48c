// Chain verification and replay: every receipt of a mixed stream replays byte for byte, and a
// one-byte edit of the database or of the content store is found and named.
#include <gtest/gtest.h>

#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;

// A stream over three assets with successes, reverts, out-of-gas and shared tensor writes.
std::vector<Json> run_stream(runtime::Zone& zone) {
  std::vector<Json> receipts;
  for (unsigned i = 0; i < 24; ++i) {
    const unsigned asset = 1 + i % 3;
    if (i % 5 == 3) {
      receipts.push_back(zone.run(transfer(asset, 0)));  // revert
    } else if (i % 7 == 6) {
      auto starved = transfer(asset, 10);
      starved.context["gas_limit"] = 7u;
      receipts.push_back(zone.run(starved));
    } else if (i % 4 == 1) {
      receipts.push_back(zone.run(bump(asset, 9, i)));
    } else {
      receipts.push_back(zone.run(transfer(asset, 1000 * (i + 1))));
    }
  }
  return receipts;
}

vm::Digest digest_of_receipt(const Json& receipt) {
  return vm::Digest::from_hex(receipt.at("receipt_digest").get<std::string>()).value();
}

TEST_F(ZoneTest, EveryReceiptOfAStreamReplays) {
  runtime::Zone& zone = installed_zone();
  const auto receipts = run_stream(zone);
  std::set<std::string> statuses;
  for (const auto& r : receipts) statuses.insert(r.at("outcome").at("status").get<std::string>());
  EXPECT_EQ(statuses, (std::set<std::string>{"success", "revert", "out_of_gas"}));

  const auto all = runtime::replay_all(zone);
  EXPECT_FALSE(all.failure) << all.failure->message;
  EXPECT_EQ(all.receipts, receipts.size());
  EXPECT_EQ(all.assets, 3u);
  for (std::size_t i = 0; i < receipts.size(); i += 5) {
    const auto one = runtime::replay_receipt(zone, digest_of_receipt(receipts[i]));
    EXPECT_FALSE(one.failure) << one.failure->message;
    EXPECT_EQ(one.receipts, i + 1);  // the history up to it, in commit order
  }
  const auto chains = runtime::verify_chains(zone.store(), std::nullopt);
  EXPECT_FALSE(chains.failure);
  EXPECT_EQ(chains.receipts, receipts.size());
}

TEST_F(ZoneTest, TamperedReceiptByteIsNamedByVerifyAndReplay) {
  runtime::Zone& zone = installed_zone();
  const auto receipts = run_stream(zone);
  const Json& victim = receipts[10];  // asset 2, sequence 3
  const std::string digest = victim.at("receipt_digest");
  // Flip one byte inside the stored canonical bytes: the "gas_used" digits.
  const std::int64_t at = sql_integer("SELECT instr(bytes, '\"gas_used\":') FROM receipts WHERE digest = '" + digest + "'");
  ASSERT_GT(at, 0);
  const std::int64_t pos = at + 11;  // first digit of the value (1-based)
  sql("UPDATE receipts SET bytes = substr(bytes, 1, " + std::to_string(pos - 1) +
      ") || CASE WHEN substr(bytes, " + std::to_string(pos) + ", 1) = '9' THEN '8' ELSE '9' END || substr(bytes, " +
      std::to_string(pos + 1) + ") WHERE digest = '" + digest + "'");

  const auto chains = runtime::verify_chains(zone.store(), std::nullopt);
  ASSERT_TRUE(chains.failure);
  EXPECT_EQ(chains.failure->code, "receipt.digest");
  EXPECT_EQ(chains.failure->receipt.hex(), digest);
  EXPECT_EQ(chains.failure->sequence, victim.at("sequence").get<std::uint64_t>());
  EXPECT_NE(chains.failure->message.find(digest), std::string::npos);

  const auto one = runtime::replay_receipt(zone, digest_of_receipt(victim));
  ASSERT_TRUE(one.failure);
  EXPECT_EQ(one.failure->code, "zone.replay_mismatch");
  EXPECT_NE(one.failure->message.find("$.gas_used"), std::string::npos) << one.failure->message;
  const auto all = runtime::replay_all(zone);
  ASSERT_TRUE(all.failure);
  EXPECT_EQ(all.failure->receipt.hex(), digest);
}

TEST_F(ZoneTest, RewrittenLinkIsNamed) {
  runtime::Zone& zone = installed_zone();
  const auto receipts = run_stream(zone);
  // Drop a receipt from the middle of asset 1's chain: the next one no longer links.
  const std::string gone = receipts[3].at("receipt_digest");  // asset 1, sequence 1
  sql("DELETE FROM transitions WHERE commit_index = (SELECT commit_index FROM receipts WHERE digest = '" + gone + "');"
      "DELETE FROM receipts WHERE digest = '" + gone + "'");
  const auto chains = runtime::verify_chains(zone.store(), runtime::parse_id(asset_hex(1), runtime::IdForm::raw, "a"));
  ASSERT_TRUE(chains.failure);
  EXPECT_EQ(chains.failure->code, "chain.sequence");
  EXPECT_EQ(chains.failure->receipt.hex(), receipts[6].at("receipt_digest"));  // asset 1, sequence 2
  EXPECT_EQ(runtime::verify_chains(zone.store(), runtime::parse_id(asset_hex(2), runtime::IdForm::raw, "a")).failure, std::nullopt);
  try {
    runtime::verify_chains(zone.store(), runtime::parse_id(asset_hex(99), runtime::IdForm::raw, "a"));
    ADD_FAILURE() << "an unknown asset must be an error";
  } catch (const runtime::Error& e) {
    EXPECT_EQ(e.code(), std::string("zone.unknown_asset"));
  }
}

TEST_F(ZoneTest, TamperedStorageRowIsAttributedToItsReceipt) {
  runtime::Zone& zone = installed_zone();
  run_stream(zone);
  const Json last = zone.run(transfer(2, 5));  // the last writer of asset 2's slot 2
  ASSERT_EQ(last.at("outcome").at("status"), "success");
  EXPECT_FALSE(runtime::replay_all(zone).failure);
  // An effect without any receipt: a storage row nobody wrote.
  const std::string forged_asset = "x'" + asset_hex(5).substr(2) + "'";
  sql("INSERT INTO storage VALUES(" + forged_asset + ", x'" + std::string(64, '1') + "', x'" + std::string(64, '2') + "', 'forged')");
  const auto forged = runtime::replay_all(zone);
  ASSERT_TRUE(forged.failure);
  EXPECT_EQ(forged.failure->code, "zone.state_mismatch");
  EXPECT_NE(forged.failure->message.find("no receipt wrote"), std::string::npos) << forged.failure->message;
  sql("DELETE FROM storage WHERE asset = " + forged_asset);
  EXPECT_FALSE(runtime::replay_all(zone).failure);
  // Slot 2 of asset 2: flip the last byte of the stored value.
  sql("UPDATE storage SET value = x'" + std::string(62, '0') + "07' WHERE asset = x'" + asset_hex(2).substr(2) +
      "' AND key = x'" + std::string(62, '0') + "02'");
  const auto report = runtime::replay_all(zone);
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "zone.state_mismatch");
  EXPECT_EQ(report.failure->receipt.hex(), last.at("receipt_digest"));
}

TEST_F(ZoneTest, TamperedTransitionInputIsNamedByReplay) {
  runtime::Zone& zone = installed_zone();
  const auto receipts = run_stream(zone);
  const std::string digest = receipts[4].at("receipt_digest");
  // The stored input of receipt 4 now says 99 instead of its amount: replay cannot reproduce it.
  sql("UPDATE transitions SET input = x'" + std::string(62, '0') + "63' WHERE commit_index = 5");
  EXPECT_FALSE(runtime::verify_chains(zone.store(), std::nullopt).failure);  // receipts are intact
  const auto report = runtime::replay_all(zone);
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "zone.replay_mismatch");
  EXPECT_EQ(report.failure->receipt.hex(), digest);
  EXPECT_EQ(report.receipts, 5u);  // the four before it replayed cleanly
}

TEST_F(ZoneTest, TamperedModuleInTheContentStoreNamesTheReceipt) {
  runtime::Zone& zone = installed_zone();
  const Json receipt = zone.run(transfer(1, 40000));
  zone_.reset();
  const auto path = dir_ / "cas" / "module" / (receipt.at("module_digest").get<std::string>() + ".savm");
  std::string bytes = slurp(path);
  bytes[6] ^= 0x20;  // in the header or the first section: covered by the module digest
  std::ofstream(path, std::ios::binary) << bytes;
  runtime::Zone& reopened = open_zone();
  const auto report = runtime::replay_receipt(reopened, digest_of_receipt(receipt));
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->receipt.hex(), receipt.at("receipt_digest"));
  EXPECT_EQ(report.failure->code, "zone.cas_digest");
}

TEST(FirstDifference, NamesThePath) {
  using runtime::first_difference;
  EXPECT_EQ(first_difference(Json::parse(R"({"a":1,"b":[1,2]})"), Json::parse(R"({"a":1,"b":[1,3]})")), "$.b[1]");
  EXPECT_EQ(first_difference(Json::parse(R"({"a":1})"), Json::parse(R"({"a":1,"c":2})")), "$.c");
  EXPECT_EQ(first_difference(Json::parse(R"({"a":{"x":"y"}})"), Json::parse(R"({"a":{"x":"z"}})")), "$.a.x");
  EXPECT_EQ(first_difference(Json::parse("[1]"), Json::parse("[1]")), "");
  EXPECT_EQ(first_difference(Json{{"n", std::int64_t{5}}}, Json{{"n", std::uint64_t{5}}}), "");  // same number
  EXPECT_EQ(first_difference(Json{{"n", 5}}, Json{{"n", "5"}}), "$.n");
}

}  // namespace
}  // namespace savm::testing
