// Shared helpers of the Mizan front-end tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "lang/diagnostics.h"
#include "lang/parser.h"

namespace savm::lang::test {

inline constexpr const char* kHeader = "lawpack pk.t \"T\" jurisdiction pk version \"1\"\n";

inline ParseResult parse_text(const std::string& text, const std::string& path = "t.mizan") {
  return parse(SourceFile{path, text, 0});
}

// Everything rendered, for failure messages.
inline std::string rendered(const ParseResult& r, const std::string& text, const std::string& path = "t.mizan") {
  std::string out;
  const SourceFile file{path, text, 0};
  for (const Diagnostic& d : r.diagnostics) out += render(d, file);
  return out;
}

// Parses kHeader + body, which must be clean; returns the pack.
inline Pack parse_ok(const std::string& body) {
  const std::string text = std::string(kHeader) + body;
  ParseResult r = parse_text(text);
  EXPECT_TRUE(r.diagnostics.empty()) << rendered(r, text);
  if (!r.pack) return {};
  return std::move(*r.pack);
}

template <typename T>
const T& as(const Expr& e) {
  EXPECT_TRUE(std::holds_alternative<T>(e.node)) << "node index " << e.node.index();
  static const T empty{};
  return std::holds_alternative<T>(e.node) ? std::get<T>(e.node) : empty;
}

template <typename T>
const T& decl_as(const Pack& p, std::size_t i) {
  static const T empty{};
  if (i >= p.decls.size() || !std::holds_alternative<T>(p.decls[i].node)) {
    ADD_FAILURE() << "declaration " << i << " missing or of another kind";
    return empty;
  }
  return std::get<T>(p.decls[i].node);
}

}  // namespace savm::lang::test
