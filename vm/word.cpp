// The hard word ops: division (Knuth algorithm D on 64-bit limbs), EXP, the 512-bit MULDIV and
// decimal text. Signed ops work on unsigned magnitudes and apply the sign at the end, so the
// limb code never meets a signed C++ integer that could overflow.
#include "vm/word.h"

#include <algorithm>
#include <bit>

namespace savm::vm {

namespace {

using u128 = unsigned __int128;
using word_detail::magnitude;
using word_detail::negate_bits;
using word_detail::signed_from_magnitude;

// Number of significant limbs (0 for zero).
int significant_limbs(const std::uint64_t* x, int n) {
  while (n > 0 && x[n - 1] == 0) --n;
  return n;
}

// (hi:lo) / d for hi < d, so the quotient fits one limb. On x86-64 this is one DIV instruction
// (hi < d rules out its divide-error trap); elsewhere the compiler's 128-bit division.
std::uint64_t div_2by1(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& rem) {
#if defined(__x86_64__)
  std::uint64_t q;
  __asm__("divq %[d]" : "=a"(q), "=d"(rem) : "a"(lo), "d"(hi), [d] "rm"(d) : "cc");
  return q;
#else
  const u128 num = (static_cast<u128>(hi) << 64) | lo;
  rem = static_cast<std::uint64_t>(num % d);
  return static_cast<std::uint64_t>(num / d);
#endif
}

// Quotient and remainder of u (m limbs) by a single nonzero limb d. q has m limbs.
std::uint64_t divrem_by_limb(const std::uint64_t* u, int m, std::uint64_t d, std::uint64_t* q) {
  std::uint64_t rem = 0;
  for (int i = m - 1; i >= 0; --i) q[i] = div_2by1(rem, u[i], d, rem);  // rem < d throughout
  return rem;
}

// Knuth, TAOCP vol. 2, 4.3.1, algorithm D. u has m limbs, v has n limbs with v[n-1] != 0 and
// m >= n >= 2. Writes m-n+1 quotient limbs to q and n remainder limbs to r.
void divrem_knuth(const std::uint64_t* u, int m, const std::uint64_t* v, int n, std::uint64_t* q,
                  std::uint64_t* r) {
  constexpr int kMaxLimbs = 8;
  const int s = std::countl_zero(v[n - 1]);  // normalize so the divisor's top bit is set
  // Shifting right by 64 - s is undefined for s == 0, so that case contributes no bits.
  auto high_bits = [s](std::uint64_t x) -> std::uint64_t { return s == 0 ? 0 : x >> (64 - s); };

  std::uint64_t vn[kMaxLimbs];
  for (int i = n - 1; i > 0; --i) vn[i] = (v[i] << s) | high_bits(v[i - 1]);
  vn[0] = v[0] << s;
  std::uint64_t un[kMaxLimbs + 1];
  un[m] = high_bits(u[m - 1]);
  for (int i = m - 1; i > 0; --i) un[i] = (u[i] << s) | high_bits(u[i - 1]);
  un[0] = u[0] << s;

  const std::uint64_t vtop = vn[n - 1], vnext = vn[n - 2];
  for (int j = m - n; j >= 0; --j) {
    // Estimate the quotient digit from the top two dividend limbs, then correct it (at most
    // twice) with the next divisor limb. un[j + n] <= vtop always holds; when equal the estimate is capped at 2^64 - 1 (Knuth's
    // qhat = b - 1 case) and rhat = num - qhat * vtop = un[j + n - 1] + vtop, which may carry.
    std::uint64_t qhat, rhat;
    bool rhat_carry = false;
    if (un[j + n] >= vtop) {
      qhat = ~std::uint64_t{0};
      rhat_carry = __builtin_add_overflow(un[j + n - 1], vtop, &rhat);
    } else {
      qhat = div_2by1(un[j + n], un[j + n - 1], vtop, rhat);
    }
    // Once rhat >= 2^64 the test below can no longer hold, so the loop stops.
    while (!rhat_carry &&
           static_cast<u128>(qhat) * vnext > ((static_cast<u128>(rhat) << 64) | un[j + n - 2])) {
      --qhat;
      rhat_carry = __builtin_add_overflow(rhat, vtop, &rhat);
    }
    // Multiply and subtract qhat * vn from the current window of un.
    std::uint64_t carry = 0, borrow = 0;
    for (int i = 0; i < n; ++i) {
      const u128 p = static_cast<u128>(qhat) * vn[i] + carry;
      carry = static_cast<std::uint64_t>(p >> 64);
      const auto plo = static_cast<std::uint64_t>(p);
      const std::uint64_t x = un[i + j];
      const std::uint64_t d = x - plo;
      const std::uint64_t b1 = x < plo;
      un[i + j] = d - borrow;
      borrow = b1 + (d < borrow);
    }
    const std::uint64_t x = un[j + n];
    const std::uint64_t d = x - carry;
    const bool negative = (x < carry) || (d < borrow);
    un[j + n] = d - borrow;
    q[j] = qhat;
    if (negative) {
      // qhat was one too large (rare): add the divisor back.
      q[j] = qhat - 1;
      std::uint64_t c = 0;
      for (int i = 0; i < n; ++i) {
        const u128 t = static_cast<u128>(un[i + j]) + vn[i] + c;
        un[i + j] = static_cast<std::uint64_t>(t);
        c = static_cast<std::uint64_t>(t >> 64);
      }
      un[j + n] += c;
    }
  }
  // Denormalize the remainder. Shifting left by 64 - s is undefined for s == 0.
  for (int i = 0; i < n; ++i) {
    r[i] = (un[i] >> s) | (s == 0 ? 0 : un[i + 1] << (64 - s));
  }
}

// Unsigned division of u (m <= 8 limbs) by v (4 limbs, nonzero). q gets m limbs (zero-filled
// above the quotient), r gets 4 limbs.
void udivrem(const std::uint64_t* u, int m, const Word& v, std::uint64_t* q, Word& r) {
  std::fill(q, q + m, 0);
  r = Word::zero();
  const int ul = significant_limbs(u, m);
  const int vl = significant_limbs(v.limb, 4);
  if (ul < vl) {
    std::copy(u, u + ul, r.limb);
    return;
  }
  if (vl == 1) {
    r.limb[0] = divrem_by_limb(u, ul, v.limb[0], q);
    return;
  }
  divrem_knuth(u, ul, v.limb, vl, q, r.limb);
}

// Quotient and remainder of unsigned magnitudes (divisor nonzero).
void udivrem256(const Word& a, const Word& b, Word& q, Word& r) {
  // Fast path: both fit one limb (the common case for amounts and counters).
  if ((a.limb[1] | a.limb[2] | a.limb[3] | b.limb[1] | b.limb[2] | b.limb[3]) == 0) {
    q = Word::from_u64(a.limb[0] / b.limb[0]);
    r = Word::from_u64(a.limb[0] % b.limb[0]);
    return;
  }
  udivrem(a.limb, 4, b, q.limb, r);
}

// Adds one to an 8-limb unsigned number (never overflows for a quotient of a 512-bit value by a
// divisor >= 1 rounded away by at most one, since that stays below 2^512).
void increment(std::uint64_t* x, int n) {
  for (int i = 0; i < n; ++i) {
    if (++x[i] != 0) return;
  }
}

// Whether the magnitude of the exact quotient must be rounded up by one, given the sign of the
// result, the truncated quotient's parity and `half`: the nonzero remainder compared with half
// the divisor (as rem <=> divisor - rem, which needs no wider value).
bool round_away(Rounding mode, bool negative, bool q_odd, std::strong_ordering half) {
  switch (mode) {
    case Rounding::floor: return negative;
    case Rounding::ceil: return !negative;
    case Rounding::toward_zero: return false;
    case Rounding::half_up: return half != std::strong_ordering::less;
    case Rounding::half_even: return half == std::strong_ordering::greater ||
                                     (half == std::strong_ordering::equal && q_odd);
    case Rounding::half_down: return half == std::strong_ordering::greater;
  }
  return false;
}

// round_away for a 256-bit remainder and divisor magnitude (rem < divisor).
bool round_away(Rounding mode, bool negative, bool q_odd, const Word& rem, const Word& divisor) {
  if (rem.is_zero()) return false;
  // Compare 2*rem with the divisor without a 257-bit value: 2*rem <=> d  iff  rem <=> d - rem.
  Word other = divisor;  // divisor - rem, unsigned and borrow-free since rem < divisor
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const std::uint64_t x = other.limb[i];
    other.limb[i] = x - rem.limb[i] - borrow;
    borrow = (x < rem.limb[i]) || (x - rem.limb[i] < borrow) ? 1 : 0;
  }
  const auto half = [&] {
    for (int i = 3; i >= 0; --i) {
      if (rem.limb[i] != other.limb[i]) return rem.limb[i] <=> other.limb[i];
    }
    return std::strong_ordering::equal;
  }();
  return round_away(mode, negative, q_odd, half);
}

// Full 256 x 256 -> 512-bit unsigned product.
void umul_wide(const Word& a, const Word& b, std::uint64_t (&p)[8]) {
  std::fill(p, p + 8, 0);
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      const u128 t = static_cast<u128>(a.limb[i]) * b.limb[j] + p[i + j] + carry;
      p[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    p[i + 4] = carry;
  }
}

}  // namespace

