// Rule bodies and tests. A rule's versions are checked in one environment (one FunctionBody:
// parameters first, then every let and lambda parameter of every version, in source order) and
// sorted by their start date; exceptions are sorted by priority, highest first.
#include <algorithm>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

// Priorities are digits (the parser guarantees it); 18 of them fit an int64.
std::optional<std::int64_t> priority(Checker& ck, const ExceptionClause& x) {
  const std::string digits = strip_zeros(x.priority);
  if (digits.size() > 18) {
    ck.error("M0126", x.span, "the priority " + x.priority + " is too large", "priorities are below 10^18");
    return std::nullopt;
  }
  return std::stoll(digits);
}

// Two exceptions of one definition at one priority: a runtime conflict whenever both conditions
// hold. The checker does not try to prove the conditions exclusive, so it rejects every tie.
void check_ties(Checker& ck, const Definition& d, const std::vector<TException>& exceptions) {
  for (std::size_t i = 1; i < exceptions.size(); ++i) {
    if (exceptions[i].priority != exceptions[i - 1].priority) continue;
    const auto& later = exceptions[i].span.begin > exceptions[i - 1].span.begin ? exceptions[i] : exceptions[i - 1];
    const auto& earlier = &later == &exceptions[i] ? exceptions[i - 1] : exceptions[i];
    ck.error("M0119", later.span, "exceptions '" + earlier.label + "' and '" + later.label + "' have the same priority " +
             std::to_string(later.priority), "give them different priorities: when both apply, the higher one wins");
  }
  (void)d;
}

std::optional<TDefinition> definition(Env& env, const Definition& d, const Type& result) {
  TDefinition out;
  out.value = expect_type(env, *d.value, result);
  bool ok = out.value != nullptr;
  for (const ExceptionClause& x : d.exceptions) {
    TException t;
    t.label = x.label.text;
    const auto p = priority(env.ck, x);
    t.cites = cite_texts(x.cites);
    t.condition = expect_type(env, *x.condition, simple(BaseType::boolean));
    t.value = expect_type(env, *x.value, result);
    t.span = x.span;
    ok = ok && p && t.condition && t.value;
    t.priority = p.value_or(0);
    out.exceptions.push_back(std::move(t));
  }
  std::stable_sort(out.exceptions.begin(), out.exceptions.end(),
                   [](const TException& a, const TException& b) { return a.priority > b.priority; });
  check_ties(env.ck, d, out.exceptions);
  if (!ok) return std::nullopt;
  return out;
}

// The sanctions verdict (a compliance declaration named after the `sanctions` domain) has no
// exceptions: a listing is a listing, and no priority may turn a match into a pass (MIZAN.md 8).
void check_sanctions_not_overridden(Checker& ck, const RuleDecl& d) {
  if (d.kind != RuleKind::compliance || d.name.text != "sanctions") return;
  for (const Version& v : d.versions) {
    for (const ExceptionClause& x : v.definition.exceptions) {
      ck.error("M0129", x.span, "the sanctions verdict cannot be overridden: exception '" + x.label.text + "' is not allowed",
               "screen with the list itself (a match is non_compliant); exempt parties belong in the list's data");
    }
  }
}

void check_rule(Checker& ck, const Scope& s, const RuleDecl& d, RuleInfo& info) {
  check_sanctions_not_overridden(ck, d);
  Env env = function_env(ck, s, info.body, info.params, info.qualified_name);
  for (const Version& v : d.versions) {
    auto def = definition(env, v.definition, info.result);
    if (!def) continue;
    TVersion t;
    if (v.in_force) t.in_force = day_interval(*v.in_force);
    t.cites = cite_texts(v.cites);
    t.definition = std::move(*def);
    t.span = v.span;
    info.versions.push_back(std::move(t));
  }
  std::stable_sort(info.versions.begin(), info.versions.end(), [](const TVersion& a, const TVersion& b) {
    return (a.in_force ? a.in_force->from : INT64_MIN) < (b.in_force ? b.in_force->from : INT64_MIN);
  });
}

void check_test(Checker& ck, const Scope& s, const TestDecl& d, const SourceSpan& span) {
  TestInfo t;
  t.pack_id = s.id;
  t.name = d.name;
  t.law_date = days_from_civil(d.law_date);
  t.span = span;
  Env env{ck, s, t.body, "", {}};
  for (const TestStatement& st : d.statements) {
    TTestStatement out;
    out.is_expect = st.is_expect;
    out.span = st.span;
    if (st.is_expect) {
      out.value = expect_type(env, *st.value, simple(BaseType::boolean));
    } else {
      out.value = check_expr(env, *st.value, nullptr);
      if (out.value) out.slot = env.bind(st.name ? st.name->text : "", out.value->type);
    }
    t.statements.push_back(std::move(out));
  }
  ck.program->tests.push_back(std::move(t));
}

}  // namespace

Env function_env(Checker& ck, const Scope& s, FunctionBody& body, const std::vector<TParam>& params, std::string owner) {
  Env env{ck, s, body, std::move(owner), {}};
  for (const TParam& p : params) env.bind(p.name, p.type);
  return env;
}

void check_rule_bodies(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      const auto* r = std::get_if<RuleDecl>(&decl.node);
      if (!r) continue;
      const auto it = s->rules.find(r->name.text);
      if (it != s->rules.end() && it->second->span == r->name.span) check_rule(ck, *s, *r, *it->second);
    }
  }
}

void check_tests(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      if (const auto* t = std::get_if<TestDecl>(&decl.node)) check_test(ck, *s, *t, decl.span);
    }
  }
}

}  // namespace savm::lang::checking
