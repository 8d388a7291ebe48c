// vm::Word against Boost.Multiprecision in the same run: cpp_int (arbitrary precision, what a
// naive VM would use) and the fixed-width int256_t / int512_t. One op per benchmark iteration;
// operands cycle through 1,024 pre-generated random cases so nothing folds to a constant. Operand
// sizes are chosen so the checked ops succeed (the common path in a law).
#include <benchmark/benchmark.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/vm/word_oracle.h"
#include "vm/word.h"

namespace {

using savm::vm::Word;
using BigInt = boost::multiprecision::cpp_int;
using Fixed256 = boost::multiprecision::int256_t;
using Fixed512 = boost::multiprecision::int512_t;

constexpr std::size_t kCases = 1024;  // a power of two: the index wraps with a mask

struct Case {
  Word a, b, c;
  BigInt big_a, big_b, big_c;
  Fixed256 fix_a, fix_b, fix_c;
  unsigned small;  // exponent or shift count
};

// A random word with `bits` magnitude bits (top bit set) and a random sign.
Word random_word(std::mt19937_64& rng, unsigned bits) {
  Word v{{rng(), rng(), rng(), rng()}};
  v = savm::vm::shr(v, Word::from_u64(256 - bits));
  v = savm::vm::bit_or(v, savm::vm::shl(Word::one(), Word::from_u64(bits - 1)));
  return (rng() & 1) != 0 ? savm::vm::word_detail::negate_bits(v) : v;
}

std::vector<Case> make_cases(unsigned bits_a, unsigned bits_b, unsigned bits_c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Case> cases(kCases);
  for (Case& k : cases) {
    k.a = random_word(rng, bits_a);
    k.b = random_word(rng, bits_b);
    k.c = random_word(rng, bits_c);
    k.big_a = savm::vm::oracle::to_int(k.a);
    k.big_b = savm::vm::oracle::to_int(k.b);
    k.big_c = savm::vm::oracle::to_int(k.c);
    k.fix_a = Fixed256(k.big_a);
    k.fix_b = Fixed256(k.big_b);
    k.fix_c = Fixed256(k.big_c);
    k.small = static_cast<unsigned>(rng() % 256);
  }
  return cases;
}

const std::vector<Case> k_add = make_cases(254, 254, 1, 1);
const std::vector<Case> k_mul = make_cases(128, 126, 1, 2);
const std::vector<Case> k_div = make_cases(255, 160, 1, 3);
const std::vector<Case> k_div64 = make_cases(255, 60, 1, 4);
const std::vector<Case> k_muldiv = make_cases(200, 180, 160, 5);
const std::vector<Case> k_shl = make_cases(255, 1, 1, 6);

// EXP with bases 2..9 and exponents that keep the power below 2^254.
const std::vector<Case> k_exp = [] {
  std::mt19937_64 rng(7);
  std::vector<Case> cases = make_cases(1, 1, 1, 7);
  for (Case& k : cases) {
    const std::uint64_t base = 2 + rng() % 8;
    unsigned max_e = 0;  // the largest e with base^e < 2^254
    for (BigInt p = base; p < (BigInt(1) << 254); p *= base) ++max_e;
    k.a = Word::from_u64(base);
    k.small = 1 + static_cast<unsigned>(rng() % max_e);
    k.b = Word::from_u64(k.small);
    k.big_a = base;
    k.fix_a = base;
  }
  return cases;
}();

// Runs `op` once per iteration over the cases, keeping its result observable.
template <class Op>
void run(benchmark::State& state, const std::vector<Case>& cases, Op op) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = op(cases[i]);
    benchmark::DoNotOptimize(result);
    i = (i + 1) & (kCases - 1);
  }
}

// A checked SAVM op as (ok, out), both kept alive.
template <class F>
auto checked(F f) {
  return [f](const Case& k) {
    Word out;
    const bool ok = f(k, out);
    benchmark::DoNotOptimize(out);
    return ok;
  };
}

void add_savm(benchmark::State& s) {
  run(s, k_add, checked([](const Case& k, Word& o) { return checked_add(k.a, k.b, o); }));
}
void add_cpp_int(benchmark::State& s) { run(s, k_add, [](const Case& k) { return BigInt(k.big_a + k.big_b); }); }
void add_int256(benchmark::State& s) { run(s, k_add, [](const Case& k) { return Fixed256(k.fix_a + k.fix_b); }); }

