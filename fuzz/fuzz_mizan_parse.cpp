// Fuzzes the Mizan front end (lang/parser.h). Properties checked on every input:
//  - no crash, hang, exception or sanitizer report, whatever the bytes;
//  - a pack comes back exactly when there is no diagnostic;
//  - every diagnostic has a code M0001..M0017 and a span inside the file, and renders;
//  - parsing is deterministic: the same bytes give the same diagnostics twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lang/diagnostics.h"
#include "lang/parser.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool is_known_code(const std::string& code) {
  if (code.size() != 5 || code.compare(0, 3, "M00") != 0) return false;
  const int n = (code[3] - '0') * 10 + (code[4] - '0');
  return n >= 1 && n <= 17;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace savm::lang;
  const SourceFile file{"fuzz.mizan", std::string(reinterpret_cast<const char*>(data), size), 0};
  const ParseResult first = parse(file);
  check(first.pack.has_value() == first.diagnostics.empty());
  for (const Diagnostic& d : first.diagnostics) {
    check(is_known_code(d.code));
    check(d.span.begin <= d.span.end && d.span.end <= size && d.span.line >= 1 && d.span.column >= 1);
    check(!render(d, file).empty());
  }
  const ParseResult second = parse(file);
  check(second.diagnostics == first.diagnostics);
  return 0;
}
