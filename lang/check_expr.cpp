// Expressions: literals to their representation, names (locals, bare enum variants by expected
// type, state and domain constants), field access, operators with their typing rules, if, let.
// Calls are in check_calls.cpp, round(...) in check_round.cpp.
#include <algorithm>
#include <string>

#include "lang/check_context.h"
#include "lang/currency.h"
#include "lang/ids.h"

namespace savm::lang::checking {
namespace {

TExprPtr check_node(Env& env, const Expr& e, const NumberLit& n, const Type* expected) {
  if (expected && expected->base == BaseType::decimal) {
    if (auto v = scaled(n.digits, expected->scale)) return make_const(*v, *expected, e.span);
  }
  const std::size_t point = n.digits.find('.');
  if (point == std::string::npos) return make_const(strip_zeros(n.digits), simple(BaseType::integer), e.span);
  const int scale = static_cast<int>(n.digits.size() - point - 1);
  (void)env;
  return make_const(*scaled(n.digits, scale), decimal_type(scale), e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const MoneyLit& m, const Type*) {
  const std::optional<int> exponent = currency_exponent(m.currency);
  if (!exponent) {
    env.ck.error("M0108", e.span, "unknown currency '" + m.currency + "'",
                 "the checker knows the ISO 4217 codes listed in docs/mizan.md (\"Money\")");
    return nullptr;
  }
  const auto minor = scaled(m.amount, *exponent);
  if (!minor) {
    env.ck.error("M0109", e.span, m.currency + " has " + std::to_string(*exponent) + " decimal places; '" + m.amount +
                 "' has more");
    return nullptr;
  }
  return make_const(*minor, money_type(m.currency), e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const RateLit& r, const Type*) {
  const int scale = r.unit == RateUnit::percent ? kRateScale - 2 : kRateScale - 4;  // 1% = 10^7, 1 bp = 10^5
  const auto value = scaled(r.value, scale);
  if (!value) {
    env.ck.error("M0109", e.span, "a Rate holds 9 decimal places (0.0000001%); this rate is finer");
    return nullptr;
  }
  return make_const(*value, simple(BaseType::rate), e.span);
}

TExprPtr check_node(Env&, const Expr& e, const DurationLit& d, const Type*) {
  DurationConst c{"0", "0"};
  const std::string count = strip_zeros(d.count);
  switch (d.unit) {
    case DurationUnit::days: c.days = count; break;
    case DurationUnit::weeks: c.days = std::to_string(std::stoll(count) * 7); break;
    case DurationUnit::months: c.months = count; break;
    case DurationUnit::years: c.months = std::to_string(std::stoll(count) * 12); break;
  }
  return make(c, simple(BaseType::duration), e.span);
}

TExprPtr check_node(Env&, const Expr& e, const DateLit& d, const Type*) {
  return make_const(std::to_string(days_from_civil(d.date)), simple(BaseType::date), e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const TimestampLit& t, const Type*) {
  const auto seconds = timestamp_seconds(t.text);
  if (!seconds) {
    env.ck.error("M0104", e.span, "malformed timestamp");
    return nullptr;
  }
  return make_const(*seconds, simple(BaseType::timestamp), e.span);
}

TExprPtr check_node(Env&, const Expr& e, const StringLit& s, const Type* expected) {
  if (expected && expected->base == BaseType::jurisdiction_id) {
    return make_const(short_string_word(s.value), *expected, e.span);
  }
  const bool id = expected && (expected->base == BaseType::entity_id || expected->base == BaseType::asset_id);
  // An id literal is held in its canonical text (lang/ids.h), as every id in the evaluator.
  return make(StringConst{id ? canonical_id(s.value) : s.value}, id ? *expected : simple(BaseType::string), e.span);
}

TExprPtr check_node(Env&, const Expr& e, const BoolLit& b, const Type*) {
  return make_const(b.value ? "1" : "0", simple(BaseType::boolean), e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const NoneLit&, const Type*) {
  env.ck.error("M0110", e.span, "'none' (Option values) is not supported yet");
  return nullptr;
}

std::vector<std::string> value_names(const Env& env) {
  std::vector<std::string> names;
  for (const auto& [n, s] : env.locals) names.push_back(n);
  for (const auto& [n, r] : env.scope.rules) names.push_back(n);
  for (const auto& [n, t] : env.scope.tables) names.push_back(n);
  for (const char* s : {"non_compliant", "pending", "not_applicable", "exempt", "compliant"}) names.emplace_back(s);
  return names;
}

std::optional<std::size_t> variant_index(const EnumInfo& en, const std::string& name) {
  const auto it = std::find(en.variants.begin(), en.variants.end(), name);
  if (it == en.variants.end()) return std::nullopt;
  return static_cast<std::size_t>(it - en.variants.begin());
}

TExprPtr unknown_name(Env& env, const Expr& e, const std::string& name, const Type* expected) {
  if (env.scope.rules.count(name) || env.scope.tables.count(name)) {
    env.ck.error("M0101", e.span, "'" + name + "' is a rule or table, not a value", "call it: " + name + "(...)");
  } else if (expected && expected->base == BaseType::enumeration) {
    env.ck.error("M0101", e.span, "'" + name + "' is not a variant of " + to_string(*expected),
                 did_you_mean(name, expected->enumeration->variants));
  } else if (expected && expected->base == BaseType::domain) {
    env.ck.error("M0101", e.span, "unknown compliance domain '" + name + "'", "the 23 domains are listed in docs/mizan.md");
  } else {
    env.ck.error("M0101", e.span, "unknown name '" + name + "'", did_you_mean(name, value_names(env)));
  }
  return nullptr;
}

TExprPtr check_node(Env& env, const Expr& e, const NameRef& n, const Type* expected) {
  if (const auto slot = env.lookup(n.name)) return make(Var{*slot}, env.body.slot_types[*slot], e.span);
  if (expected && expected->base == BaseType::enumeration) {
    if (const auto i = variant_index(*expected->enumeration, n.name)) return make_const(std::to_string(*i), *expected, e.span);
  }
  if (const auto rank = state_rank(n.name)) return make_const(std::to_string(*rank), simple(BaseType::state), e.span);
  if (expected && expected->base == BaseType::domain) {
    if (const auto code = domain_code(n.name)) return make_const(std::to_string(*code), *expected, e.span);
  }
  if (expected && expected->base == BaseType::jurisdiction_id) {
    return make_const(short_string_word(n.name), *expected, e.span);
  }
  return unknown_name(env, e, n.name, expected);
}

TExprPtr check_node(Env& env, const Expr& e, const ListLit& l, const Type* expected) {
  const Type* element = expected && expected->base == BaseType::list ? &expected->args[0] : nullptr;
  if (l.items.empty() && element == nullptr) {
    env.ck.error("M0104", e.span, "the element type of this empty list is unknown",
                 "use it where a List<T> is expected (an argument, a field, a result)");
    return nullptr;
  }
  ListMake list;
  std::optional<Type> type = element ? std::optional<Type>(*element) : std::nullopt;
  for (const ExprPtr& item : l.items) {
    TExprPtr t = type ? expect_type(env, *item, *type) : check_expr(env, *item, nullptr);
    if (!t) return nullptr;
    if (!type) type = t->type;
    list.items.push_back(std::move(t));
  }
  return make(std::move(list), list_of(*type), e.span);
}

// `Enum.variant` and `alias.Enum.variant`. nullopt: the object is not a qualified enum name.
std::optional<TExprPtr> qualified_variant(Env& env, const Expr& e, const FieldAccess& f) {
  const Scope* scope = &env.scope;
  std::string enum_name;
  if (const auto* n = std::get_if<NameRef>(&f.object->node)) {
    if (env.lookup(n->name)) return std::nullopt;
    enum_name = n->name;
  } else if (const auto* inner = std::get_if<FieldAccess>(&f.object->node)) {
    const auto* alias = std::get_if<NameRef>(&inner->object->node);
    if (!alias || env.lookup(alias->name) || !(scope = aliased(env.ck, env.scope, alias->name))) return std::nullopt;
    enum_name = inner->field.text;
  } else {
    return std::nullopt;
  }
  const auto en = scope->enums.find(enum_name);
  if (en == scope->enums.end()) return std::nullopt;
  if (const auto i = variant_index(*en->second, f.field.text)) return make_const(std::to_string(*i), enum_type(en->second), e.span);
  env.ck.error("M0101", f.field.span, enum_name + " has no variant '" + f.field.text + "'",
               did_you_mean(f.field.text, en->second->variants));
  return TExprPtr{};
}

TExprPtr check_node(Env& env, const Expr& e, const FieldAccess& f, const Type*) {
  if (auto variant = qualified_variant(env, e, f)) return std::move(*variant);
  if (const auto* n = std::get_if<NameRef>(&f.object->node); n && !env.lookup(n->name) && aliased(env.ck, env.scope, n->name)) {
    env.ck.error("M0101", e.span, "'" + n->name + "." + f.field.text + "' is not a value",
                 "rules and tables of another pack are called: " + n->name + "." + f.field.text + "(...)");
    return nullptr;
  }
  TExprPtr object = check_expr(env, *f.object, nullptr);
  if (!object) return nullptr;
  if (object->type.base != BaseType::record) {
    env.ck.error("M0112", f.field.span, "a value of type " + to_string(object->type) + " has no fields");
    return nullptr;
  }
  const RecordInfo& record = *object->type.record;
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == f.field.text) {
      Type type = record.fields[i].type;
      return make(FieldGet{std::move(object), i}, std::move(type), e.span);
    }
    names.push_back(record.fields[i].name);
  }
  env.ck.error("M0101", f.field.span, to_string(object->type) + " has no field '" + f.field.text + "'",
               did_you_mean(f.field.text, names));
  return nullptr;
}

TExprPtr check_node(Env& env, const Expr& e, const Call& c, const Type* expected) { return check_call(env, e, c, expected); }

TExprPtr check_node(Env& env, const Expr& e, const Lambda&, const Type*) {
  env.ck.error("M0125", e.span, "a lambda is only allowed as the last argument of map, filter, any, all or fold");
  return nullptr;
}

bool is_signed_number(const Type& t) {
  return t.base == BaseType::integer || t.base == BaseType::decimal || t.base == BaseType::money || t.base == BaseType::rate;
}

TExprPtr check_node(Env& env, const Expr& e, const Unary& u, const Type* expected) {
  if (u.op == UnaryOp::logical_not) {
    TExprPtr operand = expect_type(env, *u.operand, simple(BaseType::boolean));
    if (!operand) return nullptr;
    return make(TUnary{TUnaryOp::logical_not, std::move(operand)}, simple(BaseType::boolean), e.span);
  }
  TExprPtr operand = check_expr(env, *u.operand, expected);
  if (!operand) return nullptr;
  if (!is_signed_number(operand->type)) {
    env.ck.error("M0112", e.span, "'-' is not defined on " + to_string(operand->type));
    return nullptr;
  }
  if (const auto* c = std::get_if<Const>(&operand->node)) return make_const(negate(c->value), operand->type, e.span);
  Type type = operand->type;
  return make(TUnary{TUnaryOp::negate, std::move(operand)}, std::move(type), e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const IsTest& t, const Type*) {
  TExprPtr operand = expect_type(env, *t.operand, simple(BaseType::state));
  if (!operand) return nullptr;
  TBinaryOp op = t.negated ? TBinaryOp::ne : TBinaryOp::eq;
  std::optional<int> rank = state_rank(t.state.text);
  if (t.state.text == "passing") {  // passing = rank ≥ 2 (not_applicable, exempt, compliant)
    op = t.negated ? TBinaryOp::lt : TBinaryOp::ge;
    rank = 2;
  }
  if (!rank) {
    env.ck.error("M0101", t.state.span, "unknown state '" + t.state.text + "'",
                 "a state is one of passing, compliant, exempt, not_applicable, pending, non_compliant");
    return nullptr;
  }
  TExprPtr rhs = make_const(std::to_string(*rank), simple(BaseType::state), t.state.span);
  return make(TBinary{op, std::move(operand), std::move(rhs)}, simple(BaseType::boolean), e.span);
}

bool is_int_or_decimal(const Type& t) { return t.base == BaseType::integer || t.base == BaseType::decimal; }

// The type both of two numbers widen to: Int → Decimal<s>, the smaller scale up.
Type wider_number(const Type& a, const Type& b) {
  if (a.base == BaseType::integer) return b;
  if (b.base == BaseType::integer) return a;
  return a.scale >= b.scale ? a : b;
}

// For numbers the expected type is a hint, not a requirement: `x <= (if c then 1.68 else 1.89)`
// with x: Int is a Decimal<2> comparison (the operator widens x), so the branches keep their own
// scale and widen to each other and to the hint; a caller that needs a narrower type reports it
// when it coerces the result.
TExprPtr check_node(Env& env, const Expr& e, const If& i, const Type* expected) {
  TExprPtr condition = expect_type(env, *i.condition, simple(BaseType::boolean));
  TExprPtr then_branch = check_expr(env, *i.then_branch, expected);
  if (!condition || !then_branch) return nullptr;
  const bool numeric_hint = expected && is_int_or_decimal(*expected);
  if ((!expected || numeric_hint) && is_int_or_decimal(then_branch->type)) {
    Type type = numeric_hint ? wider_number(then_branch->type, *expected) : then_branch->type;
    TExprPtr probe = check_expr(env, *i.else_branch, &type);
    if (!probe) return nullptr;
    if (is_int_or_decimal(probe->type)) type = wider_number(type, probe->type);
    TExprPtr else_branch = coerce(env, std::move(probe), type, i.else_branch->span);
    then_branch = coerce(env, std::move(then_branch), type, i.then_branch->span);
    if (!else_branch || !then_branch) return nullptr;
    return make(TIf{std::move(condition), std::move(then_branch), std::move(else_branch)}, type, e.span);
  }
  const Type type = expected ? *expected : then_branch->type;
  then_branch = coerce(env, std::move(then_branch), type, i.then_branch->span);
  TExprPtr else_branch = expect_type(env, *i.else_branch, type);
  if (!then_branch || !else_branch) return nullptr;
  return make(TIf{std::move(condition), std::move(then_branch), std::move(else_branch)}, type, e.span);
}

TExprPtr check_node(Env& env, const Expr& e, const Let& l, const Type* expected) {
  // The slot is taken before the value is checked so that slots follow the source order.
  const auto slot = static_cast<std::uint32_t>(env.body.slot_types.size());
  env.body.slot_types.emplace_back();
  TExprPtr value = check_expr(env, *l.value, nullptr);
  if (!value) return nullptr;
  env.body.slot_types[slot] = value->type;
  env.locals.emplace_back(l.name.text, slot);
  TExprPtr body = check_expr(env, *l.body, expected);
  env.unbind();
  if (!body) return nullptr;
  Type type = body->type;
  return make(TLet{slot, std::move(value), std::move(body)}, std::move(type), e.span);
}

}  // namespace

TExprPtr check_binary(Env& env, const Expr& e, const Binary& b, const Type* expected);

TExprPtr check_node(Env& env, const Expr& e, const Binary& b, const Type* expected) {
  return check_binary(env, e, b, expected);
}

TExprPtr check_expr(Env& env, const Expr& e, const Type* expected) {
  return std::visit([&](const auto& node) { return check_node(env, e, node, expected); }, e.node);
}

TExprPtr expect_type(Env& env, const Expr& e, const Type& want) {
  TExprPtr value = check_expr(env, e, &want);
  if (!value) return nullptr;
  return coerce(env, std::move(value), want, e.span);
}

TExprPtr coerce(Env& env, TExprPtr value, const Type& want, const SourceSpan& span) {
  if (value->type == want) return value;
  const Type& got = value->type;
  const bool widen = want.base == BaseType::decimal &&
                     (got.base == BaseType::integer || (got.base == BaseType::decimal && got.scale < want.scale));
  if (widen) {
    const int exponent = want.scale - (got.base == BaseType::decimal ? got.scale : 0);
    if (const auto* c = std::get_if<Const>(&value->node)) {
      return make_const(c->value == "0" ? "0" : c->value + std::string(static_cast<std::size_t>(exponent), '0'), want, span);
    }
    return make(Rescale{std::move(value), exponent}, want, span);
  }
  if (got.base == BaseType::money && want.base == BaseType::money) {
    env.ck.error("M0105", span, "currency mismatch: expected " + to_string(want) + ", found " + to_string(got),
                 "convert explicitly; Mizan never converts currencies");
  } else {
    env.ck.error("M0104", span, "expected " + to_string(want) + ", found " + to_string(got));
  }
  return nullptr;
}

TExprPtr make(TExpr::Node node, Type type, const SourceSpan& span) {
  auto e = std::make_unique<TExpr>();
  e->node = std::move(node);
  e->type = std::move(type);
  e->span = span;
  return e;
}

TExprPtr make_const(std::string value, Type type, const SourceSpan& span) {
  return make(Const{std::move(value)}, std::move(type), span);
}

std::optional<std::string> fold_const(const TExpr& e) {
  if (const auto* c = std::get_if<Const>(&e.node)) return c->value;
  if (const auto* u = std::get_if<TUnary>(&e.node); u && u->op == TUnaryOp::negate) {
    if (auto v = fold_const(*u->operand)) return negate(*v);
  }
  if (const auto* r = std::get_if<Rescale>(&e.node)) {
    if (auto v = fold_const(*r->operand)) return *v == "0" ? *v : *v + std::string(static_cast<std::size_t>(r->exponent), '0');
  }
  return std::nullopt;
}

}  // namespace savm::lang::checking
