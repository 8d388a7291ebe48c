#include "runtime/module_bytes.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/error.h"
#include "vm/module.h"

namespace savm::runtime {

vm::VerifiedModule verify_module_bytes(std::span<const std::uint8_t> bytes, std::string_view source) {
  const std::string name(source);
  vm::Module module;
  try {
    module = vm::read_module(bytes);
  } catch (const vm::ModuleError& e) {
    throw Error(e.code, name + ": byte " + std::to_string(e.offset) + ": " + e.reason);
  }
  auto verified = vm::verify(std::move(module));
  if (auto* errors = std::get_if<std::vector<vm::VerifyError>>(&verified)) {
    const vm::VerifyError& e = errors->front();
    throw Error(e.code, name + ": function " + std::to_string(e.function) + " offset " +
                            std::to_string(e.offset) + ": " + e.reason);
  }
  return std::get<vm::VerifiedModule>(std::move(verified));
}

}  // namespace savm::runtime
