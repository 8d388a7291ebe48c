// Turns fuzzer bytes into a VALID execution case: a module whose functions are random but
// well-formed (forward jumps only, balanced stack heights at every merge, in-range indices,
// callees of higher index so the call graph is acyclic), plus a context, an input and a host
// pre-state. Nearly every input verifies, so the fuzzers spend their time in the interpreter
// instead of in the verifier's error paths (anchors-vm §6.2, evmone-fuzzer; §6.1 F8 "smart"
// generation). Shared by fuzz_exec and fuzz_dispatch_diff.
//
// Input layout (every read past the end yields 0; all counts are taken modulo their cap):
//   gas        class u8 (0 small, 1 any ≤ 2^21, 2 one million, 3 exact-cost probe), value u24 LE
//   context    caller, origin, jurisdiction, asset, corridor: u8 value selectors each;
//              timestamp u24, law_date u16, sequence u8
//   storage    count u8 (≤3), {key selector u8, value selector u8}*       (the context asset's)
//   tensor     count u8 (≤3), {domain u8, state u8, expiry u8}*            (context asset/jurisdiction)
//   input      length u8 (≤96), bytes
//   constants  count u8 (≤3), {selector u8}*
//   data       count u8 (≤2), {length u8 (≤47), bytes}*
//   imports    count u8 (≤2), {intrinsic u8 (kIntrinsics), gas u8 (×10)}*
//   citations  count u8 (≤2)
//   functions  count u8 (1..4), {params u8 (≤3; 0 for the entry), results u8 (≤3),
//              extra locals u8 (≤3), budget u8 (instruction steps, 1..256)}*
//   bodies     one per function, in order: `budget` steps each (fewer if the code terminates with
//              no pending label or the input ends)
//
// A step is one byte b. If b is an opcode byte, that instruction is emitted LITERALLY with its
// immediate read from the following bytes (PUSHn: n bytes; u8 kinds: 1 byte; u16 kinds: 2 bytes
// LE, reduced modulo the valid range; JUMP/JUMPI: 1 byte, < 0x80 a new forward label, else a
// pending label to reuse). So raw bytecode of a real program decodes to (nearly) that program,
// and the dictionary's opcode bytes mean what they say. Missing operands are filled with pushes
// of "fresh" values (one selector byte each) and the stack is kept ≤ kMaxHeight by POPs.
// A byte that is not an opcode is an action: b%4 = 0 place a pending label (next byte selects
// it), 1 push a fresh value, 2 JUMPI to a new label, 3 one of the common policy ops.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/crypto/digest.h"
#include "vm/host.h"
#include "vm/memory_host.h"
#include "vm/module.h"
#include "vm/opcodes.h"
#include "vm/word.h"

