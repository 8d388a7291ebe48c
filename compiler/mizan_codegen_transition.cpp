// Transitions: clauses in source order. A false `requires` REVERTs with kRevertRequirement, so
// the VM's journal drops every write made before it (the evaluator's "nothing is written"); a
// write is TENSOR_SET, which later TENSOR_GETs of the same execution read back.
#include "compiler/mizan_emitter.h"

namespace savm::compiler {
namespace {

void emit_clause(FunctionEmitter& f, const lang::TClause& clause, const std::string& unmet) {
  f.at(clause.span);
  switch (clause.kind) {
    case lang::ClauseKind::let:
      emit_expr(f, *clause.value);
      f.spill(f.slots().base.at(clause.slot), f.slots().words.at(clause.slot));
      return;
    case lang::ClauseKind::require:
      emit_expr(f, *clause.value);
      f.op("ISZERO");
      f.op("JUMPI", unmet);
      return;
    case lang::ClauseKind::write:
      emit_expr(f, *clause.asset);
      emit_expr(f, *clause.jurisdiction);
      emit_expr(f, *clause.domain);
      emit_expr(f, *clause.value);
      emit_expr(f, *clause.evidence);  // String/EntityId/AssetId: already its SHA-256 word
      f.op("TENSOR_SET");
      return;
  }
}

}  // namespace

std::string emit_transition(ModuleContext& m, const lang::TransitionInfo& transition, const std::string& function_name) {
  FunctionEmitter f(m, function_name, transition.body, transition.span);
  f.comment("transition " + transition.qualified_name);
  f.at(transition.span);
  f.push("0");
  f.op("TRACE", m.cite(trace_text("transition", transition.qualified_name, "", transition.cites)));
  const std::string unmet = f.fresh_label("requirement");
  bool requires_something = false;
  for (const lang::TClause& clause : transition.clauses) {
    emit_clause(f, clause, unmet);
    requires_something = requires_something || clause.kind == lang::ClauseKind::require;
  }
  f.op("RETURN");
  if (requires_something) {
    f.label(unmet);
    f.revert(kRevertRequirement);
  }
  std::uint32_t params = 0;
  for (const lang::TParam& p : transition.params) params += word_count(p.type, transition.span);
  return f.finish(params, 0);
}

}  // namespace savm::compiler
