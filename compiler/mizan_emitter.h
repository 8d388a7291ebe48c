// The state code generation shares: the module being built (citations, which rules, tables and
// date helpers are compiled, in what order) and the function being written (its assembly text,
// labels, locals). Codegen of expressions (mizan_codegen_expr.cpp), of definitions and versions
// (mizan_codegen_rule.cpp) and of tables (mizan_codegen_table.cpp) all write through these.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "compiler/mizan_layout.h"
#include "lang/literals.h"

namespace savm::compiler {

using lang::date_text;  // "2025-07-01" for days since 1970-01-01 (lang/literals.h)

// `text` as an assembly string literal, quotes included (docs/vm.md "Assembly").
std::string asm_string(std::string_view text);

class ModuleContext {
 public:
  // `pack_file`: the SourceFile id of the pack being compiled; its positions go into the module's
  // source map (code linked in from other packs maps to 0:0).
  ModuleContext(const CompileOptions& options, std::uint32_t pack_file) : options_(options), pack_file_(pack_file) {}

  // The citation table entry for `text` (appended on first use): its assembly name.
  std::string cite(const std::string& text);
  // The SAVM function of a rule or table, compiling it (and its callees) first if needed.
  // Throws CompileError C0002 when it cannot be compiled.
  std::string require(const lang::RuleInfo& rule);
  std::string require(const lang::TableInfo& table);
  std::string require(const lang::TransitionInfo& transition);
  // A date helper function (h.civil, h.add_months, ...), added with its own helpers.
  std::string require_helper(const std::string& name);

  // Why a declaration could not be compiled (its diagnostic code), if it could not.
  const CompileOptions& options() const { return options_; }
  const std::map<std::string, std::string>& failed() const { return failed_; }
  const std::vector<lang::Diagnostic>& diagnostics() const { return diagnostics_; }
  const std::vector<std::string>& citations() const { return citations_; }
  // Function texts in dependency order (callees before callers).
  const std::vector<std::string>& functions() const { return functions_; }
  std::string location(const lang::SourceSpan& span) const;
  // The `.loc LINE COL` of `span` in the source map: its position in the pack's own file, else 0 0.
  std::string source_position(const lang::SourceSpan& span) const;

 private:
  template <typename Decl, typename Emit>
  std::string require_decl(const Decl& decl, const std::string& function_name, Emit emit);

  const CompileOptions& options_;
  std::uint32_t pack_file_;
  std::vector<std::string> citations_;
  std::map<std::string, std::size_t> citation_index_;
  std::set<std::string> done_;  // function names whose text is in functions_
  std::set<std::string> in_progress_;
  std::map<std::string, std::string> failed_;  // qualified name → code
  std::vector<lang::Diagnostic> diagnostics_;
  std::vector<std::string> functions_;
};

class FunctionEmitter {
 public:
  // `name`: the SAVM function being written (lifted lambda bodies are named after it).
  FunctionEmitter(ModuleContext& module, std::string name, const lang::FunctionBody& body, const lang::SourceSpan& span)
      : module_(module), name_(std::move(name)), body_(body), span_(span), slots_(layout_slots(body, span)),
        next_local_(slots_.total), high_water_(next_local_) {}

  ModuleContext& module() { return module_; }
  const std::string& name() const { return name_; }
  const lang::FunctionBody& body() const { return body_; }
  const lang::SourceSpan& span() const { return span_; }
  const SlotLayout& slots() const { return slots_; }

  void op(std::string_view mnemonic);
  void op(std::string_view mnemonic, std::string_view operand);
  void push(std::string_view value) { op("PUSH", value); }
  void label(const std::string& name);
  std::string fresh_label(std::string_view hint);
  // A `; file:line:col` comment when `span` is on another line than the last one noted.
  void at(const lang::SourceSpan& span);
  void comment(std::string_view text);
  // `words` fresh locals; throws C0004 past the VM's cap. Temps are only reused after release().
  std::uint32_t temp(std::uint32_t words, const lang::SourceSpan& span);
  // Temps live as long as the code of the expression that took them. An unrolled list iteration
  // (mizan_codegen_list.cpp) releases its body's temps after each copy, so the next copy reuses
  // them instead of taking cap × as many locals.
  std::uint32_t temp_mark() const { return next_local_; }
  void release_temps(std::uint32_t mark) { next_local_ = mark; }
  // The top `words` stack words into locals [base, base+words), and back.
  void spill(std::uint32_t base, std::uint32_t words);
  void load(std::uint32_t base, std::uint32_t words);
  // PUSH code, PUSH0, PUSH0, REVERT.
  void revert(std::uint64_t code);

  // A lambda body lifted into a function of its own (mizan_codegen_list.cpp): the name it was
  // given, if it was lifted already; and lifting a new one, named "NAME.lambda.N".
  const std::string* lifted(const lang::TExpr* body) const;
  std::string lift(const lang::TExpr* body, const std::function<std::string(const std::string&)>& emit);

  // The finished function: the functions lifted from it, then ".func NAME(P)->R locals L" and
  // the body.
  std::string finish(std::uint32_t params, std::uint32_t results) const;

 private:
  ModuleContext& module_;
  std::string name_;
  const lang::FunctionBody& body_;
  lang::SourceSpan span_;
  SlotLayout slots_;
  std::uint32_t next_local_;
  std::uint32_t high_water_;  // locals the function declares
  std::uint32_t labels_ = 0;
  std::string text_;
  std::map<const lang::TExpr*, std::string> lifted_;  // lambda body → its function
  std::string lifted_text_;
  std::uint32_t last_file_ = ~0u, last_line_ = 0;
};

// Codegen entry points (one concept per file).
void emit_expr(FunctionEmitter& f, const lang::TExpr& e);  // pushes word_count(e.type) words
// Lists (mizan_codegen_list.cpp): a literal, an iteration, size(list).
void emit_list_make(FunctionEmitter& f, const lang::TExpr& e, const lang::ListMake& l);
void emit_iterate(FunctionEmitter& f, const lang::TExpr& e, const lang::Iterate& it);
void emit_list_size(FunctionEmitter& f, const lang::TExpr& list);
std::string emit_rule(ModuleContext& m, const lang::RuleInfo& rule, const std::string& function_name);
std::string emit_table(ModuleContext& m, const lang::TableInfo& table, const std::string& function_name);
std::string emit_transition(ModuleContext& m, const lang::TransitionInfo& transition, const std::string& function_name);
std::string helper_text(const std::string& name);  // the assembly of one date helper
std::vector<std::string> helper_dependencies(const std::string& name);

// Cited text of a trace event: "KIND NAME[ DETAIL][ cites C1; C2]" (docs/design/mizan-compiler.md).
std::string trace_text(std::string_view kind, std::string_view name, std::string_view detail,
                       const std::vector<std::string>& cites);

}  // namespace savm::compiler
