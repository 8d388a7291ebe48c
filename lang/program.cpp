// Lookups in a checked Program by qualified name.
#include "lang/program.h"

namespace savm::lang {
namespace {

template <typename Info>
const Info* find_named(const std::vector<std::unique_ptr<Info>>& items, std::string_view qualified_name) {
  for (const auto& item : items) {
    if (item->qualified_name == qualified_name) return item.get();
  }
  return nullptr;
}

}  // namespace

const RuleInfo* Program::find_rule(std::string_view qualified_name) const { return find_named(rules, qualified_name); }

const TableInfo* Program::find_table(std::string_view qualified_name) const { return find_named(tables, qualified_name); }

const TransitionInfo* Program::find_transition(std::string_view qualified_name) const {
  return find_named(transitions, qualified_name);
}

}  // namespace savm::lang
