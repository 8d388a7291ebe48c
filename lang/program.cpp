// Lookups in a checked Program by qualified name.
#include "lang/program.h"

namespace savm::lang {

const RuleInfo* Program::find_rule(std::string_view qualified_name) const {
  for (const auto& rule : rules) {
    if (rule->qualified_name == qualified_name) return rule.get();
  }
  return nullptr;
}

const TableInfo* Program::find_table(std::string_view qualified_name) const {
  for (const auto& table : tables) {
    if (table->qualified_name == qualified_name) return table.get();
  }
  return nullptr;
}

}  // namespace savm::lang
