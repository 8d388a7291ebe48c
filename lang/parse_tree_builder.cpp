// Runs the ANTLR-generated Mizan lexer and parser and builds the AST. This is the only project
// file that includes ANTLR headers (lang/CMakeLists.txt keeps them private to savm_lang).
#include "lang/parse_tree_builder.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "antlr4-runtime.h"
#include "MizanLexer.h"
#include "MizanParser.h"

namespace savm::lang {
namespace {

using generated::MizanLexer;
using P = generated::MizanParser;

constexpr std::size_t kDocChannel = 2;  // DOC_COMMENT -> channel(2) in Mizan.g4

// Turns ANTLR positions (code point indices) into spans (bytes, lines, columns).
class Locator {
 public:
  explicit Locator(const SourceFile& file) : file_(file) {
    for (std::uint32_t i = 0; i < file.text.size(); ++i) {
      if ((static_cast<unsigned char>(file.text[i]) & 0xC0) != 0x80) offsets_.push_back(i);
    }
    offsets_.push_back(static_cast<std::uint32_t>(file.text.size()));
  }

  SourceSpan range(const antlr4::Token* first, const antlr4::Token* last) const {
    SourceSpan span;
    span.file = file_.id;
    span.line = static_cast<std::uint32_t>(std::max<std::size_t>(first->getLine(), 1));
    span.column = static_cast<std::uint32_t>(first->getCharPositionInLine()) + 1;
    span.begin = byte(first->getStartIndex());
    const std::size_t stop = last->getStopIndex();
    span.end = stop == INVALID_INDEX ? span.begin : std::max(span.begin, byte(stop + 1));
    return span;
  }
  SourceSpan token(const antlr4::Token* t) const { return range(t, t); }
  SourceSpan node(antlr4::ParserRuleContext* ctx) const {
    const antlr4::Token* stop = ctx->getStop();
    if (stop == nullptr || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) stop = ctx->getStart();
    return range(ctx->getStart(), stop);
  }

 private:
  std::uint32_t byte(std::size_t code_point) const {
    return offsets_[std::min(code_point, offsets_.size() - 1)];  // INVALID_INDEX clamps to the end
  }
  const SourceFile& file_;
  std::vector<std::uint32_t> offsets_;  // code point index -> byte offset; one extra for the end
};

// Collects diagnostics up to the limit, then notes once that it stopped.
class Reporter {
 public:
  Reporter(std::vector<Diagnostic>& out, std::size_t limit) : out_(out), limit_(limit) {}

  void error(const char* code, const SourceSpan& span, std::string message, std::string hint = {}) {
    ++errors_;
    if (errors_ <= limit_) {
      out_.push_back({code, Severity::error, span, std::move(message), std::move(hint)});
    } else if (errors_ == limit_ + 1) {
      out_.push_back({"M0017", Severity::error, span, "too many errors; stopping after " + std::to_string(limit_),
                      "fix the first errors: later ones are often consequences"});
    }
  }
  std::size_t errors() const { return errors_; }

 private:
  std::vector<Diagnostic>& out_;
  std::size_t limit_;
  std::size_t errors_ = 0;
};

std::string quote_token_text(const std::string& text) {
  constexpr std::size_t kMax = 24;
  if (text.size() <= kMax) return "'" + text + "'";
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + text.substr(0, cut) + "...'";
}

std::string describe_token(const antlr4::Token* t) {
  return t->getType() == antlr4::Token::EOF ? "end of file" : quote_token_text(t->getText());
}

bool has(const antlr4::misc::IntervalSet& set, std::size_t type) { return set.contains(type); }

bool is_soft_keyword(std::size_t type) {
  switch (type) {
    case P::TO: case P::UP: case P::ABOVE: case P::FORCE: case P::COLUMNS: case P::EVIDENCE: case P::ON:
    case P::ACTION: case P::AUTHORIZATION: case P::PRIORITY: case P::SOURCE: case P::VERSION:
    case P::JURISDICTION: case P::HORIZON: case P::AT: case P::AS: case P::MODULE:
      return true;
    default:
      return false;
  }
}

bool starts_expression(std::size_t type) {
  switch (type) {
    case P::NUMBER: case P::PERCENT: case P::DATE: case P::TIMESTAMP: case P::STRING: case P::TRUE:
    case P::FALSE: case P::NONE: case P::LPAREN: case P::LBRACK: case P::MINUS: case P::NOT: case P::LET:
    case P::IF: case P::IDENT:
      return true;
    default:
      return is_soft_keyword(type);
  }
}

std::string describe_type(std::size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  switch (type) {
    case antlr4::Token::EOF: return "end of file";
    case P::IDENT: return "a name";
    case P::NUMBER: return "a number";
    case P::PERCENT: return "a percentage";
    case P::DATE: return "a date";
    case P::TIMESTAMP: return "a timestamp";
    case P::STRING: return "a string";
    default: return vocabulary.getLiteralName(type);
  }
}

// What the parser expected, in words: "an expression" stands for every token that can start one,
// "a name" for the soft keywords too.
std::vector<std::string> expected_items(const antlr4::misc::IntervalSet& expected,
                                        const antlr4::dfa::Vocabulary& vocabulary) {
  const bool expression = has(expected, P::NUMBER) && has(expected, P::LPAREN) && has(expected, P::IDENT);
  std::vector<std::string> items;
  if (expression) items.push_back("an expression");
  for (const ssize_t t : expected.toList()) {
    const auto type = static_cast<std::size_t>(t);
    if (expression && starts_expression(type)) continue;
    if (has(expected, P::IDENT) && is_soft_keyword(type)) continue;  // a name covers them
    items.push_back(describe_type(type, vocabulary));
  }
  return items;
}

// "expected 'rule', 'table' or end of file", or empty when the list would not help.
std::string expected_hint(const std::vector<std::string>& items) {
  if (items.empty() || items.size() > 6) return {};
  std::string hint = "expected ";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) hint += i + 1 == items.size() ? " or " : ", ";
    hint += items[i];
  }
  return hint;
}

