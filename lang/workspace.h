// A workspace: one .mizan file, or every .mizan file under a directory (sorted by path, so that
// results never depend on directory order), parsed and checked together, plus the library packs
// (the standard library, stdlib/) that its `use`s name and it does not declare itself.
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
  std::vector<SourceFile> files;       // files[i].id == i; the workspace's own, then library files
  std::unique_ptr<Program> program;    // present exactly when there is no error
  std::vector<Diagnostic> diagnostics;  // parse diagnostics, then (when every file parsed) the checker's
};

// Throws WorkspaceError when the path cannot be read or a directory has no .mizan file (the CLI
// reports it as io.read). A pack that a `use` names and no workspace file declares is looked up
// in `library_dirs`, in order (the first declaration of an id wins), and loaded with the library
// packs it uses in turn. A library pack brings its declarations, not its `test` blocks: those
// belong to the library's own workspace (`savm test stdlib`). The library directories are only
// read when some `use` needs them; one that is not a directory is then a WorkspaceError.
Workspace load_workspace(const std::string& path, const std::vector<std::string>& library_dirs);

// load_workspace(path, library_dirs_from_environment()).
Workspace load_workspace(const std::string& path);

// The directories of the MIZAN_PATH environment variable (separated by ':'; empty entries
// skipped), so that every verb reaches the standard library: MIZAN_PATH=stdlib savm check mypack.
std::vector<std::string> library_dirs_from_environment();

// The .mizan files `path` names: itself, or those below it, sorted.
std::vector<std::string> mizan_files(const std::string& path);

}  // namespace savm::lang
