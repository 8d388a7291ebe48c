// The verifier (docs/vm.md "Verifier", docs/design/verifier-bounded-gas.md "How the walk runs").
//
// One walk per function in code order: decode, check immediates and indices, track the operand
// stack height, and track the longest gas path inline. Because every jump is forward, a target's
// height and best incoming gas are known before the walk reaches it, so each instruction is
// visited once. Functions are walked callees-first by a depth-first search the walks drive
// themselves (a walk that meets a CALL to a function not walked yet is dropped and redone after
// its callees), so every callee's gas bound is known when its caller reaches the CALL.
//
// Speed (docs/PERFORMANCE.md "Module verification"): jump targets live in a bitset (cleared per
// function: size/8 bytes) plus one {gas, height} slot per code offset that is only read where
// the bitset says a jump landed, so the slot array is never initialized and is reused across
// functions. The common instructions run in run_fast(), which never reports an error.
#include "vm/verifier.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <span>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vm/opcodes.h"

namespace savm::vm {
namespace {

inline constexpr std::uint32_t kMaxEntryResults = 16;
inline constexpr std::uint64_t kSaturated = kMaxGasBound + 1;

std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r) || r > kMaxGasBound) return kSaturated;
  return r;
}

// The static cost of one instruction without callees or host gas: base gas plus the largest
// dynamic gas under the memory cap (VERIFY_ZK's base depends on its immediate: handled apart).
constexpr std::array<std::uint64_t, 256> make_static_costs() {
  std::array<std::uint64_t, 256> costs{};
  for (std::size_t b = 0; b < 256; ++b) costs[b] = kOpTable[b].base_gas + max_dynamic_gas(kOpTable[b]);
  return costs;
}
inline constexpr std::array<std::uint64_t, 256> kStaticCost = make_static_costs();

// Instruction length per byte, 0 for undefined opcodes (the pre-scan's only table).
constexpr std::array<std::uint8_t, 256> make_lengths() {
  std::array<std::uint8_t, 256> lengths{};
  for (std::size_t b = 0; b < 256; ++b) {
    if (kOpTable[b].defined()) lengths[b] = static_cast<std::uint8_t>(instruction_size(kOpTable[b]));
  }
  return lengths;
}
inline constexpr std::array<std::uint8_t, 256> kLength = make_lengths();
inline constexpr std::uint32_t kMaxInstruction = 33;  // PUSH32

// The pre-scan's table: the length, or 0 for the bytes it must look at (undefined, CALL).
constexpr std::array<std::uint8_t, 256> make_scan_lengths() {
  std::array<std::uint8_t, 256> lengths = make_lengths();
  lengths[static_cast<std::uint8_t>(Op::CALL)] = 0;
  return lengths;
}
inline constexpr std::array<std::uint8_t, 256> kScanLength = make_scan_lengths();

VerifyError error(std::uint32_t function, std::uint32_t offset, const char* code, std::string reason) {
  return VerifyError{function, offset, code, std::move(reason)};
}

std::string op_name(std::uint8_t byte) { return std::string(op_info(byte).mnemonic); }

std::string hex(std::uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[b >> 4], kDigits[b & 15]};
}

std::uint32_t read_le(const std::uint8_t* p, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint32_t{p[i]} << (8 * i);
  return v;
}

// An immediate within 4 bytes of the end of the code, where a 4-byte load would run past it.
// Out of line: rare, and inlined its loop would crowd the walk's registers.
[[gnu::noinline]] std::uint32_t read_tail(const std::uint8_t* p, std::size_t n) { return read_le(p, n); }

// Four little-endian bytes at p, all of which must be inside the code.
std::uint32_t load_le32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

// ---- the call graph ----

// Appends the CALL edges of one function in code order, as its walk will see them when the code
// is valid; returns the bytes scanned. A scan stops at the first undecodable byte, where the walk
// reports the error.
std::size_t scan_function(std::span<const std::uint8_t> code, std::size_t functions,
                          std::vector<std::uint32_t>& callees) {
  const std::size_t size = code.size();
  std::size_t off = 0;
  while (off < size) {
    // Far from the end no instruction can be truncated: one table load per instruction.
    while (off + kMaxInstruction <= size && kScanLength[code[off]] != 0) off += kScanLength[code[off]];
    if (off >= size) break;
    const std::uint8_t byte = code[off];
    const std::size_t len = kLength[byte];
    if (len == 0 || len > size - off) break;
    if (byte == static_cast<std::uint8_t>(Op::CALL)) {
      const std::uint32_t callee = read_le(&code[off + 1], 2);
      if (callee < functions) callees.push_back(callee);
    }
    off += len;
  }
  return off;
}

