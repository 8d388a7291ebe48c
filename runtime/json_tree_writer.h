// A JSON tree built through the CanonicalWriter interface (runtime/canonical_writer.h): the same
// begin/key/value calls that stream canonical bytes can build the equivalent nlohmann tree. A
// document shape written once as a template over the writer (runtime/execution_receipt_fields.h)
// thus has a tree form and a streamed form that cannot drift apart; canonicalize() of the tree
// is the reference the streamed bytes are tested against.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {

class JsonTreeWriter {
 public:
  void begin_object() { open(Json::object()); }
  void end_object() { stack_.pop_back(); }
  void begin_array() { open(Json::array()); }
  void end_array() { stack_.pop_back(); }
  void key(std::string_view text) { key_.assign(text); }
  void string(std::string_view text) { place(Json(std::string(text))); }
  void integer(std::uint64_t value) { place(Json(value)); }
  void integer(std::int64_t value) { place(Json(value)); }
  void digest(const vm::Digest& value) { place(Json(value.hex())); }
  void value(const Json& json, std::string_view /*path*/) { place(json); }

  // The finished document (moved out; the writer is then empty).
  Json take() { return std::move(root_); }

 private:
  // Puts `value` where the next value goes (the root, under the pending key, or at the end of
  // the open array) and returns it. Only the innermost open container is ever written to, so the
  // pointers on the stack stay valid: a container's parent is not modified while it is open.
  Json& place(Json value);
  void open(Json container) { stack_.push_back(&place(std::move(container))); }

  Json root_;
  std::vector<Json*> stack_;
  std::string key_;
};

}  // namespace savm::runtime