bool checked_div(const Word& a, const Word& b, Word& out) {
  if (b.is_zero()) return false;
  Word q, r;
  udivrem256(magnitude(a), magnitude(b), q, r);
  return signed_from_magnitude(q, a.is_negative() != b.is_negative(), out);  // MIN/-1 fails here
}

bool checked_mod(const Word& a, const Word& b, Word& out) {
  if (b.is_zero()) return false;
  Word q, r;
  udivrem256(magnitude(a), magnitude(b), q, r);
  out = a.is_negative() ? negate_bits(r) : r;  // |r| < |b| <= 2^255, so it always fits
  return true;
}

bool checked_exp(const Word& base, const Word& exponent, Word& out) {
  if (exponent.is_negative()) return false;
  const bool odd = (exponent.limb[0] & 1) != 0;
  const bool negative = base.is_negative() && odd;
  const Word mag = magnitude(base);
  // |base| <= 1 never overflows, whatever the exponent.
  if ((mag.limb[1] | mag.limb[2] | mag.limb[3]) == 0 && mag.limb[0] <= 1) {
    if (exponent.is_zero()) {
      out = Word::one();  // 0^0 = 1 by convention
    } else {
      out = mag.limb[0] == 0 ? Word::zero() : (negative ? Word::from_i64(-1) : Word::one());
    }
    return true;
  }
  // |base| >= 2, so an exponent of 256 or more exceeds 2^256: it cannot fit.
  if ((exponent.limb[1] | exponent.limb[2] | exponent.limb[3]) != 0 || exponent.limb[0] >= 256) {
    return false;
  }
  // Left-to-right square-and-multiply: every intermediate divides the final power, so the first
  // overflow is a real one and stops the loop early.
  const auto e = static_cast<unsigned>(exponent.limb[0]);
  Word acc = Word::one();
  for (int bit = e == 0 ? -1 : 31 - std::countl_zero(e); bit >= 0; --bit) {
    if (!word_detail::umul_fits(acc, acc, acc)) return false;
    if (((e >> bit) & 1) != 0 && !word_detail::umul_fits(acc, mag, acc)) return false;
  }
  return signed_from_magnitude(acc, negative, out);
}