void sub_savm(benchmark::State& s) {
  run(s, k_add, checked([](const Case& k, Word& o) { return checked_sub(k.a, k.b, o); }));
}
void sub_cpp_int(benchmark::State& s) { run(s, k_add, [](const Case& k) { return BigInt(k.big_a - k.big_b); }); }
void sub_int256(benchmark::State& s) { run(s, k_add, [](const Case& k) { return Fixed256(k.fix_a - k.fix_b); }); }

void mul_savm(benchmark::State& s) {
  run(s, k_mul, checked([](const Case& k, Word& o) { return checked_mul(k.a, k.b, o); }));
}
void mul_cpp_int(benchmark::State& s) { run(s, k_mul, [](const Case& k) { return BigInt(k.big_a * k.big_b); }); }
void mul_int256(benchmark::State& s) { run(s, k_mul, [](const Case& k) { return Fixed256(k.fix_a * k.fix_b); }); }

void div_savm(benchmark::State& s) {
  run(s, k_div, checked([](const Case& k, Word& o) { return checked_div(k.a, k.b, o); }));
}
void div_cpp_int(benchmark::State& s) { run(s, k_div, [](const Case& k) { return BigInt(k.big_a / k.big_b); }); }
void div_int256(benchmark::State& s) { run(s, k_div, [](const Case& k) { return Fixed256(k.fix_a / k.fix_b); }); }

void div64_savm(benchmark::State& s) {
  run(s, k_div64, checked([](const Case& k, Word& o) { return checked_div(k.a, k.b, o); }));
}
void div64_cpp_int(benchmark::State& s) { run(s, k_div64, [](const Case& k) { return BigInt(k.big_a / k.big_b); }); }
void div64_int256(benchmark::State& s) { run(s, k_div64, [](const Case& k) { return Fixed256(k.fix_a / k.fix_b); }); }

void muldiv_savm(benchmark::State& s) {
  run(s, k_muldiv, checked([](const Case& k, Word& o) {
        return muldiv(k.a, k.b, k.c, savm::vm::Rounding::half_even, o);
      }));
}
// Boost peers compute the truncated quotient only (no rounding step), which flatters them.
void muldiv_cpp_int(benchmark::State& s) {
  run(s, k_muldiv, [](const Case& k) { return BigInt(k.big_a * k.big_b / k.big_c); });
}
void muldiv_int512(benchmark::State& s) {
  run(s, k_muldiv, [](const Case& k) {
    return Fixed512(Fixed512(k.fix_a) * Fixed512(k.fix_b) / Fixed512(k.fix_c));
  });
}

void exp_savm(benchmark::State& s) {
  run(s, k_exp, checked([](const Case& k, Word& o) { return checked_exp(k.a, k.b, o); }));
}
void exp_cpp_int(benchmark::State& s) {
  run(s, k_exp, [](const Case& k) { return BigInt(boost::multiprecision::pow(k.big_a, k.small)); });
}
void exp_int256(benchmark::State& s) {
  run(s, k_exp, [](const Case& k) { return Fixed256(boost::multiprecision::pow(k.fix_a, k.small)); });
}

void shl_savm(benchmark::State& s) {
  run(s, k_shl, [](const Case& k) { return savm::vm::shl(k.a, Word::from_u64(k.small)); });
}
void shl_cpp_int(benchmark::State& s) { run(s, k_shl, [](const Case& k) { return BigInt(k.big_a << k.small); }); }
void shl_int256(benchmark::State& s) { run(s, k_shl, [](const Case& k) { return Fixed256(k.fix_a << k.small); }); }

}  // namespace

BENCHMARK(add_savm);
BENCHMARK(add_cpp_int);
BENCHMARK(add_int256);
BENCHMARK(sub_savm);
BENCHMARK(sub_cpp_int);
BENCHMARK(sub_int256);
BENCHMARK(mul_savm);
BENCHMARK(mul_cpp_int);
BENCHMARK(mul_int256);
BENCHMARK(div_savm);
BENCHMARK(div_cpp_int);
BENCHMARK(div_int256);
BENCHMARK(div64_savm);
BENCHMARK(div64_cpp_int);
BENCHMARK(div64_int256);
BENCHMARK(muldiv_savm);
BENCHMARK(muldiv_cpp_int);
BENCHMARK(muldiv_int512);
BENCHMARK(exp_savm);
BENCHMARK(exp_cpp_int);
BENCHMARK(exp_int256);
BENCHMARK(shl_savm);
BENCHMARK(shl_cpp_int);
BENCHMARK(shl_int256);
