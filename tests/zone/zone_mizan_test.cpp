// A compiled Mizan pack in a real zone: its transitions are installed like any module, run as
// transition requests (arguments as the entry's words, docs/design/mizan-compiler.md, or typed by
// parameter name with the module's signature, docs/operating-a-zone.md), write the
// compliance tensor through the journal, and leave receipts that verify and replay. A failed
// `requires` is a revert with code 5 that writes nothing but still extends the chain.
#include <memory>

#include "compiler/mizan_compiler.h"
#include "compiler/mizan_signature.h"
#include "lang/checker.h"
#include "lang/parser.h"
#include "runtime/zone_audit.h"
#include "tests/cli/savm_runner.h"
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

// ---- Typed arguments (runtime/typed_arguments.h, compiler/mizan_signature.h) ---------------------

// The asset of asset_hex(n) as a Mizan AssetId text: its 64 hex digits without "0x" (the id rule,
// lang/ids.h: the raw bytes, not a hash).
std::string asset_text(unsigned n) { return asset_hex(n).substr(2); }

Json payment(const std::string& payer, const std::string& amount, const std::string& withheld, const std::string& receipt) {
  return Json{{"payer", payer},
              {"amount", {{"amount", amount}, {"currency", "PKR"}}},
              {"withheld", {{"amount", withheld}, {"currency", "PKR"}}},
              {"receipt", receipt}};
}

vm::TensorKey raw_cell(unsigned asset, vm::Domain domain) {
  const auto raw = vm::Digest::from_hex(asset_text(asset));
  return {vm::Word::from_be_bytes(raw->bytes()), cell("", domain).jurisdiction, domain};
}

TEST_F(ZoneTest, TypedArgumentsRunACompiledTransitionUnderTheZonesAssetKey) {
  runtime::Zone& zone = open_zone(compiler::TypedArgumentEncoder());
  zone.install(compiled_module());
  const Json cleared = zone.run(request(1, "t.zone.clear", Json{{"a", asset_text(1)}, {"screening", "screening-7"}}));
  ASSERT_EQ(cleared.at("outcome").at("status"), "success") << cleared.dump();
  // 1,000,000 PKR × 4.5% = 45,000 PKR due (hand calculation); 45,000 withheld: compliant.
  const Json paid = zone.run(request(1, "t.zone.pay", Json{{"p", payment(asset_text(1), "1000000", "45000", "receipt-1")}}));
  ASSERT_EQ(paid.at("outcome").at("status"), "success") << paid.dump();
  const auto tax = zone.store().tensor_get(raw_cell(1, vm::Domain{3}));
  ASSERT_TRUE(tax) << "the cell is keyed by the asset's raw bytes, as `savm tensor --asset` reads it";
  EXPECT_EQ(tax->state, vm::ComplianceState::compliant);
  EXPECT_EQ(tax->evidence, vm::sha256(std::string("receipt-1")));

  // The same input as the hand-encoded words: any other id text is its SHA-256, Money in paisa.
  const auto typed = zone.prepare(request(2, "t.zone.pay", Json{{"p", payment("payer-1", "1000000", "44999.5", "r")}}));
  const auto words = zone.prepare(request(2, "t.zone.pay", Json::array({hashed("payer-1"), 100000000, 4499950, hashed("r")})));
  EXPECT_EQ(typed.request.input, words.request.input);
  const auto replayed = runtime::replay_all(zone);
  EXPECT_FALSE(replayed.failure) << replayed.failure->message;
}

