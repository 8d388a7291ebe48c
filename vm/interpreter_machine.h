// Internal to the interpreter: the state of one execution and the out-of-line instruction
// bodies that the dispatch loop (vm/interpreter_loop.inc) calls. Not a public API.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "vm/interpreter.h"
#include "vm/journal.h"

namespace savm::vm::interp {

// No default member initializers: Machine's 64 frames are written before they are read, and
// zeroing them would cost every execution a 2 KB memset.
struct Frame {
  const FunctionCode* fn;
  const std::uint8_t* resume;  // where the caller continues (set at CALL)
  Word* stack_base;            // this frame's operand stack starts here
  std::size_t locals_base;     // index into Machine::locals
};

// Result of an instruction body that can fail.
enum class Step : std::uint8_t { ok, out_of_gas, fault };

struct Machine {
  Machine(const VerifiedModule& m, const CodeAnalysis& c, std::span<const std::uint8_t> in,
          const ExecutionContext& ctx, const Host& h, const FunctionCode& entry);

  const VerifiedModule& module;
  const CodeAnalysis& code;
  std::span<const std::uint8_t> input;
  const ExecutionContext& context;
  Journal journal;
  std::vector<std::uint8_t> memory;  // always a multiple of 32 bytes
  std::vector<Word> locals;       // frames' locals stacked: entry.locals_need slots
  std::unique_ptr<Word[]> stack;  // entry.stack_need words, frames stacked on it
  std::array<Frame, kMaxCallDepth> frames;  // [0, depth) are live
  std::uint64_t refund = 0;
  FaultKind fault = FaultKind::none;
  Outcome outcome;
  std::vector<Word> returned;

  // ---- memory: ranges are validated against the cap, then growth is charged and applied.
  // A zero-length range is valid whatever its offset and never grows memory.
  Step touch(std::int64_t& gas, std::uint64_t offset, std::uint64_t length);
  Step fail(FaultKind kind) {
    fault = kind;
    return Step::fault;
  }
};

// An offset or length operand as a byte count; false if it is negative or beyond the memory cap
// (so offset + length never overflows).
inline bool memory_operand(const Word& w, std::uint64_t& out) {
  if ((w.limb[1] | w.limb[2] | w.limb[3]) != 0 || w.limb[0] > kMaxMemoryBytes) return false;
  out = w.limb[0];
  return true;
}

inline std::uint64_t words_of(std::uint64_t bytes) { return (bytes + 31) / 32; }

inline bool charge(std::int64_t& gas, std::uint64_t amount) {
  // amount is always far below 2^62 (bounded by the memory cap and table constants).
  gas -= static_cast<std::int64_t>(amount);
  return gas >= 0;
}

// Out-of-line instruction bodies. `sp` points one past the top of the stack; each body reads
// its operands below sp and writes its results from the lowest operand slot up, returning the
// step status (the loop adjusts sp by the table's pops/pushes).
Step op_mload(Machine& m, std::int64_t& gas, Word* sp);
Step op_mstore(Machine& m, std::int64_t& gas, Word* sp);
Step op_mstore8(Machine& m, std::int64_t& gas, Word* sp);
Step op_mcopy(Machine& m, std::int64_t& gas, Word* sp);
Step op_data_load(Machine& m, std::uint32_t segment, Word* sp);
Step op_data_copy(Machine& m, std::int64_t& gas, std::uint32_t segment, Word* sp);
Step op_input_copy(Machine& m, std::int64_t& gas, Word* sp);
Step op_exp(Machine& m, std::int64_t& gas, Word* sp);
Step op_revert(Machine& m, std::int64_t& gas, Word* sp);
Step op_tensor_get(Machine& m, Word* sp);
Step op_tensor_set(Machine& m, Word* sp);
Step op_tensor_meta(Machine& m, std::uint8_t field, Word* sp);
Step op_attest(Machine& m, Word* sp);
Step op_verify_zk(Machine& m, std::int64_t& gas, std::uint8_t system, Word* sp);
Step op_lock(Machine& m, Word* sp);
Step op_migration_step(Machine& m, Op op, Word* sp);
Step op_migration_state(Machine& m, Word* sp);
Step op_sha256(Machine& m, std::int64_t& gas, Word* sp);
Step op_verify_sig(Machine& m, std::int64_t& gas, Word* sp);
Step op_merkle_verify(Machine& m, std::int64_t& gas, Word* sp);
Step op_hostcall(Machine& m, std::int64_t& gas, std::uint32_t import, Word* sp);
Step op_log(Machine& m, std::int64_t& gas, unsigned topics, Word* sp);

// The two compilations of the dispatch loop. Return when the execution ended; the outcome,
// returned words and gas are in `m` / the return value (gas left, negative = out of gas).
std::int64_t run_goto(Machine& m, std::int64_t gas);
std::int64_t run_switch(Machine& m, std::int64_t gas);

}  // namespace savm::vm::interp
