// Rules and compliance verdicts: version selection by the law date, then the definition
// (default and exceptions). Each version's definition ends in RETURN, so the function is a chain
// of guarded blocks ending in the no_law REVERT.
#include <set>

#include "compiler/mizan_emitter.h"

namespace savm::compiler {
namespace {

std::string interval_text(const std::optional<lang::DayInterval>& in_force) {
  if (!in_force) return "";
  return "in force " + date_text(in_force->from) + " .." + (in_force->to ? " " + date_text(*in_force->to) : "");
}

// Jumps to `skip` unless the law date is inside `in_force` ([from, to)).
void emit_in_force_guard(FunctionEmitter& f, const lang::DayInterval& in_force, const std::string& skip) {
  f.op("LAW_DATE");
  f.push(std::to_string(in_force.from));
  f.op("LT");
  f.op("JUMPI", skip);
  if (!in_force.to) return;
  f.op("LAW_DATE");
  f.push(std::to_string(*in_force.to));
  f.op("GE");
  f.op("JUMPI", skip);
}

void emit_traced_value(FunctionEmitter& f, const std::string& citation, const std::string& marker,
                       const lang::TExpr& value) {
  f.push(marker);
  f.op("TRACE", citation);
  emit_expr(f, value);
  f.op("RETURN");
}

// All conditions are evaluated first (in declaration order, as the evaluator does), then the
// priorities are walked from the highest: one applicable exception in a priority group wins,
// two or more are a conflict, none moves on; the default comes last.
void emit_definition(FunctionEmitter& f, const lang::TDefinition& d, const std::string& name,
                     const std::vector<std::string>& cites) {
  ModuleContext& m = f.module();
  if (d.exceptions.empty()) {
    emit_expr(f, *d.value);
    f.op("RETURN");
    return;
  }
  std::vector<std::uint32_t> condition(d.exceptions.size());
  for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
    condition[i] = f.temp(1, d.exceptions[i].span);
    emit_expr(f, *d.exceptions[i].condition);
    f.op("LOCAL_SET", std::to_string(condition[i]));
  }
  std::set<std::int64_t, std::greater<>> priorities;
  for (const lang::TException& x : d.exceptions) priorities.insert(x.priority);
  std::vector<std::string> target(d.exceptions.size());
  for (std::string& t : target) t = f.fresh_label("exception");
  const std::string conflict = f.fresh_label("conflict");
  bool conflict_used = false;
  for (const std::int64_t p : priorities) {
    std::vector<std::size_t> group;
    for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
      if (d.exceptions[i].priority == p) group.push_back(i);
    }
    if (group.size() > 1) {
      for (std::size_t k = 0; k < group.size(); ++k) {
        f.op("LOCAL_GET", std::to_string(condition[group[k]]));
        if (k > 0) f.op("ADD");
      }
      f.push("1");
      f.op("GT");
      f.op("JUMPI", conflict);
      conflict_used = true;
    }
    for (const std::size_t i : group) {
      f.op("LOCAL_GET", std::to_string(condition[i]));
      f.op("JUMPI", target[i]);
    }
  }
  emit_traced_value(f, m.cite(trace_text("default", name, "", cites)), "0", *d.value);
  for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
    const lang::TException& x = d.exceptions[i];
    f.label(target[i]);
    std::vector<std::string> all = cites;
    all.insert(all.end(), x.cites.begin(), x.cites.end());
    emit_traced_value(f, m.cite(trace_text("exception", name + "." + x.label, "priority " + std::to_string(x.priority), all)),
                      std::to_string(x.priority), *x.value);
  }
  if (conflict_used) {
    f.label(conflict);
    f.revert(kRevertConflict);
  }
}

}  // namespace

std::string emit_rule(ModuleContext& m, const lang::RuleInfo& rule, const std::string& function_name) {
  FunctionEmitter f(m, function_name, rule.body, rule.span);
  f.comment(std::string(rule.kind == lang::RuleKind::compliance ? "compliance " : "rule ") + rule.qualified_name);
  f.at(rule.span);
  bool always = false;
  for (std::size_t v = 0; v < rule.versions.size() && !always; ++v) {
    const lang::TVersion& version = rule.versions[v];
    std::vector<std::string> cites = rule.cites;
    cites.insert(cites.end(), version.cites.begin(), version.cites.end());
    const std::string next = f.fresh_label("version");
    f.at(version.span);
    if (version.in_force) {
      emit_in_force_guard(f, *version.in_force, next);
    } else {
      always = true;
    }
    f.push(std::to_string(v));
    f.op("TRACE", m.cite(trace_text("rule", rule.qualified_name, interval_text(version.in_force), cites)));
    emit_definition(f, version.definition, rule.qualified_name, cites);
    if (!always) f.label(next);
  }
  if (!always) f.revert(kRevertNoLaw);
  std::uint32_t params = 0;
  for (const lang::TParam& p : rule.params) params += word_count(p.type, rule.span);
  return f.finish(params, word_count(rule.result, rule.span));
}

}  // namespace savm::compiler
