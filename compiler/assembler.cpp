// SAVM assembly text to a module (syntax: docs/vm.md "Assembly").
//
// Pass 1 reads every line, builds the tables and lays out each function (instruction sizes
// follow from mnemonics, so label offsets are known). Pass 2 encodes operands, resolving names
// that may be defined later in the file. Then the verifier's analysis fills max_stack and
// gas_bound and reports any remaining error at the line that caused it.
#include "compiler/assembler.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "compiler/asm_text.h"
#include "vm/opcodes.h"
#include "vm/verifier.h"

namespace savm::compiler {

AsmError::AsmError(std::string code_, std::uint32_t line_, std::uint32_t column_, const std::string& message_)
    : std::runtime_error(std::to_string(line_) + ":" + std::to_string(column_) + ": " + message_ + " [" +
                         code_ + "]"),
      code(std::move(code_)),
      line(line_),
      column(column_),
      message(message_) {}

namespace {

using asmtext::Token;
using asmtext::TokenKind;

[[noreturn]] void fail(const char* code, const Token& at, const std::string& message) {
  throw AsmError(code, at.line, at.column, message);
}

struct PendingInstruction {
  vm::Op op{};
  std::optional<Token> operand;
  Token at;  // the mnemonic
  // The source-map position: the mnemonic's own line and column, or the last `.loc` of the
  // function (a compiler's source position; 0 0 = unknown).
  std::uint32_t line = 0, column = 0;
  std::uint32_t offset = 0;
  std::uint8_t push_width = 0;  // resolved width for PUSHn and the PUSH pseudo-op
  bool raw_byte = false;        // `.byte N`
};

struct FunctionText {
  std::string name;
  Token at;
  std::vector<PendingInstruction> code;
  std::map<std::string, std::uint32_t> labels;
  std::uint32_t size = 0;
};

class Assembler {
 public:
  explicit Assembler(const AssembleOptions& options) : options_(options) {}

  vm::Module run(std::string_view text) {
    std::uint32_t line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      ++line_no;
      line(asmtext::tokenize(text.substr(start, end - start), line_no));
      start = end + 1;
    }
    for (std::size_t f = 0; f < functions_.size(); ++f) encode(static_cast<std::uint32_t>(f));
    finish_exports();
    if (options_.debug_info) module_.debug = std::move(debug_);
    bounds();
    return std::move(module_);
  }

 private:
  // ---------------------------------------------------------------- pass 1
  void line(const std::vector<Token>& toks) {
    if (toks.empty()) return;
    std::size_t i = 0;
    if (toks[0].kind == TokenKind::directive) return directive(toks);
    if (toks.size() >= 2 && toks[0].kind == TokenKind::ident && toks[1].is_punct(":")) {
      FunctionText& f = current(toks[0]);
      if (!f.labels.emplace(toks[0].text, f.size).second) {
        fail("asm.duplicate_name", toks[0], "label " + toks[0].text + " defined twice");
      }
      i = 2;
      if (i == toks.size()) return;
    }
    instruction(toks, i);
  }

  FunctionText& current(const Token& at) {
    if (functions_.empty()) fail("asm.outside_function", at, "code before the first .func");
    return functions_.back();
  }

