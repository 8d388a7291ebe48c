// A structural dump of the Mizan AST that leaves out every span: two packs have the same dump
// exactly when they say the same thing, however they are laid out. The formatter tests compare
// parse(x) with parse(format(x)) through it.
#pragma once

#include <string>
#include <variant>

#include "lang/ast.h"

namespace savm::lang::test {

class AstDump {
 public:
  std::string pack(const Pack& p) {
    out_ = "pack " + std::string(to_string(p.kind)) + " " + p.id.text();
    opt("title", p.title);
    if (p.jurisdiction) out_ += " jurisdiction " + p.jurisdiction->text();
    opt("version", p.version);
    opt("source", p.source);
    if (p.horizon) interval(*p.horizon);
    out_ += " doc[" + p.doc + "]\n";
    for (const UseDecl& u : p.uses) {
      out_ += "use " + (u.kind ? std::string(to_string(*u.kind)) : "-") + " " + u.id.text() + " " +
              (u.alias ? u.alias->text : "-") + "\n";
    }
    for (const Decl& d : p.decls) {
      out_ += "doc[" + d.doc + "] ";
      std::visit([this](const auto& node) { decl(node); }, d.node);
      out_ += "\n";
    }
    return out_;
  }

 private:
  void opt(const char* what, const std::optional<std::string>& s) {
    if (s) out_ += std::string(" ") + what + " [" + *s + "]";
  }
  void interval(const Interval& i) {
    out_ += " in-force " + lang::to_string(i.from) + ".." + (i.to ? lang::to_string(*i.to) : "");
  }
  void interval(const std::optional<Interval>& i) {
    if (i) interval(*i);
  }
  void cites(const std::vector<Citation>& list) {
    for (const Citation& c : list) out_ += " cite[" + c.text + "]";
  }
  void type(const TypeExpr& t) {
    out_ += "T" + std::to_string(static_cast<int>(t.kind)) + ":" + t.name.text() + "/" + std::to_string(t.scale) + "/" +
            t.currency + "<";
    for (const TypeExpr& a : t.args) type(a);
    out_ += ">";
  }
  void params(const std::vector<Param>& list) {
    out_ += " (";
    for (const Param& p : list) {
      out_ += p.name.text + ":";
      type(p.type);
      out_ += " ";
    }
    out_ += ")";
  }
  void decl(const RecordDecl& r) {
    out_ += "record " + r.name.text;
    params(r.fields);
  }
  void decl(const EnumDecl& e) {
    out_ += "enum " + e.name.text;
    for (const Name& v : e.variants) out_ += " " + v.text;
  }
  void decl(const RuleDecl& r) {
    out_ += (r.kind == RuleKind::rule ? "rule " : "compliance ") + r.name.text;
    params(r.params);
    type(r.result);
    cites(r.cites);
    for (const Version& v : r.versions) {
      out_ += " version";
      interval(v.in_force);
      cites(v.cites);
      out_ += v.definition.is_default ? " default " : " = ";
      expr(*v.definition.value);
      for (const ExceptionClause& e : v.definition.exceptions) {
        out_ += " exception " + e.label.text + " " + e.priority;
        cites(e.cites);
        expr(*e.condition);
        expr(*e.value);
      }
    }
  }
  void decl(const TableDecl& t) {
    out_ += "table " + t.name.text;
    params(t.params);
    type(t.result);
    cites(t.cites);
    for (const Name& c : t.columns) out_ += " column " + c.text;
    for (const TableSection& s : t.sections) {
      out_ += " section";
      interval(s.in_force);
      cites(s.cites);
      for (const TableRow& r : s.rows) {
        out_ += " row";
        for (const RowKey& k : r.keys) {
          out_ += " key" + std::to_string(static_cast<int>(k.kind));
          if (k.low) expr(*k.low);
          if (k.high) expr(*k.high);
        }
        for (const ExprPtr& e : r.results) expr(*e);
        interval(r.in_force);
      }
    }
  }
  void decl(const TransitionDecl& t) {
    out_ += "transition " + t.name.text;
    params(t.params);
    cites(t.cites);
    for (const TransitionClause& c : t.clauses) {
      out_ += " clause" + std::to_string(static_cast<int>(c.kind)) + (c.name ? c.name->text : "-");
      for (const ExprPtr* e : {&c.target, &c.value, &c.evidence}) {
        if (*e) expr(**e);
      }
    }
  }
  void decl(const TriggerDecl& t) {
    out_ += "trigger " + t.name.text + " on " + t.event.text;
    params(t.params);
    cites(t.cites);
    if (t.jurisdiction) out_ += " jurisdiction " + t.jurisdiction->text();
    if (t.condition) expr(*t.condition);
    out_ += " priority " + t.priority + " auth " + (t.authorization ? t.authorization->text : "-");
    for (const ExprPtr& a : t.actions) expr(*a);
  }
  void decl(const TestDecl& t) {
    out_ += "test [" + t.name + "] " + lang::to_string(t.law_date);
    for (const TestStatement& s : t.statements) {
      out_ += s.is_expect ? " expect" : " let " + s.name->text;
      expr(*s.value);
    }
  }

