#include "lang/eval_arith.h"

namespace savm::lang::eval {
namespace {

const BigInt& int256_max() {
  static const BigInt max = (BigInt(1) << 255) - 1;
  return max;
}

const BigInt& int256_min() {
  static const BigInt min = -(BigInt(1) << 255);
  return min;
}

bool is_canonical_integer(std::string_view text) {
  std::size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  if (i == text.size()) return false;
  if (text[i] == '0' && text.size() > i + 1) return false;  // leading zero
  if (text == "-0") return false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

bool fits_int256(const BigInt& value) { return value >= int256_min() && value <= int256_max(); }

BigInt checked(BigInt value, std::string_view what) {
  if (!fits_int256(value)) {
    throw Fault{"overflow", std::string(what) + " is outside the signed 256-bit range"};
  }
  return value;
}

BigInt parse_integer(std::string_view text) {
  // Bounded so that a malformed program cannot make the evaluator build a huge number.
  if (text.size() > 80 || !is_canonical_integer(text)) {
    throw Fault{"internal", "the program holds a malformed integer constant '" + std::string(text) + "'"};
  }
  return BigInt(std::string(text));
}

BigInt round_quotient(const BigInt& numerator, const BigInt& denominator, Rounding mode) {
  // divide_qr truncates toward zero; the remainder has the sign of the numerator.
  BigInt quotient, remainder;
  boost::multiprecision::divide_qr(numerator, denominator, quotient, remainder);
  if (remainder == 0) return quotient;
  // The exact result lies strictly between `quotient` and `quotient + direction`.
  const int direction = (numerator < 0) != (denominator < 0) ? -1 : 1;
  const BigInt twice = abs(remainder) * 2;
  const BigInt magnitude = abs(denominator);
  const bool above_half = twice > magnitude;
  const bool at_half = twice == magnitude;
  bool away = false;  // move from the truncated quotient away from zero
  switch (mode) {
    case Rounding::floor: away = direction < 0; break;
    case Rounding::ceil: away = direction > 0; break;
    case Rounding::toward_zero: away = false; break;
    case Rounding::half_up: away = above_half || at_half; break;
    case Rounding::half_down: away = above_half; break;
    case Rounding::half_even: away = above_half || (at_half && abs(quotient) % 2 != 0); break;
  }
  return away ? quotient + direction : quotient;
}

BigInt power_of_ten(int exponent) {
  BigInt result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

const char* to_string(Rounding mode) {
  switch (mode) {
    case Rounding::floor: return "floor";
    case Rounding::ceil: return "ceil";
    case Rounding::toward_zero: return "toward_zero";
    case Rounding::half_up: return "half_up";
    case Rounding::half_even: return "half_even";
    case Rounding::half_down: return "half_down";
  }
  return "?";
}

}  // namespace savm::lang::eval
