// The real packs' transitions (packs/pk, packs/ae; docs/packs/) on both tiers: the reference
// evaluator's writes are the oracle for the compiled module's TENSOR_SETs, and the expected
// cells are worked by hand from the reference sheets (the sums are in the comments).
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/evaluator.h"
#include "lang/workspace.h"
#include "vm/crypto/digest.h"
#include "vm/memory_host.h"

#include "tests/compiler/formats_words.h"

namespace savm::compiler {
namespace {

using lang::Value;

using namespace savm::testing;  // FORMATS.md codes and the id rule (tests/compiler/formats_words.h)
constexpr std::int64_t k2025_03_15 = 20162;  // 2025-01-01 is day 20089; + 31 + 28 + 14
constexpr std::int64_t k2025_07_01 = 20270;  // TY2026 starts

// The short-string word of a jurisdiction code (docs/vm.md): its bytes, then its length last.
vm::Word jurisdiction(const std::string& code) {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < code.size(); ++i) bytes[i] = static_cast<std::uint8_t>(code[i]);
  bytes[31] = static_cast<std::uint8_t>(code.size());
  return vm::Word::from_be_bytes(bytes);
}
// The ids here are text, never 64 hex digits, so by the id rule (docs/mizan.md "Ids") each is the
// SHA-256 of its bytes: the word the compiled tier reads, and in hex the evaluator's tensor key.
std::string id_key(const std::string& id) { return vm::sha256(id).hex(); }

std::array<std::uint8_t, 32> word_bytes(const vm::Word& w) {
  std::array<std::uint8_t, 32> out{};
  w.to_be_bytes(out);
  return out;
}

Value scalar(const std::string& s) { return Value{s, {}, {}}; }
Value text(const std::string& b) { return Value{"", b, {}}; }
Value record(std::vector<Value> fields) { return Value{"", "", std::move(fields)}; }

struct Cell {
  std::string asset;
  std::string jurisdiction;
  int domain;
  int state;
};

// One pack directory, checked and compiled once per test suite.
class PackTransitions : public ::testing::Test {
 protected:
  static void load(const std::string& dir, std::unique_ptr<lang::Workspace>& ws) {
    ws = std::make_unique<lang::Workspace>(lang::load_workspace(std::string(SAVM_SOURCE_DIR) + "/" + dir));
  }

  // Runs `name` on both tiers against `cells`; the compiled writes must equal the evaluator's.
  static lang::TransitionRun run_both(const lang::Workspace& ws, const std::string& pack, const std::string& name,
                                      const std::vector<Value>& args, std::int64_t day, const std::vector<Cell>& cells) {
    const lang::Program& program = *ws.program;
    const lang::TransitionInfo* t = program.find_transition(name);
    EXPECT_NE(t, nullptr) << name;
    if (t == nullptr) return {};
    const CompiledPack compiled_pack = compile_pack(program, pack);
    lang::TensorView view;
    vm::MemoryHost host;
    for (const Cell& c : cells) {
      view[{id_key(c.asset), jurisdiction(c.jurisdiction).to_decimal(), std::to_string(c.domain)}] = c.state;
      host.set_tensor({id_word(c.asset), jurisdiction(c.jurisdiction), static_cast<vm::Domain>(c.domain)},
                      {static_cast<vm::ComplianceState>(c.state), {}, 0, 0});
    }
    lang::TransitionRun reference = lang::run_transition(program, *t, args, day, view);
    const TransitionResult compiled = run_transition_export(compiled_pack, *t, args, day, host);
    EXPECT_EQ(reference.error ? reference.error->code : "", compiled.error_code.value_or("")) << name;
    EXPECT_EQ(reference.writes.size(), compiled.writes.size()) << name;
    for (std::size_t i = 0; i < std::min(reference.writes.size(), compiled.writes.size()); ++i) {
      const lang::TensorWrite& r = reference.writes[i];
      const vm::TensorUpdate& c = compiled.writes[i];
      EXPECT_EQ(r.cell.asset, vm::Digest(word_bytes(c.key.asset)).hex());
      EXPECT_EQ(r.cell.jurisdiction, c.key.jurisdiction.to_decimal());
      EXPECT_EQ(r.cell.domain, std::to_string(static_cast<int>(c.key.domain)));
      EXPECT_EQ(r.state, static_cast<int>(c.after));
      EXPECT_EQ(vm::sha256(r.evidence), c.evidence);
    }
    return reference;
  }

