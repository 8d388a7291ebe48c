// Binary operators: + - on equal types (Money of one currency; Int and a smaller Decimal scale
// widen), the exact products, comparisons, and/or, and Date ± days. `x / n` and the scaled
// products (Money × Rate ...) lose precision, so they are only allowed inside round(...).
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

bool is(const Type& t, BaseType b) { return t.base == b; }

bool is_additive(const Type& t) {
  return is(t, BaseType::integer) || is(t, BaseType::decimal) || is(t, BaseType::money) || is(t, BaseType::rate);
}

// A name the operand's context must type: a bare enum variant, or an empty list.
bool needs_context(const Env& env, const Expr& e) {
  if (const auto* n = std::get_if<NameRef>(&e.node)) {
    return !env.lookup(n->name) && !state_rank(n->name) && !env.scope.rules.count(n->name) && !env.scope.tables.count(n->name);
  }
  if (const auto* l = std::get_if<ListLit>(&e.node)) return l->items.empty();
  return false;
}

struct Operands {
  TExprPtr lhs, rhs;
};

Operands check_operands(Env& env, const Binary& b, const Type* expected) {
  Operands o;
  if (needs_context(env, *b.lhs) && !needs_context(env, *b.rhs)) {
    o.rhs = check_expr(env, *b.rhs, expected);
    if (o.rhs) o.lhs = check_expr(env, *b.lhs, &o.rhs->type);
    return o;
  }
  o.lhs = check_expr(env, *b.lhs, expected);
  if (o.lhs) o.rhs = check_expr(env, *b.rhs, &o.lhs->type);
  return o;
}

std::string op_text(BinaryOp op) { return to_string(op); }

TExprPtr bad_operands(Env& env, const Expr& e, BinaryOp op, const Type& l, const Type& r) {
  env.ck.error("M0112", e.span, "'" + op_text(op) + "' is not defined on " + to_string(l) + " and " + to_string(r));
  return nullptr;
}

// Brings numeric operands to one type (Int → Decimal, the smaller scale up). False: reported.
bool unify(Env& env, const Expr& e, BinaryOp op, Operands& o) {
  const Type l = o.lhs->type, r = o.rhs->type;
  if (l == r) return true;
  if (is(l, BaseType::money) && is(r, BaseType::money)) {
    env.ck.error("M0105", e.span, "currency mismatch: " + to_string(l) + " " + op_text(op) + " " + to_string(r),
                 "convert explicitly; Mizan never converts currencies");
    return false;
  }
  const bool numeric = (is(l, BaseType::integer) || is(l, BaseType::decimal)) &&
                       (is(r, BaseType::integer) || is(r, BaseType::decimal));
  if (!numeric) {
    bad_operands(env, e, op, l, r);
    return false;
  }
  const int scale = std::max(l.scale, r.scale);
  o.lhs = coerce(env, std::move(o.lhs), decimal_type(scale), e.span);
  o.rhs = coerce(env, std::move(o.rhs), decimal_type(scale), e.span);
  return o.lhs && o.rhs;
}

TExprPtr binary(TBinaryOp op, Operands o, Type type, const SourceSpan& span) {
  return make(TBinary{op, std::move(o.lhs), std::move(o.rhs)}, std::move(type), span);
}

// d + 30 days, d - 30 days → add_days(d, ±30).
TExprPtr date_shift(Env& env, const Expr& e, BinaryOp op, Operands o) {
  const auto* d = std::get_if<DurationConst>(&o.rhs->node);
  if (!d || d->months != "0") {
    env.ck.error("M0112", e.span, "a Date moves by days here; use add_months(d, N months) for months and years");
    return nullptr;
  }
  const std::string days = op == BinaryOp::sub ? negate(d->days) : d->days;
  BuiltinCall call{Builtin::add_days, {}};
  call.args.push_back(std::move(o.lhs));
  call.args.push_back(make_const(days, simple(BaseType::integer), o.rhs->span));
  return make(std::move(call), simple(BaseType::date), e.span);
}

TExprPtr additive(Env& env, const Expr& e, BinaryOp op, Operands o) {
  if (is(o.lhs->type, BaseType::date) && is(o.rhs->type, BaseType::duration)) return date_shift(env, e, op, std::move(o));
  if (!is_additive(o.lhs->type) || !is_additive(o.rhs->type)) return bad_operands(env, e, op, o.lhs->type, o.rhs->type);
  if (!unify(env, e, op, o)) return nullptr;
  Type type = o.lhs->type;
  return binary(op == BinaryOp::add ? TBinaryOp::add : TBinaryOp::sub, std::move(o), std::move(type), e.span);
}

