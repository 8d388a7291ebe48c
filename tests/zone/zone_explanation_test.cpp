// Explanation records: a compiled Mizan transition's derivation is stored with its receipt under
// the receipt's explanation_digest and read back with the module's citations; a tampered or lost
// record is named; a version 2 zone gains the table when opened.
#include "compiler/mizan_compiler.h"
#include "runtime/execution_receipt.h"
#include "runtime/zone_explanation.h"
#include "tests/compiler/checked_source.h"
#include "tests/zone/zone_fixture.h"
#include "vm/crypto/digest.h"

namespace savm::testing {
namespace {

using runtime::Json;

const char* kPack = R"mizan(lawpack t.explain "Explanation test"
  jurisdiction pk  version "1"  source "/akn/test"

rule due(amount: Money<PKR>) -> Money<PKR> cites "ITO 2001 s.153(1)(a)"
  = round(mul(amount, 4.5%), to: 1 PKR, mode: half_up)

transition pay(a: AssetId, amount: Money<PKR>, withheld: Money<PKR>, receipt: String) cites "ITO 2001 s.153"
  writes tensor(a, pk, tax) := (if withheld >= due(amount) then compliant else non_compliant) evidence receipt
)mizan";

Json hashed(const std::string& bytes) { return Json{{"word", vm::Word::from_be_bytes(vm::sha256(bytes).bytes()).to_decimal()}}; }

class ZoneExplanationTest : public ZoneTest {
 protected:
  void SetUp() override {
    ZoneTest::SetUp();
    // The zone's jurisdiction must be pk for the pack's transitions.
    std::filesystem::remove_all(dir_);
    runtime::Zone::init(dir_, runtime::ZoneConfig{"pk"});
  }
  runtime::Zone& pack_zone() {
    const auto source = check_text(kPack);
    runtime::Zone& zone = open_zone();
    zone.install(vm::write_module(compiler::compile_pack(*source->checked.program, "t.explain").module));
    return zone;
  }
  // 1,000,000 PKR paid (in paisa), `withheld` PKR withheld.
  static runtime::TransitionRequest pay(std::int64_t withheld_paisa) {
    return runtime::transition_request_from_json(Json{
        {"asset_id", asset_hex(1)},
        {"entry", "t.explain.pay"},
        {"args", Json::array({hashed("payer-1"), 100000000, withheld_paisa, hashed("receipt-1")})},
        {"context", {{"caller", "karachi-payer"}, {"timestamp", 1735700000}, {"law_date", "2025-01-01"}}}});
  }
  static std::string texts(const runtime::ReceiptExplanation& e) {
    std::string out;
    for (const auto& s : e.steps) out += s.text + "\n";
    return out;
  }
};

TEST_F(ZoneExplanationTest, TheDerivationIsStoredAndReadWithItsCitations) {
  runtime::Zone& zone = pack_zone();
  const Json receipt = zone.run(pay(4500000));  // 4.5% of 1,000,000 = 45,000 PKR: compliant
  ASSERT_EQ(receipt.at("outcome").at("status"), "success") << receipt.dump();
  const auto digest = *vm::Digest::from_hex(receipt.at("receipt_digest").get<std::string>());
  const runtime::ReceiptExplanation e = runtime::explain_receipt(zone, digest);
  EXPECT_EQ(e.digest.hex(), receipt.at("explanation_digest"));
  const std::string steps = texts(e);
  // The transition used rule `due` (cited to s.153(1)(a)) and rounded its result to the rupee.
  EXPECT_NE(steps.find("t.explain.due"), std::string::npos) << steps;
  EXPECT_NE(steps.find("ITO 2001 s.153(1)(a)"), std::string::npos) << steps;
  EXPECT_NE(steps.find("round"), std::string::npos) << steps;
}

TEST_F(ZoneExplanationTest, ATamperedOrLostRecordIsNamed) {
  runtime::Zone& zone = pack_zone();
  const Json receipt = zone.run(pay(4500000));
  const auto digest = *vm::Digest::from_hex(receipt.at("receipt_digest").get<std::string>());
  sql("UPDATE explanations SET record = CAST('[]' AS BLOB)");
  EXPECT_EQ(error_code([&] { runtime::explain_receipt(zone, digest); }), "zone.explanation");
  sql("DELETE FROM explanations");
  EXPECT_EQ(error_code([&] { runtime::explain_receipt(zone, digest); }), "zone.explanation");
  EXPECT_EQ(error_code([&] { runtime::explain_receipt(zone, vm::sha256(std::string("nothing"))); }),
            "zone.unknown_receipt");
}

TEST_F(ZoneExplanationTest, AVersion2ZoneIsMigratedWhenOpened) {
  downgrade_to_version2();
  runtime::Zone& zone = pack_zone();
  EXPECT_EQ(sql_integer("PRAGMA user_version"), 3);
  const Json receipt = zone.run(pay(100));  // far too little withheld: non_compliant, still traced
  ASSERT_EQ(receipt.at("outcome").at("status"), "success") << receipt.dump();
  EXPECT_EQ(sql_integer("SELECT count(*) FROM explanations"), 1);
}

}  // namespace
}  // namespace savm::testing
