// The 256-bit machine word: four 64-bit limbs, signed two's complement, no heap.
//
// Arithmetic and ordering are signed (money can be negative) and checked: every arithmetic op
// returns false instead of wrapping, so a law can never silently overflow. Bitwise ops and
// equality see raw bits (hashes, ids). The hot ops (add, sub, mul, compare, shifts) are inline
// limb code with compiler builtins; division, EXP, MULDIV and decimal text live in word.cpp.
// Semantics are documented in docs/vm.md, section "Word".
#pragma once

#include <bit>
#include <compare>
#include <cstring>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace savm::vm {

struct Word {
  std::uint64_t limb[4];  // little-endian limbs: limb[0] is the least significant

  static constexpr Word from_u64(std::uint64_t v) { return Word{{v, 0, 0, 0}}; }
  static constexpr Word from_i64(std::int64_t v) {
    const std::uint64_t ext = v < 0 ? ~std::uint64_t{0} : 0;  // sign extension
    return Word{{static_cast<std::uint64_t>(v), ext, ext, ext}};
  }
  static Word from_be_bytes(std::span<const std::uint8_t, 32> bytes);
  void to_be_bytes(std::span<std::uint8_t, 32> bytes) const;

  // Signed decimal: an optional '-' then one or more ASCII digits (leading zeros allowed, "-0" is
  // zero). No '+', no spaces, no other characters; nullopt also when outside [MIN, MAX].
  static std::optional<Word> from_decimal(std::string_view text);
  std::string to_decimal() const;  // canonical: '-' only for negatives, no leading zeros

  static constexpr Word min() { return Word{{0, 0, 0, std::uint64_t{1} << 63}}; }   // -2^255
  static constexpr Word max() { return Word{{~0ull, ~0ull, ~0ull, ~0ull >> 1}}; }  // 2^255-1
  static constexpr Word zero() { return Word{{0, 0, 0, 0}}; }
  static constexpr Word one() { return Word{{1, 0, 0, 0}}; }

  constexpr bool is_zero() const { return (limb[0] | limb[1] | limb[2] | limb[3]) == 0; }
  constexpr bool is_negative() const { return (limb[3] >> 63) != 0; }

  friend constexpr bool operator==(const Word&, const Word&) = default;
  // Signed order (two's complement), the order of LT/GT/LE/GE.
  friend constexpr std::strong_ordering operator<=>(const Word& a, const Word& b) {
    const auto ha = static_cast<std::int64_t>(a.limb[3]);
    const auto hb = static_cast<std::int64_t>(b.limb[3]);
    if (ha != hb) return ha <=> hb;
    for (int i = 2; i >= 0; --i) {
      if (a.limb[i] != b.limb[i]) return a.limb[i] <=> b.limb[i];
    }
    return std::strong_ordering::equal;
  }
};

// MULDIV rounding immediates. half_up = half away from zero; half_down = half toward zero.
// Values above 5 are invalid immediates (the verifier rejects them; muldiv fails on them).
enum class Rounding : std::uint8_t {
  floor = 0,
  ceil = 1,
  toward_zero = 2,
  half_up = 3,
  half_even = 4,
  half_down = 5,
};

// ---- Checked signed arithmetic: false on overflow / division by zero / negative exponent.
// `out` is unspecified when false is returned. `out` may alias an operand.

inline bool checked_add(const Word& a, const Word& b, Word& out) {
  const std::uint64_t sa = a.limb[3], sb = b.limb[3];
  Word r;
  bool carry = false;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t s;
    const bool c1 = __builtin_add_overflow(a.limb[i], b.limb[i], &s);
    const bool c2 = __builtin_add_overflow(s, static_cast<std::uint64_t>(carry), &s);
    r.limb[i] = s;
    carry = c1 || c2;
  }
  out = r;
  // Signed overflow: both operands have the same sign and the result's sign differs.
  return (((sa ^ r.limb[3]) & (sb ^ r.limb[3])) >> 63) == 0;
}

inline bool checked_sub(const Word& a, const Word& b, Word& out) {
  const std::uint64_t sa = a.limb[3], sb = b.limb[3];
  Word r;
  bool borrow = false;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t d;
    const bool b1 = __builtin_sub_overflow(a.limb[i], b.limb[i], &d);
    const bool b2 = __builtin_sub_overflow(d, static_cast<std::uint64_t>(borrow), &d);
    r.limb[i] = d;
    borrow = b1 || b2;
  }
  out = r;
  // Signed overflow: operands have different signs and the result's sign differs from a's.
  return (((sa ^ sb) & (sa ^ r.limb[3])) >> 63) == 0;
}

namespace word_detail {

// A limb converted between host order and big-endian (its own inverse).
constexpr std::uint64_t to_big_endian(std::uint64_t x) {
  if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(x);
  return x;
}

}  // namespace word_detail

