// The analysis fuses `LOCAL_GET i; PUSHn k; compare; JUMPI t` into one internal instruction
// (vm/interpreter.h, kFusedLocalCompareJump). These tests pin that the fused form behaves exactly
// like the four instructions: signed order against a zero-extended immediate of every width,
// every comparison, gas and out of gas on every unit, and no fusion where a jump lands inside.
// Expected values are computed here with __int128 arithmetic, independently of the word library.
// The arithmetic fusions (PUSH k; ADD|SUB, LOCAL_GET; PUSH k; ADD|SUB, PUSH; PUSH; MULDIV,
// PUSH off; INPUT_LOAD) get the same treatment, MULDIV against the Boost oracle of word_oracle.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "tests/vm/code_writer.h"
#include "tests/vm/word_oracle.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"

namespace savm::vm {
namespace {

using testing::CodeWriter;
using testing::single;
using i128 = __int128;

Word word_of(i128 v) {  // sign-extended to 256 bits
  const auto low = static_cast<std::uint64_t>(v);
  const auto high = static_cast<std::uint64_t>(static_cast<unsigned __int128>(v) >> 64);
  const std::uint64_t ext = v < 0 ? ~std::uint64_t{0} : 0;
  return Word{{low, high, ext, ext}};
}

// PUSHn with an n-byte big-endian immediate, written as raw bytes (PUSH0 for width 0).
void push_width(CodeWriter& c, unsigned width, std::uint64_t k) {
  const Op push = width == 0   ? Op::PUSH0
                  : width == 1 ? Op::PUSH1
                  : width == 2 ? Op::PUSH2
                  : width == 4 ? Op::PUSH4
                               : Op::PUSH8;
  c.op(push);
  for (unsigned i = width; i-- > 0;) c.op(static_cast<Op>(static_cast<std::uint8_t>(k >> (8 * i))));  // raw bytes
}

// PUSH32 written byte by byte: CodeWriter::push's vector insert trips a false g++ 12
// -Wstringop-overread here (the family of GCC bugs listed in the top-level CMakeLists.txt).
CodeWriter& push_word(CodeWriter& c, const Word& w) {
  c.op(Op::PUSH32);
  for (int limb = 3; limb >= 0; --limb) {
    for (int byte = 7; byte >= 0; --byte) c.op(static_cast<Op>(static_cast<std::uint8_t>(w.limb[limb] >> (8 * byte))));
  }
  return c;
}

ExecutionContext fusion_context(std::uint64_t gas) {
  ExecutionContext ctx;
  ctx.gas_limit = gas;
  ctx.execution_digest = sha256(std::string_view("fusion"));
  return ctx;
}

// main: local0 = a; if (local0 OP k) return 222 else return 111. The threshold test starts at
// byte 36 (PUSH32 + LOCAL_SET).
VerifiedModule threshold_program(i128 a, unsigned width, std::uint64_t k, Op compare) {
  CodeWriter c;
  push_word(c, word_of(a)).op_u16(Op::LOCAL_SET, 0).op_u16(Op::LOCAL_GET, 0);
  push_width(c, width, k);
  push_word(c.op(compare).jump(Op::JUMPI, "yes"), Word::from_u64(111)).op(Op::RETURN).label("yes");
  push_word(c, Word::from_u64(222)).op(Op::RETURN);
  return single(c, 1, 1);
}
constexpr std::size_t kTestOffset = 36;
constexpr std::uint64_t kProgramGas = 3 + 3 + 3 + 3 + 5 + 10 + 3 + 8;  // PUSH32 LOCAL_SET, the test, PUSH RETURN

bool holds(Op op, i128 a, i128 k) {
  switch (op) {
    case Op::EQ: return a == k;
    case Op::NE: return a != k;
    case Op::LT: return a < k;
    case Op::GT: return a > k;
    case Op::LE: return a <= k;
    default: return a >= k;  // GE
  }
}

ExecutionResult run(const VerifiedModule& m, std::uint64_t gas, Dispatch dispatch) {
  const MemoryHost host;
  return execute(m, 0, {}, fusion_context(gas), host, dispatch);
}

TEST(InterpreterFusion, ThresholdTestsMatchSignedComparisonForEveryWidthAndOperator) {
  const unsigned widths[] = {1, 2, 4, 8};
  const Op ops[] = {Op::EQ, Op::NE, Op::LT, Op::GT, Op::LE, Op::GE};
  for (const unsigned width : widths) {
    // The largest immediate of this width (PUSH8 0xFF..FF is 2^64 - 1: zero-extended, positive)
    // and a small one.
    const std::uint64_t top = width == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * width)) - 1;
    for (const std::uint64_t k : {top, std::uint64_t{5}}) {
      const i128 kk = static_cast<i128>(k);
      const i128 locals[] = {-1, 0, kk - 1, kk, kk + 1, (static_cast<i128>(1) << 64) + 3,
                             -(static_cast<i128>(1) << 64), static_cast<i128>(std::uint64_t{1} << 63)};
      for (const i128 a : locals) {
        for (const Op op : ops) {
          const VerifiedModule m = threshold_program(a, width, k, op);
          EXPECT_EQ(analyze(m)->functions[0].padded[kTestOffset], kFusedLocalCompareJump);
          for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
            const ExecutionResult r = run(m, 1'000, d);
            ASSERT_EQ(r.outcome.status, Status::success);
            EXPECT_EQ(r.returned.at(0), Word::from_u64(holds(op, a, kk) ? 222 : 111))
                << op_info(op).mnemonic << " width " << width << " k " << k;
            EXPECT_EQ(r.gas_used, kProgramGas);
          }
        }
      }
    }
  }
}

