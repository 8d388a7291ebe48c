#include "lang/format_tokens.h"

#include <array>
#include <cctype>
#include <string_view>

namespace savm::lang {
namespace {

bool digit(std::string_view t, std::size_t i) { return i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) != 0; }

// DIGIT{4} '-' DIGIT{2} '-' DIGIT{2}, the shape shared by DATE and TIMESTAMP.
bool date_at(std::string_view t, std::size_t i) {
  for (std::size_t k = 0; k < 10; ++k) {
    const bool dash = k == 4 || k == 7;
    if (dash ? (i + k >= t.size() || t[i + k] != '-') : !digit(t, i + k)) return false;
  }
  return true;
}

// 'T' DIGIT{2} ':' DIGIT{2} ':' DIGIT{2} 'Z' after a date.
bool time_at(std::string_view t, std::size_t i) {
  constexpr std::string_view kShape = "T00:00:00Z";
  for (std::size_t k = 0; k < kShape.size(); ++k) {
    const bool ok = kShape[k] == '0' ? digit(t, i + k) : i + k < t.size() && t[i + k] == kShape[k];
    if (!ok) return false;
  }
  return true;
}

// NUMBER or PERCENT: DIGITS ('.' DIGITS)? '%'?, where DIGITS is a digit then digits and '_'.
std::size_t number_end(std::string_view t, std::size_t i) {
  auto digits = [&](std::size_t j) {
    while (j < t.size() && (std::isdigit(static_cast<unsigned char>(t[j])) != 0 || t[j] == '_')) ++j;
    return j;
  };
  i = digits(i);
  if (i < t.size() && t[i] == '.' && digit(t, i + 1)) i = digits(i + 1);
  if (i < t.size() && t[i] == '%') ++i;
  return i;
}

std::size_t string_end(std::string_view t, std::size_t i) {
  for (++i; i < t.size() && t[i] != '"' && t[i] != '\n'; ++i) {
    if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] != '\n') ++i;
  }
  return i < t.size() && t[i] == '"' ? i + 1 : i;
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::size_t token_end(std::string_view t, std::size_t i) {
  const char c = t[i];
  if (c == '"') return string_end(t, i);
  if (date_at(t, i)) return time_at(t, i + 10) ? i + 20 : i + 10;
  if (std::isdigit(static_cast<unsigned char>(c)) != 0) return number_end(t, i);
  if (name_char(c)) {
    while (i < t.size() && name_char(t[i])) ++i;
    return i;
  }
  static constexpr std::array<std::string_view, 8> kPairs = {"->", "=>", ":=", "..", "==", "!=", "<=", ">="};
  for (std::string_view pair : kPairs) {
    if (t.substr(i, 2) == pair) return i + 2;
  }
  return i + 1;
}

}  // namespace

SourcePieces split_source(std::string_view text) {
  SourcePieces pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
      continue;
    }
    const auto begin = static_cast<std::uint32_t>(i);
    if (text.substr(i, 2) == "//") {
      while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
      pieces.comments.push_back({begin, static_cast<std::uint32_t>(i)});
      continue;
    }
    i = token_end(text, i);
    pieces.tokens.push_back({begin, static_cast<std::uint32_t>(i)});
  }
  return pieces;
}

}  // namespace savm::lang
