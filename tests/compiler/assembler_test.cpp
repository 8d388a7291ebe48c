// The assembly text form: hand-encoded bytes, located errors, and disassemble/assemble round
// trips that must reproduce the module digest.
#include "compiler/assembler.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "compiler/disassembler.h"
#include "vm/opcodes.h"
#include "vm/verifier.h"

namespace savm::compiler {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

AsmError error_of(const std::string& text) {
  try {
    assemble(text);
  } catch (const AsmError& e) {
    return e;
  }
  return AsmError("none", 0, 0, "assembled");
}

void expect_round_trip(const vm::Module& m) {
  const std::string text = disassemble(m);
  const vm::Module again = assemble(text, {"roundtrip.sasm", true});
  EXPECT_EQ(vm::module_digest(again), vm::module_digest(m)) << text;
  EXPECT_EQ(disassemble(again), text);
}

TEST(Assembler, EncodesInstructionsAsDocumented) {
  const vm::Module m = assemble(R"(
.const big 0x0102
.func main(0)->1 locals 2   ; comment
  PUSH 300          ; smallest width: PUSH2
  PUSH1 7
  PUSH 2
  MULDIV half_up
  LOCAL_SET 1
  PUSH0
  JUMPI done
  CONST big
  RETURN
done:
  PUSH -1           ; two's complement needs PUSH32
  RETURN
.export main rule
)");
  std::vector<std::uint8_t> expected = {0x03, 0x01, 0x2c,        // 0  PUSH2 300
                                        0x02, 0x07,              // 3  PUSH1 7
                                        0x02, 0x02,              // 5  PUSH1 2
                                        0x18, 0x03,              // 7  MULDIV half_up
                                        0x36, 0x01, 0x00,        // 9  LOCAL_SET 1
                                        0x01,                    // 12 PUSH0
                                        0x51, 22, 0, 0, 0,       // 13 JUMPI 22
                                        0x37, 0x00, 0x00,        // 18 CONST 0
                                        0x53,                    // 21 RETURN
                                        0x07};                   // 22 PUSH32 -1
  expected.insert(expected.end(), 32, 0xff);
  expected.push_back(0x53);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].code, expected);
  EXPECT_EQ(m.functions[0].local_count, 2u);
  EXPECT_EQ(m.functions[0].max_stack, 3u);
  // Both paths: 3+3+3+20+3+3+10 = 45, then CONST+RETURN or PUSH32+RETURN = 11.
  EXPECT_EQ(m.functions[0].gas_bound, 56u);
  vm::WordBytes big{};
  big[30] = 1;
  big[31] = 2;
  EXPECT_EQ(m.constants, std::vector<vm::WordBytes>{big});
  ASSERT_EQ(m.exports.size(), 1u);
  EXPECT_EQ(m.exports[0].kind, vm::ExportKind::rule);
  ASSERT_TRUE(m.debug.has_value());
  EXPECT_EQ(m.debug->function_names, std::vector<std::string>{"main"});
  EXPECT_EQ(m.debug->source_map.front().line, 4u);  // PUSH 300 is on line 4
  EXPECT_TRUE(std::holds_alternative<vm::VerifiedModule>(vm::verify(m)));
}

// `.loc` replaces the assembly position in the source map until the next `.loc` or `.func`; with
// positions_from_loc an instruction under no `.loc` maps to 0:0.
TEST(Assembler, LocDirectivesSetTheSourceMap) {
  const char* text =
      ".func f(0)->1\n"        // line 1
      "  PUSH 1\n"              // line 2: its own position, 2:3
      "  .loc 40 7\n"
      "  PUSH 2\n"              // 40:7
      "  ADD\n"                 // 40:7
      "  RETURN\n"              // 40:7
      ".func g(0)->0\n"
      "  RETURN\n"              // line 8: .func reset the .loc
      ".export f rule\n";
  const vm::Module own = assemble(text);
  ASSERT_TRUE(own.debug.has_value());
  const auto& map = own.debug->source_map;
  ASSERT_EQ(map.size(), 5u);
  EXPECT_EQ(std::make_pair(map[0].line, map[0].column), std::make_pair(2u, 3u));
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(std::make_pair(map[i].line, map[i].column), std::make_pair(40u, 7u)) << i;
  EXPECT_EQ(map[4].line, 8u);
  const vm::Module compiled = assemble(text, {"law.mizan", true, true});
  EXPECT_EQ(compiled.debug->source_name, "law.mizan");
  EXPECT_EQ(compiled.debug->source_map[0].line, 0u);
  EXPECT_EQ(compiled.debug->source_map[1].line, 40u);
  EXPECT_EQ(compiled.debug->source_map[4].line, 0u);
  EXPECT_EQ(vm::module_digest(own), vm::module_digest(compiled));  // debug info is outside the digest
  EXPECT_EQ(error_of(".func f(0)->0\n  .loc 3\n  RETURN\n").code, "asm.syntax");
}

