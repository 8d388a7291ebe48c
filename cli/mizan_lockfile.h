// mizan.lock: what `savm build` produced, as canonical JSON (runtime/mcf.h), so that a zone, a
// reviewer or a second build can check exactly which sources gave which module (docs/cli.md
// "savm build"). The same workspace always gives the same bytes.
#pragma once

#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/workspace.h"
#include "runtime/mcf.h"

namespace savm::cli {

// The lockfile of `packs` (compile_packs order: dependencies first) built from `ws`, loaded from
// `root`. Per pack: id, version, jurisdiction, module digest and file name, the SHA-256 of each
// source file (paths relative to `root`, sorted), its dependencies' ids and module digests, its
// exports with kind and static gas bound, and the declarations left out with their C000x code.
runtime::CanonicalBytes mizan_lockfile(const lang::Workspace& ws, const std::string& root,
                                       const std::vector<compiler::CompiledPack>& packs);

// The file a pack's module is written to in the output directory.
std::string module_file_name(const std::string& pack_id);

}  // namespace savm::cli
