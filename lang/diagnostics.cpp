#include "lang/diagnostics.h"

#include <algorithm>
#include <string_view>

namespace savm::lang {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The caret line: spaces (tabs kept, so the carets line up) up to the span, then one '^' per
// code point of the span on this line, at least one.
std::string caret_line(std::string_view line, const SourceSpan& span) {
  std::string out;
  std::size_t byte = 0;
  for (std::uint32_t col = 1; col < span.column && byte < line.size(); ++col) {
    out += line[byte] == '\t' ? '\t' : ' ';
    ++byte;
    while (byte < line.size() && is_continuation(line[byte])) ++byte;
  }
  const std::size_t span_bytes = span.end > span.begin ? span.end - span.begin : 0;
  const std::size_t stop = std::min(line.size(), byte + span_bytes);
  std::size_t carets = 0;
  for (std::size_t i = byte; i < stop; ++i) {
    if (!is_continuation(line[i])) ++carets;
  }
  out.append(std::max<std::size_t>(carets, 1), '^');
  return out;
}

}  // namespace

std::string render(const Diagnostic& d, const SourceFile& file) {
  std::string out = file.path + ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.column) + ": " +
                    (d.severity == Severity::error ? "error" : "warning") + "[" + d.code + "]: " + d.message + "\n";
  const std::string number = std::to_string(d.span.line);
  const std::string_view line = line_text(file, d.span.line);
  out += " " + number + " | " + std::string(line) + "\n";
  out += " " + std::string(number.size(), ' ') + " | " + caret_line(line, d.span) + "\n";
  if (!d.hint.empty()) out += "hint: " + d.hint + "\n";
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace savm::lang
