// Interpreter tests. Every expected gas figure is a hand sum of the documented costs
// (vm/opcodes.h table, docs/gas.md), written next to the program; every run goes through BOTH
// dispatch loops, which must agree exactly.
#include "vm/interpreter.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstring>

#include "tests/vm/code_writer.h"
#include "vm/memory_host.h"

namespace savm::vm {
namespace {

using testing::add_function;
using testing::CodeWriter;
using testing::single;
using testing::verified;

ExecutionContext context_with_gas(std::uint64_t gas) {
  ExecutionContext ctx;
  ctx.gas_limit = gas;
  ctx.asset_id = Word::from_u64(0xA55E7);
  ctx.jurisdiction = Word::from_u64(0x504B);
  ctx.timestamp = 1'700'000'000;
  ctx.law_date = 19'675;
  ctx.sequence = 7;
  ctx.execution_digest = sha256(std::string_view("execution under test"));
  return ctx;
}

ExecutionResult run(const VerifiedModule& m, const Host& host, const ExecutionContext& ctx,
                    std::span<const std::uint8_t> input = {}, std::uint32_t fn = 0) {
  const ExecutionResult by_goto = execute(m, fn, input, ctx, host, Dispatch::computed_goto);
  const ExecutionResult by_switch = execute(m, fn, input, ctx, host, Dispatch::switch_loop);
  EXPECT_EQ(by_goto, by_switch) << "the two dispatch loops disagree";
  return by_goto;
}

ExecutionResult run(const VerifiedModule& m, std::uint64_t gas = 1'000'000) {
  MemoryHost host;
  return run(m, host, context_with_gas(gas));
}

TEST(Interpreter, AddsAndReturnsWithHandCountedGas) {
  CodeWriter c;
  c.push(2).push(3).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c));
  EXPECT_EQ(r.outcome.status, Status::success);
  ASSERT_EQ(r.returned.size(), 1u);
  EXPECT_EQ(r.returned[0], Word::from_u64(5));
  EXPECT_EQ(r.gas_used, 3u + 3 + 5 + 8);
}

TEST(Interpreter, AddOverflowAtMaxFaults) {
  CodeWriter c;
  c.push(Word::max()).push(1).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c));
  EXPECT_EQ(r.outcome.status, Status::fault);
  EXPECT_EQ(r.outcome.fault, FaultKind::overflow);
  EXPECT_EQ(r.gas_used, 1'000'000u);  // a fault consumes the whole limit (docs/gas.md)
  EXPECT_TRUE(r.returned.empty());
}

TEST(Interpreter, SubUnderflowAtMinFaultsButMinItselfIsFine) {
  CodeWriter fine;
  fine.push(Word::min()).push(0).op(Op::SUB).op(Op::RETURN);
  const auto ok = run(single(fine));
  ASSERT_EQ(ok.outcome.status, Status::success);
  EXPECT_EQ(ok.returned[0], Word::min());
  CodeWriter bad;
  bad.push(Word::min()).push(1).op(Op::SUB).op(Op::RETURN);
  EXPECT_EQ(run(single(bad)).outcome.fault, FaultKind::overflow);
}

TEST(Interpreter, DivisionByZeroAndMinByMinusOne) {
  CodeWriter zero;
  zero.push(7).push(0).op(Op::DIV).op(Op::RETURN);
  const auto r = run(single(zero));
  EXPECT_EQ(r.outcome.fault, FaultKind::division_by_zero);
  EXPECT_EQ(r.gas_used, 1'000'000u);  // fault: the whole limit
  CodeWriter mod;
  mod.push(7).push(0).op(Op::MOD).op(Op::RETURN);
  EXPECT_EQ(run(single(mod)).outcome.fault, FaultKind::division_by_zero);
  CodeWriter min;
  min.push(Word::min()).push(-1).op(Op::DIV).op(Op::RETURN);
  EXPECT_EQ(run(single(min)).outcome.fault, FaultKind::overflow);
  CodeWriter neg;
  neg.push(-7).push(2).op(Op::DIV).op(Op::RETURN);  // truncates toward zero
  EXPECT_EQ(run(single(neg)).returned.at(0), Word::from_i64(-3));
}

