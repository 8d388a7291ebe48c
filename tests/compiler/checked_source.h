// A Mizan source parsed and checked in one step, for the compiler tests: the source file, the
// parse and the check live together, since the checked Program points into them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lang/checker.h"
#include "lang/parser.h"

namespace savm::testing {

struct CheckedSource {
  lang::SourceFile file;
  lang::ParseResult parsed;
  lang::CheckResult checked;

  // The parser's codes and the checker's error codes, in order.
  std::vector<std::string> error_codes() const {
    std::vector<std::string> codes;
    for (const auto& d : parsed.diagnostics) codes.push_back(d.code);
    for (const auto& d : checked.diagnostics) {
      if (d.severity == lang::Severity::error) codes.push_back(d.code);
    }
    return codes;
  }
};

inline std::unique_ptr<CheckedSource> check_text(const std::string& text) {
  auto c = std::make_unique<CheckedSource>();
  c->file = lang::SourceFile{"t.mizan", text, 0};
  c->parsed = lang::parse(c->file);
  if (c->parsed.pack) c->checked = lang::check({&*c->parsed.pack}, {&c->file});
  return c;
}

// `source` after a `module t.case` header, parsed and checked.
inline std::unique_ptr<CheckedSource> check_source(const std::string& source) {
  return check_text("module t.case version \"1\"\n" + source);
}

}  // namespace savm::testing