// Syntax errors become M0001. After one, the listener stays quiet until the parser starts the next
// declaration: recovery inside a broken declaration mostly produces echoes of the first error,
// while each declaration still gets its own report (several errors per run). Tokens that the
// lexical scan already reported are not reported again.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(const Locator& locator, Reporter& reporter, const std::set<std::size_t>& reported)
      : locator_(locator), reporter_(reporter), reported_(reported) {}

  // A declaration starting at token `start` has begun. One that starts at the offending token
  // itself counts: `1 +` followed by `rule` is reported at that `rule`, and the rule it starts
  // deserves its own report.
  void resume(std::size_t start) {
    if (start >= last_error_) quiet_ = false;
  }

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, std::size_t, std::size_t,
                   const std::string& antlr_message, std::exception_ptr) override {
    if (offending == nullptr) return;
    const std::size_t index = offending->getTokenIndex();
    if (reported_.count(index) != 0 || quiet_) return;
    quiet_ = true;
    last_error_ = index;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    std::string hint;
    std::vector<std::string> items;
    if (parser != nullptr) {
      const antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
      items = expected_items(expected, parser->getVocabulary());
      hint = expected_hint(items);
      if (has(expected, P::IDENT) && !has(expected, P::NUMBER) && !is_soft_keyword(offending->getType()) &&
          parser->getVocabulary().getLiteralName(offending->getType()).size() > 2 &&
          std::isalpha(static_cast<unsigned char>(offending->getText()[0]))) {
        hint = "'" + offending->getText() + "' is a reserved word; " + (hint.empty() ? "use another name" : hint);
      }
    }
    const std::string what = describe_token(offending);
    // ANTLR repaired the input by assuming one token: name it when it is a single one.
    if (antlr_message.rfind("missing ", 0) == 0 && items.size() == 1) {
      reporter_.error("M0001", locator_.token(offending), "missing " + items[0] + " before " + what);
      return;
    }
    reporter_.error("M0001", locator_.token(offending), "unexpected " + what, std::move(hint));
  }

 private:
  const Locator& locator_;
  Reporter& reporter_;
  const std::set<std::size_t>& reported_;
  bool quiet_ = false;
  std::size_t last_error_ = 0;
};

// ANTLR's default recovery, except that it never deletes a word that starts a declaration: after
// `(a *` at the end of one rule, the next `rule` must begin the next declaration, not be skipped
// so that the broken expression swallows it.
bool starts_declaration(std::size_t type) {
  switch (type) {
    case P::USE: case P::RECORD: case P::ENUM: case P::RULE: case P::COMPLIANCE: case P::TABLE:
    case P::TRANSITION: case P::TRIGGER: case P::TEST:
      return true;
    default:
      return false;
  }
}

class MizanErrorStrategy : public antlr4::DefaultErrorStrategy {
 protected:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override {
    if (starts_declaration(parser->getCurrentToken()->getType())) return nullptr;
    return antlr4::DefaultErrorStrategy::singleTokenDeletion(parser);
  }
};

// Caps the number of grammar rules open at once: the generated parser is recursive descent, so
// deep nesting would otherwise exhaust the stack.
struct TooDeep {};
class DepthGuard : public antlr4::tree::ParseTreeListener {
 public:
  DepthGuard(std::size_t max_depth, SyntaxErrorListener& listener) : max_depth_(max_depth), listener_(listener) {}
  void enterEveryRule(antlr4::ParserRuleContext* ctx) override {
    if (++depth_ > max_depth_) throw TooDeep{};
    if (ctx->getRuleIndex() == P::RuleDecl) listener_.resume(ctx->getStart()->getTokenIndex());
  }
  void exitEveryRule(antlr4::ParserRuleContext*) override { --depth_; }
  void visitTerminal(antlr4::tree::TerminalNode*) override {}
  void visitErrorNode(antlr4::tree::ErrorNode*) override {}

 private:
  std::size_t max_depth_;
  SyntaxErrorListener& listener_;
  std::size_t depth_ = 0;
};

bool is_pack_kind(std::size_t type) {
  return type == P::LAWPACK || type == P::REGPACK || type == P::LICENSEPACK || type == P::MODULE;
}

std::string describe_char(const std::string& text) {
  const auto c = static_cast<unsigned char>(text[0]);
  if (c >= 0x21 && c < 0x7F) return "'" + text + "'";
  if (c >= 0x80) return "'" + text + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", unsigned{c});
  return buf;
}

