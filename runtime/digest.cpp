#include "runtime/digest.h"

#include <fmt/format.h>

#include <array>

#include "runtime/error.h"

namespace savm::runtime {

Digest digest_of(const CanonicalBytes& bytes) { return vm::sha256(bytes.view()); }

Digest parse_digest(std::string_view text, std::string_view what) {
  if (auto digest = Digest::parse(text)) return *digest;
  throw Error("digest.hex", fmt::format("{}: expected 64 hex digits or \"sha256:\" and 64 hex digits, "
                                        "got \"{}\" ({} characters)",
                                        what, text.substr(0, 80), text.size()));
}

DomainHasher::DomainHasher(std::string_view tag) {
  if (tag.empty() || tag.find('\0') != std::string_view::npos) {
    throw Error("digest.tag", "a domain tag must be non-empty and contain no NUL byte");
  }
  hash_.update(tag);
  hash_.update(std::string_view("\0", 1));
}

DomainHasher& DomainHasher::part(std::string_view bytes) {
  std::array<std::uint8_t, 8> length{};
  auto n = static_cast<std::uint64_t>(bytes.size());
  for (std::size_t i = length.size(); i-- > 0; n >>= 8) length[i] = static_cast<std::uint8_t>(n & 0xFF);
  hash_.update(std::span<const std::uint8_t>(length));
  hash_.update(bytes);
  return *this;
}

Digest DomainHasher::finish() { return hash_.finish(); }

Digest pack_digest(std::string_view tag, std::initializer_list<std::string_view> parts) {
  DomainHasher hasher(tag);
  for (std::string_view part : parts) hasher.part(part);
  return hasher.finish();
}

}  // namespace savm::runtime