namespace savm::fuzz {

// The fuzzer's bytes, read front to back; reads past the end are 0.
class ByteStream {
 public:
  ByteStream(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool exhausted() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t u16() { return u8() | std::uint32_t{u8()} << 8; }
  std::uint32_t u24() { return u16() | std::uint32_t{u8()} << 16; }
  std::vector<std::uint8_t> bytes(std::size_t n) {
    std::vector<std::uint8_t> out(n);
    for (auto& b : out) b = u8();
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A word from one selector byte: 0..127 as is, 128..223 → multiples of 32 up to 3,040 (memory
// offsets), 224..255 → boundary words (signed limits, limb edges, powers of two).
inline vm::Word fresh_word(std::uint8_t selector) {
  using vm::Word;
  if (selector < 128) return Word::from_u64(selector);
  if (selector < 224) return Word::from_u64(std::uint64_t{selector - 128u} * 32);
  const auto pow2 = [](unsigned bit) {
    Word w = Word::zero();
    w.limb[bit / 64] = std::uint64_t{1} << (bit % 64);
    return w;
  };
  switch (selector - 224) {
    case 0: return Word::max();
    case 1: return Word::min();
    case 2: return Word::from_i64(-1);
    case 3: return Word::from_i64(-2);
    case 4: return Word{{1, 0, 0, std::uint64_t{1} << 63}};  // MIN + 1
    case 5: return Word{{~0ull - 1, ~0ull, ~0ull, ~0ull >> 1}};  // MAX - 1
    case 6: return Word::from_u64(~0ull);                   // 2^64 - 1
    case 7: return pow2(64);
    case 8: return pow2(127);
    case 9: return pow2(128);
    case 10: return pow2(254);
    case 11: return Word{{0, 0, 0, ~0ull}};                  // top limb all ones (negative)
    case 12: return Word::from_u64(10'000);                  // basis points
    case 13: return Word::from_u64(1'000'000'007);
    case 14: return Word::from_u64(std::uint64_t{1} << 20);  // the memory cap
    case 15: return Word::from_u64((std::uint64_t{1} << 20) - 32);
    case 16: return Word::from_i64(-10'000);
    case 17: return Word::from_u64(std::uint64_t{1} << 63);
    case 18: return Word{{2, 0, 0, std::uint64_t{0x504B} << 48}};  // "PK" as a short string
    default: return pow2(selector - 224 - 19 + 32);  // 2^32 .. 2^44
  }
}

// Host intrinsics generated modules may import. The host registers every one except "missing",
// and "short" answers one word where its import declares two (a host_call fault).
struct IntrinsicSpec {
  std::string_view name;
  std::uint32_t params;
  std::uint32_t results;
};
inline constexpr std::array<IntrinsicSpec, 5> kIntrinsics = {{
    {"echo", 1, 1}, {"add2", 2, 1}, {"fail", 0, 1}, {"short", 0, 2}, {"missing", 1, 0}}};

enum class GasClass : std::uint8_t { small, any, million, exact_probe };

// What one fuzz input describes.
struct ExecutionCase {
  vm::Module module;  // max_stack / gas_bound not yet computed (vm::compute_bounds)
  std::vector<std::uint8_t> input;
  vm::ExecutionContext context;  // execution_digest: SHA-256 of the fuzz input
  GasClass gas_class = GasClass::small;
  std::vector<std::pair<vm::Word, vm::Word>> storage;  // committed storage of context.asset_id
  std::vector<std::pair<vm::TensorKey, vm::TensorCell>> tensor;
  // The code reads the gas counter (GAS) or earns refunds (SDELETE): then running with a limit
  // equal to the gas used is not guaranteed to replay the same run.
  bool gas_observable = false;
};

// The host every case runs on: its pre-state plus the intrinsics of kIntrinsics.
inline vm::MemoryHost make_host(const ExecutionCase& c) {
  using vm::HostCallResult;
  using vm::Word;
  vm::MemoryHost host;
  for (const auto& [key, value] : c.storage) host.set_storage(c.context.asset_id, key, value);
  for (const auto& [key, cell] : c.tensor) host.set_tensor(key, cell);
  host.register_intrinsic("echo", [](std::span<const Word> a) { return HostCallResult{true, {a[0]}}; });
  host.register_intrinsic("add2", [](std::span<const Word> a) {
    Word sum;
    const bool ok = vm::checked_add(a[0], a[1], sum);
    return HostCallResult{ok, ok ? std::vector<Word>{sum} : std::vector<Word>{}};
  });
  host.register_intrinsic("fail", [](std::span<const Word>) { return HostCallResult{false, {}}; });
  host.register_intrinsic("short", [](std::span<const Word>) { return HostCallResult{true, {Word::one()}}; });
  return host;
}

namespace detail {

// The module-wide facts a function body needs to emit in-range immediates.
struct ModuleShape {
  std::vector<vm::Signature> functions;  // per function: params, results
  std::vector<std::uint32_t> locals;     // per function
  std::vector<vm::Signature> imports;
  std::uint32_t constants = 0;
  std::uint32_t data = 0;
  std::uint32_t citations = 0;
};

inline constexpr std::uint32_t kMaxHeight = 48;  // far below kMaxStack: overflow is not the point

// Ops the "common op" action picks from: what policy code is made of.
inline constexpr std::array<vm::Op, 16> kCommonOps = {
    vm::Op::ADD, vm::Op::SUB, vm::Op::MUL, vm::Op::DIV, vm::Op::MULDIV, vm::Op::LT,
    vm::Op::GT, vm::Op::EQ, vm::Op::ISZERO, vm::Op::LOCAL_GET, vm::Op::LOCAL_SET, vm::Op::CONST,
    vm::Op::SLOAD, vm::Op::SSTORE, vm::Op::TENSOR_GET, vm::Op::CALL};

// Emits one function body. Invariants kept while emitting: `height_` is the verifier's stack
// height at the end of the code; after a terminator nothing is emitted until a pending label
// (a forward target all of whose jumps are already emitted) is placed there.
class BodyWriter {
 public:
  BodyWriter(ByteStream& in, const ModuleShape& shape, std::uint32_t index, bool& gas_observable)
      : in_(in), shape_(shape), index_(index), gas_observable_(gas_observable) {}

  std::vector<std::uint8_t> write(std::uint32_t budget) {
    for (std::uint32_t i = 0; i < budget && !in_.exhausted(); ++i) {
      if (terminated_ && pending_.empty()) break;
      step(in_.u8());
    }
    const std::uint32_t results = shape_.functions[index_].results;
    if (!terminated_) end_with_return(results);
    while (!pending_.empty()) {
      place_label(0);
      end_with_return(results);
    }
    return std::move(code_);
  }

 private:
  struct Label {
    std::uint32_t height = 0;
    std::vector<std::size_t> fixups;  // offsets of u32 target immediates
  };

  void step(std::uint8_t b) {
    const vm::OpInfo& info = vm::op_info(b);
    if (info.defined()) {
      reach();
      emit_op(static_cast<vm::Op>(b));
      return;
    }
    switch (b % 4) {
      case 0:
        if (!pending_.empty()) place_label(in_.u8() % pending_.size());
        break;
      case 1:
        reach();
        push_fresh();
        break;
      case 2:
        reach();
        emit_branch(vm::Op::JUMPI, 0);
        break;
      default:
        reach();
        emit_op(kCommonOps[(b / 4) % kCommonOps.size()]);
        break;
    }
  }

  // After a terminator, code is reachable only at a label: place the oldest pending one.
  void reach() {
    if (terminated_) place_label(0);
  }

  void byte(std::uint8_t b) { code_.push_back(b); }
  void u16(std::uint32_t v) {
    byte(static_cast<std::uint8_t>(v));
    byte(static_cast<std::uint8_t>(v >> 8));
  }

  // The narrowest PUSH of `w` (PUSH32 for negative words).
  void push_word(const vm::Word& w) {
    std::array<std::uint8_t, 32> be{};
    w.to_be_bytes(be);
    std::size_t first = 0;
    while (first < 32 && be[first] == 0) ++first;
    const std::size_t len = 32 - first;
    static constexpr std::array<std::pair<std::size_t, vm::Op>, 6> kWidths = {{
        {0, vm::Op::PUSH0}, {1, vm::Op::PUSH1}, {2, vm::Op::PUSH2}, {4, vm::Op::PUSH4},
        {8, vm::Op::PUSH8}, {16, vm::Op::PUSH16}}};
    for (const auto& [width, op] : kWidths) {
      if (len <= width) {
        byte(static_cast<std::uint8_t>(op));
        code_.insert(code_.end(), be.end() - static_cast<std::ptrdiff_t>(width), be.end());
        ++height_;
        return;
      }
    }
    byte(static_cast<std::uint8_t>(vm::Op::PUSH32));
    code_.insert(code_.end(), be.begin(), be.end());
    ++height_;
  }
  void push_fresh() {
    make_room(1);
    push_word(fresh_word(in_.u8()));
  }
  void pop() {
    byte(static_cast<std::uint8_t>(vm::Op::POP));
    --height_;
  }
  void make_room(std::uint32_t grow) {
    while (height_ > 0 && height_ + grow > kMaxHeight) pop();
  }
  void fill(std::uint32_t needed) {
    while (height_ < needed) push_word(fresh_word(in_.u8()));
  }
  void adjust_height(std::uint32_t target) {
    while (height_ > target) pop();
    while (height_ < target) push_word(vm::Word::from_u64(height_));
  }

  void end_with_return(std::uint32_t results) {
    adjust_height(results);
    byte(static_cast<std::uint8_t>(vm::Op::RETURN));
    terminated_ = true;
  }

  void place_label(std::size_t k) {
    Label label = std::move(pending_[k]);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(k));
    if (!terminated_) adjust_height(label.height);  // fall-through joins at the same height
    height_ = label.height;
    terminated_ = false;
    const auto target = static_cast<std::uint32_t>(code_.size());
    for (const std::size_t at : label.fixups) {
      for (int i = 0; i < 4; ++i) code_[at + i] = static_cast<std::uint8_t>(target >> (8 * i));
    }
  }

  // JUMP or JUMPI to a new label (selector < 0x80) or to a pending one (the height is adjusted
  // so the merge is consistent).
  void emit_branch(vm::Op op, std::uint8_t selector) {
    const bool conditional = op == vm::Op::JUMPI;
    const bool reuse = !pending_.empty() && (selector >= 0x80 || pending_.size() >= 16);
    Label* label = reuse ? &pending_[selector % pending_.size()] : nullptr;
    if (label != nullptr) {
      adjust_height(label->height + (conditional ? 1 : 0));
    } else if (conditional) {
      make_room(1);
      fill(1);
    }
    byte(static_cast<std::uint8_t>(op));
    const std::size_t fixup = code_.size();
    code_.insert(code_.end(), 4, 0);
    if (conditional) --height_;
    if (label != nullptr) {
      label->fixups.push_back(fixup);
    } else {
      pending_.push_back(Label{height_, {fixup}});
    }
    if (!conditional) terminated_ = true;
  }

  void emit_op(vm::Op op) {
    const vm::OpInfo& info = vm::op_info(op);
    if (info.is_branch()) return emit_branch(op, in_.u8());
    if (op == vm::Op::GAS || op == vm::Op::SDELETE) gas_observable_ = true;
    if (op == vm::Op::RETURN) return end_with_return(shape_.functions[index_].results);
    std::uint32_t pops = info.pops;
    std::uint32_t pushes = info.pushes;
    std::vector<std::uint8_t> imm;
    const std::uint32_t raw = read_immediate(info, imm);
    switch (info.imm) {
      case vm::Imm::local: {
        const std::uint32_t n = shape_.locals[index_];
        if (n == 0) return;
        imm = le16(raw % n);
        break;
      }
      case vm::Imm::constant:
        if (shape_.constants == 0) return;
        imm = le16(raw % shape_.constants);
        break;
      case vm::Imm::data:
        if (shape_.data == 0) return;
        imm = le16(raw % shape_.data);
        break;
      case vm::Imm::citation:
        if (shape_.citations == 0) return;
        imm = le16(raw % shape_.citations);
        break;
      case vm::Imm::function: {
        const auto count = static_cast<std::uint32_t>(shape_.functions.size());
        if (index_ + 1 >= count) return;  // only higher-index callees: no recursion
        const std::uint32_t callee = index_ + 1 + raw % (count - index_ - 1);
        imm = le16(callee);
        pops = shape_.functions[callee].params;
        pushes = shape_.functions[callee].results;
        break;
      }
      case vm::Imm::import: {
        if (shape_.imports.empty()) return;
        const auto k = static_cast<std::uint32_t>(raw % shape_.imports.size());
        imm = le16(k);
        pops = shape_.imports[k].params;
        pushes = shape_.imports[k].results;
        break;
      }
      default: break;
    }
    if (info.rule == vm::StackRule::dup) {
      make_room(1);
      fill(1);
      imm = {count_operand(raw, height_)};
      pops = 0;
      pushes = 1;
    } else if (info.rule == vm::StackRule::swap) {
      fill(2);
      imm = {count_operand(raw, height_ - 1)};
      pops = 0;
      pushes = 0;
    } else {
      if (pushes > pops) make_room(pushes - pops);
      fill(pops);
    }
    byte(static_cast<std::uint8_t>(op));
    code_.insert(code_.end(), imm.begin(), imm.end());
    height_ = height_ - pops + pushes;
    if (info.is_terminator()) terminated_ = true;
  }

  // Reads the immediate's bytes from the input. u8 kinds are reduced to their valid range here;
  // index kinds return the raw u16 for the caller to reduce.
  std::uint32_t read_immediate(const vm::OpInfo& info, std::vector<std::uint8_t>& imm) {
    switch (info.imm) {
      case vm::Imm::none: return 0;
      case vm::Imm::push: imm = in_.bytes(info.push_width); return 0;
      case vm::Imm::count: return in_.u8();
      case vm::Imm::rounding:
      case vm::Imm::tensor_field:
      case vm::Imm::proof_system:
        imm = {static_cast<std::uint8_t>(in_.u8() % (vm::imm_max(info.imm) + 1))};
        return 0;
      case vm::Imm::tag: imm = le16(in_.u16()); return 0;
      default: return in_.u16();
    }
  }

  // DUP/SWAP count in 1..limit: the literal value when it fits.
  static std::uint8_t count_operand(std::uint32_t raw, std::uint32_t limit) {
    const std::uint32_t n = raw == 0 ? 1 : raw;
    return static_cast<std::uint8_t>(n <= limit ? n : 1 + raw % limit);
  }
  static std::vector<std::uint8_t> le16(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)};
  }

  ByteStream& in_;
  const ModuleShape& shape_;
  std::uint32_t index_;
  bool& gas_observable_;
  std::vector<std::uint8_t> code_;
  std::uint32_t height_ = 0;
  bool terminated_ = false;
  std::vector<Label> pending_;
};

inline std::uint32_t signature_index(vm::Module& m, vm::Signature sig) {
  auto it = std::find(m.signatures.begin(), m.signatures.end(), sig);  // signatures are unique
  if (it == m.signatures.end()) it = m.signatures.insert(m.signatures.end(), sig);
  return static_cast<std::uint32_t>(it - m.signatures.begin());
}

// A context id: "PK" as a short string (docs/vm.md) for selector 0, else a fresh word.
inline vm::Word context_word(std::uint8_t selector) {
  return fresh_word(selector == 0 ? 224 + 18 : selector);
}

inline void read_context(ByteStream& in, ExecutionCase& c, std::span<const std::uint8_t> whole) {
  c.gas_class = static_cast<GasClass>(in.u8() % 4);
  const std::uint32_t value = in.u24();
  switch (c.gas_class) {
    case GasClass::small: c.context.gas_limit = value % 4096; break;
    case GasClass::any: c.context.gas_limit = value % (1u << 21); break;
    case GasClass::million:
    case GasClass::exact_probe: c.context.gas_limit = 1'000'000; break;
  }
  vm::ExecutionContext& ctx = c.context;
  ctx.caller = context_word(in.u8());
  ctx.origin = context_word(in.u8());
  ctx.jurisdiction = context_word(in.u8());
  ctx.asset_id = context_word(in.u8());
  ctx.corridor = context_word(in.u8());
  ctx.timestamp = 1'600'000'000 + static_cast<std::int64_t>(in.u24()) * 16;
  ctx.law_date = 18'000 + static_cast<std::int64_t>(in.u16());
  ctx.sequence = in.u8();
  ctx.execution_digest = vm::sha256(whole);
}

inline void read_host_state(ByteStream& in, ExecutionCase& c) {
  for (unsigned n = in.u8() % 4; n > 0; --n) {
    const vm::Word key = fresh_word(in.u8());
    c.storage.emplace_back(key, fresh_word(in.u8()));
  }
  for (unsigned n = in.u8() % 4; n > 0; --n) {
    vm::TensorKey key{c.context.asset_id, c.context.jurisdiction,
                      static_cast<vm::Domain>(in.u8() % vm::kDomainCount)};
    vm::TensorCell cell;
    cell.state = static_cast<vm::ComplianceState>(in.u8() % vm::kComplianceStateCount);
    cell.evidence = vm::sha256(std::string_view("fuzz evidence"));
    cell.as_of = c.context.timestamp - 100;
    const std::uint8_t expiry = in.u8();  // 0: none; else before or after the context time
    cell.expires = expiry == 0 ? 0 : c.context.timestamp + (expiry - 128);
    c.tensor.emplace_back(key, cell);
  }
  c.input = in.bytes(in.u8() % 97);
}

inline ModuleShape read_module_tables(ByteStream& in, vm::Module& m) {
  ModuleShape shape;
  for (unsigned n = in.u8() % 4; n > 0; --n) {
    vm::WordBytes bytes{};
    fresh_word(in.u8()).to_be_bytes(bytes);
    m.constants.push_back(bytes);
  }
  for (unsigned n = in.u8() % 3; n > 0; --n) m.data.push_back(vm::DataSegment{in.bytes(in.u8() % 48)});
  for (unsigned n = in.u8() % 3; n > 0; --n) {
    const IntrinsicSpec& spec = kIntrinsics[in.u8() % kIntrinsics.size()];
    const std::uint64_t gas = std::uint64_t{in.u8()} * 10;
    const bool duplicate = std::any_of(m.host_imports.begin(), m.host_imports.end(),
                                       [&](const vm::HostImport& h) { return h.name == spec.name; });
    if (duplicate) continue;  // import names are unique (verify.duplicate_import)
    const vm::Signature sig{spec.params, spec.results};
    m.host_imports.push_back(vm::HostImport{std::string(spec.name), signature_index(m, sig), gas});
    shape.imports.push_back(sig);
  }
  for (unsigned n = in.u8() % 3; n > 0; --n) m.metadata.citations.push_back("s." + std::to_string(n));
  shape.constants = static_cast<std::uint32_t>(m.constants.size());
  shape.data = static_cast<std::uint32_t>(m.data.size());
  shape.citations = static_cast<std::uint32_t>(m.metadata.citations.size());
  return shape;
}

}  // namespace detail

// Decodes `data` into a case. Never fails: every byte string gives a module that is meant to
// verify (after vm::compute_bounds); a verifier rejection other than gas_bound_overflow is a bug
// in this generator or in the verifier.
inline ExecutionCase generate(const std::uint8_t* data, std::size_t size) {
  ByteStream in(data, size);
  ExecutionCase c;
  detail::read_context(in, c, std::span<const std::uint8_t>(data, size));
  detail::read_host_state(in, c);
  vm::Module& m = c.module;
  m.metadata.pack_id = "fuzz";
  m.metadata.kind = "test";
  detail::ModuleShape shape = detail::read_module_tables(in, m);

  const unsigned count = 1 + in.u8() % 4;
  std::vector<std::uint32_t> budgets;
  for (unsigned i = 0; i < count; ++i) {
    const std::uint8_t param_selector = in.u8();
    const std::uint32_t params = i == 0 ? 0u : param_selector % 4u;  // entries take no parameters
    const vm::Signature sig{params, in.u8() % 4u};
    const std::uint32_t locals = params + in.u8() % 4;
    budgets.push_back(1 + in.u8());
    vm::Function f;
    f.signature = detail::signature_index(m, sig);
    f.local_count = locals;
    m.functions.push_back(std::move(f));
    shape.functions.push_back(sig);
    shape.locals.push_back(locals);
  }
  for (unsigned i = 0; i < count; ++i) {
    detail::BodyWriter body(in, shape, i, c.gas_observable);
    m.functions[i].code = body.write(budgets[i]);
  }
  m.exports.push_back(vm::Export{"main", vm::ExportKind::transition, 0});
  return c;
}

}  // namespace savm::fuzz
