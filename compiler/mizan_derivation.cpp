// The derivation both tiers must agree on (docs/design/mizan-compiler.md, "TRACE events"): which
// rule versions, table rows, exceptions and defaults were taken, in order, and where a rounding
// happened. The compiled trace names a rounding by its source location and the evaluator by its
// rule, so a rounding counts by its kind alone.
#include "compiler/mizan_compiler.h"

namespace savm::compiler {

std::vector<std::string> derivation_steps(const std::vector<lang::TraceEvent>& trace) {
  std::vector<std::string> steps;
  for (const lang::TraceEvent& e : trace) {
    if (e.kind == "rounding") {
      steps.push_back("rounding");
    } else {
      steps.push_back(e.kind + " " + e.name + (e.kind == "exception" ? "." + e.label : ""));
    }
  }
  return steps;
}

std::vector<std::string> derivation_steps(const CompiledPack& pack, const std::vector<std::uint16_t>& compiled_trace) {
  const std::vector<std::string>& citations = pack.module.metadata.citations;
  std::vector<std::string> steps;
  for (const std::uint16_t index : compiled_trace) {
    const std::string& text = index < citations.size() ? citations[index] : "?";
    const std::size_t kind_end = text.find(' ');
    const std::string kind = text.substr(0, kind_end);
    if (kind == "rounding" || kind_end == std::string::npos) {
      steps.push_back(kind);
      continue;
    }
    const std::size_t name_end = text.find(' ', kind_end + 1);
    steps.push_back(kind + " " + text.substr(kind_end + 1, name_end == std::string::npos ? std::string::npos : name_end - kind_end - 1));
  }
  return steps;
}

}  // namespace savm::compiler
