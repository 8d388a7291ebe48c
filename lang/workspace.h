// A workspace: one .mizan file, or every .mizan file under a directory (sorted by path, so that
// results never depend on directory order), parsed and checked together.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lang/diagnostics.h"
#include "lang/program.h"
#include "lang/source.h"

namespace savm::lang {

struct WorkspaceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Workspace {
  std::vector<SourceFile> files;       // files[i].id == i
  std::unique_ptr<Program> program;    // present exactly when there is no error
  std::vector<Diagnostic> diagnostics;  // parse diagnostics, then (when every file parsed) the checker's
};

// Throws WorkspaceError when the path cannot be read or a directory has no .mizan file (the CLI
// reports it as io.read).
Workspace load_workspace(const std::string& path);

// The .mizan files `path` names: itself, or those below it, sorted.
std::vector<std::string> mizan_files(const std::string& path);

}  // namespace savm::lang
