#include "compiler/asm_text.h"

#include <algorithm>

#include "compiler/assembler.h"

namespace savm::compiler::asmtext {
namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads a quoted string starting at line[i] == '"'; advances i past the closing quote.
std::string read_string(std::string_view line, std::size_t& i, std::uint32_t line_no) {
  const std::uint32_t col = static_cast<std::uint32_t>(i + 1);
  std::string out;
  for (++i; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == line.size()) break;
    switch (line[i]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'x': {
        const int hi = i + 1 < line.size() ? hex_value(line[i + 1]) : -1;
        const int lo = i + 2 < line.size() ? hex_value(line[i + 2]) : -1;
        if (hi < 0 || lo < 0) throw AsmError("asm.bad_string", line_no, static_cast<std::uint32_t>(i), "\\x needs two hex digits");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        throw AsmError("asm.bad_string", line_no, static_cast<std::uint32_t>(i), "unknown escape \\" + std::string(1, line[i]));
    }
  }
  throw AsmError("asm.bad_string", line_no, col, "unterminated string");
}

}  // namespace

std::vector<Token> tokenize(std::string_view line, std::uint32_t line_no) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == ';') break;
    Token t;
    t.line = line_no;
    t.column = static_cast<std::uint32_t>(i + 1);
    const std::size_t start = i;
    if (c == '"') {
      t.kind = TokenKind::string;
      t.text = read_string(line, i, line_no);
    } else if (ident_start(c) || (c == '.' && i + 1 < line.size() && ident_start(line[i + 1]))) {
      t.kind = c == '.' ? TokenKind::directive : TokenKind::ident;
      ++i;
      while (i < line.size() && ident_char(line[i])) ++i;
      t.text = std::string(line.substr(start, i - start));
    } else if ((c >= '0' && c <= '9') || (c == '-' && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '9')) {
      t.kind = TokenKind::number;
      ++i;
      while (i < line.size() && (ident_char(line[i]))) ++i;
      t.text = std::string(line.substr(start, i - start));
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '>') {
      t.text = "->";
      i += 2;
    } else if (c == '(' || c == ')' || c == ':' || c == ',') {
      t.text = std::string(1, c);
      ++i;
    } else {
      throw AsmError("asm.syntax", line_no, t.column, "unexpected character '" + std::string(1, c) + "'");
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<vm::WordBytes> parse_word(std::string_view text) {
  vm::WordBytes w{};
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    const std::string_view digits = text.substr(2);
    if (digits.size() > 64) return std::nullopt;
    for (std::size_t k = 0; k < digits.size(); ++k) {
      const int v = hex_value(digits[digits.size() - 1 - k]);
      if (v < 0) return std::nullopt;
      w[31 - k / 2] |= static_cast<std::uint8_t>(k % 2 == 0 ? v : v << 4);
    }
    return w;
  }
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = text.substr(negative ? 1 : 0);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    unsigned carry = static_cast<unsigned>(c - '0');
    for (std::size_t k = 32; k-- > 0;) {  // w = w * 10 + digit
      const unsigned v = w[k] * 10u + carry;
      w[k] = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
    if (carry != 0 || (w[0] & 0x80) != 0) {
      // Above 2^255 - 1: only -2^255 is still representable.
      const bool min_word = negative && carry == 0 && w[0] == 0x80 &&
                            std::all_of(w.begin() + 1, w.end(), [](std::uint8_t b) { return b == 0; });
      if (!min_word) return std::nullopt;
    }
  }
  if (negative) {  // two's complement: invert and add one
    unsigned carry = 1;
    for (std::size_t k = 32; k-- > 0;) {
      const unsigned v = static_cast<std::uint8_t>(~w[k]) + carry;
      w[k] = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
  }
  return w;
}

std::optional<std::string> parse_hex_bytes(std::string_view text) {
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') || text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t k = 2; k < text.size(); k += 2) {
    const int hi = hex_value(text[k]);
    const int lo = hex_value(text[k + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || !ident_start(text[0])) return false;
  return std::all_of(text.begin(), text.end(), ident_char);
}

std::string quote(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kDigits[u >> 4];
      out += kDigits[u & 15];
    } else {
      out += c;  // printable ASCII and UTF-8 sequences as they are
    }
  }
  return out + "\"";
}

std::string hex(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (std::size_t k = 0; k < n; ++k) {
    out += kDigits[bytes[k] >> 4];
    out += kDigits[bytes[k] & 15];
  }
  return out;
}

}  // namespace savm::compiler::asmtext
