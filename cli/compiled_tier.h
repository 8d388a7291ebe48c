// `savm eval --tier compiled`: the entry's pack compiled to SAVM (with its dependencies, as
// `savm build` compiles them) and the export run on the interpreter, reported in the reference
// evaluator's terms, so both tiers print the same JSON and the same eval.* codes (docs/cli.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lang/evaluator.h"
#include "lang/workspace.h"

namespace savm::cli {

// Runs `rule` compiled. A fault of the program has the evaluator's code (overflow,
// division_by_zero, no_law, no_row, conflict); any other outcome of the module is `internal` (a
// compiler bug: the reference tier is the oracle). The trace is empty. Throws runtime::Error
// "eval.not_compiled" when the compiler left the entry out, "build.compile" when the pack does
// not compile.
lang::EvalResult evaluate_compiled(const lang::Workspace& ws, const std::string& root, const lang::RuleInfo& rule,
                                   const std::vector<lang::Value>& args, std::int64_t law_date);

}  // namespace savm::cli
