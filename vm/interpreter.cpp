#include "vm/interpreter.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>

#include "vm/abi.h"
#include "vm/interpreter_machine.h"

namespace savm::vm {

std::string_view fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::none: return "none";
    case FaultKind::overflow: return "overflow";
    case FaultKind::division_by_zero: return "division_by_zero";
    case FaultKind::negative_exponent: return "negative_exponent";
    case FaultKind::memory_limit: return "memory_limit";
    case FaultKind::call_depth: return "call_depth";
    case FaultKind::invalid_operand: return "invalid_operand";
    case FaultKind::host_call: return "host_call";
  }
  return "unknown";
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::success: return "success";
    case Status::revert: return "revert";
    case Status::out_of_gas: return "out_of_gas";
    case Status::fault: return "fault";
  }
  return "unknown";
}

namespace interp {
namespace {

Word word_of(const Digest& d) { return Word::from_be_bytes(std::span<const std::uint8_t, 32>(d.bytes())); }

Digest digest_of_word(const Word& w) {
  Digest::Bytes bytes{};
  w.to_be_bytes(bytes);
  return Digest(bytes);
}

// A small non-negative operand (domain, state, proof system); false if >= bound or negative.
bool small_index(const Word& w, std::uint64_t bound, std::uint64_t& out) {
  if ((w.limb[1] | w.limb[2] | w.limb[3]) != 0 || w.limb[0] >= bound) return false;
  out = w.limb[0];
  return true;
}

// The dynamic gas of `op` for a length operand (docs/gas.md), charged after validation.
bool charge_dynamic(std::int64_t& gas, Op op, std::uint64_t length) {
  const OpInfo& info = op_info(op);
  switch (info.dyn) {
    case DynGas::none: return true;
    case DynGas::words: return charge(gas, info.dyn_rate * words_of(length));
    case DynGas::bytes: return charge(gas, std::uint64_t{info.dyn_rate} * length);
    case DynGas::exponent_bytes: return charge(gas, std::uint64_t{info.dyn_rate} * length);
  }
  return true;
}

void store_word(std::uint8_t* p, const Word& w) { w.to_be_bytes(std::span<std::uint8_t, 32>(p, 32)); }
Word load_word(const std::uint8_t* p) { return Word::from_be_bytes(std::span<const std::uint8_t, 32>(p, 32)); }

// Copies [offset, offset+length) of `source` to `dest`, zero-filling past the source's end.
void copy_zero_filled(std::uint8_t* dest, std::span<const std::uint8_t> source, const Word& offset,
                      std::uint64_t length) {
  std::memset(dest, 0, length);
  const bool small = (offset.limb[1] | offset.limb[2] | offset.limb[3]) == 0;
  if (!small || offset.limb[0] >= source.size()) return;
  const std::uint64_t n = std::min<std::uint64_t>(length, source.size() - offset.limb[0]);
  std::memcpy(dest, source.data() + offset.limb[0], n);
}

}  // namespace

Machine::Machine(const VerifiedModule& m, const CodeAnalysis& c, std::span<const std::uint8_t> in,
                 const ExecutionContext& ctx, const Host& h, const FunctionCode& entry)
    : module(m),
      code(c),
      input(in),
      context(ctx),
      journal(h, ctx),
      locals(entry.locals_need),  // zero: the entry's non-parameter locals start at zero
      stack(new Word[entry.stack_need + 1]) {}  // + 1: a zero-word stack still has an address

Step Machine::touch(std::int64_t& gas, std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return Step::ok;
  const std::uint64_t end = offset + length;  // both <= cap: no overflow
  if (end > kMaxMemoryBytes) return fail(FaultKind::memory_limit);
  const std::uint64_t new_size = words_of(end) * 32;
  if (new_size <= memory.size()) return Step::ok;
  const std::uint64_t new_words = (new_size - memory.size()) / 32;
  if (!charge(gas, new_words * kMemoryWordGas)) return Step::out_of_gas;
  memory.resize(new_size, 0);
  return Step::ok;
}

#define SAVM_TRY(expr)                             \
  do {                                             \
    if (const Step s_ = (expr); s_ != Step::ok) return s_; \
  } while (0)

// Validates an (offset, length) pair of operands.
#define SAVM_RANGE(off_word, len_word, off, len)                                          \
  std::uint64_t off = 0, len = 0;                                                         \
  if (!memory_operand(off_word, off) || !memory_operand(len_word, len)) {                 \
    if (!(len_word).is_zero()) return m.fail(FaultKind::memory_limit);                    \
    off = 0;                                                                              \
  }                                                                                       \
  if (len == 0) off = 0; /* an empty range addresses nothing: never offset past memory */

Step op_mload(Machine& m, std::int64_t& gas, Word* sp) {
  std::uint64_t off = 0;
  if (!memory_operand(sp[-1], off)) return m.fail(FaultKind::memory_limit);
  SAVM_TRY(m.touch(gas, off, 32));
  sp[-1] = load_word(m.memory.data() + off);
  return Step::ok;
}

Step op_mstore(Machine& m, std::int64_t& gas, Word* sp) {  // MSTORE(offset, value)
  std::uint64_t off = 0;
  if (!memory_operand(sp[-2], off)) return m.fail(FaultKind::memory_limit);
  SAVM_TRY(m.touch(gas, off, 32));
  store_word(m.memory.data() + off, sp[-1]);
  return Step::ok;
}

Step op_mstore8(Machine& m, std::int64_t& gas, Word* sp) {  // MSTORE8(offset, value): low byte
  std::uint64_t off = 0;
  if (!memory_operand(sp[-2], off)) return m.fail(FaultKind::memory_limit);
  SAVM_TRY(m.touch(gas, off, 1));
  m.memory[off] = static_cast<std::uint8_t>(sp[-1].limb[0]);
  return Step::ok;
}

Step op_mcopy(Machine& m, std::int64_t& gas, Word* sp) {  // MCOPY(dest, src, length)
  std::uint64_t dest = 0, src = 0, len = 0;
  if (!memory_operand(sp[-1], len)) return m.fail(FaultKind::memory_limit);
  if (len != 0 && (!memory_operand(sp[-3], dest) || !memory_operand(sp[-2], src))) {
    return m.fail(FaultKind::memory_limit);
  }
  if (len != 0 && (dest + len > kMaxMemoryBytes || src + len > kMaxMemoryBytes)) {
    return m.fail(FaultKind::memory_limit);
  }
  if (!charge_dynamic(gas, Op::MCOPY, len)) return Step::out_of_gas;
  SAVM_TRY(m.touch(gas, std::max(dest, src), len));
  if (len != 0) std::memmove(m.memory.data() + dest, m.memory.data() + src, len);
  return Step::ok;
}

Step op_data_load(Machine& m, std::uint32_t segment, Word* sp) {  // DATA_LOAD[seg](offset)
  std::array<std::uint8_t, 32> bytes{};
  copy_zero_filled(bytes.data(), m.module.module().data[segment].bytes, sp[-1], 32);
  sp[-1] = Word::from_be_bytes(bytes);
  return Step::ok;
}

// The shared shape of DATA_COPY and INPUT_COPY: (dest, offset, length), zero-filled source.
Step copy_into_memory(Machine& m, std::int64_t& gas, Op op, std::span<const std::uint8_t> source,
                      Word* sp) {
  std::uint64_t dest = 0, len = 0;
  if (!memory_operand(sp[-1], len)) return m.fail(FaultKind::memory_limit);
  if (len != 0 && !memory_operand(sp[-3], dest)) return m.fail(FaultKind::memory_limit);
  if (len != 0 && dest + len > kMaxMemoryBytes) return m.fail(FaultKind::memory_limit);
  if (!charge_dynamic(gas, op, len)) return Step::out_of_gas;
  SAVM_TRY(m.touch(gas, dest, len));
  if (len != 0) copy_zero_filled(m.memory.data() + dest, source, sp[-2], len);
  return Step::ok;
}

Step op_data_copy(Machine& m, std::int64_t& gas, std::uint32_t segment, Word* sp) {
  return copy_into_memory(m, gas, Op::DATA_COPY, m.module.module().data[segment].bytes, sp);
}

Step op_input_copy(Machine& m, std::int64_t& gas, Word* sp) {
  return copy_into_memory(m, gas, Op::INPUT_COPY, m.input, sp);
}

Step op_exp(Machine& m, std::int64_t& gas, Word* sp) {  // EXP(base, exponent)
  const Word& exponent = sp[-1];
  if (exponent.is_negative()) return m.fail(FaultKind::negative_exponent);
  std::uint64_t significant = 32;
  for (int i = 3; i >= 0 && exponent.limb[i] == 0; --i) significant -= 8;
  if (significant > 0) {
    const int top = static_cast<int>((significant - 1) / 8);
    significant = static_cast<std::uint64_t>(top) * 8 + (64 - __builtin_clzll(exponent.limb[top]) + 7) / 8;
  }
  if (!charge_dynamic(gas, Op::EXP, significant)) return Step::out_of_gas;
  if (!checked_exp(sp[-2], exponent, sp[-2])) return m.fail(FaultKind::overflow);
  return Step::ok;
}

Step op_revert(Machine& m, std::int64_t& gas, Word* sp) {  // REVERT(code, offset, length)
  std::uint64_t off = 0, len = 0;
  const bool ok = memory_operand(sp[-1], len) && (len == 0 || memory_operand(sp[-2], off));
  Step step = ok ? m.touch(gas, off, len) : m.fail(FaultKind::memory_limit);
  if (step == Step::fault) {
    m.outcome.status = Status::fault;
    m.outcome.fault = m.fault;
    return step;
  }
  if (step == Step::out_of_gas) return step;
  m.outcome.status = Status::revert;
  m.outcome.revert_code = sp[-3];
  m.outcome.revert_message.assign(m.memory.begin() + static_cast<std::ptrdiff_t>(off),
                                  m.memory.begin() + static_cast<std::ptrdiff_t>(off + len));
  return Step::ok;
}

// (asset, jurisdiction, domain) operands at sp[-3..-1] as a tensor key.
bool tensor_key(const Word* operands, TensorKey& key) {
  std::uint64_t domain = 0;
  if (!small_index(operands[2], kDomainCount, domain)) return false;
  key = TensorKey{operands[0], operands[1], static_cast<Domain>(domain)};
  return true;
}

Step op_tensor_get(Machine& m, Word* sp) {  // TENSOR_GET(asset, jurisdiction, domain) -> state
  TensorKey key{};
  if (!tensor_key(sp - 3, key)) return m.fail(FaultKind::invalid_operand);
  const TensorCell cell = m.journal.tensor_get(key);
  sp[-3] = Word::from_u64(static_cast<std::uint64_t>(effective_state(cell, m.context.timestamp)));
  return Step::ok;
}

// TENSOR_SET(asset, jurisdiction, domain, state, evidence): evidence must be nonzero.
Step op_tensor_set(Machine& m, Word* sp) {
  TensorKey key{};
  std::uint64_t state = 0;
  if (!tensor_key(sp - 5, key) || !small_index(sp[-2], kComplianceStateCount, state) ||
      sp[-1].is_zero()) {
    return m.fail(FaultKind::invalid_operand);
  }
  m.journal.tensor_set(key, static_cast<ComplianceState>(state), digest_of_word(sp[-1]));
  return Step::ok;
}

Step op_tensor_meta(Machine& m, std::uint8_t field, Word* sp) {  // TENSOR_META[f](a, j, d)
  TensorKey key{};
  if (!tensor_key(sp - 3, key)) return m.fail(FaultKind::invalid_operand);
  const TensorCell cell = m.journal.tensor_get(key);
  switch (field) {
    case 0: sp[-3] = word_of(cell.evidence); break;
    case 1: sp[-3] = Word::from_i64(cell.as_of); break;
    default: sp[-3] = Word::from_i64(cell.expires); break;
  }
  return Step::ok;
}

Step op_attest(Machine& m, Word* sp) {  // ATTEST(asset, jurisdiction, domain, claim) -> id
  TensorKey key{};
  if (!tensor_key(sp - 4, key)) return m.fail(FaultKind::invalid_operand);
  sp[-4] = m.journal.attest(key.asset, key.jurisdiction, key.domain, sp[-1]);
  return Step::ok;
}

// VERIFY_ZK[system](vk, inputs, offset, length) -> 1 | 0: the proof is memory[offset, +length);
// the verifying key and public-input commitment words are handed to the host as public inputs.
Step op_verify_zk(Machine& m, std::int64_t& gas, std::uint8_t system, Word* sp) {
  SAVM_RANGE(sp[-2], sp[-1], off, len);
  if (len != 0 && off + len > kMaxMemoryBytes) return m.fail(FaultKind::memory_limit);
  SAVM_TRY(m.touch(gas, off, len));
  const std::array<Word, 2> inputs = {sp[-4], sp[-3]};
  const std::span<const std::uint8_t> proof(m.memory.data() + off, len);
  sp[-4] = Word::from_u64(m.journal.host().verify_zk(system, proof, inputs));
  return Step::ok;
}

Step op_lock(Machine& m, Word* sp) {  // LOCK(asset, jurisdiction, amount) -> lock id
  if (sp[-1].is_negative()) return m.fail(FaultKind::invalid_operand);
  MigrationRecord record{m.journal.next_id(), sp[-3], sp[-2], Word::zero(), sp[-1],
                         MigrationStatus::active};
  m.journal.migration_put(MigrationOp::lock, record);
  sp[-3] = record.id;
  return Step::ok;
}

// UNLOCK(id) / SETTLE(id) / COMPENSATE(id) -> 1 if the step was allowed from the record's status
// (and taken), else 0 with nothing changed. TRANSIT(id, target) -> the transit id (the lock's id:
// one record follows the whole saga) if allowed, else 0.
Step op_migration_step(Machine& m, Op op, Word* sp) {
  Word* id = op == Op::TRANSIT ? sp - 2 : sp - 1;
  auto record = m.journal.migration_get(*id);
  const MigrationStatus from = record ? record->status : MigrationStatus::none;
  MigrationStatus to = MigrationStatus::none;
  MigrationOp kind = MigrationOp::unlock;
  switch (op) {
    case Op::UNLOCK:
      if (from == MigrationStatus::active) to = MigrationStatus::released;
      kind = MigrationOp::unlock;
      break;
    case Op::TRANSIT:
      if (from == MigrationStatus::active) to = MigrationStatus::in_transit;
      kind = MigrationOp::transit;
      break;
    case Op::SETTLE:
      if (from == MigrationStatus::in_transit) to = MigrationStatus::settled;
      kind = MigrationOp::settle;
      break;
    default:  // COMPENSATE
      if (from == MigrationStatus::active || from == MigrationStatus::in_transit) {
        to = MigrationStatus::compensated;
      }
      kind = MigrationOp::compensate;
      break;
  }
  if (to != MigrationStatus::none) {
    record->status = to;
    if (op == Op::TRANSIT) record->target = sp[-1];
    m.journal.migration_put(kind, *record);
  }
  if (op == Op::TRANSIT) {
    *id = to != MigrationStatus::none ? record->id : Word::zero();
  } else {
    *id = Word::from_u64(to != MigrationStatus::none);
  }
  return Step::ok;
}

Step op_migration_state(Machine& m, Word* sp) {  // MIGRATION_STATE(id) -> status code
  const auto record = m.journal.migration_get(sp[-1]);
  sp[-1] = Word::from_u64(static_cast<std::uint64_t>(record ? record->status : MigrationStatus::none));
  return Step::ok;
}

Step op_sha256(Machine& m, std::int64_t& gas, Word* sp) {  // SHA256(offset, length) -> digest
  SAVM_RANGE(sp[-2], sp[-1], off, len);
  if (len != 0 && off + len > kMaxMemoryBytes) return m.fail(FaultKind::memory_limit);
  if (!charge_dynamic(gas, Op::SHA256, len)) return Step::out_of_gas;
  SAVM_TRY(m.touch(gas, off, len));
  sp[-2] = word_of(sha256(std::span<const std::uint8_t>(m.memory.data() + off, len)));
  return Step::ok;
}

// VERIFY_SIG(pubkey, msg_offset, msg_length, sig_offset) -> 1 | 0: Ed25519; the public key is
// the word's 32 big-endian bytes, the 64-byte signature is in memory at sig_offset.
Step op_verify_sig(Machine& m, std::int64_t& gas, Word* sp) {
  SAVM_RANGE(sp[-3], sp[-2], off, len);
  std::uint64_t sig = 0;
  // Every operand range is checked before any dynamic gas (docs/gas.md "Charging rules").
  if (!memory_operand(sp[-1], sig) || sig + crypto_sign_BYTES > kMaxMemoryBytes ||
      (len != 0 && off + len > kMaxMemoryBytes)) {
    return m.fail(FaultKind::memory_limit);
  }
  if (!charge_dynamic(gas, Op::VERIFY_SIG, len)) return Step::out_of_gas;
  SAVM_TRY(m.touch(gas, off, len));
  SAVM_TRY(m.touch(gas, sig, crypto_sign_BYTES));
  std::array<std::uint8_t, 32> key{};
  sp[-4].to_be_bytes(key);
  const std::uint8_t* base = m.memory.data();
  const bool ok = crypto_sign_verify_detached(base + sig, base + off, len, key.data()) == 0;
  sp[-4] = Word::from_u64(ok);
  return Step::ok;
}

// MERKLE_VERIFY(root, leaf, proof_offset, proof_length) -> 1 | 0. MMR hashing (FORMATS.md):
// h = SHA-256(0x00 ‖ leaf); for each 33-byte step (side, sibling): side 0 = sibling on the left
// h = SHA-256(0x01 ‖ sibling ‖ h), side 1 = on the right h = SHA-256(0x01 ‖ h ‖ sibling). The
// proof holds when h equals root (constant-time compare). A malformed proof is 0, not a fault.
Step op_merkle_verify(Machine& m, std::int64_t& gas, Word* sp) {
  SAVM_RANGE(sp[-2], sp[-1], off, len);
  if (len != 0 && off + len > kMaxMemoryBytes) return m.fail(FaultKind::memory_limit);
  if (!charge_dynamic(gas, Op::MERKLE_VERIFY, len)) return Step::out_of_gas;
  SAVM_TRY(m.touch(gas, off, len));
  bool ok = len % 33 == 0;
  if (ok) {
    static constexpr std::uint8_t kLeafTag = 0x00, kNodeTag = 0x01;
    Digest h = Sha256().update(std::span<const std::uint8_t>(&kLeafTag, 1)).update(digest_of_word(sp[-3])).finish();
    for (std::uint64_t i = 0; ok && i < len; i += 33) {
      const std::uint8_t side = m.memory[off + i];
      Digest::Bytes sibling_bytes{};
      std::memcpy(sibling_bytes.data(), m.memory.data() + off + i + 1, 32);
      const Digest sibling(sibling_bytes);
      Sha256 node;
      node.update(std::span<const std::uint8_t>(&kNodeTag, 1));
      if (side == 0) {
        node.update(sibling).update(h);
      } else if (side == 1) {
        node.update(h).update(sibling);
      } else {
        ok = false;
      }
      h = node.finish();
    }
    ok = ok && equal_constant_time(h, digest_of_word(sp[-4]));
  }
  sp[-4] = Word::from_u64(ok);
  return Step::ok;
}

Step op_hostcall(Machine& m, std::int64_t& gas, std::uint32_t import, Word* sp) {
  const HostImport& decl = m.module.module().host_imports[import];
  if (!charge(gas, decl.gas)) return Step::out_of_gas;
  const std::uint32_t params = m.code.import_params[import];
  const std::uint32_t results = m.code.import_results[import];
  const std::span<const Word> args(sp - params, params);
  HostCallResult r = m.journal.host().host_call(decl.name, args, results);
  if (!r.ok || r.results.size() != results) return m.fail(FaultKind::host_call);
  std::copy(r.results.begin(), r.results.end(), sp - params);
  return Step::ok;
}

Step op_log(Machine& m, std::int64_t& gas, unsigned topics, Word* sp) {  // LOGn(off, len, t1..tn)
  Word* operands = sp - 2 - topics;
  SAVM_RANGE(operands[0], operands[1], off, len);
  if (len != 0 && off + len > kMaxMemoryBytes) return m.fail(FaultKind::memory_limit);
  if (!charge_dynamic(gas, static_cast<Op>(static_cast<unsigned>(Op::LOG0) + topics), len)) {
    return Step::out_of_gas;
  }
  SAVM_TRY(m.touch(gas, off, len));
  m.journal.log(std::vector<Word>(operands + 2, sp),
                std::vector<std::uint8_t>(m.memory.begin() + static_cast<std::ptrdiff_t>(off),
                                          m.memory.begin() + static_cast<std::ptrdiff_t>(off + len)));
  return Step::ok;
}

#undef SAVM_TRY
#undef SAVM_RANGE

}  // namespace interp

