// Constant folding (docs/design/mizan-compiler.md "Folding"): the value of a one-word expression
// whose operands are all constants, computed exactly (Boost.Multiprecision) with SAVM's int256
// range check after every step and MULDIV's rounding. An expression that would fault (overflow,
// division by zero) is not folded: it is emitted as written, so it faults at run time exactly
// where the evaluator faults — and not at all when it sits in a branch that is never taken.
#pragma once

#include <optional>
#include <string>

#include "lang/program.h"

namespace savm::compiler {

// The folded value as a decimal integer string, or nothing when `e` is not a fault-free
// constant. Rounded nodes are not folded here (their TRACE event must stay: emit_rounded folds
// their arithmetic itself, through fold_rounded).
std::optional<std::string> fold_constant(const lang::TExpr& e);

// round_mode(a × b / (divisor × quantum)) × quantum when a, b and divisor are fault-free
// constants and no step faults.
std::optional<std::string> fold_rounded(const lang::Rounded& r);

}  // namespace savm::compiler
