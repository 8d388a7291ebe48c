// The host intrinsics a zone binds to its regpack data (docs/operating-a-zone.md "Regpack data
// and host intrinsics"; HOSTCALL in docs/vm.md). They are pure functions of their arguments and
// of the bound data, so a receipt names the data (its regpack_digest_set) and replay rebinds the
// same bytes by digest.
//
//   sanctions.screen(query) -> (score, reference)
//     query      a short-string word: up to 31 bytes left-aligned, the length in the last byte
//                (the form of jurisdiction ids); the host normalizes it (runtime/sanctions_list.h)
//     score      0..100, the best entry's similarity (100 = an exact normalized match)
//     reference  that entry's list reference as a short-string word ("QDe.004"); zero when the
//                score is 0 or the entry has no reference
//   A malformed query word, or no sanctions list bound, faults host_call (fail closed).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/sanctions_list.h"
#include "vm/crypto/digest.h"
#include "vm/host.h"

namespace savm::runtime {

inline constexpr std::string_view kSanctionsScreen = "sanctions.screen";

struct BoundSanctionsList {
  vm::Digest digest;  // SHA-256 of the list's canonical bytes
  std::shared_ptr<const SanctionsList> list;
};

class ZoneIntrinsics {
 public:
  ZoneIntrinsics() = default;
  explicit ZoneIntrinsics(std::optional<BoundSanctionsList> sanctions) : sanctions_(std::move(sanctions)) {}

  vm::HostCallResult call(std::string_view name, std::span<const vm::Word> args, std::size_t result_count) const;

  // The digests of the bound regpacks, for the receipt's regpack_digest_set.
  std::vector<vm::Digest> regpacks() const;

 private:
  vm::HostCallResult screen(std::span<const vm::Word> args) const;

  std::optional<BoundSanctionsList> sanctions_;
};

// The text of a short-string word; nullopt when the word is not one (length over 31, or nonzero
// bytes past the length).
std::optional<std::string> short_string_text(const vm::Word& word);
// `text` (at most 31 bytes) as a short-string word; zero for longer text.
vm::Word short_string_word(std::string_view text);

}  // namespace savm::runtime
