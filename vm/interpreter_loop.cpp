// Compiles the dispatch loop twice (computed goto and switch), so both exist in every build and
// can be run against each other (tests, fuzz_dispatch_diff).
#include <algorithm>
#include <cstring>

#include "vm/abi.h"
#include "vm/interpreter_machine.h"

namespace savm::vm::interp {
namespace {

// Writes the n big-endian immediate bytes of PUSHn, zero-extended, to `dest`: whole limbs by one
// load and a byte swap each (8, 16, 32), narrower immediates by one load of their width. The
// code is padded past its end, so the loads never leave the buffer. Limbs are stored one by one
// (a Word temporary here compiles to a round trip through the native stack).
template <unsigned N>
inline void push_immediate(Word& dest, const std::uint8_t* p) {
  constexpr unsigned kWhole = N / 8;
  for (unsigned i = 0; i < kWhole; ++i) {
    std::uint64_t be;
    std::memcpy(&be, p + 8 * i, 8);
    dest.limb[kWhole - 1 - i] = word_detail::to_big_endian(be);
  }
  if constexpr (N < 8) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < N; ++i) v = (v << 8) | p[i];
    dest.limb[0] = v;
  }
  for (unsigned i = N < 8 ? 1 : kWhole; i < 4; ++i) dest.limb[i] = 0;
}

// The gas of a fused threshold test: LOCAL_GET + PUSHn + a comparison + JUMPI. Every PUSH width
// and every comparison costs the same (docs/gas.md), which is what lets one constant serve.
constexpr std::uint32_t kThresholdTestGas =
    op_info(Op::LOCAL_GET).base_gas + op_info(Op::PUSH1).base_gas + op_info(Op::GT).base_gas +
    op_info(Op::JUMPI).base_gas;
static_assert(op_info(Op::PUSH1).base_gas == op_info(Op::PUSH2).base_gas &&
              op_info(Op::PUSH1).base_gas == op_info(Op::PUSH4).base_gas &&
              op_info(Op::PUSH1).base_gas == op_info(Op::PUSH8).base_gas);
static_assert(op_info(Op::GT).base_gas == op_info(Op::EQ).base_gas &&
              op_info(Op::GT).base_gas == op_info(Op::NE).base_gas &&
              op_info(Op::GT).base_gas == op_info(Op::LT).base_gas &&
              op_info(Op::GT).base_gas == op_info(Op::LE).base_gas &&
              op_info(Op::GT).base_gas == op_info(Op::GE).base_gas);

// The gas of the arithmetic fusions (vm/interpreter.h): the sums of their instructions' gas.
// Every one-limb PUSH costs the same, and so do ADD and SUB.
constexpr std::int64_t kPushArithGas = op_info(Op::PUSH1).base_gas + op_info(Op::ADD).base_gas;
constexpr std::int64_t kLocalPushArithGas = op_info(Op::LOCAL_GET).base_gas + kPushArithGas;
constexpr std::int64_t kPushPushMuldivGas = 2 * op_info(Op::PUSH1).base_gas + op_info(Op::MULDIV).base_gas;
constexpr std::int64_t kPushInputLoadGas = op_info(Op::PUSH1).base_gas + op_info(Op::INPUT_LOAD).base_gas;
static_assert(op_info(Op::PUSH0).base_gas == op_info(Op::PUSH1).base_gas &&
              op_info(Op::ADD).base_gas == op_info(Op::SUB).base_gas);

// The w-byte (0 <= w <= 8) big-endian immediate of a fused instruction at p, zero-extended. The
// code is padded, so 8 bytes are always readable; the shift is split in two so that w = 0 never
// shifts by 64.
inline std::uint64_t fused_immediate(const std::uint8_t* p, unsigned width) {
  std::uint64_t be;
  std::memcpy(&be, p, 8);
  const unsigned half_drop = 32 - 4 * width;
  return (word_detail::to_big_endian(be) >> half_drop) >> half_drop;
}

// A word copied limb by limb. Handlers write results as four 8-byte stores; a struct copy
// compiles to 16-byte loads, which the CPU cannot forward from those stores (a stall of ~10
// cycles on every LOCAL_GET/DUP/CALL of a fresh result). This file is built without SLP
// vectorization (vm/CMakeLists.txt) so these stay 8-byte moves.
inline void copy_word(Word& dest, const Word& src) {
  for (int i = 0; i < 4; ++i) dest.limb[i] = src.limb[i];
}

// Copies n words forward (dest <= src or disjoint). Calls pass and return one or two words; a
// general loop would be turned into a memmove call by the compiler.
inline void copy_words(Word* dest, const Word* src, std::uint32_t n) {
  switch (n) {
    case 0: return;
    case 1: copy_word(dest[0], src[0]); return;
    case 2: copy_word(dest[0], src[0]); copy_word(dest[1], src[1]); return;
    default: std::copy(src, src + n, dest); return;
  }
}

}  // namespace

#define SAVM_LOOP_GOTO 1
#define SAVM_LOOP_NAME run_goto
#include "vm/interpreter_loop.inc"
#undef SAVM_LOOP_GOTO
#undef SAVM_LOOP_NAME

#define SAVM_LOOP_GOTO 0
#define SAVM_LOOP_NAME run_switch
#include "vm/interpreter_loop.inc"
#undef SAVM_LOOP_GOTO
#undef SAVM_LOOP_NAME

}  // namespace savm::vm::interp
