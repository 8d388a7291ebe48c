#include "compiler/mizan_emitter.h"

#include <algorithm>
#include <cstdio>

namespace savm::compiler {

std::string asm_string(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string trace_text(std::string_view kind, std::string_view name, std::string_view detail,
                       const std::vector<std::string>& cites) {
  std::string text = std::string(kind) + " " + std::string(name);
  if (!detail.empty()) text += " " + std::string(detail);
  for (std::size_t i = 0; i < cites.size(); ++i) text += (i == 0 ? " cites " : "; ") + cites[i];
  return text;
}

// ---- ModuleContext ------------------------------------------------------------------------------

std::string ModuleContext::cite(const std::string& text) {
  auto [it, inserted] = citation_index_.emplace(text, citations_.size());
  if (inserted) citations_.push_back(text);
  return "c" + std::to_string(it->second);
}

std::string ModuleContext::location(const lang::SourceSpan& span) const {
  const auto it = options_.file_names.find(span.file);
  const std::string file = it != options_.file_names.end() ? it->second : "file#" + std::to_string(span.file);
  return file + ":" + std::to_string(span.line) + ":" + std::to_string(span.column);
}

std::string ModuleContext::source_position(const lang::SourceSpan& span) const {
  if (span.file != pack_file_) return "0 0";
  return std::to_string(span.line) + " " + std::to_string(span.column);
}

template <typename Decl, typename Emit>
std::string ModuleContext::require_decl(const Decl& decl, const std::string& function_name, Emit emit) {
  const auto failed = failed_.find(decl.qualified_name);
  if (failed != failed_.end()) {
    throw CompileError({"C0002", lang::Severity::warning, decl.span,
                        "uses " + decl.qualified_name + ", which could not be compiled (" + failed->second + ")", ""});
  }
  if (done_.count(function_name) != 0 || in_progress_.count(function_name) != 0) return function_name;
  in_progress_.insert(function_name);
  try {
    std::string text = emit(*this, decl, function_name);
    functions_.push_back(std::move(text));
    done_.insert(function_name);
  } catch (const CompileError& e) {
    in_progress_.erase(function_name);
    failed_[decl.qualified_name] = e.diagnostic.code;
    lang::Diagnostic d = e.diagnostic;
    d.message = decl.qualified_name + " is not compiled: " + d.message;
    diagnostics_.push_back(std::move(d));
    throw CompileError({"C0002", lang::Severity::warning, decl.span,
                        "uses " + decl.qualified_name + ", which could not be compiled (" + e.diagnostic.code + ")",
                        ""});
  }
  in_progress_.erase(function_name);
  return function_name;
}

std::string ModuleContext::require(const lang::RuleInfo& rule) {
  return require_decl(rule, "f." + rule.qualified_name, emit_rule);
}

std::string ModuleContext::require(const lang::TableInfo& table) {
  return require_decl(table, "t." + table.qualified_name, emit_table);
}

std::string ModuleContext::require(const lang::TransitionInfo& transition) {
  return require_decl(transition, "x." + transition.qualified_name, emit_transition);
}

std::string ModuleContext::require_helper(const std::string& name) {
  if (done_.count(name) != 0) return name;
  for (const std::string& dep : helper_dependencies(name)) require_helper(dep);
  functions_.push_back(helper_text(name));
  done_.insert(name);
  return name;
}

// ---- FunctionEmitter ----------------------------------------------------------------------------

void FunctionEmitter::op(std::string_view mnemonic) {
  text_ += "  ";
  text_ += mnemonic;
  text_ += "\n";
}

void FunctionEmitter::op(std::string_view mnemonic, std::string_view operand) {
  text_ += "  ";
  text_ += mnemonic;
  text_ += " ";
  text_ += operand;
  text_ += "\n";
}

void FunctionEmitter::label(const std::string& name) { text_ += name + ":\n"; }

std::string FunctionEmitter::fresh_label(std::string_view hint) {
  return std::string(hint) + "_" + std::to_string(labels_++);
}

void FunctionEmitter::at(const lang::SourceSpan& span) {
  if (span.file == last_file_ && span.line == last_line_) return;
  last_file_ = span.file;
  last_line_ = span.line;
  comment(module_.location(span));
  text_ += ".loc " + module_.source_position(span) + "\n";
}

void FunctionEmitter::comment(std::string_view text) {
  text_ += "  ; ";
  text_ += text;
  text_ += "\n";
}

std::uint32_t FunctionEmitter::temp(std::uint32_t words, const lang::SourceSpan& span) {
  if (next_local_ + words > vm::kMaxLocals) {
    throw CompileError({"C0004", lang::Severity::warning, span,
                        "the function needs more than " + std::to_string(vm::kMaxLocals) + " local words", ""});
  }
  const std::uint32_t base = next_local_;
  next_local_ += words;
  high_water_ = std::max(high_water_, next_local_);
  return base;
}

void FunctionEmitter::spill(std::uint32_t base, std::uint32_t words) {
  for (std::uint32_t i = words; i > 0; --i) op("LOCAL_SET", std::to_string(base + i - 1));
}

void FunctionEmitter::load(std::uint32_t base, std::uint32_t words) {
  for (std::uint32_t i = 0; i < words; ++i) op("LOCAL_GET", std::to_string(base + i));
}

void FunctionEmitter::revert(std::uint64_t code) {
  push(std::to_string(code));
  op("PUSH0");
  op("PUSH0");
  op("REVERT");
}

const std::string* FunctionEmitter::lifted(const lang::TExpr* body) const {
  const auto it = lifted_.find(body);
  return it != lifted_.end() ? &it->second : nullptr;
}

std::string FunctionEmitter::lift(const lang::TExpr* body,
                                  const std::function<std::string(const std::string&)>& emit) {
  const std::string name = name_ + ".lambda." + std::to_string(lifted_.size());
  lifted_text_ += emit(name);
  lifted_.emplace(body, name);
  return name;
}

std::string FunctionEmitter::finish(std::uint32_t params, std::uint32_t results) const {
  return lifted_text_ + ".func " + name_ + "(" + std::to_string(params) + ")->" + std::to_string(results) + " locals " +
         std::to_string(high_water_) + "\n" + text_ + "\n";
}

}  // namespace savm::compiler
