// Test-only: writes SAVM bytecode with forward labels and builds verified modules from it, so the
// interpreter tests do not depend on the assembler.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "vm/module.h"
#include "vm/opcodes.h"
#include "vm/verifier.h"
#include "vm/word.h"

namespace savm::vm::testing {

class CodeWriter {
 public:
  CodeWriter& op(Op o) {
    code_.push_back(static_cast<std::uint8_t>(o));
    return *this;
  }
  CodeWriter& op_u8(Op o, std::uint8_t imm) {
    op(o);
    code_.push_back(imm);
    return *this;
  }
  CodeWriter& op_u16(Op o, std::uint16_t imm) {
    op(o);
    code_.push_back(static_cast<std::uint8_t>(imm));
    code_.push_back(static_cast<std::uint8_t>(imm >> 8));
    return *this;
  }
  // PUSH32 of any word (gas 3 like every PUSH).
  CodeWriter& push(const Word& w) {
    op(Op::PUSH32);
    std::array<std::uint8_t, 32> bytes{};
    w.to_be_bytes(bytes);
    code_.insert(code_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  CodeWriter& push(std::int64_t v) { return push(Word::from_i64(v)); }
  // JUMP / JUMPI to a label defined later (targets must be forward).
  CodeWriter& jump(Op o, const std::string& label) {
    op(o);
    fixups_.emplace_back(code_.size(), label);
    code_.insert(code_.end(), 4, 0);
    return *this;
  }
  CodeWriter& label(const std::string& name) {
    labels_[name] = static_cast<std::uint32_t>(code_.size());
    return *this;
  }
  std::vector<std::uint8_t> bytes() const {
    std::vector<std::uint8_t> out = code_;
    for (const auto& [at, name] : fixups_) {
      const std::uint32_t t = labels_.at(name);
      for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(t >> (8 * i));
    }
    return out;
  }

 private:
  std::vector<std::uint8_t> code_;
  std::map<std::string, std::uint32_t> labels_;
  std::vector<std::pair<std::size_t, std::string>> fixups_;
};

// Adds a function (params -> results) and returns its index.
inline std::uint32_t add_function(Module& m, std::uint32_t params, std::uint32_t results,
                                  std::uint32_t locals, const CodeWriter& code) {
  const Signature sig{params, results};
  auto it = std::find(m.signatures.begin(), m.signatures.end(), sig);  // signatures are unique
  if (it == m.signatures.end()) it = m.signatures.insert(it, sig);
  Function f;
  f.signature = static_cast<std::uint32_t>(it - m.signatures.begin());
  f.local_count = locals;
  f.code = code.bytes();
  m.functions.push_back(std::move(f));
  return static_cast<std::uint32_t>(m.functions.size() - 1);
}

// compute_bounds + verify; fails the test (and throws) if the module does not verify.
inline VerifiedModule verified(Module m) {
  const auto errors = compute_bounds(m);
  for (const auto& e : errors) ADD_FAILURE() << e.code << " fn " << e.function << " @" << e.offset << ": " << e.reason;
  auto result = verify(std::move(m));
  if (auto* errs = std::get_if<std::vector<VerifyError>>(&result)) {
    for (const auto& e : *errs) ADD_FAILURE() << e.code << " fn " << e.function << " @" << e.offset << ": " << e.reason;
    throw std::runtime_error("module does not verify");
  }
  return std::get<VerifiedModule>(std::move(result));
}

// A one-function module; the function is export "main" (kind transition).
inline VerifiedModule single(const CodeWriter& code, std::uint32_t results = 1, std::uint32_t locals = 0) {
  Module m;
  add_function(m, 0, results, locals, code);
  m.exports.push_back(Export{"main", ExportKind::transition, 0});
  return verified(std::move(m));
}

}  // namespace savm::vm::testing
