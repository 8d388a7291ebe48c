// Calls: rules and tables (by name, or `alias.name` of a used pack), record construction
// (`slab(fixed: ..., rate: ..., over: ...)` for `record Slab`, every field named), and the
// built-ins of the subset (docs/mizan.md, "Expressions").
#include <algorithm>
#include <cctype>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

std::string constructor_name(const std::string& record) {
  std::string name = record;
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name;
}

const RecordInfo* find_constructor(const Scope& scope, const std::string& name) {
  for (const auto& [type_name, record] : scope.records) {
    if (constructor_name(type_name) == name) return record;
  }
  return nullptr;
}

bool arity(Env& env, const Expr& e, const Call& call, const std::string& name, std::size_t n) {
  if (call.args.size() == n) return true;
  env.ck.error("M0111", e.span, "'" + name + "' takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
               ", got " + std::to_string(call.args.size()));
  return false;
}

// Arguments matched to parameters: by name when named, else by position.
std::optional<std::vector<TExprPtr>> check_args(Env& env, const Expr& e, const Call& call, const std::vector<TParam>& params,
                                                const std::string& what) {
  if (!arity(env, e, call, what, params.size())) return std::nullopt;
  std::vector<TExprPtr> args(params.size());
  bool ok = true;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const Argument& a = call.args[i];
    std::size_t at = i;
    if (a.name) {
      const auto it = std::find_if(params.begin(), params.end(), [&](const TParam& p) { return p.name == a.name->text; });
      if (it == params.end() || args[static_cast<std::size_t>(it - params.begin())]) {
        env.ck.error("M0111", a.span, "'" + what + "' has no parameter '" + a.name->text + "' left to bind");
        ok = false;
        continue;
      }
      at = static_cast<std::size_t>(it - params.begin());
    }
    args[at] = expect_type(env, *a.value, params[at].type);
    ok = ok && args[at];
  }
  if (!ok) return std::nullopt;
  return args;
}

TExprPtr make_record(Env& env, const Expr& e, const Call& call, const RecordInfo& record) {
  RecordMake make_node{&record, std::vector<TExprPtr>(record.fields.size())};
  bool ok = true;
  for (const Argument& a : call.args) {
    const auto it = a.name ? std::find_if(record.fields.begin(), record.fields.end(),
                                          [&](const FieldInfo& f) { return f.name == a.name->text; })
                           : record.fields.end();
    const auto at = static_cast<std::size_t>(it - record.fields.begin());
    if (it == record.fields.end() || make_node.fields[at]) {
      env.ck.error("M0111", a.span, a.name ? "no field '" + a.name->text + "' left to set in " + record.qualified_name
                                           : "the fields of a record are named: field: value");
      ok = false;
      continue;
    }
    make_node.fields[at] = expect_type(env, *a.value, it->type);
    ok = ok && make_node.fields[at];
  }
  for (std::size_t i = 0; ok && i < record.fields.size(); ++i) {
    if (make_node.fields[i]) continue;
    env.ck.error("M0111", e.span, "missing field '" + record.fields[i].name + "'", "every field of a record is given");
    ok = false;
  }
  if (!ok) return nullptr;
  return make(std::move(make_node), record_type(&record), e.span);
}

void note_call(Env& env, const std::string& callee, const SourceSpan& span) {
  if (!env.owner.empty()) env.ck.calls[env.owner].push_back({callee, span});
}

