// The canonical layout, declaration by declaration (docs/mizan.md, "Formatting"). Every function
// writes the tokens of one construct in source order; layout decisions are the only thing it
// adds. Groups that fit on the line stay flat (FormatPrinter::try_flat), others break in the
// construct's own way: argument lists fill their lines aligned after '(', operator chains break
// before every operator, `if` puts `then` and `else` under `if`, `let` always puts `in` under `let`.
#include "lang/formatter.h"

#include <functional>
#include <optional>
#include <string_view>
#include <variant>

#include "lang/ast.h"
#include "lang/format_printer.h"
#include "lang/parser.h"

namespace savm::lang {
namespace {

constexpr std::size_t kIndent = 2;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// The operand a node's text starts with, for nodes whose first token is not their own.
const Expr* leftmost_child(const Expr& e) {
  if (const auto* b = std::get_if<Binary>(&e.node)) return b->lhs.get();
  if (const auto* f = std::get_if<FieldAccess>(&e.node)) return f->object.get();
  if (const auto* c = std::get_if<Call>(&e.node)) return c->callee.get();
  if (const auto* t = std::get_if<IsTest>(&e.node)) return t->operand.get();
  return nullptr;
}

// Operators of one level chain (a + b - c); comparisons do not, but a level of their own is harmless.
int level(BinaryOp op) {
  switch (op) {
    case BinaryOp::logical_or: return 1;
    case BinaryOp::logical_and: return 2;
    case BinaryOp::add: case BinaryOp::sub: return 4;
    case BinaryOp::mul: case BinaryOp::div: return 5;
    default: return 3;
  }
}

// A node written in parentheses: its span (which includes them) starts before its first operand.
bool parenthesized(const Expr& e) {
  const Expr* left = leftmost_child(e);
  return left != nullptr && e.span.begin != left->span.begin;
}

class Writer {
 public:
  explicit Writer(FormatPrinter& p) : p_(p) {}

  void pack(const Pack& pack) {
    p_.token();
    p_.space();
    dotted(pack.id);
    if (pack.title) {
      p_.space();
      p_.token();
    }
    const int fields = int{pack.jurisdiction.has_value()} + int{pack.version.has_value()} + int{pack.source.has_value()} +
                       int{pack.horizon.has_value()};
    for (int i = 0; i < fields; ++i) {
      p_.newline(kIndent);
      header_field(pack);
    }
    for (std::size_t i = 0; i < pack.uses.size(); ++i) {
      if (i == 0) {
        p_.blank_line(0);
      } else {
        p_.newline(0);
      }
      use(pack.uses[i]);
    }
    for (const Decl& d : pack.decls) {
      p_.blank_line(0);
      p_.set_continuation(2 * kIndent);
      std::visit([this](const auto& node) { decl(node); }, d.node);
    }
  }

 private:
  // ---- pack header

  // The AST keeps the header fields but not their order, so the next token says which comes.
  void header_field(const Pack& pack) {
    const bool jurisdiction = p_.next_is("jurisdiction");
    const bool horizon = p_.next_is("horizon");
    p_.token();
    p_.space();
    if (jurisdiction) {
      dotted(*pack.jurisdiction);
    } else if (horizon) {
      interval(*pack.horizon);
    } else {
      p_.token();  // the string of version or source
    }
  }

  void use(const UseDecl& u) {
    p_.token("use");
    p_.space();
    if (u.kind) {
      p_.token();
      p_.space();
    }
    dotted(u.id);
    if (u.alias) {
      p_.space();
      p_.token("as");
      p_.space();
      p_.token();
    }
  }

  void dotted(const DottedName& name) {
    for (std::size_t i = 0; i < name.parts.size(); ++i) {
      if (i > 0) p_.token(".");
      p_.token();
    }
  }

  void interval(const Interval& i) {
    p_.token();
    p_.space();
    p_.token("..");
    if (i.to) {
      p_.space();
      p_.token();
    }
  }

  void cites(const std::vector<Citation>& list) {
    p_.token("cites");
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) p_.token(",");
      p_.space();
      p_.token();
    }
  }