TEST(Interpreter, ExpChargesPerSignificantExponentByte) {
  CodeWriter c;
  c.push(3).push(300).op(Op::EXP).op(Op::RETURN);  // 300 = 0x012C: 2 significant bytes
  const auto r = run(single(c));
  EXPECT_EQ(r.outcome.fault, FaultKind::overflow);  // 3^300 > 2^255
  EXPECT_EQ(r.gas_used, 1'000'000u);  // fault: the whole limit
  CodeWriter small;
  small.push(-2).push(3).op(Op::EXP).op(Op::RETURN);  // 1 significant byte
  const auto s = run(single(small));
  EXPECT_EQ(s.returned.at(0), Word::from_i64(-8));
  EXPECT_EQ(s.gas_used, 3u + 3 + 10 + 50 + 8);
  CodeWriter negative;
  negative.push(2).push(-1).op(Op::EXP).op(Op::RETURN);
  EXPECT_EQ(run(single(negative)).outcome.fault, FaultKind::negative_exponent);
}

TEST(Interpreter, MulDivRoundingModesOnNegativeHalf) {
  // -5 * 1 / 2 = -2.5 exactly: floor -3, ceil -2, toward_zero -2, half_up -3 (away from zero),
  // half_even -2, half_down -2.
  const std::array<std::int64_t, 6> expected = {-3, -2, -2, -3, -2, -2};
  for (std::uint8_t mode = 0; mode < 6; ++mode) {
    CodeWriter c;
    c.push(-5).push(1).push(2).op_u8(Op::MULDIV, mode).op(Op::RETURN);
    const auto r = run(single(c));
    ASSERT_EQ(r.outcome.status, Status::success) << int(mode);
    EXPECT_EQ(r.returned.at(0), Word::from_i64(expected[mode])) << kRoundingNames[mode];
    EXPECT_EQ(r.gas_used, 3u * 3 + 20 + 8);
  }
  CodeWriter zero;
  zero.push(1).push(1).push(0).op_u8(Op::MULDIV, 0).op(Op::RETURN);
  EXPECT_EQ(run(single(zero)).outcome.fault, FaultKind::division_by_zero);
}

TEST(Interpreter, ComparisonsAreSignedAndBitwiseOpsRaw) {
  CodeWriter c;  // -1 < 1 signed (unsigned it would be the largest)
  c.push(-1).push(1).op(Op::LT).op(Op::RETURN);
  EXPECT_EQ(run(single(c)).returned.at(0), Word::one());
  CodeWriter n;
  n.push(0).op(Op::NOT).op(Op::RETURN);
  EXPECT_EQ(run(single(n)).returned.at(0), Word::from_i64(-1));
  CodeWriter s;
  s.push(-16).push(2).op(Op::SAR).op(Op::RETURN);
  EXPECT_EQ(run(single(s)).returned.at(0), Word::from_i64(-4));
}

TEST(Interpreter, DupSwapLocals) {
  CodeWriter c;  // locals[0] = 10; stack: 10 20 -> SWAP 1 -> 20 10 -> DUP 2 -> 20 10 20 -> SUB -> 20 -10
  c.push(10).op_u16(Op::LOCAL_SET, 0).op_u16(Op::LOCAL_GET, 0).push(20).op_u8(Op::SWAP, 1)
      .op_u8(Op::DUP, 2).op(Op::SUB).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c, 1, 1));
  EXPECT_EQ(r.returned.at(0), Word::from_u64(10));  // 20 + (10 - 20)
  EXPECT_EQ(r.gas_used, 3u + 3 + 3 + 3 + 3 + 3 + 5 + 5 + 8);
}

TEST(Interpreter, BranchesForwardOnly) {
  CodeWriter c;
  c.push(1).jump(Op::JUMPI, "yes").push(111).op(Op::RETURN).label("yes").push(222).op(Op::RETURN);
  const auto r = run(single(c));
  EXPECT_EQ(r.returned.at(0), Word::from_u64(222));
  EXPECT_EQ(r.gas_used, 3u + 10 + 3 + 8);
}

// A comparison followed by JUMPI runs in one handler (vm/interpreter_loop.inc); it must behave
// exactly like the two instructions: both gas charges, out of gas on the JUMPI's own units,
// signed order, both branch directions.
TEST(Interpreter, CompareThenJumpiBranchesOnTheSignedResult) {
  struct Case {
    Op op;
    bool holds;  // for a = -1, b = 2 (signed: -1 < 2)
  };
  const Case cases[] = {{Op::EQ, false}, {Op::NE, true}, {Op::LT, true},
                        {Op::GT, false}, {Op::LE, true}, {Op::GE, false}};
  for (const Case& k : cases) {
    CodeWriter c;
    c.push(Word::from_i64(-1)).push(2).op(k.op).jump(Op::JUMPI, "yes").push(111).op(Op::RETURN);
    c.label("yes").push(222).op(Op::RETURN);
    const auto r = run(single(c));
    ASSERT_EQ(r.outcome.status, Status::success);
    EXPECT_EQ(r.returned.at(0), Word::from_u64(k.holds ? 222 : 111)) << op_info(k.op).mnemonic;
    EXPECT_EQ(r.gas_used, 3u + 3 + 5 + 10 + 3 + 8);
  }
}

