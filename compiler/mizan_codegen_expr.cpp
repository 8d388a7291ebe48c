// Expressions: each TExpr leaves its value's words on the operand stack, in layout order
// (compiler/mizan_layout.h). Arithmetic is the VM's checked arithmetic, so int256 overflow and
// division by zero are the VM's own faults, exactly where the evaluator reports them.
#include <optional>
#include <type_traits>

#include "compiler/mizan_emitter.h"
#include "compiler/mizan_fold.h"
#include "compiler/mizan_layout.h"
#include "vm/word.h"

namespace savm::compiler {
namespace {

using lang::TExpr;

// A constant outside int256 (a literal, or one the checker widened to a Decimal) is the fault
// `overflow` where it is evaluated, as in the evaluator: the code computes 2^255-1 + 1, which the
// VM's checked ADD faults on. Anything else that is not a decimal integer is a compiler bug.
void push_constant(FunctionEmitter& f, const std::string& value, const lang::SourceSpan& span) {
  if (vm::Word::from_decimal(value)) {
    f.push(value);
    return;
  }
  const std::string digits = !value.empty() && value.front() == '-' ? value.substr(1) : value;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    throw CompileError({"C0006", lang::Severity::error, span, "internal compiler error: constant '" + value + "' is not an integer", ""});
  }
  f.comment("constant " + value + " is outside int256: the overflow fault");
  f.push(vm::Word::max().to_decimal());
  f.push("1");
  f.op("ADD");
}

std::uint32_t words_of(const TExpr& e) { return word_count(e.type, e.span); }

// Word offset of field `index` inside a record of type `record`.
std::uint32_t field_offset(const lang::RecordInfo& record, std::uint32_t index, const lang::SourceSpan& span) {
  std::uint32_t offset = 0;
  for (std::uint32_t i = 0; i < index; ++i) offset += word_count(record.fields[i].type, span);
  return offset;
}

// The first local of a variable or of a field path into one (p.payee.kind), so it can be read
// without building the whole record on the stack.
std::optional<std::uint32_t> local_place(FunctionEmitter& f, const TExpr& e) {
  if (const auto* v = std::get_if<lang::Var>(&e.node)) return f.slots().base.at(v->slot);
  if (const auto* g = std::get_if<lang::FieldGet>(&e.node)) {
    const auto base = local_place(f, *g->object);
    if (!base) return std::nullopt;
    return *base + field_offset(*g->object->type.record, g->field, e.span);
  }
  return std::nullopt;
}

void emit_field(FunctionEmitter& f, const TExpr& e, const lang::FieldGet& g) {
  const std::uint32_t words = words_of(e);
  if (const auto base = local_place(f, e)) return f.load(*base, words);
  const std::uint32_t all = words_of(*g.object);
  const std::uint32_t tmp = f.temp(all, e.span);
  emit_expr(f, *g.object);
  f.spill(tmp, all);
  f.load(tmp + field_offset(*g.object->type.record, g.field, e.span), words);
}

// Equality of flattened values: word by word, all equal. A list's word is its block's offset,
// not its contents, so records holding lists are not compared (the checker already rejects ==
// on lists themselves).
void emit_equal(FunctionEmitter& f, const lang::TBinary& b, const lang::SourceSpan& span) {
  if (holds_list(b.lhs->type)) {
    throw CompileError({"C0001", lang::Severity::warning, span,
                        "equality of " + lang::qualified_type_name(b.lhs->type) + ", which holds a list, is not compiled", ""});
  }
  const std::uint32_t words = words_of(*b.lhs);
  emit_expr(f, *b.lhs);
  if (words == 1) {
    emit_expr(f, *b.rhs);
    f.op("EQ");
    return;
  }
  const std::uint32_t lhs = f.temp(words, span);
  f.spill(lhs, words);
  const std::uint32_t rhs = f.temp(words, span);
  emit_expr(f, *b.rhs);
  f.spill(rhs, words);
  for (std::uint32_t i = 0; i < words; ++i) {
    f.op("LOCAL_GET", std::to_string(lhs + i));
    f.op("LOCAL_GET", std::to_string(rhs + i));
    f.op("EQ");
    if (i > 0) f.op("AND");
  }
}

// and/or short-circuit like the evaluator: the right operand (which may fault) runs only when
// the left one does not decide.
void emit_logical(FunctionEmitter& f, const lang::TBinary& b, bool is_and) {
  if (f.module().options().fold_constants && fold_constant(*b.lhs)) {
    // A constant left operand that decides was folded with the whole expression (emit_expr);
    // one that does not decide leaves the right operand as the value.
    return emit_expr(f, *b.rhs);
  }
  const std::string done = f.fresh_label(is_and ? "and" : "or");
  emit_expr(f, *b.lhs);
  f.op("DUP", "1");
  if (is_and) f.op("ISZERO");
  f.op("JUMPI", done);
  f.op("POP");
  emit_expr(f, *b.rhs);
  f.label(done);
}

void emit_binary(FunctionEmitter& f, const TExpr& e, const lang::TBinary& b) {
  using lang::TBinaryOp;
  switch (b.op) {
    case TBinaryOp::eq: return emit_equal(f, b, e.span);
    case TBinaryOp::ne: emit_equal(f, b, e.span); return f.op("ISZERO");
    case TBinaryOp::logical_and: return emit_logical(f, b, true);
    case TBinaryOp::logical_or: return emit_logical(f, b, false);
    default: break;
  }
  emit_expr(f, *b.lhs);
  emit_expr(f, *b.rhs);
  switch (b.op) {
    case TBinaryOp::add: return f.op("ADD");
    case TBinaryOp::sub: return f.op("SUB");
    case TBinaryOp::mul: return f.op("MUL");
    case TBinaryOp::lt: return f.op("LT");
    case TBinaryOp::le: return f.op("LE");
    case TBinaryOp::gt: return f.op("GT");
    case TBinaryOp::ge: return f.op("GE");
    case TBinaryOp::min: return f.op("MIN");
    case TBinaryOp::max: return f.op("MAX");
    default: return;
  }
}

void emit_rescale(FunctionEmitter& f, const TExpr& e, const lang::Rescale& r) {
  if (r.exponent < 0 || r.exponent > 76) {
    throw CompileError({"C0004", lang::Severity::warning, e.span,
                        "rescale by 10^" + std::to_string(r.exponent) + " (only 10^0..10^76 are words)", ""});
  }
  emit_expr(f, *r.operand);
  if (r.exponent == 0) return;
  f.push("1" + std::string(static_cast<std::size_t>(r.exponent), '0'));
  f.op("MUL");
}

constexpr const char* kRoundingNames[] = {"floor", "ceil", "toward_zero", "half_up", "half_even", "half_down"};

// round_mode(a × b / (divisor × quantum)) × quantum, with MULDIV's 512-bit intermediate.
// Folded, only the arithmetic goes: the rounding's TRACE event stays, so the receipt explains
// the same steps.
void emit_rounded(FunctionEmitter& f, const TExpr& e, const lang::Rounded& r) {
  const bool unit = r.quantum == "1";
  const auto folded = f.module().options().fold_constants ? fold_rounded(r) : std::nullopt;
  if (folded) {
    push_constant(f, *folded, e.span);
  } else {
    emit_expr(f, *r.a);
    emit_expr(f, *r.b);
    emit_expr(f, *r.divisor);
    if (!unit) {
      push_constant(f, r.quantum, e.span);
      f.op("MUL");
    }
    f.op("MULDIV", kRoundingNames[static_cast<int>(r.mode)]);
    if (!unit) {
      push_constant(f, r.quantum, e.span);
      f.op("MUL");
    }
  }
  std::vector<std::string> cites;
  if (r.citation) cites.push_back(*r.citation);
  f.op("DUP", "1");
  f.op("TRACE", f.module().cite(trace_text("rounding", f.module().location(e.span),
                                           std::string("to ") + r.quantum + " " + kRoundingNames[static_cast<int>(r.mode)],
                                           cites)));
}

// An `if` on a constant is only its taken branch (the other is dead code).
void emit_if(FunctionEmitter& f, const lang::TIf& i) {
  if (f.module().options().fold_constants) {
    if (const auto condition = fold_constant(*i.condition)) {
      return emit_expr(f, *(*condition != "0" ? i.then_branch : i.else_branch));
    }
  }
  const std::string then_label = f.fresh_label("then");
  const std::string end_label = f.fresh_label("endif");
  emit_expr(f, *i.condition);
  f.op("JUMPI", then_label);
  emit_expr(f, *i.else_branch);
  f.op("JUMP", end_label);
  f.label(then_label);
  emit_expr(f, *i.then_branch);
  f.label(end_label);
}

void emit_let(FunctionEmitter& f, const lang::TLet& l) {
  emit_expr(f, *l.value);
  f.spill(f.slots().base.at(l.slot), f.slots().words.at(l.slot));
  emit_expr(f, *l.body);
}

// A Duration argument is (months, days); add_months takes the months, add_days the days.
void emit_duration_part(FunctionEmitter& f, const TExpr& e, bool months) {
  emit_expr(f, e);
  if (e.type.base != lang::BaseType::duration) return;
  if (months) {
    f.op("POP");
  } else {
    f.op("SWAP", "1");
    f.op("POP");
  }
}

void emit_builtin(FunctionEmitter& f, const lang::BuiltinCall& c) {
  using lang::Builtin;
  switch (c.fn) {
    case Builtin::law_date: return f.op("LAW_DATE");
    case Builtin::add_days:
      emit_expr(f, *c.args.at(0));
      emit_duration_part(f, *c.args.at(1), false);
      return f.op("ADD");
    case Builtin::days_between:  // b − a, operands evaluated in source order
      emit_expr(f, *c.args.at(0));
      emit_expr(f, *c.args.at(1));
      f.op("SWAP", "1");
      return f.op("SUB");
    case Builtin::add_months:
      emit_expr(f, *c.args.at(0));
      emit_duration_part(f, *c.args.at(1), true);
      return f.op("CALL", f.module().require_helper("h.add_months"));
    case Builtin::year_of:
    case Builtin::month_of:
    case Builtin::day_of:
      emit_expr(f, *c.args.at(0));
      f.op("CALL", f.module().require_helper("h.civil"));  // (year month day)
      if (c.fn == Builtin::year_of) {
        f.op("POP");
        f.op("POP");
      } else if (c.fn == Builtin::month_of) {
        f.op("POP");
        f.op("SWAP", "1");
        f.op("POP");
      } else {
        f.op("SWAP", "2");
        f.op("POP");
        f.op("POP");
      }
      return;
    case Builtin::size: return emit_list_size(f, *c.args.at(0));
  }
}

void emit_string(FunctionEmitter& f, const lang::StringConst& s, const lang::Type& type) {
  f.push("0x" + text_bytes(type, s.bytes).hex());
}

// Operators over constants (and an `if` on a constant whose branch is one) are folded to
// the constant, when no step faults (compiler/mizan_fold.h).
bool folds(const TExpr& e) {
  return std::holds_alternative<lang::TUnary>(e.node) || std::holds_alternative<lang::TBinary>(e.node) ||
         std::holds_alternative<lang::Rescale>(e.node) || std::holds_alternative<lang::TIf>(e.node);
}

}  // namespace

