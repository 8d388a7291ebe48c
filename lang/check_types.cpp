// Type resolution: a written type (TypeExpr) → a checked Type, records and enums looked up in the
// pack's scope or through an alias (`wht.Payee`).
#include <string>

#include "lang/check_context.h"
#include "lang/currency.h"

namespace savm::lang::checking {

Type simple(BaseType base) {
  Type t;
  t.base = base;
  return t;
}

Type money_type(const std::string& currency) {
  Type t = simple(BaseType::money);
  t.currency = currency;
  return t;
}

Type decimal_type(int scale) {
  Type t = simple(BaseType::decimal);
  t.scale = scale;
  return t;
}

Type list_of(const Type& element) {
  Type t = simple(BaseType::list);
  t.args.push_back(element);
  return t;
}

Type record_type(const RecordInfo* record) {
  Type t = simple(BaseType::record);
  t.record = record;
  return t;
}

Type enum_type(const EnumInfo* enumeration) {
  Type t = simple(BaseType::enumeration);
  t.enumeration = enumeration;
  return t;
}

bool is_ordered(const Type& t) {
  switch (t.base) {
    case BaseType::integer: case BaseType::decimal: case BaseType::money: case BaseType::rate:
    case BaseType::date: case BaseType::timestamp: case BaseType::state:
      return true;
    default:
      return false;
  }
}

const Scope* aliased(const Checker& ck, const Scope& scope, const std::string& alias) {
  const auto a = scope.aliases.find(alias);
  if (a == scope.aliases.end()) return nullptr;
  const auto s = ck.scopes.find(a->second);
  return s == ck.scopes.end() ? nullptr : &s->second;
}

namespace {

std::optional<Type> unsupported(Checker& ck, const TypeExpr& t, const char* what) {
  ck.error("M0110", t.span, std::string(what) + " types are not supported yet",
           "this session's back ends handle Bool, Int, Decimal, Money, Rate, Date, Timestamp, String, ids, "
           "State, Domain, records, enums and List");
  return std::nullopt;
}

std::vector<std::string> type_names(const Scope& scope) {
  std::vector<std::string> names{"State", "Domain"};
  for (const auto& [n, r] : scope.records) names.push_back(n);
  for (const auto& [n, e] : scope.enums) names.push_back(n);
  return names;
}

std::optional<Type> named_in(const Scope& scope, const std::string& name) {
  if (const auto r = scope.records.find(name); r != scope.records.end()) return record_type(r->second);
  if (const auto e = scope.enums.find(name); e != scope.enums.end()) return enum_type(e->second);
  return std::nullopt;
}

std::optional<Type> resolve_named(Checker& ck, const Scope& scope, const TypeExpr& t) {
  const auto& parts = t.name.parts;
  if (parts.size() == 1 && parts[0].text == "State") return simple(BaseType::state);
  if (parts.size() == 1 && parts[0].text == "Domain") return simple(BaseType::domain);
  if (parts.size() == 1) {
    if (auto found = named_in(scope, parts[0].text)) return found;
    ck.error("M0101", t.span, "unknown type '" + parts[0].text + "'", did_you_mean(parts[0].text, type_names(scope)));
    return std::nullopt;
  }
  const Scope* other = parts.size() == 2 ? aliased(ck, scope, parts[0].text) : nullptr;
  if (other == nullptr) {
    ck.error("M0101", t.span, "unknown type '" + t.name.text() + "'",
             parts.size() == 2 ? "'" + parts[0].text + "' is not a pack alias of a `use`" : "");
    return std::nullopt;
  }
  if (auto found = named_in(*other, parts[1].text)) return found;
  ck.error("M0101", t.span, "pack " + other->id + " declares no type '" + parts[1].text + "'",
           did_you_mean(parts[1].text, type_names(*other)));
  return std::nullopt;
}

}  // namespace

std::optional<Type> resolve_type(Checker& ck, const Scope& scope, const TypeExpr& t) {
  switch (t.kind) {
    case TypeKind::boolean: return simple(BaseType::boolean);
    case TypeKind::integer: return simple(BaseType::integer);
    case TypeKind::decimal: return decimal_type(t.scale);
    case TypeKind::money:
      if (!currency_exponent(t.currency)) {
        ck.error("M0108", t.span, "unknown currency '" + t.currency + "'",
                 "the checker knows the ISO 4217 codes listed in docs/mizan.md (\"Money\")");
        return std::nullopt;
      }
      return money_type(t.currency);
    case TypeKind::rate: return simple(BaseType::rate);
    case TypeKind::date: return simple(BaseType::date);
    case TypeKind::timestamp: return simple(BaseType::timestamp);
    case TypeKind::string: return simple(BaseType::string);
    case TypeKind::entity_id: return simple(BaseType::entity_id);
    case TypeKind::asset_id: return simple(BaseType::asset_id);
    case TypeKind::jurisdiction_id: return simple(BaseType::jurisdiction_id);
    case TypeKind::list: {
      if (t.args.size() != 1) return std::nullopt;  // the parser reported M0013
      auto element = resolve_type(ck, scope, t.args[0]);
      if (!element) return std::nullopt;
      return list_of(*element);
    }
    case TypeKind::duration: return unsupported(ck, t, "Duration");
    case TypeKind::set: return unsupported(ck, t, "Set");
    case TypeKind::map: return unsupported(ck, t, "Map");
    case TypeKind::option: return unsupported(ck, t, "Option");
    case TypeKind::named: return resolve_named(ck, scope, t);
  }
  return std::nullopt;
}

}  // namespace savm::lang::checking
