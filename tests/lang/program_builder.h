// Small builders for hand-made checked Programs (lang/program.h), so evaluator tests do not
// depend on the checker: each test writes the tree it means, with values in their representation
// (Money in minor units, Rate × 10^9, Date in days since 1970-01-01).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lang/program.h"

namespace savm::testing {

using namespace savm::lang;

inline Type t_int() { return Type{}; }
inline Type t_bool() { Type t; t.base = BaseType::boolean; return t; }
inline Type t_rate() { Type t; t.base = BaseType::rate; return t; }
inline Type t_date() { Type t; t.base = BaseType::date; return t; }
inline Type t_string() { Type t; t.base = BaseType::string; return t; }
inline Type t_state() { Type t; t.base = BaseType::state; return t; }
inline Type t_money(std::string currency) { Type t; t.base = BaseType::money; t.currency = std::move(currency); return t; }
inline Type t_decimal(int scale) { Type t; t.base = BaseType::decimal; t.scale = scale; return t; }
inline Type t_record(const RecordInfo* r) { Type t; t.base = BaseType::record; t.record = r; return t; }
inline Type t_enum(const EnumInfo* e) { Type t; t.base = BaseType::enumeration; t.enumeration = e; return t; }
inline Type t_list(Type element) { Type t; t.base = BaseType::list; t.args.push_back(std::move(element)); return t; }
inline Type t_duration() { Type t; t.base = BaseType::duration; return t; }

inline TExprPtr make(TExpr::Node node, Type type) {
  auto e = std::make_unique<TExpr>();
  e->node = std::move(node);
  e->type = std::move(type);
  return e;
}
inline TExprPtr k(const std::string& value, Type type = t_int()) { return make(Const{value}, std::move(type)); }
inline TExprPtr str(const std::string& bytes) { return make(StringConst{bytes}, t_string()); }
inline TExprPtr var(std::uint32_t slot, Type type = t_int()) { return make(Var{slot}, std::move(type)); }
inline TExprPtr bin(TBinaryOp op, TExprPtr lhs, TExprPtr rhs, Type type = t_int()) {
  return make(TBinary{op, std::move(lhs), std::move(rhs)}, std::move(type));
}
inline TExprPtr cmp(TBinaryOp op, TExprPtr lhs, TExprPtr rhs) { return bin(op, std::move(lhs), std::move(rhs), t_bool()); }
inline TExprPtr field(TExprPtr object, std::uint32_t index, Type type) {
  return make(FieldGet{std::move(object), index}, std::move(type));
}
inline TExprPtr round_node(TExprPtr a, TExprPtr b, TExprPtr divisor, std::string quantum, Rounding mode, Type type,
                           std::optional<std::string> citation = std::nullopt) {
  return make(Rounded{std::move(a), std::move(b), std::move(divisor), std::move(quantum), mode, std::move(citation)},
              std::move(type));
}
inline TExprPtr builtin(Builtin fn, std::vector<TExprPtr> args, Type type) {
  return make(BuiltinCall{fn, std::move(args)}, std::move(type));
}
inline TExprPtr call(const RuleInfo* rule, std::vector<TExprPtr> args) {
  return make(RuleCall{rule, std::move(args)}, rule->result);
}
inline TExprPtr lookup(const TableInfo* table, std::vector<TExprPtr> args) {
  return make(TableCall{table, std::move(args)}, table->result);
}
template <class... E>
std::vector<TExprPtr> exprs(E... e) {
  std::vector<TExprPtr> v;
  (v.push_back(std::move(e)), ...);
  return v;
}

// A rule with one undated version `= body`; params become slots 0..n-1, `extra_slots` more
// for lets and lambda parameters.
inline RuleInfo& add_rule(Program& program, std::string name, std::vector<TParam> params, Type result,
                          std::size_t extra_slots = 0) {
  auto rule = std::make_unique<RuleInfo>();
  rule->qualified_name = std::move(name);
  rule->params = std::move(params);
  rule->result = std::move(result);
  for (const TParam& p : rule->params) rule->body.slot_types.push_back(p.type);
  for (std::size_t i = 0; i < extra_slots; ++i) rule->body.slot_types.push_back(t_int());
  program.rules.push_back(std::move(rule));
  return *program.rules.back();
}

inline TVersion& add_version(RuleInfo& rule, TExprPtr body, std::optional<DayInterval> in_force = std::nullopt) {
  TVersion v;
  v.in_force = in_force;
  v.definition.value = std::move(body);
  rule.versions.push_back(std::move(v));
  return rule.versions.back();
}

inline TException exception(std::string label, std::int64_t priority, TExprPtr condition, TExprPtr value) {
  TException e;
  e.label = std::move(label);
  e.priority = priority;
  e.condition = std::move(condition);
  e.value = std::move(value);
  return e;
}

inline TRowKey key(RowKeyKind kind, std::string low = {}, std::string high = {}) {
  return TRowKey{kind, std::move(low), std::move(high)};
}

inline TableInfo& add_table(Program& program, std::string name, std::vector<TParam> params, Type result) {
  auto table = std::make_unique<TableInfo>();
  table->qualified_name = std::move(name);
  table->params = std::move(params);
  table->result = std::move(result);
  for (const TParam& p : table->params) table->body.slot_types.push_back(p.type);
  program.tables.push_back(std::move(table));
  return *program.tables.back();
}

inline TRow& add_row(TableInfo& table, std::vector<TRowKey> keys, std::vector<TExprPtr> results,
                     std::optional<DayInterval> in_force = std::nullopt) {
  TRow row;
  row.keys = std::move(keys);
  row.results = std::move(results);
  row.in_force = in_force;
  row.index = static_cast<std::uint32_t>(table.rows.size());
  table.rows.push_back(std::move(row));
  return table.rows.back();
}

inline RecordInfo& add_record(Program& program, std::string name, std::vector<FieldInfo> fields) {
  auto record = std::make_unique<RecordInfo>();
  record->qualified_name = std::move(name);
  record->fields = std::move(fields);
  program.records.push_back(std::move(record));
  return *program.records.back();
}

}  // namespace savm::testing
