// Diagnostics of the Mizan front end: a stable code (M0001...), a located message and an optional
// hint, rendered the way compilers people know do it:
//
//   pk.mizan:3:29: error[M0001]: unexpected 'then'
//    3 | rule r(a: Int) -> Int = a + then
//      |                             ^^^^
//   hint: an expression is expected after '+'
//
// Every code is documented in docs/errors.md ("Mizan").
#pragma once

#include <string>
#include <vector>

#include "lang/source.h"

namespace savm::lang {

enum class Severity { error, warning };

struct Diagnostic {
  std::string code;  // "M0001"
  Severity severity = Severity::error;
  SourceSpan span;
  std::string message;
  std::string hint;  // empty: no hint line

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// The diagnostic as text: the location line, the source line, a caret line under the span
// (to the end of the line when the span continues past it) and the hint. Ends with '\n'.
std::string render(const Diagnostic& diagnostic, const SourceFile& file);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace savm::lang
