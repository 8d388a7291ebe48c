// The reference evaluator: walks a checked Program (lang/program.h) and computes what the tree
// says, with exact Boost.Multiprecision arithmetic and explicit signed 256-bit range checks. It
// shares no code with the VM, so it is the oracle the compiled path is tested against: both must
// give the same Value or the same error code (docs/mizan.md, "Semantics").
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lang/program.h"
#include "lang/value.h"

namespace savm::lang {

// Codes shared with the compiled path: "overflow" (a result outside int256), "division_by_zero",
// "no_law" (no version in force at the law date), "no_row" (no table row matches), "conflict"
// (two applicable exceptions of equal priority). "internal": the Program breaks its own contract
// (a checker bug, never a property of the pack).
struct EvalError {
  std::string code;
  std::string message;
};

// One step of the derivation, in evaluation order.
//   rule      name: the rule; detail: the version's interval ("in force 2024-07-01 .. 2025-07-01"
//             or "always"); cites: the rule's and the version's; index: the version.
//   row       name: the table; detail: "row 3, in force ..."; cites: the row's; index: the row.
//   exception name: the rule; label: the exception taken; detail: "non_atl (priority 1); also
//             applies: x (priority 0); does not apply: y"; cites: the exception's.
//   default   name: the rule; detail: "no exception applies (checked: x, y)".
//   rounding  name: the enclosing rule or table; detail: "half_up to 100: 7500000.5 -> 7500100";
//             cites: the rounding's citation.
struct TraceEvent {
  std::string kind;
  std::string name;
  std::string detail;
  std::vector<std::string> cites;
  std::uint32_t index = 0;  // added for coverage: the version (rule/exception/default) or row index
  std::string label;        // added for coverage: the exception label (kind "exception")
  std::uint32_t depth = 0;  // added for explain: rule and table calls enclosing the event
};

struct EvalResult {
  std::optional<Value> value;
  std::optional<EvalError> error;
  std::vector<TraceEvent> trace;  // up to the error, when there is one
};

// `entry(args)` at `law_date` (days since 1970-01-01). Args are in the parameters'
// representation and order (lang/value_json.h reads them from JSON).
EvalResult evaluate(const Program& program, const RuleInfo& entry, const std::vector<Value>& args,
                    std::int64_t law_date);

// A test block run at its own law date: statements in order; the first expect that is false, or
// the first error, ends it.
struct TestRun {
  bool passed = false;
  std::optional<EvalError> error;
  const TTestStatement* failed = nullptr;  // the false expect, or the statement that faulted
  // When the failed expect is a comparison: both sides' values and their type (for the report).
  struct Operand { Value value; Type type; };
  std::vector<Operand> operands;
  std::vector<TraceEvent> trace;
};
TestRun run_test(const Program& program, const TestInfo& test);

// A cell of the compliance tensor as Mizan sees it: the asset's or entity's id (any text; the
// evaluator reads it by the id rule, lang/ids.h, and writes its canonical 64 hex digits), the
// jurisdiction and the domain in their representation (decimal strings: the short-string word,
// the domain code). Ordered, so the tensor and the writes print deterministically.
struct TensorCellKey {
  std::string asset;
  std::string jurisdiction;
  std::string domain;
  friend auto operator<=>(const TensorCellKey&, const TensorCellKey&) = default;
};
// The cells a transition reads, by key → State rank; a missing cell reads pending (1), as the
// VM's TENSOR_GET does.
using TensorView = std::map<TensorCellKey, int>;

struct TensorWrite {
  TensorCellKey cell;
  int state = 1;
  std::string evidence;  // a String's bytes (the VM records their SHA-256) or an id's canonical text
  friend bool operator==(const TensorWrite&, const TensorWrite&) = default;
};

// A transition run at `law_date` against `tensor`. Clauses run in order; a write is seen by the
// clauses after it. `writes` (in clause order) take effect only when the run ends without an
// error; the error is "requirement" when a `requires` clause is false (`failed` names it), or an
// evaluation fault as for rules.
struct TransitionRun {
  std::vector<TensorWrite> writes;
  std::optional<EvalError> error;
  const TClause* failed = nullptr;
  std::vector<TraceEvent> trace;
};
TransitionRun run_transition(const Program& program, const TransitionInfo& transition, const std::vector<Value>& args,
                             std::int64_t law_date, const TensorView& tensor);

}  // namespace savm::lang