TEST_F(ZoneTest, WrongTypedArgumentsAreRejectedWithTheirPathBeforeAnythingRuns) {
  runtime::Zone& zone = open_zone(compiler::TypedArgumentEncoder());
  zone.install(compiled_module());
  ASSERT_EQ(zone.run(request(1, "t.zone.clear", Json{{"a", asset_text(1)}, {"screening", "s"}})).at("outcome").at("status"),
            "success");
  const std::string before = dump();
  const auto rejected = [&](Json args) {
    try {
      zone.run(request(1, "t.zone.pay", std::move(args)));
    } catch (const runtime::Error& e) {
      return e.code() + " " + e.what();
    }
    return std::string("ran");
  };
  Json usd = payment("payer-1", "1", "1", "r");
  usd["amount"]["currency"] = "USD";
  EXPECT_NE(rejected(Json{{"p", usd}}).find("abi.value $.args.p.amount.currency: expected PKR"), std::string::npos)
      << rejected(Json{{"p", usd}});
  Json number = payment("payer-1", "1", "1", "r");
  number["withheld"] = 5;
  EXPECT_NE(rejected(Json{{"p", number}}).find("abi.value $.args.p.withheld: expected Money<PKR>"), std::string::npos);
  Json id = payment("payer-1", "1", "1", "r");
  id["payer"] = 7;
  EXPECT_NE(rejected(Json{{"p", id}}).find("abi.value $.args.p.payer: expected AssetId"), std::string::npos);
  EXPECT_NE(rejected(Json::object()).find("abi.value $.args: missing argument p"), std::string::npos);
  EXPECT_NE(rejected(Json{{"p", payment("payer-1", "1", "1", "r")}, {"q", 1}}).find("abi.value $.args.q:"),
            std::string::npos);
  Json fraction = payment("payer-1", "1.001", "1", "r");
  EXPECT_NE(rejected(Json{{"p", fraction}}).find("abi.value $.args.p.amount.amount:"), std::string::npos);
  EXPECT_EQ(dump(), before);  // no receipt, no cell, no chain step
  EXPECT_EQ(sql_integer("SELECT COUNT(*) FROM receipts"), 1);
}

TEST_F(ZoneTest, TypedArgumentsNeedASignatureAndAnEncoder) {
  runtime::Zone& zone = installed_zone();  // opened without an encoder
  zone.install(compiled_module());
  EXPECT_EQ(error_code([&] { zone.prepare(request(1, "t.zone.clear", Json{{"a", "x"}, {"screening", "s"}})); }),
            "abi.signature");
  zone_.reset();
  runtime::Zone& typed = open_zone(compiler::TypedArgumentEncoder());
  // An assembled module has no manifest: its entries take words only.
  const Json typed_bump{{"asset_id", asset_hex(1)}, {"entry", "bump"}, {"args", Json{{"target", 2}}}};
  EXPECT_EQ(error_code([&] { typed.prepare(runtime::transition_request_from_json(typed_bump)); }), "abi.signature");
  EXPECT_EQ(error_code([&] { typed.prepare(bump(1, 2, 5)); }), "no error");
}

// `savm run` with typed args: the zone the CLI opens reads them with the module's signature.
class ZoneMizanCli : public SavmRunner {};

std::string typed_request(const std::string& entry, const Json& args) {
  return Json{{"asset_id", asset_hex(1)},
              {"entry", entry},
              {"args", args},
              {"context", {{"timestamp", 1735700000}, {"law_date", "2025-01-01"}}}}
      .dump();
}

TEST_F(ZoneMizanCli, RunTakesTypedArgumentsAndTheCellIsUnderTheAsset) {
  const std::vector<std::uint8_t> module = compiled_module();
  write("t.savm", std::string(module.begin(), module.end()));
  ASSERT_EQ(savm("zone init z --jurisdiction pk").exit_code, 0);
  ASSERT_EQ(savm("zone install z t.savm").exit_code, 0);
  write("clear.json", typed_request("t.zone.clear", Json{{"a", asset_text(1)}, {"screening", "s-7"}}));
  const Outcome cleared = savm("run z clear.json");
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out << cleared.err;
  Json usd = payment(asset_text(1), "1000000", "45000", "r-1");
  usd["withheld"]["currency"] = "USD";
  write("usd.json", typed_request("t.zone.pay", Json{{"p", usd}}));
  const Outcome refused = savm("run z usd.json");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("error[abi.value]: $.args.p.withheld.currency: expected PKR, got \"USD\""), std::string::npos)
      << refused.err;
  write("pay.json", typed_request("t.zone.pay", Json{{"p", payment(asset_text(1), "1000000", "45000", "r-1")}}));
  const Outcome paid = savm("run z pay.json");
  ASSERT_EQ(paid.exit_code, 0) << paid.out << paid.err;
  EXPECT_EQ(savm("chain verify z").out, "ok chains verified: 2 receipts, 1 assets\n");  // the refused one left none
  // The id as the typed request wrote it (64 hex digits, no 0x) names the same asset.
  const Outcome slice = savm("tensor z --asset " + asset_text(1) + " --jurisdiction pk");
  EXPECT_EQ(slice.exit_code, 0) << slice.err;
  EXPECT_NE(slice.out.find("2 cells"), std::string::npos) << slice.out;
  EXPECT_NE(slice.out.find("tax                  compliant"), std::string::npos) << slice.out;
}

}  // namespace
}  // namespace savm::testing
