#include "vm/opcodes.h"

#include <algorithm>

namespace savm::vm {

std::optional<Op> op_from_mnemonic(std::string_view mnemonic) {
  // 256 entries: a linear scan is cheaper than building a map, and it runs only in the assembler.
  for (std::size_t byte = 0; byte < kOpTable.size(); ++byte) {
    if (kOpTable[byte].defined() && kOpTable[byte].mnemonic == mnemonic) {
      return static_cast<Op>(byte);
    }
  }
  return std::nullopt;
}

std::string_view category_name(Category category) {
  switch (category) {
    case Category::stack: return "stack";
    case Category::arithmetic: return "arithmetic";
    case Category::logic: return "comparison/logic";
    case Category::memory: return "memory and locals";
    case Category::storage: return "storage";
    case Category::control: return "control";
    case Category::context: return "context";
    case Category::compliance: return "compliance";
    case Category::migration: return "migration";
    case Category::crypto: return "crypto";
    case Category::host: return "host";
    case Category::system: return "system";
  }
  return "";
}

}  // namespace savm::vm
