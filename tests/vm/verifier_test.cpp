// The verifier: one malformed module per rule, and hand-computed max stack and gas bounds.
#include "vm/verifier.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/vm/code_builder.h"

namespace savm::vm {
namespace {

using test::Code;
using test::module_of;

// The first error's code, or "ok". Declared bounds are filled in first so only the rule under
// test can fail.
std::string first_error(Module m) {
  if (auto errors = compute_bounds(m); !errors.empty()) return errors.front().code;
  auto result = verify(std::move(m));
  if (auto* errors = std::get_if<std::vector<VerifyError>>(&result)) return errors->front().code;
  return "ok";
}

VerifyError only_error(Module m) {
  auto errors = compute_bounds(m);
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? VerifyError{} : errors.front();
}

TEST(Verifier, AcceptsStraightLineCodeWithHandComputedBounds) {
  // PUSH1 1, PUSH1 2, ADD, POP, HALT: 3 + 3 + 5 + 3 + 3 = 17 gas; max height 2.
  Module m = module_of({Code().push1(1).push1(2).op(Op::ADD).op(Op::POP).op(Op::HALT).bytes});
  m.functions[0].max_stack = 2;
  m.functions[0].gas_bound = 17;
  auto result = verify(m);
  ASSERT_TRUE(std::holds_alternative<VerifiedModule>(result));
  const auto& vm = std::get<VerifiedModule>(result);
  EXPECT_EQ(vm.function(0).max_stack, 2u);
  EXPECT_EQ(vm.function(0).gas_bound, 17u);
  EXPECT_EQ(vm.digest(), module_digest(m));
}

TEST(Verifier, GasBoundIsTheLongestPath) {
  // 0 PUSH0 | 1 JUMPI 10 | 6 PUSH1 1 | 8 POP | 9 HALT | 10 HALT
  // fallthrough: 3 + 10 + 3 + 3 + 3 = 22; taken: 3 + 10 + 3 = 16.
  Code c;
  c.op(Op::PUSH0).u32(Op::JUMPI, 10).push1(1).op(Op::POP).op(Op::HALT).op(Op::HALT);
  Module m = module_of({c.bytes});
  ASSERT_TRUE(compute_bounds(m).empty());
  EXPECT_EQ(m.functions[0].gas_bound, 22u);
  EXPECT_EQ(m.functions[0].max_stack, 1u);
  // verify() reaches the same values on its own and accepts them as declared.
  auto vm = std::get<VerifiedModule>(verify(m));
  EXPECT_EQ(vm.function(0).gas_bound, 22u);
  EXPECT_EQ(vm.function(0).max_stack, 1u);
  EXPECT_EQ(vm.function(0).params, 0u);
  EXPECT_EQ(vm.function(0).results, 0u);
}

TEST(Verifier, CalleeBoundsHostGasAndDynamicMaximaAddUp) {
  Module m;
  m.signatures = {{0, 0}, {2, 1}};
  m.host_imports = {{"screen", 1, 2500}};
  // f0: PUSH0 PUSH0 CALL 1 PUSH0 HOSTCALL 0 POP HALT
  //   3 + 3 + 40 + bound(f1) + 3 + (100 + 2500) + 3 + 3
  // f1 (2 params, 1 result): PUSH0 PUSH0 SHA256 RETURN = 3 + 3 + (60 + 12 * 32768) + 8
  m.functions = {
      Function{0, 0, 0, 0, Code().op(Op::PUSH0).op(Op::PUSH0).u16(Op::CALL, 1).op(Op::PUSH0)
                               .u16(Op::HOSTCALL, 0).op(Op::POP).op(Op::HALT).bytes},
      Function{1, 2, 0, 0, Code().op(Op::PUSH0).op(Op::PUSH0).op(Op::SHA256).op(Op::RETURN).bytes}};
  ASSERT_TRUE(compute_bounds(m).empty());
  const std::uint64_t f1 = 3 + 3 + (60 + 12 * 32768) + 8;
  EXPECT_EQ(m.functions[1].gas_bound, f1);
  EXPECT_EQ(m.functions[0].gas_bound, 3 + 3 + 40 + f1 + 3 + 2600 + 3 + 3);
  EXPECT_EQ(m.functions[0].max_stack, 2u);
  EXPECT_TRUE(std::holds_alternative<VerifiedModule>(verify(m)));
}

TEST(Verifier, VerifyZkCostsByProofSystem) {
  // PUSH0 x4, VERIFY_ZK bbs_plus (75,000 + memory words at 0/word), POP, HALT
  Code c;
  c.op(Op::PUSH0).op(Op::PUSH0).op(Op::PUSH0).op(Op::PUSH0).u8(Op::VERIFY_ZK, 2).op(Op::POP).op(Op::HALT);
  Module m = module_of({c.bytes});
  ASSERT_TRUE(compute_bounds(m).empty());
  EXPECT_EQ(m.functions[0].gas_bound, 4 * 3 + 75000u + 3 + 3);
}

TEST(Verifier, DeclaredBoundsMustEqualComputed) {
  Module m = module_of({Code().op(Op::HALT).bytes});
  m.functions[0].gas_bound = 4;  // HALT costs 3
  EXPECT_EQ(std::get<std::vector<VerifyError>>(verify(m)).front().code, "verify.gas_bound_mismatch");
  m.functions[0].gas_bound = 3;
  m.functions[0].max_stack = 1;
  EXPECT_EQ(std::get<std::vector<VerifyError>>(verify(m)).front().code, "verify.max_stack_mismatch");
}

TEST(Verifier, UnknownOpcode) {
  const VerifyError e = only_error(module_of({Code().op(Op::PUSH0).raw({0x00}).op(Op::HALT).bytes}));
  EXPECT_EQ(e.code, "verify.unknown_opcode");
  EXPECT_EQ(e.function, 0u);
  EXPECT_EQ(e.offset, 1u);
}

TEST(Verifier, TruncatedImmediate) {
  EXPECT_EQ(first_error(module_of({Code().op(Op::HALT).op(Op::PUSH4).raw({1, 2}).bytes})),
            "verify.unreachable");  // after HALT nothing is reachable: checked first
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH4).raw({1, 2}).bytes})), "verify.truncated_instruction");
  EXPECT_EQ(first_error(module_of({Code().op(Op::JUMP).raw({1}).bytes})), "verify.truncated_instruction");
}

