// Module to assembly text. Every table is printed in index order so the assembler rebuilds the
// same indices; names are only a convenience (exports, debug info, or synthesized).
#include "compiler/disassembler.h"

#include <algorithm>
#include <set>
#include <iterator>
#include <string>
#include <vector>

#include "compiler/asm_text.h"
#include "vm/opcodes.h"

namespace savm::compiler {
namespace {

// Picks one unique identifier per item: the first usable candidate, else prefix + index.
std::vector<std::string> choose_names(std::size_t count, const std::string& prefix,
                                      const std::vector<std::vector<std::string>>& candidates) {
  std::vector<std::string> names(count);
  std::set<std::string> used;
  for (std::size_t i = 0; i < count; ++i) {
    for (const std::string& c : candidates[i]) {
      if (asmtext::is_identifier(c) && !used.count(c)) {
        names[i] = c;
        break;
      }
    }
    if (names[i].empty()) {
      std::string n = prefix + std::to_string(i);
      for (int k = 1; used.count(n); ++k) n = prefix + std::to_string(i) + "_" + std::to_string(k);
      names[i] = n;
    }
    used.insert(names[i]);
  }
  return names;
}

std::string signature_text(const vm::Signature& s) {
  return "(" + std::to_string(s.params) + ")->" + std::to_string(s.results);
}

// Debug names for item i, if the debug section has them.
std::vector<std::vector<std::string>> debug_candidates(std::size_t count, const std::vector<std::string>* names) {
  std::vector<std::vector<std::string>> out(count);
  if (names != nullptr && names->size() == count) {
    for (std::size_t i = 0; i < count; ++i) out[i].push_back((*names)[i]);
  }
  return out;
}

class Printer {
 public:
  explicit Printer(const vm::Module& m) : m_(m) {
    const vm::Debug* d = m.debug ? &*m.debug : nullptr;
    auto fn = debug_candidates(m.functions.size(), d ? &d->function_names : nullptr);
    for (const vm::Export& e : m.exports) {
      if (e.function < fn.size()) fn[e.function].insert(fn[e.function].begin(), e.name);
    }
    functions_ = choose_names(m.functions.size(), "f", fn);
    constants_ = choose_names(m.constants.size(), "c", debug_candidates(m.constants.size(), d ? &d->constant_names : nullptr));
    data_ = choose_names(m.data.size(), "d", debug_candidates(m.data.size(), d ? &d->data_names : nullptr));
    std::vector<std::vector<std::string>> imp(m.host_imports.size());
    for (std::size_t i = 0; i < imp.size(); ++i) imp[i].push_back(m.host_imports[i].name);
    imports_ = choose_names(m.host_imports.size(), "import", imp);
    citations_ = choose_names(m.metadata.citations.size(), "cite", std::vector<std::vector<std::string>>(m.metadata.citations.size()));
  }

  std::string run() {
    out_ += "; SAVM module, format version " + std::to_string(m_.version) + "\n";
    const vm::Metadata& md = m_.metadata;
    meta("pack_id", md.pack_id);
    meta("kind", md.kind);
    meta("version", md.version);
    meta("jurisdiction", md.jurisdiction);
    meta("in_force_from", md.in_force_from);
    meta("in_force_to", md.in_force_to);
    for (std::size_t i = 0; i < md.citations.size(); ++i) {
      out_ += ".citation " + citations_[i] + " " + asmtext::quote(md.citations[i]) + "\n";
    }
    for (const vm::Signature& s : m_.signatures) out_ += ".signature " + signature_text(s) + "\n";
    for (const vm::HostImport& h : m_.host_imports) {
      out_ += ".import " + (asmtext::is_identifier(h.name) ? h.name : asmtext::quote(h.name)) +
              signature_at(h.signature) + " gas " + std::to_string(h.gas) + "\n";
    }
    for (const vm::ModuleImport& mi : m_.module_imports) {
      out_ += ".use " + asmtext::quote(mi.name) + " \"" + mi.digest.prefixed() + "\"\n";
    }
    for (std::size_t i = 0; i < m_.constants.size(); ++i) {
      out_ += ".const " + constants_[i] + " " + asmtext::hex(m_.constants[i].data(), 32) + "\n";
    }
    for (std::size_t i = 0; i < m_.data.size(); ++i) out_ += ".data " + data_[i] + " " + data_text(m_.data[i].bytes) + "\n";
    for (std::size_t i = 0; i < m_.functions.size(); ++i) function(static_cast<std::uint32_t>(i));
    for (const vm::Export& e : m_.exports) {
      const std::string fname = e.function < functions_.size() ? functions_[e.function] : std::to_string(e.function);
      out_ += ".export " + (asmtext::is_identifier(e.name) ? e.name : asmtext::quote(e.name)) + " " +
              vm::kExportKindNames[static_cast<int>(e.kind)] + " " + fname + "\n";
    }
    return std::move(out_);
  }