// Literal text the lexer accepted loosely, checked token by token so that every bad literal is
// reported even when the file also has syntax errors.
void check_literal(antlr4::Token* t, const Locator& locator, Reporter& reporter) {
  std::string why;
  const std::string text = t->getText();
  switch (t->getType()) {
    case P::NUMBER:
      if (!parse_number(text, why)) {
        reporter.error("M0005", locator.token(t), "bad number " + quote_token_text(text) + ": " + why,
                       "group digits with single underscores: 1_200_000");
      }
      break;
    case P::PERCENT:
      if (!parse_number(text.substr(0, text.size() - 1), why)) {
        reporter.error("M0005", locator.token(t), "bad percentage " + quote_token_text(text) + ": " + why);
      }
      break;
    case P::DATE:
      if (!parse_date(text, why)) reporter.error("M0007", locator.token(t), "bad date " + quote_token_text(text) + ": " + why);
      break;
    case P::TIMESTAMP:
      if (!parse_timestamp(text, why)) {
        reporter.error("M0008", locator.token(t), "bad timestamp " + quote_token_text(text) + ": " + why);
      }
      break;
    case P::STRING: {
      std::size_t bad = 0;
      if (!parse_string(text, why, bad)) {
        // The escape's position: the token's span moved by the code points before it.
        SourceSpan span = locator.token(t);
        std::uint32_t code_points = 0;
        for (std::size_t i = 0; i < bad; ++i) code_points += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        span.begin += static_cast<std::uint32_t>(bad);
        span.column += code_points;
        span.end = span.begin + 2;
        reporter.error("M0003", span, "bad escape in a string: " + why);
      }
      break;
    }
    default:
      break;
  }
}

// Lexical problems, reported before parsing with their own codes. Returns the indices of the
// reported tokens so that the parser's complaints about them are not repeated.
std::set<std::size_t> scan_tokens(antlr4::CommonTokenStream& tokens, const Locator& locator, Reporter& reporter) {
  std::set<std::size_t> reported;
  bool previous_was_bad_char = false;
  for (antlr4::Token* t : tokens.getTokens()) {
    const std::size_t type = t->getType();
    check_literal(t, locator, reporter);
    if (type == P::ERROR_CHAR) {
      if (!previous_was_bad_char) {
        reporter.error("M0004", locator.token(t), "unexpected character " + describe_char(t->getText()),
                       t->getText() == "%" ? "write a percentage with the number: 5%" : "");
      }
      reported.insert(t->getTokenIndex());
    } else if (type == P::UNTERMINATED_STRING) {
      reporter.error("M0002", locator.token(t), "unterminated string", "close the string with '\"' on the same line");
      reported.insert(t->getTokenIndex());
    } else if (type == P::BAD_DATE) {
      reporter.error("M0007", locator.token(t), "bad date " + quote_token_text(t->getText()),
                     "write dates YYYY-MM-DD with leading zeros (2024-07-01); put spaces around '-' to subtract");
      reported.insert(t->getTokenIndex());
    }
    previous_was_bad_char = type == P::ERROR_CHAR;
  }
  return reported;
}

// ---- Parse tree -> AST -------------------------------------------------------------------------

class Builder {
 public:
  Builder(const Locator& locator, Reporter& reporter, antlr4::BufferedTokenStream& tokens)
      : at_(locator), report_(reporter), tokens_(tokens) {}

  Pack pack(P::PackContext* ctx) {
    Pack p;
    P::PackHeaderContext* header = ctx->packHeader();
    p.kind = pack_kind(header->packKind());
    p.id = dotted(header->dottedId()->name());
    if (header->title != nullptr) p.title = string_value(header->title);
    p.doc = doc_before(ctx->getStart());
    p.span = at_.node(header);
    for (P::HeaderFieldContext* field : header->headerField()) header_field(p, field);
    if (p.kind != PackKind::module) {
      if (!p.jurisdiction) missing_field(header, "jurisdiction", "jurisdiction pk");
      if (!p.version) missing_field(header, "version", "version \"2025.1\"");
    }
    for (P::UseDeclContext* use : ctx->useDecl()) p.uses.push_back(use_decl(use));
    for (P::DeclContext* d : ctx->decl()) p.decls.push_back(decl(d));
    return p;
  }

 private:
  // ---- header

  static PackKind pack_kind(P::PackKindContext* ctx) {
    if (ctx->REGPACK()) return PackKind::regpack;
    if (ctx->LICENSEPACK()) return PackKind::licensepack;
    if (ctx->MODULE()) return PackKind::module;
    return PackKind::lawpack;
  }

  template <typename T>
  void set_once(std::optional<T>& slot, T value, antlr4::ParserRuleContext* field, const char* what) {
    if (slot) {
      report_.error("M0014", at_.node(field), std::string("the pack header gives ") + what + " twice",
                    "keep one " + std::string(what));
      return;
    }
    slot = std::move(value);
  }

  void header_field(Pack& p, P::HeaderFieldContext* field) {
    if (auto* j = dynamic_cast<P::JurisdictionFieldContext*>(field)) {
      set_once(p.jurisdiction, dotted(j->dottedId()->name()), field, "jurisdiction");
    } else if (auto* v = dynamic_cast<P::VersionFieldContext*>(field)) {
      set_once(p.version, string_value(v->STRING()->getSymbol()), field, "version");
    } else if (auto* s = dynamic_cast<P::SourceFieldContext*>(field)) {
      set_once(p.source, string_value(s->STRING()->getSymbol()), field, "source");
    } else if (auto* h = dynamic_cast<P::HorizonFieldContext*>(field)) {
      set_once(p.horizon, interval(h->interval()), field, "horizon");
    }
  }

