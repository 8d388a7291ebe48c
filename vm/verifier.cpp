// The verifier (docs/vm.md "Verifier", docs/design/verifier-bounded-gas.md).
//
// Pass 1, per function, one walk in code order: decode, check immediates and indices, track the
// operand stack height, record forward jump targets with their expected heights, cut basic
// blocks. Because every jump is forward, a target's height is known before the walk reaches it,
// so each instruction is visited exactly once.
// Pass 2: order the call graph (callees first; a cycle is recursion and is rejected).
// Pass 3, per function, over its blocks in code order (a topological order of its DAG): longest
// path of gas, with each CALL adding its callee's bound.
#include "vm/verifier.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "vm/opcodes.h"

namespace savm::vm {
namespace {

inline constexpr std::uint32_t kNoTarget = 0xFFFFFFFFu;
inline constexpr std::uint32_t kMaxEntryResults = 16;

enum class Exit : std::uint8_t { fallthrough, jump, branch, terminal };

// Gas facts of one block for pass 3: cost excludes callees, which are listed in `calls`.
struct BlockGas {
  std::uint64_t cost = 0;
  std::uint32_t calls_begin = 0;
  std::uint32_t calls_end = 0;
  std::uint32_t target = kNoTarget;  // jump target offset (jump, branch)
  Exit exit = Exit::fallthrough;
};

struct FunctionFacts {
  std::vector<BlockGas> blocks;
  std::vector<std::uint32_t> calls;  // callee per CALL, in code order
};

std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r) || r > kMaxGasBound) return kMaxGasBound + 1;
  return r;
}

VerifyError error(std::uint32_t function, std::uint32_t offset, const char* code, std::string reason) {
  return VerifyError{function, offset, code, std::move(reason)};
}

std::string op_name(const Instruction& ins) { return std::string(op_info(ins.op).mnemonic); }

