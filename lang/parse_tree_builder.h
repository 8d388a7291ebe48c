// The one place that sees ANTLR: runs the generated lexer and parser over a file and turns the
// parse tree into the AST (lang/ast.h). The interface itself is free of ANTLR types.
#pragma once

#include <optional>
#include <vector>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/parser.h"

namespace savm::lang {

// Expects text that is valid UTF-8 and within limits.max_bytes (parse() checks both first).
// Appends diagnostics; returns the pack only when it added no error.
std::optional<Pack> build_pack(const SourceFile& file, const ParseLimits& limits, std::vector<Diagnostic>& out);

}  // namespace savm::lang