  void missing_field(P::PackHeaderContext* header, const char* what, const char* example) {
    report_.error("M0015", at_.node(header), std::string("the pack header lacks its ") + what,
                  std::string("add `") + example + "` after the title");
  }

  UseDecl use_decl(P::UseDeclContext* ctx) {
    UseDecl u;
    if (ctx->packKind()) u.kind = pack_kind(ctx->packKind());
    u.id = dotted(ctx->dottedId()->name());
    if (ctx->name()) u.alias = name(ctx->name());
    u.span = at_.node(ctx);
    return u;
  }

  // ---- declarations

  Decl decl(P::DeclContext* ctx) {
    Decl d;
    d.doc = doc_before(ctx->getStart());
    d.span = at_.node(ctx);
    if (ctx->recordDecl()) {
      d.node = record(ctx->recordDecl());
    } else if (ctx->enumDecl()) {
      d.node = enumeration(ctx->enumDecl());
    } else if (ctx->ruleDecl()) {
      d.node = rule(ctx->ruleDecl());
    } else if (ctx->tableDecl()) {
      d.node = table(ctx->tableDecl());
    } else if (ctx->transitionDecl()) {
      d.node = transition(ctx->transitionDecl());
    } else if (ctx->triggerDecl()) {
      d.node = trigger(ctx->triggerDecl());
    } else {
      d.node = test(ctx->testDecl());
    }
    return d;
  }

  RecordDecl record(P::RecordDeclContext* ctx) {
    RecordDecl r{name(ctx->name()), {}};
    for (P::FieldDeclContext* f : ctx->fieldDecl()) r.fields.push_back({name(f->name()), type(f->typeExpr()), at_.node(f)});
    return r;
  }

  EnumDecl enumeration(P::EnumDeclContext* ctx) {
    EnumDecl e{name(ctx->name()), {}};
    for (P::EnumVariantContext* v : ctx->enumVariant()) e.variants.push_back(name(v->name()));
    return e;
  }

  RuleDecl rule(P::RuleDeclContext* ctx) {
    RuleDecl r;
    r.kind = ctx->COMPLIANCE() ? RuleKind::compliance : RuleKind::rule;
    r.name = name(ctx->name());
    if (ctx->params()) r.params = params(ctx->params());
    r.result = type(ctx->typeExpr());
    if (ctx->cites()) r.cites = cites(ctx->cites());
    P::RuleBodyContext* body = ctx->ruleBody();
    if (body->definition()) {
      r.versions.push_back({std::nullopt, {}, definition(body->definition()), at_.node(body)});
    }
    for (P::VersionContext* v : body->version()) {
      Version version{interval(v->interval()), {}, definition(v->definition()), at_.node(v)};
      if (v->cites()) version.cites = cites(v->cites());
      r.versions.push_back(std::move(version));
    }
    return r;
  }

  Definition definition(P::DefinitionContext* ctx) {
    Definition d;
    d.span = at_.node(ctx);
    if (auto* plain = dynamic_cast<P::PlainDefinitionContext*>(ctx)) {
      d.value = expr(plain->expr());
      return d;
    }
    auto* with_default = dynamic_cast<P::DefaultDefinitionContext*>(ctx);
    d.is_default = true;
    d.value = expr(with_default->expr());
    for (P::ExceptionClauseContext* e : with_default->exceptionClause()) {
      ExceptionClause clause;
      clause.label = name(e->name());
      clause.priority = integer(e->NUMBER()->getSymbol(), "a priority");
      if (e->cites()) clause.cites = cites(e->cites());
      clause.condition = expr(e->expr(0));
      clause.value = expr(e->expr(1));
      clause.span = at_.node(e);
      d.exceptions.push_back(std::move(clause));
    }
    return d;
  }

  TableDecl table(P::TableDeclContext* ctx) {
    TableDecl t;
    t.name = name(ctx->name());
    t.params = params(ctx->params());
    t.result = type(ctx->typeExpr());
    if (ctx->cites()) t.cites = cites(ctx->cites());
    if (ctx->columns()) {
      for (P::NameContext* c : ctx->columns()->name()) t.columns.push_back(name(c));
    }
    P::TableBodyContext* body = ctx->tableBody();
    if (!body->tableRow().empty()) {
      TableSection section;
      section.span = at_.node(body);
      for (P::TableRowContext* row : body->tableRow()) section.rows.push_back(table_row(row));
      t.sections.push_back(std::move(section));
    }
    for (P::TableSectionContext* s : body->tableSection()) {
      TableSection section;
      section.in_force = interval(s->interval());
      if (s->cites()) section.cites = cites(s->cites());
      section.span = at_.node(s);
      for (P::TableRowContext* row : s->tableRow()) section.rows.push_back(table_row(row));
      t.sections.push_back(std::move(section));
    }
    return t;
  }

  TableRow table_row(P::TableRowContext* ctx) {
    TableRow row;
    row.span = at_.node(ctx);
    for (P::RowKeyContext* k : ctx->rowKey()) row.keys.push_back(row_key(k));
    for (P::ExprContext* e : ctx->expr()) row.results.push_back(expr(e));
    if (ctx->rowInForce()) row.in_force = interval(ctx->rowInForce()->interval());
    return row;
  }

