// A SHA-256 digest: the identity of every module, pack, receipt and checkpoint.
//
// This lives in vm/ because it is the lowest layer that needs it (module digests, the SHA256
// opcode); runtime/ adds hashing of canonical JSON on top (runtime/digest.h).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace savm::vm {

class Digest {
 public:
  static constexpr std::size_t kSize = 32;
  using Bytes = std::array<std::uint8_t, kSize>;

  constexpr Digest() = default;  // the all-zero digest (genesis of a chain)
  explicit constexpr Digest(const Bytes& bytes) : bytes_(bytes) {}

  static Digest zero() { return Digest(); }
  // Exactly 64 hex digits (either case); anything else is nullopt.
  static std::optional<Digest> from_hex(std::string_view hex);
  // Either 64 hex digits or "sha256:" followed by 64 hex digits.
  static std::optional<Digest> parse(std::string_view text);

  std::string hex() const;       // 64 lowercase hex digits
  std::array<char, 2 * kSize> hex_digits() const;  // the same, without a heap string
  std::string prefixed() const;  // "sha256:<hex>"
  const Bytes& bytes() const { return bytes_; }
  bool is_zero() const;

  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  Bytes bytes_{};
};

// Writes the 2 * bytes.size() lowercase hex digits of `bytes` at `out`: the one hex encoder of
// digests, ids and byte strings, for callers that build the text in place.
void write_lower_hex(std::span<const std::uint8_t> bytes, char* out);

// SHA-256 of raw bytes (file contents, blobs, MMR nodes). Structured data is hashed only through
// its canonical bytes: see runtime::digest_of.
Digest sha256(std::span<const std::uint8_t> bytes);
Digest sha256(std::string_view bytes);

// Multi-part hashing for domain-separated digests: update() in order, then finish() once.
// Uses the engine active when it is constructed (vm/crypto/sha256_engine.h); both give the same
// digest.
class Sha256 {
 public:
  Sha256();
  Sha256& update(std::span<const std::uint8_t> bytes);
  Sha256& update(std::string_view bytes);
  Sha256& update(const Digest& digest) { return update(std::span<const std::uint8_t>(digest.bytes())); }
  Digest finish();

 private:
  alignas(64) unsigned char state_[256];  // libsodium's state, or the SHA-NI engine's
  bool accelerated_ = false;
  bool finished_ = false;
};

// Constant-time equality, for comparing roots and MACs an attacker may probe.
bool equal_constant_time(const Digest& a, const Digest& b);

}  // namespace savm::vm