TEST(Verifier, JumpIntoTheMiddleOfAnImmediate) {
  // 0 PUSH0 | 1 JUMPI 7 | 6 PUSH2 aa bb | 9 POP | 10 HALT  (7 is inside PUSH2's immediate)
  Code c;
  c.op(Op::PUSH0).u32(Op::JUMPI, 7).op(Op::PUSH2).raw({0xaa, 0xbb}).op(Op::POP).op(Op::HALT);
  const VerifyError e = only_error(module_of({c.bytes}));
  EXPECT_EQ(e.code, "verify.bad_jump_target");
  EXPECT_EQ(e.offset, 7u);
}

TEST(Verifier, JumpOutsideTheFunctionOrBackward) {
  EXPECT_EQ(first_error(module_of({Code().u32(Op::JUMP, 5).bytes})), "verify.bad_jump_target");
  EXPECT_EQ(first_error(module_of({Code().u32(Op::JUMP, 0).bytes})), "verify.backward_jump");
  // 0 HALT-free loop: 0 PUSH0 | 1 POP | 2 JUMP 1
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).op(Op::POP).u32(Op::JUMP, 1).bytes})),
            "verify.backward_jump");
}

TEST(Verifier, UnderflowOnOnePathOnly) {
  // 0 PUSH0 | 1 JUMPI 7 | 6 POP (height 0 here on the fall-through path) | 7 HALT
  Code c;
  c.op(Op::PUSH0).u32(Op::JUMPI, 7).op(Op::POP).op(Op::HALT);
  const VerifyError e = only_error(module_of({c.bytes}));
  EXPECT_EQ(e.code, "verify.stack_underflow");
  EXPECT_EQ(e.offset, 6u);
}

