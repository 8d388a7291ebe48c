// Reference semantics of vm::Word written with Boost.Multiprecision cpp_int (arbitrary
// precision), for differential tests and fuzzing. Each op computes the exact mathematical result
// and then range-checks it against [-2^255, 2^255 - 1]; nullopt means "the VM must fail".
// Nothing here calls the limb code under test except Word's raw limb layout.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <optional>

#include "vm/word.h"

namespace savm::vm::oracle {

using Int = boost::multiprecision::cpp_int;

inline const Int& two_pow_256() {
  static const Int v = Int(1) << 256;
  return v;
}
inline const Int& int_min() {
  static const Int v = -(Int(1) << 255);
  return v;
}
inline const Int& int_max() {
  static const Int v = (Int(1) << 255) - 1;
  return v;
}

// The raw 256 bits as an unsigned integer.
inline Int to_unsigned(const Word& w) {
  Int v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 64) | Int(w.limb[i]);
  return v;
}

// Two's complement reading of the bits.
inline Int to_int(const Word& w) {
  Int v = to_unsigned(w);
  return v > int_max() ? Int(v - two_pow_256()) : v;
}

// The low 256 bits of v (mod 2^256), as a word.
inline Word from_int(Int v) {
  v %= two_pow_256();
  if (v < 0) v += two_pow_256();
  Word w{};
  for (int i = 0; i < 4; ++i) {
    w.limb[i] = static_cast<std::uint64_t>(v & Int(~std::uint64_t{0}));
    v >>= 64;
  }
  return w;
}

inline std::optional<Int> in_range(const Int& v) {
  if (v < int_min() || v > int_max()) return std::nullopt;
  return v;
}

inline std::optional<Int> add(const Word& a, const Word& b) { return in_range(to_int(a) + to_int(b)); }
inline std::optional<Int> sub(const Word& a, const Word& b) { return in_range(to_int(a) - to_int(b)); }
inline std::optional<Int> mul(const Word& a, const Word& b) { return in_range(to_int(a) * to_int(b)); }
inline std::optional<Int> neg(const Word& a) { return in_range(-to_int(a)); }
inline std::optional<Int> abs(const Word& a) { return in_range(boost::multiprecision::abs(to_int(a))); }

// Quotient truncated toward zero, written out by hand from the magnitudes (not Boost's own
// signed division rule) so the oracle states the C semantics explicitly.
inline std::optional<Int> div(const Word& a, const Word& b) {
  const Int x = to_int(a), y = to_int(b);
  if (y == 0) return std::nullopt;
  const Int q = boost::multiprecision::abs(x) / boost::multiprecision::abs(y);
  return in_range((x < 0) != (y < 0) ? Int(-q) : q);
}

// Remainder with the sign of the dividend: a - b * trunc(a / b).
inline std::optional<Int> mod(const Word& a, const Word& b) {
  const Int x = to_int(a), y = to_int(b);
  if (y == 0) return std::nullopt;
  const Int r = boost::multiprecision::abs(x) % boost::multiprecision::abs(y);
  return in_range(x < 0 ? Int(-r) : r);
}

inline std::optional<Int> exp(const Word& base, const Word& exponent) {
  const Int x = to_int(base), e = to_int(exponent);
  if (e < 0) return std::nullopt;
  if (x == 0) return e == 0 ? Int(1) : Int(0);
  if (x == 1) return Int(1);
  if (x == -1) return (e % 2 == 0) ? Int(1) : Int(-1);
  if (e > 256) return std::nullopt;  // |x| >= 2, so |x|^e >= 2^257
  return in_range(boost::multiprecision::pow(x, static_cast<unsigned>(e)));
}

// Exact a*b/c rounded by mode, from the signed truncated quotient and remainder.
inline std::optional<Int> muldiv(const Word& a, const Word& b, const Word& c, Rounding mode) {
  const Int n = to_int(a) * to_int(b), d = to_int(c);
  if (d == 0) return std::nullopt;
  const Int q = boost::multiprecision::abs(n) / boost::multiprecision::abs(d);
  const Int r = boost::multiprecision::abs(n) % boost::multiprecision::abs(d);
  const bool negative = (n < 0) != (d < 0);
  const Int truncated = negative ? Int(-q) : q;
  const Int away = negative ? Int(truncated - 1) : Int(truncated + 1);  // next integer from zero
  const Int twice = 2 * r, ad = boost::multiprecision::abs(d);
  Int result;
  switch (mode) {
    case Rounding::toward_zero: result = truncated; break;
    case Rounding::floor: result = (r != 0 && negative) ? Int(truncated - 1) : truncated; break;
    case Rounding::ceil: result = (r != 0 && !negative) ? Int(truncated + 1) : truncated; break;
    case Rounding::half_up: result = (r != 0 && twice >= ad) ? away : truncated; break;
    case Rounding::half_down: result = (r != 0 && twice > ad) ? away : truncated; break;
    case Rounding::half_even:
      result = (twice > ad || (twice == ad && r != 0 && q % 2 == 1)) ? away : truncated;
      break;
    default: return std::nullopt;
  }
  return in_range(result);
}

// Shift counts are unsigned 256-bit words.
inline Word shl(const Word& a, const Word& n) {
  const Int s = to_unsigned(n);
  if (s >= 256) return Word::zero();
  return from_int(to_unsigned(a) << static_cast<unsigned>(s));
}
inline Word shr(const Word& a, const Word& n) {
  const Int s = to_unsigned(n);
  if (s >= 256) return Word::zero();
  return from_int(to_unsigned(a) >> static_cast<unsigned>(s));
}
// Arithmetic shift = floor(a / 2^n), computed by hand from truncating division.
inline Word sar(const Word& a, const Word& n) {
  const Int s = to_unsigned(n), x = to_int(a);
  if (s >= 256) return x < 0 ? from_int(-1) : Word::zero();
  const Int p = Int(1) << static_cast<unsigned>(s);
  Int q = x / p;
  if (x < 0 && q * p != x) q -= 1;
  return from_int(q);
}

}  // namespace savm::vm::oracle