// Big-endian bytes are the limbs in reverse order, each byte-swapped (one load and one BSWAP per
// limb; memcpy keeps the unaligned access well defined).
inline Word Word::from_be_bytes(std::span<const std::uint8_t, 32> bytes) {
  Word w;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t be;
    std::memcpy(&be, bytes.data() + 8 * i, 8);
    w.limb[3 - i] = word_detail::to_big_endian(be);
  }
  return w;
}

inline void Word::to_be_bytes(std::span<std::uint8_t, 32> bytes) const {
  for (int i = 0; i < 4; ++i) {
    const std::uint64_t be = word_detail::to_big_endian(limb[3 - i]);
    std::memcpy(bytes.data() + 8 * i, &be, 8);
  }
}

namespace word_detail {

// Two's complement negation of the raw bits (wraps: MIN stays MIN).
constexpr Word negate_bits(const Word& a) {
  Word r{};
  bool borrow = false;  // 0 - a as a borrow chain (compiles to neg/sbb)
  for (int i = 0; i < 4; ++i) {
    const bool b1 = __builtin_sub_overflow(std::uint64_t{0}, a.limb[i], &r.limb[i]);
    const bool b2 = __builtin_sub_overflow(r.limb[i], static_cast<std::uint64_t>(borrow), &r.limb[i]);
    borrow = b1 || b2;
  }
  return r;
}

// |a| as an unsigned 256-bit magnitude; exact for every word (|MIN| = 2^255 fits unsigned).
constexpr Word magnitude(const Word& a) { return a.is_negative() ? negate_bits(a) : a; }

// Unsigned a * m for a single limb m; false when the product does not fit in 256 bits.
inline bool umul_by_limb(const Word& a, std::uint64_t m, Word& out) {
  using u128 = unsigned __int128;
  Word r;
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 t = static_cast<u128>(a.limb[i]) * m + carry;
    r.limb[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<std::uint64_t>(t >> 64);
  }
  out = r;
  return carry == 0;
}

// Unsigned 256 x 256 product; false when it does not fit in 256 bits. One-limb operands (amounts,
// rates, EXP's base) take a single row; the general case is a fully unrolled schoolbook.
inline bool umul_fits(const Word& a, const Word& b, Word& out) {
  using u128 = unsigned __int128;
  if ((b.limb[1] | b.limb[2] | b.limb[3]) == 0) return umul_by_limb(a, b.limb[0], out);
  if ((a.limb[1] | a.limb[2] | a.limb[3]) == 0) return umul_by_limb(b, a.limb[0], out);
  Word r{};
  bool overflow = false;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; j < 4 - i; ++j) {
      const u128 t = static_cast<u128>(a.limb[i]) * b.limb[j] + r.limb[i + j] + carry;
      r.limb[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    // A carry into limb 4, or a[i] times a b limb that lands at limb 4 or above, means the
    // product is >= 2^256 (all partial products are non-negative).
    std::uint64_t beyond = 0;
    for (int j = 4 - i; j < 4; ++j) beyond |= b.limb[j];
    overflow |= carry != 0 || (a.limb[i] != 0 && beyond != 0);
  }
  out = r;
  return !overflow;
}

// Applies a sign to an unsigned magnitude; false when the signed result leaves [MIN, MAX].
inline bool signed_from_magnitude(const Word& mag, bool negative, Word& out) {
  const bool top = mag.is_negative();  // magnitude >= 2^255
  if (!negative) {
    out = mag;
    return !top;
  }
  // Only 2^255 itself (MIN) may have the top bit set when negative.
  if (top && !(mag.limb[3] == (std::uint64_t{1} << 63) &&
               (mag.limb[0] | mag.limb[1] | mag.limb[2]) == 0)) {
    return false;
  }
  out = negate_bits(mag);
  return true;
}

}  // namespace word_detail

inline bool checked_mul(const Word& a, const Word& b, Word& out) {
  Word mag;
  if (!word_detail::umul_fits(word_detail::magnitude(a), word_detail::magnitude(b), mag)) {
    return false;
  }
  return word_detail::signed_from_magnitude(mag, a.is_negative() != b.is_negative(), out);
}

bool checked_div(const Word& a, const Word& b, Word& out);  // truncates toward zero; MIN/-1 fails
bool checked_mod(const Word& a, const Word& b, Word& out);  // sign of the dividend; by zero fails
bool checked_exp(const Word& base, const Word& exponent, Word& out);  // negative exponent fails

inline bool checked_neg(const Word& a, Word& out) {
  if (a == Word::min()) return false;
  out = word_detail::negate_bits(a);
  return true;
}

inline bool checked_abs(const Word& a, Word& out) {
  if (!a.is_negative()) {
    out = a;
    return true;
  }
  return checked_neg(a, out);
}

