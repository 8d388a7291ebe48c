// round(x, to: Q, mode: M): the only place precision is lost. The value is taken apart into
// a × b / divisor (lang/program.h, Rounded) so that a back end computes
// round_mode(a × b / (divisor × quantum)) × quantum with one wide intermediate:
//   round(mul(m: Money, r: Rate), ...)      a = m, b = r, divisor = 10^9
//   round(mul(m: Money, d: Decimal<s>), ...) a = m, b = d, divisor = 10^s
//   round(x / n, ...)                        a = x, b = 1, divisor = n  (x of any number type)
//   round(mul(m, r) / n, ...)                a = m, b = r, divisor = 10^9 × n
//   round(x, ...) for an exact x             a = x, b = 1, divisor = 1
//   round(d: Decimal<4>, to: 0.01, ...)      a = d, b = 1, divisor = 100: a Decimal<2>
// The quantum is Q in the representation of the result type: `1 PKR` = 100, `0.01` at
// Decimal<4> = 100.
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

struct Unrounded {
  TExprPtr a, b, divisor;
  Type type;
};

TExprPtr one(const SourceSpan& span) { return make_const("1", simple(BaseType::integer), span); }

bool is_mul(const Expr& x, const Expr*& lhs, const Expr*& rhs) {
  if (const auto* b = std::get_if<Binary>(&x.node); b && b->op == BinaryOp::mul) {
    lhs = b->lhs.get();
    rhs = b->rhs.get();
    return true;
  }
  const auto* c = std::get_if<Call>(&x.node);
  const auto* n = c ? std::get_if<NameRef>(&c->callee->node) : nullptr;
  if (!n || n->name != "mul" || c->args.size() != 2 || c->args[0].name || c->args[1].name) return false;
  lhs = c->args[0].value.get();
  rhs = c->args[1].value.get();
  return true;
}

std::optional<Unrounded> unrounded(Env& env, const Expr& x);

std::optional<Unrounded> scaled_mul(Env& env, const Expr& x, const Expr& lhs, const Expr& rhs) {
  TExprPtr l = check_expr(env, lhs, nullptr);
  TExprPtr r = check_expr(env, rhs, nullptr);
  if (!l || !r) return std::nullopt;
  const auto p = scaled_product(l->type, r->type);
  if (!p) {
    TExprPtr exact = check_product(env, x, lhs, rhs);
    if (!exact) return std::nullopt;
    Type type = exact->type;
    return Unrounded{std::move(exact), one(x.span), one(x.span), std::move(type)};
  }
  if (p->swapped) std::swap(l, r);
  return Unrounded{std::move(l), std::move(r), make_const(pow10(p->factor_scale), simple(BaseType::integer), x.span), p->type};
}

bool is_number(const Type& t) {
  return t.base == BaseType::integer || t.base == BaseType::decimal || t.base == BaseType::money || t.base == BaseType::rate;
}

std::optional<Unrounded> quotient(Env& env, const Expr& x, const Binary& d) {
  auto u = unrounded(env, *d.lhs);
  TExprPtr n = expect_type(env, *d.rhs, simple(BaseType::integer));
  if (!u || !n) return std::nullopt;
  if (!is_number(u->type)) {
    env.ck.error("M0112", x.span, "'/' is not defined on " + to_string(u->type));
    return std::nullopt;
  }
  const auto* c = std::get_if<Const>(&u->divisor->node);
  if (c && c->value == "1") {
    u->divisor = std::move(n);
  } else {
    u->divisor = make(TBinary{TBinaryOp::mul, std::move(u->divisor), std::move(n)}, simple(BaseType::integer), x.span);
  }
  return u;
}

std::optional<Unrounded> unrounded(Env& env, const Expr& x) {
  const Expr* lhs = nullptr;
  const Expr* rhs = nullptr;
  if (is_mul(x, lhs, rhs)) return scaled_mul(env, x, *lhs, *rhs);
  if (const auto* d = std::get_if<Binary>(&x.node); d && d->op == BinaryOp::div) return quotient(env, x, *d);
  TExprPtr exact = check_expr(env, x, nullptr);
  if (!exact) return std::nullopt;
  Type type = exact->type;
  return Unrounded{std::move(exact), one(x.span), one(x.span), std::move(type)};
}

std::optional<Rounding> rounding_mode(const std::string& name) {
  if (name == "floor") return Rounding::floor;
  if (name == "ceil") return Rounding::ceil;
  if (name == "toward_zero") return Rounding::toward_zero;
  if (name == "half_up") return Rounding::half_up;
  if (name == "half_even") return Rounding::half_even;
  if (name == "half_down") return Rounding::half_down;
  return std::nullopt;
}

