#include "lang/source.h"

#include <algorithm>

namespace savm::lang {

std::string_view line_text(const SourceFile& file, std::uint32_t line) {
  const std::string_view text = file.text;
  std::size_t start = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  std::size_t stop = text.find('\n', start);
  if (stop == std::string_view::npos) stop = text.size();
  if (stop > start && text[stop - 1] == '\r') --stop;
  return text.substr(start, stop - start);
}

SourceSpan span_at(const SourceFile& file, std::uint32_t begin, std::uint32_t length) {
  const std::string_view text = file.text;
  begin = std::min<std::uint32_t>(begin, static_cast<std::uint32_t>(text.size()));
  SourceSpan span;
  span.file = file.id;
  span.begin = begin;
  span.end = std::min<std::uint32_t>(begin + length, static_cast<std::uint32_t>(text.size()));
  for (std::uint32_t i = 0; i < begin; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++span.line;
      span.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count code points: skip UTF-8 continuation bytes
      ++span.column;
    }
  }
  return span;
}

}  // namespace savm::lang
