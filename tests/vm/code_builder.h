// Builds bytecode byte by byte for tests, independently of the assembler, so tests can also
// produce code the assembler would refuse (truncated immediates, bad targets).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "vm/module.h"
#include "vm/opcodes.h"

namespace savm::vm::test {

struct Code {
  std::vector<std::uint8_t> bytes;

  Code& op(Op o) {
    bytes.push_back(static_cast<std::uint8_t>(o));
    return *this;
  }
  Code& raw(std::initializer_list<std::uint8_t> b) {
    bytes.insert(bytes.end(), b);
    return *this;
  }
  Code& u8(Op o, std::uint8_t v) { return op(o).raw({v}); }
  Code& u16(Op o, std::uint16_t v) {
    return op(o).raw({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)});
  }
  Code& u32(Op o, std::uint32_t v) {
    return op(o).raw({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                      static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)});
  }
  Code& push1(std::uint8_t v) { return u8(Op::PUSH1, v); }
  std::uint32_t here() const { return static_cast<std::uint32_t>(bytes.size()); }
};

// A module with one function per (code, signature) pair and no bounds filled in.
inline Module module_of(std::initializer_list<std::vector<std::uint8_t>> codes,
                        Signature sig = {0, 0}, std::uint32_t locals = 0) {
  Module m;
  m.signatures.push_back(sig);
  for (const auto& c : codes) m.functions.push_back(Function{0, locals, 0, 0, c});
  return m;
}

}  // namespace savm::vm::test
