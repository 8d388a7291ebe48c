// The reference evaluator's walk (lang/evaluator.h). One Walker per evaluation: it holds the law
// date, the trace and the name of the rule or table being evaluated (for rounding events). Each
// rule or table call gets a fresh frame of slots (FunctionBody::slot_types). Faults are thrown as
// eval::Fault and become EvalResult::error at the entry.
#include "lang/evaluator.h"

#include <algorithm>
#include <utility>

#include "lang/eval_arith.h"
#include "lang/eval_dates.h"
#include "lang/ids.h"

namespace savm::lang {
namespace {

using eval::BigInt;
using eval::checked;
using eval::Fault;
using Frame = std::vector<Value>;

// Deeper than any checked program nests (the checker rejects recursion): a guard, not a limit.
constexpr int kMaxCallDepth = 1000;

[[noreturn]] void internal(const std::string& what) { throw Fault{"internal", "malformed program: " + what}; }

BigInt num(const Value& value) { return eval::parse_integer(value.scalar); }
Value scalar(const BigInt& value) { return Value{value.str(), {}, {}}; }
Value boolean(bool value) { return Value{value ? "1" : "0", {}, {}}; }

bool truth(const Value& value) {
  if (value.scalar == "1") return true;
  if (value.scalar == "0") return false;
  internal("a condition is not a Bool");
}

// An entry's arguments with their ids canonical (lang/ids.h), however the caller built them, so
// ids compare as their 32 bytes do in compiled code.
std::vector<Value> entry_args(const std::vector<TParam>& params, std::vector<Value> args) {
  for (std::size_t i = 0; i < args.size() && i < params.size(); ++i) canonicalize_ids(args[i], params[i].type);
  return args;
}

bool is_byte_string(const Type& type) {
  return type.base == BaseType::string || type.base == BaseType::entity_id || type.base == BaseType::asset_id;
}

std::string interval_text(const std::optional<DayInterval>& interval) {
  if (!interval) return "always";
  std::string text = "in force " + eval::format_date(interval->from) + " ..";
  if (interval->to) text += " " + eval::format_date(*interval->to);
  return text;
}

std::vector<std::string> joined(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

class Walker {
 public:
  Walker(std::int64_t law_date, std::vector<TraceEvent>& trace) : law_date_(law_date), trace_(trace) {}

  Value call_rule(const RuleInfo& rule, const std::vector<Value>& args);
  Value call_table(const TableInfo& table, const std::vector<Value>& args);
  Value eval(const TExpr& expr, Frame& frame);
  void set_context(std::string name) { context_ = std::move(name); }
  // The tensor that `tensor(...)` reads; none: every cell reads pending.
  void set_tensor(const TensorView* tensor) { tensor_ = tensor; }
  // Trace events of a transition's own steps, at depth 0.
  void note(const char* kind, const std::string& name, std::string detail, std::vector<std::string> cites) {
    push(kind, name, std::move(detail), std::move(cites), 0);
  }

 private:
  struct Scope;  // the rule or table being evaluated, and the call depth

  Value definition(const RuleInfo& rule, std::uint32_t version, const TDefinition& def, Frame& frame);
  bool row_matches(const TableInfo& table, const TRow& row, const Frame& frame) const;
  Value binary(const TBinary& node, Frame& frame);
  Value rounded(const Rounded& node, Frame& frame);
  Value builtin(const BuiltinCall& node, Frame& frame);
  Value iterate(const Iterate& node, Frame& frame);
  std::vector<Value> eval_all(const std::vector<TExprPtr>& exprs, Frame& frame);
  static Value& slot(Frame& frame, std::uint32_t index);
  // A trace event at the current call depth (`offset` -1: the call's own event, outside it).
  void push(const char* kind, const std::string& name, std::string detail, std::vector<std::string> cites,
            std::uint32_t index, std::string label = {}, int offset = 0) {
    trace_.push_back({kind, name, std::move(detail), std::move(cites), index, std::move(label),
                      static_cast<std::uint32_t>(depth_ + offset < 0 ? 0 : depth_ + offset)});
  }
  Frame frame_for(const FunctionBody& body, const std::vector<TParam>& params, const std::vector<Value>& args,
                  const std::string& name) const;

  std::int64_t law_date_;
  std::vector<TraceEvent>& trace_;
  std::string context_;
  int depth_ = 0;
  const TensorView* tensor_ = nullptr;
};

struct Walker::Scope {
  Scope(Walker& w, const std::string& name) : walker(w), saved(w.context_) {
    if (++walker.depth_ > kMaxCallDepth) internal("calls nested deeper than 1000 (recursion?)");
    walker.context_ = name;
  }
  ~Scope() {
    --walker.depth_;
    walker.context_ = saved;
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  Walker& walker;
  std::string saved;
};

Value& Walker::slot(Frame& frame, std::uint32_t index) {
  if (index >= frame.size()) internal("slot " + std::to_string(index) + " is not in the frame");
  return frame[index];
}

Frame Walker::frame_for(const FunctionBody& body, const std::vector<TParam>& params, const std::vector<Value>& args,
                        const std::string& name) const {
  if (args.size() != params.size() || body.slot_types.size() < params.size()) {
    internal(name + " takes " + std::to_string(params.size()) + " arguments, got " + std::to_string(args.size()));
  }
  Frame frame(body.slot_types.size());
  std::copy(args.begin(), args.end(), frame.begin());
  return frame;
}

Value Walker::call_rule(const RuleInfo& rule, const std::vector<Value>& args) {
  Scope scope(*this, rule.qualified_name);
  Frame frame = frame_for(rule.body, rule.params, args, rule.qualified_name);
  for (std::uint32_t i = 0; i < rule.versions.size(); ++i) {
    const TVersion& version = rule.versions[i];
    if (version.in_force && !version.in_force->contains(law_date_)) continue;
    push("rule", rule.qualified_name, interval_text(version.in_force), joined(rule.cites, version.cites), i, {}, -1);
    return definition(rule, i, version.definition, frame);
  }
  throw Fault{"no_law", rule.qualified_name + ": no version is in force on " + eval::format_date(law_date_)};
}

// Every condition is evaluated (they are pure, and a fault in one is a fault of the rule); the
// applicable exception of highest priority wins; a tie at that priority is a conflict.
Value Walker::definition(const RuleInfo& rule, std::uint32_t version, const TDefinition& def, Frame& frame) {
  std::vector<const TException*> applicable;
  std::string not_applicable;
  for (const TException& exception : def.exceptions) {
    if (truth(eval(*exception.condition, frame))) {
      applicable.push_back(&exception);
    } else {
      not_applicable += (not_applicable.empty() ? "" : ", ") + exception.label;
    }
  }
  if (applicable.empty()) {
    if (!def.exceptions.empty()) {
      push("default", rule.qualified_name, "no exception applies (checked: " + not_applicable + ")", rule.cites, version);
    }
    return eval(*def.value, frame);
  }
  const auto best = std::max_element(applicable.begin(), applicable.end(), [](const TException* a, const TException* b) {
    return a->priority < b->priority;
  });
  std::string also;
  for (const TException* other : applicable) {
    if (other == *best) continue;
    if (other->priority == (*best)->priority) {
      throw Fault{"conflict", rule.qualified_name + ": exceptions " + (*best)->label + " and " + other->label +
                                  " both apply at priority " + std::to_string(other->priority)};
    }
    also += (also.empty() ? "" : ", ") + other->label + " (priority " + std::to_string(other->priority) + ")";
  }
  const TException& taken = **best;
  std::string detail = taken.label + " (priority " + std::to_string(taken.priority) + ")";
  if (!also.empty()) detail += "; also applies: " + also;
  if (!not_applicable.empty()) detail += "; does not apply: " + not_applicable;
  push("exception", rule.qualified_name, detail, taken.cites, version, taken.label);
  return eval(*taken.value, frame);
}

bool Walker::row_matches(const TableInfo& table, const TRow& row, const Frame& frame) const {
  if (row.keys.size() != table.params.size()) internal(table.qualified_name + ": a row has the wrong number of keys");
  for (std::size_t i = 0; i < row.keys.size(); ++i) {
    const TRowKey& key = row.keys[i];
    const Value& arg = frame[i];
    if (key.kind == RowKeyKind::otherwise) continue;
    if (is_byte_string(table.params[i].type)) {
      if (key.kind != RowKeyKind::exact) internal(table.qualified_name + ": a range key on a string");
      if (arg.bytes != key.low) return false;
      continue;
    }
    const BigInt x = num(arg);
    bool ok = false;
    switch (key.kind) {
      case RowKeyKind::up_to: ok = x <= eval::parse_integer(key.high); break;
      case RowKeyKind::above: ok = x > eval::parse_integer(key.low); break;
      case RowKeyKind::range: ok = x >= eval::parse_integer(key.low) && x < eval::parse_integer(key.high); break;
      case RowKeyKind::exact: ok = x == eval::parse_integer(key.low); break;
      case RowKeyKind::otherwise: ok = true; break;
    }
    if (!ok) return false;
  }
  return true;
}

Value Walker::call_table(const TableInfo& table, const std::vector<Value>& args) {
  Scope scope(*this, table.qualified_name);
  Frame frame = frame_for(table.body, table.params, args, table.qualified_name);
  for (const TRow& row : table.rows) {
    if (row.in_force && !row.in_force->contains(law_date_)) continue;
    if (!row_matches(table, row, frame)) continue;
    push("row", table.qualified_name, "row " + std::to_string(row.index + 1) + ", " + interval_text(row.in_force),
         row.cites, row.index, {}, -1);
    std::vector<Value> results = eval_all(row.results, frame);
    if (table.column_record == nullptr) {
      if (results.size() != 1) internal(table.qualified_name + ": a row without columns has several results");
      return std::move(results.front());
    }
    return Value{{}, {}, std::move(results)};
  }
  std::string shown;
  for (std::size_t i = 0; i < table.params.size(); ++i) {
    shown += (i ? ", " : "") + table.params[i].name + " = " +
             (is_byte_string(table.params[i].type) ? "\"" + frame[i].bytes + "\"" : frame[i].scalar);
  }
  throw Fault{"no_row", table.qualified_name + ": no row matches (" + shown + ") on " + eval::format_date(law_date_)};
}

std::vector<Value> Walker::eval_all(const std::vector<TExprPtr>& exprs, Frame& frame) {
  std::vector<Value> values;
  values.reserve(exprs.size());
  for (const TExprPtr& e : exprs) values.push_back(eval(*e, frame));
  return values;
}

Value Walker::binary(const TBinary& node, Frame& frame) {
  if (node.op == TBinaryOp::logical_and) return truth(eval(*node.lhs, frame)) ? boolean(truth(eval(*node.rhs, frame))) : boolean(false);
  if (node.op == TBinaryOp::logical_or) return truth(eval(*node.lhs, frame)) ? boolean(true) : boolean(truth(eval(*node.rhs, frame)));
  const Value lhs = eval(*node.lhs, frame);
  const Value rhs = eval(*node.rhs, frame);
  if (node.op == TBinaryOp::eq) return boolean(lhs == rhs);
  if (node.op == TBinaryOp::ne) return boolean(!(lhs == rhs));
  const BigInt a = num(lhs);
  const BigInt b = num(rhs);
  switch (node.op) {
    case TBinaryOp::add: return scalar(checked(a + b, "a sum"));
    case TBinaryOp::sub: return scalar(checked(a - b, "a difference"));
    case TBinaryOp::mul: return scalar(checked(a * b, "a product"));
    case TBinaryOp::lt: return boolean(a < b);
    case TBinaryOp::le: return boolean(a <= b);
    case TBinaryOp::gt: return boolean(a > b);
    case TBinaryOp::ge: return boolean(a >= b);
    case TBinaryOp::min: return scalar(a < b ? a : b);
    case TBinaryOp::max: return scalar(a < b ? b : a);
    default: internal("an unknown binary operator");
  }
}

// round_mode(a × b / (divisor × quantum)) × quantum: the divisor × quantum product is checked
// first, the quotient is rounded from the exact rational, then range-checked before and after
// the final × quantum (the same order as the compiled MULDIV sequence).
Value Walker::rounded(const Rounded& node, Frame& frame) {
  const BigInt a = num(eval(*node.a, frame));
  const BigInt b = num(eval(*node.b, frame));
  const BigInt divisor = num(eval(*node.divisor, frame));
  const BigInt quantum = eval::parse_integer(node.quantum);
  if (quantum <= 0) internal("a rounding quantum that is not positive");
  const BigInt scaled = checked(divisor * quantum, "divisor x quantum of a rounding");
  if (scaled == 0) throw Fault{"division_by_zero", context_ + ": division by zero in a rounding"};
  const BigInt steps = checked(eval::round_quotient(a * b, scaled, node.mode), "a rounded result");
  const BigInt result = checked(steps * quantum, "a rounded result");
  std::vector<std::string> cites;
  if (node.citation) cites.push_back(*node.citation);
  push("rounding", context_,
       std::string(eval::to_string(node.mode)) + " to " + node.quantum + ": " + a.str() + " x " + b.str() + " / " +
           divisor.str() + " -> " + result.str(),
       std::move(cites), 0);
  return scalar(result);
}

// A day count or a Duration (months, days) as the amount of a date shift.
BigInt shift_date(const BigInt& day, const Value& amount, bool months) {
  if (amount.items.size() == 2) {
    const BigInt moved = eval::add_months(day, num(amount.items[0]));
    return checked(moved + num(amount.items[1]), "a date");
  }
  return months ? eval::add_months(day, num(amount)) : checked(day + num(amount), "a date");
}

Value Walker::builtin(const BuiltinCall& node, Frame& frame) {
  const std::vector<Value> args = eval_all(node.args, frame);
  const std::size_t arity = node.fn == Builtin::law_date ? 0 : node.fn == Builtin::add_days || node.fn == Builtin::add_months || node.fn == Builtin::days_between ? 2 : 1;
  if (args.size() != arity) internal("a built-in call with the wrong number of arguments");
  switch (node.fn) {
    case Builtin::add_days: return scalar(shift_date(num(args[0]), args[1], false));
    case Builtin::add_months: return scalar(shift_date(num(args[0]), args[1], true));
    case Builtin::days_between: return scalar(checked(num(args[1]) - num(args[0]), "days_between"));
    case Builtin::year_of: return scalar(eval::civil_from_days(num(args[0])).year);
    case Builtin::month_of: return scalar(eval::civil_from_days(num(args[0])).month);
    case Builtin::day_of: return scalar(eval::civil_from_days(num(args[0])).day);
    case Builtin::law_date: return scalar(law_date_);
    case Builtin::size: return scalar(args[0].items.size());
  }
  internal("an unknown built-in");
}

// any and all stop at the first element that decides them, like `or` and `and`.
Value Walker::iterate(const Iterate& node, Frame& frame) {
  const Value list = eval(*node.list, frame);
  Value acc = node.kind == IterKind::fold ? eval(*node.init, frame) : Value{};
  std::vector<Value> out;
  for (const Value& element : list.items) {
    slot(frame, node.elem_slot) = element;
    if (node.kind == IterKind::fold) {
      slot(frame, node.acc_slot) = std::move(acc);
      acc = eval(*node.body, frame);
      continue;
    }
    Value v = eval(*node.body, frame);
    if (node.kind == IterKind::map) out.push_back(std::move(v));
    else if (node.kind == IterKind::filter && truth(v)) out.push_back(element);
    else if (node.kind == IterKind::any && truth(v)) return boolean(true);
    else if (node.kind == IterKind::all && !truth(v)) return boolean(false);
  }
  switch (node.kind) {
    case IterKind::map: case IterKind::filter: return Value{{}, {}, std::move(out)};
    case IterKind::any: return boolean(false);
    case IterKind::all: return boolean(true);
    case IterKind::fold: return acc;
  }
  internal("an unknown iteration");
}

Value Walker::eval(const TExpr& expr, Frame& frame) {
  return std::visit(
      [&](const auto& node) -> Value {
        using N = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<N, Const>) {
          return scalar(eval::parse_integer(node.value));
        } else if constexpr (std::is_same_v<N, StringConst>) {
          return Value{{}, node.bytes, {}};
        } else if constexpr (std::is_same_v<N, DurationConst>) {
          return Value{{}, {}, {scalar(eval::parse_integer(node.months)), scalar(eval::parse_integer(node.days))}};
        } else if constexpr (std::is_same_v<N, Var>) {
          return slot(frame, node.slot);
        } else if constexpr (std::is_same_v<N, FieldGet>) {
          Value object = eval(*node.object, frame);
          if (node.field >= object.items.size()) internal("a field index past the record");
          return std::move(object.items[node.field]);
        } else if constexpr (std::is_same_v<N, RecordMake>) {
          return Value{{}, {}, eval_all(node.fields, frame)};
        } else if constexpr (std::is_same_v<N, ListMake>) {
          return Value{{}, {}, eval_all(node.items, frame)};
        } else if constexpr (std::is_same_v<N, RuleCall>) {
          return call_rule(*node.rule, eval_all(node.args, frame));
        } else if constexpr (std::is_same_v<N, TableCall>) {
          return call_table(*node.table, eval_all(node.args, frame));
        } else if constexpr (std::is_same_v<N, TUnary>) {
          const Value v = eval(*node.operand, frame);
          return node.op == TUnaryOp::negate ? scalar(checked(-num(v), "a negation")) : boolean(!truth(v));
        } else if constexpr (std::is_same_v<N, TBinary>) {
          return binary(node, frame);
        } else if constexpr (std::is_same_v<N, Rescale>) {
          if (node.exponent < 0 || node.exponent > 80) internal("a rescale exponent outside 0..80");
          return scalar(checked(num(eval(*node.operand, frame)) * eval::power_of_ten(node.exponent), "a rescaled value"));
        } else if constexpr (std::is_same_v<N, Rounded>) {
          return rounded(node, frame);
        } else if constexpr (std::is_same_v<N, TIf>) {
          return truth(eval(*node.condition, frame)) ? eval(*node.then_branch, frame) : eval(*node.else_branch, frame);
        } else if constexpr (std::is_same_v<N, TLet>) {
          slot(frame, node.slot) = eval(*node.value, frame);
          return eval(*node.body, frame);
        } else if constexpr (std::is_same_v<N, BuiltinCall>) {
          return builtin(node, frame);
        } else if constexpr (std::is_same_v<N, Iterate>) {
          return iterate(node, frame);
        } else {
          static_assert(std::is_same_v<N, TensorRead>);
          const TensorCellKey key{eval(*node.asset, frame).bytes, eval(*node.jurisdiction, frame).scalar,
                                  eval(*node.domain, frame).scalar};
          const auto cell = tensor_ ? tensor_->find(key) : TensorView::const_iterator{};
          return Value{tensor_ && cell != tensor_->end() ? std::to_string(cell->second) : "1", {}, {}};
        }
      },
      expr.node);
}

bool is_comparison(TBinaryOp op) {
  return op == TBinaryOp::eq || op == TBinaryOp::ne || op == TBinaryOp::lt || op == TBinaryOp::le ||
         op == TBinaryOp::gt || op == TBinaryOp::ge;
}

}  // namespace

EvalResult evaluate(const Program&, const RuleInfo& entry, const std::vector<Value>& args, std::int64_t law_date) {
  EvalResult result;
  Walker walker(law_date, result.trace);
  try {
    result.value = walker.call_rule(entry, entry_args(entry.params, args));
  } catch (const Fault& fault) {
    result.error = EvalError{fault.code, fault.message};
  }
  return result;
}

TestRun run_test(const Program&, const TestInfo& test) {
  TestRun run;
  Walker walker(test.law_date, run.trace);
  walker.set_context("test \"" + test.name + "\"");
  Frame frame(test.body.slot_types.size());
  for (const TTestStatement& statement : test.statements) {
    try {
      if (!statement.is_expect) {
        if (statement.slot >= frame.size()) internal("a test slot outside the frame");
        frame[statement.slot] = walker.eval(*statement.value, frame);
        continue;
      }
      if (truth(walker.eval(*statement.value, frame))) continue;
      run.failed = &statement;
      // Re-evaluating both sides is safe: expressions are pure.
      if (const auto* cmp = std::get_if<TBinary>(&statement.value->node); cmp != nullptr && is_comparison(cmp->op)) {
        std::vector<TraceEvent> scratch;
        Walker sides(test.law_date, scratch);
        run.operands.push_back({sides.eval(*cmp->lhs, frame), cmp->lhs->type});
        run.operands.push_back({sides.eval(*cmp->rhs, frame), cmp->rhs->type});
      }
      return run;
    } catch (const Fault& fault) {
      run.failed = &statement;
      run.error = EvalError{fault.code, fault.message};
      return run;
    }
  }
  run.passed = true;
  return run;
}

namespace {

std::string clause_location(const TClause& clause) {
  return "line " + std::to_string(clause.span.line) + ":" + std::to_string(clause.span.column);
}

// One clause of a running transition; false when it is a requirement that does not hold.
bool run_clause(Walker& walker, const TClause& clause, Frame& frame, TensorView& working, TransitionRun& run,
                const std::string& name) {
  if (clause.kind == ClauseKind::let) {
    if (clause.slot >= frame.size()) internal("a transition slot outside the frame");
    frame[clause.slot] = walker.eval(*clause.value, frame);
    return true;
  }
  if (clause.kind == ClauseKind::require) return truth(walker.eval(*clause.value, frame));
  TensorWrite write;
  write.cell = {walker.eval(*clause.asset, frame).bytes, walker.eval(*clause.jurisdiction, frame).scalar,
                walker.eval(*clause.domain, frame).scalar};
  write.state = std::stoi(walker.eval(*clause.value, frame).scalar);
  write.evidence = walker.eval(*clause.evidence, frame).bytes;
  working[write.cell] = write.state;
  walker.note("write", name, "tensor domain " + write.cell.domain + " := state " + std::to_string(write.state), {});
  run.writes.push_back(std::move(write));
  return true;
}

}  // namespace

TransitionRun run_transition(const Program&, const TransitionInfo& transition, const std::vector<Value>& args,
                             std::int64_t law_date, const TensorView& tensor) {
  TransitionRun run;
  TensorView working;  // the transition's own writes are read back by later clauses
  for (const auto& [cell, state] : tensor) working[{canonical_id(cell.asset), cell.jurisdiction, cell.domain}] = state;
  Walker walker(law_date, run.trace);
  walker.set_context(transition.qualified_name);
  walker.set_tensor(&working);
  walker.note("transition", transition.qualified_name, "", transition.cites);
  Frame frame(transition.body.slot_types.size());
  const TClause* current = nullptr;
  try {
    if (args.size() != transition.params.size() || frame.size() < args.size()) {
      internal(transition.qualified_name + " takes " + std::to_string(transition.params.size()) + " arguments");
    }
    const std::vector<Value> canonical = entry_args(transition.params, args);
    std::copy(canonical.begin(), canonical.end(), frame.begin());
    for (const TClause& clause : transition.clauses) {
      current = &clause;
      if (run_clause(walker, clause, frame, working, run, transition.qualified_name)) continue;
      run.error = EvalError{"requirement", transition.qualified_name + ": the requirement at " + clause_location(clause) +
                                               " does not hold; nothing is written"};
      break;
    }
  } catch (const Fault& fault) {
    run.error = EvalError{fault.code, fault.message};
  }
  if (run.error) {
    run.failed = current;
    run.writes.clear();
  }
  return run;
}

}  // namespace savm::lang
