// The compliance tensor read from a real zone: slices at the zone's latest transition time,
// expiry, meet/join, and the tensor commitment. The Merkle tree hash is checked against the
// RFC 6962 / certificate-transparency reference vectors; leaves and roots of the zone's cells
// are written out by hand here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/zone_tensor.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using vm::ComplianceState;

constexpr const char* kAdgm = "41452d4144474d000000000000000000000000000000000000000000000000" "07";

std::string zeros_then(const std::string& tail) { return std::string(64 - tail.size(), '0') + tail; }

TEST(TensorCommitment, MerkleTreeHashMatchesTheRfc6962ReferenceVectors) {
  const std::vector<std::string> leaves = {"",           std::string(1, '\0'), "\x10", "\x20\x21", "\x30\x31",
                                           "\x40\x41\x42\x43", "\x50\x51\x52\x53\x54\x55\x56\x57",
                                           "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  const char* roots[] = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(runtime::merkle_tree_hash(std::span(leaves).first(n)).hex(), roots[n]) << n << " leaves";
  }
}

TEST(TensorLattice, MeetAndJoinFollowTheRanks) {
  const std::vector<ComplianceState> mixed = {ComplianceState::compliant, ComplianceState::exempt,
                                              ComplianceState::not_applicable};
  EXPECT_EQ(runtime::meet(mixed), ComplianceState::not_applicable);
  EXPECT_EQ(runtime::join(mixed), ComplianceState::compliant);
  EXPECT_EQ(runtime::meet({}), ComplianceState::pending);
  EXPECT_EQ(runtime::join({}), ComplianceState::pending);
  const std::vector<ComplianceState> with_failure = {ComplianceState::compliant, ComplianceState::non_compliant};
  EXPECT_EQ(runtime::meet(with_failure), ComplianceState::non_compliant);
}

class ZoneTensorTest : public ZoneTest {
 protected:
  // A compliant kyc cell of asset 3 in AE-ADGM that expires at 1700000003, written as a broken
  // disk or an import would (the VM's TENSOR_SET never sets an expiry).
  void insert_expiring_cell() const {
    sql(std::string("INSERT INTO tensor VALUES(X'") + zeros_then("03") + "', X'" + kAdgm + "', 1, 4, '" +
        std::string(64, 'e') + "', 1699990000, 1700000003, 'import')");
  }
};

TEST_F(ZoneTensorTest, ExpiredEvidenceNeverReadsCompliant) {
  runtime::Zone& zone = installed_zone();
  insert_expiring_cell();
  const vm::Word asset = vm::Word::from_u64(3);
  zone.run(transfer(1, 5, 1700000002));  // the latest transition is before the expiry
  EXPECT_EQ(runtime::latest_transition_time(zone.store()), 1700000002);
  auto slice = runtime::tensor_slice(zone.store(), asset, std::nullopt, runtime::latest_transition_time(zone.store()));
  ASSERT_EQ(slice.size(), 1u);
  EXPECT_EQ(slice[0].reads_as, ComplianceState::compliant);

  zone.run(transfer(1, 5, 1700000003));  // at the expiry instant it no longer holds
  slice = runtime::tensor_slice(zone.store(), asset, std::nullopt, runtime::latest_transition_time(zone.store()));
  ASSERT_EQ(slice.size(), 1u);
  EXPECT_EQ(slice[0].cell.state, ComplianceState::compliant);  // as stored
  EXPECT_EQ(slice[0].reads_as, ComplianceState::pending);
  const std::vector<vm::Word> adgm = {slice[0].key.jurisdiction};
  for (const auto how : {runtime::Aggregation::meet, runtime::Aggregation::join}) {
    EXPECT_EQ(runtime::aggregate(slice, adgm, how)[static_cast<std::size_t>(vm::Domain::kyc)], ComplianceState::pending);
  }
}

