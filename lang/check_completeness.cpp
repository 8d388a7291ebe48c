// Table completeness, where it is cheap to prove, for tables of one parameter: at every
// distinct period of the rows' intervals, the rows in force must match every value.
//   brackets: `up to` bounds strictly ascending, then `above` the last bound (or `else`);
//   an enum: every variant has an exact row (or there is an `else`).
// Other tables (several parameters, ranges, other key types) are not proven complete here; a
// lookup that matches no row is the runtime `no_row` fault.
#include <algorithm>
#include <set>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

bool less_than(const std::string& a, const std::string& b) {  // signed decimal integers
  const bool na = a[0] == '-', nb = b[0] == '-';
  if (na != nb) return na;
  const bool longer = a.size() != b.size() ? a.size() > b.size() : a > b;
  if (a == b) return false;
  return na ? longer : !longer;
}

std::vector<const TRow*> in_force_at(const TableInfo& t, std::int64_t day) {
  std::vector<const TRow*> rows;
  for (const TRow& r : t.rows) {
    if (!r.in_force || r.in_force->contains(day)) rows.push_back(&r);
  }
  return rows;
}

std::string brackets_gap(const std::vector<const TRow*>& rows) {
  std::optional<std::string> last;
  for (const TRow* r : rows) {
    const TRowKey& k = r->keys[0];
    if (k.kind == RowKeyKind::otherwise) return "";
    if (k.kind == RowKeyKind::range || k.kind == RowKeyKind::exact) return "";  // not proven either way
    if (k.kind == RowKeyKind::up_to) {
      if (last && !less_than(*last, k.high)) return "the 'up to' bounds are not strictly ascending";
      last = k.high;
    } else if (k.kind == RowKeyKind::above) {
      if (!last || k.low == *last) return "";
      return "'above' does not start at the last 'up to' bound";
    }
  }
  return "there is no final 'above' or 'else' row";
}

std::string enum_gap(const std::vector<const TRow*>& rows, const EnumInfo& en) {
  std::set<std::string> seen;
  for (const TRow* r : rows) {
    if (r->keys[0].kind == RowKeyKind::otherwise) return "";
    if (r->keys[0].kind == RowKeyKind::exact) seen.insert(r->keys[0].low);
  }
  for (std::size_t i = 0; i < en.variants.size(); ++i) {
    if (!seen.count(std::to_string(i))) return "no row for '" + en.variants[i] + "'";
  }
  return "";
}

std::vector<std::int64_t> period_starts(const TableInfo& t) {
  std::set<std::int64_t> starts{INT64_MIN};
  for (const TRow& r : t.rows) {
    if (!r.in_force) continue;
    starts.insert(r.in_force->from);
    if (r.in_force->to) starts.insert(*r.in_force->to);
  }
  return {starts.begin(), starts.end()};
}

void check_table(Checker& ck, const TableInfo& t) {
  if (t.params.size() != 1) return;
  const Type& key = t.params[0].type;
  const bool enum_keyed = key.base == BaseType::enumeration;
  const bool bracketed = is_ordered(key) && std::any_of(t.rows.begin(), t.rows.end(), [](const TRow& r) {
    return r.keys[0].kind == RowKeyKind::up_to || r.keys[0].kind == RowKeyKind::above;
  });
  if (!enum_keyed && !bracketed) return;
  for (const std::int64_t day : period_starts(t)) {
    const auto rows = in_force_at(t, day);
    if (rows.empty()) continue;  // no law in force: the interval checks speak about that
    const std::string gap = enum_keyed ? enum_gap(rows, *key.enumeration) : brackets_gap(rows);
    if (gap.empty()) continue;
    ck.error("M0118", rows.front()->span, "table " + t.qualified_name + " is incomplete: " + gap,
             "every value of " + t.params[0].name + " must match a row; end with 'above' or 'else'");
    return;
  }
}

}  // namespace

void check_table_completeness(Checker& ck) {
  for (const auto& t : ck.program->tables) check_table(ck, *t);
}

}  // namespace savm::lang::checking