TEST(Interpreter, CompareThenJumpiRunsOutOfGasOnEitherInstruction) {
  CodeWriter c;
  c.push(5).push(3).op(Op::GT).jump(Op::JUMPI, "yes").push(111).op(Op::RETURN);
  c.label("yes").push(222).op(Op::RETURN);
  const auto m = single(c);
  MemoryHost host;
  const auto exact = run(m, host, context_with_gas(3 + 3 + 5 + 10 + 3 + 8));
  ASSERT_EQ(exact.outcome.status, Status::success);
  EXPECT_EQ(exact.returned.at(0), Word::from_u64(222));
  for (const std::uint64_t limit : {3u + 3 + 5 + 9, 3u + 3 + 4, 3u + 3 + 5 + 10 + 2}) {
    const auto r = run(m, host, context_with_gas(limit));
    EXPECT_EQ(r.outcome.status, Status::out_of_gas) << limit;  // JUMPI short, GT short, PUSH short
    EXPECT_EQ(r.gas_used, limit);
  }
}

TEST(Interpreter, JumpOntoAJumpiThatFollowsACompare) {
  // Both paths reach `j` with one word on the stack: the taken JUMPI carries 9 there, the
  // fall-through computes 2 > 1. Entering at `j` must run the JUMPI alone.
  CodeWriter c;
  c.push(9).push(1).jump(Op::JUMPI, "j").op(Op::POP).push(2).push(1).op(Op::GT);
  c.label("j").jump(Op::JUMPI, "yes").push(111).op(Op::RETURN).label("yes").push(222).op(Op::RETURN);
  const auto r = run(single(c));
  ASSERT_EQ(r.outcome.status, Status::success);
  EXPECT_EQ(r.returned.at(0), Word::from_u64(222));
  EXPECT_EQ(r.gas_used, 3u + 3 + 10 + 10 + 3 + 8);  // PUSH PUSH JUMPI, JUMPI at j, PUSH RETURN
}

TEST(Interpreter, CallPassesParametersThroughLocals) {
  Module m;
  CodeWriter main;
  main.push(40).push(2).op_u16(Op::CALL, 1).op(Op::RETURN);
  CodeWriter sub;  // (a, b) -> a - b
  sub.op_u16(Op::LOCAL_GET, 0).op_u16(Op::LOCAL_GET, 1).op(Op::SUB).op(Op::RETURN);
  add_function(m, 0, 1, 0, main);
  add_function(m, 2, 1, 2, sub);
  m.exports.push_back(Export{"main", ExportKind::transition, 0});
  const auto r = run(verified(std::move(m)));
  EXPECT_EQ(r.returned.at(0), Word::from_u64(38));
  EXPECT_EQ(r.gas_used, 3u + 3 + 40 + (3 + 3 + 5 + 8) + 8);
}

// f_i calls f_{i+1}; the chain is `frames` deep in total.
VerifiedModule call_chain(std::uint32_t frames) {
  Module m;
  for (std::uint32_t i = 0; i < frames; ++i) {
    CodeWriter c;
    if (i + 1 < frames) {
      c.op_u16(Op::CALL, static_cast<std::uint16_t>(i + 1)).op(Op::RETURN);
    } else {
      c.push(1).op(Op::RETURN);
    }
    add_function(m, 0, 1, 0, c);
  }
  m.exports.push_back(Export{"main", ExportKind::transition, 0});
  return verified(std::move(m));
}

TEST(Interpreter, CallDepthCapIsSixtyFourFrames) {
  const auto ok = run(call_chain(64));
  EXPECT_EQ(ok.outcome.status, Status::success);
  EXPECT_EQ(ok.gas_used, 63u * 40 + 3 + 64 * 8);
  const auto deep = run(call_chain(65));
  EXPECT_EQ(deep.outcome.fault, FaultKind::call_depth);
  EXPECT_EQ(deep.gas_used, 1'000'000u);  // the 65th frame faults: the whole limit
}

TEST(Interpreter, OutOfGasOnTheExactLastUnit) {
  CodeWriter c;
  c.push(2).push(3).op(Op::ADD).op(Op::RETURN);  // 19 gas
  const auto m = single(c);
  MemoryHost host;
  const auto exact = run(m, host, context_with_gas(19));
  EXPECT_EQ(exact.outcome.status, Status::success);
  EXPECT_EQ(exact.gas_used, 19u);
  const auto short_by_one = run(m, host, context_with_gas(18));
  EXPECT_EQ(short_by_one.outcome.status, Status::out_of_gas);
  EXPECT_EQ(short_by_one.gas_used, 18u);  // out of gas consumes the whole limit
  EXPECT_TRUE(short_by_one.returned.empty());
  EXPECT_EQ(run(m, host, context_with_gas(0)).outcome.status, Status::out_of_gas);
}