 private:
  void meta(const char* key, const std::string& value) {
    out_ += std::string(".meta ") + key + " " + asmtext::quote(value) + "\n";
  }

  std::string signature_at(std::uint32_t index) const {
    // An out-of-range index cannot be expressed in text; the module would not verify anyway.
    return index < m_.signatures.size() ? signature_text(m_.signatures[index]) : "(0)->0";
  }

  static std::string data_text(const std::vector<std::uint8_t>& bytes) {
    const bool printable = !bytes.empty() && std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) {
      return b >= 0x20 && b < 0x7F;
    });
    if (printable) return asmtext::quote(std::string(bytes.begin(), bytes.end()));
    return asmtext::hex(bytes.data(), bytes.size());
  }

  void function(std::uint32_t index) {
    const vm::Function& f = m_.functions[index];
    out_ += "\n.func " + functions_[index] + signature_at(f.signature) + " locals " + std::to_string(f.local_count) +
            "\n";
    const std::span<const std::uint8_t> code(f.code);
    // Labels at every target that is an instruction start; other targets print as numbers.
    std::set<std::uint32_t> starts;
    std::set<std::uint32_t> branch_targets;
    walk(code, [&](const vm::Instruction& ins) {
      starts.insert(ins.offset);
      if (vm::op_info(ins.op).is_branch()) branch_targets.insert(ins.imm);
    });
    std::set<std::uint32_t> targets;
    std::set_intersection(starts.begin(), starts.end(), branch_targets.begin(), branch_targets.end(),
                          std::inserter(targets, targets.end()));
    walk(code, [&](const vm::Instruction& ins) {
      if (targets.count(ins.offset)) out_ += "L" + std::to_string(ins.offset) + ":\n";
      out_ += "  " + instruction(ins, targets) + "\n";
    }, [&](std::uint32_t offset, std::uint8_t byte) {
      out_ += "  .byte " + std::to_string(byte) + "  ; offset " + std::to_string(offset) + "\n";
    });
  }

  template <typename OnInstruction, typename OnByte>
  static void walk(std::span<const std::uint8_t> code, OnInstruction on_ins, OnByte on_byte) {
    std::uint32_t off = 0;
    while (off < code.size()) {
      vm::Instruction ins;
      if (vm::decode(code, off, ins) == vm::DecodeStatus::ok) {
        on_ins(ins);
        off += ins.size;
      } else {
        on_byte(off, code[off]);
        ++off;
      }
    }
  }
  template <typename OnInstruction>
  static void walk(std::span<const std::uint8_t> code, OnInstruction on_ins) {
    walk(code, on_ins, [](std::uint32_t, std::uint8_t) {});
  }

  std::string instruction(const vm::Instruction& ins, const std::set<std::uint32_t>& targets) const {
    const vm::OpInfo& info = vm::op_info(ins.op);
    std::string text(info.mnemonic);
    auto named = [&](const std::vector<std::string>& names) {
      return ins.imm < names.size() ? names[ins.imm] : std::to_string(ins.imm);
    };
    auto from = [&](const auto& names) {
      return ins.imm < names.size() ? std::string(names[ins.imm]) : std::to_string(ins.imm);
    };
    switch (info.imm) {
      case vm::Imm::none: return text;
      case vm::Imm::push: return text + " " + asmtext::hex(ins.push, info.push_width);
      case vm::Imm::count:
      case vm::Imm::local:
      case vm::Imm::tag: return text + " " + std::to_string(ins.imm);
      case vm::Imm::rounding: return text + " " + from(vm::kRoundingNames);
      case vm::Imm::tensor_field: return text + " " + from(vm::kTensorFieldNames);
      case vm::Imm::proof_system: return text + " " + from(vm::kProofSystemNames);
      case vm::Imm::constant: return text + " " + named(constants_);
      case vm::Imm::data: return text + " " + named(data_);
      case vm::Imm::function: return text + " " + named(functions_);
      case vm::Imm::import:  // by name only when the import's real name is that identifier
        return text + " " +
               (ins.imm < imports_.size() && imports_[ins.imm] == m_.host_imports[ins.imm].name
                    ? imports_[ins.imm]
                    : std::to_string(ins.imm));
      case vm::Imm::citation: return text + " " + named(citations_);
      case vm::Imm::target:
        return text + " " + (targets.count(ins.imm) ? "L" + std::to_string(ins.imm) : std::to_string(ins.imm));
    }
    return text;
  }

  const vm::Module& m_;
  std::string out_;
  std::vector<std::string> functions_, constants_, data_, imports_, citations_;
};

}  // namespace

std::string disassemble(const vm::Module& module) { return Printer(module).run(); }

}  // namespace savm::compiler