namespace {

// The functions each function calls, in code order (duplicates kept; harmless).
std::vector<std::vector<std::uint32_t>> call_edges(const Module& module) {
  std::vector<std::vector<std::uint32_t>> edges(module.functions.size());
  for (std::size_t f = 0; f < module.functions.size(); ++f) {
    const std::vector<std::uint8_t>& code = module.functions[f].code;
    for (std::size_t pc = 0; pc < code.size(); pc += instruction_size(op_info(static_cast<Op>(code[pc])))) {
      if (static_cast<Op>(code[pc]) == Op::CALL) edges[f].push_back(code[pc + 1] | code[pc + 2] << 8);
    }
  }
  return edges;
}

// stack_need and locals_need of every function: its own max_stack / local_count plus the largest
// need among its callees, computed callees first by an iterative depth-first walk (the verifier
// rejected cycles, so every function is finished once).
void compute_needs(const VerifiedModule& verified, std::vector<FunctionCode>& functions) {
  const auto edges = call_edges(verified.module());
  std::vector<std::uint8_t> done(functions.size(), 0);
  std::vector<std::pair<std::uint32_t, std::size_t>> walk;  // (function, next edge to visit)
  for (std::uint32_t root = 0; root < functions.size(); ++root) {
    if (done[root]) continue;
    walk.emplace_back(root, 0);
    while (!walk.empty()) {
      auto& [f, next] = walk.back();
      if (next < edges[f].size()) {
        const std::uint32_t callee = edges[f][next++];
        if (!done[callee]) walk.emplace_back(callee, 0);
        continue;
      }
      std::uint64_t stack = 0, locals = 0;
      for (const std::uint32_t callee : edges[f]) {
        stack = std::max(stack, functions[callee].stack_need);
        locals = std::max(locals, functions[callee].locals_need);
      }
      functions[f].stack_need = verified.function(f).max_stack + stack;
      functions[f].locals_need = functions[f].local_count + locals;
      done[f] = 1;
      walk.pop_back();
    }
  }
}

// Truth of `a OP k` over the three orders (bit 0: a < k, bit 1: a = k, bit 2: a > k); 0 when
// `op` is not a comparison.
std::uint8_t compare_mask(Op op) {
  switch (op) {
    case Op::EQ: return 0b010;
    case Op::NE: return 0b101;
    case Op::LT: return 0b001;
    case Op::GT: return 0b100;
    case Op::LE: return 0b011;
    case Op::GE: return 0b110;
    default: return 0;
  }
}

// PUSH0..PUSH8 push one limb; their immediate width, else -1.
int one_limb_push_width(Op op) {
  switch (op) {
    case Op::PUSH0: return 0;
    case Op::PUSH1: return 1;
    case Op::PUSH2: return 2;
    case Op::PUSH4: return 4;
    case Op::PUSH8: return 8;
    default: return -1;
  }
}

// The fusions of vm/interpreter.h over one function's verified code. Every candidate is decoded
// from the original bytes: the scan steps over a fused range by its original length, so the
// rewritten bytes are never read as instructions.
class Fuser {
 public:
  explicit Fuser(std::vector<std::uint8_t>& padded) : code_(padded), size_(padded.size() - kCodePadding) {
    block_start_.assign(size_ + 1, false);  // jump targets
    for (std::size_t pc = 0; pc < size_; pc += length(pc)) {
      if (op(pc) == Op::JUMP || op(pc) == Op::JUMPI) {
        const std::uint32_t target = static_cast<std::uint32_t>(code_[pc + 1]) |
                                     static_cast<std::uint32_t>(code_[pc + 2]) << 8 |
                                     static_cast<std::uint32_t>(code_[pc + 3]) << 16 |
                                     static_cast<std::uint32_t>(code_[pc + 4]) << 24;
        if (target <= size_) block_start_[target] = true;  // always: the verifier checked targets
      }
    }
  }