  RowKey row_key(P::RowKeyContext* ctx) {
    RowKey key;
    key.span = at_.node(ctx);
    if (auto* up_to = dynamic_cast<P::UpToKeyContext*>(ctx)) {
      key.kind = RowKeyKind::up_to;
      key.high = add_expr(up_to->addExpr());
    } else if (auto* above = dynamic_cast<P::AboveKeyContext*>(ctx)) {
      key.kind = RowKeyKind::above;
      key.low = add_expr(above->addExpr());
    } else if (dynamic_cast<P::ElseKeyContext*>(ctx)) {
      key.kind = RowKeyKind::otherwise;
    } else {
      auto* value = dynamic_cast<P::ValueKeyContext*>(ctx);
      key.low = add_expr(value->addExpr(0));
      key.kind = value->RANGE() ? RowKeyKind::range : RowKeyKind::exact;
      if (value->RANGE()) key.high = add_expr(value->addExpr(1));
    }
    return key;
  }

  TransitionDecl transition(P::TransitionDeclContext* ctx) {
    TransitionDecl t;
    t.name = name(ctx->name());
    t.params = params(ctx->params());
    if (ctx->cites()) t.cites = cites(ctx->cites());
    for (P::TransitionClauseContext* c : ctx->transitionClause()) {
      TransitionClause clause;
      clause.span = at_.node(c);
      if (auto* let = dynamic_cast<P::LetClauseContext*>(c)) {
        clause.kind = ClauseKind::let;
        clause.name = name(let->name());
        clause.value = expr(let->expr());
      } else if (auto* requires_clause = dynamic_cast<P::RequiresClauseContext*>(c)) {
        clause.kind = ClauseKind::require;
        clause.value = expr(requires_clause->expr());
      } else {
        auto* writes = dynamic_cast<P::WritesClauseContext*>(c);
        clause.kind = ClauseKind::write;
        clause.target = postfix_expr(writes->postfixExpr());
        clause.value = expr(writes->expr(0));
        if (writes->EVIDENCE()) clause.evidence = expr(writes->expr(1));
      }
      t.clauses.push_back(std::move(clause));
    }
    return t;
  }

  TriggerDecl trigger(P::TriggerDeclContext* ctx) {
    TriggerDecl t;
    const std::vector<P::NameContext*> names = ctx->name();
    t.name = name(names[0]);
    t.event = name(names[1]);
    if (ctx->AUTHORIZATION()) t.authorization = name(names[2]);
    if (ctx->params()) t.params = params(ctx->params());
    if (ctx->cites()) t.cites = cites(ctx->cites());
    if (ctx->dottedId()) t.jurisdiction = dotted(ctx->dottedId()->name());
    if (ctx->NUMBER()) t.priority = integer(ctx->NUMBER()->getSymbol(), "a priority");
    std::vector<P::ExprContext*> exprs = ctx->expr();
    std::size_t first_action = 0;
    if (ctx->WHEN()) t.condition = expr(exprs[first_action++]);
    for (std::size_t i = first_action; i < exprs.size(); ++i) t.actions.push_back(expr(exprs[i]));
    return t;
  }

  TestDecl test(P::TestDeclContext* ctx) {
    TestDecl t;
    t.name = string_value(ctx->STRING()->getSymbol());
    t.law_date = date(ctx->DATE()->getSymbol());
    for (P::TestStatementContext* s : ctx->testStatement()) {
      TestStatement statement;
      statement.span = at_.node(s);
      if (auto* let = dynamic_cast<P::TestLetContext*>(s)) {
        statement.is_expect = false;
        statement.name = name(let->name());
        statement.value = expr(let->expr());
      } else {
        statement.value = expr(dynamic_cast<P::TestExpectContext*>(s)->expr());
      }
      t.statements.push_back(std::move(statement));
    }
    return t;
  }

  // ---- shared pieces

  Name name(P::NameContext* ctx) { return {ctx->getText(), at_.node(ctx)}; }

  DottedName dotted(const std::vector<P::NameContext*>& parts) {
    DottedName d;
    for (P::NameContext* part : parts) d.parts.push_back(name(part));
    d.span = d.parts.front().span;
    d.span.end = d.parts.back().span.end;
    return d;
  }

  std::vector<Param> params(P::ParamsContext* ctx) {
    std::vector<Param> out;
    for (P::ParamContext* p : ctx->param()) out.push_back({name(p->name()), type(p->typeExpr()), at_.node(p)});
    return out;
  }

  std::vector<Citation> cites(P::CitesContext* ctx) {
    std::vector<Citation> out;
    for (antlr4::tree::TerminalNode* s : ctx->STRING()) out.push_back({string_value(s->getSymbol()), at_.token(s->getSymbol())});
    return out;
  }

  Interval interval(P::IntervalContext* ctx) {
    Interval i;
    i.span = at_.node(ctx);
    i.from = date(ctx->from);
    if (ctx->to != nullptr) {
      i.to = date(ctx->to);
      if (*i.to <= i.from) {
        report_.error("M0016", i.span, "the interval ends on or before the day it starts",
                      "in force FROM .. TO includes FROM and excludes TO; TO must be later");
      }
    }
    return i;
  }