TExprPtr precision_lost(Env& env, const Expr& e, const std::string& what) {
  env.ck.error("M0106", e.span, "precision would be lost: " + what + " is not exact",
               "wrap it in round(..., to: Q, mode: M)");
  return nullptr;
}

TExprPtr product(Env& env, const Expr& e, Operands o) {
  if (auto type = exact_product(o.lhs->type, o.rhs->type)) {
    if (is(*type, BaseType::decimal) && is(o.lhs->type, BaseType::integer)) std::swap(o.lhs, o.rhs);
    return binary(TBinaryOp::mul, std::move(o), std::move(*type), e.span);
  }
  if (scaled_product(o.lhs->type, o.rhs->type)) {
    return precision_lost(env, e, to_string(o.lhs->type) + " × " + to_string(o.rhs->type));
  }
  return bad_operands(env, e, BinaryOp::mul, o.lhs->type, o.rhs->type);
}

TBinaryOp comparison_op(BinaryOp op) {
  switch (op) {
    case BinaryOp::eq: return TBinaryOp::eq;
    case BinaryOp::ne: return TBinaryOp::ne;
    case BinaryOp::lt: return TBinaryOp::lt;
    case BinaryOp::le: return TBinaryOp::le;
    case BinaryOp::gt: return TBinaryOp::gt;
    default: return TBinaryOp::ge;
  }
}

TExprPtr comparison(Env& env, const Expr& e, BinaryOp op, Operands o) {
  const bool equality = op == BinaryOp::eq || op == BinaryOp::ne;
  if (!unify(env, e, op, o)) return nullptr;
  const Type& t = o.lhs->type;
  if (equality ? (is(t, BaseType::list) || is(t, BaseType::duration)) : !is_ordered(t)) {
    return bad_operands(env, e, op, t, o.rhs->type);
  }
  return binary(comparison_op(op), std::move(o), simple(BaseType::boolean), e.span);
}

TExprPtr logical(Env& env, const Expr& e, const Binary& b) {
  const Type boolean = simple(BaseType::boolean);
  Operands o{expect_type(env, *b.lhs, boolean), expect_type(env, *b.rhs, boolean)};
  if (!o.lhs || !o.rhs) return nullptr;
  return binary(b.op == BinaryOp::logical_and ? TBinaryOp::logical_and : TBinaryOp::logical_or, std::move(o), boolean, e.span);
}

}  // namespace

std::optional<Type> exact_product(const Type& l, const Type& r) {
  const auto integer = [](const Type& t) { return is(t, BaseType::integer); };
  if (integer(l) && integer(r)) return l;
  if (integer(r) && (is(l, BaseType::money) || is(l, BaseType::rate) || is(l, BaseType::decimal))) return l;
  if (integer(l) && (is(r, BaseType::money) || is(r, BaseType::rate) || is(r, BaseType::decimal))) return r;
  if (is(l, BaseType::decimal) && is(r, BaseType::decimal)) return decimal_type(l.scale + r.scale);
  return std::nullopt;
}

std::optional<ScaledProduct> scaled_product(const Type& l, const Type& r) {
  const auto one_way = [](const Type& x, const Type& f) -> std::optional<ScaledProduct> {
    if (is(x, BaseType::money) && is(f, BaseType::rate)) return ScaledProduct{x, kRateScale, false};
    if (is(x, BaseType::money) && is(f, BaseType::decimal)) return ScaledProduct{x, f.scale, false};
    if (is(x, BaseType::decimal) && is(f, BaseType::rate)) return ScaledProduct{x, kRateScale, false};
    return std::nullopt;
  };
  if (auto p = one_way(l, r)) return p;
  if (auto p = one_way(r, l)) {
    p->swapped = true;
    return p;
  }
  return std::nullopt;
}

TExprPtr check_product(Env& env, const Expr& e, const Expr& lhs, const Expr& rhs) {
  Operands o{check_expr(env, lhs, nullptr), check_expr(env, rhs, nullptr)};
  if (!o.lhs || !o.rhs) return nullptr;
  return product(env, e, std::move(o));
}

TExprPtr check_binary(Env& env, const Expr& e, const Binary& b, const Type* expected) {
  switch (b.op) {
    case BinaryOp::logical_and: case BinaryOp::logical_or: return logical(env, e, b);
    case BinaryOp::mul: return check_product(env, e, *b.lhs, *b.rhs);
    case BinaryOp::div: return precision_lost(env, e, "division");
    default: break;
  }
  const bool arithmetic = b.op == BinaryOp::add || b.op == BinaryOp::sub;
  Operands o = check_operands(env, b, arithmetic ? expected : nullptr);
  if (!o.lhs || !o.rhs) return nullptr;
  if (arithmetic) return additive(env, e, b.op, std::move(o));
  return comparison(env, e, b.op, std::move(o));
}

}  // namespace savm::lang::checking
