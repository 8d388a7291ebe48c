// Mizan transitions: the checker's rules for clauses, the reference evaluator's writes, and the
// compiled module's TENSOR_SETs against the same tensor, which must agree (the evaluator is the
// oracle; the expected states below are worked by hand from the pack's text).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <tuple>
#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/checker.h"
#include "lang/evaluator.h"
#include "lang/parser.h"
#include "tests/compiler/checked_source.h"
#include "vm/crypto/digest.h"
#include "vm/memory_host.h"

#include "tests/compiler/formats_words.h"

namespace savm::compiler {
namespace {

using lang::Value;

// s.153-style withholding: 4.5% of the amount, rounded half up to the whole rupee. The payment
// is tax-compliant when at least that much was withheld, and only a sanctions-cleared payer may
// pay. `settle` shows that a write is read back and that a later failed requirement undoes it.
const char* kTransitionPack = R"(lawpack t.pay "Transitions test"
  jurisdiction pk  version "1"  source "/akn/test"

record Payment {
  payer: AssetId
  amount: Money<PKR>
  withheld: Money<PKR>
  receipt: String
}

rule due(p: Payment) -> Money<PKR> cites "s.153"
  = round(mul(p.amount, 4.5%), to: 1 PKR, mode: half_up)

compliance tax(p: Payment) -> State cites "s.153"
  = if p.withheld >= due(p) then compliant else non_compliant

transition pay(p: Payment) cites "s.153"
  requires tensor(p.payer, pk, sanctions) is passing
  let verdict = tax(p)
  writes tensor(p.payer, pk, tax) := verdict evidence p.receipt

transition settle(a: AssetId, strict: Bool)
  writes tensor(a, pk, payments) := compliant evidence "settlement"
  requires tensor(a, pk, payments) is passing
  writes tensor(a, pk, tax) := exempt evidence a
  requires not strict
)";

using testing::check_text;

std::vector<std::string> error_codes(const testing::CheckedSource& c) { return c.error_codes(); }

constexpr std::int64_t k2025_01_01 = 20089;
// Domain codes (FORMATS.md order) and the short-string word of `pk` (docs/vm.md).
using testing::kPayments;
using testing::kSanctions;
using testing::kTax;
using testing::id_word;

vm::Word pk_word() {
  std::array<std::uint8_t, 32> bytes{};
  bytes[0] = 'p';
  bytes[1] = 'k';
  bytes[31] = 2;
  return vm::Word::from_be_bytes(bytes);
}

Value money(const std::string& minor_units) { return Value{minor_units, {}, {}}; }
Value bytes(const std::string& b) { return Value{"", b, {}}; }
Value payment(const std::string& payer, const std::string& amount, const std::string& withheld) {
  return Value{"", "", {bytes(payer), money(amount), money(withheld), bytes("receipt-1")}};
}


class TransitionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = check_text(kTransitionPack);
    ASSERT_TRUE(source_->checked.program) << ::testing::PrintToString(error_codes(*source_));
    program_ = source_->checked.program.get();
    pack_ = std::make_unique<CompiledPack>(compile_pack(*program_, "t.pay"));
  }

  // Both tiers on one tensor given as (asset, domain, state) cells in jurisdiction pk; the
  // compiled writes, translated to the evaluator's form, must equal the evaluator's.
  lang::TransitionRun run_both(const std::string& name, const std::vector<Value>& args,
                               const std::vector<std::tuple<std::string, int, int>>& cells) {
    const lang::TransitionInfo* t = program_->find_transition(name);
    EXPECT_NE(t, nullptr);
    lang::TensorView view;
    vm::MemoryHost host;
    for (const auto& [asset, domain, state] : cells) {
      view[{asset, pk_word().to_decimal(), std::to_string(domain)}] = state;
      host.set_tensor({id_word(asset), pk_word(), static_cast<vm::Domain>(domain)},
                      {static_cast<vm::ComplianceState>(state), {}, 0, 0});
    }
    lang::TransitionRun reference = lang::run_transition(*program_, *t, args, k2025_01_01, view);
    const TransitionResult compiled = run_transition_export(*pack_, *t, args, k2025_01_01, host);
    EXPECT_EQ(reference.error ? reference.error->code : "", compiled.error_code.value_or(""));
    EXPECT_EQ(reference.writes.size(), compiled.writes.size());
    for (std::size_t i = 0; i < std::min(reference.writes.size(), compiled.writes.size()); ++i) {
      const lang::TensorWrite& r = reference.writes[i];
      const vm::TensorUpdate& c = compiled.writes[i];
      EXPECT_EQ(id_word(r.cell.asset), c.key.asset);
      EXPECT_EQ(r.cell.jurisdiction, c.key.jurisdiction.to_decimal());
      EXPECT_EQ(r.cell.domain, std::to_string(static_cast<int>(c.key.domain)));
      EXPECT_EQ(r.state, static_cast<int>(c.after));
      // A String's text is hashed; an id evidence is held as its 64 hex digits, its raw bytes
      // (this pack's Strings are never 64 hex digits, so the shape tells the two apart).
      EXPECT_EQ(id_word(r.evidence), vm::Word::from_be_bytes(c.evidence.bytes()));
    }
    return reference;
  }

  std::unique_ptr<testing::CheckedSource> source_;
  const lang::Program* program_ = nullptr;
  std::unique_ptr<CompiledPack> pack_;
};