  void cites_line(const std::vector<Citation>& list) {
    if (list.empty()) return;
    p_.newline(kIndent);
    cites(list);
  }

  // ---- types and parameters

  void type(const TypeExpr& t) {
    dotted(t.name);
    if (!p_.next_is("<")) return;
    p_.token("<");
    for (int depth = 1; depth > 0;) {
      if (p_.next_is("<")) {
        ++depth;
      } else if (p_.next_is(">")) {
        --depth;
      } else if (p_.next_is(",")) {
        p_.token(",");
        p_.space();
        continue;
      }
      p_.token();
    }
  }

  void param(const Param& param) {
    p_.token();
    p_.token(":");
    p_.space();
    type(param.type);
  }

  // `(a, b, c)` after its '(' was written: items fill each line and continue aligned after '('.
  // A trailing comma is dropped. `tail` is the width that follows ')' on the line.
  void fill(std::size_t count, const std::function<void(std::size_t)>& item, const char* close, std::size_t tail = 0) {
    const std::size_t open = p_.column();
    const std::size_t outer = p_.continuation();
    p_.set_continuation(open);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t reserve = i + 1 < count ? 1 : 1 + tail;
      if (i > 0) {
        p_.token(",");
        if (p_.try_flat([&] { p_.space(); item(i); }, reserve)) continue;
        p_.newline(open);
      }
      if (!p_.try_flat([&] { item(i); }, reserve)) item(i);
    }
    if (p_.next_is(",")) p_.skip(",");
    p_.set_continuation(outer);
    p_.token(close);
  }

  void params(const std::vector<Param>& list, std::size_t tail) {
    p_.token("(");
    fill(list.size(), [&](std::size_t i) { param(list[i]); }, ")", tail);
  }

  // " -> Type": what follows a parameter list on its line.
  std::size_t result_width(const TypeExpr& t) {
    return 4 + p_.measure(t.span.begin, [&] { type(t); }).value_or(0);
  }

  // ---- declarations

  void decl(const RecordDecl& r) {
    p_.token("record");
    p_.space();
    p_.token();
    p_.space();
    p_.token("{");
    for (const Param& field : r.fields) {
      p_.newline(kIndent);
      param(field);
      if (p_.next_is(",")) {
        p_.token(",");
      } else {
        p_.insert(",");
      }
    }
    if (!r.fields.empty()) p_.newline(0);
    p_.token("}");
  }

  void decl(const EnumDecl& e) {
    p_.token("enum");
    p_.space();
    p_.token();
    p_.space();
    p_.token("{");
    const bool flat = p_.try_flat([&] {
      for (std::size_t i = 0; i < e.variants.size(); ++i) {
        if (i > 0) p_.token(",");
        p_.space();
        p_.token();
      }
      if (p_.next_is(",")) p_.skip(",");
      p_.space();
      p_.token("}");
    });
    if (flat) return;
    for (std::size_t i = 0; i < e.variants.size(); ++i) {
      if (i > 0) p_.token(",");
      p_.newline(kIndent);
      p_.token();
    }
    if (p_.next_is(",")) {
      p_.token(",");
    } else {
      p_.insert(",");
    }
    p_.newline(0);
    p_.token("}");
  }

  void decl(const RuleDecl& r) {
    p_.token();  // rule | compliance
    p_.space();
    p_.token();
    if (p_.next_is("(")) params(r.params, result_width(r.result));
    p_.space();
    p_.token("->");
    p_.space();
    type(r.result);
    cites_line(r.cites);
    if (r.versions.size() == 1 && !r.versions[0].in_force) {
      definition(r.versions[0].definition, kIndent);
      return;
    }
    for (const Version& v : r.versions) {
      in_force_heading(*v.in_force, v.cites);
      definition(v.definition, 2 * kIndent);
    }
  }

  void in_force_heading(const Interval& i, const std::vector<Citation>& list) {
    p_.newline(kIndent);
    p_.token("in");
    p_.space();
    p_.token("force");
    p_.space();
    interval(i);
    if (!list.empty()) {
      p_.space();
      cites(list);
    }
    p_.token(":");
  }

  void definition(const Definition& d, std::size_t indent) {
    p_.newline(indent);
    p_.token(d.is_default ? "default" : "=");
    p_.space();
    expr(*d.value);
    for (const ExceptionClause& e : d.exceptions) {
      p_.newline(indent);
      exception(e, indent);
    }
  }

  // On one line when it fits; else `when COND:` and then the value go on lines of their own.
  void exception(const ExceptionClause& e, std::size_t indent) {
    const auto head = [&] {
      p_.token("exception");
      p_.space();
      p_.token();
      p_.space();
      p_.token("priority");
      p_.space();
      p_.token();
      if (!e.cites.empty()) {
        p_.space();
        cites(e.cites);
      }
    };
    const auto when = [&] {
      p_.token("when");
      p_.space();
      expr(*e.condition);
      p_.token(":");
    };
    if (p_.try_flat([&] {
          head();
          p_.space();
          when();
          p_.space();
          expr(*e.value);
        })) {
      return;
    }
    head();
    if (!p_.try_flat([&] {
          p_.space();
          when();
        })) {
      p_.newline(indent + kIndent);
      when();
    }
    p_.newline(indent + kIndent);
    expr(*e.value);
  }

  void decl(const TableDecl& t) {
    p_.token("table");
    p_.space();
    p_.token();
    params(t.params, result_width(t.result));
    p_.space();
    p_.token("->");
    p_.space();
    type(t.result);
    cites_line(t.cites);
    if (!t.columns.empty()) {
      p_.newline(kIndent);
      p_.token("columns");
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i > 0) p_.token(",");
        p_.space();
        p_.token();
      }
    }
    const std::vector<std::size_t> stops = row_stops(t);
    for (const TableSection& s : t.sections) {
      std::size_t indent = kIndent;
      if (s.in_force) {
        in_force_heading(*s.in_force, s.cites);
        indent = 2 * kIndent;
      }
      for (const TableRow& r : s.rows) {
        p_.newline(indent);
        if (p_.measure(r.span.begin, [&] { row(r, nullptr, nullptr); })) {
          p_.run_flat([&] { row(r, &stops, nullptr); });
        } else {
          row(r, nullptr, nullptr);
        }
      }
    }
  }

  // Rows are aligned like the columns of the statute's table: at every stop (between keys, before
  // '=>', between results and between the arguments of a result call) the cells of all rows start
  // in one column. Rows holding a comment keep single spaces.
  std::vector<std::size_t> row_stops(const TableDecl& t) {
    std::vector<std::size_t> widest;  // per stop: the widest cell before it
    for (const TableSection& s : t.sections) {
      for (const TableRow& r : s.rows) {
        std::vector<std::size_t> marks;  // relative to the row's '|'
        if (!p_.measure(r.span.begin, [&] { row(r, nullptr, &marks); })) continue;
        for (std::size_t k = 0; k < marks.size(); ++k) {
          const std::size_t cell = marks[k] - (k == 0 ? 0 : marks[k - 1] + 1);
          if (k == widest.size()) widest.push_back(0);
          widest[k] = std::max(widest[k], cell);
        }
      }
    }
    std::vector<std::size_t> stops;
    for (std::size_t k = 0; k < widest.size(); ++k) stops.push_back(widest[k] + (k == 0 ? 0 : stops[k - 1] + 1));
    return stops;
  }

  // One row. Measuring, `marks` receives the column of each stop; aligning, `stops` gives them.
  void row(const TableRow& r, const std::vector<std::size_t>* stops, std::vector<std::size_t>* marks) {
    std::size_t k = 0;
    const std::size_t start = p_.next_column();
    const auto stop = [&] {
      if (marks != nullptr) marks->push_back(p_.column() - start);
      if (stops != nullptr && k < stops->size()) {
        p_.pad_to(start + (*stops)[k] + 1);
      } else {
        p_.space();
      }
      ++k;
    };
    p_.token("|");
    p_.space();
    for (std::size_t i = 0; i < r.keys.size(); ++i) {
      if (i > 0) {
        p_.token(",");
        stop();
      }
      row_key(r.keys[i]);
    }
    stop();
    p_.token("=>");
    p_.space();
    for (std::size_t i = 0; i < r.results.size(); ++i) {
      if (i > 0) {
        p_.token(",");
        stop();
      }
      result_cells(*r.results[i], stop);
    }
    if (r.in_force) {
      p_.space();
      p_.token("in");
      p_.space();
      p_.token("force");
      p_.space();
      interval(*r.in_force);
    }
  }

  // A result that is a call (slab(fixed: 0 PKR, rate: 5%)) has a cell per argument.
  void result_cells(const Expr& e, const std::function<void()>& stop) {
    const auto* call = std::get_if<Call>(&e.node);
    if (call == nullptr || p_.open_parens(leftmost_child(e)->span.begin) > 0) {
      expr(e);
      return;
    }
    expr(*call->callee);
    p_.token("(");
    for (std::size_t i = 0; i < call->args.size(); ++i) {
      if (i > 0) {
        p_.token(",");
        stop();
      }
      argument(call->args[i]);
    }
    if (p_.next_is(",")) p_.skip(",");
    p_.token(")");
  }

  void row_key(const RowKey& key) {
    switch (key.kind) {
      case RowKeyKind::up_to:
        p_.token("up");
        p_.space();
        p_.token("to");
        p_.space();
        expr(*key.high);
        return;
      case RowKeyKind::above:
        p_.token("above");
        p_.space();
        expr(*key.low);
        return;
      case RowKeyKind::otherwise:
        p_.token("else");
        return;
      case RowKeyKind::exact:
        expr(*key.low);
        return;
      case RowKeyKind::range:
        expr(*key.low);
        p_.space();
        p_.token("..");
        p_.space();
        expr(*key.high);
        return;
    }
  }

  void decl(const TransitionDecl& t) {
    p_.token("transition");
    p_.space();
    p_.token();
    params(t.params, 0);
    cites_line(t.cites);
    for (const TransitionClause& c : t.clauses) {
      p_.newline(kIndent);
      switch (c.kind) {
        case ClauseKind::let:
          binding("let", *c.value);
          break;
        case ClauseKind::require:
          p_.token("requires");
          p_.space();
          expr(*c.value);
          break;
        case ClauseKind::write:
          writes(c);
          break;
      }
    }
  }

  void writes(const TransitionClause& c) {
    p_.token("writes");
    p_.space();
    expr(*c.target);
    p_.space();
    p_.token(":=");
    p_.space();
    expr(*c.value);
    if (c.evidence) {
      p_.space();
      p_.token("evidence");
      p_.space();
      expr(*c.evidence);
    }
  }

  // `let NAME = VALUE` in a transition or a test.
  void binding(const char* word, const Expr& value) {
    p_.token(word);
    p_.space();
    p_.token();
    p_.space();
    p_.token("=");
    p_.space();
    expr(value);
  }

  void decl(const TriggerDecl& t) {
    p_.token("trigger");
    p_.space();
    p_.token();
    p_.space();
    p_.token("on");
    p_.space();
    p_.token();
    if (p_.next_is("(")) params(t.params, 0);
    cites_line(t.cites);
    if (t.jurisdiction) {
      p_.newline(kIndent);
      p_.token("jurisdiction");
      p_.space();
      dotted(*t.jurisdiction);
    }
    if (t.condition) {
      p_.newline(kIndent);
      p_.token("when");
      p_.space();
      expr(*t.condition);
    }
    if (!t.priority.empty()) keyword_line("priority");
    if (t.authorization) keyword_line("authorization");
    for (const ExprPtr& action : t.actions) {
      p_.newline(kIndent);
      p_.token("action");
      p_.space();
      expr(*action);
    }
  }

  void keyword_line(const char* word) {
    p_.newline(kIndent);
    p_.token(word);
    p_.space();
    p_.token();
  }

  void decl(const TestDecl& t) {
    p_.token("test");
    p_.space();
    p_.token();
    p_.space();
    p_.token("at");
    p_.space();
    p_.token();
    p_.space();
    p_.token("{");
    for (const TestStatement& s : t.statements) {
      p_.newline(kIndent);
      if (s.is_expect) {
        p_.token("expect");
        p_.space();
        expr(*s.value);
      } else {
        binding("let", *s.value);
      }
    }
    if (!t.statements.empty()) p_.newline(0);
    p_.token("}");
  }

  // ---- expressions

  // Writes `e` with the parentheses the author put around it (several collapse to one).
  void expr(const Expr& e) {
    const Expr* left = leftmost_child(e);
    const std::size_t parens =
        std::holds_alternative<Lambda>(e.node) ? 0 : p_.open_parens(left != nullptr ? left->span.begin : e.span.end);
    if (parens == 0) {
      bare(e);
      return;
    }
    p_.token("(");
    for (std::size_t i = 1; i < parens; ++i) p_.skip("(");
    const std::size_t outer = p_.continuation();
    p_.set_continuation(p_.column());
    bare(e);
    p_.set_continuation(outer);
    for (std::size_t i = 1; i < parens; ++i) p_.skip(")");
    p_.token(")");
  }

  void bare(const Expr& e) {
    std::visit(Overloaded{
                   [&](const MoneyLit&) { unit_literal(); },
                   [&](const DurationLit&) { unit_literal(); },
                   [&](const RateLit& r) {
                     if (r.unit == RateUnit::percent) {
                       p_.token();
                     } else {
                       unit_literal();
                     }
                   },
                   [&](const ListLit& l) {
                     p_.token("[");
                     fill(l.items.size(), [&](std::size_t i) { expr(*l.items[i]); }, "]");
                   },
                   [&](const FieldAccess& f) {
                     expr(*f.object);
                     p_.token(".");
                     p_.token();
                   },
                   [&](const Call& c) {
                     expr(*c.callee);
                     p_.token("(");
                     fill(c.args.size(), [&](std::size_t i) { argument(c.args[i]); }, ")");
                   },
                   [&](const Lambda& l) { lambda(l); },
                   [&](const Unary& u) {
                     if (u.op == UnaryOp::negate) {
                       p_.token("-");
                     } else {
                       p_.token("not");
                       p_.space();
                     }
                     expr(*u.operand);
                   },
                   [&](const Binary& b) { chain(e, b); },
                   [&](const IsTest& t) {
                     expr(*t.operand);
                     p_.space();
                     p_.token("is");
                     p_.space();
                     if (t.negated) {
                       p_.token("not");
                       p_.space();
                     }
                     p_.token();
                   },
                   [&](const If& i) {
                     const std::size_t col = p_.next_column();
                     if (!p_.try_flat([&] { conditional(i, false, col); })) conditional(i, true, col);
                   },
                   [&](const Let& l) { let(l); },
                   [&](const auto&) { p_.token(); },  // one-token literals and names
               },
               e.node);
  }

  void unit_literal() {
    p_.token();
    p_.space();
    p_.token();
  }

  void argument(const Argument& a) {
    if (a.name) {
      p_.token();
      p_.token(":");
      p_.space();
    }
    expr(*a.value);
  }

  void lambda(const Lambda& l) {
    if (p_.next_is("(")) {
      p_.token("(");
      for (std::size_t i = 0; i < l.params.size(); ++i) {
        if (i > 0) {
          p_.token(",");
          p_.space();
        }
        p_.token();
      }
      p_.token(")");
    } else {
      p_.token();
    }
    p_.space();
    p_.token("->");
    p_.space();
    expr(*l.body);
  }

  // `a + b - c` as one chain of operands of one level; broken, each operator starts a line under `a`
  // (like the enumerated conditions of a statute).
  void chain(const Expr& e, const Binary& b) {
    std::vector<const Expr*> operands;
    std::vector<BinaryOp> ops;
    collect(e, level(b.op), operands, ops);
    if (p_.try_flat([&] { chain_parts(operands, ops, false); })) return;
    chain_parts(operands, ops, true);
  }

  static void collect(const Expr& e, int lvl, std::vector<const Expr*>& operands, std::vector<BinaryOp>& ops) {
    const Binary& b = std::get<Binary>(e.node);
    const auto* lhs = std::get_if<Binary>(&b.lhs->node);
    if (lhs != nullptr && level(lhs->op) == lvl && !parenthesized(*b.lhs)) {
      collect(*b.lhs, lvl, operands, ops);
    } else {
      operands.push_back(b.lhs.get());
    }
    ops.push_back(b.op);
    operands.push_back(b.rhs.get());
  }

  void chain_parts(const std::vector<const Expr*>& operands, const std::vector<BinaryOp>& ops, bool broken) {
    const std::size_t col = p_.next_column();
    const std::size_t outer = p_.continuation();
    p_.set_continuation(col);
    expr(*operands[0]);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const auto step = [&] {
        p_.token(to_string(ops[i]));
        p_.space();
        expr(*operands[i + 1]);
      };
      if (!broken) {
        p_.space();
        step();
        continue;
      }
      // Two operands may share a line; a longer chain that breaks lists one operand per line.
      if (ops.size() == 1 && (p_.try_flat([&] {
                                p_.space();
                                step();
                              }) ||
                              hugs(*operands[1], ops[0]))) {
        continue;
      }
      p_.newline(col);
      step();
    }
    p_.set_continuation(outer);
  }

  // A call that does not fit after its operator stays on the line when its name and a fair share
  // of its arguments do: its arguments break, not the chain (round(a * rate(x, y,\n z), ...)).
  bool hugs(const Expr& operand, BinaryOp op) {
    constexpr std::size_t kRoomForArguments = 30;
    const auto* call = std::get_if<Call>(&operand.node);
    if (call == nullptr || p_.open_parens(call->callee->span.begin) > 0) return false;
    const std::optional<std::size_t> callee = p_.measure(call->callee->span.begin, [&] { expr(*call->callee); });
    if (!callee) return false;
    const std::size_t head = std::string_view(to_string(op)).size() + 2 + *callee + 1;
    if (p_.column() + head + kRoomForArguments > FormatPrinter::kWidth) return false;
    p_.space();
    p_.token(to_string(op));
    p_.space();
    expr(operand);
    return true;
  }

  // Broken, `then` and `else` go under `if`, and an `else if` continues the same column instead
  // of nesting deeper (a statute's list of cases).
  void conditional(const If& i, bool broken, std::size_t col) {
    const auto gap = [&] {
      if (broken) {
        p_.newline(col);
      } else {
        p_.space();
      }
    };
    p_.token("if");
    p_.space();
    expr(*i.condition);
    gap();
    p_.token("then");
    p_.space();
    expr(*i.then_branch);
    gap();
    p_.token("else");
    p_.space();
    const auto* next = std::get_if<If>(&i.else_branch->node);
    if (broken && next != nullptr && p_.open_parens(i.else_branch->span.end) == 0) {
      conditional(*next, true, col);
      return;
    }
    expr(*i.else_branch);
  }

  void let(const Let& l) {
    const std::size_t col = p_.next_column();
    p_.require_break();
    p_.token("let");
    p_.space();
    p_.token();
    p_.space();
    p_.token("=");
    p_.space();
    expr(*l.value);
    p_.newline(col);
    p_.token("in");
    p_.space();
    expr(*l.body);
  }

  FormatPrinter& p_;
};

}  // namespace

FormatResult format(const SourceFile& file) {
  ParseResult parsed = parse(file);
  if (!parsed.pack) return {std::nullopt, std::move(parsed.diagnostics)};
  FormatPrinter printer(file);
  Writer(printer).pack(*parsed.pack);
  return {printer.finish(), {}};
}

}  // namespace savm::lang
