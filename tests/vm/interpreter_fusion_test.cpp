// The analysis fuses `LOCAL_GET i; PUSHn k; compare; JUMPI t` into one internal instruction
// (vm/interpreter.h, kFusedLocalCompareJump). These tests pin that the fused form behaves exactly
// like the four instructions: signed order against a zero-extended immediate of every width,
// every comparison, gas and out of gas on every unit, and no fusion where a jump lands inside.
// Expected values are computed here with __int128 arithmetic, independently of the word library.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "tests/vm/code_writer.h"
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

// PUSHn with an n-byte big-endian immediate, written as raw bytes.
void push_width(CodeWriter& c, unsigned width, std::uint64_t k) {
  const Op push = width == 1 ? Op::PUSH1 : width == 2 ? Op::PUSH2 : width == 4 ? Op::PUSH4 : Op::PUSH8;
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

ExecutionContext context_with_gas(std::uint64_t gas) {
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
  return execute(m, 0, {}, context_with_gas(gas), host, dispatch);
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

}  // namespace
}  // namespace savm::vm