TExprPtr call_declared(Env& env, const Expr& e, const Call& call, const Scope& scope, const std::string& name) {
  if (const auto r = scope.rules.find(name); r != scope.rules.end()) {
    auto args = check_args(env, e, call, r->second->params, name);
    if (!args) return nullptr;
    note_call(env, r->second->qualified_name, e.span);
    return make(RuleCall{r->second, std::move(*args)}, r->second->result, e.span);
  }
  if (const auto t = scope.tables.find(name); t != scope.tables.end()) {
    auto args = check_args(env, e, call, t->second->params, name);
    if (!args) return nullptr;
    note_call(env, t->second->qualified_name, e.span);
    return make(TableCall{t->second, std::move(*args)}, t->second->result, e.span);
  }
  if (const RecordInfo* record = find_constructor(scope, name)) return make_record(env, e, call, *record);
  std::vector<std::string> names;
  for (const auto& [n, r] : scope.rules) names.push_back(n);
  for (const auto& [n, t] : scope.tables) names.push_back(n);
  for (const auto& [n, r] : scope.records) names.push_back(constructor_name(n));
  env.ck.error("M0101", call.callee->span, "unknown rule, table or record '" + name + "'", did_you_mean(name, names));
  return nullptr;
}

std::vector<TExprPtr> typed_args(Env& env, const Call& call, const std::vector<Type>& types) {
  std::vector<TExprPtr> out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    TExprPtr t = expect_type(env, *call.args[i].value, types[i]);
    if (!t) return {};
    out.push_back(std::move(t));
  }
  return out;
}

TExprPtr builtin(Env& env, const Expr& e, const Call& call, const std::string& name, Builtin fn,
                 const std::vector<Type>& types, Type result) {
  if (!arity(env, e, call, name, types.size())) return nullptr;
  std::vector<TExprPtr> args = typed_args(env, call, types);
  if (args.size() != types.size()) return nullptr;
  return make(BuiltinCall{fn, std::move(args)}, std::move(result), e.span);
}

// meet(a, b, ...) = min, join = max, over State ranks.
TExprPtr lattice(Env& env, const Expr& e, const Call& call, TBinaryOp op) {
  if (call.args.size() < 2) {
    env.ck.error("M0111", e.span, "meet and join take two or more states");
    return nullptr;
  }
  const Type state = simple(BaseType::state);
  TExprPtr acc = expect_type(env, *call.args[0].value, state);
  for (std::size_t i = 1; acc && i < call.args.size(); ++i) {
    TExprPtr next = expect_type(env, *call.args[i].value, state);
    if (!next) return nullptr;
    acc = make(TBinary{op, std::move(acc), std::move(next)}, state, e.span);
  }
  return acc;
}

// add_months(d, N months) (also N years); `month_end: clamp` may be written, the only policy.
TExprPtr add_months(Env& env, const Expr& e, const Call& call) {
  const bool policy = call.args.size() == 3 && call.args[2].name && call.args[2].name->text == "month_end";
  if (policy && !(std::holds_alternative<NameRef>(call.args[2].value->node) &&
                  std::get<NameRef>(call.args[2].value->node).name == "clamp")) {
    env.ck.error("M0111", call.args[2].span, "the only month-end policy is 'clamp'");
    return nullptr;
  }
  if (call.args.size() != (policy ? 3u : 2u)) {
    env.ck.error("M0111", e.span, "add_months takes a date and a number of months: add_months(d, 3 months)");
    return nullptr;
  }
  TExprPtr date = expect_type(env, *call.args[0].value, simple(BaseType::date));
  TExprPtr months = check_expr(env, *call.args[1].value, nullptr);
  if (!date || !months) return nullptr;
  const auto* d = std::get_if<DurationConst>(&months->node);
  if (!d || d->days != "0") {
    env.ck.error("M0104", call.args[1].span, "expected a number of months or years (3 months, 1 years)");
    return nullptr;
  }
  BuiltinCall node{Builtin::add_months, {}};
  node.args.push_back(std::move(date));
  node.args.push_back(make_const(d->months, simple(BaseType::integer), months->span));
  return make(std::move(node), simple(BaseType::date), e.span);
}