  // The `///` lines directly before a token, markers and one following space stripped.
  std::string doc_before(antlr4::Token* start) {
    std::string doc;
    for (antlr4::Token* t : tokens_.getHiddenTokensToLeft(start->getTokenIndex(), kDocChannel)) {
      std::string line = t->getText().substr(3);
      if (!line.empty() && line[0] == ' ') line.erase(0, 1);
      if (!doc.empty()) doc += '\n';
      doc += line;
    }
    return doc;
  }

  // ---- literals

  // Literal tokens reach the builder only after scan_tokens() accepted every one of them, so the
  // parse_* calls below cannot fail.
  static std::string string_value(antlr4::Token* t) {
    std::string why;
    std::size_t bad = 0;
    return parse_string(t->getText(), why, bad).value_or("");
  }

  static std::string number(antlr4::Token* t) {
    std::string why;
    return parse_number(t->getText(), why).value_or("0");
  }

  std::string integer(antlr4::Token* t, const char* what) {
    std::string digits = number(t);
    if (digits.find('.') != std::string::npos) {
      report_.error("M0005", at_.token(t), std::string(what) + " must be a whole number, got " + quote_token_text(t->getText()));
      return "0";
    }
    return digits;
  }

  static CivilDate date(antlr4::Token* t) {
    std::string why;
    return parse_date(t->getText(), why).value_or(CivilDate{});
  }

  // ---- types

  TypeExpr type(P::TypeExprContext* ctx) {
    TypeExpr t;
    t.span = at_.node(ctx);
    t.name = dotted(ctx->qualifiedName()->name());
    std::vector<P::TypeArgContext*> args = ctx->typeArg();
    const std::string& base = t.name.parts.size() == 1 ? t.name.parts[0].text : std::string();
    struct Builtin {
      const char* name;
      TypeKind kind;
      std::size_t type_args;
    };
    static constexpr Builtin kBuiltins[] = {
        {"Bool", TypeKind::boolean, 0},     {"Int", TypeKind::integer, 0},
        {"Rate", TypeKind::rate, 0},        {"Date", TypeKind::date, 0},
        {"Duration", TypeKind::duration, 0}, {"Timestamp", TypeKind::timestamp, 0},
        {"String", TypeKind::string, 0},    {"EntityId", TypeKind::entity_id, 0},
        {"AssetId", TypeKind::asset_id, 0}, {"JurisdictionId", TypeKind::jurisdiction_id, 0},
        {"List", TypeKind::list, 1},        {"Set", TypeKind::set, 1},
        {"Option", TypeKind::option, 1},    {"Map", TypeKind::map, 2},
    };
    if (base == "Decimal") return decimal_type(std::move(t), args);
    if (base == "Money") return money_type(std::move(t), args);
    std::size_t want = 0;
    for (const Builtin& b : kBuiltins) {
      if (base == b.name) {
        t.kind = b.kind;
        want = b.type_args;
      }
    }
    if (args.size() != want) {
      report_.error("M0013", t.span,
                    "'" + t.name.text() + "' takes " + std::to_string(want) + " type argument" + (want == 1 ? "" : "s") +
                        ", got " + std::to_string(args.size()));
      return t;
    }
    for (P::TypeArgContext* a : args) {
      if (!a->typeExpr()) {
        report_.error("M0013", at_.node(a), "a type argument of '" + t.name.text() + "' must be a type, not a number");
        continue;
      }
      t.args.push_back(type(a->typeExpr()));
    }
    return t;
  }

  TypeExpr decimal_type(TypeExpr t, const std::vector<P::TypeArgContext*>& args) {
    t.kind = TypeKind::decimal;
    if (args.size() != 1 || !args[0]->NUMBER()) {
      report_.error("M0013", t.span, "Decimal needs its scale: Decimal<2> has two digits after the point");
      return t;
    }
    const std::string digits = integer(args[0]->NUMBER()->getSymbol(), "a scale");
    if (digits.size() > 2 || std::stoi(digits) > 76) {
      report_.error("M0013", at_.node(args[0]), "a Decimal scale must be in 0..76, got " + digits);
      return t;
    }
    t.scale = std::stoi(digits);
    return t;
  }

  TypeExpr money_type(TypeExpr t, const std::vector<P::TypeArgContext*>& args) {
    t.kind = TypeKind::money;
    if (args.size() != 1) {
      report_.error("M0013", t.span, "Money needs its currency: Money<PKR>");
      return t;
    }
    const std::string code = args[0]->getText();
    if (!is_currency_code(code)) {
      report_.error("M0006", at_.node(args[0]), "'" + code + "' is not a currency code", "an ISO 4217 code is three capital letters: PKR, AED, USD");
      return t;
    }
    t.currency = code;
    return t;
  }

  // ---- expressions

  ExprPtr make(Expr::Node node, const SourceSpan& span) {
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->span = span;
    return e;
  }

  ExprPtr expr(P::ExprContext* ctx) {
    const SourceSpan span = at_.node(ctx);
    if (auto* let = dynamic_cast<P::LetExprContext*>(ctx)) {
      return make(Let{name(let->name()), expr(let->expr(0)), expr(let->expr(1))}, span);
    }
    if (auto* cond = dynamic_cast<P::IfExprContext*>(ctx)) {
      return make(If{expr(cond->expr(0)), expr(cond->expr(1)), expr(cond->expr(2))}, span);
    }
    return or_expr(dynamic_cast<P::OperatorExprContext*>(ctx)->orExpr());
  }