  // The one write of a successful run: (asset, jurisdiction, domain, state, evidence).
  static void expect_write(const lang::TransitionRun& run, const std::string& asset, const std::string& code, int domain,
                           int state, const std::string& evidence) {
    ASSERT_FALSE(run.error) << run.error->code << ": " << run.error->message;
    ASSERT_EQ(run.writes.size(), 1u);
    EXPECT_EQ(run.writes[0].cell.asset, id_key(asset));
    EXPECT_EQ(run.writes[0].cell.jurisdiction, jurisdiction(code).to_decimal());
    EXPECT_EQ(run.writes[0].cell.domain, std::to_string(domain));
    EXPECT_EQ(run.writes[0].state, state);
    EXPECT_EQ(run.writes[0].evidence, evidence);
  }

  static void SetUpTestSuite() {
    load("packs/pk", pk_);
    load("packs/ae", ae_);
  }
  static void TearDownTestSuite() {
    pk_.reset();
    ae_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(pk_ && pk_->program) << "packs/pk does not check";
    ASSERT_TRUE(ae_ && ae_->program) << "packs/ae does not check";
  }

  static std::unique_ptr<lang::Workspace> pk_, ae_;
};
std::unique_ptr<lang::Workspace> PackTransitions::pk_, PackTransitions::ae_;

// Only transitions are transition exports: a table or rule that returns a record (ae.ct.ct_bands,
// pk.ito2001.salary_slabs) is a `rule` export, so a zone refuses to run it as a transition.
TEST_F(PackTransitions, OnlyTransitionsAreTransitionExports) {
  for (const auto& [ws, pack] : {std::pair{ae_.get(), "ae.ct"}, std::pair{pk_.get(), "pk.ito2001"}}) {
    const CompiledPack compiled = compile_pack(*ws->program, pack);
    for (const vm::Export& e : compiled.module.exports) {
      const ExportInfo* info = compiled.find_export(e.name);
      ASSERT_NE(info, nullptr) << e.name;
      EXPECT_EQ(e.kind == vm::ExportKind::transition, info->kind == EntryKind::transition) << e.name;
    }
  }
  const CompiledPack ct = compile_pack(*ae_->program, "ae.ct");
  const ExportInfo* bands = ct.find_export("ae.ct.ct_bands");
  ASSERT_NE(bands, nullptr);
  EXPECT_GT(bands->result_words, 1u);  // a record: more than one word, still a rule
}

// s.149 TY2025 on 1,500,000: 30,000 + 15% × 300,000 = 75,000 PKR (7,500,000 paisa) due.
TEST_F(PackTransitions, SalaryWithholdingWritesTheEmployersTaxCell) {
  const auto salary = [](const char* withheld) {
    return std::vector<Value>{record({text("karachi"), scalar("150000000"), scalar(withheld), text("payroll")})};
  };
  expect_write(run_both(*pk_, "pk.ito2001", "pk.ito2001.withhold_salary", salary("7500000"), k2025_03_15, {}), "karachi",
               "pk", kTax, kCompliant, "payroll");
  expect_write(run_both(*pk_, "pk.ito2001", "pk.ito2001.withhold_salary", salary("7499900"), k2025_03_15, {}), "karachi",
               "pk", kTax, kNonCompliant, "payroll");
}

// s.153(1)(a) TY2025, 1,000,000 PKR to an ATL company: 5% = 50,000 due; to a non-ATL company 10%
// = 100,000, so 50,000 withheld is short. TY2026 goods rates are single-source: no_row, no write.
TEST_F(PackTransitions, GoodsPaymentWritesThePayersTaxCell) {
  const auto goods = [](const char* on_atl) {
    return std::vector<Value>{
        record({text("karachi"), scalar("1"), scalar(on_atl), scalar("100000000"), scalar("5000000"), text("invoice")})};
  };
  expect_write(run_both(*pk_, "pk.ito2001", "pk.ito2001.pay_goods", goods("1"), k2025_03_15, {}), "karachi", "pk", kTax,
               kCompliant, "invoice");
  expect_write(run_both(*pk_, "pk.ito2001", "pk.ito2001.pay_goods", goods("0"), k2025_03_15, {}), "karachi", "pk", kTax,
               kNonCompliant, "invoice");
  const auto ty2026 = run_both(*pk_, "pk.ito2001", "pk.ito2001.pay_goods", goods("1"), k2025_07_01, {});
  ASSERT_TRUE(ty2026.error);
  EXPECT_EQ(ty2026.error->code, "no_row");
  EXPECT_TRUE(ty2026.writes.empty());
}

// sanctions-sample.json: Lashkar-e-Jhangvi is proscribed (ATA 1997, 2001-08-14); "gulfcomponents"
// is on no list.
TEST_F(PackTransitions, ScreeningWritesTheSanctionsCellWithTheInputAsEvidence) {
  const auto screening = [](const char* key) {
    return std::vector<Value>{record({text("karachi"), record({text("karachitraders"), text(key)}), text("input")})};
  };
  expect_write(run_both(*pk_, "pk.sanctions", "pk.sanctions.screen", screening("gulfcomponents"), k2025_03_15, {}),
               "karachi", "pk", kSanctions, kCompliant, "input");
  expect_write(run_both(*pk_, "pk.sanctions", "pk.sanctions.screen", screening("lashkarejhangvi"), k2025_03_15, {}),
               "karachi", "pk", kSanctions, kNonCompliant, "input");
}

// DOMAIN.md license statuses: active (0) → compliant, suspended (2) → non_compliant.
TEST_F(PackTransitions, RegistrationWritesTheLicensingCell) {
  const auto registration = [](const char* status) {
    return std::vector<Value>{text("karachi"), record({text("karachi"), text("0123456"), scalar(status)}), text("extract")};
  };
  expect_write(run_both(*pk_, "pk.secp", "pk.secp.record_registration", registration("0"), k2025_03_15, {}), "karachi",
               "pk", kLicensing, kCompliant, "extract");
  expect_write(run_both(*pk_, "pk.secp", "pk.secp.record_registration", registration("2"), k2025_03_15, {}), "karachi",
               "pk", kLicensing, kNonCompliant, "extract");
}

// The payment needs the meet of the payer's pk cells and the payee's ae cells to be compliant or
// exempt; it writes the payer's payments cell. USD 250,000 = 25,000,000 cents.
TEST_F(PackTransitions, CrossBorderPaymentMeetsBothSides) {
  const std::vector<Value> payment{record({text("karachi"), text("gulf"), scalar("25000000"), text("instruction")})};
  const auto cells = [](int pk_state, int ae_state, bool with_ae) {
    std::vector<Cell> c{{"karachi", "pk", kSanctions, pk_state}, {"karachi", "pk", kTax, kCompliant},
                        {"karachi", "pk", kLicensing, kCompliant}};
    if (with_ae) c.insert(c.end(), {{"gulf", "ae", kCorporate, ae_state}, {"gulf", "ae", kTax, kCompliant}});
    return c;
  };
  expect_write(run_both(*pk_, "pk.corridor", "pk.corridor.pay", payment, k2025_03_15, cells(kCompliant, kCompliant, true)),
               "karachi", "pk", kPayments, kCompliant, "instruction");
  // meet(compliant, exempt) = exempt: passes.
  expect_write(run_both(*pk_, "pk.corridor", "pk.corridor.pay", payment, k2025_03_15, cells(kCompliant, kExempt, true)),
               "karachi", "pk", kPayments, kCompliant, "instruction");
  // A listed party, a not_applicable AE cell, or AE cells never imported (pending): refused.
  for (const auto& [pk_state, ae_state, with_ae] : {std::tuple{kNonCompliant, kCompliant, true},
                                                    std::tuple{kCompliant, kNotApplicable, true},
                                                    std::tuple{kCompliant, kPending, false}}) {
    const auto refused =
        run_both(*pk_, "pk.corridor", "pk.corridor.pay", payment, k2025_03_15, cells(pk_state, ae_state, with_ae));
    ASSERT_TRUE(refused.error) << pk_state << " " << ae_state;
    EXPECT_EQ(refused.error->code, "requirement");
    EXPECT_TRUE(refused.writes.empty());
  }
}

// ADGM s.287: a private company (0) needs no secretary; s.288: a public one (1) does.
TEST_F(PackTransitions, AdgmOfficersWriteTheCorporateCell) {
  const auto officers = [](const char* kind) {
    return std::vector<Value>{text("gulf"), record({scalar(kind), scalar("2"), scalar("2"), scalar("0")}), text("register")};
  };
  expect_write(run_both(*ae_, "ae.adgm.companies", "ae.adgm.companies.assess_officers", officers("0"), k2025_03_15, {}),
               "gulf", "ae", kCorporate, kCompliant, "register");
  expect_write(run_both(*ae_, "ae.adgm.companies", "ae.adgm.companies.assess_officers", officers("1"), k2025_03_15, {}),
               "gulf", "ae", kCorporate, kNonCompliant, "register");
}

// VAT Art. 13: AED 4,200,000 of supplies (420,000,000 fils) > 375,000: must register.
TEST_F(PackTransitions, VatRegistrationWritesTheAeTaxCell) {
  const auto vat = [](const char* registered) {
    return std::vector<Value>{
        text("gulf"), record({scalar("420000000"), scalar("35000000"), scalar("290000000"), scalar("0")}),
        scalar(registered), text("certificate")};
  };
  expect_write(run_both(*ae_, "ae.vat", "ae.vat.assess_registration", vat("1"), k2025_03_15, {}), "gulf", "ae", kTax,
               kCompliant, "certificate");
  expect_write(run_both(*ae_, "ae.vat", "ae.vat.assess_registration", vat("0"), k2025_03_15, {}), "gulf", "ae", kTax,
               kNonCompliant, "certificate");
}

}  // namespace
}  // namespace savm::compiler