  void instruction(const std::vector<Token>& toks, std::size_t i) {
    const Token& m = toks[i];
    if (m.kind != TokenKind::ident) fail("asm.syntax", m, "expected an instruction");
    FunctionText& f = current(m);
    PendingInstruction ins;
    ins.at = m;
    const bool own = !loc_ && !options_.positions_from_loc;
    ins.line = loc_ ? loc_->first : own ? m.line : 0;
    ins.column = loc_ ? loc_->second : own ? m.column : 0;
    ins.offset = f.size;
    if (i + 2 < toks.size()) fail("asm.syntax", toks[i + 2], "one operand per instruction");
    if (i + 1 < toks.size()) ins.operand = toks[i + 1];
    std::string upper = m.text;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper == "PUSH") {
      if (!ins.operand) fail("asm.bad_operand", m, "PUSH needs a value");
      const vm::WordBytes w = word(*ins.operand);
      std::size_t significant = 32;
      while (significant > 0 && w[32 - significant] == 0) --significant;
      static constexpr std::uint8_t kWidths[] = {0, 1, 2, 4, 8, 16, 32};
      std::uint8_t width = 32;
      for (std::uint8_t wd : kWidths) {
        if (wd >= significant) {
          width = wd;
          break;
        }
      }
      ins.op = width == 0 ? vm::Op::PUSH0 : push_op(width);
      ins.push_width = width;
    } else {
      const auto op = vm::op_from_mnemonic(upper);
      if (!op) fail("asm.unknown_mnemonic", m, "unknown instruction " + m.text);
      ins.op = *op;
      ins.push_width = vm::op_info(*op).push_width;
      const bool wants = vm::op_info(*op).imm != vm::Imm::none;
      if (wants && !ins.operand) fail("asm.bad_operand", m, m.text + " needs an operand");
      if (!wants && ins.operand) fail("asm.bad_operand", *ins.operand, m.text + " takes no operand");
    }
    f.size += static_cast<std::uint32_t>(vm::instruction_size(vm::op_info(ins.op)));
    check_code_size(f, m);
    f.code.push_back(std::move(ins));
  }

  static vm::Op push_op(std::uint8_t width) {
    for (std::size_t b = 0; b < 256; ++b) {
      const auto& info = vm::op_info(static_cast<std::uint8_t>(b));
      if (info.imm == vm::Imm::push && info.push_width == width) return static_cast<vm::Op>(b);
    }
    return vm::Op::PUSH32;
  }

  static void check_code_size(const FunctionText& f, const Token& at) {
    if (f.size > vm::kMaxCodeBytes) fail("asm.too_large", at, "function " + f.name + " exceeds the code size cap");
  }

  void directive(const std::vector<Token>& t) {
    const std::string& d = t[0].text;
    if (d == ".meta") return meta(t);
    if (d == ".citation") {
      expect_count(t, 3);
      define(citations_, name(t[1]), module_.metadata.citations.size(), t[1], "citation");
      module_.metadata.citations.push_back(string(t[2]));
      return;
    }
    if (d == ".const") {
      expect_count(t, 3);
      define(constants_, name(t[1]), module_.constants.size(), t[1], "constant");
      module_.constants.push_back(word(t[2]));
      debug_.constant_names.push_back(t[1].text);
      return;
    }
    if (d == ".data") {
      expect_count(t, 3);
      define(data_, name(t[1]), module_.data.size(), t[1], "data segment");
      std::string bytes = t[2].kind == TokenKind::string ? t[2].text : hex_bytes(t[2]);
      module_.data.push_back(vm::DataSegment{std::vector<std::uint8_t>(bytes.begin(), bytes.end())});
      debug_.data_names.push_back(t[1].text);
      return;
    }
    if (d == ".signature") {
      std::size_t i = 1;
      const vm::Signature s = signature(t, i);
      expect_end(t, i);
      if (find_signature(s)) fail("asm.duplicate_name", t[0], "signature declared twice");
      module_.signatures.push_back(s);
      return;
    }
    if (d == ".import") {
      if (t.size() < 2) fail("asm.syntax", t[0], ".import NAME(params)->results gas N");
      const std::string n = t[1].kind == TokenKind::string ? t[1].text : name(t[1]);
      std::size_t i = 2;
      const std::uint32_t sig = intern(signature(t, i));
      if (i + 2 != t.size() || t[i].text != "gas") fail("asm.syntax", t[0], ".import NAME(params)->results gas N");
      define(imports_, n, module_.host_imports.size(), t[1], "import");
      module_.host_imports.push_back(vm::HostImport{n, sig, integer(t[i + 1], vm::kMaxHostGas)});
      return;
    }
    if (d == ".use") {
      expect_count(t, 3);
      const std::string n = t[1].kind == TokenKind::string ? t[1].text : name(t[1]);
      const auto digest = vm::Digest::parse(string(t[2]));
      if (!digest) fail("asm.bad_operand", t[2], "expected \"sha256:<64 hex digits>\"");
      module_.module_imports.push_back(vm::ModuleImport{*digest, n});
      std::sort(module_.module_imports.begin(), module_.module_imports.end(),
                [](const auto& a, const auto& b) { return a.digest < b.digest; });
      return;
    }
    if (d == ".func") {
      loc_.reset();
      return func(t);
    }
    if (d == ".loc") {
      if (t.size() != 3) fail("asm.syntax", t[0], ".loc LINE COLUMN");
      loc_ = std::make_pair(static_cast<std::uint32_t>(integer(t[1], UINT32_MAX)), static_cast<std::uint32_t>(integer(t[2], UINT32_MAX)));
      return;
    }
    if (d == ".export") {
      if (t.size() != 3 && t.size() != 4) fail("asm.syntax", t[0], ".export NAME KIND [FUNCTION]");
      const std::string n = t[1].kind == TokenKind::string ? t[1].text : name(t[1]);
      const auto kind = std::find(vm::kExportKindNames.begin(), vm::kExportKindNames.end(), t[2].text);
      if (kind == vm::kExportKindNames.end()) fail("asm.bad_operand", t[2], "export kind is rule, transition, trigger or test");
      exports_.push_back(ExportText{n, static_cast<vm::ExportKind>(kind - vm::kExportKindNames.begin()),
                                    t.size() == 4 ? t[3] : t[1]});
      return;
    }
    if (d == ".byte") {
      expect_count(t, 2);
      FunctionText& f = current(t[0]);
      PendingInstruction ins;
      ins.at = t[0];
      ins.operand = t[1];
      ins.offset = f.size;
      ins.raw_byte = true;
      integer(t[1], 255);
      f.size += 1;
      check_code_size(f, t[0]);
      f.code.push_back(std::move(ins));
      return;
    }
    fail("asm.unknown_directive", t[0], "unknown directive " + d);
  }