// The depth-first search over the call graph that orders the walks callees-first. White: not
// walked yet; grey: on the search stack (a CALL to it closes a cycle); black: walked, bound known.
struct Calls {
  enum Color : std::uint8_t { kWhite, kGrey, kBlack };
  explicit Calls(std::size_t n, Color initial) : color(n, initial), bounds(n, 0) {}
  // A CALL edge seen: the first grey callee met is the reported cycle.
  void met(std::uint32_t callee) {
    if (color[callee] == kGrey && cycle == kNoFunction) cycle = callee;
  }
  std::vector<Color> color;
  std::vector<std::uint64_t> bounds;
  std::uint32_t cycle = kNoFunction;
};

// ---- pass 3: the walk ----

// Checks an immediate against its kind and the module; nullptr if fine. Only called once the
// conservative range check of OpStep failed, to confirm and name the error.
const char* check_immediate(const Module& m, const Function& f, Imm imm, std::uint8_t byte,
                            std::uint32_t v, std::string& reason) {
  auto index = [&](std::size_t size, const char* what, const char* code) -> const char* {
    if (v < size) return nullptr;
    reason = op_name(byte) + " " + what + " index " + std::to_string(v) + " out of range (" +
             std::to_string(size) + " defined)";
    return code;
  };
  switch (imm) {
    case Imm::count:
      if (v >= 1) return nullptr;
      reason = op_name(byte) + " count must be 1..255";
      return "verify.bad_immediate";
    case Imm::rounding:
    case Imm::tensor_field:
    case Imm::proof_system:
      if (v <= imm_max(imm)) return nullptr;
      reason = op_name(byte) + " immediate " + std::to_string(v) + " above its maximum " +
               std::to_string(imm_max(imm));
      return "verify.bad_immediate";
    case Imm::local: return index(f.local_count, "local", "verify.bad_local");
    case Imm::constant: return index(m.constants.size(), "constant", "verify.bad_const");
    case Imm::data: return index(m.data.size(), "data segment", "verify.bad_data");
    case Imm::function: return index(m.functions.size(), "function", "verify.bad_function");
    case Imm::import: return index(m.host_imports.size(), "import", "verify.bad_import");
    case Imm::citation:
      return index(m.metadata.citations.size(), "citation", "verify.bad_citation");
    case Imm::none:
    case Imm::push:
    case Imm::tag:
    case Imm::target: return nullptr;
  }
  return nullptr;
}

// One opcode as the walk sees it, with the module's index ranges folded in, so the common
// instruction costs a table load, a few compares, a height update and an add.
// How the walk treats an opcode.
enum class StepKind : std::uint8_t {
  plain,    // fixed stack effect and cost, no control flow, no immediate to check: the fast path
  checked,  // plain, but its immediate is an index or a bounded value
  jumpi,    // JUMPI: the fast loop takes it when nothing is wrong, else like special
  special,  // everything else, out of line (special()), including undefined opcodes
};

struct alignas(32) OpStep {  // 32 bytes: the row address is one shift away from the opcode
  std::uint32_t cost = 0;       // base + largest dynamic gas (kStaticCost; < 2^32, asserted)
  std::uint32_t imm_mask = 0;   // of a 4-byte little-endian load after the opcode; 0 for PUSHn
  std::uint32_t imm_min = 0;    // conservative range check: imm - imm_min < imm_span, else the
  std::uint32_t imm_span = 0;   //   cold path decides (0xFFFFFFFF: any value but one is fine)
  std::uint16_t room = 0;       // kMaxStack - pushes: height - pops must not exceed it
  std::uint8_t len = 0;         // 0: undefined opcode
  std::uint8_t imm_bytes = 0;   // immediate bytes to read (0 for PUSHn)
  std::uint8_t pops = 0;
  std::uint8_t pushes = 0;
  StepKind kind = StepKind::special;
};

using StepTable = std::array<OpStep, 256>;

constexpr bool static_costs_fit_u32() {
  for (std::uint64_t c : kStaticCost) {
    if (c > 0xFFFFFFFFu) return false;
  }
  return true;
}
static_assert(static_costs_fit_u32());

std::uint32_t span_of(std::size_t count) { return static_cast<std::uint32_t>(std::min<std::size_t>(count, 0xFFFFFFFFu)); }

