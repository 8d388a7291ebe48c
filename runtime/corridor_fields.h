// Field checks shared by the corridor documents (receipts, genesis inputs, checkpoints). Each
// failure throws Error "<domain>.field" / "<domain>.hex" / "<domain>.timestamp" with the JSON
// path, so a receipt and a checkpoint report the same problem under their own code family.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "runtime/digest.h"
#include "runtime/mcf.h"

namespace savm::runtime::corridor_fields {

class FieldChecker {
 public:
  explicit FieldChecker(std::string_view domain) : domain_(domain) {}

  [[noreturn]] void fail(std::string_view kind, const std::string& path,
                         const std::string& why) const;

  // Every member is one of `known` and none is null (absent fields are omitted, never null).
  void only_known(const Json& object, std::initializer_list<std::string_view> known,
                  const std::string& path) const;
  const Json& required(const Json& object, std::string_view key, const std::string& path) const;
  const Json& object(const Json& value, const std::string& path) const;

  // 64 lowercase hex digits.
  Digest hex(const Json& value, const std::string& path) const;
  const std::string& nonempty_string(const Json& value, const std::string& path) const;
  std::uint64_t unsigned_integer(const Json& value, const std::string& path) const;
  // An RFC 3339 date-time; returns it normalized to UTC seconds.
  std::string timestamp(const Json& value, const std::string& path) const;
  std::string timestamp(std::string_view text, const std::string& path) const;
  // An array of hex strings or {digest_sha256, artifact_type, uri?} objects.
  void digest_set(const Json& set, const std::string& path) const;

 private:
  std::string_view domain_;
};

inline std::string member(const std::string& parent, std::string_view key) {
  return parent + "." + std::string(key);
}

}  // namespace savm::runtime::corridor_fields
