// Base64url without padding (RFC 4648 §5), the encoding of JWS headers and signatures.
//
// Table-driven, three bytes to four characters per step. libsodium's sodium_bin2base64 is
// constant-time (it hides the bytes it encodes behind masks), which costs ~70 instructions per
// character; what we encode — a public header and public signatures — needs no such protection,
// and per-receipt signing encodes a signature per receipt (docs/PERFORMANCE.md, "Corridor
// receipts"). Decoding stays with libsodium (strict, see proof.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace savm::runtime {

// The encoded length of `size` bytes: 4 characters per 3 bytes, 2 or 3 for a final 1 or 2.
constexpr std::size_t base64url_length(std::size_t size) { return size / 3 * 4 + (size % 3 == 0 ? 0 : size % 3 + 1); }

// Appends the encoding of `bytes` to `out`.
inline void append_base64url(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t at = out.size();
  out.resize(at + base64url_length(bytes.size()));
  char* p = out.data() + at;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 0x3F];
    *p++ = kAlphabet[(v >> 6) & 0x3F];
    *p++ = kAlphabet[v & 0x3F];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return;
  const std::uint32_t v = std::uint32_t{bytes[i]} << 16 | (rest == 2 ? std::uint32_t{bytes[i + 1]} << 8 : 0);
  *p++ = kAlphabet[v >> 18];
  *p++ = kAlphabet[(v >> 12) & 0x3F];
  if (rest == 2) *p = kAlphabet[(v >> 6) & 0x3F];
}

}  // namespace savm::runtime
