#include "lang/parser.h"

#include <cstdint>
#include <string>

#include "lang/parse_tree_builder.h"

namespace savm::lang {
namespace {

// The byte offset of the first malformed UTF-8 sequence, or text.size(). Strict (RFC 3629): no
// overlong forms, no surrogates, nothing above U+10FFFF. ANTLR's input stream would otherwise
// throw on such bytes.
std::size_t first_invalid_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= text.size()) return i;
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return text.size();
}

}  // namespace

ParseResult parse(const SourceFile& file, const ParseLimits& limits) {
  ParseResult result;
  if (file.text.size() > limits.max_bytes) {
    result.diagnostics.push_back({"M0011", Severity::error, span_at(file, 0, 0),
                                  "the file is " + std::to_string(file.text.size()) + " bytes, above the limit of " +
                                      std::to_string(limits.max_bytes),
                                  "split the pack into modules and `use` them"});
    return result;
  }
  if (const std::size_t bad = first_invalid_utf8(file.text); bad != file.text.size()) {
    result.diagnostics.push_back({"M0012", Severity::error, span_at(file, static_cast<std::uint32_t>(bad), 1),
                                  "the file is not valid UTF-8 (byte " + std::to_string(bad) + ")",
                                  "save the file as UTF-8"});
    return result;
  }
  result.pack = build_pack(file, limits, result.diagnostics);
  return result;
}

}  // namespace savm::lang
