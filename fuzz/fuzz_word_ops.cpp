// Differential fuzzing of vm::Word against the Boost cpp_int oracle (tests/vm/word_oracle.h).
//
// Input layout: byte 0 selects the op, byte 1 the MULDIV rounding immediate (0..6; 6 is invalid
// and must fault), then up to three operands of 32 big-endian bytes each (missing bytes are zero).
// Any disagreement, in value or in fault/no-fault, aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/vm/word_oracle.h"
#include "vm/word.h"

namespace {

using savm::vm::Rounding;
using savm::vm::Word;
namespace oracle = savm::vm::oracle;

Word operand(const std::uint8_t* data, std::size_t size, std::size_t index) {
  std::array<std::uint8_t, 32> bytes{};
  const std::size_t start = 2 + 32 * index;
  for (std::size_t i = 0; i < 32 && start + i < size; ++i) bytes[i] = data[start + i];
  return Word::from_be_bytes(bytes);
}

[[noreturn]] void mismatch(const char* op, const Word& a, const Word& b, const Word& c) {
  std::fprintf(stderr, "word mismatch in %s(%s, %s, %s)\n", op, a.to_decimal().c_str(),
               b.to_decimal().c_str(), c.to_decimal().c_str());
  std::abort();
}

void check(const char* op, const std::optional<oracle::Int>& want, bool ok, const Word& got,
           const Word& a, const Word& b, const Word& c) {
  if (want.has_value() != ok || (ok && oracle::to_int(got) != *want)) mismatch(op, a, b, c);
}

void check_bits(const char* op, const Word& want, const Word& got, const Word& a, const Word& b) {
  if (want != got) mismatch(op, a, b, Word::zero());
}

// The grammar stated independently: optional '-', then one or more ASCII digits, in range.
std::optional<oracle::Int> decimal_reading(std::string text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.erase(0, 1);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  // cpp_int reads a leading 0 as octal, so strip leading zeros first.
  const std::size_t first = text.find_first_not_of('0');
  if (first == std::string::npos) return oracle::Int(0);
  if (text.size() - first > 80) return std::nullopt;  // far beyond 2^256 (78 digits)
  const oracle::Int v(text.substr(first));
  return oracle::in_range(negative ? oracle::Int(-v) : v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Word a = operand(data, size, 0), b = operand(data, size, 1), c = operand(data, size, 2);
  const auto mode = static_cast<Rounding>(data[1] % 7);
  Word out;
  switch (data[0] % 14) {
    case 0: check("add", oracle::add(a, b), checked_add(a, b, out), out, a, b, c); break;
    case 1: check("sub", oracle::sub(a, b), checked_sub(a, b, out), out, a, b, c); break;
    case 2: check("mul", oracle::mul(a, b), checked_mul(a, b, out), out, a, b, c); break;
    case 3: check("div", oracle::div(a, b), checked_div(a, b, out), out, a, b, c); break;
    case 4: check("mod", oracle::mod(a, b), checked_mod(a, b, out), out, a, b, c); break;
    case 5: check("exp", oracle::exp(a, b), checked_exp(a, b, out), out, a, b, c); break;
    case 6: check("neg", oracle::neg(a), checked_neg(a, out), out, a, b, c); break;
    case 7: check("abs", oracle::abs(a), checked_abs(a, out), out, a, b, c); break;
    case 8:
      check("muldiv", oracle::muldiv(a, b, c, mode), muldiv(a, b, c, mode, out), out, a, b, c);
      break;
    case 9: check_bits("shl", oracle::shl(a, b), shl(a, b), a, b); break;
    case 10: check_bits("shr", oracle::shr(a, b), shr(a, b), a, b); break;
    case 11: check_bits("sar", oracle::sar(a, b), sar(a, b), a, b); break;
    case 12:
      if (less(a, b) != (oracle::to_int(a) < oracle::to_int(b))) mismatch("less", a, b, c);
      break;
    default: {
      const std::string text = a.to_decimal();
      if (text != oracle::to_int(a).str() || Word::from_decimal(text) != a) {
        mismatch("decimal", a, b, c);
      }
      // Arbitrary text must parse exactly when it is an in-range decimal, to the same value.
      const std::string raw(reinterpret_cast<const char*>(data) + 2, size - 2);
      const auto want = decimal_reading(raw);
      const auto parsed = Word::from_decimal(raw);
      if (want.has_value() != parsed.has_value() || (parsed && oracle::to_int(*parsed) != *want)) {
        mismatch("parse", a, b, c);
      }
    }
  }
  return 0;
}
