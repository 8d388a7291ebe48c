// The Mizan checker: parsed packs (lang/ast.h) → the checked Program (lang/program.h). Resolves
// names across packs (`use ... as alias`), types every expression, converts literals to their
// representation, makes every rounding a `Rounded` node, and proves what it can about the law:
// no recursion, versions and table rows that neither overlap nor leave gaps over the horizon,
// complete tables (docs/mizan.md, "Checking"). Codes M0101 upward (docs/errors.md).
#pragma once

#include <memory>
#include <vector>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/program.h"
#include "lang/source.h"

namespace savm::lang {

struct CheckResult {
  std::unique_ptr<Program> program;  // present exactly when there is no error
  std::vector<Diagnostic> diagnostics;
};

// Checks several parsed packs together (a directory of .mizan files; `use` resolves by pack id
// among them). files[i] is the source of packs[i]. Never throws on bad input.
CheckResult check(const std::vector<const Pack*>& packs, const std::vector<const SourceFile*>& files);

}  // namespace savm::lang
