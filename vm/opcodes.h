// The SAVM instruction set: ONE table from which the interpreter, the verifier, the assembler,
// the disassembler and docs/vm.md + docs/gas.md all derive. Adding an opcode means adding one
// line to SAVM_OPCODES below; nothing else lists opcodes by hand.
//
// Operand convention: operands are listed in PUSH order, so the LAST one is on top of the stack.
// "ADD (a, b) -> (a+b)": push a, push b, ADD. Binary ops pop b (top) then a and push a op b.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace savm::vm {

// What an instruction's immediate means. The byte size follows from the kind (imm_size()).
enum class Imm : std::uint8_t {
  none,
  push,          // PUSHn: n big-endian bytes, zero-extended to a word (n from OpInfo::push_width)
  count,         // u8: DUP n / SWAP n, 1..255
  rounding,      // u8: MULDIV rounding mode, 0..5 (kRoundingNames)
  tensor_field,  // u8: TENSOR_META field, 0..2 (kTensorFieldNames)
  proof_system,  // u8: VERIFY_ZK proof system, 0..4 (kProofSystemNames)
  local,         // u16: local slot index < function local_count
  constant,      // u16: constant pool index
  data,          // u16: data segment index
  function,      // u16: function index (CALL)
  import,        // u16: host import index (HOSTCALL)
  citation,      // u16: metadata citation index (TRACE)
  tag,           // u16: free tag (DEBUG); no index check
  target,        // u32: jump target, byte offset from the start of the function's code
};

// How pops/pushes are obtained. `fixed` uses OpInfo::pops/pushes as they are; the others depend
// on the immediate (dup, swap) or on a signature (call: callee's, hostcall: import's).
enum class StackRule : std::uint8_t { fixed, dup, swap, call, hostcall };

// The dynamic part of an instruction's gas, charged (with memory growth) before its effect.
// `words`: rate per 32-byte word (rounded up) of the length operand; `bytes`: rate per byte of
// the length operand; `exponent_bytes`: rate per significant byte of EXP's exponent.
enum class DynGas : std::uint8_t { none, words, bytes, exponent_bytes };

enum class Category : std::uint8_t {
  stack,
  arithmetic,
  logic,
  memory,
  storage,
  control,
  context,
  compliance,
  migration,
  crypto,
  host,
  system,
};

// Instruction properties used by control-flow analysis.
enum OpFlag : std::uint8_t {
  kFlagNone = 0,
  kFlagBranch = 1,      // has a target immediate (JUMP, JUMPI)
  kFlagTerminator = 2,  // no fall-through (JUMP RETURN REVERT HALT)
  kFlagMemory = 4,      // may grow memory (charged per new 32-byte word, kMemoryWordGas)
};

