// Loading Mizan sources for the author's verbs (eval, explain, test, build): one workspace per
// PATH, checked, with its diagnostics printed on stderr in the compiler format, so every verb
// reports a bad pack the same way (docs/cli.md).
#pragma once

#include <cstdint>
#include <string>

#include "lang/diagnostics.h"
#include "lang/workspace.h"

namespace savm::cli {

// The checked workspace of PATH (a .mizan file or a directory); an unreadable path is io.read.
lang::Workspace load_mizan(const std::string& path);

// Prints every diagnostic; false when there is an error (then there is no program).
bool report_diagnostics(const lang::Workspace& ws);

// Prints one diagnostic with its source line when it has a non-empty span in a file of `ws`, and
// as `savm: error[CODE]: message` otherwise (the compiler's diagnostics about a whole pack have
// an empty span).
void print_diagnostic(const lang::Workspace& ws, const lang::Diagnostic& d);

// A source file's path relative to the workspace PATH it was loaded from (its name when PATH is
// the file itself), so that what a build records does not depend on where it was run from.
std::string relative_source_path(const std::string& root, const std::string& file);

const lang::SourceFile* file_of(const lang::Workspace& ws, std::uint32_t id);

}  // namespace savm::cli