TEST(Assembler, LocatedTextErrors) {
  auto e = error_of(".func f(0)->0\n  PUSH0\n  FROB 3\n");
  EXPECT_EQ(e.code, "asm.unknown_mnemonic");
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 3u);
  e = error_of(".func f(0)->0\n  JUMP nowhere\n");
  EXPECT_EQ(e.code, "asm.undefined_name");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 8u);
  e = error_of(".func f(0)->0\n  PUSH0\n  PUSH0\n  PUSH0\n  MULDIV nearest\n");
  EXPECT_EQ(e.code, "asm.bad_operand");
  EXPECT_EQ(e.line, 5u);
  e = error_of(".func f(0)->0\n  PUSH1 256\n");
  EXPECT_EQ(e.code, "asm.number_range");
  e = error_of(".func f(0)->0\nx:\nx:\n  HALT\n");
  EXPECT_EQ(e.code, "asm.duplicate_name");
  EXPECT_EQ(e.line, 3u);
  e = error_of("  HALT\n");
  EXPECT_EQ(e.code, "asm.outside_function");
  e = error_of(".frobnicate 1\n");
  EXPECT_EQ(e.code, "asm.unknown_directive");
  e = error_of(".data d \"abc\n");
  EXPECT_EQ(e.code, "asm.bad_string");
  e = error_of(".const c 0x" + std::string(65, 'f') + "\n");
  EXPECT_EQ(e.code, "asm.number_range");
  e = error_of(".func f(0)->0\n  HALT 3\n");
  EXPECT_EQ(e.code, "asm.bad_operand");
  e = error_of(".func f(0)->0\n  CONST nope\n  HALT\n");
  EXPECT_EQ(e.code, "asm.undefined_name");
}

TEST(Assembler, VerifierErrorsAreLocatedAtTheLine) {
  auto e = error_of(".func f(0)->0\n  PUSH0\n  JUMPI end\n  POP\nend:\n  HALT\n");
  EXPECT_EQ(e.code, "verify.stack_underflow");
  EXPECT_EQ(e.line, 4u);
  e = error_of(".func f(0)->1\n  PUSH0\n  PUSH0\n  RETURN\n");
  EXPECT_EQ(e.code, "verify.return_height");
  EXPECT_EQ(e.line, 4u);
  e = error_of(".func f(0)->0\nback:\n  PUSH0\n  JUMPI back\n  HALT\n");
  EXPECT_EQ(e.code, "verify.backward_jump");
  EXPECT_EQ(e.line, 4u);
}

TEST(Assembler, DecimalAndHexWords) {
  const vm::Module m = assemble(
      ".const a -57896044618658097711785492504343953926634992332820282019728792003956564819968\n"
      ".const b 57896044618658097711785492504343953926634992332820282019728792003956564819967\n"
      ".const c 0x8000000000000000000000000000000000000000000000000000000000000000\n");
  ASSERT_EQ(m.constants.size(), 3u);
  EXPECT_EQ(m.constants[0], m.constants[2]);  // -2^255 == 0x80...0
  EXPECT_EQ(m.constants[1][0], 0x7f);
  EXPECT_EQ(m.constants[1][31], 0xff);
  EXPECT_EQ(error_of(".const d 57896044618658097711785492504343953926634992332820282019728792003956564819968\n").code,
            "asm.number_range");  // 2^255 is not a signed word
}

TEST(Disassembler, SampleProgramsRoundTripToTheSameDigest) {
  for (const char* name : {"aml_check.sasm", "fee_transfer.sasm"}) {
    const std::string text = read_file(std::string(SAVM_SOURCE_DIR) + "/examples/asm/" + name);
    ASSERT_FALSE(text.empty()) << name;
    const vm::Module m = assemble(text, {name, true});
    EXPECT_TRUE(std::holds_alternative<vm::VerifiedModule>(vm::verify(m))) << name;
    expect_round_trip(m);
  }
}