TEST(Verifier, HeightMismatchAtAMerge) {
  // 0 PUSH0 | 1 JUMPI 7 (arrives with 0) | 6 PUSH0 | 7 HALT (falls through with 1)
  Code c;
  c.op(Op::PUSH0).u32(Op::JUMPI, 7).op(Op::PUSH0).op(Op::HALT);
  const VerifyError e = only_error(module_of({c.bytes}));
  EXPECT_EQ(e.code, "verify.height_mismatch");
  EXPECT_EQ(e.offset, 7u);
  // Two jumps to one target with different heights.
  Code d;  // 0 PUSH0 | 1 PUSH0 | 2 JUMPI 13 (h1) | 7 PUSH0 | 8 JUMPI 13 (h1)... then 13 with h2 from 2nd
  d.op(Op::PUSH0).op(Op::PUSH0).u32(Op::JUMPI, 14).op(Op::PUSH0).op(Op::PUSH0).u32(Op::JUMPI, 14)
      .op(Op::HALT).op(Op::HALT);
  EXPECT_EQ(first_error(module_of({d.bytes})), "verify.height_mismatch");
}

TEST(Verifier, MissingTerminatorAndUnreachableCode) {
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).op(Op::POP).bytes})), "verify.missing_terminator");
  EXPECT_EQ(first_error(module_of({std::vector<std::uint8_t>{}})), "verify.missing_terminator");
  EXPECT_EQ(first_error(module_of({Code().op(Op::HALT).op(Op::HALT).bytes})), "verify.unreachable");
}

TEST(Verifier, StackOverflow) {
  Code c;
  for (std::uint32_t i = 0; i <= kMaxStack; ++i) c.op(Op::PUSH0);
  c.op(Op::HALT);
  const VerifyError e = only_error(module_of({c.bytes}));
  EXPECT_EQ(e.code, "verify.stack_overflow");
  EXPECT_EQ(e.offset, kMaxStack);
}

TEST(Verifier, ReturnHeightMustMatchResults) {
  EXPECT_EQ(first_error(module_of({Code().op(Op::RETURN).bytes}, Signature{0, 1})), "verify.return_height");
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).op(Op::RETURN).bytes}, Signature{0, 1})), "ok");
}

TEST(Verifier, BadIndices) {
  EXPECT_EQ(first_error(module_of({Code().u16(Op::LOCAL_GET, 1).op(Op::POP).op(Op::HALT).bytes}, {0, 0}, 1)),
            "verify.bad_local");
  EXPECT_EQ(first_error(module_of({Code().u16(Op::LOCAL_GET, 0).op(Op::POP).op(Op::HALT).bytes}, {0, 0}, 1)),
            "ok");
  EXPECT_EQ(first_error(module_of({Code().u16(Op::CONST, 0).op(Op::POP).op(Op::HALT).bytes})), "verify.bad_const");
  EXPECT_EQ(first_error(module_of({Code().u16(Op::DATA_SIZE, 0).op(Op::POP).op(Op::HALT).bytes})), "verify.bad_data");
  EXPECT_EQ(first_error(module_of({Code().u16(Op::CALL, 1).op(Op::HALT).bytes})), "verify.bad_function");
  EXPECT_EQ(first_error(module_of({Code().u16(Op::HOSTCALL, 0).op(Op::HALT).bytes})), "verify.bad_import");
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).u16(Op::TRACE, 0).op(Op::HALT).bytes})),
            "verify.bad_citation");
  Module bad_sig = module_of({Code().op(Op::HALT).bytes});
  bad_sig.functions[0].signature = 1;
  EXPECT_EQ(first_error(bad_sig), "verify.bad_signature");
  EXPECT_EQ(first_error(module_of({Code().op(Op::HALT).bytes}, {2, 0}, 1)), "verify.bad_locals");
  Module bad_import = module_of({Code().op(Op::HALT).bytes});
  bad_import.host_imports = {{"x", 5, 0}};
  EXPECT_EQ(first_error(bad_import), "verify.bad_signature");
  bad_import.host_imports = {{"x", 0, 0}, {"x", 0, 0}};
  EXPECT_EQ(first_error(bad_import), "verify.duplicate_import");
}

