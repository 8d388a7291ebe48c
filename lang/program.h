// The checked Mizan program: what the checker (lang/checker.h) produces from parsed packs and what
// both back ends consume — the reference evaluator (lang/evaluator.h, the oracle) and the compiler
// to SAVM bytecode (compiler/). Names are resolved, every expression has a Type, implicit scale
// changes are explicit nodes, and every precision-losing step is a `Rounded` node, so a back end
// never decides semantics: it only computes what the tree says (docs/mizan.md, "Semantics").
//
// Value representation (shared by both back ends; each scalar fits one signed 256-bit word):
//   Bool 0/1 · Int itself · Decimal<s> value×10^s · Money<CUR> integer minor units (ISO 4217
//   exponent, lang/currency.h) · Rate value×10^9 (5% = 50_000_000) · Date days since 1970-01-01 ·
//   Timestamp Unix seconds · enum variant index · State rank 0..4 (0 non_compliant, 1 pending,
//   2 not_applicable, 3 exempt, 4 compliant: meet = min, join = max, passing = ≥ 2) · Domain code
//   0..22 (FORMATS.md order) · JurisdictionId the short-string word of docs/vm.md.
//   String, EntityId, AssetId: bytes (the compiler represents them by their SHA-256 word; only
//   equality is defined on them). Duration: a pair (months, days). Records: their fields in
//   declaration order. List<T>: a finite sequence.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lang/ast.h"
#include "lang/source.h"

namespace savm::lang {

inline constexpr int kRateScale = 9;  // Rate = value × 10^9

struct RecordInfo;
struct EnumInfo;

enum class BaseType {
  boolean, integer, decimal, money, rate, date, duration, timestamp, string,
  entity_id, asset_id, jurisdiction_id, state, domain, record, enumeration, list,
};

struct Type {
  BaseType base = BaseType::integer;
  int scale = 0;                       // decimal
  std::string currency;                // money
  const RecordInfo* record = nullptr;  // record
  const EnumInfo* enumeration = nullptr;  // enumeration
  std::vector<Type> args;              // list: the element type

