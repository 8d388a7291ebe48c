// Compiling the packs of a checked workspace for `savm build` and `savm eval --tier compiled`:
// dependencies first, each pack told its direct dependencies' module digests, so that a pack's
// module is the same whichever verb compiled it.
#pragma once

#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/workspace.h"

namespace savm::cli {

// Compiles `pack_id` and every pack it uses, directly or not (every pack of the workspace when
// `pack_id` is empty), in the program's dependency order. A pack that cannot be compiled
// (compiler::CompileError) has its diagnostic printed, then throws runtime::Error
// "build.compile". Source locations in the assembly name files relative to `root`, the PATH `ws`
// was loaded from. `ws` must outlive the result (its Types point into the program).
std::vector<compiler::CompiledPack> compile_packs(const lang::Workspace& ws, const std::string& root,
                                                  const std::string& pack_id = "");

}  // namespace savm::cli