TExprPtr size_of(Env& env, const Expr& e, const Call& call) {
  if (!arity(env, e, call, "size", 1)) return nullptr;
  TExprPtr list = check_expr(env, *call.args[0].value, nullptr);
  if (!list) return nullptr;
  if (list->type.base != BaseType::list) {
    env.ck.error("M0104", call.args[0].span, "expected a List, found " + to_string(list->type));
    return nullptr;
  }
  BuiltinCall node{Builtin::size, {}};
  node.args.push_back(std::move(list));
  return make(std::move(node), simple(BaseType::integer), e.span);
}

// tensor(asset, jurisdiction, domain): the asset or entity is any id.
TExprPtr tensor(Env& env, const Expr& e, const Call& call) {
  if (!arity(env, e, call, "tensor", 3)) return nullptr;
  TExprPtr asset = check_expr(env, *call.args[0].value, nullptr);
  TExprPtr jurisdiction = expect_type(env, *call.args[1].value, simple(BaseType::jurisdiction_id));
  TExprPtr domain = expect_type(env, *call.args[2].value, simple(BaseType::domain));
  if (!asset || !jurisdiction || !domain) return nullptr;
  if (asset->type.base != BaseType::asset_id && asset->type.base != BaseType::entity_id) {
    env.ck.error("M0104", call.args[0].span, "expected an AssetId or EntityId, found " + to_string(asset->type));
    return nullptr;
  }
  return make(TensorRead{std::move(asset), std::move(jurisdiction), std::move(domain)}, simple(BaseType::state), e.span);
}

std::optional<TExprPtr> call_builtin(Env& env, const Expr& e, const Call& call, const std::string& name, const Type* expected) {
  const Type date = simple(BaseType::date);
  if (name == "round") return check_round(env, e, call);
  if (name == "mul") {
    if (!arity(env, e, call, name, 2)) return TExprPtr{};
    return check_product(env, e, *call.args[0].value, *call.args[1].value);
  }
  if (name == "meet") return lattice(env, e, call, TBinaryOp::min);
  if (name == "join") return lattice(env, e, call, TBinaryOp::max);
  if (name == "map" || name == "filter" || name == "any" || name == "all" || name == "fold") {
    return check_list_op(env, e, name, call, expected);
  }
  if (name == "size") return size_of(env, e, call);
  if (name == "add_months") return add_months(env, e, call);
  if (name == "days_between") return builtin(env, e, call, name, Builtin::days_between, {date, date}, simple(BaseType::integer));
  if (name == "law_date") return builtin(env, e, call, name, Builtin::law_date, {}, date);
  if (name == "tensor") return tensor(env, e, call);
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> callee_name(const Expr& callee) {
  if (const auto* n = std::get_if<NameRef>(&callee.node)) return std::make_pair(std::string(), n->name);
  if (const auto* f = std::get_if<FieldAccess>(&callee.node)) {
    if (const auto* n = std::get_if<NameRef>(&f->object->node)) return std::make_pair(n->name, f->field.text);
  }
  return std::nullopt;
}

TExprPtr check_call(Env& env, const Expr& e, const Call& call, const Type* expected) {
  const auto name = callee_name(*call.callee);
  if (!name || (!name->first.empty() && env.lookup(name->first))) {
    env.ck.error("M0110", call.callee->span, "method calls are not supported yet",
                 "call the function with the value as its first argument, e.g. size(list)");
    return nullptr;
  }
  if (name->first.empty()) {
    if (auto b = call_builtin(env, e, call, name->second, expected)) return std::move(*b);
    return call_declared(env, e, call, env.scope, name->second);
  }
  const Scope* other = aliased(env.ck, env.scope, name->first);
  if (other == nullptr) {
    std::vector<std::string> aliases;
    for (const auto& [a, id] : env.scope.aliases) aliases.push_back(a);
    env.ck.error("M0101", call.callee->span, "'" + name->first + "' is not a pack alias of a `use`",
                 did_you_mean(name->first, aliases));
    return nullptr;
  }
  return call_declared(env, e, call, *other, name->second);
}

}  // namespace savm::lang::checking