void emit_expr(FunctionEmitter& f, const TExpr& e) {
  f.at(e.span);
  if (f.module().options().fold_constants && folds(e)) {
    if (const auto value = fold_constant(e)) return push_constant(f, *value, e.span);
  }
  std::visit(
      [&](const auto& n) {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, lang::Const>) {
          push_constant(f, n.value, e.span);
        } else if constexpr (std::is_same_v<N, lang::StringConst>) {
          emit_string(f, n, e.type);
        } else if constexpr (std::is_same_v<N, lang::DurationConst>) {
          push_constant(f, n.months, e.span);
          push_constant(f, n.days, e.span);
        } else if constexpr (std::is_same_v<N, lang::Var>) {
          f.load(f.slots().base.at(n.slot), f.slots().words.at(n.slot));
        } else if constexpr (std::is_same_v<N, lang::FieldGet>) {
          emit_field(f, e, n);
        } else if constexpr (std::is_same_v<N, lang::RecordMake>) {
          for (const lang::TExprPtr& field : n.fields) emit_expr(f, *field);
        } else if constexpr (std::is_same_v<N, lang::RuleCall>) {
          const std::string callee = f.module().require(*n.rule);
          for (const lang::TExprPtr& arg : n.args) emit_expr(f, *arg);
          f.op("CALL", callee);
        } else if constexpr (std::is_same_v<N, lang::TableCall>) {
          const std::string callee = f.module().require(*n.table);
          for (const lang::TExprPtr& arg : n.args) emit_expr(f, *arg);
          f.op("CALL", callee);
        } else if constexpr (std::is_same_v<N, lang::TUnary>) {
          emit_expr(f, *n.operand);
          f.op(n.op == lang::TUnaryOp::negate ? "NEG" : "ISZERO");
        } else if constexpr (std::is_same_v<N, lang::TBinary>) {
          emit_binary(f, e, n);
        } else if constexpr (std::is_same_v<N, lang::Rescale>) {
          emit_rescale(f, e, n);
        } else if constexpr (std::is_same_v<N, lang::Rounded>) {
          emit_rounded(f, e, n);
        } else if constexpr (std::is_same_v<N, lang::TIf>) {
          emit_if(f, n);
        } else if constexpr (std::is_same_v<N, lang::TLet>) {
          emit_let(f, n);
        } else if constexpr (std::is_same_v<N, lang::BuiltinCall>) {
          emit_builtin(f, n);
        } else if constexpr (std::is_same_v<N, lang::TensorRead>) {
          emit_expr(f, *n.asset);
          emit_expr(f, *n.jurisdiction);
          emit_expr(f, *n.domain);
          f.op("TENSOR_GET");
        } else if constexpr (std::is_same_v<N, lang::ListMake>) {
          emit_list_make(f, e, n);
        } else if constexpr (std::is_same_v<N, lang::Iterate>) {
          emit_iterate(f, e, n);
        }
      },
      e.node);
}

}  // namespace savm::compiler