StepTable make_steps(const Module& m) {
  StepTable steps{};
  for (std::size_t b = 0; b < 256; ++b) {
    const OpInfo& info = kOpTable[b];
    if (!info.defined()) continue;
    OpStep& s = steps[b];
    s.len = kLength[b];
    s.cost = static_cast<std::uint32_t>(kStaticCost[b]);
    s.imm_bytes = info.imm == Imm::push ? 0 : static_cast<std::uint8_t>(s.len - 1);
    s.imm_mask = s.imm_bytes == 4 ? 0xFFFFFFFFu : (std::uint32_t{1} << (8 * s.imm_bytes)) - 1;
    s.pops = info.pops;
    s.pushes = info.pushes;
    s.room = static_cast<std::uint16_t>(kMaxStack - info.pushes);
    s.imm_span = 0xFFFFFFFFu;
    switch (info.imm) {
      case Imm::count: s.imm_min = 1; s.imm_span = imm_max(info.imm); break;
      case Imm::rounding:
      case Imm::tensor_field:
      case Imm::proof_system: s.imm_span = imm_max(info.imm) + 1; break;
      case Imm::local: s.imm_span = 0; break;  // per function: FunctionWalk
      case Imm::constant: s.imm_span = span_of(m.constants.size()); break;
      case Imm::data: s.imm_span = span_of(m.data.size()); break;
      case Imm::function: s.imm_span = span_of(m.functions.size()); break;
      case Imm::import: s.imm_span = span_of(m.host_imports.size()); break;
      case Imm::citation: s.imm_span = span_of(m.metadata.citations.size()); break;
      case Imm::none:
      case Imm::push:
      case Imm::tag:
      case Imm::target: break;
    }
    const bool plain = info.rule == StackRule::fixed && info.imm != Imm::proof_system &&
                       (info.flags & (kFlagBranch | kFlagTerminator)) == 0;
    // none, push, tag: any immediate is valid (check_immediate accepts it), so none is read.
    const bool unchecked = info.imm == Imm::none || info.imm == Imm::push || info.imm == Imm::tag;
    s.kind = !plain ? StepKind::special : unchecked ? StepKind::plain : StepKind::checked;
    if (b == static_cast<std::uint8_t>(Op::JUMPI)) s.kind = StepKind::jumpi;
  }
  return steps;
}

// off + len, computed so that the next instruction's address does not wait for this one's length
// to load: on the common lengths the step is a constant selected by a branch, which the CPU
// predicts (code repeats a few instruction shapes), where `off + len` would put two dependent
// loads (opcode byte, then its length) on every iteration's critical path. The empty asm hides
// the constant from the compiler, which would otherwise fold the cases back into `off + len`.
inline std::uint32_t advance(std::uint32_t off, std::uint32_t len) {
  std::uint32_t step = len;
  switch (len) {
    case 1: step = 1; asm("" : "+r"(step)); break;
    case 2: step = 2; asm("" : "+r"(step)); break;
    case 3: step = 3; asm("" : "+r"(step)); break;
    default: break;
  }
  return off + step;
}

// What is known about a jump target before the walk reaches it: the stack height every jump
// there carries and the largest gas spent on any path up to it. Deliberately trivial (no
// initializers): a slot is only read after its bit in the target bitset was set.
struct Target {
  std::uint64_t gas;
  std::uint32_t height;
};

// Per-verification scratch, sized once for the largest function and reused by every walk.
struct Scratch {
  Scratch(const Module& m, std::uint32_t max_code)
      : steps(make_steps(m)),
        targets(new Target[std::size_t{max_code} + 1]),
        bits(std::size_t{max_code} / 64 + 2, 0) {
    for (std::size_t b = 0; b < 256; ++b) {
      if (kOpTable[b].imm == Imm::local) local_ops.push_back(static_cast<std::uint8_t>(b));
    }
  }
  StepTable steps;
  std::vector<std::uint8_t> local_ops;  // opcodes whose immediate is a local index
  std::unique_ptr<Target[]> targets;
  std::vector<std::uint64_t> bits;  // jump targets of the current function
};

// Plain instructions add their cost without a saturation check: between two CALL/HOSTCALL
// (which saturate) at most 2^20 instructions of < 2^24 gas each are added, far below 2^64. The
// bound is clamped once at the end.
std::uint64_t clamp(std::uint64_t gas) { return gas > kMaxGasBound ? kSaturated : gas; }

class FunctionWalk {
 public:
  // `defer`: stop at a CALL to a function not walked yet (pending_callee()) instead of walking on.
  FunctionWalk(const Module& m, std::uint32_t index, Calls& calls, bool defer, Scratch& scratch,
               FunctionAnalysis& out)
      : m_(m),
        f_(m.functions[index]),
        index_(index),
        calls_(calls),
        defer_(defer),
        steps_(scratch.steps),
        targets_(scratch.targets.get()),
        bits_(scratch.bits.data()),
        out_(out) {
    for (std::uint8_t op : scratch.local_ops) scratch.steps[op].imm_span = f_.local_count;
  }