TEST_F(TransitionTest, TransitionsAreExportedAsTransitions) {
  const ExportInfo* pay = pack_->find_export("t.pay.pay");
  ASSERT_NE(pay, nullptr);
  EXPECT_EQ(pay->kind, EntryKind::transition);
  EXPECT_EQ(pay->result_words, 0u);
  EXPECT_NE(pack_->asm_text.find(".export t.pay.pay transition"), std::string::npos);
  EXPECT_NE(pack_->asm_text.find("TENSOR_SET"), std::string::npos);
}

// 1,000,000 PKR × 4.5% = 45,000 PKR due (exact, no rounding). Withheld 45,000: compliant (4).
TEST_F(TransitionTest, FullWithholdingWritesCompliantWithItsEvidence) {
  const auto run = run_both("t.pay.pay", {payment("asset-1", "100000000", "4500000")}, {{"asset-1", kSanctions, 4}});
  ASSERT_FALSE(run.error) << run.error->message;
  ASSERT_EQ(run.writes.size(), 1u);
  EXPECT_EQ(run.writes[0].cell.domain, std::to_string(kTax));
  EXPECT_EQ(run.writes[0].state, 4);
  EXPECT_EQ(run.writes[0].evidence, "receipt-1");
}

// The id rule in both tiers: a payer given as 64 hex digits is those raw bytes (the zone's asset
// key), and "asset-1" is the same id as the hex digits of its SHA-256, in a tensor key or an
// argument.
TEST_F(TransitionTest, IdsGivenAsHexAreTheirRawBytesInBothTiers) {
  const std::string raw = std::string(62, '0') + "2a";
  const auto hex_payer = run_both("t.pay.pay", {payment(raw, "100000000", "4500000")}, {{raw, kSanctions, 4}});
  ASSERT_FALSE(hex_payer.error) << hex_payer.error->message;
  ASSERT_EQ(hex_payer.writes.size(), 1u);
  EXPECT_EQ(hex_payer.writes[0].cell.asset, raw);
  EXPECT_EQ(id_word(raw), vm::Word::from_u64(42));

  const std::string hashed = vm::sha256(std::string("asset-1")).hex();
  const auto cleared = run_both("t.pay.pay", {payment("asset-1", "100000000", "4500000")}, {{hashed, kSanctions, 4}});
  ASSERT_FALSE(cleared.error) << cleared.error->message;  // the sanctions cell of "asset-1" is read
  EXPECT_EQ(cleared.writes.at(0).cell.asset, hashed);     // and written under the same key
  // Upper-case hex is text like any other: a hashed id, not the raw one, so its cell is pending.
  const auto uppercase = run_both("t.pay.pay", {payment(std::string(62, '0') + "2A", "100000000", "4500000")},
                                  {{raw, kSanctions, 4}});
  ASSERT_TRUE(uppercase.error);
  EXPECT_EQ(uppercase.error->code, "requirement");
}

// One rupee short (44,999 withheld against 45,000 due): non_compliant (0).
TEST_F(TransitionTest, ShortWithholdingWritesNonCompliant) {
  const auto run = run_both("t.pay.pay", {payment("asset-1", "100000000", "4499900")}, {{"asset-1", kSanctions, 4}});
  ASSERT_FALSE(run.error);
  ASSERT_EQ(run.writes.size(), 1u);
  EXPECT_EQ(run.writes[0].state, 0);
}

