#include "runtime/json_tree_writer.h"

namespace savm::runtime {

Json& JsonTreeWriter::place(Json value) {
  if (stack_.empty()) {
    root_ = std::move(value);
    return root_;
  }
  Json& parent = *stack_.back();
  if (parent.is_object()) {
    Json& slot = parent[key_];
    slot = std::move(value);
    return slot;
  }
  parent.push_back(std::move(value));
  return parent.back();
}

}  // namespace savm::runtime