  // The first error in code order, or nullopt: then the function verified, unless deferred().
  std::optional<VerifyError> run() {
    if (f_.signature >= m_.signatures.size()) {
      return error(index_, 0, "verify.bad_signature", "function signature index out of range");
    }
    const Signature& sig = m_.signatures[f_.signature];
    out_.params = sig.params;
    out_.results = sig.results;
    if (f_.local_count < sig.params || f_.local_count > kMaxLocals) {
      return error(index_, 0, "verify.bad_locals",
                   "local count " + std::to_string(f_.local_count) + " must be in [params=" +
                       std::to_string(sig.params) + ", " + std::to_string(kMaxLocals) + "]");
    }
    size_ = static_cast<std::uint32_t>(f_.code.size());
    std::fill_n(bits_, size_ / 64 + 2, 0);  // the window at any offset < size reads 2 words
    if (!walk()) return std::move(error_);
    out_.gas_bound = clamp(bound_);
    return std::nullopt;
  }

 // The walk stopped at a CALL to this function, not walked yet (only with `defer`).
  std::uint32_t pending_callee() const { return pending_callee_; }

 private:
  bool is_target(std::uint32_t off) const { return (bits_[off >> 6] >> (off & 63)) & 1; }

  // The walk's next stop at or after `from`: the first jump target known so far, but at most
  // kLookahead words of the bitset ahead (a checkpoint that need not be a target: stopping there
  // just searches again), and at most size_. Capping the search keeps it linear: jumps keep adding
  // targets ahead, so an uncapped search to the end would be repeated after every target.
  static constexpr std::uint32_t kLookahead = 4;
  std::uint32_t next_stop(std::uint32_t from) const {
    std::uint32_t w = from >> 6;
    const std::uint32_t last = std::min(w + kLookahead, (size_ + 63) / 64);
    std::uint64_t word = bits_[w] & (~std::uint64_t{0} << (from & 63));
    while (word == 0) {
      if (++w >= last) return std::min(w * 64, size_);
      word = bits_[w];
    }
    return w * 64 + static_cast<std::uint32_t>(std::countr_zero(word));
  }

  // The walk: true if the function verifies; else error_ holds the first error in code order.
  // The hot state lives in locals whose addresses never escape, so it stays in registers.
  // `next` is the next stop (next_stop) after the current instruction: the common instruction
  // pays one compare for "ends before the next stop" (which also covers undefined opcodes and
  // truncation), and reachability is only decided where control can stop.
  [[gnu::noinline]] bool walk() {
    const std::uint8_t* const code = f_.code.data();
    const std::uint32_t size = size_;
    const OpStep* const steps = steps_.data();
    Path path{0, 0, 0, size, true};
    std::uint32_t off = 0;
    std::uint32_t height = 0;
    std::uint32_t max_stack = 0;
    std::uint64_t gas = 0;  // largest gas spent on any path reaching `off`
    std::uint32_t next = size;
    bool reachable = true;
    while (off < size) {
      if (off == next) {
        if (is_target(off)) {
          const Target& t = targets_[off];
          if (reachable && t.height != height) return fail_merge(off, height, t.height);
          gas = reachable && gas > t.gas ? gas : t.gas;
          height = t.height;
          reachable = true;
        }
        next = next_stop(off + 1);
      }
      {
        Run run{gas, off, height, max_stack, next};
        run_fast(run);
        gas = run.gas;
        off = run.off;
        height = run.height;
        max_stack = run.max_stack;
        next = run.next;
        if (off == next) continue;  // a stop, or the end of the code
      }

      const std::uint8_t byte = code[off];
      const OpStep& s = steps[byte];
      // len 0 (undefined) wraps to the largest value; next <= size covers truncation.
      if (s.len - 1u >= next - off) {
        next = cross_stop(off, byte, s.len);
        if (next == 0) return false;
      }
      std::uint32_t imm = 0;
      if (s.kind != StepKind::plain) {
        imm = size - off > 4 ? load_le32(code + off + 1) & s.imm_mask : read_tail(code + off + 1, s.imm_bytes);
        if (imm - s.imm_min >= s.imm_span && !immediate_ok(off, byte, imm)) return false;
      }
      if (s.kind == StepKind::plain || s.kind == StepKind::checked) {
        const std::uint32_t rest = height - s.pops;  // wraps on underflow
        if (rest > s.room) return fail_height(off, byte, height, s.pops, s.pushes);
        height = rest + s.pushes;
        max_stack = height > max_stack ? height : max_stack;
        gas += s.cost;
        off += s.len;
        continue;
      }
      path = Path{gas, height, max_stack, next, true};
      if (!special(byte, off, imm, path)) return false;
      gas = path.gas;
      height = path.height;
      max_stack = path.max_stack;
      next = path.next;
      reachable = path.reachable;
      off += s.len;
      // After a terminator only a jump target can come next.
      if (!reachable && off < size && !is_target(off)) {
        return fail(off, "verify.unreachable", "instruction is not reachable");
      }
    }
    out_.max_stack = max_stack;
    if (reachable) {
      return fail(size, "verify.missing_terminator",
                  "control falls off the end of the function (end with RETURN, REVERT, HALT or JUMP)");
    }
    return true;
  }