// X(byte, NAME, imm, push_width, pops, pushes, rule, base_gas, dyn, dyn_rate, category, flags)
// Gas rationale and semantics: docs/gas.md. Stack effects and faults: docs/vm.md.
#define SAVM_OPCODES(X)                                                                  \
  /* stack 0x01-0x0A (0x00 is deliberately invalid: zeroed code must not run) */        \
  X(0x01, PUSH0, none, 0, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                     \
  X(0x02, PUSH1, push, 1, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                     \
  X(0x03, PUSH2, push, 2, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                     \
  X(0x04, PUSH4, push, 4, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                     \
  X(0x05, PUSH8, push, 8, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                     \
  X(0x06, PUSH16, push, 16, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                   \
  X(0x07, PUSH32, push, 32, 0, 1, fixed, 3, none, 0, stack, kFlagNone)                   \
  X(0x08, POP, none, 0, 1, 0, fixed, 3, none, 0, stack, kFlagNone)                       \
  X(0x09, DUP, count, 0, 0, 0, dup, 3, none, 0, stack, kFlagNone)                        \
  X(0x0A, SWAP, count, 0, 0, 0, swap, 3, none, 0, stack, kFlagNone)                      \
  /* arithmetic 0x10-0x1A: signed, checked */                                            \
  X(0x10, ADD, none, 0, 2, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x11, SUB, none, 0, 2, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x12, MUL, none, 0, 2, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x13, DIV, none, 0, 2, 1, fixed, 8, none, 0, arithmetic, kFlagNone)                  \
  X(0x14, MOD, none, 0, 2, 1, fixed, 8, none, 0, arithmetic, kFlagNone)                  \
  X(0x15, EXP, none, 0, 2, 1, fixed, 10, exponent_bytes, 50, arithmetic, kFlagNone)      \
  X(0x16, NEG, none, 0, 1, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x17, ABS, none, 0, 1, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x18, MULDIV, rounding, 0, 3, 1, fixed, 20, none, 0, arithmetic, kFlagNone)          \
  X(0x19, MIN, none, 0, 2, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  X(0x1A, MAX, none, 0, 2, 1, fixed, 5, none, 0, arithmetic, kFlagNone)                  \
  /* comparison / logic 0x20-0x2D: comparisons signed, bitwise ops on raw bits */       \
  X(0x20, EQ, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x21, NE, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x22, LT, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x23, GT, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x24, LE, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x25, GE, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x26, ISZERO, none, 0, 1, 1, fixed, 5, none, 0, logic, kFlagNone)                    \
  X(0x27, AND, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  X(0x28, OR, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                        \
  X(0x29, XOR, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  X(0x2A, NOT, none, 0, 1, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  X(0x2B, SHL, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  X(0x2C, SHR, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  X(0x2D, SAR, none, 0, 2, 1, fixed, 5, none, 0, logic, kFlagNone)                       \
  /* memory and locals 0x30-0x3A */                                                      \
  X(0x30, MLOAD, none, 0, 1, 1, fixed, 3, none, 0, memory, kFlagMemory)                  \
  X(0x31, MSTORE, none, 0, 2, 0, fixed, 3, none, 0, memory, kFlagMemory)                 \
  X(0x32, MSTORE8, none, 0, 2, 0, fixed, 3, none, 0, memory, kFlagMemory)                \
  X(0x33, MSIZE, none, 0, 0, 1, fixed, 3, none, 0, memory, kFlagNone)                    \
  X(0x34, MCOPY, none, 0, 3, 0, fixed, 3, words, 3, memory, kFlagMemory)                 \
  X(0x35, LOCAL_GET, local, 0, 0, 1, fixed, 3, none, 0, memory, kFlagNone)               \
  X(0x36, LOCAL_SET, local, 0, 1, 0, fixed, 3, none, 0, memory, kFlagNone)               \
  X(0x37, CONST, constant, 0, 0, 1, fixed, 3, none, 0, memory, kFlagNone)                \
  X(0x38, DATA_SIZE, data, 0, 0, 1, fixed, 3, none, 0, memory, kFlagNone)                \
  X(0x39, DATA_LOAD, data, 0, 1, 1, fixed, 3, none, 0, memory, kFlagNone)                \
  X(0x3A, DATA_COPY, data, 0, 3, 0, fixed, 3, words, 3, memory, kFlagMemory)             \
  /* storage 0x40-0x43 */                                                                \
  X(0x40, SLOAD, none, 0, 1, 1, fixed, 200, none, 0, storage, kFlagNone)                 \
  X(0x41, SSTORE, none, 0, 2, 0, fixed, 5000, none, 0, storage, kFlagNone)               \
  X(0x42, SDELETE, none, 0, 1, 1, fixed, 5000, none, 0, storage, kFlagNone)              \
  X(0x43, SHAS, none, 0, 1, 1, fixed, 200, none, 0, storage, kFlagNone)                  \
  /* control 0x50-0x56 */                                                                \
  X(0x50, JUMP, target, 0, 0, 0, fixed, 8, none, 0, control, kFlagBranch | kFlagTerminator) \
  X(0x51, JUMPI, target, 0, 1, 0, fixed, 10, none, 0, control, kFlagBranch)              \
  X(0x52, CALL, function, 0, 0, 0, call, 40, none, 0, control, kFlagNone)                \
  X(0x53, RETURN, none, 0, 0, 0, fixed, 8, none, 0, control, kFlagTerminator)            \
  X(0x54, REVERT, none, 0, 3, 0, fixed, 8, none, 0, control, kFlagTerminator | kFlagMemory) \
  X(0x55, ASSERT, none, 0, 2, 0, fixed, 5, none, 0, control, kFlagNone)                  \
  X(0x56, HALT, none, 0, 0, 0, fixed, 3, none, 0, control, kFlagTerminator)              \
  /* context 0x60-0x6B */                                                                \
  X(0x60, CALLER, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                  \
  X(0x61, ORIGIN, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                  \
  X(0x62, JURISDICTION, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)            \
  X(0x63, ASSET_ID, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                \
  X(0x64, TIMESTAMP, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)               \
  X(0x65, LAW_DATE, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                \
  X(0x66, SEQUENCE, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                \
  X(0x67, CORRIDOR, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                \
  X(0x68, GAS, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)                     \
  X(0x69, INPUT_SIZE, none, 0, 0, 1, fixed, 3, none, 0, context, kFlagNone)              \
  X(0x6A, INPUT_LOAD, none, 0, 1, 1, fixed, 3, none, 0, context, kFlagNone)              \
  X(0x6B, INPUT_COPY, none, 0, 3, 0, fixed, 3, words, 3, context, kFlagMemory)           \
  /* compliance coprocessor 0x70-0x74 */                                                 \
  X(0x70, TENSOR_GET, none, 0, 3, 1, fixed, 10000, none, 0, compliance, kFlagNone)       \
  X(0x71, TENSOR_SET, none, 0, 5, 0, fixed, 10000, none, 0, compliance, kFlagNone)       \
  X(0x72, TENSOR_META, tensor_field, 0, 3, 1, fixed, 10000, none, 0, compliance, kFlagNone) \
  X(0x73, ATTEST, none, 0, 4, 1, fixed, 10000, none, 0, compliance, kFlagNone)           \
  X(0x74, VERIFY_ZK, proof_system, 0, 4, 1, fixed, 0, none, 0, compliance, kFlagMemory)  \
  /* migration 0x80-0x85 */                                                              \
  X(0x80, LOCK, none, 0, 3, 1, fixed, 100000, none, 0, migration, kFlagNone)             \
  X(0x81, UNLOCK, none, 0, 1, 1, fixed, 100000, none, 0, migration, kFlagNone)           \
  X(0x82, TRANSIT, none, 0, 2, 1, fixed, 100000, none, 0, migration, kFlagNone)          \
  X(0x83, SETTLE, none, 0, 1, 1, fixed, 100000, none, 0, migration, kFlagNone)           \
  X(0x84, COMPENSATE, none, 0, 1, 1, fixed, 100000, none, 0, migration, kFlagNone)       \
  X(0x85, MIGRATION_STATE, none, 0, 1, 1, fixed, 200, none, 0, migration, kFlagNone)     \
  /* crypto 0x90-0x92 */                                                                 \
  X(0x90, SHA256, none, 0, 2, 1, fixed, 60, words, 12, crypto, kFlagMemory)              \
  X(0x91, VERIFY_SIG, none, 0, 4, 1, fixed, 3000, words, 12, crypto, kFlagMemory)        \
  X(0x92, MERKLE_VERIFY, none, 0, 4, 1, fixed, 500, words, 12, crypto, kFlagMemory)      \
  /* host intrinsics 0xA0 */                                                             \
  X(0xA0, HOSTCALL, import, 0, 0, 0, hostcall, 100, none, 0, host, kFlagNone)            \
  /* system 0xF0-0xFF */                                                                 \
  X(0xF0, LOG0, none, 0, 2, 0, fixed, 100, bytes, 8, system, kFlagMemory)                \
  X(0xF1, LOG1, none, 0, 3, 0, fixed, 200, bytes, 8, system, kFlagMemory)                \
  X(0xF2, LOG2, none, 0, 4, 0, fixed, 300, bytes, 8, system, kFlagMemory)                \
  X(0xF3, LOG3, none, 0, 5, 0, fixed, 400, bytes, 8, system, kFlagMemory)                \
  X(0xF4, LOG4, none, 0, 6, 0, fixed, 500, bytes, 8, system, kFlagMemory)                \
  X(0xF8, TRACE, citation, 0, 1, 0, fixed, 20, none, 0, system, kFlagNone)               \
  X(0xFF, DEBUG, tag, 0, 0, 0, fixed, 0, none, 0, system, kFlagNone)

enum class Op : std::uint8_t {
#define SAVM_OP_ENUM(byte, name, ...) name = byte,
  SAVM_OPCODES(SAVM_OP_ENUM)
#undef SAVM_OP_ENUM
};

struct OpInfo {
  std::string_view mnemonic;  // empty: the byte is not an opcode
  Imm imm = Imm::none;
  std::uint8_t push_width = 0;  // PUSHn only
  std::uint8_t pops = 0;        // StackRule::fixed only
  std::uint8_t pushes = 0;
  StackRule rule = StackRule::fixed;
  std::uint32_t base_gas = 0;  // VERIFY_ZK: 0 here, the cost is kProofSystemGas[immediate]
  DynGas dyn = DynGas::none;
  std::uint16_t dyn_rate = 0;
  Category category = Category::stack;
  std::uint8_t flags = kFlagNone;

  constexpr bool defined() const { return !mnemonic.empty(); }
  constexpr bool is_branch() const { return (flags & kFlagBranch) != 0; }
  constexpr bool is_terminator() const { return (flags & kFlagTerminator) != 0; }
  constexpr bool grows_memory() const { return (flags & kFlagMemory) != 0; }
};

// Byte size of an immediate (PUSHn: n).
constexpr std::size_t imm_size(Imm imm, std::uint8_t push_width) {
  switch (imm) {
    case Imm::none: return 0;
    case Imm::push: return push_width;
    case Imm::count:
    case Imm::rounding:
    case Imm::tensor_field:
    case Imm::proof_system: return 1;
    case Imm::local:
    case Imm::constant:
    case Imm::data:
    case Imm::function:
    case Imm::import:
    case Imm::citation:
    case Imm::tag: return 2;
    case Imm::target: return 4;
  }
  return 0;
}

namespace detail {
constexpr std::array<OpInfo, 256> make_op_table() {
  std::array<OpInfo, 256> table{};
#define SAVM_OP_INFO(byte, name, imm, width, pops, pushes, rule, gas, dyn, rate, cat, flags) \
  table[byte] = OpInfo{#name,         Imm::imm,     width,         pops,                  \
                       pushes,        StackRule::rule, gas,        DynGas::dyn,           \
                       rate,          Category::cat, static_cast<std::uint8_t>(flags)};
  SAVM_OPCODES(SAVM_OP_INFO)
#undef SAVM_OP_INFO
  return table;
}
}  // namespace detail

inline constexpr std::array<OpInfo, 256> kOpTable = detail::make_op_table();

constexpr const OpInfo& op_info(std::uint8_t byte) { return kOpTable[byte]; }
constexpr const OpInfo& op_info(Op op) { return kOpTable[static_cast<std::uint8_t>(op)]; }

// Total instruction length (opcode + immediate) of a defined opcode.
constexpr std::size_t instruction_size(const OpInfo& info) {
  return 1 + imm_size(info.imm, info.push_width);
}

// ---- immediate value ranges and names (assembler, disassembler, docs) ----
// MULDIV rounding modes, in the order of vm::Rounding (vm/word.h).
inline constexpr std::array<std::string_view, 6> kRoundingNames = {
    "floor", "ceil", "toward_zero", "half_up", "half_even", "half_down"};
// TENSOR_META fields: evidence digest of the cell, time (unix s) it was set, expiry (0 = none).
inline constexpr std::array<std::string_view, 3> kTensorFieldNames = {"evidence", "as_of",
                                                                      "expires"};
// VERIFY_ZK proof systems and their gas (SAVM.md: 50,000-500,000 by proof system). `mock` is
// accepted by the verifier but the runtime rejects it outside test mode.
inline constexpr std::array<std::string_view, 5> kProofSystemNames = {"groth16", "plonk",
                                                                      "bbs_plus", "stark", "mock"};
inline constexpr std::array<std::uint32_t, 5> kProofSystemGas = {200000, 300000, 75000, 500000,
                                                                 50000};

// Largest valid value of a u8 immediate kind (count: 1..255; the others 0..max).
constexpr std::uint32_t imm_max(Imm imm) {
  switch (imm) {
    case Imm::count: return 255;
    case Imm::rounding: return kRoundingNames.size() - 1;
    case Imm::tensor_field: return kTensorFieldNames.size() - 1;
    case Imm::proof_system: return kProofSystemNames.size() - 1;
    default: return 0xFFFFFFFFu;
  }
}

// ---- gas constants that are not per-opcode (docs/gas.md) ----
inline constexpr std::uint32_t kMemoryWordGas = 3;      // per 32-byte word of memory growth
inline constexpr std::uint32_t kSdeleteRefund = 4800;   // per SDELETE that removed a key
inline constexpr std::uint32_t kMaxStack = 1024;        // operand stack words per frame
inline constexpr std::uint32_t kMaxCallDepth = 64;      // frames, the entry frame included
inline constexpr std::uint32_t kMaxMemoryBytes = 1u << 20;  // linear memory cap per execution

// Base gas of an instruction: the table's, or the proof system's for VERIFY_ZK. HOSTCALL adds
// the import's declared gas (Module::HostImport::gas) on top of its base.
constexpr std::uint64_t base_gas(const OpInfo& info, std::uint32_t imm) {
  if (info.imm == Imm::proof_system) return imm < kProofSystemGas.size() ? kProofSystemGas[imm] : 0;
  return info.base_gas;
}

// The largest dynamic gas one instruction can be charged, given the memory cap: the length
// operand of every `words`/`bytes` op addresses memory, so it is at most kMaxMemoryBytes.
// Memory growth is NOT included (it is bounded per execution: kMaxMemoryGas).
constexpr std::uint64_t max_dynamic_gas(const OpInfo& info) {
  switch (info.dyn) {
    case DynGas::none: return 0;
    case DynGas::words: return std::uint64_t{info.dyn_rate} * (kMaxMemoryBytes / 32);
    case DynGas::bytes: return std::uint64_t{info.dyn_rate} * kMaxMemoryBytes;
    case DynGas::exponent_bytes: return std::uint64_t{info.dyn_rate} * 32;
  }
  return 0;
}
inline constexpr std::uint64_t kMaxMemoryGas = std::uint64_t{kMemoryWordGas} * (kMaxMemoryBytes / 32);

// One decoded instruction. For u8/u16/u32 kinds `imm` is the value (u16/u32 little-endian in
// the code); for PUSHn `push` points at the n big-endian bytes inside the code.
struct Instruction {
  Op op{};
  std::uint32_t offset = 0;
  std::uint32_t size = 0;  // opcode + immediate
  std::uint32_t imm = 0;
  const std::uint8_t* push = nullptr;
};

enum class DecodeStatus : std::uint8_t { ok, unknown_opcode, truncated };

// Decodes the instruction at `offset` (< code.size()). No allocation; the verifier, interpreter
// analysis and disassembler all decode through this.
constexpr DecodeStatus decode(std::span<const std::uint8_t> code, std::uint32_t offset,
                              Instruction& out) {
  const std::uint8_t byte = code[offset];
  const OpInfo& info = kOpTable[byte];
  if (!info.defined()) return DecodeStatus::unknown_opcode;
  const std::size_t n = imm_size(info.imm, info.push_width);
  if (code.size() - offset - 1 < n) return DecodeStatus::truncated;
  out.op = static_cast<Op>(byte);
  out.offset = offset;
  out.size = static_cast<std::uint32_t>(1 + n);
  out.push = nullptr;
  out.imm = 0;
  const std::uint8_t* p = code.data() + offset + 1;
  if (info.imm == Imm::push) {
    out.push = p;
  } else {
    for (std::size_t i = 0; i < n; ++i) out.imm |= std::uint32_t{p[i]} << (8 * i);
  }
  return DecodeStatus::ok;
}

// Mnemonic lookup for the assembler (exact, upper case). nullopt if unknown.
std::optional<Op> op_from_mnemonic(std::string_view mnemonic);

std::string_view category_name(Category category);

}  // namespace savm::vm