  void meta(const std::vector<Token>& t) {
    expect_count(t, 3);
    vm::Metadata& md = module_.metadata;
    const std::map<std::string, std::string*> fields = {
        {"pack_id", &md.pack_id},           {"kind", &md.kind},
        {"version", &md.version},           {"jurisdiction", &md.jurisdiction},
        {"in_force_from", &md.in_force_from}, {"in_force_to", &md.in_force_to}};
    const auto it = fields.find(t[1].text);
    if (it == fields.end()) fail("asm.bad_operand", t[1], "unknown metadata key " + t[1].text);
    *it->second = string(t[2]);
  }

  void func(const std::vector<Token>& t) {
    if (t.size() < 2) fail("asm.syntax", t[0], ".func NAME(params)->results locals N");
    std::size_t i = 2;
    const std::uint32_t sig = intern(signature(t, i));
    std::uint32_t locals = module_.signatures[sig].params;
    if (i < t.size()) {
      if (i + 2 != t.size() || t[i].text != "locals") fail("asm.syntax", t[i], "expected `locals N`");
      locals = static_cast<std::uint32_t>(integer(t[i + 1], vm::kMaxLocals));
    }
    define(function_index_, name(t[1]), functions_.size(), t[1], "function");
    functions_.push_back(FunctionText{t[1].text, t[1], {}, {}, 0});
    module_.functions.push_back(vm::Function{sig, locals, 0, 0, {}});
    debug_.function_names.push_back(t[1].text);
  }

  // "(P)->R" starting at t[i]; advances i past it.
  vm::Signature signature(const std::vector<Token>& t, std::size_t& i) {
    const Token& at = i < t.size() ? t[i] : t.back();
    if (i + 5 > t.size() || !t[i].is_punct("(") || !t[i + 2].is_punct(")") || !t[i + 3].is_punct("->")) {
      fail("asm.syntax", at, "expected a signature (params)->results");
    }
    vm::Signature s;
    s.params = static_cast<std::uint32_t>(integer(t[i + 1], vm::kMaxParams));
    s.results = static_cast<std::uint32_t>(integer(t[i + 4], vm::kMaxResults));
    i += 5;
    return s;
  }