  void run() {
    for (std::size_t pc = 0; pc < size_;) {
      const std::size_t fused = fuse_at(pc);
      pc += fused != 0 ? fused : length(pc);
    }
  }

 private:
  Op op(std::size_t pc) const { return static_cast<Op>(code_[pc]); }
  std::size_t length(std::size_t pc) const { return instruction_size(op_info(op(pc))); }

  // Decodes up to `n` instructions from `pc` into at_/ops_; false if fewer fit or a jump lands
  // on any but the first (the fused range must be entered only at its start).
  bool decode(std::size_t pc, std::size_t n) {
    std::size_t at = pc;
    for (std::size_t i = 0; i < n; ++i) {
      if (at >= size_ || (i > 0 && block_start_[at])) return false;
      at_[i] = at;
      ops_[i] = op(at);
      at += length(at);
    }
    at_[n] = at;
    return true;
  }

  // The length of the range fused at `pc`, or 0.
  std::size_t fuse_at(std::size_t pc) {
    switch (op(pc)) {
      case Op::LOCAL_GET: {
        if (const std::size_t n = fuse_threshold_test(pc)) return n;
        return fuse_local_arith(pc);
      }
      case Op::PUSH0:
      case Op::PUSH1:
      case Op::PUSH2:
      case Op::PUSH4:
      case Op::PUSH8: {
        if (const std::size_t n = fuse_muldiv(pc)) return n;
        if (const std::size_t n = fuse_push_arith(pc)) return n;
        return fuse_input_load(pc);
      }
      default: return 0;
    }
  }

