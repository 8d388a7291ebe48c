// Constant folding changes the emitted code, never a result (compiler/mizan_fold.h). Each rule
// is compiled with and without folding; both runs must give the hand-computed value (or fault),
// and the folded function must be shorter. tests/conformance/mizan/folding.json runs the same
// kind of cases against the reference evaluator.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/checker.h"
#include "lang/parser.h"
#include "tests/compiler/checked_source.h"

namespace savm::compiler {
namespace {

using testing::check_source;

const std::string kMax = "57896044618658097711785492504343953926634992332820282019728792003956564819967";


// The instruction lines of function `name` in the assembly (comments and labels excluded).
std::vector<std::string> instructions(const std::string& asm_text, const std::string& name) {
  std::istringstream in(asm_text);
  std::vector<std::string> out;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(".func ", 0) == 0) inside = line.rfind(".func " + name + "(", 0) == 0;
    else if (inside && line.rfind("  ", 0) == 0 && line.rfind("  ;", 0) != 0) out.push_back(line.substr(2));
  }
  return out;
}

std::size_t count_of(const std::vector<std::string>& code, const std::string& mnemonic) {
  std::size_t n = 0;
  for (const std::string& line : code) n += line == mnemonic || line.rfind(mnemonic + " ", 0) == 0 ? 1 : 0;
  return n;
}

struct Case {
  const char* rule;
  std::vector<std::string> args;  // Int arguments
  const char* expect;             // the value, or "error CODE"
};

const char* const kSource =
    "rule arith() -> Int = (2 + 3) * 4 - 1\n"
    "rule partial(x: Int) -> Int = x + 2 * 3\n"
    "rule dead(x: Int) -> Int = if 1 > 2 then x * 1000 + 7 else x\n"
    "rule guarded(x: Int) -> Bool = 2 > 1 and x > 0\n"
    "rule rounded() -> Money<PKR> = round(mul(50 PKR, 5%), to: 1 PKR, mode: half_even)\n"
    "rule dead_overflow(x: Int) -> Int = if 1 > 2 then MAX + 1 else x\n"
    "rule live_overflow() -> Int = MAX + 1\n";

std::string source() {
  std::string s = kSource;
  for (std::size_t at; (at = s.find("MAX")) != std::string::npos;) s.replace(at, 3, kMax);
  return s;
}

std::string outcome(const CompiledPack& pack, const Case& c) {
  std::vector<lang::Value> args;
  for (const std::string& a : c.args) args.push_back({a, {}, {}});
  const RunResult r = run_export(pack, std::string("t.case.") + c.rule, args, 0);
  if (!r.value) return "error " + r.error_code.value_or("?");
  return r.value->scalar;
}

TEST(MizanFolding, FoldingShrinksCodeButChangesNoResult) {
  const auto c = check_source(source());
  ASSERT_TRUE(c->checked.program);
  CompileOptions plain;
  plain.fold_constants = false;
  const CompiledPack folded = compile_pack(*c->checked.program, "t.case");
  const CompiledPack unfolded = compile_pack(*c->checked.program, "t.case", plain);
  const std::vector<Case> cases = {
      {"arith", {}, "19"},                       // (2 + 3) * 4 - 1
      {"partial", {"1"}, "7"},                   // 1 + 6
      {"dead", {"5"}, "5"},                      // 1 > 2 is false
      {"guarded", {"-3"}, "0"},                  // true and -3 > 0
      {"guarded", {"3"}, "1"},                   // true and 3 > 0
      {"rounded", {}, "200"},                    // 2.5 PKR → 2 PKR (half_even) = 200 paisa
      {"dead_overflow", {"5"}, "5"},             // the overflow is in the untaken branch
      {"live_overflow", {}, "error overflow"},  // not folded: faults at run time
  };
  for (const Case& k : cases) {
    EXPECT_EQ(outcome(folded, k), k.expect) << k.rule << " folded";
    EXPECT_EQ(outcome(unfolded, k), k.expect) << k.rule << " unfolded";
  }
  for (const char* rule : {"arith", "partial", "dead", "guarded", "rounded", "dead_overflow"}) {
    const std::string fn = std::string("f.t.case.") + rule;
    EXPECT_LT(instructions(folded.asm_text, fn).size(), instructions(unfolded.asm_text, fn).size()) << rule;
  }
  // live_overflow cannot be folded: the same code either way.
  EXPECT_EQ(instructions(folded.asm_text, "f.t.case.live_overflow"),
            instructions(unfolded.asm_text, "f.t.case.live_overflow"));
}

TEST(MizanFolding, WhatTheFoldedCodeIs) {
  const auto c = check_source(source());
  ASSERT_TRUE(c->checked.program);
  const CompiledPack pack = compile_pack(*c->checked.program, "t.case");
  const auto arith = instructions(pack.asm_text, "f.t.case.arith");
  EXPECT_NE(std::find(arith.begin(), arith.end(), "PUSH 19"), arith.end());
  EXPECT_EQ(count_of(arith, "ADD") + count_of(arith, "MUL") + count_of(arith, "SUB"), 0u);
  // The dead branch is gone: no MUL, no ADD, no JUMPI left in `dead`.
  const auto dead = instructions(pack.asm_text, "f.t.case.dead");
  EXPECT_EQ(count_of(dead, "MUL") + count_of(dead, "ADD") + count_of(dead, "JUMPI"), 0u);
  // A folded rounding keeps its TRACE event (the receipt explains the same steps), loses MULDIV.
  const auto rounded = instructions(pack.asm_text, "f.t.case.rounded");
  EXPECT_EQ(count_of(rounded, "MULDIV"), 0u);
  EXPECT_NE(std::find(rounded.begin(), rounded.end(), "PUSH 200"), rounded.end());
  CompileOptions plain;
  plain.fold_constants = false;
  const CompiledPack unfolded = compile_pack(*c->checked.program, "t.case", plain);
  EXPECT_EQ(count_of(rounded, "TRACE"), count_of(instructions(unfolded.asm_text, "f.t.case.rounded"), "TRACE"));
  EXPECT_EQ(count_of(rounded, "TRACE"), 2u);  // the rule's version event and the rounding's
}

}  // namespace
}  // namespace savm::compiler