// Checks an instruction's immediate against its kind and the module; nullptr if fine.
const char* check_immediate(const Module& m, const Function& f, const OpInfo& info,
                            const Instruction& ins, std::string& reason) {
  const std::uint32_t v = ins.imm;
  auto index = [&](std::size_t size, const char* what, const char* code) -> const char* {
    if (v < size) return nullptr;
    reason = op_name(ins) + " " + what + " index " + std::to_string(v) + " out of range (" +
             std::to_string(size) + " defined)";
    return code;
  };
  switch (info.imm) {
    case Imm::count:
      if (v >= 1) return nullptr;
      reason = op_name(ins) + " count must be 1..255";
      return "verify.bad_immediate";
    case Imm::rounding:
    case Imm::tensor_field:
    case Imm::proof_system:
      if (v <= imm_max(info.imm)) return nullptr;
      reason = op_name(ins) + " immediate " + std::to_string(v) + " above its maximum " +
               std::to_string(imm_max(info.imm));
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

// Reusable per-function scratch: expected height at each pending forward target (-1: none).
struct Scratch {
  std::vector<std::int16_t> pending;
};

class FunctionWalk {
 public:
  FunctionWalk(const Module& m, std::uint32_t index, Scratch& scratch, FunctionAnalysis& out,
               FunctionFacts& facts)
      : m_(m), f_(m.functions[index]), index_(index), pending_(scratch.pending), out_(out), facts_(facts) {}

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
    const std::span<const std::uint8_t> code(f_.code);
    const std::uint32_t size = static_cast<std::uint32_t>(code.size());
    pending_.assign(size + 1, -1);
    // Reserve for a block every 8 bytes (dense policy code), so blocks rarely regrow.
    out_.blocks.reserve(size / 8 + 1);
    facts_.blocks.reserve(size / 8 + 1);
    std::uint32_t off = 0;
    bool reachable = true;
    bool new_block = true;
    std::uint32_t height = 0;
    while (off < size) {
      if (pending_[off] >= 0) {
        if (reachable && static_cast<std::uint32_t>(pending_[off]) != height) {
          return error(index_, off, "verify.height_mismatch",
                       "stack height " + std::to_string(height) + " falling through, " +
                           std::to_string(pending_[off]) + " from a jump");
        }
        height = static_cast<std::uint32_t>(pending_[off]);
        reachable = true;
        new_block = true;
      }
      if (!reachable) return error(index_, off, "verify.unreachable", "instruction is not reachable");
      if (new_block) open_block(off, height);
      new_block = false;

      Instruction ins;
      switch (decode(code, off, ins)) {
        case DecodeStatus::ok: break;
        case DecodeStatus::unknown_opcode:
          return error(index_, off, "verify.unknown_opcode", "unknown opcode 0x" + hex(code[off]));
        case DecodeStatus::truncated:
          return error(index_, off, "verify.truncated_instruction",
                       std::string(op_info(code[off]).mnemonic) + " immediate runs past the end of the code");
      }
      for (std::uint32_t k = off + 1; k < off + ins.size; ++k) {
        if (pending_[k] >= 0) {
          return error(index_, k, "verify.bad_jump_target",
                       "jump target " + std::to_string(k) + " is inside the instruction at " + std::to_string(off));
        }
      }
      const OpInfo& info = op_info(ins.op);
      std::string reason;
      if (const char* code_id = check_immediate(m_, f_, info, ins, reason)) {
        return error(index_, off, code_id, reason);
      }
      if (auto e = step_stack(info, ins, height)) return e;
      charge(info, ins);
      if (auto e = control(info, ins, size, height, reachable, new_block)) return e;
      off += ins.size;
    }
    if (reachable) {
      return error(index_, size, "verify.missing_terminator",
                   "control falls off the end of the function (end with RETURN, REVERT, HALT or JUMP)");
    }
    close_block(size);
    return std::nullopt;
  }

 private:
  static std::string hex(std::uint8_t b) {
    static constexpr char kDigits[] = "0123456789abcdef";
    return {kDigits[b >> 4], kDigits[b & 15]};
  }

  void open_block(std::uint32_t off, std::uint32_t height) {
    close_block(off);
    out_.blocks.push_back(BasicBlock{off, off, height, 0});
    BlockGas g;
    g.calls_begin = g.calls_end = static_cast<std::uint32_t>(facts_.calls.size());
    facts_.blocks.push_back(g);
  }
  void close_block(std::uint32_t end) {
    if (!out_.blocks.empty() && out_.blocks.back().end == out_.blocks.back().begin) out_.blocks.back().end = end;
  }

  std::optional<VerifyError> step_stack(const OpInfo& info, const Instruction& ins, std::uint32_t& height) {
    std::uint32_t need = info.pops;
    std::uint32_t pops = info.pops;
    std::uint32_t pushes = info.pushes;
    switch (info.rule) {
      case StackRule::fixed: break;
      case StackRule::dup: need = ins.imm; pops = 0; pushes = 1; break;
      case StackRule::swap: need = ins.imm + 1; pops = 0; pushes = 0; break;
      case StackRule::call: {
        const Function& callee = m_.functions[ins.imm];
        if (callee.signature >= m_.signatures.size()) {
          return error(index_, ins.offset, "verify.bad_signature", "callee has an invalid signature index");
        }
        need = pops = m_.signatures[callee.signature].params;
        pushes = m_.signatures[callee.signature].results;
        break;
      }
      case StackRule::hostcall: {
        const Signature& s = m_.signatures[m_.host_imports[ins.imm].signature];
        need = pops = s.params;
        pushes = s.results;
        break;
      }
    }
    if (height < need) {
      return error(index_, ins.offset, "verify.stack_underflow",
                   op_name(ins) + " needs " + std::to_string(need) + " stack items, " +
                       std::to_string(height) + " available on some path");
    }
    height = height - pops + pushes;
    if (height > kMaxStack) {
      return error(index_, ins.offset, "verify.stack_overflow",
                   "stack height " + std::to_string(height) + " above " + std::to_string(kMaxStack));
    }
    out_.max_stack = std::max(out_.max_stack, height);
    if (ins.op == Op::RETURN && height != out_.results) {
      return error(index_, ins.offset, "verify.return_height",
                   "RETURN with " + std::to_string(height) + " stack items, the signature declares " +
                       std::to_string(out_.results) + " results");
    }
    return std::nullopt;
  }

  void charge(const OpInfo& info, const Instruction& ins) {
    std::uint64_t fixed = base_gas(info, ins.imm);
    if (ins.op == Op::HOSTCALL) fixed += m_.host_imports[ins.imm].gas;
    out_.blocks.back().base_gas += fixed;
    BlockGas& g = facts_.blocks.back();
    g.cost = sat_add(g.cost, fixed + max_dynamic_gas(info));
    if (ins.op == Op::CALL) {
      facts_.calls.push_back(ins.imm);
      g.calls_end = static_cast<std::uint32_t>(facts_.calls.size());
    }
  }

  std::optional<VerifyError> control(const OpInfo& info, const Instruction& ins, std::uint32_t size,
                                     std::uint32_t height, bool& reachable, bool& new_block) {
    BlockGas& g = facts_.blocks.back();
    if (info.is_branch()) {
      const std::uint32_t t = ins.imm;
      if (t <= ins.offset) {
        return error(index_, ins.offset, "verify.backward_jump",
                     "jump target " + std::to_string(t) + " is not after the jump (loops must be unrolled)");
      }
      if (t >= size) {
        return error(index_, ins.offset, "verify.bad_jump_target",
                     "jump target " + std::to_string(t) + " outside the function (" + std::to_string(size) + " bytes)");
      }
      if (pending_[t] >= 0 && static_cast<std::uint32_t>(pending_[t]) != height) {
        return error(index_, ins.offset, "verify.height_mismatch",
                     "jump to " + std::to_string(t) + " with stack height " + std::to_string(height) +
                         ", another path arrives with " + std::to_string(pending_[t]));
      }
      pending_[t] = static_cast<std::int16_t>(height);
      g.target = t;
      g.exit = info.is_terminator() ? Exit::jump : Exit::branch;
      new_block = true;
    } else if (info.is_terminator()) {
      g.exit = Exit::terminal;
      new_block = true;
    }
    if (info.is_terminator()) reachable = false;
    if (new_block) close_block(ins.offset + ins.size);
    return std::nullopt;
  }

  const Module& m_;
  const Function& f_;
  std::uint32_t index_;
  std::vector<std::int16_t>& pending_;
  FunctionAnalysis& out_;
  FunctionFacts& facts_;
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
      case ExportKind::rule: ok = ok && s.results == 1; break;
      case ExportKind::test: ok = ok && s.results == 0; break;
      case ExportKind::transition:
      case ExportKind::trigger: ok = ok && s.results <= kMaxEntryResults; break;
    }
    if (!ok) {
      errors.push_back(error(e.function, 0, "verify.export_signature",
                             "export " + e.name + " (" + kExportKindNames[static_cast<int>(e.kind)] +
                                 ") has signature (" + std::to_string(s.params) + ")->(" +
                                 std::to_string(s.results) + "); entries take no parameters, a rule "
                                 "returns 1 result, a test 0, others at most 16"));
    }
  }
}