  // LOCAL_GET i; PUSHn k (1 <= n <= 8); compare; JUMPI t (kFusedLocalCompareJump).
  std::size_t fuse_threshold_test(std::size_t pc) {
    if (!decode(pc, 4) || one_limb_push_width(ops_[1]) < 1 || compare_mask(ops_[2]) == 0 || ops_[3] != Op::JUMPI) {
      return 0;
    }
    code_[pc] = kFusedLocalCompareJump;
    code_[at_[1]] = static_cast<std::uint8_t>(one_limb_push_width(ops_[1]));
    code_[at_[2]] = compare_mask(ops_[2]);
    return at_[4] - pc;
  }

  static bool is_add_or_sub(Op op) { return op == Op::ADD || op == Op::SUB; }

  // LOCAL_GET i; PUSHw k; ADD|SUB.
  std::size_t fuse_local_arith(std::size_t pc) {
    if (!decode(pc, 3) || one_limb_push_width(ops_[1]) < 0 || !is_add_or_sub(ops_[2])) return 0;
    // [0xE3|0xE4][i: 2][w][k: w]: w replaces the PUSH opcode, everything else stays.
    code_[pc] = ops_[2] == Op::ADD ? kFusedLocalPushAdd : kFusedLocalPushSub;
    code_[pc + 3] = static_cast<std::uint8_t>(one_limb_push_width(ops_[1]));
    return at_[3] - pc;
  }

