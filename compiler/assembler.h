// SAVM assembly text (.sasm) to a verified-shape module (docs/vm.md "Assembly").
//
// The assembler fills every function's max_stack and gas_bound by running the verifier's
// analysis, so its output verifies or assembly fails with the verifier's error located at the
// offending line. Without debug info the result is exactly what disassemble() reads back.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vm/module.h"

namespace savm::compiler {

// A located assembly error. `code` is "asm.*" for text errors and the verifier's "verify.*"
// code when the text is well-formed but the program is not.
struct AsmError : std::runtime_error {
  AsmError(std::string code_, std::uint32_t line_, std::uint32_t column_, const std::string& message_);
  std::string code;
  std::uint32_t line;    // 1-based
  std::uint32_t column;  // 1-based
  std::string message;
};

struct AssembleOptions {
  std::string source_name = "input.sasm";
  bool debug_info = true;  // names and a line/column source map (not part of the digest)
  // The source map holds only `.loc LINE COLUMN` positions (a compiler's source, `source_name`);
  // an instruction under no `.loc` maps to 0:0. Off: it maps to its own line in the assembly.
  bool positions_from_loc = false;
};

vm::Module assemble(std::string_view text, const AssembleOptions& options = {});

}  // namespace savm::compiler