namespace word_detail {

// MULDIV of one-limb magnitudes (c != 0, mode valid) with the result's sign: a 128-bit product
// and one or two hardware divisions. Always fits.
bool muldiv_one_limb(std::uint64_t a, std::uint64_t b, std::uint64_t c, Rounding mode,
                     bool negative, Word& out);
// Every other MULDIV: negative one-limb operands, else the 512-bit product and Knuth division.
bool muldiv_general(const Word& a, const Word& b, const Word& c, Rounding mode, Word& out);

}  // namespace word_detail

// Exact a*b/c rounded by `mode`, with a 512-bit intermediate. False when c == 0, the rounded
// result is outside [MIN, MAX], or `mode` is not a valid Rounding value. The common case (money
// x rate / scale: non-negative operands below 2^64) is tested inline, so the caller reads the
// operands as limbs and passes them in registers.
inline bool muldiv(const Word& a, const Word& b, const Word& c, Rounding mode, Word& out) {
  const std::uint64_t high = a.limb[1] | a.limb[2] | a.limb[3] | b.limb[1] | b.limb[2] |
                             b.limb[3] | c.limb[1] | c.limb[2] | c.limb[3];
  if (high == 0 && c.limb[0] != 0 &&
      static_cast<std::uint8_t>(mode) <= static_cast<std::uint8_t>(Rounding::half_down)) {
    return word_detail::muldiv_one_limb(a.limb[0], b.limb[0], c.limb[0], mode, false, out);
  }
  return word_detail::muldiv_general(a, b, c, mode, out);
}

// ---- Signed comparisons.
inline bool less(const Word& a, const Word& b) { return a < b; }
inline bool greater(const Word& a, const Word& b) { return a > b; }

// ---- Bitwise ops on raw bits. Shift counts are unsigned 256-bit words: n >= 256 shifts every
// bit out (0, or all ones for sar of a negative word).
inline Word bit_and(const Word& a, const Word& b) {
  return Word{{a.limb[0] & b.limb[0], a.limb[1] & b.limb[1], a.limb[2] & b.limb[2],
               a.limb[3] & b.limb[3]}};
}
inline Word bit_or(const Word& a, const Word& b) {
  return Word{{a.limb[0] | b.limb[0], a.limb[1] | b.limb[1], a.limb[2] | b.limb[2],
               a.limb[3] | b.limb[3]}};
}
inline Word bit_xor(const Word& a, const Word& b) {
  return Word{{a.limb[0] ^ b.limb[0], a.limb[1] ^ b.limb[1], a.limb[2] ^ b.limb[2],
               a.limb[3] ^ b.limb[3]}};
}
inline Word bit_not(const Word& a) {
  return Word{{~a.limb[0], ~a.limb[1], ~a.limb[2], ~a.limb[3]}};
}

namespace word_detail {

// The shift count if it is below 256, else 256 (every bit shifted out).
constexpr unsigned shift_count(const Word& n) {
  if ((n.limb[1] | n.limb[2] | n.limb[3]) != 0 || n.limb[0] >= 256) return 256;
  return static_cast<unsigned>(n.limb[0]);
}

// Logical right shift by s < 256 with `fill` (0 or all ones) shifted in from the top.
constexpr Word shift_right(const Word& a, unsigned s, std::uint64_t fill) {
  const unsigned q = s / 64, r = s % 64;
  Word out{};
  for (unsigned i = 0; i < 4; ++i) {
    const std::uint64_t lo = i + q < 4 ? a.limb[i + q] : fill;
    const std::uint64_t hi = i + q + 1 < 4 ? a.limb[i + q + 1] : fill;
    // r == 0 must not shift by 64 (undefined), so that case copies the limb.
    out.limb[i] = r == 0 ? lo : (lo >> r) | (hi << (64 - r));
  }
  return out;
}

}  // namespace word_detail

inline Word shl(const Word& a, const Word& n) {
  const unsigned s = word_detail::shift_count(n);
  if (s >= 256) return Word::zero();
  const unsigned q = s / 64, r = s % 64;
  Word out{};
  for (unsigned i = q; i < 4; ++i) {
    const std::uint64_t lo = a.limb[i - q];
    const std::uint64_t below = i - q >= 1 ? a.limb[i - q - 1] : 0;
    out.limb[i] = r == 0 ? lo : (lo << r) | (below >> (64 - r));
  }
  return out;
}

inline Word shr(const Word& a, const Word& n) {
  const unsigned s = word_detail::shift_count(n);
  if (s >= 256) return Word::zero();
  return word_detail::shift_right(a, s, 0);
}

inline Word sar(const Word& a, const Word& n) {
  const std::uint64_t fill = a.is_negative() ? ~std::uint64_t{0} : 0;
  const unsigned s = word_detail::shift_count(n);
  if (s >= 256) return Word{{fill, fill, fill, fill}};
  return word_detail::shift_right(a, s, fill);
}

}  // namespace savm::vm
