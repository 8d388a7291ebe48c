// Declarations: records and enums (two passes, so that fields may name types declared later or
// in another pack), rule and table signatures, then rule bodies (versions, defaults and
// exceptions) and tests. Triggers have no back end yet: skipped with M0121.
#include <algorithm>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

std::string qualify(const Scope& s, const std::string& name) { return s.id + "." + name; }

bool declare_name(Checker& ck, Scope& s, const Name& name) {
  const auto [it, fresh] = s.declared.emplace(name.text, name.span);
  if (!fresh) {
    ck.error("M0103", name.span, "'" + name.text + "' is declared twice in pack " + s.id,
             "the first declaration is on line " + std::to_string(it->second.line));
  }
  return fresh;
}

void declare_enum(Checker& ck, Scope& s, const EnumDecl& d) {
  auto info = std::make_unique<EnumInfo>();
  info->qualified_name = qualify(s, d.name.text);
  info->span = d.name.span;
  for (const Name& v : d.variants) {
    if (std::find(info->variants.begin(), info->variants.end(), v.text) != info->variants.end()) {
      ck.error("M0103", v.span, "the variant '" + v.text + "' is listed twice");
    }
    info->variants.push_back(v.text);
  }
  s.enums[d.name.text] = info.get();
  ck.program->enums.push_back(std::move(info));
}

void declare_record(Checker& ck, Scope& s, const RecordDecl& d) {
  auto info = std::make_unique<RecordInfo>();
  info->qualified_name = qualify(s, d.name.text);
  info->span = d.name.span;
  s.records[d.name.text] = info.get();
  ck.program->records.push_back(std::move(info));
}

void resolve_fields(Checker& ck, Scope& s, const RecordDecl& d) {
  auto* info = const_cast<RecordInfo*>(s.records.at(d.name.text));
  for (const Param& f : d.fields) {
    const bool twice = std::any_of(info->fields.begin(), info->fields.end(), [&](const FieldInfo& x) { return x.name == f.name.text; });
    if (twice) ck.error("M0103", f.name.span, "the field '" + f.name.text + "' is declared twice");
    auto type = resolve_type(ck, s, f.type);
    info->fields.push_back({f.name.text, type ? *type : Type{}});
  }
}

void declare_rule(Checker& ck, Scope& s, const Decl& decl, const RuleDecl& d) {
  auto info = std::make_unique<RuleInfo>();
  info->qualified_name = qualify(s, d.name.text);
  info->pack_id = s.id;
  info->kind = d.kind;
  bool ok = true;
  info->params = resolve_params(ck, s, d.params, ok);
  auto result = resolve_type(ck, s, d.result);
  if (result) info->result = *result;
  if (d.kind == RuleKind::compliance && result && result->base != BaseType::state) {
    ck.error("M0120", d.result.span, "a compliance verdict returns State, not " + to_string(*result));
  }
  info->cites = cite_texts(d.cites);
  info->doc = decl.doc;
  info->span = d.name.span;
  s.rules[d.name.text] = info.get();
  ck.program->rules.push_back(std::move(info));
}

void declare_table(Checker& ck, Scope& s, const Decl& decl, const TableDecl& d) {
  auto info = std::make_unique<TableInfo>();
  info->qualified_name = qualify(s, d.name.text);
  info->pack_id = s.id;
  bool ok = true;
  info->params = resolve_params(ck, s, d.params, ok);
  auto result = resolve_type(ck, s, d.result);
  info->result = result ? *result : Type{};
  for (const Name& c : d.columns) info->columns.push_back(c.text);
  if (!d.columns.empty()) {
    auto columns = std::make_unique<RecordInfo>();
    columns->qualified_name = info->qualified_name + ".columns";
    columns->span = d.name.span;
    for (const Name& c : d.columns) {
      if (std::any_of(columns->fields.begin(), columns->fields.end(), [&](const FieldInfo& f) { return f.name == c.text; })) {
        ck.error("M0103", c.span, "the column '" + c.text + "' is listed twice");
      }
      columns->fields.push_back({c.text, info->result});
    }
    info->column_record = columns.get();
    info->result = record_type(columns.get());
    ck.program->records.push_back(std::move(columns));
  }
  info->cites = cite_texts(d.cites);
  info->doc = decl.doc;
  info->span = d.name.span;
  s.tables[d.name.text] = info.get();
  ck.program->tables.push_back(std::move(info));
}

void skip(Checker& ck, const Decl& decl, const char* what) {
  ck.warning("M0121", decl.span, std::string(what) + " declarations are not checked yet; this one is skipped",
             "no back end runs them yet");
}

}  // namespace

std::vector<TParam> resolve_params(Checker& ck, const Scope& s, const std::vector<Param>& params, bool& ok) {
  std::vector<TParam> out;
  for (const Param& p : params) {
    const bool twice = std::any_of(out.begin(), out.end(), [&](const TParam& x) { return x.name == p.name.text; });
    if (twice) ck.error("M0103", p.name.span, "the parameter '" + p.name.text + "' is declared twice");
    auto type = resolve_type(ck, s, p.type);
    ok = ok && type && !twice;
    out.push_back({p.name.text, type ? *type : Type{}});
  }
  return out;
}

std::vector<std::string> cite_texts(const std::vector<Citation>& cites) {
  std::vector<std::string> out;
  for (const Citation& c : cites) out.push_back(c.text);
  return out;
}

void declare_types(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      if (const auto* r = std::get_if<RecordDecl>(&decl.node); r && declare_name(ck, *s, r->name)) declare_record(ck, *s, *r);
      if (const auto* e = std::get_if<EnumDecl>(&decl.node); e && declare_name(ck, *s, e->name)) declare_enum(ck, *s, *e);
    }
  }
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      const auto* r = std::get_if<RecordDecl>(&decl.node);
      if (r && s->records.count(r->name.text) && s->records.at(r->name.text)->span == r->name.span) resolve_fields(ck, *s, *r);
    }
  }
}

void declare_functions(Checker& ck) {
  for (Scope* s : ck.order) {
    for (const Decl& decl : s->pack->decls) {
      if (const auto* r = std::get_if<RuleDecl>(&decl.node); r && declare_name(ck, *s, r->name)) declare_rule(ck, *s, decl, *r);
      if (const auto* t = std::get_if<TableDecl>(&decl.node); t && declare_name(ck, *s, t->name)) declare_table(ck, *s, decl, *t);
      if (const auto* t = std::get_if<TransitionDecl>(&decl.node); t && declare_name(ck, *s, t->name)) {
        declare_transition(ck, *s, decl, *t);
      }
      if (std::holds_alternative<TriggerDecl>(decl.node)) skip(ck, decl, "trigger");
    }
  }
}

}  // namespace savm::lang::checking