  // PUSHw k; ADD|SUB.
  std::size_t fuse_push_arith(std::size_t pc) {
    if (!decode(pc, 2) || !is_add_or_sub(ops_[1])) return 0;
    const int width = one_limb_push_width(ops_[0]);
    // [0xE1|0xE2][w][k: w]: the immediate moves forward one byte, over the ADD|SUB.
    std::copy_backward(code_.begin() + static_cast<std::ptrdiff_t>(pc + 1),
                       code_.begin() + static_cast<std::ptrdiff_t>(pc + 1 + width),
                       code_.begin() + static_cast<std::ptrdiff_t>(pc + 2 + width));
    code_[pc] = ops_[1] == Op::ADD ? kFusedPushAdd : kFusedPushSub;
    code_[pc + 1] = static_cast<std::uint8_t>(width);
    return at_[2] - pc;
  }

  // PUSHw b; PUSHv c; MULDIV m.
  std::size_t fuse_muldiv(std::size_t pc) {
    if (!decode(pc, 3) || one_limb_push_width(ops_[1]) < 0 || ops_[2] != Op::MULDIV) return 0;
    const int w = one_limb_push_width(ops_[0]), v = one_limb_push_width(ops_[1]);
    const std::uint8_t mode = code_[at_[2] + 1];
    // [0xE5][m][w | v << 4][b: w][c: v]: b and c move forward two bytes (c first: the ranges
    // overlap), then the header is written.
    std::array<std::uint8_t, 16> immediates{};
    std::copy_n(code_.begin() + static_cast<std::ptrdiff_t>(pc + 1), w, immediates.begin());
    std::copy_n(code_.begin() + static_cast<std::ptrdiff_t>(at_[1] + 1), v, immediates.begin() + w);
    std::copy_n(immediates.begin(), w + v, code_.begin() + static_cast<std::ptrdiff_t>(pc + 3));
    code_[pc] = kFusedPushPushMuldiv;
    code_[pc + 1] = mode;
    code_[pc + 2] = static_cast<std::uint8_t>(w | v << 4);
    return at_[3] - pc;
  }