// exempt (3) and not_applicable (2) pass; pending (1, also a missing cell) and non_compliant (0)
// do not: the requirement fails and nothing is written.
TEST_F(TransitionTest, SanctionsRequirementGatesTheWrite) {
  for (const int state : {2, 3}) {
    const auto run = run_both("t.pay.pay", {payment("a", "100000000", "4500000")}, {{"a", kSanctions, state}});
    EXPECT_FALSE(run.error) << "state " << state;
  }
  for (const int state : {0, 1}) {
    const auto run = run_both("t.pay.pay", {payment("a", "100000000", "4500000")}, {{"a", kSanctions, state}});
    ASSERT_TRUE(run.error) << "state " << state;
    EXPECT_EQ(run.error->code, "requirement");
    EXPECT_TRUE(run.writes.empty());
  }
  const auto missing = run_both("t.pay.pay", {payment("a", "100000000", "4500000")}, {{"other", kSanctions, 4}});
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->code, "requirement");
}

// A write is read back by the requirement after it; a later failed requirement drops both writes.
TEST_F(TransitionTest, WritesAreReadBackAndDroppedTogether) {
  const auto lenient = run_both("t.pay.settle", {bytes("a"), Value{"0", {}, {}}}, {});
  ASSERT_FALSE(lenient.error) << lenient.error->message;
  ASSERT_EQ(lenient.writes.size(), 2u);
  EXPECT_EQ(lenient.writes[0].cell.domain, std::to_string(kPayments));
  EXPECT_EQ(lenient.writes[1].state, 3);
  EXPECT_EQ(lenient.writes[1].evidence, vm::sha256(std::string("a")).hex());  // an AssetId: the id rule
  const auto strict = run_both("t.pay.settle", {bytes("a"), Value{"1", {}, {}}}, {});
  ASSERT_TRUE(strict.error);
  EXPECT_EQ(strict.error->code, "requirement");
  EXPECT_TRUE(strict.writes.empty());
}

// ---- The checker ---------------------------------------------------------------------------------

std::string with_transition(const std::string& body) {
  return "module t.bad version \"1\"\ntransition t(a: AssetId, n: Int)\n" + body + "\n";
}

bool has(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

TEST(TransitionCheck, OnlyTensorCellsAreWriteTargets) {
  const auto c = check_text(with_transition("  writes log(\"x\") := n"));
  EXPECT_TRUE(has(error_codes(*c), "M0127")) << ::testing::PrintToString(error_codes(*c));
  EXPECT_FALSE(has(error_codes(*c), "M0101")) << "the target is not checked as a call";
  EXPECT_FALSE(c->checked.program);
}

TEST(TransitionCheck, ClauseTypes) {
  EXPECT_TRUE(has(error_codes(*check_text(with_transition("  requires n"))), "M0104"));
  EXPECT_TRUE(has(error_codes(*check_text(with_transition("  writes tensor(a, pk, tax) := n evidence a"))), "M0104"));
  EXPECT_TRUE(has(error_codes(*check_text(with_transition("  writes tensor(a, pk, tax) := compliant evidence n"))), "M0104"));
  EXPECT_TRUE(has(error_codes(*check_text(with_transition("  writes tensor(n, pk, tax) := compliant evidence a"))), "M0104"));
}

TEST(TransitionCheck, TensorWritesNeedEvidence) {
  const auto c = check_text(with_transition("  writes tensor(a, pk, tax) := compliant"));
  EXPECT_TRUE(has(error_codes(*c), "M0128")) << ::testing::PrintToString(error_codes(*c));
  EXPECT_TRUE(check_text(with_transition("  writes tensor(a, pk, tax) := compliant evidence \"SRO 1/2025\""))->checked.program);
}

TEST(TransitionCheck, LetBindsForLaterClausesOnly) {
  const auto ok = check_text(with_transition("  let m = n + 1\n  requires m > 2"));
  EXPECT_TRUE(ok->checked.program) << ::testing::PrintToString(error_codes(*ok));
  const auto early = check_text(with_transition("  requires m > 2\n  let m = n + 1"));
  EXPECT_FALSE(early->checked.program);
}

TEST(TransitionCheck, NameClashWithARuleIsReported) {
  const auto c = check_text("module t.bad version \"1\"\nrule t() -> Int = 1\ntransition t(a: AssetId)\n  writes tensor(a, pk, tax) := compliant evidence a\n");
  EXPECT_TRUE(has(error_codes(*c), "M0103"));
}

}  // namespace
}  // namespace savm::compiler