TEST(InterpreterFusion, OutOfGasOnEveryUnitBeforeTheEnd) {
  const VerifiedModule m = threshold_program(700'000, 4, 600'000, Op::GT);
  for (std::uint64_t limit = 0; limit < kProgramGas; ++limit) {
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      const ExecutionResult r = run(m, limit, d);
      EXPECT_EQ(r.outcome.status, Status::out_of_gas) << limit;
      EXPECT_EQ(r.gas_used, limit);
    }
  }
  const ExecutionResult exact = run(m, kProgramGas, Dispatch::computed_goto);
  EXPECT_EQ(exact.outcome.status, Status::success);
  EXPECT_EQ(exact.returned.at(0), Word::from_u64(222));
}

VerifiedModule jump_into_test_program(std::int64_t cond) {
  CodeWriter c;
  push_word(push_word(c, Word::from_i64(cond)), Word::from_i64(cond)).jump(Op::JUMPI, "j");
  c.op(Op::POP).op_u16(Op::LOCAL_GET, 0);
  push_width(c, 1, 5);
  push_word(c.op(Op::LT).label("j").jump(Op::JUMPI, "yes"), Word::from_u64(111)).op(Op::RETURN);
  push_word(c.label("yes"), Word::from_u64(222)).op(Op::RETURN);
  return single(c, 1, 1);
}

TEST(InterpreterFusion, NoFusionWhenAJumpLandsInside) {
  // `j` is the JUMPI of the threshold test, also reached by a jump carrying `cond` (both paths
  // have one word on the stack there), so the test must stay four instructions.
  for (const std::int64_t cond : {0, 9}) {
    const VerifiedModule m = jump_into_test_program(cond);
    const std::size_t local_get = 33 + 33 + 5 + 1;  // PUSH32, PUSH32, JUMPI, POP
    EXPECT_EQ(analyze(m)->functions[0].padded[local_get], static_cast<std::uint8_t>(Op::LOCAL_GET));
    // cond 9: jump to j with 9 on the stack, taken. cond 0: fall through, 0 < 5 holds.
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      const ExecutionResult r = run(m, 1'000, d);
      ASSERT_EQ(r.outcome.status, Status::success);
      EXPECT_EQ(r.returned.at(0), Word::from_u64(222));
      const std::uint64_t path = cond != 0 ? 3 + 3 + 10 + 10 : 3 + 3 + 10 + 3 + 3 + 3 + 5 + 10;
      EXPECT_EQ(r.gas_used, path + 3 + 8);
    }
  }
}

