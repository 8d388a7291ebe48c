// The module verifier: runs before any execution and rejects, with a located error, anything
// that could make execution undefined (SAVM.md "Verifier"). A VerifiedModule can only be made
// by verify(), so the interpreter may skip every check the verifier proved (stack bounds, jump
// targets, indices, immediates).
//
// Control flow is forward-only (every jump target is after the jump) and the call graph is
// acyclic, so each function is a DAG walked once in code order, and every export has a finite
// static gas bound (docs/design/verifier-bounded-gas.md). Work is linear in the module size.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "vm/module.h"

namespace savm::vm {

inline constexpr std::uint32_t kNoFunction = 0xFFFFFFFFu;  // error not inside a function
// Saturation point of static gas bounds: a larger bound is rejected (verify.gas_bound_overflow).
inline constexpr std::uint64_t kMaxGasBound = std::uint64_t{1} << 60;

struct VerifyError {
  std::uint32_t function = kNoFunction;
  std::uint32_t offset = 0;  // code offset inside the function (0 if not code-related)
  std::string code;          // stable: "verify.stack_underflow"
  std::string reason;
};

// What the analysis proves about one function: the interpreter sizes its stacks from max_stack,
// and callers size gas limits from gas_bound.
struct FunctionAnalysis {
  std::uint32_t params = 0;
  std::uint32_t results = 0;
  std::uint32_t max_stack = 0;  // max operand stack height reached on any path
  std::uint64_t gas_bound = 0;  // static bound: longest path, callees and dynamic maxima included
};

class VerifiedModule {
 public:
  const Module& module() const { return module_; }
  const Digest& digest() const { return digest_; }
  const FunctionAnalysis& function(std::uint32_t index) const { return functions_[index]; }
  const std::vector<FunctionAnalysis>& functions() const { return functions_; }

 private:
  friend std::variant<VerifiedModule, std::vector<VerifyError>> verify(Module module);
  VerifiedModule(Module module, Digest digest, std::vector<FunctionAnalysis> functions)
      : module_(std::move(module)), digest_(digest), functions_(std::move(functions)) {}
  Module module_;
  Digest digest_;
  std::vector<FunctionAnalysis> functions_;
};

// Every check of SAVM.md, on every function; returns the module or ALL errors found, ordered by
// (function, offset). Declared max_stack and gas_bound must EQUAL the computed ones.
std::variant<VerifiedModule, std::vector<VerifyError>> verify(Module module);

// For producers (assembler, compiler): runs the same analysis and writes the computed max_stack
// and gas_bound into every function (callees first). Returns the errors that remain (empty:
// `module` now verifies).
// `work`, if given, receives the number of abstract steps the analysis took (bytes walked and
// scanned, call edges followed): linear in the module size, which the fuzzer asserts.
std::vector<VerifyError> compute_bounds(Module& module, std::uint64_t* work = nullptr);

}  // namespace savm::vm
