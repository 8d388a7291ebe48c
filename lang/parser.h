// Parsing Mizan source into the AST: parse(file) never throws, never prints, and never crashes
// on malformed input; every problem becomes a Diagnostic with a stable code (docs/errors.md).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/source.h"

namespace savm::lang {

struct ParseLimits {
  // M0011: a pack is statute text, not data. The parse tree costs a few hundred bytes per token,
  // so tokens are capped too (a 5,000-line pack has about 50,000).
  std::size_t max_bytes = std::size_t{1} << 20;
  std::size_t max_tokens = 200'000;
  // M0010: grammar rules open at once. One pair of parentheses costs about ten, so the default
  // allows roughly 60 nested parentheses, and keeps the parser's recursion far from the stack
  // limit even under ASan.
  std::size_t max_depth = 600;
  std::size_t max_diagnostics = 50;  // then M0017 and stop
};

struct ParseResult {
  std::optional<Pack> pack;  // present exactly when there are no errors
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& file, const ParseLimits& limits = {});

}  // namespace savm::lang