  friend bool operator==(const Type& a, const Type& b);
};

std::string to_string(const Type& type);  // as a person writes it: Money<PKR>, List<Payment>
std::string qualified_type_name(const Type& type);  // records and enums qualified: List<pk.ito2001.Payment>

struct FieldInfo {
  std::string name;
  Type type;
};

struct RecordInfo {
  std::string qualified_name;  // pk.ito2001.Payment; a table's column record: pk.fbr.goods.columns
  std::vector<FieldInfo> fields;
  SourceSpan span;
};

struct EnumInfo {
  std::string qualified_name;
  std::vector<std::string> variants;  // value = index
  SourceSpan span;
};

// ---- Typed expressions ---------------------------------------------------------------------------

struct TExpr;
using TExprPtr = std::unique_ptr<TExpr>;
struct RuleInfo;
struct TableInfo;

// A scalar constant in the representation above, as a decimal integer string ("-5", "50000000").
struct Const { std::string value; };
struct StringConst { std::string bytes; };
struct DurationConst { std::string months; std::string days; };
// A variable slot of the enclosing function: parameters are slots 0..n-1, then every `let` and
// lambda parameter gets the next slot (FunctionBody::slot_types).
struct Var { std::uint32_t slot = 0; };
struct FieldGet { TExprPtr object; std::uint32_t field = 0; };
struct RecordMake { const RecordInfo* record = nullptr; std::vector<TExprPtr> fields; };  // declaration order
struct ListMake { std::vector<TExprPtr> items; };
struct RuleCall { const RuleInfo* rule = nullptr; std::vector<TExprPtr> args; };
struct TableCall { const TableInfo* table = nullptr; std::vector<TExprPtr> args; };

enum class TUnaryOp { negate, logical_not };
struct TUnary { TUnaryOp op; TExprPtr operand; };

// Operands already have equal scales and compatible types (the checker inserted Rescale).
// add/sub/mul are exact and fault on int256 overflow; comparisons are signed; eq/ne compare the
// representation (records field by field, strings by bytes); and/or short-circuit; min/max are
// signed (meet/join on states). mul is only ever exact (Int×Int, Money×Int, Rate×Int, Decimal×Int,
// Decimal<s>×Decimal<t> → Decimal<s+t>).
enum class TBinaryOp { add, sub, mul, eq, ne, lt, le, gt, ge, logical_and, logical_or, min, max };
struct TBinary { TBinaryOp op; TExprPtr lhs; TExprPtr rhs; };

// operand × 10^exponent, exact (faults on overflow): Decimal<2> → Decimal<4>, Int → Decimal<s>.
struct Rescale { TExprPtr operand; int exponent = 0; };

// The only way precision is lost: round_mode(a × b / (divisor × quantum)) × quantum, with a
// 512-bit intermediate (SAVM's MULDIV). `divisor × quantum` is computed first and faults on
// overflow; a zero divisor faults (division by zero). Example: round(mul(income, 5%), to: 1 PKR,
// mode: half_up) = Rounded{a: income, b: Const 50_000_000, divisor: Const 10^9, quantum: "100"}.
enum class Rounding { floor, ceil, toward_zero, half_up, half_even, half_down };  // = vm::Rounding
struct Rounded {
  TExprPtr a;
  TExprPtr b;
  TExprPtr divisor;
  std::string quantum;  // positive decimal integer, in the result type's representation
  Rounding mode = Rounding::half_up;
  std::optional<std::string> citation;  // `cites` of the rounding, e.g. "s.219"
};

struct TIf { TExprPtr condition; TExprPtr then_branch; TExprPtr else_branch; };
struct TLet { std::uint32_t slot = 0; TExprPtr value; TExprPtr body; };

// Date and calendar built-ins (docs/mizan.md, "Dates"). add_months: the same day number `months`
// later; when that month is shorter the result is its last day (month_end: clamp) — the only
// policy so far. days_between(a, b) = b − a in days. add_days: date + days.
enum class Builtin { add_days, add_months, days_between, year_of, month_of, day_of, law_date, size };
struct BuiltinCall { Builtin fn; std::vector<TExprPtr> args; };

// Iteration over a finite list; `elem_slot` (and `acc_slot` for fold) are bound per element.
enum class IterKind { map, filter, any, all, fold };
struct Iterate {
  IterKind kind = IterKind::map;
  TExprPtr list;
  TExprPtr init;  // fold only
  std::uint32_t acc_slot = 0;  // fold only
  std::uint32_t elem_slot = 0;
  TExprPtr body;
};

// tensor(asset, jurisdiction, domain): the current State of that cell (pending when absent).
struct TensorRead { TExprPtr asset; TExprPtr jurisdiction; TExprPtr domain; };

struct TExpr {
  using Node = std::variant<Const, StringConst, DurationConst, Var, FieldGet, RecordMake, ListMake,
                            RuleCall, TableCall, TUnary, TBinary, Rescale, Rounded, TIf, TLet,
                            BuiltinCall, Iterate, TensorRead>;
  Node node;
  Type type;
  SourceSpan span;
};

// ---- Declarations -------------------------------------------------------------------------------

struct FunctionBody {
  std::vector<Type> slot_types;  // parameters first
};

struct TException {
  std::string label;
  std::int64_t priority = 0;  // higher wins; two applicable at one priority: the conflict verdict
  std::vector<std::string> cites;
  TExprPtr condition;
  TExprPtr value;
  SourceSpan span;
};

// A definition: the default, unless exceptions apply. Exceptions are sorted by priority,
// highest first. All conditions are evaluated (they are pure); the applicable one with the
// highest priority gives the value; two applicable at the same priority are a runtime
// `conflict` fault (the checker rejects ties it can prove).
struct TDefinition {
  TExprPtr value;
  std::vector<TException> exceptions;
};

// [from, to) in days since 1970-01-01; `to` absent: until further notice.
struct DayInterval {
  std::int64_t from = 0;
  std::optional<std::int64_t> to;
  bool contains(std::int64_t day) const { return day >= from && (!to || day < *to); }
};

struct TVersion {
  std::optional<DayInterval> in_force;  // absent: always
  std::vector<std::string> cites;
  TDefinition definition;
  SourceSpan span;
};

struct TParam {
  std::string name;
  Type type;
};

// A rule or a compliance verdict. At a law date exactly one version is in force (the checker
// proves it over the pack's horizon; outside, no version in force is a runtime `no_law` fault).
struct RuleInfo {
  std::string qualified_name;  // pk.ito2001.salary_tax
  std::string pack_id;
  RuleKind kind = RuleKind::rule;
  std::vector<TParam> params;
  Type result;
  std::vector<std::string> cites;
  std::vector<TVersion> versions;  // sorted by from date; undated: one version, no interval
  FunctionBody body;
  std::string doc;
  SourceSpan span;
};

// A row key on one parameter. up_to: x ≤ bound; above: x > bound; range: low ≤ x < high;
// exact: x == value; otherwise: anything. Bounds are constants in the parameter's representation.
struct TRowKey {
  RowKeyKind kind = RowKeyKind::exact;
  std::string low;   // exact value, range start, above bound
  std::string high;  // range end, up to bound
};

struct TRow {
  std::vector<TRowKey> keys;  // one per parameter
  std::vector<TExprPtr> results;  // one per column (one if the table has no columns)
  std::optional<DayInterval> in_force;  // the row's own interval intersected with its section's
  std::vector<std::string> cites;       // the section's and table's citations
  std::uint32_t index = 0;  // position in the source, for traces and coverage
  SourceSpan span;
};

// Lookup: the first row, in source order, that is in force at the law date and whose keys all
// match gives the result. No matching row is a runtime `no_row` fault (the checker proves
// completeness where it can). With columns, the result is a record of the columns (`column_record`).
struct TableInfo {
  std::string qualified_name;
  std::string pack_id;
  std::vector<TParam> params;
  Type result;  // the declared result type, or the column record
  std::vector<std::string> columns;
  const RecordInfo* column_record = nullptr;
  std::vector<std::string> cites;
  std::vector<TRow> rows;
  FunctionBody body;  // row results may refer to the parameters
  std::string doc;
  SourceSpan span;
};

struct TTestStatement {
  bool is_expect = true;
  std::uint32_t slot = 0;  // let
  TExprPtr value;          // expect: a Bool
  SourceSpan span;
};

struct TestInfo {
  std::string pack_id;
  std::string name;
  std::int64_t law_date = 0;  // days since 1970-01-01
  std::vector<TTestStatement> statements;
  FunctionBody body;
  SourceSpan span;
};

// One clause of a transition, in source order (docs/mizan.md, "Transitions").
//   require  value: a Bool; false ends the transition with no effects (the `requirement` outcome)
//   let      slot, value
//   write    asset, jurisdiction, domain: the tensor cell; value: its new State; evidence: an id or
//            String whose SHA-256 is recorded with the cell
struct TClause {
  ClauseKind kind = ClauseKind::require;
  std::uint32_t slot = 0;
  TExprPtr value;
  TExprPtr asset, jurisdiction, domain, evidence;
  SourceSpan span;
};

// A transition: the only declaration that writes. Its writes take effect together, and only when
// every requirement before and after them holds and nothing faults.
struct TransitionInfo {
  std::string qualified_name;
  std::string pack_id;
  std::vector<TParam> params;
  std::vector<std::string> cites;
  std::vector<TClause> clauses;
  FunctionBody body;
  std::string doc;
  SourceSpan span;
};

struct PackInfo {
  std::string id;
  PackKind kind = PackKind::lawpack;
  std::optional<std::string> title, jurisdiction, version, source;
  std::optional<DayInterval> horizon;
  std::vector<std::string> uses;  // pack ids
  std::uint32_t file = 0;         // SourceFile::id
  bool library = false;  // loaded for a `use` from MIZAN_PATH (lang/workspace.h), not the workspace's own
};

// Several packs checked together (a directory, or a pack and its locked dependencies). Rules and
// tables are looked up by qualified name. Owns everything; pointers inside stay valid.
struct Program {
  std::vector<PackInfo> packs;  // dependencies before dependents
  std::vector<std::unique_ptr<RecordInfo>> records;
  std::vector<std::unique_ptr<EnumInfo>> enums;
  std::vector<std::unique_ptr<RuleInfo>> rules;
  std::vector<std::unique_ptr<TableInfo>> tables;
  std::vector<std::unique_ptr<TransitionInfo>> transitions;
  std::vector<TestInfo> tests;

  const RuleInfo* find_rule(std::string_view qualified_name) const;
  const TableInfo* find_table(std::string_view qualified_name) const;
  const TransitionInfo* find_transition(std::string_view qualified_name) const;
};

}  // namespace savm::lang