TEST(Verifier, BadImmediates) {
  auto muldiv = [](std::uint8_t mode) {
    return Code().op(Op::PUSH0).op(Op::PUSH0).push1(1).u8(Op::MULDIV, mode).op(Op::POP).op(Op::HALT).bytes;
  };
  EXPECT_EQ(first_error(module_of({muldiv(5)})), "ok");  // half_down
  EXPECT_EQ(first_error(module_of({muldiv(6)})), "verify.bad_immediate");
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).u8(Op::DUP, 0).op(Op::HALT).bytes})),
            "verify.bad_immediate");
  Code zk;
  zk.op(Op::PUSH0).op(Op::PUSH0).op(Op::PUSH0).op(Op::PUSH0).u8(Op::VERIFY_ZK, 5).op(Op::POP).op(Op::HALT);
  EXPECT_EQ(first_error(module_of({zk.bytes})), "verify.bad_immediate");
}

TEST(Verifier, DupAndSwapDepth) {
  // DUP 2 needs two items; SWAP 1 needs two items.
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).u8(Op::DUP, 2).op(Op::HALT).bytes})),
            "verify.stack_underflow");
  EXPECT_EQ(first_error(module_of({Code().op(Op::PUSH0).u8(Op::SWAP, 1).op(Op::HALT).bytes})),
            "verify.stack_underflow");
  Module ok = module_of({Code().op(Op::PUSH0).op(Op::PUSH0).u8(Op::DUP, 2).u8(Op::SWAP, 2).op(Op::HALT).bytes});
  ASSERT_TRUE(compute_bounds(ok).empty());
  EXPECT_EQ(ok.functions[0].max_stack, 3u);
}

TEST(Verifier, CallUsesTheCalleeSignature) {
  Module m;
  m.signatures = {{0, 0}, {2, 1}};
  m.functions = {Function{0, 0, 0, 0, Code().op(Op::PUSH0).u16(Op::CALL, 1).op(Op::HALT).bytes},
                 Function{1, 2, 0, 0, Code().op(Op::PUSH0).op(Op::RETURN).bytes}};
  EXPECT_EQ(first_error(m), "verify.stack_underflow");
  m.functions[0].code = Code().op(Op::PUSH0).op(Op::PUSH0).u16(Op::CALL, 1).op(Op::RETURN).bytes;
  EXPECT_EQ(first_error(m), "verify.return_height");  // one result left, zero declared
  m.functions[0].code = Code().op(Op::PUSH0).op(Op::PUSH0).u16(Op::CALL, 1).op(Op::POP).op(Op::RETURN).bytes;
  EXPECT_EQ(first_error(m), "ok");
}

TEST(Verifier, RecursionIsRejected) {
  Module self = module_of({Code().u16(Op::CALL, 0).op(Op::HALT).bytes});
  EXPECT_EQ(first_error(self), "verify.recursion");
  Module mutual = module_of({Code().u16(Op::CALL, 1).op(Op::HALT).bytes, Code().u16(Op::CALL, 0).op(Op::HALT).bytes});
  EXPECT_EQ(first_error(mutual), "verify.recursion");
  Module diamond = module_of({Code().u16(Op::CALL, 1).u16(Op::CALL, 2).op(Op::HALT).bytes,
                              Code().u16(Op::CALL, 2).op(Op::HALT).bytes, Code().op(Op::HALT).bytes});
  ASSERT_EQ(first_error(diamond), "ok");
  ASSERT_TRUE(compute_bounds(diamond).empty());
  // f2 = 3; f1 = 40 + 3 + 3 = 46; f0 = 40 + 46 + 40 + 3 + 3 = 132
  EXPECT_EQ(diamond.functions[0].gas_bound, 132u);
}

