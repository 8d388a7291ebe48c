// Instruction counts of vm::Word ops, for callgrind (deterministic where wall time on a shared
// 2-core box is not). Each op runs through a noinline wrapper named icount_<op>, so
//   valgrind --tool=callgrind --callgrind-out-file=cg.out build/clang-release/bench/savm_word_icount
//   callgrind_annotate --inclusive=yes cg.out | grep icount_
// gives the instructions for all calls of each op; divide by the call count this program prints.
// Operand sizes match bench_word.cpp (ops that succeed).
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "vm/word.h"

namespace {

using savm::vm::Word;

constexpr int kCases = 1024;
constexpr int kRounds = 100;

Word random_word(std::mt19937_64& rng, unsigned bits) {
  Word v{{rng(), rng(), rng(), rng()}};
  v = savm::vm::shr(v, Word::from_u64(256 - bits));
  v = savm::vm::bit_or(v, savm::vm::shl(Word::one(), Word::from_u64(bits - 1)));
  return (rng() & 1) != 0 ? savm::vm::word_detail::negate_bits(v) : v;
}

struct Operands {
  std::vector<Word> a, b, c;
};

Operands make(unsigned bits_a, unsigned bits_b, unsigned bits_c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Operands o;
  for (int i = 0; i < kCases; ++i) {
    o.a.push_back(random_word(rng, bits_a));
    o.b.push_back(random_word(rng, bits_b));
    o.c.push_back(random_word(rng, bits_c));
  }
  return o;
}

// Results go to a volatile sink so no call can be dropped.
volatile std::uint64_t sink;

[[gnu::noinline]] void icount_add(const Word& a, const Word& b) {
  Word o;
  sink = savm::vm::checked_add(a, b, o) + o.limb[0];
}
[[gnu::noinline]] void icount_mul(const Word& a, const Word& b) {
  Word o;
  sink = savm::vm::checked_mul(a, b, o) + o.limb[0];
}
[[gnu::noinline]] void icount_div(const Word& a, const Word& b) {
  Word o;
  sink = savm::vm::checked_div(a, b, o) + o.limb[0];
}
[[gnu::noinline]] void icount_div64(const Word& a, const Word& b) {
  Word o;
  sink = savm::vm::checked_div(a, b, o) + o.limb[0];
}
[[gnu::noinline]] void icount_muldiv(const Word& a, const Word& b, const Word& c) {
  Word o;
  sink = savm::vm::muldiv(a, b, c, savm::vm::Rounding::half_even, o) + o.limb[0];
}
[[gnu::noinline]] void icount_shl(const Word& a, const Word& n) { sink = savm::vm::shl(a, n).limb[3]; }

}  // namespace

int main() {
  const Operands add = make(254, 254, 1, 1), mul = make(128, 126, 1, 2), div = make(255, 160, 1, 3),
                 div64 = make(255, 60, 1, 4), md = make(200, 180, 160, 5);
  for (int r = 0; r < kRounds; ++r) {
    for (int i = 0; i < kCases; ++i) {
      icount_add(add.a[i], add.b[i]);
      icount_mul(mul.a[i], mul.b[i]);
      icount_div(div.a[i], div.b[i]);
      icount_div64(div64.a[i], div64.b[i]);
      icount_muldiv(md.a[i], md.b[i], md.c[i]);
      icount_shl(add.a[i], Word::from_u64(static_cast<std::uint64_t>(i) % 256));
    }
  }
  std::printf("calls per op: %d\n", kCases * kRounds);
  return 0;
}