std::optional<std::string> quantum(Env& env, const Argument& to, const Type& type) {
  const bool literal = std::holds_alternative<NumberLit>(to.value->node) || std::holds_alternative<MoneyLit>(to.value->node) ||
                       std::holds_alternative<RateLit>(to.value->node);
  if (!literal) {
    env.ck.error("M0107", to.span, "the quantum of round(...) is a positive literal of the result type (1 PKR, 0.01)");
    return std::nullopt;
  }
  TExprPtr q = check_expr(env, *to.value, &type);
  if (q && q->type.base == BaseType::decimal && type.base == BaseType::decimal && q->type.scale > type.scale) {
    env.ck.error("M0107", to.span, "cannot round a " + to_string(type) + " to " + to_string(q->type) + " steps",
                 "the quantum has at most the value's decimal places");
    return std::nullopt;
  }
  if (q) q = coerce(env, std::move(q), type, to.span);
  if (!q) return std::nullopt;
  const auto v = fold_const(*q);
  if (!v || *v == "0" || (*v)[0] == '-') {
    env.ck.error("M0107", to.span, "the quantum of round(...) must be positive");
    return std::nullopt;
  }
  return v;
}

struct RoundArgs {
  const Argument* value = nullptr;
  const Argument* to = nullptr;
  const Argument* mode = nullptr;
  const Argument* cites = nullptr;
};

std::optional<RoundArgs> round_args(Env& env, const Expr& e, const Call& call) {
  RoundArgs r;
  for (const Argument& a : call.args) {
    const std::string n = a.name ? a.name->text : "";
    const Argument** slot = n.empty() ? &r.value : n == "to" ? &r.to : n == "mode" ? &r.mode : n == "cites" ? &r.cites : nullptr;
    if (slot == nullptr || *slot != nullptr) {
      env.ck.error("M0107", a.span, "round takes a value, to: Q, mode: M and optionally cites: \"...\"");
      return std::nullopt;
    }
    *slot = &a;
  }
  if (!r.value || !r.to || !r.mode) {
    env.ck.error("M0107", e.span, std::string("round(...) needs ") + (!r.value ? "a value" : !r.to ? "to: Q" : "mode: M"),
                 "both the quantum and the mode are required: round(x, to: 1 PKR, mode: half_up)");
    return std::nullopt;
  }
  return r;
}

std::optional<Rounding> mode_of(Env& env, const Argument& mode) {
  const auto* n = std::get_if<NameRef>(&mode.value->node);
  const auto m = n ? rounding_mode(n->name) : std::nullopt;
  if (!m) {
    env.ck.error("M0107", mode.span, "unknown rounding mode",
                 "one of floor, ceil, toward_zero, half_up, half_even, half_down");
  }
  return m;
}

// round(x: Decimal<4>, to: 0.01, ...) is a Decimal<2>: rounding to fewer places narrows the
// scale (the only way to narrow one). The dropped places join the divisor, so the Rounded node
// still reads round_mode(a × b / (divisor × quantum)) × quantum, in the narrower representation.
void narrow_to_quantum(Env& env, Unrounded& u, const Argument& to) {
  if (u.type.base != BaseType::decimal || !std::holds_alternative<NumberLit>(to.value->node)) return;
  const TExprPtr natural = check_expr(env, *to.value, nullptr);
  if (!natural || natural->type.base != BaseType::decimal || natural->type.scale >= u.type.scale) return;
  const int dropped = u.type.scale - natural->type.scale;
  TExprPtr factor = make_const(pow10(dropped), simple(BaseType::integer), to.span);
  const auto* c = std::get_if<Const>(&u.divisor->node);
  if (c && c->value == "1") {
    u.divisor = std::move(factor);
  } else {
    u.divisor = make(TBinary{TBinaryOp::mul, std::move(u.divisor), std::move(factor)}, simple(BaseType::integer), to.span);
  }
  u.type.scale = natural->type.scale;
}

}  // namespace

TExprPtr check_round(Env& env, const Expr& e, const Call& call) {
  const auto args = round_args(env, e, call);
  if (!args) return nullptr;
  auto u = unrounded(env, *args->value->value);
  const auto mode = mode_of(env, *args->mode);
  if (!u || !mode) return nullptr;
  narrow_to_quantum(env, *u, *args->to);
  const auto q = quantum(env, *args->to, u->type);
  if (!q) return nullptr;
  Rounded r{std::move(u->a), std::move(u->b), std::move(u->divisor), *q, *mode, std::nullopt};
  if (args->cites) {
    const auto* s = std::get_if<StringLit>(&args->cites->value->node);
    if (!s) {
      env.ck.error("M0107", args->cites->span, "cites: of round(...) is a string");
      return nullptr;
    }
    r.citation = s->value;
  }
  return make(std::move(r), std::move(u->type), e.span);
}

}  // namespace savm::lang::checking