  // The state run_fast() takes and leaves. It goes by reference and is updated field by field: a
  // struct passed or returned by value is stored piecewise and reloaded whole, which stalls store
  // forwarding on every call.
  struct Run {
    std::uint64_t gas;
    std::uint32_t off;
    std::uint32_t height;
    std::uint32_t max_stack;
    std::uint32_t next;
  };

  // The walk's hot loop, on its own so its few values stay in registers: runs plain, checked and
  // JUMPI instructions from `run.off` while they verify without question, and stops at the next
  // stop or at the first instruction that needs more (special, crossing the stop, an immediate,
  // a stack height or a jump to report, near the end of the code). The general loop then takes
  // that instruction, re-checks it and reports any error, so this loop never reports one.
  [[gnu::noinline]] void run_fast(Run& run) {
    const std::uint8_t* const code = f_.code.data();
    const OpStep* const steps = steps_.data();
    const std::uint32_t size = size_;
    std::uint64_t gas = run.gas;
    std::uint32_t off = run.off;
    std::uint32_t height = run.height;
    std::uint32_t max_stack = run.max_stack;
    std::uint32_t next = run.next;
    while (off < next) {
      const OpStep& s = steps[code[off]];
      if (s.kind == StepKind::special || s.len - 1u >= next - off) break;
      if (s.kind == StepKind::jumpi) {
        // Same checks and effects as special() + branch(); the len check above keeps the 4-byte
        // target inside the code.
        const std::uint32_t t = load_le32(code + off + 1);
        if (height == 0 || t <= off || t >= size) break;
        const std::uint32_t h = height - 1;
        const std::uint64_t g = gas + s.cost;
        std::uint64_t& word = bits_[t >> 6];
        const std::uint64_t bit = std::uint64_t{1} << (t & 63);
        Target& slot = targets_[t];
        if ((word & bit) == 0) {
          word |= bit;
          slot = Target{g, h};
          next = std::min(next, t);
        } else {
          if (slot.height != h) break;
          slot.gas = std::max(slot.gas, g);
        }
        height = h;
        gas = g;
        off += s.len;
        continue;
      }
      if (s.kind == StepKind::checked) {
        if (size - off <= 4) break;
        const std::uint32_t imm = load_le32(code + off + 1) & s.imm_mask;
        if (imm - s.imm_min >= s.imm_span) break;
      }
      const std::uint32_t rest = height - s.pops;  // wraps on underflow
      if (rest > s.room) break;
      height = rest + s.pushes;
      max_stack = height > max_stack ? height : max_stack;
      gas += s.cost;
      off = advance(off, s.len);
    }
    run.gas = gas;
    run.off = off;
    run.height = height;
    run.max_stack = max_stack;
    run.next = next;
  }

  // The walk's state, handed to the out-of-line instructions by reference.
  struct Path {
    std::uint64_t gas;
    std::uint32_t height;
    std::uint32_t max_stack;
    std::uint32_t next;  // first known jump target after the instruction
    bool reachable;
  };

  // DUP SWAP CALL HOSTCALL VERIFY_ZK RETURN and the control instructions.
  [[gnu::noinline]] bool special(std::uint8_t byte, std::uint32_t off, std::uint32_t imm, Path& path) {
    const OpInfo& info = kOpTable[byte];
    if (info.rule == StackRule::call) {
      calls_.met(imm);
      if (defer_ && calls_.color[imm] == Calls::kWhite) {
        pending_callee_ = imm;
        return false;
      }
    }
    if (!step_stack(info, byte, off, imm, path.height)) return false;
    path.max_stack = std::max(path.max_stack, path.height);
    std::uint64_t cost = kStaticCost[byte];
    if (info.rule == StackRule::hostcall) {
      cost += m_.host_imports[imm].gas;
    } else if (info.imm == Imm::proof_system) {
      cost += base_gas(info, imm);
    }
    if (info.rule == StackRule::call) cost = sat_add(cost, calls_.bounds[imm]);
    path.gas = sat_add(path.gas, cost);
    if ((info.flags & (kFlagBranch | kFlagTerminator)) == 0) return true;
    if (info.is_branch() && !branch(off, imm, path)) return false;
    if (info.is_terminator()) {
      if (!info.is_branch()) bound_ = std::max(bound_, path.gas);  // RETURN, REVERT, HALT end a path
      path.reachable = false;
    }
    return true;
  }