  std::optional<std::uint32_t> find_signature(const vm::Signature& s) const {
    for (std::size_t k = 0; k < module_.signatures.size(); ++k) {
      if (module_.signatures[k] == s) return static_cast<std::uint32_t>(k);
    }
    return std::nullopt;
  }
  std::uint32_t intern(const vm::Signature& s) {
    if (auto k = find_signature(s)) return *k;
    module_.signatures.push_back(s);
    return static_cast<std::uint32_t>(module_.signatures.size() - 1);
  }

  // ---------------------------------------------------------------- pass 2
  void encode(std::uint32_t index) {
    FunctionText& f = functions_[index];
    std::vector<std::uint8_t>& code = module_.functions[index].code;
    code.reserve(f.size);
    for (const PendingInstruction& ins : f.code) {
      if (options_.debug_info) debug_.source_map.push_back({index, ins.offset, ins.line, ins.column});
      if (ins.raw_byte) {
        code.push_back(static_cast<std::uint8_t>(integer(*ins.operand, 255)));
        continue;
      }
      code.push_back(static_cast<std::uint8_t>(ins.op));
      const vm::OpInfo& info = vm::op_info(ins.op);
      if (info.imm == vm::Imm::none) continue;
      if (info.imm == vm::Imm::push) {
        const vm::WordBytes w = word(*ins.operand);
        for (std::size_t k = 0; k < 32u - info.push_width; ++k) {
          if (w[k] != 0) fail("asm.number_range", *ins.operand, "value does not fit in " + std::to_string(info.push_width) + " bytes");
        }
        code.insert(code.end(), w.end() - info.push_width, w.end());
        continue;
      }
      const std::uint32_t v = immediate(f, info.imm, *ins.operand);
      for (std::size_t k = 0; k < vm::imm_size(info.imm, 0); ++k) code.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
    }
  }

  std::uint32_t immediate(const FunctionText& f, vm::Imm kind, const Token& op) {
    auto by_name = [&](const std::map<std::string, std::size_t>& table, const char* what) -> std::uint32_t {
      if (op.kind == TokenKind::number) return static_cast<std::uint32_t>(integer(op, 0xFFFF));
      const auto it = table.find(op.text);
      if (it == table.end()) fail("asm.undefined_name", op, std::string("undefined ") + what + " " + op.text);
      return static_cast<std::uint32_t>(it->second);
    };
    auto named = [&](const auto& names, const char* what) -> std::uint32_t {
      if (op.kind == TokenKind::number) return static_cast<std::uint32_t>(integer(op, 255));
      const auto it = std::find(names.begin(), names.end(), op.text);
      if (it == names.end()) fail("asm.bad_operand", op, std::string("unknown ") + what + " " + op.text);
      return static_cast<std::uint32_t>(it - names.begin());
    };
    switch (kind) {
      case vm::Imm::count: return static_cast<std::uint32_t>(integer(op, 255));
      case vm::Imm::rounding: return named(vm::kRoundingNames, "rounding mode");
      case vm::Imm::tensor_field: return named(vm::kTensorFieldNames, "tensor field");
      case vm::Imm::proof_system: return named(vm::kProofSystemNames, "proof system");
      case vm::Imm::local:
      case vm::Imm::tag: return static_cast<std::uint32_t>(integer(op, 0xFFFF));
      case vm::Imm::constant: return by_name(constants_, "constant");
      case vm::Imm::data: return by_name(data_, "data segment");
      case vm::Imm::function: return by_name(function_index_, "function");
      case vm::Imm::import: return by_name(imports_, "import");
      case vm::Imm::citation: return by_name(citations_, "citation");
      case vm::Imm::target: {
        if (op.kind == TokenKind::number) return static_cast<std::uint32_t>(integer(op, 0xFFFFFFFFu));
        const auto it = f.labels.find(op.text);
        if (it == f.labels.end()) fail("asm.undefined_name", op, "undefined label " + op.text);
        return it->second;
      }
      case vm::Imm::none:
      case vm::Imm::push: break;
    }
    return 0;
  }

