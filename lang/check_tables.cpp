// Table bodies: each row has one key per parameter (constants in the parameter's
// representation: literals, negated literals, bare enum variants) and one result per column;
// a row's interval is its own intersected with its section's.
#include <algorithm>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

std::optional<std::string> key_const(Env& env, const Expr& e, const Type& type) {
  TExprPtr t = expect_type(env, e, type);
  if (!t) return std::nullopt;
  auto v = fold_const(*t);
  if (!v) env.ck.error("M0113", e.span, "a row key is a constant: a literal, a negated literal or an enum variant");
  return v;
}

std::optional<TRowKey> row_key(Env& env, const RowKey& k, const TParam& p) {
  TRowKey out;
  out.kind = k.kind;
  const bool bracket = k.kind == RowKeyKind::up_to || k.kind == RowKeyKind::above || k.kind == RowKeyKind::range;
  if (bracket && !is_ordered(p.type)) {
    env.ck.error("M0113", k.span, "a bracket key ('up to', 'above', '..') needs an ordered type; " + p.name + " is " +
                 to_string(p.type));
    return std::nullopt;
  }
  if (k.low) {
    auto v = key_const(env, *k.low, p.type);
    if (!v) return std::nullopt;
    out.low = *v;
  }
  if (k.high) {
    auto v = key_const(env, *k.high, p.type);
    if (!v) return std::nullopt;
    out.high = *v;
  }
  return out;
}

std::optional<DayInterval> intersect(const std::optional<DayInterval>& a, const std::optional<DayInterval>& b) {
  if (!a) return b;
  if (!b) return a;
  DayInterval out{std::max(a->from, b->from), a->to};
  if (b->to && (!out.to || *b->to < *out.to)) out.to = b->to;
  return out;
}

bool row_shape(Checker& ck, const TableRow& row, const TableInfo& info) {
  const std::size_t results = info.columns.empty() ? 1 : info.columns.size();
  if (row.keys.size() != info.params.size()) {
    ck.error("M0114", row.span, "the row has " + std::to_string(row.keys.size()) + " keys; the table has " +
             std::to_string(info.params.size()) + " parameters");
    return false;
  }
  if (row.results.size() != results) {
    ck.error("M0114", row.span, "the row has " + std::to_string(row.results.size()) + " results; the table has " +
             std::to_string(results) + (info.columns.empty() ? " (no columns)" : " columns"));
    return false;
  }
  return true;
}

void check_row(Env& env, const TableSection& section, const TableRow& row, TableInfo& info, const Type& cell) {
  if (!row_shape(env.ck, row, info)) return;
  TRow out;
  bool ok = true;
  for (std::size_t i = 0; i < row.keys.size(); ++i) {
    auto k = row_key(env, row.keys[i], info.params[i]);
    ok = ok && k;
    if (k) out.keys.push_back(std::move(*k));
  }
  for (const ExprPtr& r : row.results) {
    TExprPtr t = expect_type(env, *r, cell);
    ok = ok && t;
    out.results.push_back(std::move(t));
  }
  out.in_force = intersect(row.in_force ? std::optional(day_interval(*row.in_force)) : std::nullopt,
                           section.in_force ? std::optional(day_interval(*section.in_force)) : std::nullopt);
  if (out.in_force && out.in_force->to && *out.in_force->to <= out.in_force->from) {
    env.ck.error("M0114", row.span, "the row's interval lies outside its section's");
    ok = false;
  }
  for (const Citation& c : section.cites) out.cites.push_back(c.text);
  out.cites.insert(out.cites.end(), info.cites.begin(), info.cites.end());
  out.index = static_cast<std::uint32_t>(info.rows.size());
  out.span = row.span;
  if (ok) info.rows.push_back(std::move(out));
}

void check_table(Checker& ck, const Scope& s, const TableDecl& d, TableInfo& info) {
  Env env{ck, s, info.body, info.qualified_name, {}};
  for (const TParam& p : info.params) env.bind(p.name, p.type);
  const Type cell = info.column_record ? info.column_record->fields.at(0).type : info.result;
  for (const TableSection& section : d.sections) {
    for (const TableRow& row : section.rows) check_row(env, section, row, info, cell);
  }
}

}  // namespace

void check_table_bodies(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      const auto* t = std::get_if<TableDecl>(&decl.node);
      if (!t) continue;
      const auto it = s->tables.find(t->name.text);
      if (it != s->tables.end() && it->second->span == t->name.span) check_table(ck, *s, *t, *it->second);
    }
  }
}

}  // namespace savm::lang::checking