TEST(Interpreter, MemoryGrowthIsChargedPerNewWord) {
  CodeWriter c;  // MSTORE at 40 touches bytes 40..71 -> memory grows to 96 bytes = 3 words
  c.push(40).push(7).op(Op::MSTORE).push(40).op(Op::MLOAD).op(Op::MSIZE).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c));
  EXPECT_EQ(r.returned.at(0), Word::from_u64(7 + 96));
  EXPECT_EQ(r.gas_used, 3u + 3 + 3 + 3 * 3 + 3 + 3 + 3 + 5 + 8);
  CodeWriter cap;  // one byte past the 1 MiB cap
  cap.push(kMaxMemoryBytes - 31).push(1).op(Op::MSTORE).op(Op::HALT);
  const auto f = run(single(cap, 0));
  EXPECT_EQ(f.outcome.fault, FaultKind::memory_limit);
  EXPECT_EQ(f.gas_used, 1'000'000u);  // fault: the whole limit
  CodeWriter last;  // the last word below the cap is fine: 32768 words of growth
  last.push(kMaxMemoryBytes - 32).push(1).op(Op::MSTORE).op(Op::HALT);
  const auto l = run(single(last, 0), 1'000'000);
  EXPECT_EQ(l.outcome.status, Status::success);
  EXPECT_EQ(l.gas_used, 3u + 3 + 3 + 3 * (kMaxMemoryBytes / 32) + 3);
}

TEST(Interpreter, StorageWritesAreJournaledAndReadBack) {
  CodeWriter c;  // SSTORE(1, 42); SLOAD(1) + SHAS(2)
  c.push(1).push(42).op(Op::SSTORE).push(1).op(Op::SLOAD).push(2).op(Op::SHAS).op(Op::ADD).op(Op::RETURN);
  MemoryHost host;
  const auto ctx = context_with_gas(100'000);
  const auto r = run(single(c), host, ctx);
  ASSERT_EQ(r.outcome.status, Status::success);
  EXPECT_EQ(r.returned.at(0), Word::from_u64(42));
  EXPECT_EQ(r.gas_used, 3u + 3 + 5000 + 3 + 200 + 3 + 200 + 5 + 8);
  ASSERT_EQ(r.effects.storage.size(), 1u);
  EXPECT_EQ(r.effects.storage[0], (StorageChange{Word::one(), std::nullopt, Word::from_u64(42)}));
  EXPECT_FALSE(host.storage_get(ctx.asset_id, Word::one()).has_value());  // nothing committed yet
  host.apply(ctx.asset_id, r.effects);
  EXPECT_EQ(host.storage_get(ctx.asset_id, Word::one()), Word::from_u64(42));
}

TEST(Interpreter, SdeleteRefundsOnSuccess) {
  MemoryHost host;
  const auto ctx = context_with_gas(100'000);
  host.set_storage(ctx.asset_id, Word::from_u64(5), Word::from_u64(9));
  CodeWriter c;
  c.push(5).op(Op::SDELETE).push(6).op(Op::SDELETE).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c), host, ctx);
  EXPECT_EQ(r.returned.at(0), Word::one());  // 1 existed + 0 did not
  EXPECT_EQ(r.gas_used, 3u + 5000 + 3 + 5000 + 5 + 8 - 4800);
  ASSERT_EQ(r.effects.storage.size(), 1u);
  EXPECT_EQ(r.effects.storage[0], (StorageChange{Word::from_u64(5), Word::from_u64(9), std::nullopt}));
}

TEST(Interpreter, RevertDropsEveryEffectAndKeepsCodeAndMessage) {
  CodeWriter c;  // SSTORE, TENSOR_SET, LOG0, ATTEST, then REVERT(77, "no") from memory
  c.push(1).push(2).op(Op::SSTORE)
      .push(9).push(8).push(0).push(4).push(0xE7).op(Op::TENSOR_SET)
      .push(0).push(0).op(Op::LOG0)
      .push(9).push(8).push(1).push(5).op(Op::ATTEST).op(Op::POP)
      .push(0).push(0x6e6f).op(Op::MSTORE)  // "no" in the last two bytes of word 0: bytes 30..31
      .push(77).push(30).push(2).op(Op::REVERT);
  const auto r = run(single(c, 0));
  ASSERT_EQ(r.outcome.status, Status::revert);
  EXPECT_EQ(r.outcome.revert_code, Word::from_u64(77));
  EXPECT_EQ(r.outcome.revert_message, (std::vector<std::uint8_t>{'n', 'o'}));
  EXPECT_EQ(r.effects, Effects{});
}