TEST(Verifier, BoundsDoNotDependOnFunctionOrder) {
  // A chain a -> b -> c with a also calling c, laid out callers first (every caller's walk must
  // wait for its callees) and callees first. By hand: c = HALT = 3; b = CALL c + HALT =
  // 40 + 3 + 3 = 46; a = CALL b + CALL c + HALT = (40 + 46) + (40 + 3) + 3 = 132.
  const auto halt = Code().op(Op::HALT).bytes;
  Module callers_first = module_of({Code().u16(Op::CALL, 1).u16(Op::CALL, 2).op(Op::HALT).bytes,
                                    Code().u16(Op::CALL, 2).op(Op::HALT).bytes, halt});
  Module callees_first = module_of({halt, Code().u16(Op::CALL, 0).op(Op::HALT).bytes,
                                    Code().u16(Op::CALL, 1).u16(Op::CALL, 0).op(Op::HALT).bytes});
  ASSERT_TRUE(compute_bounds(callers_first).empty());
  ASSERT_TRUE(compute_bounds(callees_first).empty());
  EXPECT_EQ(callers_first.functions[0].gas_bound, 132u);
  EXPECT_EQ(callers_first.functions[1].gas_bound, 46u);
  EXPECT_EQ(callers_first.functions[2].gas_bound, 3u);
  EXPECT_EQ(callees_first.functions[2].gas_bound, 132u);
  EXPECT_EQ(callees_first.functions[1].gas_bound, 46u);
  EXPECT_EQ(callees_first.functions[0].gas_bound, 3u);
}

TEST(Verifier, RecursionNamesTheFirstFunctionFoundOnTheCycle) {
  // f0 -> f1 -> f2 -> f1: a depth-first search from f0 in index order meets f1 again first.
  Module m = module_of({Code().u16(Op::CALL, 1).op(Op::HALT).bytes, Code().u16(Op::CALL, 2).op(Op::HALT).bytes,
                        Code().u16(Op::CALL, 1).op(Op::HALT).bytes});
  const VerifyError e = only_error(m);
  EXPECT_EQ(e.code, "verify.recursion");
  EXPECT_EQ(e.function, 1u);
}

TEST(Verifier, ErrorsAfterACallToALaterFunctionAreFound) {
  // f0 reaches CALL 1 before f1 is analysed, so its analysis waits for f1; both errors remain.
  Module m = module_of({Code().u16(Op::CALL, 1).op(Op::POP).op(Op::HALT).bytes, Code().op(Op::ADD).op(Op::HALT).bytes});
  const auto errors = compute_bounds(m);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].function, 0u);
  EXPECT_EQ(errors[0].offset, 3u);
  EXPECT_EQ(errors[0].code, "verify.stack_underflow");
  EXPECT_EQ(errors[1].function, 1u);
  EXPECT_EQ(errors[1].code, "verify.stack_underflow");
}