  bool step_stack(const OpInfo& info, std::uint8_t byte, std::uint32_t off, std::uint32_t imm,
                  std::uint32_t& height) {
    std::uint32_t need = info.pops;
    std::uint32_t pops = info.pops;
    std::uint32_t pushes = info.pushes;
    switch (info.rule) {
      case StackRule::fixed: break;
      case StackRule::dup: need = imm; pops = 0; pushes = 1; break;
      case StackRule::swap: need = imm + 1; pops = 0; pushes = 0; break;
      case StackRule::call: {
        const Function& callee = m_.functions[imm];
        if (callee.signature >= m_.signatures.size()) {
          return fail(off, "verify.bad_signature", "callee has an invalid signature index");
        }
        need = pops = m_.signatures[callee.signature].params;
        pushes = m_.signatures[callee.signature].results;
        break;
      }
      case StackRule::hostcall: {
        const Signature& s = m_.signatures[m_.host_imports[imm].signature];
        need = pops = s.params;
        pushes = s.results;
        break;
      }
    }
    if (height < need) return fail_underflow(off, byte, need, height);
    height = height - pops + pushes;
    if (height > kMaxStack) return fail_overflow(off, height);
    if (byte == static_cast<std::uint8_t>(Op::RETURN) && height != out_.results) {
      return fail(off, "verify.return_height",
                  "RETURN with " + std::to_string(height) + " stack items, the signature declares " +
                      std::to_string(out_.results) + " results");
    }
    return true;
  }

  // JUMP/JUMPI to `t`; the path's gas already includes the jump itself.
  bool branch(std::uint32_t off, std::uint32_t t, Path& path) {
    const std::uint32_t height = path.height;
    const std::uint64_t gas = path.gas;
    if (t <= off) {
      return fail(off, "verify.backward_jump",
                  "jump target " + std::to_string(t) + " is not after the jump (loops must be unrolled)");
    }
    if (t >= size_) {
      return fail(off, "verify.bad_jump_target",
                  "jump target " + std::to_string(t) + " outside the function (" + std::to_string(size_) + " bytes)");
    }
    Target& slot = targets_[t];
    if (!is_target(t)) {
      bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
      slot = Target{gas, height};
      path.next = std::min(path.next, t);
      return true;
    }
    if (slot.height != height) {
      return fail(off, "verify.height_mismatch",
                  "jump to " + std::to_string(t) + " with stack height " + std::to_string(height) +
                      ", another path arrives with " + std::to_string(slot.height));
    }
    slot.gas = std::max(slot.gas, gas);
    return true;
  }

  // The conservative check failed: the exact one decides (a u32 jump target of 0xFFFFFFFF, say,
  // is not an immediate error).
  [[gnu::cold, gnu::noinline]] bool immediate_ok(std::uint32_t off, std::uint8_t byte, std::uint32_t imm) {
    std::string reason;
    const char* code = check_immediate(m_, f_, kOpTable[byte].imm, byte, imm, reason);
    return code == nullptr || fail(off, code, std::move(reason));
  }

  // ---- errors: out of line, so the loop above stays small ----
  [[gnu::cold, gnu::noinline]] bool fail(std::uint32_t off, const char* code, std::string reason) {
    error_ = error(index_, off, code, std::move(reason));
    return false;
  }
  [[gnu::cold, gnu::noinline]] bool fail_merge(std::uint32_t off, std::uint32_t height, std::uint32_t pending) {
    return fail(off, "verify.height_mismatch",
                "stack height " + std::to_string(height) + " falling through, " + std::to_string(pending) +
                    " from a jump");
  }
  [[gnu::cold, gnu::noinline]] bool fail_decode(std::uint32_t off, std::uint8_t byte) {
    if (!kOpTable[byte].defined()) return fail(off, "verify.unknown_opcode", "unknown opcode 0x" + hex(byte));
    return fail(off, "verify.truncated_instruction", op_name(byte) + " immediate runs past the end of the code");
  }
  // The instruction at `off` does not end before the next stop: it is undefined, runs past the
  // end of the code, or a jump target lies inside it (errors, in that order of precedence), or it
  // only crosses a checkpoint. Every target inside it is known by now (a later jump could only
  // add it backwards). Returns the next stop after it, or 0 after an error.
  [[gnu::noinline]] std::uint32_t cross_stop(std::uint32_t off, std::uint8_t byte, std::uint32_t len) {
    if (len == 0 || len > size_ - off) {
      fail_decode(off, byte);
      return 0;
    }
    for (std::uint32_t k = off + 1; k < off + len; ++k) {
      if (is_target(k)) {
        fail_inside(off);
        return 0;
      }
    }
    return next_stop(off + len);
  }
  [[gnu::cold, gnu::noinline]] bool fail_inside(std::uint32_t off) {
    std::uint32_t k = off + 1;
    while (!is_target(k)) ++k;  // the window found one inside this instruction
    return fail(k, "verify.bad_jump_target",
                "jump target " + std::to_string(k) + " is inside the instruction at " + std::to_string(off));
  }
  [[gnu::cold, gnu::noinline]] bool fail_height(std::uint32_t off, std::uint8_t byte, std::uint32_t height,
                                                std::uint32_t pops, std::uint32_t pushes) {
    if (height < pops) return fail_underflow(off, byte, pops, height);
    return fail_overflow(off, height - pops + pushes);
  }
  [[gnu::cold, gnu::noinline]] bool fail_underflow(std::uint32_t off, std::uint8_t byte, std::uint32_t need,
                                                   std::uint32_t height) {
    return fail(off, "verify.stack_underflow",
                op_name(byte) + " needs " + std::to_string(need) + " stack items, " + std::to_string(height) +
                    " available on some path");
  }
  [[gnu::cold, gnu::noinline]] bool fail_overflow(std::uint32_t off, std::uint32_t height) {
    return fail(off, "verify.stack_overflow",
                "stack height " + std::to_string(height) + " above " + std::to_string(kMaxStack));
  }