TEST(Interpreter, FaultAndOutOfGasAlsoDropEffects) {
  CodeWriter fault;
  fault.push(1).push(2).op(Op::SSTORE).push(1).push(0).op(Op::DIV).op(Op::HALT);
  const auto f = run(single(fault, 0));
  EXPECT_EQ(f.outcome.status, Status::fault);
  EXPECT_EQ(f.effects, Effects{});
  CodeWriter oog;
  oog.push(1).push(2).op(Op::SSTORE).push(3).push(4).op(Op::SSTORE).op(Op::HALT);
  const auto o = run(single(oog, 0), 3 + 3 + 5000 + 3 + 3 + 4999);
  EXPECT_EQ(o.outcome.status, Status::out_of_gas);
  EXPECT_EQ(o.effects, Effects{});
}

TEST(Interpreter, AssertRevertsWithItsCode) {
  CodeWriter c;
  c.push(0).push(13).op(Op::ASSERT).op(Op::HALT);
  const auto r = run(single(c, 0));
  EXPECT_EQ(r.outcome.status, Status::revert);
  EXPECT_EQ(r.outcome.revert_code, Word::from_u64(13));
  EXPECT_EQ(r.gas_used, 3u + 3 + 5);
  CodeWriter pass;
  pass.push(1).push(13).op(Op::ASSERT).op(Op::HALT);
  EXPECT_EQ(run(single(pass, 0)).outcome.status, Status::success);
}

TEST(Interpreter, ContextOpsReadTheContext) {
  CodeWriter c;
  c.op(Op::TIMESTAMP).op(Op::LAW_DATE).op(Op::ADD).op(Op::SEQUENCE).op(Op::ADD).op(Op::GAS).op(Op::ADD)
      .op(Op::RETURN);
  const auto r = run(single(c), 1000);
  // GAS reads what is left after its own charge: 1000 - (3+3+5+3+5+3) = 978.
  EXPECT_EQ(r.returned.at(0), Word::from_u64(1'700'000'000ull + 19'675 + 7 + 978));
}

