// A module back to SAVM assembly text. assemble(disassemble(m)) has the same digest as m for
// every module that verifies (names come from exports and debug info, or are synthesized).
#pragma once

#include <string>

#include "vm/module.h"

namespace savm::compiler {

// Never fails on a module read_module accepted: undecodable code is emitted as `.byte` lines.
std::string disassemble(const vm::Module& module);

}  // namespace savm::compiler
