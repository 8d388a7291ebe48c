// Transitions: the one declaration that writes (docs/mizan.md, "Transitions"). The signature is
// declared with the rules; the clauses are checked in order in one environment, after every rule
// signature is known: `requires` takes a Bool, `let` binds a name for the clauses after it, and
// `writes tensor(asset, jurisdiction, domain) := state evidence id` is the only write target. The
// evidence is required: a compliance state nobody can trace to a document or an attestation is
// exactly what the tensor must not hold (the VM faults on a zero evidence digest).
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

bool is_evidence_type(const Type& t) {
  return t.base == BaseType::string || t.base == BaseType::entity_id || t.base == BaseType::asset_id;
}

// The target must spell a tensor cell; it is checked as the read it looks like, and the read's
// operands become the write's.
bool names_tensor(const Expr& target) {
  const auto* call = std::get_if<Call>(&target.node);
  const auto* callee = call ? std::get_if<NameRef>(&call->callee->node) : nullptr;
  return callee != nullptr && callee->name == "tensor";
}

bool write_target(Env& env, const TransitionClause& c, TClause& out) {
  if (!names_tensor(*c.target)) {
    env.ck.error("M0127", c.target->span, "a transition writes tensor(asset, jurisdiction, domain) cells, not this expression",
                 "storage, attestation, log and migration writes are not supported yet");
    return false;
  }
  TExprPtr target = check_expr(env, *c.target, nullptr);
  if (!target) return false;
  auto* cell = std::get_if<TensorRead>(&target->node);
  if (cell == nullptr) return false;  // a local named tensor shadows the builtin: reported as a call error
  out.asset = std::move(cell->asset);
  out.jurisdiction = std::move(cell->jurisdiction);
  out.domain = std::move(cell->domain);
  return true;
}

bool evidence(Env& env, const TransitionClause& c, TClause& out) {
  if (!c.evidence) {
    env.ck.error("M0128", c.span, "a tensor write needs evidence",
                 "add `evidence E` (a String, EntityId or AssetId): the document or attestation behind the state");
    return false;
  }
  out.evidence = check_expr(env, *c.evidence, nullptr);
  if (!out.evidence) return false;
  if (!is_evidence_type(out.evidence->type)) {
    env.ck.error("M0104", c.evidence->span, "expected a String, EntityId or AssetId as evidence, found " + to_string(out.evidence->type),
                 "the evidence is recorded as the SHA-256 of its bytes");
    return false;
  }
  return true;
}

// One clause; an unusable one is reported and left out (the transition is then not runnable, but
// the clauses after it are still checked, so one run reports every error).
void check_clause(Env& env, const TransitionClause& c, TransitionInfo& info) {
  TClause out;
  out.kind = c.kind;
  out.span = c.span;
  bool ok = true;
  switch (c.kind) {
    case ClauseKind::require:
      out.value = expect_type(env, *c.value, simple(BaseType::boolean));
      ok = out.value != nullptr;
      break;
    case ClauseKind::let:
      out.value = check_expr(env, *c.value, nullptr);
      // Bound even when the value is in error, so later clauses do not report it as unknown.
      out.slot = env.bind(c.name ? c.name->text : "", out.value ? out.value->type : Type{});
      ok = out.value != nullptr;
      break;
    case ClauseKind::write:
      ok = write_target(env, c, out);
      out.value = expect_type(env, *c.value, simple(BaseType::state));
      ok = evidence(env, c, out) && ok && out.value != nullptr;
      break;
  }
  if (ok) info.clauses.push_back(std::move(out));
}

}  // namespace

void declare_transition(Checker& ck, Scope& s, const Decl& decl, const TransitionDecl& d) {
  auto info = std::make_unique<TransitionInfo>();
  info->qualified_name = s.id + "." + d.name.text;
  info->pack_id = s.id;
  bool ok = true;
  info->params = resolve_params(ck, s, d.params, ok);
  info->cites = cite_texts(d.cites);
  info->doc = decl.doc;
  info->span = d.name.span;
  s.transitions[d.name.text] = info.get();
  ck.program->transitions.push_back(std::move(info));
}

void check_transition_bodies(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      const auto* d = std::get_if<TransitionDecl>(&decl.node);
      if (!d) continue;
      const auto it = s->transitions.find(d->name.text);
      if (it == s->transitions.end() || it->second->span != d->name.span) continue;
      TransitionInfo& info = *it->second;
      Env env = function_env(ck, *s, info.body, info.params, info.qualified_name);
      for (const TransitionClause& c : d->clauses) check_clause(env, c, info);
    }
  }
}

}  // namespace savm::lang::checking