// MULDIV when |a|, |b| and |c| each fit one limb (money x rate / scale, the common case): the
// product fits 128 bits and two hardware divisions give the quotient and remainder. Same
// semantics as the 512-bit path; the result magnitude is below 2^128 + 1, so it always fits.
bool word_detail::muldiv_one_limb(std::uint64_t a, std::uint64_t b, std::uint64_t c,
                                  Rounding mode, bool negative, Word& out) {
  const u128 product = static_cast<u128>(a) * b;
  const auto hi = static_cast<std::uint64_t>(product >> 64);
  const auto lo = static_cast<std::uint64_t>(product);
  std::uint64_t q_hi = 0, q_lo = 0, rem = 0;
  if (hi < c) {  // the usual case: one division
    q_lo = div_2by1(hi, lo, c, rem);
  } else {  // (hi % c : lo) / c then has a one-limb quotient
    q_hi = hi / c;
    q_lo = div_2by1(hi % c, lo, c, rem);
  }
  u128 q = (static_cast<u128>(q_hi) << 64) | q_lo;
  // q + 1 cannot wrap: q = 2^128 - 1 needs c = 1, and then the remainder is zero.
  if (rem != 0 && round_away(mode, negative, (q_lo & 1) != 0, rem <=> c - rem)) ++q;
  const Word mag{{static_cast<std::uint64_t>(q), static_cast<std::uint64_t>(q >> 64), 0, 0}};
  out = negative ? negate_bits(mag) : mag;
  return true;
}

