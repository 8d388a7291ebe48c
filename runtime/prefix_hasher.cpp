#include "runtime/prefix_hasher.h"

#include <algorithm>

namespace savm::runtime {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256's block: states exist only at its boundaries

}  // namespace

vm::Digest PrefixHasher::hash(std::string_view bytes) {
  if (after_prefix_ && bytes.starts_with(prefix_)) {
    vm::Sha256 resumed = *after_prefix_;
    return resumed.update(bytes.substr(prefix_.size())).finish();
  }
  // A new prefix: the whole blocks this input shares with the previous one.
  const std::size_t common = static_cast<std::size_t>(
      std::mismatch(bytes.begin(), bytes.end(), previous_.begin(), previous_.end()).first - bytes.begin());
  const std::size_t kept = common / kBlock * kBlock;
  vm::Sha256 hasher;
  hasher.update(bytes.substr(0, kept));
  if (kept > 0) {
    prefix_.assign(bytes.substr(0, kept));
    after_prefix_ = hasher;
  } else {
    after_prefix_.reset();
  }
  previous_.assign(bytes);
  return hasher.update(bytes.substr(kept)).finish();
}

}  // namespace savm::runtime