TEST(Interpreter, InputLoadAndCopyZeroFillPastTheEnd) {
  std::vector<std::uint8_t> input(40, 0);
  input[31] = 5;
  input[39] = 0xAB;  // byte 8 of the second word; the input ends there
  CodeWriter c;
  c.push(0).op(Op::INPUT_LOAD).op(Op::INPUT_SIZE).op(Op::ADD).push(Word::max()).op(Op::INPUT_LOAD)
      .op(Op::ADD).op(Op::RETURN);
  MemoryHost host;
  const auto r = run(single(c), host, context_with_gas(10'000), input);
  EXPECT_EQ(r.returned.at(0), Word::from_u64(5 + 40));
  CodeWriter copy;  // INPUT_COPY(dest 0, offset 32, len 8): memory bytes 0..7 = 00 x7, AB
  copy.push(0).push(32).push(8).op(Op::INPUT_COPY).push(0).op(Op::MLOAD).op(Op::RETURN);
  const auto k = run(single(copy), host, context_with_gas(10'000), input);
  Word expected = Word::zero();
  expected.limb[3] = 0xAB;  // big-endian byte 7 is the low byte of the top limb
  EXPECT_EQ(k.returned.at(0), expected);
  EXPECT_EQ(k.gas_used, 3u * 3 + 3 + 3 * 1 + 3 * 1 + 3 + 3 + 8);  // copy: base + 1 word + growth 1
}

// INPUT_LOAD reads a whole word straight from the input when 32 bytes remain, else zero-fills:
// check both sides of that edge on a 40-byte input (offset 8: bytes 8..39; offset 9: 31 bytes).
TEST(Interpreter, InputLoadAtTheLastWholeWordAndOneBytePast) {
  std::vector<std::uint8_t> input(40, 0);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i + 1);
  MemoryHost host;
  for (const std::uint64_t offset : {0u, 8u, 9u, 39u, 40u}) {
    CodeWriter c;
    c.push(static_cast<std::int64_t>(offset)).op(Op::INPUT_LOAD).op(Op::RETURN);
    std::array<std::uint8_t, 32> bytes{};  // expected: input[offset..], zero past the end
    for (std::size_t i = 0; i < 32 && offset + i < input.size(); ++i) bytes[i] = input[offset + i];
    Word expected = Word::zero();
    for (std::size_t i = 0; i < 32; ++i) {
      expected.limb[3 - i / 8] |= std::uint64_t{bytes[i]} << (56 - 8 * (i % 8));
    }
    const auto r = run(single(c), host, context_with_gas(10'000), input);
    EXPECT_EQ(r.returned.at(0), expected) << "offset " << offset;
  }
}

TEST(Interpreter, TensorReadsFailClosedAndWritesAreOrdered) {
  MemoryHost host;
  auto ctx = context_with_gas(100'000);
  const TensorKey tax{Word::from_u64(9), Word::from_u64(8), Domain::tax};
  host.set_tensor(tax, TensorCell{ComplianceState::compliant, sha256(std::string_view("e")), 100, 0});
  const TensorKey expired{Word::from_u64(9), Word::from_u64(8), Domain::aml};
  host.set_tensor(expired, TensorCell{ComplianceState::compliant, sha256(std::string_view("e")), 100,
                                      ctx.timestamp});
  CodeWriter c;  // missing kyc (1) reads pending; tax (3) compliant; aml (0) expired -> pending
  c.push(9).push(8).push(1).op(Op::TENSOR_GET)
      .push(9).push(8).push(3).op(Op::TENSOR_GET).op(Op::ADD)
      .push(9).push(8).push(0).op(Op::TENSOR_GET).op(Op::ADD)
      .push(9).push(8).push(1).push(4).push(0xE1).op(Op::TENSOR_SET)
      .push(9).push(8).push(1).op(Op::TENSOR_GET).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c), host, ctx);
  ASSERT_EQ(r.outcome.status, Status::success);
  EXPECT_EQ(r.returned.at(0), Word::from_u64(1 + 4 + 1 + 4));
  EXPECT_EQ(r.gas_used, 4 * (3u * 3 + 10'000) + 3 * 5 + (5 * 3 + 10'000) + 8);
  ASSERT_EQ(r.effects.tensor_updates.size(), 1u);
  const auto& u = r.effects.tensor_updates[0];
  EXPECT_EQ(u.key.domain, Domain::kyc);
  EXPECT_EQ(u.before, ComplianceState::pending);
  EXPECT_EQ(u.after, ComplianceState::compliant);
  EXPECT_EQ(u.as_of, ctx.timestamp);
  CodeWriter bad_domain;
  bad_domain.push(9).push(8).push(23).op(Op::TENSOR_GET).op(Op::RETURN);
  EXPECT_EQ(run(single(bad_domain), host, ctx).outcome.fault, FaultKind::invalid_operand);
  CodeWriter no_evidence;
  no_evidence.push(9).push(8).push(1).push(4).push(0).op(Op::TENSOR_SET).op(Op::HALT);
  EXPECT_EQ(run(single(no_evidence, 0), host, ctx).outcome.fault, FaultKind::invalid_operand);
}

// SHA-256("savm.id.v1" ‖ execution digest ‖ n as 8 bytes BE), computed with libsodium directly.
Word expected_id(const Digest& execution, std::uint64_t n) {
  std::vector<std::uint8_t> buf = {'s', 'a', 'v', 'm', '.', 'i', 'd', '.', 'v', '1'};
  buf.insert(buf.end(), execution.bytes().begin(), execution.bytes().end());
  for (int i = 7; i >= 0; --i) buf.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  std::array<std::uint8_t, 32> out{};
  crypto_hash_sha256(out.data(), buf.data(), buf.size());
  return Word::from_be_bytes(out);
}

TEST(Interpreter, AttestationIdsAreDerivedNotRandom) {
  CodeWriter c;
  c.push(9).push(8).push(2).push(1).op(Op::ATTEST).push(9).push(8).push(2).push(1).op(Op::ATTEST)
      .op(Op::POP).op(Op::RETURN);
  MemoryHost host;
  const auto ctx = context_with_gas(100'000);
  const auto r = run(single(c), host, ctx);
  ASSERT_EQ(r.outcome.status, Status::success);
  EXPECT_EQ(r.returned.at(0), expected_id(ctx.execution_digest, 0));
  ASSERT_EQ(r.effects.attestations.size(), 2u);
  EXPECT_EQ(r.effects.attestations[1].id, expected_id(ctx.execution_digest, 1));
  EXPECT_EQ(r.effects.attestations[0].domain, Domain::sanctions);
}

TEST(Interpreter, ZkVerificationFailsClosed) {
  CodeWriter c;  // VERIFY_ZK[mock](vk 1, inputs 2, empty proof)
  c.push(1).push(2).push(0).push(0).op_u8(Op::VERIFY_ZK, 4).op(Op::RETURN);
  const auto m = single(c);
  MemoryHost production;
  const auto r = run(m, production, context_with_gas(100'000));
  EXPECT_EQ(r.returned.at(0), Word::zero());
  EXPECT_EQ(r.gas_used, 4u * 3 + 50'000 + 8);
  EXPECT_THROW(production.register_mock_zk_verifier(4, [](auto, auto) { return true; }), std::logic_error);
  MemoryHost test_host(HostMode::test);
  test_host.register_mock_zk_verifier(4, [](auto, std::span<const Word> inputs) {
    return inputs.size() == 2 && inputs[0] == Word::one() && inputs[1] == Word::from_u64(2);
  });
  EXPECT_EQ(run(m, test_host, context_with_gas(100'000)).returned.at(0), Word::one());
}

TEST(Interpreter, Sha256OfMemoryMatchesFips180Vector) {
  CodeWriter c;  // "abc" stored as the last 3 bytes of word 0 -> hash bytes 29..31
  c.push(0).push(0x616263).op(Op::MSTORE).push(29).push(3).op(Op::SHA256).op(Op::RETURN);
  const auto r = run(single(c));
  const auto abc = *Digest::from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(r.returned.at(0), Word::from_be_bytes(std::span<const std::uint8_t, 32>(abc.bytes())));
  EXPECT_EQ(r.gas_used, 3u + 3 + (3 + 3) + 3 + 3 + (60 + 12) + 8);
}

TEST(Interpreter, VerifySigAcceptsRfc8032TestOneAndRejectsAFlip) {
  // RFC 8032 §7.1 TEST 1: empty message.
  const auto pk = *Digest::from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const auto sig_lo = *Digest::from_hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155");
  const auto sig_hi = *Digest::from_hex("5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  auto word = [](const Digest& d) { return Word::from_be_bytes(std::span<const std::uint8_t, 32>(d.bytes())); };
  for (bool flip : {false, true}) {
    Word hi = word(sig_hi);
    if (flip) hi.limb[0] ^= 1;
    CodeWriter c;  // signature at 0..63, empty message; VERIFY_SIG(pubkey, 0, 0, 0)
    c.push(0).push(word(sig_lo)).op(Op::MSTORE).push(32).push(hi).op(Op::MSTORE)
        .push(word(pk)).push(0).push(0).push(0).op(Op::VERIFY_SIG).op(Op::RETURN);
    const auto r = run(single(c));
    EXPECT_EQ(r.returned.at(0), Word::from_u64(flip ? 0 : 1));
  }
}

TEST(Interpreter, MerkleVerifyUsesMmrHashing) {
  // Two leaves a, b: root = SHA256(0x01 ‖ SHA256(0x00‖a) ‖ SHA256(0x00‖b)); proof for a: (1, hb).
  const Word a = Word::from_u64(1), b = Word::from_u64(2);
  auto leaf = [](const Word& w) {
    std::array<std::uint8_t, 33> buf{};
    w.to_be_bytes(std::span<std::uint8_t, 32>(buf.data() + 1, 32));
    std::array<std::uint8_t, 32> out{};
    crypto_hash_sha256(out.data(), buf.data(), buf.size());
    return out;
  };
  const auto ha = leaf(a), hb = leaf(b);
  std::array<std::uint8_t, 65> node{};
  node[0] = 1;
  std::memcpy(node.data() + 1, ha.data(), 32);
  std::memcpy(node.data() + 33, hb.data(), 32);
  std::array<std::uint8_t, 32> root{};
  crypto_hash_sha256(root.data(), node.data(), node.size());
  // Proof in memory: byte 0 = side 1 (sibling right), bytes 1..32 = hb. MSTORE8 + MSTORE at 1.
  CodeWriter c;
  c.push(0).push(1).op(Op::MSTORE8).push(1).push(Word::from_be_bytes(hb)).op(Op::MSTORE)
      .push(Word::from_be_bytes(root)).push(a).push(0).push(33).op(Op::MERKLE_VERIFY).op(Op::RETURN);
  EXPECT_EQ(run(single(c)).returned.at(0), Word::one());
  CodeWriter wrong;
  wrong.push(0).push(1).op(Op::MSTORE8).push(1).push(Word::from_be_bytes(hb)).op(Op::MSTORE)
      .push(Word::from_be_bytes(root)).push(b).push(0).push(33).op(Op::MERKLE_VERIFY).op(Op::RETURN);
  EXPECT_EQ(run(single(wrong)).returned.at(0), Word::zero());
}

TEST(Interpreter, MigrationSagaStepsAndRejectsIllegalOnes) {
  MemoryHost host;
  const auto ctx = context_with_gas(10'000'000);
  // id = LOCK(9, 8, 100); TRANSIT(id, 7) -> id, EQ id -> 1; UNLOCK(id) -> 0 (in transit);
  // SETTLE(id) -> 1; MIGRATION_STATE(id) -> 3 (settled). Result: 1 + 0 + 1 + 3 = 5.
  CodeWriter c;
  c.push(9).push(8).push(100).op(Op::LOCK).op_u16(Op::LOCAL_SET, 0)
      .op_u16(Op::LOCAL_GET, 0).push(7).op(Op::TRANSIT).op_u16(Op::LOCAL_GET, 0).op(Op::EQ)
      .op_u16(Op::LOCAL_GET, 0).op(Op::UNLOCK).op(Op::ADD)
      .op_u16(Op::LOCAL_GET, 0).op(Op::SETTLE).op(Op::ADD)
      .op_u16(Op::LOCAL_GET, 0).op(Op::MIGRATION_STATE).op(Op::ADD).op(Op::RETURN);
  const auto r = run(single(c, 1, 1), host, ctx);
  ASSERT_EQ(r.outcome.status, Status::success);
  EXPECT_EQ(r.returned.at(0), Word::from_u64(5));
  ASSERT_EQ(r.effects.migrations.size(), 3u);  // lock, transit, settle (the refused unlock is not)
  EXPECT_EQ(r.effects.migrations[0].record.id, expected_id(ctx.execution_digest, 0));
  EXPECT_EQ(r.effects.migrations[2].record.status, MigrationStatus::settled);
  EXPECT_EQ(r.effects.migrations[2].record.target, Word::from_u64(7));
}

TEST(Interpreter, HostCallUsesTheRegisteredIntrinsicAndChargesImportGas) {
  Module m;
  CodeWriter c;
  c.push(20).push(22).op_u16(Op::HOSTCALL, 0).op(Op::RETURN);
  add_function(m, 0, 1, 0, c);
  m.signatures.push_back(Signature{2, 1});
  m.host_imports.push_back(HostImport{"score.sum", static_cast<std::uint32_t>(m.signatures.size() - 1), 250});
  m.exports.push_back(Export{"main", ExportKind::transition, 0});
  const auto vm = verified(std::move(m));
  MemoryHost host;
  const auto missing = run(vm, host, context_with_gas(10'000));
  EXPECT_EQ(missing.outcome.fault, FaultKind::host_call);
  host.register_intrinsic("score.sum", [](std::span<const Word> args) {
    Word s;
    checked_add(args[0], args[1], s);
    return HostCallResult{true, {s}};
  });
  const auto r = run(vm, host, context_with_gas(10'000));
  EXPECT_EQ(r.returned.at(0), Word::from_u64(42));
  EXPECT_EQ(r.gas_used, 3u + 3 + 100 + 250 + 8);
}

TEST(Interpreter, LogsAndTracesAreEffects) {
  Module m;
  CodeWriter c;  // LOG1(offset 30, len 2, topic 5) with "hi" at bytes 30..31; TRACE[0](11)
  c.push(0).push(0x6869).op(Op::MSTORE).push(30).push(2).push(5).op(Op::LOG1).push(11)
      .op_u16(Op::TRACE, 0).op(Op::HALT);
  add_function(m, 0, 0, 0, c);
  m.metadata.citations.push_back("Income Tax Ordinance 2001 s.153");
  m.exports.push_back(Export{"main", ExportKind::transition, 0});
  const auto r = run(verified(std::move(m)));
  ASSERT_EQ(r.outcome.status, Status::success);
  ASSERT_EQ(r.effects.logs.size(), 1u);
  EXPECT_EQ(r.effects.logs[0], (LogRecord{{Word::from_u64(5)}, {'h', 'i'}}));
  ASSERT_EQ(r.effects.traces.size(), 1u);
  EXPECT_EQ(r.effects.traces[0], (TraceEvent{Word::zero(), {Word::from_u64(11)}}));
  EXPECT_EQ(r.gas_used, 3u + 3 + (3 + 3) + 3 + 3 + 3 + (200 + 2 * 8) + 3 + 20 + 3);
}

TEST(Interpreter, AnalysisIsCachedByDigest) {
  CodeWriter c;
  c.push(1).op(Op::RETURN);
  const auto m1 = single(c);
  const auto m2 = single(c);
  EXPECT_EQ(analyze(m1).get(), analyze(m2).get());
}

}  // namespace
}  // namespace savm::vm