  void expr(const Expr& e) {
    out_ += " (";
    std::visit([this](const auto& node) { node_of(node); }, e.node);
    out_ += ")";
  }
  void node_of(const NumberLit& n) { out_ += "num " + n.digits; }
  void node_of(const MoneyLit& m) { out_ += "money " + m.amount + " " + m.currency; }
  void node_of(const RateLit& r) { out_ += "rate " + r.value + (r.unit == RateUnit::percent ? "%" : "bps"); }
  void node_of(const DurationLit& d) { out_ += "dur " + d.count + " " + std::to_string(static_cast<int>(d.unit)); }
  void node_of(const DateLit& d) { out_ += "date " + lang::to_string(d.date); }
  void node_of(const TimestampLit& t) { out_ += "ts " + t.text; }
  void node_of(const StringLit& s) { out_ += "str [" + s.value + "]"; }
  void node_of(const BoolLit& b) { out_ += b.value ? "true" : "false"; }
  void node_of(const NoneLit&) { out_ += "none"; }
  void node_of(const NameRef& n) { out_ += "name " + n.name; }
  void node_of(const ListLit& l) {
    out_ += "list";
    for (const ExprPtr& i : l.items) expr(*i);
  }
  void node_of(const FieldAccess& f) {
    out_ += "field " + f.field.text;
    expr(*f.object);
  }
  void node_of(const Call& c) {
    out_ += "call";
    expr(*c.callee);
    for (const Argument& a : c.args) {
      out_ += " arg " + (a.name ? a.name->text : "-");
      expr(*a.value);
    }
  }
  void node_of(const Lambda& l) {
    out_ += "lambda";
    for (const Name& p : l.params) out_ += " " + p.text;
    expr(*l.body);
  }
  void node_of(const Unary& u) {
    out_ += u.op == UnaryOp::negate ? "neg" : "not";
    expr(*u.operand);
  }
  void node_of(const Binary& b) {
    out_ += to_string(b.op);
    expr(*b.lhs);
    expr(*b.rhs);
  }
  void node_of(const IsTest& t) {
    out_ += std::string(t.negated ? "is-not " : "is ") + t.state.text;
    expr(*t.operand);
  }
  void node_of(const If& i) {
    out_ += "if";
    expr(*i.condition);
    expr(*i.then_branch);
    expr(*i.else_branch);
  }
  void node_of(const Let& l) {
    out_ += "let " + l.name.text;
    expr(*l.value);
    expr(*l.body);
  }

  std::string out_;
};

inline std::string dump(const Pack& p) { return AstDump().pack(p); }

}  // namespace savm::lang::test