  // Folds `a op b op c` to the left; `op_of(i)` is the operator before operand i.
  template <typename Operand, typename Build, typename OpOf>
  ExprPtr fold_left(const std::vector<Operand*>& operands, Build build, OpOf op_of) {
    ExprPtr acc = build(operands[0]);
    for (std::size_t i = 1; i < operands.size(); ++i) {
      SourceSpan span = acc->span;
      ExprPtr rhs = build(operands[i]);
      span.end = rhs->span.end;
      acc = make(Binary{op_of(i), std::move(acc), std::move(rhs)}, span);
    }
    return acc;
  }

  ExprPtr or_expr(P::OrExprContext* ctx) {
    return fold_left(ctx->andExpr(), [this](P::AndExprContext* c) { return and_expr(c); },
                     [](std::size_t) { return BinaryOp::logical_or; });
  }

  ExprPtr and_expr(P::AndExprContext* ctx) {
    return fold_left(ctx->notExpr(), [this](P::NotExprContext* c) { return not_expr(c); },
                     [](std::size_t) { return BinaryOp::logical_and; });
  }

  ExprPtr not_expr(P::NotExprContext* ctx) {
    if (ctx->NOT()) return make(Unary{UnaryOp::logical_not, not_expr(ctx->notExpr())}, at_.node(ctx));
    return cmp_expr(ctx->cmpExpr());
  }

  ExprPtr cmp_expr(P::CmpExprContext* ctx) {
    const SourceSpan span = at_.node(ctx);
    if (ctx->IS()) return make(IsTest{add_expr(ctx->addExpr(0)), ctx->negated != nullptr, name(ctx->name())}, span);
    if (ctx->op == nullptr) return add_expr(ctx->addExpr(0));
    return make(Binary{comparison(ctx->op->getType()), add_expr(ctx->addExpr(0)), add_expr(ctx->addExpr(1))}, span);
  }

  static BinaryOp comparison(std::size_t type) {
    switch (type) {
      case P::EQ: return BinaryOp::eq;
      case P::NE: return BinaryOp::ne;
      case P::LT: return BinaryOp::lt;
      case P::LE: return BinaryOp::le;
      case P::GT: return BinaryOp::gt;
      default: return BinaryOp::ge;
    }
  }

  ExprPtr add_expr(P::AddExprContext* ctx) {
    return fold_left(ctx->mulExpr(), [this](P::MulExprContext* c) { return mul_expr(c); },
                     [ctx](std::size_t i) { return ctx->op[i - 1]->getType() == P::PLUS ? BinaryOp::add : BinaryOp::sub; });
  }

  ExprPtr mul_expr(P::MulExprContext* ctx) {
    return fold_left(ctx->unaryExpr(), [this](P::UnaryExprContext* c) { return unary_expr(c); },
                     [ctx](std::size_t i) { return ctx->op[i - 1]->getType() == P::STAR ? BinaryOp::mul : BinaryOp::div; });
  }

  ExprPtr unary_expr(P::UnaryExprContext* ctx) {
    if (ctx->MINUS()) return make(Unary{UnaryOp::negate, unary_expr(ctx->unaryExpr())}, at_.node(ctx));
    return postfix_expr(ctx->postfixExpr());
  }

  ExprPtr postfix_expr(P::PostfixExprContext* ctx) {
    ExprPtr acc = primary(ctx->primary());
    for (P::PostfixContext* p : ctx->postfix()) {
      SourceSpan span = acc->span;
      span.end = at_.node(p).end;
      if (auto* field = dynamic_cast<P::FieldPostfixContext*>(p)) {
        acc = make(FieldAccess{std::move(acc), name(field->name())}, span);
        continue;
      }
      Call call{std::move(acc), {}};
      for (P::ArgumentContext* a : dynamic_cast<P::CallPostfixContext*>(p)->argument()) call.args.push_back(argument(a));
      acc = make(std::move(call), span);
    }
    return acc;
  }

  Argument argument(P::ArgumentContext* ctx) {
    Argument arg;
    arg.span = at_.node(ctx);
    if (auto* named = dynamic_cast<P::NamedArgumentContext*>(ctx)) {
      arg.name = name(named->name());
      arg.value = expr(named->expr());
    } else if (auto* lambda = dynamic_cast<P::LambdaArgumentContext*>(ctx)) {
      Lambda l;
      for (P::NameContext* n : lambda->lambdaParams()->name()) l.params.push_back(name(n));
      l.body = expr(lambda->expr());
      arg.value = make(std::move(l), arg.span);
    } else {
      arg.value = expr(dynamic_cast<P::PositionalArgumentContext*>(ctx)->expr());
    }
    return arg;
  }

