// A Mizan source file and locations in it. Spans carry both the position a person reads
// (line, column in code points) and the byte range a tool slices (begin, end).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace savm::lang {

struct SourceSpan {
  std::uint32_t file = 0;    // SourceFile::id
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, counted in Unicode code points
  std::uint32_t begin = 0;   // byte offset of the first byte
  std::uint32_t end = 0;     // byte offset one past the last byte

  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

struct SourceFile {
  std::string path;  // as shown in diagnostics
  std::string text;  // the bytes, expected to be UTF-8
  std::uint32_t id = 0;
};

// The text of 1-based line `line` without its line break; empty past the end.
std::string_view line_text(const SourceFile& file, std::uint32_t line);

// The span of the `length` bytes at byte offset `begin`, with line and column computed.
SourceSpan span_at(const SourceFile& file, std::uint32_t begin, std::uint32_t length);

}  // namespace savm::lang
