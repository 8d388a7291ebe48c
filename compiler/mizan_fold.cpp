// Exact constant arithmetic for folding. Deliberately written apart from lang/eval_arith.* (the
// evaluator, which is the conformance oracle for compiled code) and from vm::Word (what the
// folded code replaces), so a folding bug shows up as a disagreement instead of being shared.
#include "compiler/mizan_fold.h"

#include <boost/multiprecision/cpp_int.hpp>

#include <type_traits>
#include <variant>

namespace savm::compiler {
namespace {

using Big = boost::multiprecision::cpp_int;
using Folded = std::optional<Big>;

const Big kWordMax = (Big(1) << 255) - 1;
const Big kWordMin = -(Big(1) << 255);

// A value one SAVM word holds, or nothing (the operation would fault with overflow).
Folded word(Big v) {
  if (v > kWordMax || v < kWordMin) return std::nullopt;
  return v;
}

Folded parse(const std::string& text) {
  try {
    return word(Big(text));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Big ten_to(int exponent) {
  Big p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

// n / d rounded by `mode` (d ≠ 0), as MULDIV rounds: from the floor quotient q and remainder
// 0 ≤ r < d after making d positive; the exact value is q + r/d.
Big divide_rounded(Big n, Big d, lang::Rounding mode) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  Big q, r;
  boost::multiprecision::divide_qr(n, d, q, r);
  if (r < 0) {  // divide_qr truncates toward zero: step down to the floor
    q -= 1;
    r += d;
  }
  if (r == 0) return q;
  const Big twice = 2 * r;
  switch (mode) {
    case lang::Rounding::floor: return q;
    case lang::Rounding::ceil: return q + 1;
    case lang::Rounding::toward_zero: return q >= 0 ? q : q + 1;
    case lang::Rounding::half_up:  // ties away from zero: q + 1/2 > 0 exactly when q ≥ 0
      return twice < d ? q : twice > d ? q + 1 : (q >= 0 ? q + 1 : q);
    case lang::Rounding::half_down:  // ties toward zero
      return twice < d ? q : twice > d ? q + 1 : (q >= 0 ? q : q + 1);
    case lang::Rounding::half_even:
      return twice < d ? q : twice > d ? q + 1 : (q % 2 == 0 ? q : q + 1);
  }
  return q;
}

bool one_word(const lang::Type& t) {
  using lang::BaseType;
  return t.base != BaseType::duration && t.base != BaseType::record && t.base != BaseType::list &&
         t.base != BaseType::string && t.base != BaseType::entity_id && t.base != BaseType::asset_id;
}

Folded value(const lang::TExpr& e);

Folded binary(const lang::TBinary& b) {
  using lang::TBinaryOp;
  const Folded l = value(*b.lhs);
  // and/or decide on the left operand alone, as the evaluator (and the emitted code) do.
  if (b.op == TBinaryOp::logical_and && l && *l == 0) return Big(0);
  if (b.op == TBinaryOp::logical_or && l && *l != 0) return Big(1);
  const Folded r = value(*b.rhs);
  if (!l || !r) return std::nullopt;
  switch (b.op) {
    case TBinaryOp::add: return word(*l + *r);
    case TBinaryOp::sub: return word(*l - *r);
    case TBinaryOp::mul: return word(*l * *r);
    case TBinaryOp::eq: return Big(*l == *r ? 1 : 0);
    case TBinaryOp::ne: return Big(*l != *r ? 1 : 0);
    case TBinaryOp::lt: return Big(*l < *r ? 1 : 0);
    case TBinaryOp::le: return Big(*l <= *r ? 1 : 0);
    case TBinaryOp::gt: return Big(*l > *r ? 1 : 0);
    case TBinaryOp::ge: return Big(*l >= *r ? 1 : 0);
    case TBinaryOp::logical_and:
    case TBinaryOp::logical_or: return Big(*r != 0 ? 1 : 0);
    case TBinaryOp::min: return *l < *r ? *l : *r;
    case TBinaryOp::max: return *l > *r ? *l : *r;
  }
  return std::nullopt;
}

Folded value(const lang::TExpr& e) {
  if (!one_word(e.type)) return std::nullopt;
  return std::visit(
      [](const auto& n) -> Folded {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, lang::Const>) {
          return parse(n.value);
        } else if constexpr (std::is_same_v<N, lang::TUnary>) {
          const Folded v = value(*n.operand);
          if (!v) return std::nullopt;
          return n.op == lang::TUnaryOp::negate ? word(-*v) : Big(*v == 0 ? 1 : 0);
        } else if constexpr (std::is_same_v<N, lang::TBinary>) {
          return binary(n);
        } else if constexpr (std::is_same_v<N, lang::Rescale>) {
          const Folded v = value(*n.operand);
          if (!v || n.exponent < 0 || n.exponent > 76) return std::nullopt;
          return word(*v * ten_to(n.exponent));
        } else if constexpr (std::is_same_v<N, lang::TIf>) {
          const Folded c = value(*n.condition);
          if (!c) return std::nullopt;
          return value(*c != 0 ? *n.then_branch : *n.else_branch);
        } else {
          return std::nullopt;  // variables, calls, dates, lists, tensor reads; Rounded (its trace)
        }
      },
      e.node);
}

}  // namespace

std::optional<std::string> fold_constant(const lang::TExpr& e) {
  const Folded v = value(e);
  if (!v) return std::nullopt;
  return v->str();
}

std::optional<std::string> fold_rounded(const lang::Rounded& r) {
  const Folded a = value(*r.a), b = value(*r.b), divisor = value(*r.divisor), quantum = parse(r.quantum);
  if (!a || !b || !divisor || !quantum) return std::nullopt;
  const Folded scale = word(*divisor * *quantum);
  if (!scale || *scale == 0) return std::nullopt;
  const Folded q = word(divide_rounded(*a * *b, *scale, r.mode));
  if (!q) return std::nullopt;
  const Folded result = word(*q * *quantum);
  if (!result) return std::nullopt;
  return result->str();
}

}  // namespace savm::compiler