  const Module& m_;
  const Function& f_;
  std::uint32_t index_;
  Calls& calls_;
  bool defer_;
  std::uint32_t pending_callee_ = kNoFunction;
  const StepTable& steps_;
  Target* targets_;
  std::uint64_t* bits_;
  FunctionAnalysis& out_;
  std::uint32_t size_ = 0;
  std::uint64_t bound_ = 0;
  std::optional<VerifyError> error_;
};

std::vector<VerifyError> check_tables(const Module& m) {
  std::vector<VerifyError> errors;
  for (std::size_t i = 0; i < m.host_imports.size(); ++i) {
    const HostImport& h = m.host_imports[i];
    if (h.signature >= m.signatures.size()) {
      errors.push_back(error(kNoFunction, 0, "verify.bad_signature",
                             "import " + h.name + " has signature index " + std::to_string(h.signature) +
                                 " out of range"));
    }
  }
  // Sorting names keeps this O(n log n) even for 65,536 imports.
  std::vector<std::string_view> names;
  names.reserve(m.host_imports.size());
  for (const HostImport& h : m.host_imports) names.push_back(h.name);
  std::sort(names.begin(), names.end());
  const auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) {
    errors.push_back(error(kNoFunction, 0, "verify.duplicate_import", "import " + std::string(*dup) + " declared twice"));
  }
  return errors;
}

void check_exports(const Module& m, std::vector<VerifyError>& errors) {
  for (const Export& e : m.exports) {
    if (e.function >= m.functions.size()) {
      errors.push_back(error(kNoFunction, 0, "verify.bad_export", "export " + e.name + " names function " +
                                                                       std::to_string(e.function) + " which does not exist"));
      continue;
    }
    const std::uint32_t sig_index = m.functions[e.function].signature;
    if (sig_index >= m.signatures.size()) continue;  // reported for the function itself
    const Signature& s = m.signatures[sig_index];
    bool ok = s.params == 0;
    switch (e.kind) {
      case ExportKind::rule: ok = ok && s.results >= 1 && s.results <= kMaxEntryResults; break;
      case ExportKind::test: ok = ok && s.results == 0; break;
      case ExportKind::transition:
      case ExportKind::trigger: ok = ok && s.results <= kMaxEntryResults; break;
    }
    if (!ok) {
      errors.push_back(error(e.function, 0, "verify.export_signature",
                             "export " + e.name + " (" + kExportKindNames[static_cast<int>(e.kind)] +
                                 ") has signature (" + std::to_string(s.params) + ")->(" +
                                 std::to_string(s.results) + "); entries take no parameters, a rule "
                                 "returns 1 to 16 results, a test 0, others at most 16"));
    }
  }
}