  void finish_exports() {
    for (const ExportText& e : exports_) {
      const auto it = function_index_.find(e.function.text);
      if (it == function_index_.end()) fail("asm.undefined_name", e.function, "undefined function " + e.function.text);
      module_.exports.push_back(vm::Export{e.name, e.kind, static_cast<std::uint32_t>(it->second)});
    }
    std::sort(module_.exports.begin(), module_.exports.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (std::size_t k = 1; k < module_.exports.size(); ++k) {
      if (module_.exports[k - 1].name == module_.exports[k].name) {
        const auto& at = std::find_if(exports_.begin(), exports_.end(), [&](const ExportText& e) { return e.name == module_.exports[k].name; })->function;
        fail("asm.duplicate_name", at, "export " + module_.exports[k].name + " declared twice");
      }
    }
    debug_.source_name = options_.source_name;
  }

  // Fills the bounds and turns any verifier error into a located one.
  void bounds() {
    const auto errors = vm::compute_bounds(module_);
    if (!errors.empty()) {
      const vm::VerifyError& e = errors.front();
      Token at;
      at.line = 1;
      at.column = 1;
      if (e.function < functions_.size()) {
        const FunctionText& f = functions_[e.function];
        at = f.at;
        for (const PendingInstruction& ins : f.code) {
          if (ins.offset <= e.offset) at = ins.at;
        }
      }
      fail(e.code.c_str(), at, e.reason);
    }
    try {
      (void)vm::write_module(module_);
    } catch (const vm::ModuleError& e) {
      Token at;
      at.line = 1;
      at.column = 1;
      fail(e.code.c_str(), at, e.reason);
    }
  }

  // ---------------------------------------------------------------- tokens
  static void expect_count(const std::vector<Token>& t, std::size_t n) {
    if (t.size() < n) fail("asm.syntax", t.back(), t[0].text + " needs " + std::to_string(n - 1) + " operands");
    if (t.size() > n) fail("asm.syntax", t[n], "unexpected token after " + t[0].text);
  }
  static void expect_end(const std::vector<Token>& t, std::size_t i) {
    if (i < t.size()) fail("asm.syntax", t[i], "unexpected token");
  }
  static const std::string& name(const Token& t) {
    if (t.kind != TokenKind::ident) fail("asm.syntax", t, "expected a name");
    return t.text;
  }
  static std::string string(const Token& t) {
    if (t.kind != TokenKind::string) fail("asm.syntax", t, "expected a string");
    return t.text;
  }
  static vm::WordBytes word(const Token& t) {
    if (t.kind != TokenKind::number) fail("asm.syntax", t, "expected a number");
    const auto w = asmtext::parse_word(t.text);
    if (!w) fail("asm.number_range", t, "number " + t.text + " does not fit a signed 256-bit word");
    return *w;
  }
  static std::uint64_t integer(const Token& t, std::uint64_t max) {
    const vm::WordBytes w = word(t);
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < 32; ++k) {
      if (k < 24 && w[k] != 0) fail("asm.number_range", t, t.text + " is out of range (max " + std::to_string(max) + ")");
      if (k >= 24) v = (v << 8) | w[k];
    }
    if (v > max) fail("asm.number_range", t, t.text + " is out of range (max " + std::to_string(max) + ")");
    return v;
  }
  static std::string hex_bytes(const Token& t) {
    const auto bytes = t.kind == TokenKind::number ? asmtext::parse_hex_bytes(t.text) : std::nullopt;
    if (!bytes) fail("asm.syntax", t, "expected a string or 0x followed by an even number of hex digits");
    return *bytes;
  }
  static void define(std::map<std::string, std::size_t>& table, const std::string& n, std::size_t index,
                     const Token& at, const char* what) {
    if (!table.emplace(n, index).second) fail("asm.duplicate_name", at, std::string(what) + " " + n + " defined twice");
  }

  struct ExportText {
    std::string name;
    vm::ExportKind kind;
    Token function;
  };

  const AssembleOptions& options_;
  vm::Module module_;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> loc_;  // the current `.loc`, in this function
  vm::Debug debug_;
  std::vector<FunctionText> functions_;
  std::vector<ExportText> exports_;
  std::map<std::string, std::size_t> constants_, data_, imports_, citations_, function_index_;
};

}  // namespace

vm::Module assemble(std::string_view text, const AssembleOptions& options) {
  Assembler assembler(options);
  return assembler.run(text);
}

}  // namespace savm::compiler
