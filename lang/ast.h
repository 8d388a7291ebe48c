// The typed Mizan AST. It owns its memory (unique_ptr and vectors), holds no parser types, and
// every node has a SourceSpan. Literal values are already validated (lang/literals.h): numbers
// are their digits without '_' separators, dates are calendar dates, strings are unescaped.
// Names are not resolved and types are not checked here: that is the checker's job.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lang/literals.h"
#include "lang/source.h"

namespace savm::lang {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Name {
  std::string text;
  SourceSpan span;
};

// A dotted name: pack ids (pk.ito2001), qualified references (wht.Payee).
struct DottedName {
  std::vector<Name> parts;
  SourceSpan span;
  std::string text() const;  // parts joined by '.'
};

struct Citation {
  std::string text;
  SourceSpan span;
};

// [from, to): `in force 2024-07-01 .. 2025-07-01`; no `to` means until further notice.
struct Interval {
  CivilDate from;
  std::optional<CivilDate> to;
  SourceSpan span;
};

// ---- Types ------------------------------------------------------------------------------------

enum class TypeKind {
  boolean, integer, decimal, money, rate, date, duration, timestamp, string,
  entity_id, asset_id, jurisdiction_id, list, set, map, option,
  named,  // a record or enum, possibly qualified by a pack alias (wht.Payee); also Domain, State
};

struct TypeExpr {
  TypeKind kind = TypeKind::named;
  DottedName name;        // as written
  int scale = 0;          // Decimal<s>
  std::string currency;   // Money<CUR>
  std::vector<TypeExpr> args;  // List<T>, Set<T>, Option<T>: one; Map<K, V>: two
  SourceSpan span;
};

// ---- Expressions -------------------------------------------------------------------------------

enum class DurationUnit { days, weeks, months, years };
enum class RateUnit { percent, basis_points };
enum class UnaryOp { negate, logical_not };
enum class BinaryOp { add, sub, mul, div, eq, ne, lt, le, gt, ge, logical_and, logical_or };

struct NumberLit { std::string digits; };                    // "600000", "0.05"
struct MoneyLit { std::string amount; std::string currency; };  // 600_000 PKR
struct RateLit { std::string value; RateUnit unit; };         // 5%, 25 bps
struct DurationLit { std::string count; DurationUnit unit; };  // 30 days
struct DateLit { CivilDate date; };
struct TimestampLit { std::string text; };                    // 2025-01-01T00:00:00Z
struct StringLit { std::string value; };
struct BoolLit { bool value = false; };
struct NoneLit {};
struct NameRef { std::string name; };
struct ListLit { std::vector<ExprPtr> items; };
struct FieldAccess { ExprPtr object; Name field; };
struct Argument {
  std::optional<Name> name;  // named argument: round(x, to: 1 PKR)
  ExprPtr value;
  SourceSpan span;
};
struct Call { ExprPtr callee; std::vector<Argument> args; };
struct Lambda { std::vector<Name> params; ExprPtr body; };    // x -> e, (acc, x) -> e
struct Unary { UnaryOp op; ExprPtr operand; };
struct Binary { BinaryOp op; ExprPtr lhs; ExprPtr rhs; };
struct IsTest { ExprPtr operand; bool negated = false; Name state; };  // e is [not] passing
struct If { ExprPtr condition; ExprPtr then_branch; ExprPtr else_branch; };
struct Let { Name name; ExprPtr value; ExprPtr body; };

struct Expr {
  using Node = std::variant<NumberLit, MoneyLit, RateLit, DurationLit, DateLit, TimestampLit, StringLit, BoolLit,
                            NoneLit, NameRef, ListLit, FieldAccess, Call, Lambda, Unary, Binary, IsTest, If, Let>;
  Node node;
  SourceSpan span;
};

// ---- Declarations ------------------------------------------------------------------------------

struct Param {
  Name name;
  TypeExpr type;
  SourceSpan span;
};

struct ExceptionClause {
  Name label;
  std::string priority;  // digits
  std::vector<Citation> cites;
  ExprPtr condition;
  ExprPtr value;
  SourceSpan span;
};

// `= e` (no exceptions, is_default false) or `default e exception ...`.
struct Definition {
  bool is_default = false;
  ExprPtr value;
  std::vector<ExceptionClause> exceptions;
  SourceSpan span;
};

// One dated version of a rule body; an undated rule has one version without `in_force`.
struct Version {
  std::optional<Interval> in_force;
  std::vector<Citation> cites;
  Definition definition;
  SourceSpan span;
};

enum class RuleKind { rule, compliance };

struct RuleDecl {
  RuleKind kind = RuleKind::rule;
  Name name;
  std::vector<Param> params;
  TypeExpr result;
  std::vector<Citation> cites;
  std::vector<Version> versions;
};

enum class RowKeyKind { up_to, above, range, exact, otherwise };

struct RowKey {
  RowKeyKind kind = RowKeyKind::exact;
  ExprPtr low;   // exact value, range start, `above` bound
  ExprPtr high;  // range end, `up to` bound
  SourceSpan span;
};

struct TableRow {
  std::vector<RowKey> keys;        // one per table parameter
  std::vector<ExprPtr> results;    // one, or one per column
  std::optional<Interval> in_force;
  SourceSpan span;
};

struct TableSection {
  std::optional<Interval> in_force;
  std::vector<Citation> cites;
  std::vector<TableRow> rows;
  SourceSpan span;
};

struct TableDecl {
  Name name;
  std::vector<Param> params;
  TypeExpr result;
  std::vector<Citation> cites;
  std::vector<Name> columns;
  std::vector<TableSection> sections;  // an undated table has one section without `in_force`
};

struct RecordDecl {
  Name name;
  std::vector<Param> fields;
};

struct EnumDecl {
  Name name;
  std::vector<Name> variants;
};

enum class ClauseKind { let, require, write };

struct TransitionClause {
  ClauseKind kind = ClauseKind::require;
  std::optional<Name> name;  // let
  ExprPtr target;            // writes: tensor(...), storage(...), ...
  ExprPtr value;             // let value, requires condition, writes value
  ExprPtr evidence;          // writes ... evidence e
  SourceSpan span;
};

struct TransitionDecl {
  Name name;
  std::vector<Param> params;
  std::vector<Citation> cites;
  std::vector<TransitionClause> clauses;
};

struct TriggerDecl {
  Name name;
  Name event;  // one of the 20 trigger types (DOMAIN.md); checked later
  std::vector<Param> params;
  std::vector<Citation> cites;
  std::optional<DottedName> jurisdiction;
  ExprPtr condition;       // null: always
  std::string priority;    // digits; empty: not given
  std::optional<Name> authorization;  // automatic | quorum | unanimous | governance
  std::vector<ExprPtr> actions;
};

struct TestStatement {
  bool is_expect = true;
  std::optional<Name> name;  // let
  ExprPtr value;
  SourceSpan span;
};

struct TestDecl {
  std::string name;
  CivilDate law_date;
  std::vector<TestStatement> statements;
};

struct Decl {
  using Node = std::variant<RecordDecl, EnumDecl, RuleDecl, TableDecl, TransitionDecl, TriggerDecl, TestDecl>;
  Node node;
  std::string doc;  // the `///` lines before the declaration, markers stripped, joined by '\n'
  SourceSpan span;
};

enum class PackKind { lawpack, regpack, licensepack, module };

struct UseDecl {
  std::optional<PackKind> kind;
  DottedName id;
  std::optional<Name> alias;
  SourceSpan span;
};

struct Pack {
  PackKind kind = PackKind::lawpack;
  DottedName id;
  std::optional<std::string> title;
  std::optional<DottedName> jurisdiction;
  std::optional<std::string> version;
  std::optional<std::string> source;
  std::optional<Interval> horizon;
  std::string doc;
  std::vector<UseDecl> uses;
  std::vector<Decl> decls;
  SourceSpan span;
};

const char* to_string(PackKind kind);
const char* to_string(BinaryOp op);

}  // namespace savm::lang
