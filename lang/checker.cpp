// The checker's driver: collects the packs and their `use`s, orders packs dependencies first,
// then runs the phases (declare types, declare rules and tables, check bodies, check the
// whole-program properties). The Program is returned only when no error was found.
#include "lang/checker.h"

#include <algorithm>
#include <functional>

#include "lang/check_context.h"
#include "vm/edit_distance.h"

namespace savm::lang {
namespace checking {

void Checker::error(const char* code, const SourceSpan& span, std::string message, std::string hint) {
  diagnostics.push_back(Diagnostic{code, Severity::error, span, std::move(message), std::move(hint)});
}

void Checker::warning(const char* code, const SourceSpan& span, std::string message, std::string hint) {
  diagnostics.push_back(Diagnostic{code, Severity::warning, span, std::move(message), std::move(hint)});
}

std::uint32_t Env::bind(const std::string& name, const Type& type) {
  const auto slot = static_cast<std::uint32_t>(body.slot_types.size());
  body.slot_types.push_back(type);
  locals.emplace_back(name, slot);
  return slot;
}

std::optional<std::uint32_t> Env::lookup(const std::string& name) const {
  for (auto it = locals.rbegin(); it != locals.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    const std::size_t d = vm::edit_distance(name, c);
    if (d == 0 || d > limit) continue;
    if (!best || d < best_distance || (d == best_distance && c < *best)) {
      best = &c;
      best_distance = d;
    }
  }
  return best ? "did you mean '" + *best + "'?" : "";
}

namespace {

void collect_packs(Checker& ck, const std::vector<const Pack*>& packs, const std::vector<const SourceFile*>& files) {
  for (std::size_t i = 0; i < packs.size(); ++i) {
    const std::string id = packs[i]->id.text();
    if (ck.scopes.count(id)) {
      ck.error("M0102", packs[i]->id.span, "pack " + id + " is declared twice in this workspace");
      continue;
    }
    Scope& s = ck.scopes[id];
    s.pack = packs[i];
    s.id = id;
    s.file = i < files.size() ? files[i]->id : packs[i]->span.file;
    if (packs[i]->horizon) s.horizon = day_interval(*packs[i]->horizon);
  }
}

void collect_uses(Checker& ck) {
  for (auto& [id, s] : ck.scopes) {
    for (const UseDecl& u : s.pack->uses) {
      const std::string target = u.id.text();
      const std::string alias = u.alias ? u.alias->text : u.id.parts.back().text;
      if (!ck.scopes.count(target)) {
        std::vector<std::string> ids;
        for (const auto& [other, o] : ck.scopes) ids.push_back(other);
        // A library pack (stdlib) outside the workspace is found only through MIZAN_PATH.
        std::string hint = did_you_mean(target, ids);
        if (hint.empty()) hint = "a library pack outside this directory is found through MIZAN_PATH (e.g. MIZAN_PATH=stdlib)";
        ck.error("M0102", u.id.span, "no pack " + target + " in this workspace", hint);
      } else if (s.aliases.count(alias)) {
        ck.error("M0103", u.span, "the alias '" + alias + "' is used twice");
      } else {
        s.aliases[alias] = target;
      }
    }
  }
}

// Dependencies before dependents, in input order otherwise; a cycle of uses is M0122.
void order_packs(Checker& ck, const std::vector<const Pack*>& packs) {
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<void(Scope&)> visit = [&](Scope& s) {
    if (state[s.id] == 2) return;
    if (state[s.id] == 1) {
      ck.error("M0122", s.pack->id.span, "pack " + s.id + " uses itself through its `use`s",
               "packs form a hierarchy; move the shared declarations into a pack both use");
      return;
    }
    state[s.id] = 1;
    for (const auto& [alias, target] : s.aliases) visit(ck.scopes.at(target));
    state[s.id] = 2;
    ck.order.push_back(&s);
  };
  for (const Pack* p : packs) {
    const auto it = ck.scopes.find(p->id.text());
    if (it != ck.scopes.end() && it->second.pack == p) visit(it->second);
  }
}

void record_packs(Checker& ck) {
  for (const Scope* s : ck.order) {
    PackInfo info;
    info.id = s->id;
    info.kind = s->pack->kind;
    info.title = s->pack->title;
    if (s->pack->jurisdiction) info.jurisdiction = s->pack->jurisdiction->text();
    info.version = s->pack->version;
    info.source = s->pack->source;
    info.horizon = s->horizon;
    for (const auto& [alias, target] : s->aliases) info.uses.push_back(target);
    info.file = s->file;
    ck.program->packs.push_back(std::move(info));
  }
}

}  // namespace
}  // namespace checking

CheckResult check(const std::vector<const Pack*>& packs, const std::vector<const SourceFile*>& files) {
  checking::Checker ck;
  checking::collect_packs(ck, packs, files);
  checking::collect_uses(ck);
  checking::order_packs(ck, packs);
  checking::record_packs(ck);
  checking::declare_types(ck);
  checking::declare_functions(ck);
  checking::check_rule_bodies(ck);
  checking::check_table_bodies(ck);
  checking::check_transition_bodies(ck);
  checking::check_tests(ck);
  if (!has_errors(ck.diagnostics)) {
    checking::check_recursion(ck);
    checking::check_rule_intervals(ck);
    checking::check_table_intervals(ck);
    checking::check_table_completeness(ck);
  }
  // In source order, so that a reader meets them as in the files (the phases found them in
  // another order).
  std::stable_sort(ck.diagnostics.begin(), ck.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.span.file != b.span.file ? a.span.file < b.span.file : a.span.begin < b.span.begin;
  });
  CheckResult result;
  if (!has_errors(ck.diagnostics)) result.program = std::move(ck.program);
  result.diagnostics = std::move(ck.diagnostics);
  return result;
}

}  // namespace savm::lang
