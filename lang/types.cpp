// Type equality and the spelling of types in diagnostics (lang/program.h).
#include <string>

#include "lang/program.h"

namespace savm::lang {
namespace {

// A record or enum by its declared name (the last part of the qualified name); a table's column
// record keeps the table name too ("goods.columns"), since its last part says nothing alone.
std::string short_name(const std::string& qualified) {
  std::size_t dot = qualified.rfind('.');
  if (dot == std::string::npos) return qualified;
  if (qualified.compare(dot + 1, std::string::npos, "columns") == 0 && dot > 0) {
    const std::size_t before = qualified.rfind('.', dot - 1);
    return before == std::string::npos ? qualified : qualified.substr(before + 1);
  }
  return qualified.substr(dot + 1);
}

}  // namespace

bool operator==(const Type& a, const Type& b) {
  if (a.base != b.base) return false;
  switch (a.base) {
    case BaseType::decimal: return a.scale == b.scale;
    case BaseType::money: return a.currency == b.currency;
    case BaseType::record: return a.record == b.record;
    case BaseType::enumeration: return a.enumeration == b.enumeration;
    case BaseType::list: return a.args == b.args;
    default: return true;
  }
}

namespace {

// The spelling of a type; `name_of` spells a record's or enum's qualified name.
template <typename NameOf>
std::string spell(const Type& type, NameOf name_of) {
  switch (type.base) {
    case BaseType::boolean: return "Bool";
    case BaseType::integer: return "Int";
    case BaseType::decimal: return "Decimal<" + std::to_string(type.scale) + ">";
    case BaseType::money: return "Money<" + type.currency + ">";
    case BaseType::rate: return "Rate";
    case BaseType::date: return "Date";
    case BaseType::duration: return "Duration";
    case BaseType::timestamp: return "Timestamp";
    case BaseType::string: return "String";
    case BaseType::entity_id: return "EntityId";
    case BaseType::asset_id: return "AssetId";
    case BaseType::jurisdiction_id: return "JurisdictionId";
    case BaseType::state: return "State";
    case BaseType::domain: return "Domain";
    case BaseType::record: return type.record ? name_of(type.record->qualified_name) : "record";
    case BaseType::enumeration: return type.enumeration ? name_of(type.enumeration->qualified_name) : "enum";
    case BaseType::list: return "List<" + (type.args.empty() ? std::string("?") : spell(type.args[0], name_of)) + ">";
  }
  return "?";
}

}  // namespace

std::string to_string(const Type& type) { return spell(type, short_name); }

std::string qualified_type_name(const Type& type) {
  return spell(type, [](const std::string& qualified) { return qualified; });
}

}  // namespace savm::lang