TEST(InterpreterFusion, TheScanStepsOverAFusedTestsImmediate) {
  // k's bytes read as instructions would be LOCAL_GET 0; PUSH1 7; GT; JUMPI: a scan that resumed
  // inside the fused test (instead of after it) fused them too and rewrote three bytes of k.
  const std::uint64_t k = 0x3500000207235100;
  for (const i128 a : {static_cast<i128>(k), static_cast<i128>(k) + 1}) {
    const VerifiedModule m = threshold_program(a, 8, k, Op::GT);
    const auto& padded = analyze(m)->functions[0].padded;
    EXPECT_EQ(padded[kTestOffset], kFusedLocalCompareJump);
    EXPECT_EQ(padded[kTestOffset + 4], 0x35);  // k's first byte, untouched
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      EXPECT_EQ(run(m, 1'000, d).returned.at(0), Word::from_u64(a > static_cast<i128>(k) ? 222 : 111));
    }
  }
}

// ---- arithmetic fusions

constexpr unsigned kWidths[] = {0, 1, 2, 4, 8};

std::uint64_t widest(unsigned width) {  // the largest immediate of a width (0 for PUSH0)
  return width == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * width)) - 1;
}

// main: [local0 = a;] a OP k, returned. With `via_local`, `LOCAL_GET 0; PUSHw k; OP` starts at
// byte 36 (PUSH32, LOCAL_SET); else `PUSHw k; OP` at byte 33 (PUSH32).
VerifiedModule arith_program(const Word& a, unsigned width, std::uint64_t k, Op op, bool via_local) {
  CodeWriter c;
  push_word(c, a);
  if (via_local) c.op_u16(Op::LOCAL_SET, 0).op_u16(Op::LOCAL_GET, 0);
  push_width(c, width, k);
  c.op(op).op(Op::RETURN);
  return single(c, 1, via_local ? 1 : 0);
}

TEST(InterpreterFusion, PushAddSubMatchesCheckedArithmeticForEveryWidth) {
  for (const bool via_local : {false, true}) {
    for (const unsigned width : kWidths) {
      for (const std::uint64_t k : {widest(width), width == 0 ? 0 : std::uint64_t{1}}) {
        const i128 values[] = {0, -1, 7, -(static_cast<i128>(1) << 64), static_cast<i128>(k) - 3,
                               (static_cast<i128>(1) << 100) + 5};
        for (const i128 a : values) {
          for (const Op op : {Op::ADD, Op::SUB}) {
            const VerifiedModule m = arith_program(word_of(a), width, k, op, via_local);
            const std::uint8_t fused = via_local ? (op == Op::ADD ? kFusedLocalPushAdd : kFusedLocalPushSub)
                                                 : (op == Op::ADD ? kFusedPushAdd : kFusedPushSub);
            EXPECT_EQ(analyze(m)->functions[0].padded[via_local ? 36 : 33], fused);
            const i128 expected = op == Op::ADD ? a + static_cast<i128>(k) : a - static_cast<i128>(k);
            // PUSH32 [LOCAL_SET LOCAL_GET] PUSHw ADD|SUB RETURN
            const std::uint64_t gas = 3 + (via_local ? 6 : 0) + 3 + 5 + 8;
            for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
              const ExecutionResult r = run(m, 1'000, d);
              ASSERT_EQ(r.outcome.status, Status::success);
              EXPECT_EQ(r.returned.at(0), word_of(expected)) << op_info(op).mnemonic << " width " << width;
              EXPECT_EQ(r.gas_used, gas);
            }
          }
        }
      }
    }
  }
}