  ExprPtr primary(P::PrimaryContext* ctx) {
    const SourceSpan span = at_.node(ctx);
    if (auto* unit = dynamic_cast<P::UnitLiteralContext*>(ctx)) return unit_literal(unit, span);
    if (auto* n = dynamic_cast<P::NumberLiteralContext*>(ctx)) return make(NumberLit{number(n->NUMBER()->getSymbol())}, span);
    if (auto* pct = dynamic_cast<P::PercentLiteralContext*>(ctx)) {
      std::string text = pct->PERCENT()->getText();
      text.pop_back();
      std::string why;
      return make(RateLit{parse_number(text, why).value_or("0"), RateUnit::percent}, span);
    }
    if (auto* d = dynamic_cast<P::DateLiteralContext*>(ctx)) return make(DateLit{date(d->DATE()->getSymbol())}, span);
    if (auto* ts = dynamic_cast<P::TimestampLiteralContext*>(ctx)) {
      return make(TimestampLit{ts->getText()}, span);
    }
    if (auto* s = dynamic_cast<P::StringLiteralContext*>(ctx)) return make(StringLit{string_value(s->STRING()->getSymbol())}, span);
    if (auto* b = dynamic_cast<P::BoolLiteralContext*>(ctx)) return make(BoolLit{b->TRUE() != nullptr}, span);
    if (dynamic_cast<P::NoneLiteralContext*>(ctx)) return make(NoneLit{}, span);
    if (auto* ref = dynamic_cast<P::NameRefContext*>(ctx)) return make(NameRef{ref->getText()}, span);
    if (auto* paren = dynamic_cast<P::ParenExprContext*>(ctx)) {
      ExprPtr inner = expr(paren->expr());
      inner->span = span;  // the parentheses belong to the span a diagnostic points at
      return inner;
    }
    ListLit list;
    for (P::ExprContext* item : dynamic_cast<P::ListLiteralContext*>(ctx)->expr()) list.items.push_back(expr(item));
    return make(std::move(list), span);
  }

  ExprPtr unit_literal(P::UnitLiteralContext* ctx, const SourceSpan& span) {
    const std::string amount = number(ctx->NUMBER()->getSymbol());
    const std::string unit = ctx->unit->getText();
    if (is_currency_code(unit)) return make(MoneyLit{amount, unit}, span);
    if (unit == "bps") return make(RateLit{amount, RateUnit::basis_points}, span);
    static const std::pair<const char*, DurationUnit> kDurations[] = {
        {"day", DurationUnit::days},     {"days", DurationUnit::days},   {"week", DurationUnit::weeks},
        {"weeks", DurationUnit::weeks},  {"month", DurationUnit::months}, {"months", DurationUnit::months},
        {"year", DurationUnit::years},   {"years", DurationUnit::years},
    };
    for (const auto& [word, duration_unit] : kDurations) {
      if (unit != word) continue;
      if (amount.find('.') != std::string::npos) {
        report_.error("M0005", span, "a duration counts whole " + std::string(word) + ", got " + quote_token_text(ctx->NUMBER()->getText()));
      }
      return make(DurationLit{amount, duration_unit}, span);
    }
    report_.error("M0006", at_.token(ctx->unit), "unknown unit or currency " + quote_token_text(unit),
                  "currencies are ISO 4217 codes in capitals (600_000 PKR); other units: bps, days, weeks, months, years");
    return make(NumberLit{amount}, span);
  }

  const Locator& at_;
  Reporter& report_;
  antlr4::BufferedTokenStream& tokens_;
};

// Counts tokens without keeping them (a token stream holds every token), then rewinds the lexer.
bool within_token_limit(MizanLexer& lexer, std::size_t max_tokens) {
  std::size_t count = 0;
  while (lexer.nextToken()->getType() != antlr4::Token::EOF) {
    if (++count > max_tokens) return false;
  }
  lexer.reset();
  return true;
}

}  // namespace

std::optional<Pack> build_pack(const SourceFile& file, const ParseLimits& limits, std::vector<Diagnostic>& out) {
  Reporter reporter(out, limits.max_diagnostics);
  const Locator locator(file);
  antlr4::ANTLRInputStream input(file.text);
  MizanLexer lexer(&input);
  lexer.removeErrorListeners();  // ERROR_CHAR matches any character, so the lexer has nothing to report
  if (!within_token_limit(lexer, limits.max_tokens)) {
    reporter.error("M0011", span_at(file, 0, 0), "the file has more than " + std::to_string(limits.max_tokens) + " tokens",
                   "split the pack into modules and `use` them");
    return std::nullopt;
  }
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  const std::set<std::size_t> reported = scan_tokens(tokens, locator, reporter);

  antlr4::Token* first = tokens.get(0);
  for (std::size_t i = 0; first->getChannel() != antlr4::Token::DEFAULT_CHANNEL; first = tokens.get(++i)) {
  }
  if (!is_pack_kind(first->getType())) {
    if (reported.count(first->getTokenIndex()) == 0) {
      reporter.error("M0009", locator.token(first), "a Mizan file starts with its pack header, found " + describe_token(first),
                     "begin with e.g. lawpack pk.ito2001 \"Income Tax Ordinance, 2001\" jurisdiction pk version \"2025.1\"");
    }
    return std::nullopt;
  }

  P parser(&tokens);
  parser.removeErrorListeners();
  SyntaxErrorListener listener(locator, reporter, reported);
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<MizanErrorStrategy>());
  DepthGuard guard(limits.max_depth, listener);
  parser.addParseListener(&guard);
  P::PackContext* tree = nullptr;
  try {
    tree = parser.pack();
  } catch (const TooDeep&) {
    reporter.error("M0010", locator.token(parser.getCurrentToken()),
                   "nesting is too deep (more than " + std::to_string(limits.max_depth) + " grammar levels open)",
                   "name intermediate values with `let` instead of nesting");
    return std::nullopt;
  }
  if (reporter.errors() > 0) return std::nullopt;
  Builder builder(locator, reporter, tokens);
  Pack pack = builder.pack(tree);
  if (reporter.errors() > 0) return std::nullopt;
  return pack;
}

}  // namespace savm::lang
