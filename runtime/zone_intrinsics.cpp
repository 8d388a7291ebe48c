#include "runtime/zone_intrinsics.h"

#include <array>
#include <string>

namespace savm::runtime {

std::optional<std::string> short_string_text(const vm::Word& word) {
  std::array<std::uint8_t, 32> bytes{};
  word.to_be_bytes(bytes);
  const std::size_t length = bytes[31];
  if (length > 31) return std::nullopt;
  for (std::size_t i = length; i < 31; ++i) {
    if (bytes[i] != 0) return std::nullopt;
  }
  return std::string(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
}

vm::Word short_string_word(std::string_view text) {
  std::array<std::uint8_t, 32> bytes{};
  if (text.size() > 31) return vm::Word::zero();
  for (std::size_t i = 0; i < text.size(); ++i) bytes[i] = static_cast<std::uint8_t>(text[i]);
  bytes[31] = static_cast<std::uint8_t>(text.size());
  return vm::Word::from_be_bytes(bytes);
}

vm::HostCallResult ZoneIntrinsics::call(std::string_view name, std::span<const vm::Word> args,
                                        std::size_t result_count) const {
  vm::HostCallResult result;
  if (name == kSanctionsScreen) result = screen(args);
  if (result.ok && result.results.size() != result_count) return vm::HostCallResult{};
  return result;
}

vm::HostCallResult ZoneIntrinsics::screen(std::span<const vm::Word> args) const {
  if (!sanctions_ || args.size() != 1) return {};
  const auto query = short_string_text(args[0]);
  if (!query) return {};
  const ScreeningMatch match = sanctions_->list->screen(normalize_party_name(*query));
  const vm::Word reference =
      match.score == 0 ? vm::Word::zero() : short_string_word(sanctions_->list->entries()[match.entry].reference);
  return vm::HostCallResult{true, {vm::Word::from_u64(match.score), reference}};
}

std::vector<vm::Digest> ZoneIntrinsics::regpacks() const {
  if (!sanctions_) return {};
  return {sanctions_->digest};
}

}  // namespace savm::runtime