  // PUSHw off; INPUT_LOAD.
  std::size_t fuse_input_load(std::size_t pc) {
    if (!decode(pc, 2) || ops_[1] != Op::INPUT_LOAD) return 0;
    const int width = one_limb_push_width(ops_[0]);
    // [0xE6][w][off: w]: the immediate moves forward one byte, over the INPUT_LOAD.
    std::copy_backward(code_.begin() + static_cast<std::ptrdiff_t>(pc + 1),
                       code_.begin() + static_cast<std::ptrdiff_t>(pc + 1 + width),
                       code_.begin() + static_cast<std::ptrdiff_t>(pc + 2 + width));
    code_[pc] = kFusedPushInputLoad;
    code_[pc + 1] = static_cast<std::uint8_t>(width);
    return at_[2] - pc;
  }

  std::vector<std::uint8_t>& code_;
  std::size_t size_;
  std::vector<bool> block_start_;
  std::array<std::size_t, 5> at_{};
  std::array<Op, 4> ops_{};
};

std::shared_ptr<const CodeAnalysis> build_analysis(const VerifiedModule& verified) {
  const Module& module = verified.module();
  auto analysis = std::make_shared<CodeAnalysis>();
  analysis->functions.reserve(module.functions.size());
  for (const Function& fn : module.functions) {
    FunctionCode code;
    code.padded.reserve(fn.code.size() + kCodePadding);
    code.padded.assign(fn.code.begin(), fn.code.end());
    code.padded.resize(fn.code.size() + kCodePadding, static_cast<std::uint8_t>(Op::HALT));
    Fuser(code.padded).run();
    const Signature& sig = module.signatures[fn.signature];
    code.params = sig.params;
    code.results = sig.results;
    code.local_count = fn.local_count;
    analysis->functions.push_back(std::move(code));
  }
  compute_needs(verified, analysis->functions);
  for (const WordBytes& c : module.constants) analysis->constants.push_back(Word::from_be_bytes(c));
  for (const HostImport& imp : module.host_imports) {
    analysis->import_params.push_back(module.signatures[imp.signature].params);
    analysis->import_results.push_back(module.signatures[imp.signature].results);
  }
  return analysis;
}

struct AnalysisCache {
  std::mutex mutex;
  std::map<Digest, std::shared_ptr<const CodeAnalysis>> entries;
  std::deque<Digest> order;  // insertion order, for eviction
};

AnalysisCache& cache() {
  static AnalysisCache instance;
  return instance;
}

}  // namespace

