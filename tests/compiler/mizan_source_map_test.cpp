// The debug section of a compiled pack maps its instructions to the pack's own .mizan file
// (docs/design/mizan-compiler.md, "Source map"): every mapped line is a line of the source, the
// rule's body maps to the line it is written on, and the names come from CompileOptions.
#include <gtest/gtest.h>

#include <set>

#include "compiler/mizan_compiler.h"
#include "tests/compiler/checked_source.h"

namespace savm::compiler {
namespace {

const char* kSourceMapPack =
    "module t.map version \"1\"\n"                                  // line 1
    "rule base(x: Int) -> Int = x * 3\n"                            // line 2
    "rule total(x: Int) -> Int\n"                                   // line 3
    "  default base(x) + 1\n"                                       // line 4
    "  exception big priority 1 when x > 100: base(x) - 1\n";       // line 5

TEST(MizanSourceMap, InstructionsMapToThePacksOwnLines) {
  const auto source = testing::check_text(kSourceMapPack);
  ASSERT_TRUE(source->checked.program);
  CompileOptions options;
  options.file_names[0] = "packs/t/map.mizan";
  const CompiledPack pack = compile_pack(*source->checked.program, "t.map", options);
  ASSERT_TRUE(pack.module.debug.has_value());
  const vm::Debug& debug = *pack.module.debug;
  EXPECT_EQ(debug.source_name, "packs/t/map.mizan");
  std::set<std::uint32_t> lines;
  for (const vm::SourceMapEntry& e : debug.source_map) {
    EXPECT_LE(e.line, 5u) << "a line outside the 5-line source";
    lines.insert(e.line);
  }
  // The rules' bodies (lines 2, 4, 5) are mapped; entry stubs are not (0).
  for (const std::uint32_t line : {2u, 4u, 5u}) EXPECT_TRUE(lines.count(line)) << "line " << line;
  EXPECT_TRUE(lines.count(0u));
}

}  // namespace
}  // namespace savm::compiler