TEST(Disassembler, EveryOpcodeRoundTrips) {
  // One function per opcode with enough stack prepared, so the printer and parser agree on
  // every immediate kind.
  vm::Module m;
  m.signatures = {{0, 0}};
  m.host_imports = {{"weird name", 0, 7}};
  m.constants = {vm::WordBytes{}};
  m.data = {{{0x00, 0x01}}};
  m.metadata.citations = {"c\"ite\n"};
  m.functions.push_back(vm::Function{0, 0, 0, 0, {0x56}});
  for (std::size_t b = 0; b < 256; ++b) {
    const vm::OpInfo& info = vm::op_info(static_cast<std::uint8_t>(b));
    if (!info.defined()) continue;
    const bool ends = info.is_terminator() && !info.is_branch();  // RETURN REVERT HALT
    std::vector<std::uint8_t> code(b == static_cast<std::uint8_t>(vm::Op::RETURN) ? 0 : 8,
                                   static_cast<std::uint8_t>(vm::Op::PUSH0));
    code.push_back(static_cast<std::uint8_t>(b));
    const std::size_t n = vm::imm_size(info.imm, info.push_width);
    std::vector<std::uint8_t> imm(n, 0);
    if (info.imm == vm::Imm::count) imm[0] = 1;
    if (info.imm == vm::Imm::target) imm[0] = static_cast<std::uint8_t>(code.size() + n);
    if (info.imm == vm::Imm::push && n > 0) imm[n - 1] = 0x2a;
    code.insert(code.end(), imm.begin(), imm.end());
    if (!ends) code.push_back(static_cast<std::uint8_t>(vm::Op::HALT));
    m.functions.push_back(vm::Function{0, 1, 0, 0, code});
  }
  const auto errors = vm::compute_bounds(m);
  ASSERT_TRUE(errors.empty()) << errors.front().code << " in function " << errors.front().function;
  expect_round_trip(m);
}

TEST(Disassembler, UndecodableCodeIsPrintedNotFatal) {
  vm::Module m;
  m.signatures = {{0, 0}};
  m.functions = {vm::Function{0, 0, 0, 0, {0x00, 0x04, 0x01}}};  // invalid byte, truncated PUSH4
  const std::string text = disassemble(m);
  EXPECT_NE(text.find(".byte 0"), std::string::npos);
  EXPECT_NE(text.find(".byte 4"), std::string::npos);
  EXPECT_EQ(error_of(text).code, "verify.unknown_opcode");
}

// Random programs that keep the stack height valid, with forward branches; every one that
// verifies must survive disassemble -> assemble with its digest.
TEST(Disassembler, RandomVerifiedModulesRoundTrip) {
  std::mt19937 rng(20240601);  // fixed seed: the test is deterministic
  const vm::Op simple[] = {vm::Op::ADD, vm::Op::LT, vm::Op::AND, vm::Op::NOT, vm::Op::POP, vm::Op::ISZERO,
                           vm::Op::PUSH0, vm::Op::CALLER, vm::Op::SLOAD, vm::Op::MSIZE};
  int verified = 0;
  for (int round = 0; round < 200; ++round) {
    vm::Module m;
    m.signatures = {{0, 0}, {1, 1}};
    m.constants = {vm::WordBytes{}};
    m.functions.push_back(vm::Function{1, 1, 0, 0, {0x35, 0x00, 0x00, 0x53}});  // LOCAL_GET 0, RETURN
    std::vector<std::uint8_t> code;
    int height = 0;
    std::vector<std::size_t> fixups;  // JUMPI immediates to point at the final HALT
    const int length = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < length; ++k) {
      const unsigned pick = rng() % 14;
      if (pick < 10) {
        const vm::OpInfo& info = vm::op_info(simple[pick]);
        if (height < info.pops) continue;
        code.push_back(static_cast<std::uint8_t>(simple[pick]));
        height += info.pushes - info.pops;
      } else if (pick == 10) {
        code.push_back(0x02);
        code.push_back(static_cast<std::uint8_t>(rng()));
        ++height;
      } else if (pick == 11 && height >= 1) {
        code.insert(code.end(), {0x52, 0x00, 0x00});  // CALL 0: (1)->1
      } else if (pick == 12 && height == 1) {
        code.push_back(0x51);  // JUMPI to the end, taken with height 0
        fixups.push_back(code.size());
        code.insert(code.end(), 4, 0);
        height = 0;
      } else if (pick == 13) {
        code.insert(code.end(), {0x37, 0x00, 0x00});
        ++height;
      }
    }
    while (height > 0) {
      code.push_back(0x08);
      --height;
    }
    const auto end = static_cast<std::uint32_t>(code.size());
    for (std::size_t at : fixups) {
      for (int k = 0; k < 4; ++k) code[at + k] = static_cast<std::uint8_t>(end >> (8 * k));
    }
    code.push_back(0x56);
    m.functions.push_back(vm::Function{0, 0, 0, 0, code});
    m.exports = {{"entry", vm::ExportKind::test, 1}};
    if (!vm::compute_bounds(m).empty()) continue;
    ++verified;
    expect_round_trip(m);
  }
  EXPECT_GT(verified, 150);
}

}  // namespace
}  // namespace savm::compiler
