#include "cli/compiled_tier.h"

#include <algorithm>
#include <map>

#include "cli/pack_compilation.h"
#include "compiler/mizan_compiler.h"
#include "runtime/error.h"

namespace savm::cli {
namespace {

// What each fault of compiled Mizan means, in the words of docs/errors.md "Mizan evaluation"
// (the module reports only a code, not the evaluator's detailed message).
const std::map<std::string, std::string>& fault_meanings() {
  static const std::map<std::string, std::string> meanings = {
      {"overflow", "a result is outside the signed 256-bit range"},
      {"division_by_zero", "division by zero in a rounding"},
      {"no_law", "no version of a rule it calls is in force at the law date"},
      {"no_row", "no row of a table it consults is in force and matches"},
      {"conflict", "two applicable exceptions have the same, highest priority"},
  };
  return meanings;
}

lang::EvalError error_of(const lang::RuleInfo& rule, const std::string& code) {
  const auto meaning = fault_meanings().find(code);
  if (meaning != fault_meanings().end()) {
    return {code, rule.qualified_name + " (compiled): " + meaning->second};
  }
  return {"internal", rule.qualified_name + " (compiled): the module ended with " + code +
                          ", which no checked program can cause (a compiler bug; --tier reference is the oracle)"};
}

}  // namespace

lang::EvalResult evaluate_compiled(const lang::Workspace& ws, const std::string& root, const lang::RuleInfo& rule,
                                   const std::vector<lang::Value>& args, std::int64_t law_date) {
  const std::vector<compiler::CompiledPack> packs = compile_packs(ws, root, rule.pack_id);
  const compiler::CompiledPack& pack = *std::find_if(
      packs.begin(), packs.end(), [&](const compiler::CompiledPack& p) { return p.pack_id == rule.pack_id; });
  if (pack.find_export(rule.qualified_name) == nullptr) {
    const auto why = pack.not_exported.find(rule.qualified_name);
    throw runtime::Error("eval.not_compiled", rule.qualified_name + " is not exported by the compiled module (" +
                                                  (why != pack.not_exported.end() ? why->second : "not compiled") +
                                                  ", see `savm build`); use --tier reference");
  }
  const compiler::RunResult run = compiler::run_compiled(pack, rule, args, law_date);
  lang::EvalResult result;
  if (run.value) result.value = run.value;
  else result.error = error_of(rule, run.error_code.value_or("no outcome"));
  return result;
}

}  // namespace savm::cli