bool word_detail::muldiv_general(const Word& a, const Word& b, const Word& c, Rounding mode,
                                 Word& out) {
  if (c.is_zero() || static_cast<std::uint8_t>(mode) > static_cast<std::uint8_t>(Rounding::half_down)) {
    return false;
  }
  const bool negative = (a.is_negative() ^ b.is_negative()) ^ c.is_negative();
  const Word ma = magnitude(a), mb = magnitude(b), divisor = magnitude(c);
  if ((ma.limb[1] | ma.limb[2] | ma.limb[3] | mb.limb[1] | mb.limb[2] | mb.limb[3] |
       divisor.limb[1] | divisor.limb[2] | divisor.limb[3]) == 0) {
    return muldiv_one_limb(ma.limb[0], mb.limb[0], divisor.limb[0], mode, negative, out);
  }
  std::uint64_t product[8];
  umul_wide(ma, mb, product);
  std::uint64_t q[8];
  Word rem;
  udivrem(product, 8, divisor, q, rem);
  if (round_away(mode, negative, (q[0] & 1) != 0, rem, divisor)) increment(q, 8);
  if ((q[4] | q[5] | q[6] | q[7]) != 0) return false;
  // A zero result is never negative, so the sign can be applied unconditionally.
  return signed_from_magnitude(Word{{q[0], q[1], q[2], q[3]}}, negative, out);
}

std::optional<Word> Word::from_decimal(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  Word mag = zero();
  constexpr Word ten = from_u64(10);
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    // mag * 10 + digit as an unsigned magnitude; past 2^256 it can only grow, so stop early.
    Word next;
    if (!word_detail::umul_fits(mag, ten, next)) return std::nullopt;
    std::uint64_t carry = static_cast<std::uint64_t>(ch - '0');
    for (std::uint64_t& limb : next.limb) carry = __builtin_add_overflow(limb, carry, &limb) ? 1 : 0;
    if (carry) return std::nullopt;
    mag = next;
  }
  Word out;
  if (!signed_from_magnitude(mag, negative, out)) return std::nullopt;
  return out;
}

std::string Word::to_decimal() const {
  constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ull;  // 10^19, the largest in a limb
  Word mag = magnitude(*this);
  std::string digits;  // least significant first
  do {
    Word q;
    std::uint64_t rem = divrem_by_limb(mag.limb, 4, kChunk, q.limb);
    mag = q;
    for (int i = 0; i < 19 && (rem != 0 || !mag.is_zero()); ++i) {
      digits.push_back(static_cast<char>('0' + rem % 10));
      rem /= 10;
    }
  } while (!mag.is_zero());
  if (digits.empty()) digits.push_back('0');
  if (is_negative()) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace savm::vm
