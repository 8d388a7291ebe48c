#include "runtime/json_path.h"

#include <fmt/format.h>

#include "runtime/utf8.h"

namespace savm::runtime {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(key[0])) return false;
  for (char c : key) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Quoted so that any key, even one with quotes, brackets or broken UTF-8, prints unambiguously.
void append_quoted_key(std::string& out, std::string_view key) {
  const bool valid = utf8::first_invalid(key) == std::string_view::npos;
  out += "[\"";
  for (char ch : key) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\u{:04x}", byte);
    } else if (byte >= 0x80 && !valid) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += ch;
    }
  }
  out += "\"]";
}

}  // namespace

std::string format_path(const std::vector<PathStep>& steps) {
  std::string out = "$";
  for (const PathStep& step : steps) {
    if (!step.is_key) {
      out += fmt::format("[{}]", step.index);
    } else if (is_identifier(step.key)) {
      out += '.';
      out += step.key;
    } else {
      append_quoted_key(out, step.key);
    }
  }
  return out;
}

}  // namespace savm::runtime
