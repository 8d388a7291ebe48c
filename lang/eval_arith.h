// Exact integer arithmetic for the reference evaluator (lang/evaluator.h): Boost.Multiprecision
// cpp_int with an explicit signed 256-bit range check after every step, so the oracle does not
// share code with vm::Word yet faults exactly where SAVM's checked opcodes fault (docs/vm.md).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <string>
#include <string_view>

#include "lang/program.h"

namespace savm::lang::eval {

using BigInt = boost::multiprecision::cpp_int;

// A runtime fault of the evaluated program; the code is one of lang/evaluator.h's EvalError codes.
struct Fault {
  std::string code;
  std::string message;
};

// [-2^255, 2^255 - 1], the range of one SAVM word.
bool fits_int256(const BigInt& value);

// `value` itself, or a Fault "overflow" naming `what` ("a + b", "rounded result").
BigInt checked(BigInt value, std::string_view what);

// A canonical decimal integer string ("-5", "0") as a BigInt. Throws Fault "internal" for text
// that is not one: the checker only produces canonical constants.
BigInt parse_integer(std::string_view text);

// The exact quotient numerator / denominator (denominator ≠ 0) rounded by `mode`, with the
// semantics of SAVM's MULDIV immediates (docs/vm.md): half_up = ties away from zero,
// half_down = ties toward zero, half_even = ties to the even neighbour.
BigInt round_quotient(const BigInt& numerator, const BigInt& denominator, Rounding mode);

// 10^exponent, exponent ≥ 0.
BigInt power_of_ten(int exponent);

const char* to_string(Rounding mode);

}  // namespace savm::lang::eval