TEST(InterpreterFusion, PushAddSubOverflowFaults) {
  const Word max = oracle::from_int(oracle::int_max()), min = oracle::from_int(oracle::int_min());
  for (const bool via_local : {false, true}) {
    for (const auto& [a, op] : {std::pair{max, Op::ADD}, std::pair{min, Op::SUB}}) {
      const VerifiedModule m = arith_program(a, 1, 1, op, via_local);
      for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
        const ExecutionResult r = run(m, 1'000, d);
        EXPECT_EQ(r.outcome.status, Status::fault);
        EXPECT_EQ(r.outcome.fault, FaultKind::overflow);
        EXPECT_EQ(r.gas_used, 1'000u);
      }
    }
  }
}

// main: MULDIV(a, b, c) by `mode`, returned; `PUSHw b; PUSHv c; MULDIV` starts at byte 33.
VerifiedModule muldiv_program(const Word& a, unsigned b_width, std::uint64_t b, unsigned c_width, std::uint64_t c,
                              Rounding mode) {
  CodeWriter c_;
  push_word(c_, a);
  push_width(c_, b_width, b);
  push_width(c_, c_width, c);
  c_.op_u8(Op::MULDIV, static_cast<std::uint8_t>(mode)).op(Op::RETURN);
  return single(c_, 1, 0);
}
constexpr std::uint64_t kMuldivProgramGas = 3 + 3 + 3 + 20 + 8;

TEST(InterpreterFusion, PushPushMuldivMatchesTheOracle) {
  const Rounding modes[] = {Rounding::floor, Rounding::ceil, Rounding::toward_zero,
                            Rounding::half_up, Rounding::half_even, Rounding::half_down};
  const i128 values[] = {0, 1'234'567, -1'234'567, 15, -15, (static_cast<i128>(1) << 90) + 12'345};
  for (const unsigned b_width : {1u, 2u, 8u}) {
    for (const unsigned c_width : {1u, 2u, 4u, 8u}) {
      for (const i128 a : values) {
        const std::uint64_t b = widest(b_width) / 3, c = widest(c_width) / 7 + 2;
        for (const Rounding mode : modes) {
          const VerifiedModule m = muldiv_program(word_of(a), b_width, b, c_width, c, mode);
          EXPECT_EQ(analyze(m)->functions[0].padded[33], kFusedPushPushMuldiv);
          const auto expected = oracle::muldiv(word_of(a), Word::from_u64(b), Word::from_u64(c), mode);
          ASSERT_TRUE(expected.has_value());
          for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
            const ExecutionResult r = run(m, 1'000, d);
            ASSERT_EQ(r.outcome.status, Status::success);
            EXPECT_EQ(r.returned.at(0), oracle::from_int(*expected)) << "b width " << b_width << " c width " << c_width;
            EXPECT_EQ(r.gas_used, kMuldivProgramGas);
          }
        }
      }
    }
  }
}

TEST(InterpreterFusion, PushPushMuldivFaultsLikeMuldiv) {
  const Word max = oracle::from_int(oracle::int_max());
  struct Case {
    Word a;
    unsigned b_width;
    std::uint64_t b;
    unsigned c_width;
    std::uint64_t c;
    FaultKind fault;
  };
  const Case cases[] = {{Word::from_u64(5), 1, 3, 0, 0, FaultKind::division_by_zero},  // PUSH0 divisor
                        {Word::from_u64(5), 0, 0, 1, 0, FaultKind::division_by_zero},  // 0 * 5 / 0 too
                        {max, 1, 2, 1, 1, FaultKind::overflow}};
  for (const Case& k : cases) {
    const VerifiedModule m = muldiv_program(k.a, k.b_width, k.b, k.c_width, k.c, Rounding::half_up);
    EXPECT_EQ(analyze(m)->functions[0].padded[33], kFusedPushPushMuldiv);
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      const ExecutionResult r = run(m, 1'000, d);
      EXPECT_EQ(r.outcome.status, Status::fault);
      EXPECT_EQ(r.outcome.fault, k.fault);
      EXPECT_EQ(r.gas_used, 1'000u);
    }
  }
}

TEST(InterpreterFusion, PushInputLoadReadsZeroPastTheEnd) {
  std::vector<std::uint8_t> input(40);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i + 1);
  // The word at `off`: input bytes off..off+31 big-endian, zero past byte 40.
  const auto expected = [&](std::uint64_t off) {
    std::array<std::uint8_t, 32> bytes{};
    for (std::uint64_t i = 0; i < 32; ++i) bytes[i] = off < input.size() && i < input.size() - off ? input[off + i] : 0;
    return Word::from_be_bytes(bytes);
  };
  const std::pair<unsigned, std::uint64_t> offsets[] = {{0, 0}, {1, 8}, {1, 20}, {2, 40}, {2, 1'000},
                                                        {8, std::uint64_t{1} << 63}, {8, ~std::uint64_t{0}}};
  for (const auto& [width, off] : offsets) {
    CodeWriter c;
    push_width(c, width, off);
    c.op(Op::INPUT_LOAD).op(Op::RETURN);
    const VerifiedModule m = single(c, 1, 0);
    EXPECT_EQ(analyze(m)->functions[0].padded[0], kFusedPushInputLoad);
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      const MemoryHost host;
      const ExecutionResult r = execute(m, 0, input, fusion_context(1'000), host, d);
      ASSERT_EQ(r.outcome.status, Status::success);
      EXPECT_EQ(r.returned.at(0), expected(off)) << "offset " << off;
      EXPECT_EQ(r.gas_used, 3u + 3 + 8);
    }
  }
}

TEST(InterpreterFusion, ArithmeticFusionsRunOutOfGasOnEveryUnitBeforeTheEnd) {
  const VerifiedModule programs[] = {arith_program(Word::from_u64(9), 2, 300, Op::SUB, true),
                                     muldiv_program(Word::from_u64(9), 2, 500, 2, 10'000, Rounding::half_up)};
  const std::uint64_t totals[] = {3 + 3 + 3 + 3 + 5 + 8, kMuldivProgramGas};
  for (std::size_t p = 0; p < 2; ++p) {
    for (std::uint64_t limit = 0; limit < totals[p]; ++limit) {
      for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
        const ExecutionResult r = run(programs[p], limit, d);
        EXPECT_EQ(r.outcome.status, Status::out_of_gas) << limit;
        EXPECT_EQ(r.gas_used, limit);
      }
    }
    EXPECT_EQ(run(programs[p], totals[p], Dispatch::computed_goto).outcome.status, Status::success);
  }
}

TEST(InterpreterFusion, NoArithmeticFusionWhenAJumpLandsOnTheAdd) {
  // x y cond JUMPI j; POP; PUSH1 5; j: ADD: the ADD is reached with [x, y] or [x, 5].
  for (const std::int64_t cond : {0, 1}) {
    CodeWriter c;
    push_word(push_word(push_word(c, Word::from_u64(100)), Word::from_u64(20)), Word::from_i64(cond)).jump(Op::JUMPI, "j");
    c.op(Op::POP);
    push_width(c, 1, 5);
    c.label("j").op(Op::ADD).op(Op::RETURN);
    const VerifiedModule m = single(c, 1, 0);
    const std::size_t push = 3 * 33 + 5 + 1;  // three PUSH32, JUMPI, POP
    EXPECT_EQ(analyze(m)->functions[0].padded[push], static_cast<std::uint8_t>(Op::PUSH1));
    for (const Dispatch d : {Dispatch::computed_goto, Dispatch::switch_loop}) {
      const ExecutionResult r = run(m, 1'000, d);
      ASSERT_EQ(r.outcome.status, Status::success);
      EXPECT_EQ(r.returned.at(0), Word::from_u64(cond != 0 ? 120 : 105));
    }
  }
}

}  // namespace
}  // namespace savm::vm
