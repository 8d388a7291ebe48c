// vm::Word: hand-computed cases for every fault and rounding rule, then randomized differential
// tests against the Boost cpp_int oracle (tests/vm/word_oracle.h).
#include "vm/word.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tests/vm/word_oracle.h"

namespace savm::vm {
namespace {

using oracle::Int;

Word w(std::int64_t v) { return Word::from_i64(v); }
Word from_dec(const char* text) {
  const auto parsed = Word::from_decimal(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Word::zero());
}

// ---------------------------------------------------------------- hand-written exact cases

TEST(WordBasics, ConstantsAreTheTwoComplementBounds) {
  // 2^255 - 1 = 57896044618658097711785492504343953926634992332820282019728792003956564819967.
  EXPECT_EQ(Word::max().to_decimal(),
            "57896044618658097711785492504343953926634992332820282019728792003956564819967");
  EXPECT_EQ(Word::min().to_decimal(),
            "-57896044618658097711785492504343953926634992332820282019728792003956564819968");
  EXPECT_EQ(Word::zero().to_decimal(), "0");
  EXPECT_EQ(Word::one().to_decimal(), "1");
  EXPECT_EQ(w(-1).to_decimal(), "-1");
  EXPECT_TRUE(Word::min().is_negative());
  EXPECT_FALSE(Word::max().is_negative());
  EXPECT_TRUE(Word::zero().is_zero());
  EXPECT_EQ(w(-1), (Word{{~0ull, ~0ull, ~0ull, ~0ull}}));
  EXPECT_EQ(Word::from_u64(~0ull), (Word{{~0ull, 0, 0, 0}}));
}

TEST(WordBasics, SignedOrder) {
  EXPECT_TRUE(less(Word::min(), w(-1)));
  EXPECT_TRUE(less(w(-1), Word::zero()));
  EXPECT_TRUE(less(Word::zero(), Word::max()));
  EXPECT_FALSE(less(Word::max(), Word::min()));
  EXPECT_FALSE(less(w(5), w(5)));
  EXPECT_TRUE(greater(w(1), w(-1)));
  // Same top limb, differing low limb: the low limbs compare unsigned.
  EXPECT_TRUE(less(w(-2), w(-1)));
  EXPECT_TRUE(less(Word::from_u64(1), Word::from_u64(~0ull)));
}

TEST(WordArith, OverflowAtTheBounds) {
  Word out;
  EXPECT_FALSE(checked_add(Word::max(), Word::one(), out));  // MAX + 1
  EXPECT_FALSE(checked_sub(Word::min(), Word::one(), out));  // MIN - 1
  EXPECT_FALSE(checked_add(Word::min(), w(-1), out));
  EXPECT_FALSE(checked_sub(Word::max(), w(-1), out));
  EXPECT_FALSE(checked_sub(Word::zero(), Word::min(), out));  // 0 - MIN = 2^255
  EXPECT_FALSE(checked_div(Word::min(), w(-1), out));         // MIN / -1 = 2^255
  EXPECT_FALSE(checked_mul(Word::min(), w(-1), out));
  EXPECT_FALSE(checked_mul(w(-1), Word::min(), out));
  EXPECT_FALSE(checked_neg(Word::min(), out));
  EXPECT_FALSE(checked_abs(Word::min(), out));
  EXPECT_FALSE(checked_mul(Word::max(), w(2), out));
  // 2^128 * 2^127 = 2^255 overflows; -(2^128) * 2^127 = MIN fits.
  const Word p128 = shl(Word::one(), w(128)), p127 = shl(Word::one(), w(127));
  EXPECT_FALSE(checked_mul(p128, p127, out));
  ASSERT_TRUE(checked_mul(from_dec("-340282366920938463463374607431768211456"), p127, out));
  EXPECT_EQ(out, Word::min());
}

TEST(WordArith, ResultsJustInsideTheBounds) {
  Word out;
  ASSERT_TRUE(checked_add(Word::max(), w(-1), out));
  EXPECT_EQ(out.to_decimal(),
            "57896044618658097711785492504343953926634992332820282019728792003956564819966");
  ASSERT_TRUE(checked_sub(Word::min(), w(-1), out));
  EXPECT_EQ(out.to_decimal(),
            "-57896044618658097711785492504343953926634992332820282019728792003956564819967");
  ASSERT_TRUE(checked_add(Word::min(), Word::max(), out));
  EXPECT_EQ(out, w(-1));
  ASSERT_TRUE(checked_mul(Word::min(), Word::one(), out));
  EXPECT_EQ(out, Word::min());
  ASSERT_TRUE(checked_div(Word::min(), Word::one(), out));
  EXPECT_EQ(out, Word::min());
  ASSERT_TRUE(checked_neg(Word::max(), out));
  EXPECT_EQ(out.to_decimal(),
            "-57896044618658097711785492504343953926634992332820282019728792003956564819967");
  ASSERT_TRUE(checked_abs(w(-7), out));
  EXPECT_EQ(out, w(7));
  ASSERT_TRUE(checked_mul(w(-3), w(4), out));
  EXPECT_EQ(out, w(-12));
  ASSERT_TRUE(checked_mul(w(-3), w(-4), out));
  EXPECT_EQ(out, w(12));
}

TEST(WordArith, DivisionTruncatesAndModuloFollowsTheDividend) {
  Word out;
  EXPECT_FALSE(checked_div(w(1), Word::zero(), out));
  EXPECT_FALSE(checked_mod(w(1), Word::zero(), out));
  EXPECT_FALSE(checked_div(Word::zero(), Word::zero(), out));
  const struct {
    std::int64_t a, b, q, r;
  } cases[] = {{7, 2, 3, 1}, {-7, 2, -3, -1}, {7, -2, -3, 1}, {-7, -2, 3, -1},
               {6, 3, 2, 0}, {-6, 3, -2, 0},  {0, -5, 0, 0},  {1, 5, 0, 1}};
  for (const auto& c : cases) {
    ASSERT_TRUE(checked_div(w(c.a), w(c.b), out));
    EXPECT_EQ(out, w(c.q)) << c.a << " / " << c.b;
    ASSERT_TRUE(checked_mod(w(c.a), w(c.b), out));
    EXPECT_EQ(out, w(c.r)) << c.a << " % " << c.b;
  }
  ASSERT_TRUE(checked_mod(Word::min(), w(-1), out));  // the quotient overflows, the remainder is 0
  EXPECT_EQ(out, Word::zero());
  ASSERT_TRUE(checked_mod(Word::min(), Word::max(), out));
  EXPECT_EQ(out, w(-1));
  // (2^200 + 5) / 2^100 = 2^100, remainder 5 (multi-limb divisor path).
  const Word p200 = shl(Word::one(), w(200)), p100 = shl(Word::one(), w(100));
  Word dividend;
  ASSERT_TRUE(checked_add(p200, w(5), dividend));
  ASSERT_TRUE(checked_div(dividend, p100, out));
  EXPECT_EQ(out, p100);
  ASSERT_TRUE(checked_mod(dividend, p100, out));
  EXPECT_EQ(out, w(5));
}

TEST(WordArith, Exponentiation) {
  Word out;
  EXPECT_FALSE(checked_exp(w(2), w(-1), out));
  ASSERT_TRUE(checked_exp(Word::zero(), Word::zero(), out));
  EXPECT_EQ(out, w(1));
  ASSERT_TRUE(checked_exp(w(-1), Word::max(), out));  // MAX is odd
  EXPECT_EQ(out, w(-1));
  ASSERT_TRUE(checked_exp(w(-1), w(256), out));
  EXPECT_EQ(out, w(1));
  ASSERT_TRUE(checked_exp(Word::zero(), Word::max(), out));
  EXPECT_EQ(out, Word::zero());
  ASSERT_TRUE(checked_exp(w(10), w(18), out));
  EXPECT_EQ(out, w(1'000'000'000'000'000'000));
  ASSERT_TRUE(checked_exp(w(-3), w(3), out));
  EXPECT_EQ(out, w(-27));
  ASSERT_TRUE(checked_exp(w(2), w(254), out));
  EXPECT_EQ(out, shl(Word::one(), w(254)));
  EXPECT_FALSE(checked_exp(w(2), w(255), out));  // 2^255 = MAX + 1
  ASSERT_TRUE(checked_exp(w(-2), w(255), out));  // -2^255 = MIN
  EXPECT_EQ(out, Word::min());
  EXPECT_FALSE(checked_exp(w(-2), w(256), out));
  EXPECT_FALSE(checked_exp(w(2), Word::max(), out));
  ASSERT_TRUE(checked_exp(w(10), w(76), out));  // 10^76 < 2^255 < 10^77
  EXPECT_EQ(out.to_decimal(), "1" + std::string(76, '0'));
  EXPECT_FALSE(checked_exp(w(10), w(77), out));
}

TEST(WordMuldiv, EveryRoundingModeAtExactHalves) {
  using R = Rounding;
  // Rows: a, b, c, then expected results for floor, ceil, toward_zero, half_up, half_even,
  // half_down (hand-computed: 5/2 = 2.5, 7/2 = 3.5, 15/10 = 1.5, 25/10 = 2.5, 7/3 = 2.33.., 8/3 =
  // 2.66..).
  const struct {
    std::int64_t a, b, c;
    std::array<std::int64_t, 6> expect;
  } cases[] = {
      {5, 1, 2, {2, 3, 2, 3, 2, 2}},         {-5, 1, 2, {-3, -2, -2, -3, -2, -2}},
      {7, 1, 2, {3, 4, 3, 4, 4, 3}},         {-7, 1, 2, {-4, -3, -3, -4, -4, -3}},
      {15, 1, 10, {1, 2, 1, 2, 2, 1}},       {25, 1, 10, {2, 3, 2, 3, 2, 2}},
      {-25, 1, 10, {-3, -2, -2, -3, -2, -2}}, {5, -1, 2, {-3, -2, -2, -3, -2, -2}},
      {-5, -1, 2, {2, 3, 2, 3, 2, 2}},       {5, 1, -2, {-3, -2, -2, -3, -2, -2}},
      {7, 1, 3, {2, 3, 2, 2, 2, 2}},         {8, 1, 3, {2, 3, 2, 3, 3, 3}},
      {-8, 1, 3, {-3, -2, -2, -3, -3, -3}},  {6, 1, 3, {2, 2, 2, 2, 2, 2}},
      {1, 1, 2, {0, 1, 0, 1, 0, 0}},         {-1, 1, 2, {-1, 0, 0, -1, 0, 0}},
      {0, 5, -3, {0, 0, 0, 0, 0, 0}},
  };
  const R modes[] = {R::floor, R::ceil, R::toward_zero, R::half_up, R::half_even, R::half_down};
  for (const auto& c : cases) {
    for (int m = 0; m < 6; ++m) {
      Word out;
      ASSERT_TRUE(muldiv(w(c.a), w(c.b), w(c.c), modes[m], out));
      EXPECT_EQ(out, w(c.expect[static_cast<std::size_t>(m)]))
          << c.a << "*" << c.b << "/" << c.c << " mode " << m;
    }
  }
}

TEST(WordMuldiv, WideIntermediateAndFaults) {
  Word out;
  ASSERT_TRUE(muldiv(Word::max(), Word::max(), Word::max(), Rounding::floor, out));
  EXPECT_EQ(out, Word::max());
  ASSERT_TRUE(muldiv(Word::min(), Word::min(), Word::min(), Rounding::ceil, out));
  EXPECT_EQ(out, Word::min());
  ASSERT_TRUE(muldiv(Word::min(), Word::max(), Word::max(), Rounding::toward_zero, out));
  EXPECT_EQ(out, Word::min());
  // MIN * MIN / -MAX = -(2^510 / (2^255 - 1)) is far outside int256.
  EXPECT_FALSE(muldiv(Word::min(), Word::min(), Word::max(), Rounding::floor, out));
  EXPECT_FALSE(muldiv(w(1), w(1), Word::zero(), Rounding::floor, out));
  EXPECT_FALSE(muldiv(w(1), w(1), w(1), static_cast<Rounding>(6), out));
  EXPECT_FALSE(muldiv(Word::max(), w(2), w(1), Rounding::floor, out));
  ASSERT_TRUE(muldiv(Word::max(), w(2), w(2), Rounding::ceil, out));
  EXPECT_EQ(out, Word::max());
  // Rounding alone can leave the range: third = (2^256 - 1) / 3, so third * 3 / 2 = MAX + 0.5.
  const Word third{{0x5555555555555555ull, 0x5555555555555555ull, 0x5555555555555555ull,
                    0x5555555555555555ull}};
  ASSERT_TRUE(muldiv(third, w(3), w(2), Rounding::floor, out));
  EXPECT_EQ(out, Word::max());
  ASSERT_TRUE(muldiv(third, w(3), w(2), Rounding::half_down, out));
  EXPECT_EQ(out, Word::max());
  EXPECT_FALSE(muldiv(third, w(3), w(2), Rounding::ceil, out));
  EXPECT_FALSE(muldiv(third, w(3), w(2), Rounding::half_up, out));
  EXPECT_FALSE(muldiv(third, w(3), w(2), Rounding::half_even, out));  // MAX is odd: rounds up
  // Negated: -(MAX + 0.5) = MIN + 0.5, so floor and half away from zero reach MIN exactly.
  ASSERT_TRUE(muldiv(third, w(-3), w(2), Rounding::floor, out));
  EXPECT_EQ(out, Word::min());
  ASSERT_TRUE(muldiv(third, w(-3), w(2), Rounding::half_up, out));
  EXPECT_EQ(out, Word::min());
  Word minus_max;
  ASSERT_TRUE(checked_neg(Word::max(), minus_max));
  ASSERT_TRUE(muldiv(third, w(-3), w(2), Rounding::toward_zero, out));
  EXPECT_EQ(out, minus_max);
  Word max_half;  // 2^254 - 1 = MAX / 2 rounded down
  ASSERT_TRUE(checked_div(Word::max(), w(2), max_half));
  // (MAX) * 1 / 2 = 2^254 - 0.5: floor 2^254 - 1, ceil 2^254.
  ASSERT_TRUE(muldiv(Word::max(), w(1), w(2), Rounding::floor, out));
  EXPECT_EQ(out, max_half);
  ASSERT_TRUE(muldiv(Word::max(), w(1), w(2), Rounding::ceil, out));
  EXPECT_EQ(out, shl(Word::one(), w(254)));
  // Money at scale 1e6: 123.456789 * 0.050000 = 6.17283945 -> 6.172839 (half even), 6.172840 (ceil).
  ASSERT_TRUE(muldiv(w(123'456'789), w(50'000), w(1'000'000), Rounding::half_even, out));
  EXPECT_EQ(out, w(6'172'839));
  ASSERT_TRUE(muldiv(w(123'456'789), w(50'000), w(1'000'000), Rounding::ceil, out));
  EXPECT_EQ(out, w(6'172'840));
}

TEST(WordBits, ShiftsAndBitwise) {
  const Word minus8 = w(-8);
  EXPECT_EQ(sar(minus8, w(1)), w(-4));
  EXPECT_EQ(sar(w(-7), w(1)), w(-4));  // floor(-3.5)
  EXPECT_EQ(sar(minus8, w(300)), w(-1));
  EXPECT_EQ(sar(w(8), w(300)), Word::zero());
  EXPECT_EQ(sar(minus8, Word::min()), w(-1));  // count is unsigned: MIN reads as 2^255
  EXPECT_EQ(shr(w(-1), w(255)), w(1));
  EXPECT_EQ(shr(w(-1), w(256)), Word::zero());
  EXPECT_EQ(shl(w(1), w(255)), Word::min());
  EXPECT_EQ(shl(w(1), w(256)), Word::zero());
  EXPECT_EQ(shl(w(1), w(-1)), Word::zero());  // -1 reads as 2^256 - 1
  EXPECT_EQ(shl(w(3), w(64)), (Word{{0, 3, 0, 0}}));
  EXPECT_EQ(shl(w(3), w(0)), w(3));
  EXPECT_EQ(shr(Word{{0, 0, 0, 5}}, w(192)), w(5));
  EXPECT_EQ(shl(Word{{1ull << 63, 0, 0, 0}}, w(1)), (Word{{0, 1, 0, 0}}));
  EXPECT_EQ(bit_and(w(12), w(10)), w(8));
  EXPECT_EQ(bit_or(w(12), w(10)), w(14));
  EXPECT_EQ(bit_xor(w(12), w(10)), w(6));
  EXPECT_EQ(bit_not(Word::zero()), w(-1));
  EXPECT_EQ(bit_not(Word::max()), Word::min());
}

TEST(WordText, DecimalRoundTripsAndRejects) {
  for (const char* text : {"0", "1", "-1", "42", "-1000000000000000000000",
                           "18446744073709551615", "18446744073709551616", "-18446744073709551616",
                           "57896044618658097711785492504343953926634992332820282019728792003956564819967",
                           "-57896044618658097711785492504343953926634992332820282019728792003956564819968"}) {
    const auto parsed = Word::from_decimal(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->to_decimal(), text);
  }
  EXPECT_EQ(*Word::from_decimal("18446744073709551616"), (Word{{0, 1, 0, 0}}));
  EXPECT_EQ(*Word::from_decimal("-0"), Word::zero());
  EXPECT_EQ(*Word::from_decimal("007"), w(7));
  for (const char* text : {"", "-", "+1", "1.5", " 1", "1 ", "--1", "1e3", "0x10", "12a", "-+1",
                           // MAX + 1 and MIN - 1:
                           "57896044618658097711785492504343953926634992332820282019728792003956564819968",
                           "-57896044618658097711785492504343953926634992332820282019728792003956564819969",
                           // 2^256 and far beyond (must not wrap around):
                           "115792089237316195423570985008687907853269984665640564039457584007913129639936",
                           "1000000000000000000000000000000000000000000000000000000000000000000000000000000000"}) {
    EXPECT_FALSE(Word::from_decimal(text).has_value()) << '"' << text << '"';
  }
}

TEST(WordText, BigEndianBytes) {
  std::array<std::uint8_t, 32> bytes{};
  bytes[31] = 0x01;
  bytes[0] = 0x80;
  bytes[24] = 0xAB;  // lowest byte of limb 0 is bytes[31]; bytes[24] is its highest
  const Word v = Word::from_be_bytes(bytes);
  EXPECT_EQ(v, (Word{{0xAB00000000000001ull, 0, 0, 1ull << 63}}));
  std::array<std::uint8_t, 32> back{};
  v.to_be_bytes(back);
  EXPECT_EQ(back, bytes);
}

// ---------------------------------------------------------------- differential vs Boost

// Iterations per op: a release build runs hundreds of thousands per op (millions in total);
// sanitizer builds scale down to stay within seconds. SAVM_WORD_TEST_SCALE overrides (percent).
int iterations(int base) {
#if defined(__SANITIZE_ADDRESS__)
  int percent = 6;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  int percent = 6;
#else
  int percent = 100;
#endif
#else
  int percent = 100;
#endif
  if (const char* env = std::getenv("SAVM_WORD_TEST_SCALE")) percent = std::atoi(env);
  return std::max(1, base / 100 * percent);
}

// Operands biased to the places limb code gets wrong: bounds, carries across limbs, powers of
// two, all-ones limbs, small values, and full-width random words.
class Operands {
 public:
  explicit Operands(std::uint64_t seed) : rng_(seed) {
    for (const Word& v : {Word::zero(), Word::one(), w(-1), w(2), w(-2), w(10), Word::min(),
                          Word::max(), w(3)}) {
      boundary_.push_back(v);
    }
    Word t;
    checked_add(Word::min(), Word::one(), t);
    boundary_.push_back(t);
    checked_sub(Word::max(), Word::one(), t);
    boundary_.push_back(t);
    for (unsigned k = 1; k < 256; ++k) {
      const Word p = shl(Word::one(), Word::from_u64(k));
      boundary_.push_back(p);
      checked_sub(p, Word::one(), t);  // 2^k - 1 (raw bits; for k = 255 that is MAX)
      boundary_.push_back(t);
      if (k % 64 == 0 || k % 64 == 63 || k % 64 == 1) {
        boundary_.push_back(bit_xor(p, Word::one()));  // 2^k + 1
        boundary_.push_back(word_detail::negate_bits(p));
        boundary_.push_back(word_detail::negate_bits(t));
      }
    }
  }

  Word next() {
    switch (pick(8)) {
      case 0:
      case 1: return boundary_[pick(boundary_.size())];
      case 2: return limb_pattern();
      case 3: return with_bits(static_cast<unsigned>(pick(65)));  // fits one limb
      case 4: return with_bits(static_cast<unsigned>(pick(257)));
      default: return random_full();
    }
  }

  // A word of at most `bits` significant magnitude bits, random sign.
  Word with_bits(unsigned bits) {
    Word v = random_full();
    if (bits < 256) v = shr(v, Word::from_u64(256 - bits));
    if (bits == 0) v = Word::zero();
    return pick(2) == 0 ? v : word_detail::negate_bits(v);
  }

  std::uint64_t pick(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_); }

 private:
  Word random_full() { return Word{{rng_(), rng_(), rng_(), rng_()}}; }
  // Limbs from {0, 1, all ones, top bit, top bit - 1, random}: drives carries and Knuth's
  // rare quotient corrections.
  Word limb_pattern() {
    static constexpr std::uint64_t kLimbs[] = {0, 1, ~0ull, 1ull << 63, (1ull << 63) - 1, ~0ull - 1};
    Word v;
    for (std::uint64_t& l : v.limb) {
      const auto i = pick(7);
      l = i < 6 ? kLimbs[i] : rng_();
    }
    return v;
  }

  std::mt19937_64 rng_;
  std::vector<Word> boundary_;
};

// Compares one checked op with the oracle; returns false (and records a failure) on mismatch.
bool agrees(const char* op, const std::optional<Int>& want, bool ok, const Word& got,
            std::initializer_list<Word> operands) {
  if (want.has_value() == ok && (!ok || oracle::to_int(got) == *want)) return true;
  std::string args;
  for (const Word& v : operands) args += v.to_decimal() + " ";
  ADD_FAILURE() << op << "(" << args << "): oracle "
                << (want ? want->str() : std::string("fault")) << ", word "
                << (ok ? got.to_decimal() : std::string("fault"));
  return false;
}

constexpr int kMaxFailures = 5;  // stop a test after a few mismatches instead of flooding

TEST(WordDifferential, AddSubMulNegAbs) {
  Operands gen(0x5A1'0001);
  int failures = 0;
  for (int i = 0, n = iterations(400'000); i < n && failures < kMaxFailures; ++i) {
    const Word a = gen.next(), b = gen.next();
    Word out;
    bool ok = checked_add(a, b, out);
    failures += !agrees("add", oracle::add(a, b), ok, out, {a, b});
    ok = checked_sub(a, b, out);
    failures += !agrees("sub", oracle::sub(a, b), ok, out, {a, b});
    ok = checked_mul(a, b, out);
    failures += !agrees("mul", oracle::mul(a, b), ok, out, {a, b});
    ok = checked_neg(a, out);
    failures += !agrees("neg", oracle::neg(a), ok, out, {a});
    ok = checked_abs(a, out);
    failures += !agrees("abs", oracle::abs(a), ok, out, {a});
  }
}

TEST(WordDifferential, DivMod) {
  Operands gen(0x5A1'0002);
  int failures = 0;
  for (int i = 0, n = iterations(400'000); i < n && failures < kMaxFailures; ++i) {
    const Word a = gen.next();
    // Mix divisors of every size so each division path (one limb, Knuth with 2-4 limbs) runs.
    const Word b = gen.pick(3) == 0 ? gen.with_bits(static_cast<unsigned>(gen.pick(257))) : gen.next();
    Word out;
    bool ok = checked_div(a, b, out);
    failures += !agrees("div", oracle::div(a, b), ok, out, {a, b});
    ok = checked_mod(a, b, out);
    failures += !agrees("mod", oracle::mod(a, b), ok, out, {a, b});
  }
}

TEST(WordDifferential, Exp) {
  Operands gen(0x5A1'0003);
  int failures = 0;
  for (int i = 0, n = iterations(150'000); i < n && failures < kMaxFailures; ++i) {
    // Small bases and exponents reach results that fit; boundary operands reach the faults.
    const Word base = gen.pick(4) == 0 ? gen.next() : gen.with_bits(static_cast<unsigned>(gen.pick(20)));
    const Word e = gen.pick(4) == 0 ? gen.next() : Word::from_u64(gen.pick(300));
    Word out;
    const bool ok = checked_exp(base, e, out);
    failures += !agrees("exp", oracle::exp(base, e), ok, out, {base, e});
  }
}

TEST(WordDifferential, MuldivAllModes) {
  Operands gen(0x5A1'0004);
  int failures = 0;
  for (int i = 0, n = iterations(150'000); i < n && failures < kMaxFailures; ++i) {
    const Word a = gen.next(), b = gen.next();
    // Half the divisors are wide enough that the quotient usually fits in 256 bits.
    const Word c = gen.pick(2) == 0 ? gen.next() : gen.with_bits(200 + static_cast<unsigned>(gen.pick(57)));
    for (std::uint8_t m = 0; m <= 6; ++m) {  // 6 is an invalid immediate: must fail
      const auto mode = static_cast<Rounding>(m);
      Word out;
      const bool ok = muldiv(a, b, c, mode, out);
      failures += !agrees(("muldiv mode " + std::to_string(m)).c_str(), oracle::muldiv(a, b, c, mode),
                          ok, out, {a, b, c});
    }
  }
}

// MULDIV's one-limb fast path (every magnitude below 2^64, vm/word.cpp) and its edges: operands
// at 2^63, 2^64 - 1 and 2^64 (the first that takes the 512-bit path) of either sign, products near
// 2^127 and 2^128, quotients past 2^64 (two divisions), and exact halves for every rounding mode.
TEST(WordDifferential, MuldivOneLimbBoundaries) {
  Operands gen(0x5A1'0006);
  const std::uint64_t top = std::uint64_t{1} << 63;
  const std::vector<Word> edges = {
      Word::from_u64(top - 1), Word::from_u64(top), Word::from_u64(top + 1), Word::from_u64(~0ull),
      Word::from_u64(~0ull - 1), Word{{0, 1, 0, 0}} /* 2^64 */, Word{{1, 1, 0, 0}}, Word::one(), w(2),
      w(3), w(10'000), Word::zero()};
  auto edge = [&] {
    const Word v = edges[gen.pick(edges.size())];
    return gen.pick(2) == 0 ? v : word_detail::negate_bits(v);
  };
  auto operand = [&] {
    switch (gen.pick(3)) {
      case 0: return edge();
      case 1: return gen.with_bits(static_cast<unsigned>(gen.pick(66)));  // 0..65 bits
      default: return gen.with_bits(60 + static_cast<unsigned>(gen.pick(6)));
    }
  };
  int failures = 0;
  for (int i = 0, n = iterations(150'000); i < n && failures < kMaxFailures; ++i) {
    Word a = operand(), b = operand(), c = operand();
    switch (gen.pick(6)) {
      case 0: {  // an exact half with a one-limb quotient: a = q*c + c/2, b = 1
        const std::uint64_t half = gen.pick(std::uint64_t{1} << 31) + 1;
        a = Word::from_u64(gen.pick(std::uint64_t{1} << 32) * 2 * half + half);
        b = Word::one();
        c = Word::from_u64(2 * half);
        break;
      }
      case 1:  // odd a*b over 2: an exact half with a quotient up to 2^127 (two divisions)
        a = Word::from_u64(gen.with_bits(64).limb[0] | 1);
        b = Word::from_u64(gen.with_bits(64).limb[0] | 1);
        c = w(2);
        break;
      default: break;
    }
    if (gen.pick(2) == 0) a = word_detail::negate_bits(a);
    if (gen.pick(2) == 0) c = word_detail::negate_bits(c);
    for (std::uint8_t m = 0; m <= 6; ++m) {
      const auto mode = static_cast<Rounding>(m);
      Word out;
      const bool ok = muldiv(a, b, c, mode, out);
      failures += !agrees(("muldiv mode " + std::to_string(m)).c_str(), oracle::muldiv(a, b, c, mode),
                          ok, out, {a, b, c});
    }
  }
}

TEST(WordDifferential, ShiftsBitwiseCompareText) {
  Operands gen(0x5A1'0005);
  int failures = 0;
  for (int i = 0, n = iterations(200'000); i < n && failures < kMaxFailures; ++i) {
    const Word a = gen.next(), b = gen.next();
    const Word count = gen.pick(4) == 0 ? b : Word::from_u64(gen.pick(260));
    const auto check = [&](const char* op, const Word& want, const Word& got) {
      if (want == got) return;
      ++failures;
      ADD_FAILURE() << op << "(" << a.to_decimal() << ", " << count.to_decimal() << ")";
    };
    check("shl", oracle::shl(a, count), shl(a, count));
    check("shr", oracle::shr(a, count), shr(a, count));
    check("sar", oracle::sar(a, count), sar(a, count));
    const Int x = oracle::to_unsigned(a), y = oracle::to_unsigned(b);
    check("and", oracle::from_int(x & y), bit_and(a, b));
    check("or", oracle::from_int(x | y), bit_or(a, b));
    check("xor", oracle::from_int(x ^ y), bit_xor(a, b));
    check("not", oracle::from_int(oracle::two_pow_256() - 1 - x), bit_not(a));
    const Int sa = oracle::to_int(a), sb = oracle::to_int(b);
    if (less(a, b) != (sa < sb) || greater(a, b) != (sa > sb) || (a == b) != (sa == sb)) {
      ++failures;
      ADD_FAILURE() << "compare(" << a.to_decimal() << ", " << b.to_decimal() << ")";
    }
    const std::string text = a.to_decimal();
    if (text != sa.str() || Word::from_decimal(text) != a) {
      ++failures;
      ADD_FAILURE() << "decimal " << text << " vs " << sa.str();
    }
    std::array<std::uint8_t, 32> bytes;
    a.to_be_bytes(bytes);
    Int from_bytes = 0;
    for (const std::uint8_t byte : bytes) from_bytes = (from_bytes << 8) | Int(byte);
    if (from_bytes != x || Word::from_be_bytes(bytes) != a) {
      ++failures;
      ADD_FAILURE() << "bytes of " << text;
    }
  }
}

}  // namespace
}  // namespace savm::vm
