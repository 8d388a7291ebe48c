// Internal to the checker (lang/checker.cpp and lang/check_*.cpp): the state shared while
// checking, the per-function environment, and the functions each file provides.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/program.h"

namespace savm::lang::checking {

// The names one pack declares, and the packs it sees through `use ... as alias`.
struct Scope {
  const Pack* pack = nullptr;
  std::string id;
  std::uint32_t file = 0;
  std::optional<DayInterval> horizon;
  std::map<std::string, std::string> aliases;  // alias → pack id
  std::map<std::string, const RecordInfo*> records;
  std::map<std::string, const EnumInfo*> enums;
  std::map<std::string, RuleInfo*> rules;
  std::map<std::string, TableInfo*> tables;
  std::map<std::string, TransitionInfo*> transitions;
  std::map<std::string, SourceSpan> declared;  // every top-level name, for duplicates
};

struct CallEdge {
  std::string callee;  // qualified name
  SourceSpan span;
};

struct Checker {
  std::vector<Diagnostic> diagnostics;
  std::unique_ptr<Program> program = std::make_unique<Program>();
  std::map<std::string, Scope> scopes;  // by pack id
  std::vector<Scope*> order;            // dependencies before dependents
  std::map<std::string, std::vector<CallEdge>> calls;  // caller → callees, for recursion

  void error(const char* code, const SourceSpan& span, std::string message, std::string hint = {});
  void warning(const char* code, const SourceSpan& span, std::string message, std::string hint = {});
};

// The environment of one function body (rule, table, test): its slots and the names in scope.
struct Env {
  Checker& ck;
  const Scope& scope;
  FunctionBody& body;
  std::string owner;  // qualified name of the rule or table, for the call graph; empty in tests
  std::vector<std::pair<std::string, std::uint32_t>> locals;  // innermost last

  std::uint32_t bind(const std::string& name, const Type& type);  // a fresh slot
  void unbind() { locals.pop_back(); }
  std::optional<std::uint32_t> lookup(const std::string& name) const;
};

// The environment of a rule or transition body: its parameters bound to the first slots.
Env function_env(Checker& ck, const Scope& s, FunctionBody& body, const std::vector<TParam>& params, std::string owner);
std::vector<std::string> cite_texts(const std::vector<Citation>& cites);

// ---- Types (check_types.cpp) --------------------------------------------------------------------
Type simple(BaseType base);
Type money_type(const std::string& currency);
Type decimal_type(int scale);
Type list_of(const Type& element);
Type record_type(const RecordInfo* record);
Type enum_type(const EnumInfo* enumeration);
bool is_ordered(const Type& t);  // < <= > >= and bracket keys
std::optional<Type> resolve_type(Checker& ck, const Scope& scope, const TypeExpr& t);
// The scope a qualified name's first part names (an alias), or nullptr.
const Scope* aliased(const Checker& ck, const Scope& scope, const std::string& alias);

// ---- Literals and constants (check_literals.cpp) -------------------------------------------------
std::string strip_zeros(const std::string& digits);  // canonical: no leading zeros, "0"
std::string negate(const std::string& value);
std::string pow10(int exponent);
// `digits` ("0.05", "600000") × 10^scale as an integer, or nothing when it has more than
// `scale` fraction digits.
std::optional<std::string> scaled(const std::string& digits, int scale);
std::int64_t days_from_civil(const CivilDate& date);
std::optional<std::string> timestamp_seconds(const std::string& text);
std::string short_string_word(const std::string& bytes);  // JurisdictionId (docs/vm.md)
std::optional<int> state_rank(const std::string& name);
std::optional<int> domain_code(const std::string& name);
DayInterval day_interval(const Interval& interval);

// ---- Expressions (check_expr.cpp, check_calls.cpp, check_round.cpp) ------------------------------
TExprPtr make(TExpr::Node node, Type type, const SourceSpan& span);
TExprPtr make_const(std::string value, Type type, const SourceSpan& span);
// Checks `e`; `expected` (may be null) types bare enum variants, empty lists and number literals.
// Returns null after reporting an error.
TExprPtr check_expr(Env& env, const Expr& e, const Type* expected);
// check_expr, then converts to `want` (Int → Decimal, a smaller Decimal scale → a larger one) or
// reports the mismatch.
TExprPtr expect_type(Env& env, const Expr& e, const Type& want);
TExprPtr coerce(Env& env, TExprPtr value, const Type& want, const SourceSpan& span);
TExprPtr check_product(Env& env, const Expr& e, const Expr& lhs, const Expr& rhs);  // a * b, mul(a, b)
TExprPtr check_call(Env& env, const Expr& e, const Call& call, const Type* expected);
TExprPtr check_round(Env& env, const Expr& e, const Call& call);
TExprPtr check_list_op(Env& env, const Expr& e, const std::string& name, const Call& call, const Type* expected);
// The name a callee or qualified reference spells: `f` → ("", f), `alias.f` → (alias, f).
std::optional<std::pair<std::string, std::string>> callee_name(const Expr& callee);
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);
// Products: the exact cases (Int×Int, Money×Int, Rate×Int, Decimal×Int, Decimal×Decimal, either
// order) and the scaled ones that only round(...) may take (Money×Rate, Money×Decimal<s>,
// Decimal<s>×Rate): the unrounded type, the scale divided out, and whether b is the left operand.
std::optional<Type> exact_product(const Type& l, const Type& r);
struct ScaledProduct {
  Type type;
  int factor_scale = 0;
  bool swapped = false;
};
std::optional<ScaledProduct> scaled_product(const Type& l, const Type& r);
// A constant's value: Const, a negated Const, a Rescale of a Const; nothing otherwise.
std::optional<std::string> fold_const(const TExpr& e);

// ---- Declarations (check_decls.cpp, check_tables.cpp) --------------------------------------------
void declare_types(Checker& ck);
void declare_functions(Checker& ck);
void check_rule_bodies(Checker& ck);
void check_table_bodies(Checker& ck);
void check_tests(Checker& ck);
// Transitions (check_transitions.cpp): signatures with the rules, bodies after them.
void declare_transition(Checker& ck, Scope& s, const Decl& decl, const TransitionDecl& d);
void check_transition_bodies(Checker& ck);
std::vector<TParam> resolve_params(Checker& ck, const Scope& s, const std::vector<Param>& params, bool& ok);

// ---- Whole-program properties (check_intervals.cpp, check_graph.cpp, check_completeness.cpp) ------
void check_rule_intervals(Checker& ck);
void check_table_intervals(Checker& ck);
void check_table_completeness(Checker& ck);
void check_recursion(Checker& ck);

}  // namespace savm::lang::checking