// Callees-first order of the call graph, or the function where a cycle was found.
std::variant<std::vector<std::uint32_t>, std::uint32_t> call_order(const std::vector<FunctionFacts>& facts) {
  enum : std::uint8_t { kWhite, kGrey, kBlack };
  const std::size_t n = facts.size();
  std::vector<std::uint8_t> color(n, kWhite);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // (function, next call index)
  for (std::uint32_t root = 0; root < n; ++root) {
    if (color[root] != kWhite) continue;
    stack.emplace_back(root, 0);
    color[root] = kGrey;
    while (!stack.empty()) {
      auto& [f, next] = stack.back();
      if (next < facts[f].calls.size()) {
        const std::uint32_t g = facts[f].calls[next++];
        if (color[g] == kGrey) return g;
        if (color[g] == kWhite) {
          color[g] = kGrey;
          stack.emplace_back(g, 0);
        }
      } else {
        color[f] = kBlack;
        order.push_back(f);
        stack.pop_back();
      }
    }
  }
  return order;
}

// Longest path over the block DAG; returns the bound (kMaxGasBound + 1 if it saturated).
std::uint64_t longest_path(const FunctionAnalysis& a, const FunctionFacts& facts,
                           const std::vector<std::uint64_t>& callee_bounds, std::vector<std::uint64_t>& dist) {
  const std::size_t n = facts.blocks.size();
  dist.assign(n, 0);
  std::uint64_t bound = 0;
  auto block_at = [&](std::uint32_t offset) {
    auto it = std::lower_bound(a.blocks.begin(), a.blocks.end(), offset,
                               [](const BasicBlock& b, std::uint32_t o) { return b.begin < o; });
    return static_cast<std::size_t>(it - a.blocks.begin());
  };
  for (std::size_t b = 0; b < n; ++b) {
    const BlockGas& g = facts.blocks[b];
    std::uint64_t cost = g.cost;
    for (std::uint32_t c = g.calls_begin; c < g.calls_end; ++c) cost = sat_add(cost, callee_bounds[facts.calls[c]]);
    const std::uint64_t out = sat_add(dist[b], cost);
    if (g.exit == Exit::fallthrough || g.exit == Exit::branch) dist[b + 1] = std::max(dist[b + 1], out);
    if (g.exit == Exit::jump || g.exit == Exit::branch) {
      const std::size_t t = block_at(g.target);
      dist[t] = std::max(dist[t], out);
    }
    if (g.exit == Exit::terminal) bound = std::max(bound, out);
  }
  return bound;
}

