// SHA-256 of one document after another, skipping the leading blocks a document shares with the
// one before (docs/design/receipt-fast-path.md).
//
// Receipts of one corridor begin with the same bytes (its id and lawpack set sort before the
// first field that changes, prev_root), so the hash state after those whole 64-byte blocks is
// kept and resumed. The digest is SHA-256 of the whole input either way: resuming from a state
// is what hashing the same blocks again would compute.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vm/crypto/digest.h"

namespace savm::runtime {

class PrefixHasher {
 public:
  vm::Digest hash(std::string_view bytes);

 private:
  std::string previous_;  // the last input that did not start with prefix_
  std::string prefix_;    // whole blocks it shared with the input before it
  std::optional<vm::Sha256> after_prefix_;  // the state after hashing prefix_
};

}  // namespace savm::runtime
