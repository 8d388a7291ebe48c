// The source text of a Mizan file split the way the formatter needs it: code tokens (the
// lexer's default channel, with their bytes) and comments (`//` and `///`, which the parser
// drops or keeps aside), both in source order. The formatter re-emits every code token in order
// and re-attaches every comment by position, so nothing the author wrote is lost.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace savm::lang {

struct SourcePiece {
  std::uint32_t begin = 0;  // byte offsets into the source text
  std::uint32_t end = 0;
};

struct SourcePieces {
  std::vector<SourcePiece> tokens;
  std::vector<SourcePiece> comments;  // without the line break that ends them
};

// Follows the lexer rules of lang/grammar/Mizan.g4 for text that parsed: numbers, dates and
// timestamps, strings with escapes, names, and the two-character operators.
SourcePieces split_source(std::string_view text);

}  // namespace savm::lang
