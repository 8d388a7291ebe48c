#include "vm/crypto/digest.h"

#include <sodium.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace savm::vm {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

crypto_hash_sha256_state* as_state(unsigned char* storage) {
  return std::launder(reinterpret_cast<crypto_hash_sha256_state*>(storage));
}

}  // namespace

std::optional<Digest> Digest::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSize) return std::nullopt;
  Bytes bytes{};
  for (std::size_t i = 0; i < kSize; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return Digest(bytes);
}

std::optional<Digest> Digest::parse(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.starts_with(kPrefix)) text.remove_prefix(kPrefix.size());
  return from_hex(text);
}

std::string Digest::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * kSize, '0');
  for (std::size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kDigits[bytes_[i] >> 4];
    out[2 * i + 1] = kDigits[bytes_[i] & 0xF];
  }
  return out;
}

std::string Digest::prefixed() const { return "sha256:" + hex(); }

bool Digest::is_zero() const {
  for (auto b : bytes_)
    if (b != 0) return false;
  return true;
}

Digest sha256(std::span<const std::uint8_t> bytes) {
  Digest::Bytes out{};
  crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return Digest(out);
}

Digest sha256(std::string_view bytes) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Sha256::Sha256() {
  static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(state_));
  new (state_) crypto_hash_sha256_state;
  crypto_hash_sha256_init(as_state(state_));
}

Sha256& Sha256::update(std::span<const std::uint8_t> bytes) {
  crypto_hash_sha256_update(as_state(state_), bytes.data(), bytes.size());
  return *this;
}

Sha256& Sha256::update(std::string_view bytes) {
  return update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Digest Sha256::finish() {
  // A second finish() would hash a wiped state: make that misuse loud in every build.
  if (finished_) throw std::logic_error("Sha256::finish called twice");
  finished_ = true;
  Digest::Bytes out{};
  crypto_hash_sha256_final(as_state(state_), out.data());
  return Digest(out);
}

bool equal_constant_time(const Digest& a, const Digest& b) {
  return sodium_memcmp(a.bytes().data(), b.bytes().data(), Digest::kSize) == 0;
}

}  // namespace savm::vm