TEST_F(ZoneTensorTest, SlicesFilterByJurisdictionAndAggregateAcrossThem) {
  runtime::Zone& zone = installed_zone();
  insert_expiring_cell();
  // The same domain in another jurisdiction, exempt and never expiring.
  const std::string pk = "504b" + std::string(58, '0') + "02";
  sql(std::string("INSERT INTO tensor VALUES(X'") + zeros_then("03") + "', X'" + pk + "', 1, 3, '" +
      std::string(64, 'f') + "', 1699990000, 0, 'import')");
  const vm::Word asset = vm::Word::from_u64(3);
  const auto all = runtime::tensor_slice(zone.store(), asset, std::nullopt, 1700000000);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(runtime::jurisdiction_label(all[0].key.jurisdiction), "AE-ADGM");  // 0x41… sorts before 0x50…
  EXPECT_EQ(runtime::jurisdiction_label(all[1].key.jurisdiction), "PK");
  const auto pk_only = runtime::tensor_slice(zone.store(), asset, all[1].key.jurisdiction, 1700000000);
  ASSERT_EQ(pk_only.size(), 1u);
  EXPECT_EQ(pk_only[0].reads_as, ComplianceState::exempt);

  const std::vector<vm::Word> both = {all[0].key.jurisdiction, all[1].key.jurisdiction};
  const auto met = runtime::aggregate(all, both, runtime::Aggregation::meet);
  const auto joined = runtime::aggregate(all, both, runtime::Aggregation::join);
  EXPECT_EQ(met[static_cast<std::size_t>(vm::Domain::kyc)], ComplianceState::exempt);         // min(compliant, exempt)
  EXPECT_EQ(joined[static_cast<std::size_t>(vm::Domain::kyc)], ComplianceState::compliant);   // max
  EXPECT_EQ(met[static_cast<std::size_t>(vm::Domain::aml)], ComplianceState::pending);        // no cells: pending
  EXPECT_EQ(runtime::jurisdiction_label(vm::Word::from_u64(5)), "0x" + zeros_then("05"));               // not a short name
}

TEST_F(ZoneTensorTest, TheCommitmentIsTheMerkleRootOfTheCanonicalCells) {
  runtime::Zone& zone = installed_zone();
  EXPECT_EQ(runtime::tensor_commitment(zone.store()).hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // SHA-256(""): no cells
  zone.run(bump(1, 2, 5));  // cell (asset 2, AE-ADGM, aml): pending + 1 = not_applicable, evidence 5
  insert_expiring_cell();   // (asset 3, AE-ADGM, kyc) sorts after it
  const std::string cell2 = std::string(R"({"as_of":1700000005,"asset_id":"0x)") + zeros_then("02") +
                            R"(","domain":"aml","evidence":")" + zeros_then("05") +
                            R"(","expires":0,"jurisdiction":"0x)" + kAdgm +
                            R"(","state":"not_applicable","type":"SAVMTensorCell"})";
  const std::string cell3 = std::string(R"({"as_of":1699990000,"asset_id":"0x)") + zeros_then("03") +
                            R"(","domain":"kyc","evidence":")" + std::string(64, 'e') +
                            R"(","expires":1700000003,"jurisdiction":"0x)" + kAdgm +
                            R"(","state":"compliant","type":"SAVMTensorCell"})";
  const auto rows = zone.store().tensor_rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(runtime::tensor_leaf(rows[0].first, rows[0].second).str(), cell2);
  EXPECT_EQ(runtime::tensor_leaf(rows[1].first, rows[1].second).str(), cell3);
  const auto raw = [](const vm::Digest& d) { return std::string(d.bytes().begin(), d.bytes().end()); };
  // Built by appending: g++ 12 misreports `"\x01" + string` under -Wrestrict.
  const auto tagged = [](char tag, const std::string& a, const std::string& b) {
    std::string bytes(1, tag);
    bytes += a;
    bytes += b;
    return vm::sha256(bytes);
  };
  const vm::Digest leaf2 = tagged('\0', cell2, "");
  const vm::Digest leaf3 = tagged('\0', cell3, "");
  EXPECT_EQ(runtime::tensor_commitment(zone.store()), tagged('\x01', raw(leaf2), raw(leaf3)));
}

}  // namespace
}  // namespace savm::testing