TEST(Verifier, WorkStaysLinearForALongCallersFirstChain) {
  // f_i calls f_i+1 for 2,000 functions: every walk but the last waits for its callee. Each
  // function is walked at most twice and scanned once, so work stays a small multiple of the code.
  Module m;
  m.signatures = {{0, 0}};
  constexpr std::uint32_t kChain = 2000;
  std::size_t code_bytes = 0;
  for (std::uint32_t i = 0; i < kChain; ++i) {
    Code c;
    for (int k = 0; k < 20; ++k) c.op(Op::PUSH0).op(Op::POP);
    if (i + 1 < kChain) c.u16(Op::CALL, static_cast<std::uint16_t>(i + 1));
    c.op(Op::HALT);
    code_bytes += c.bytes.size();
    m.functions.push_back(Function{0, 0, 0, 0, c.bytes});
  }
  std::uint64_t work = 0;
  ASSERT_TRUE(compute_bounds(m, &work).empty());
  EXPECT_LE(work, 4 * (code_bytes + kChain));
  // Gas by hand: each function 20 * (PUSH0 3 + POP 3) + HALT 3 = 123 of its own, plus 40 per CALL.
  EXPECT_EQ(m.functions[kChain - 1].gas_bound, 123u);
  EXPECT_EQ(m.functions[0].gas_bound, 123u * kChain + 40u * (kChain - 1));
}

TEST(Verifier, ExportSignatures) {
  Module m = module_of({Code().op(Op::HALT).bytes});
  m.exports = {{"r", ExportKind::rule, 0}};
  EXPECT_EQ(first_error(m), "verify.export_signature");  // a rule returns at least one result
  // A rule may return a record: 2 words, and up to the entry cap of 16, but not 17.
  Code two, sixteen, seventeen;
  two.op(Op::PUSH0).op(Op::PUSH0).op(Op::RETURN);
  for (int i = 0; i < 16; ++i) sixteen.op(Op::PUSH0);
  sixteen.op(Op::RETURN);
  for (int i = 0; i < 17; ++i) seventeen.op(Op::PUSH0);
  seventeen.op(Op::RETURN);
  Module record_rule = module_of({two.bytes}, Signature{0, 2});
  record_rule.exports = {{"r", ExportKind::rule, 0}};
  EXPECT_EQ(first_error(record_rule), "ok");
  Module widest = module_of({sixteen.bytes}, Signature{0, 16});
  widest.exports = {{"r", ExportKind::rule, 0}};
  EXPECT_EQ(first_error(widest), "ok");
  Module too_wide = module_of({seventeen.bytes}, Signature{0, 17});
  too_wide.exports = {{"r", ExportKind::rule, 0}};
  EXPECT_EQ(first_error(too_wide), "verify.export_signature");
  m.exports = {{"t", ExportKind::test, 0}};
  EXPECT_EQ(first_error(m), "ok");
  m.exports = {{"t", ExportKind::test, 3}};
  EXPECT_EQ(first_error(m), "verify.bad_export");
  Module with_params = module_of({Code().op(Op::HALT).bytes}, {1, 0}, 1);
  with_params.exports = {{"x", ExportKind::transition, 0}};
  EXPECT_EQ(first_error(with_params), "verify.export_signature");
}

TEST(Verifier, ReportsErrorsOfEveryFunctionInOrder) {
  Module m = module_of({Code().op(Op::HALT).bytes, Code().op(Op::POP).op(Op::HALT).bytes,
                        Code().raw({0x00}).bytes});
  auto result = verify(m);
  const auto& errors = std::get<std::vector<VerifyError>>(result);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].function, 1u);
  EXPECT_EQ(errors[0].code, "verify.stack_underflow");
  EXPECT_EQ(errors[1].function, 2u);
  EXPECT_EQ(errors[1].code, "verify.unknown_opcode");
}

TEST(Verifier, GasBoundSaturationIsRejected) {
  // A chain of 70 functions each calling the next twice doubles the bound 69 times (> 2^60).
  Module m;
  m.signatures = {{0, 0}};
  const std::uint16_t n = 70;
  for (std::uint16_t i = 0; i < n; ++i) {
    Code c;
    if (i + 1 < n) c.u16(Op::CALL, i + 1).u16(Op::CALL, i + 1);
    c.op(Op::HALT);
    m.functions.push_back(Function{0, 0, 0, 0, c.bytes});
  }
  EXPECT_EQ(first_error(m), "verify.gas_bound_overflow");
}

}  // namespace
}  // namespace savm::vm