std::shared_ptr<const CodeAnalysis> analyze(const VerifiedModule& module) {
  AnalysisCache& c = cache();
  {
    std::lock_guard lock(c.mutex);
    if (const auto it = c.entries.find(module.digest()); it != c.entries.end()) return it->second;
  }
  auto analysis = build_analysis(module);  // outside the lock: analyses of different modules overlap
  std::lock_guard lock(c.mutex);
  const auto [it, inserted] = c.entries.emplace(module.digest(), analysis);
  if (inserted) {
    c.order.push_back(module.digest());
    if (c.order.size() > kAnalysisCacheSize) {
      c.entries.erase(c.order.front());
      c.order.pop_front();
    }
  }
  return it->second;
}

std::optional<std::uint32_t> find_export(const Module& module, std::string_view name) {
  for (const Export& e : module.exports) {
    if (e.name == name) return e.function;
  }
  return std::nullopt;
}

ExecutionResult execute(const VerifiedModule& module, std::uint32_t function,
                        std::span<const std::uint8_t> input, const ExecutionContext& context,
                        const Host& host, Dispatch dispatch) {
  SAVM_ASSERT(function < module.module().functions.size());
  const auto analysis = analyze(module);
  const FunctionCode& entry = analysis->functions[function];
  interp::Machine m(module, *analysis, input, context, host, entry);
  for (std::uint32_t i = 0; i < entry.params; ++i) m.locals[i] = input_word(input, std::uint64_t{i} * 32);
  m.frames[0] = interp::Frame{&entry, nullptr, m.stack.get(), 0};

  // Gas fits in int64 for every real limit; larger limits are clamped (no program can use them:
  // static gas bounds are below 2^60).
  const auto limit = static_cast<std::int64_t>(std::min<std::uint64_t>(context.gas_limit, std::uint64_t{1} << 62));
  const std::int64_t left =
      dispatch == Dispatch::computed_goto ? interp::run_goto(m, limit) : interp::run_switch(m, limit);

  ExecutionResult result;
  result.outcome = std::move(m.outcome);
  if (result.outcome.status == Status::out_of_gas || result.outcome.status == Status::fault) {
    // Out of gas and faults consume the whole limit (docs/gas.md "Outcomes"): the recorded gas
    // then cannot depend on where inside a basic block a tier noticed the fault.
    result.gas_used = context.gas_limit;
    return result;
  }
  result.gas_used = static_cast<std::uint64_t>(limit - left);
  if (result.outcome.status == Status::success) {
    // Refunds only on success, and never below zero (each SDELETE costs more than its refund).
    result.gas_used -= std::min(m.refund, result.gas_used);
    result.returned = std::move(m.returned);
    result.effects = m.journal.take_effects();
  }
  return result;
}

}  // namespace savm::vm
