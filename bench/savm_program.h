// Benchmark-side helpers: SAVM assembly text built line by line (counting the instructions it
// emits, so a benchmark can report time per executed instruction), and a verified module from it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "compiler/assembler.h"
#include "vm/interpreter.h"
#include "vm/verifier.h"

namespace savm::bench {

class ProgramText {
 public:
  // A directive or `.func` line (not an instruction).
  ProgramText& line(std::string_view text) {
    text_.append(text).push_back('\n');
    return *this;
  }
  // One instruction, executed once per run on straight-line code.
  ProgramText& op(std::string_view text) {
    ++instructions_;
    text_.append("  ").append(text).push_back('\n');
    return *this;
  }
  // Instructions executed elsewhere at this point (a callee's body), for the count only.
  ProgramText& executed(std::uint64_t instructions) {
    instructions_ += instructions;
    return *this;
  }
  ProgramText& label(std::string_view name) {
    text_.append(name).append(":\n");
    return *this;
  }
  const std::string& text() const { return text_; }
  std::uint64_t instructions() const { return instructions_; }

 private:
  std::string text_;
  std::uint64_t instructions_ = 0;
};

// Aborts with the verifier's first error: a benchmark program that does not verify is a bug.
inline vm::VerifiedModule must_verify(vm::Module module) {
  auto result = vm::verify(std::move(module));
  if (auto* errors = std::get_if<std::vector<vm::VerifyError>>(&result)) {
    std::fprintf(stderr, "benchmark module does not verify: %s\n", errors->front().reason.c_str());
    std::abort();
  }
  return std::get<vm::VerifiedModule>(std::move(result));
}

inline vm::VerifiedModule assemble_verified(const std::string& text) {
  return must_verify(compiler::assemble(text, compiler::AssembleOptions{"bench.sasm", false}));
}

inline std::uint32_t export_index(const vm::VerifiedModule& module, std::string_view name) {
  const auto index = vm::find_export(module.module(), name);
  if (!index) std::abort();
  return *index;
}

// The input of a function whose parameters are these words (32-byte big-endian each).
inline std::vector<std::uint8_t> word_input(const std::vector<std::int64_t>& words) {
  std::vector<std::uint8_t> out(words.size() * 32);
  for (std::size_t i = 0; i < words.size(); ++i) {
    vm::Word::from_i64(words[i]).to_be_bytes(std::span<std::uint8_t, 32>(out.data() + 32 * i, 32));
  }
  return out;
}

}  // namespace savm::bench
