// The SAVM interpreter, in the style of evmone's Baseline (docs/vm.md "Interpreter"):
//
// - a cheap one-pass analysis per module (each function's code copied into a buffer padded with
//   HALT, so the loop needs no end-of-code check), cached by module digest;
// - one dispatch loop written once (vm/interpreter_loop.inc) and compiled twice: computed goto
//   (GCC/Clang labels as values) and a plain switch, both always available so they can be run
//   against each other; the default is chosen at build time (CMake SAVM_DISPATCH=goto|switch);
// - per-instruction gas charged before the instruction's effect (docs/gas.md);
// - no checks of what the verifier proved (stack bounds, jump targets, indices, immediates):
//   those are SAVM_ASSERTs, active in debug builds and fuzzers only.
//
// Every write goes to the execution's Journal; effects leave only with a successful result.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vm/host.h"
#include "vm/opcodes.h"
#include "vm/outcome.h"
#include "vm/verifier.h"

#ifndef NDEBUG
#include <cassert>
#define SAVM_ASSERT(cond) assert(cond)
#elif defined(SAVM_FUZZING)
#include <cstdlib>
#define SAVM_ASSERT(cond) ((cond) ? void(0) : std::abort())
#else
#define SAVM_ASSERT(cond) ((void)0)
#endif

namespace savm::vm {

enum class Dispatch : std::uint8_t { computed_goto, switch_loop };

#if defined(SAVM_DISPATCH_SWITCH)
inline constexpr Dispatch kDefaultDispatch = Dispatch::switch_loop;
#else
inline constexpr Dispatch kDefaultDispatch = Dispatch::computed_goto;
#endif

// The per-module analysis: padded code per function plus what a CALL needs.
struct FunctionCode {
  std::vector<std::uint8_t> padded;  // code, then kCodePadding HALT bytes
  std::uint32_t params = 0;
  std::uint32_t results = 0;
  std::uint32_t local_count = 0;
  // What a run entered here can use at most, this frame and its deepest chain of callees (the
  // call graph is acyclic): operand stack words (sum of max_stack) and local slots. execute()
  // sizes the machine from these once, so calls never allocate.
  std::uint64_t stack_need = 0;
  std::uint64_t locals_need = 0;
};

struct CodeAnalysis {
  std::vector<FunctionCode> functions;
  std::vector<Word> constants;               // the constant pool, decoded
  std::vector<std::uint32_t> import_params;   // per host import
  std::vector<std::uint32_t> import_results;
};

inline constexpr std::size_t kCodePadding = 33;

// The analysis fuses `LOCAL_GET i; PUSHn k (n <= 8); EQ|NE|LT|GT|LE|GE; JUMPI t` (a threshold
// test: every slab or limit check of a policy) into one internal instruction when no jump lands
// inside it: the padded copy then holds this byte, i, n, k, a truth mask in place of the
// comparison's byte, and t (same length, so every other offset is unchanged). 0xE0 is not a
// SAVM opcode, so verified code never contains it.
inline constexpr std::uint8_t kFusedLocalCompareJump = 0xE0;

// The analysis also fuses the arithmetic of money x rate code (a slab's `(amount - over) * rate /
// scale + fixed`), each sequence under the same no-jump-inside rule and rewritten in place, same
// length. Immediates come from PUSH0..PUSH8 (one limb, zero-extended); w and v are their widths
// in bytes. ADD and SUB get an internal opcode each, so every handler runs one operation.
//   PUSHw k; ADD / SUB              -> [0xE1 / 0xE2][w][k: w]
//   LOCAL_GET i; PUSHw k; ADD / SUB -> [0xE3 / 0xE4][i: 2][w][k: w][unused]
//   PUSHw b; PUSHv c; MULDIV m      -> [0xE5][m][w | v << 4][b: w][c: v][unused]
//   PUSHw off; INPUT_LOAD           -> [0xE6][w][off: w]
// Only the last instruction of each can fault, and the others only push, so charging the summed
// gas first gives exactly the per-instruction outcome (a shortfall anywhere is out_of_gas, which
// consumes the whole limit; docs/gas.md).
inline constexpr std::uint8_t kFusedPushAdd = 0xE1;
inline constexpr std::uint8_t kFusedPushSub = 0xE2;
inline constexpr std::uint8_t kFusedLocalPushAdd = 0xE3;
inline constexpr std::uint8_t kFusedLocalPushSub = 0xE4;
inline constexpr std::uint8_t kFusedPushPushMuldiv = 0xE5;
inline constexpr std::uint8_t kFusedPushInputLoad = 0xE6;

// Analyses `module`, or returns the cached analysis of a module with the same digest. Thread-safe;
// the cache holds at most kAnalysisCacheSize modules (least recently inserted evicted first).
std::shared_ptr<const CodeAnalysis> analyze(const VerifiedModule& module);
inline constexpr std::size_t kAnalysisCacheSize = 256;

// The function an export names, or nullopt.
std::optional<std::uint32_t> find_export(const Module& module, std::string_view name);

// Runs function `function` of `module`. Its parameters are the first `params` words of `input`
// (INPUT_LOAD 0, 32, ...; zero past the end); its results are the result's `returned`. Gas limit:
// context.gas_limit. The host is only read; on success `effects` holds what to commit.
ExecutionResult execute(const VerifiedModule& module, std::uint32_t function,
                        std::span<const std::uint8_t> input, const ExecutionContext& context,
                        const Host& host, Dispatch dispatch = kDefaultDispatch);

}  // namespace savm::vm
