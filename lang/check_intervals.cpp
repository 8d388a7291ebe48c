// In-force intervals: the dated versions of one rule, and the rows of a table with the same
// keys, must not overlap (the law date would select two); with a pack `horizon`, they must
// leave no day of it uncovered (the law date would select none). Intervals are [from, to).
#include <algorithm>
#include <map>
#include <string>

#include "lang/check_context.h"
#include "lang/literals.h"

namespace savm::lang::checking {
namespace {

struct Dated {
  DayInterval in_force;
  SourceSpan span;
};

void sort_by_start(std::vector<Dated>& v) {
  std::stable_sort(v.begin(), v.end(), [](const Dated& a, const Dated& b) { return a.in_force.from < b.in_force.from; });
}

void check_overlaps(Checker& ck, std::vector<Dated> v, const std::string& what) {
  sort_by_start(v);
  for (std::size_t i = 1; i < v.size(); ++i) {
    const auto& prev = v[i - 1].in_force;
    if (!prev.to || *prev.to > v[i].in_force.from) {
      ck.error("M0116", v[i].span, what + " in force from " + date_text(v[i].in_force.from) +
               " overlaps the one in force from " + date_text(prev.from),
               "end the earlier one where the later one starts: in force A .. B");
    }
  }
}

// The first day of `horizon` that none of `v` covers, if any.
std::optional<std::int64_t> first_gap(std::vector<Dated> v, const DayInterval& horizon) {
  sort_by_start(v);
  std::int64_t day = horizon.from;
  for (const Dated& d : v) {
    if (d.in_force.from > day) break;
    if (!d.in_force.to) return std::nullopt;
    day = std::max(day, *d.in_force.to);
  }
  if (horizon.to && day >= *horizon.to) return std::nullopt;
  return day;
}

void check_gaps(Checker& ck, const Scope& s, const std::vector<Dated>& v, const SourceSpan& span, const std::string& what) {
  if (!s.horizon) return;
  if (const auto gap = first_gap(v, *s.horizon)) {
    ck.error("M0117", span, what + " has no version in force on " + date_text(*gap) + ", inside the pack's horizon",
             "add a version (or rows) for that day, or narrow the horizon");
  }
}

const Scope& scope_of(const Checker& ck, const std::string& pack_id) { return ck.scopes.at(pack_id); }

void check_rule(Checker& ck, const RuleInfo& rule) {
  std::vector<Dated> dated;
  for (const TVersion& v : rule.versions) {
    if (v.in_force) dated.push_back({*v.in_force, v.span});
  }
  if (dated.empty()) return;
  if (dated.size() != rule.versions.size()) {
    ck.error("M0123", rule.span, "rule " + rule.qualified_name + " mixes dated and undated versions",
             "give every version an `in force` interval");
    return;
  }
  check_overlaps(ck, dated, "this version");
  check_gaps(ck, scope_of(ck, rule.pack_id), dated, rule.span, rule.qualified_name);
}

std::string key_text(const TRow& row) {
  std::string out;
  for (const TRowKey& k : row.keys) out += std::to_string(static_cast<int>(k.kind)) + ":" + k.low + ":" + k.high + ";";
  return out;
}

void check_table(Checker& ck, const TableInfo& table) {
  std::map<std::string, std::vector<Dated>> by_keys;
  std::vector<Dated> all;
  bool any_dated = false;
  for (const TRow& row : table.rows) {
    const DayInterval always{INT64_MIN, std::nullopt};
    any_dated = any_dated || row.in_force.has_value();
    by_keys[key_text(row)].push_back({row.in_force.value_or(always), row.span});
    all.push_back(by_keys[key_text(row)].back());
  }
  for (const auto& [keys, rows] : by_keys) check_overlaps(ck, rows, "this row");
  if (any_dated) check_gaps(ck, scope_of(ck, table.pack_id), all, table.span, table.qualified_name);
}

}  // namespace

void check_rule_intervals(Checker& ck) {
  for (const auto& rule : ck.program->rules) check_rule(ck, *rule);
}

void check_table_intervals(Checker& ck) {
  for (const auto& table : ck.program->tables) check_table(ck, *table);
}

}  // namespace savm::lang::checking
