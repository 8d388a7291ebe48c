// `savm fmt`: the canonical layout of a Mizan pack (docs/mizan.md, "Formatting"). The layout
// follows the AST; the tokens and comments come from the source (lang/format_printer.h), so
// formatting never changes what a pack means (parse(format(x)) has the AST of parse(x)), never
// drops a comment, and is idempotent (format(format(x)) == format(x)).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lang/diagnostics.h"
#include "lang/source.h"

namespace savm::lang {

struct FormatResult {
  std::optional<std::string> text;      // present exactly when the file parses
  std::vector<Diagnostic> diagnostics;  // the parser's (the codes of `savm check`) when it does not
};

FormatResult format(const SourceFile& file);

}  // namespace savm::lang
