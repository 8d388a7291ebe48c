// A compiled Mizan pack in a real zone: its transitions are installed like any module, run as
// transition requests (arguments as the entry's words, docs/design/mizan-compiler.md), write the
// compliance tensor through the journal, and leave receipts that verify and replay. A failed
// `requires` is a revert with code 5 that writes nothing but still extends the chain.
#include <memory>

#include "compiler/mizan_compiler.h"
#include "lang/checker.h"
#include "lang/parser.h"
#include "runtime/zone_audit.h"
#include "tests/compiler/checked_source.h"
#include "tests/zone/zone_fixture.h"
#include "vm/crypto/digest.h"

namespace savm::testing {
namespace {

using runtime::Json;

// 4.5% withholding, half up to the rupee; a payer must be sanctions-cleared to pay.
const char* kPack = R"(lawpack t.zone "Zone test"
  jurisdiction pk  version "1"  source "/akn/test"

record Payment {
  payer: AssetId
  amount: Money<PKR>
  withheld: Money<PKR>
  receipt: String
}

rule due(p: Payment) -> Money<PKR> cites "s.153"
  = round(mul(p.amount, 4.5%), to: 1 PKR, mode: half_up)

transition clear(a: AssetId, screening: String) cites "AML Act 2010 s.7"
  writes tensor(a, pk, sanctions) := compliant evidence screening

transition pay(p: Payment) cites "s.153"
  requires tensor(p.payer, pk, sanctions) is passing
  writes tensor(p.payer, pk, tax) := (if p.withheld >= due(p) then compliant else non_compliant) evidence p.receipt
)";

std::vector<std::uint8_t> compiled_module() {
  const auto source = check_text(kPack);
  if (!source->checked.program) throw std::runtime_error("the test pack does not check");
  return vm::write_module(compiler::compile_pack(*source->checked.program, "t.zone").module);
}

// A String or AssetId argument: the word the compiled entry reads is the SHA-256 of its bytes.
Json hashed(const std::string& bytes) { return Json{{"word", vm::Word::from_be_bytes(vm::sha256(bytes).bytes()).to_decimal()}}; }

runtime::TransitionRequest request(unsigned asset, const std::string& entry, Json args) {
  return runtime::transition_request_from_json(Json{
      {"asset_id", asset_hex(asset)},
      {"entry", entry},
      {"args", std::move(args)},
      {"context", {{"caller", "karachi-payer"}, {"timestamp", 1735700000}, {"law_date", "2025-01-01"}}}});
}

vm::TensorKey cell(const std::string& payer, vm::Domain domain) {
  std::array<std::uint8_t, 32> pk{};
  pk[0] = 'p';
  pk[1] = 'k';
  pk[31] = 2;
  return {vm::Word::from_be_bytes(vm::sha256(payer).bytes()), vm::Word::from_be_bytes(pk), domain};
}

TEST_F(ZoneTest, CompiledMizanTransitionsWriteTheTensorAndReplay) {
  runtime::Zone& zone = open_zone();
  zone.install(compiled_module());
  const Json cleared = zone.run(request(1, "t.zone.clear", Json::array({hashed("payer-1"), hashed("screening-7")})));
  ASSERT_EQ(cleared.at("outcome").at("status"), "success") << cleared.dump();

  // 1,000,000 PKR (100,000,000 paisa) × 4.5% = 45,000 PKR due; 45,000 withheld: compliant.
  const Json paid = zone.run(request(1, "t.zone.pay", Json::array({hashed("payer-1"), 100000000, 4500000, hashed("receipt-1")})));
  ASSERT_EQ(paid.at("outcome").at("status"), "success") << paid.dump();
  const auto tax = zone.store().tensor_get(cell("payer-1", vm::Domain{3}));
  ASSERT_TRUE(tax);
  EXPECT_EQ(tax->state, vm::ComplianceState::compliant);
  EXPECT_EQ(tax->evidence, vm::sha256(std::string("receipt-1")));
  EXPECT_EQ(zone.store().tensor_get(cell("payer-1", vm::Domain{2}))->evidence, vm::sha256(std::string("screening-7")));

  // One rupee short on a second payment: the same cell becomes non_compliant.
  const Json short_paid = zone.run(request(1, "t.zone.pay", Json::array({hashed("payer-1"), 100000000, 4499900, hashed("receipt-2")})));
  ASSERT_EQ(short_paid.at("outcome").at("status"), "success");
  EXPECT_EQ(zone.store().tensor_get(cell("payer-1", vm::Domain{3}))->state, vm::ComplianceState::non_compliant);

  // An uncleared payer: the requirement fails (revert 5), nothing is written, the chain grows.
  const Json refused = zone.run(request(2, "t.zone.pay", Json::array({hashed("payer-2"), 100000000, 4500000, hashed("receipt-3")})));
  EXPECT_EQ(refused.at("outcome").at("status"), "revert");
  EXPECT_EQ(refused.at("outcome").at("code"), "5");
  EXPECT_FALSE(zone.store().tensor_get(cell("payer-2", vm::Domain{3})));

  const auto chains = runtime::verify_chains(zone.store(), std::nullopt);
  EXPECT_FALSE(chains.failure) << chains.failure->message;
  EXPECT_EQ(chains.receipts, 4u);
  const auto replayed = runtime::replay_all(zone);
  EXPECT_FALSE(replayed.failure) << replayed.failure->message;
  EXPECT_EQ(replayed.receipts, 4u);
}

}  // namespace
}  // namespace savm::testing
