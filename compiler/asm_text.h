// The lexical layer of SAVM assembly, shared by the assembler (reading) and the disassembler
// (writing), so that what one prints the other reads back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/module.h"

namespace savm::compiler::asmtext {

enum class TokenKind : std::uint8_t { ident, directive, number, string, punct };

struct Token {
  TokenKind kind = TokenKind::punct;
  std::string text;  // strings: the unescaped bytes
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool is_punct(std::string_view p) const { return kind == TokenKind::punct && text == p; }
};

// One line, comments (`;` to end of line) dropped. Throws AsmError asm.syntax / asm.bad_string.
std::vector<Token> tokenize(std::string_view line, std::uint32_t line_no);

// Decimal (optionally negative, two's complement) or 0x hex (at most 64 digits) to a big-endian
// word; nullopt if it does not fit a signed 256-bit word (hex: 256 bits).
std::optional<vm::WordBytes> parse_word(std::string_view text);
// "0x" followed by an even number of hex digits ("0x" alone is empty).
std::optional<std::string> parse_hex_bytes(std::string_view text);

bool is_identifier(std::string_view text);
std::string quote(std::string_view bytes);  // a string literal tokenize() reads back exactly
std::string hex(const std::uint8_t* bytes, std::size_t n);  // "0x" + lowercase digits

}  // namespace savm::compiler::asmtext