// Everything but the declared-value comparison. Fills `analyses`; returns all errors. Error precedence: table errors stop everything; then the
// walks' and exports' errors; then recursion; then gas bound overflow.
std::vector<VerifyError> analyze(const Module& m, std::vector<FunctionAnalysis>& analyses, std::uint64_t& work) {
  std::vector<VerifyError> errors = check_tables(m);
  work += m.host_imports.size() + m.exports.size();
  if (!errors.empty()) return errors;  // HOSTCALL stack effects need valid import signatures
  const std::uint32_t n = static_cast<std::uint32_t>(m.functions.size());
  analyses.assign(n, FunctionAnalysis{});
  std::uint32_t max_code = 0;
  for (const Function& f : m.functions) max_code = std::max(max_code, static_cast<std::uint32_t>(f.code.size()));
  Scratch scratch(m, max_code);
  Calls calls(n, Calls::kWhite);
  // Walks f; false if the walk stopped at a CALL to a white function (only when `defer`).
  auto walk = [&](std::uint32_t f, bool defer) {
    FunctionWalk w(m, f, calls, defer, scratch, analyses[f]);
    auto e = w.run();
    work += m.functions[f].code.size() + 1;
    if (w.pending_callee() != kNoFunction) return false;  // walked again later
    if (e) errors.push_back(std::move(*e));
    calls.bounds[f] = analyses[f].gas_bound;
    calls.color[f] = Calls::kBlack;
    return true;
  };
  // The search stack: a function whose walk was deferred, and its CALL edges
  // edges[begin .. edges.size()), of which edges[next ..] are not followed yet.
  struct Frame {
    std::uint32_t function;
    std::size_t begin;
    std::size_t next;
  };
  std::vector<Frame> stack;
  std::vector<std::uint32_t> edges;
  auto visit = [&](std::uint32_t f) {
    calls.color[f] = Calls::kGrey;
    if (walk(f, /*defer=*/true)) return;
    const std::size_t begin = edges.size();
    work += scan_function(m.functions[f].code, n, edges) + 1;
    stack.push_back(Frame{f, begin, begin});
  };
  for (std::uint32_t root = 0; root < n; ++root) {
    if (calls.color[root] != Calls::kWhite) continue;
    visit(root);
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next < edges.size()) {
        const std::uint32_t callee = edges[top.next++];
        ++work;
        calls.met(callee);
        if (calls.color[callee] == Calls::kWhite) visit(callee);
        continue;
      }
      // Every callee is black now, or grey (a cycle, reported below): this walk runs to the end.
      const std::uint32_t f = top.function;
      edges.resize(top.begin);
      stack.pop_back();
      walk(f, /*defer=*/false);
    }
  }
  // One error per function at most: order them as a walk in index order would have.
  std::sort(errors.begin(), errors.end(), [](const VerifyError& a, const VerifyError& b) { return a.function < b.function; });
  check_exports(m, errors);
  if (!errors.empty()) return errors;
  if (calls.cycle != kNoFunction) {
    errors.push_back(error(calls.cycle, 0, "verify.recursion",
                           "function " + std::to_string(calls.cycle) + " is part of a call cycle (recursion is not allowed)"));
    return errors;
  }
  for (std::uint32_t f = 0; f < n; ++f) {
    if (calls.bounds[f] > kMaxGasBound) errors.push_back(error(f, 0, "verify.gas_bound_overflow", "static gas bound exceeds 2^60"));
  }
  return errors;
}

bool by_location(const VerifyError& a, const VerifyError& b) {
  // Module-level errors (kNoFunction) sort last; stable keeps discovery order within a spot.
  return std::pair(a.function, a.offset) < std::pair(b.function, b.offset);
}

}  // namespace

std::variant<VerifiedModule, std::vector<VerifyError>> verify(Module module) {
  std::vector<FunctionAnalysis> analyses;
  std::uint64_t work = 0;
  std::vector<VerifyError> errors = analyze(module, analyses, work);
  if (errors.empty()) {
    for (std::uint32_t i = 0; i < module.functions.size(); ++i) {
      const Function& f = module.functions[i];
      if (f.max_stack != analyses[i].max_stack) {
        errors.push_back(error(i, 0, "verify.max_stack_mismatch",
                               "declared max stack " + std::to_string(f.max_stack) + ", computed " +
                                   std::to_string(analyses[i].max_stack)));
      }
      if (f.gas_bound != analyses[i].gas_bound) {
        errors.push_back(error(i, 0, "verify.gas_bound_mismatch",
                               "declared gas bound " + std::to_string(f.gas_bound) + ", computed " +
                                   std::to_string(analyses[i].gas_bound)));
      }
    }
  }
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), by_location);
    return errors;
  }
  Digest digest;
  try {
    digest = module_digest(module);  // a hand-built module may not be encodable canonically
  } catch (const ModuleError& e) {
    return std::vector<VerifyError>{error(kNoFunction, 0, e.code.c_str(), e.reason)};
  }
  return VerifiedModule(std::move(module), digest, std::move(analyses));
}

std::vector<VerifyError> compute_bounds(Module& module, std::uint64_t* work) {
  std::vector<FunctionAnalysis> analyses;
  std::uint64_t steps = 0;
  std::vector<VerifyError> errors = analyze(module, analyses, steps);
  if (work != nullptr) *work = steps;
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), by_location);
    return errors;
  }
  for (std::uint32_t i = 0; i < module.functions.size(); ++i) {
    module.functions[i].max_stack = analyses[i].max_stack;
    module.functions[i].gas_bound = analyses[i].gas_bound;
  }
  return errors;
}

}  // namespace savm::vm