// Everything but the declared-value comparison. Fills `analyses`; returns all errors.
std::vector<VerifyError> analyze(const Module& m, std::vector<FunctionAnalysis>& analyses, std::uint64_t& work) {
  std::vector<VerifyError> errors = check_tables(m);
  work += m.host_imports.size() + m.exports.size();
  if (!errors.empty()) return errors;  // HOSTCALL stack effects need valid import signatures
  analyses.assign(m.functions.size(), FunctionAnalysis{});
  std::vector<FunctionFacts> facts(m.functions.size());
  Scratch scratch;
  for (std::uint32_t i = 0; i < m.functions.size(); ++i) {
    FunctionWalk walk(m, i, scratch, analyses[i], facts[i]);
    if (auto e = walk.run()) errors.push_back(std::move(*e));
    work += m.functions[i].code.size() + 1;  // pending array fill + one visit per byte
  }
  check_exports(m, errors);
  if (!errors.empty()) return errors;

  auto order = call_order(facts);
  if (const auto* cycle = std::get_if<std::uint32_t>(&order)) {
    errors.push_back(error(*cycle, 0, "verify.recursion",
                           "function " + std::to_string(*cycle) + " is part of a call cycle (recursion is not allowed)"));
    return errors;
  }
  std::vector<std::uint64_t> bounds(m.functions.size(), 0);
  std::vector<std::uint64_t> dist;
  for (std::uint32_t f : std::get<std::vector<std::uint32_t>>(order)) {
    work += facts[f].blocks.size() * 2 + facts[f].calls.size() * 2;
    bounds[f] = longest_path(analyses[f], facts[f], bounds, dist);
    if (bounds[f] > kMaxGasBound) {
      errors.push_back(error(f, 0, "verify.gas_bound_overflow", "static gas bound exceeds 2^60"));
    }
    analyses[f].gas_bound = bounds[f];
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
