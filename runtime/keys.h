// Ed25519 keys (libsodium): the only signature scheme SAVM produces or accepts.
//
// The secret key (with what RFC 8032 derives from it for signing, derived once) lives in
// sodium_malloc'ed memory (guard pages, mlock where allowed), is wiped on destruction, cannot be
// copied and is never printed: there is no accessor, stream operator or string form for it.
// Signing takes CanonicalBytes so structured data can only be signed in its canonical form.
//
// Key files (docs/formats.md "Keys and proofs"):
//   secret: {"type":"SAVMEd25519KeyPair","public_key":"<64 hex>","secret_seed":"<64 hex>"}
//   public: {"type":"SAVMEd25519PublicKey","public_key":"<64 hex>"}
// A key pair file is created with mode 0600, written completely to a temporary file and then
// linked into place, so it never overwrites an existing file and is never seen half-written.
// Reading refuses a key pair file that group or others can access (like ssh).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "runtime/mcf.h"

namespace savm::runtime {

class PublicKey {
 public:
  static constexpr std::size_t kSize = 32;
  using Bytes = std::array<std::uint8_t, kSize>;

  explicit PublicKey(const Bytes& bytes) : bytes_(bytes) {}
  // Exactly 64 hex digits (either case). Throws Error "key.length" for any other length,
  // "key.hex" for a non-hex digit.
  static PublicKey from_hex(std::string_view hex);

  const Bytes& bytes() const { return bytes_; }
  std::string hex() const;  // 64 lowercase hex digits
  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  Bytes bytes_;
};

class Signature {
 public:
  static constexpr std::size_t kSize = 64;
  using Bytes = std::array<std::uint8_t, kSize>;

  explicit Signature(const Bytes& bytes) : bytes_(bytes) {}
  static Signature from_hex(std::string_view hex);  // "key.length" / "key.hex" as PublicKey
  const Bytes& bytes() const { return bytes_; }
  std::string hex() const;
  friend bool operator==(const Signature&, const Signature&) = default;

 private:
  Bytes bytes_;
};

class KeyPair {
 public:
  static constexpr std::size_t kSeedSize = 32;

  // A fresh key from libsodium's CSPRNG. Key generation is the only use of randomness in SAVM;
  // signatures themselves are deterministic (RFC 8032).
  static KeyPair generate();
  // Deterministic: the RFC 8032 secret key is this 32-byte seed.
  static KeyPair from_seed(std::span<const std::uint8_t, kSeedSize> seed);

  KeyPair(KeyPair&& other) noexcept;
  KeyPair& operator=(KeyPair&& other) noexcept;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair();

  const PublicKey& public_key() const { return public_key_; }

  Signature sign(const CanonicalBytes& message) const;
  // Signs `framing ‖ message`: for protocols that put a fixed header before the canonical bytes
  // (the JWS signing input of runtime/proof.h).
  Signature sign(std::string_view framing, const CanonicalBytes& message) const;
  // The raw primitive over arbitrary bytes, for conformance tests against RFC 8032. Protocol code
  // signs canonical bytes through the overloads above.
  Signature sign_raw(std::span<const std::uint8_t> message) const;

 private:
  KeyPair(unsigned char* secret, const PublicKey& public_key);
  friend void write_key_file(const std::filesystem::path& path, const KeyPair& key);
  friend class Ed25519Signer;

  // The layout of the secret: libsodium's secret key (seed ‖ public key), then what RFC 8032
  // derives from the seed for every signature, derived once (runtime/ed25519_signer.h).
  static constexpr std::size_t kScalarAt = 64;       // the clamped secret scalar a, reduced mod L
  static constexpr std::size_t kNoncePrefixAt = 96;  // the second half of SHA-512(seed)
  static constexpr std::size_t kSecretSize = 128;

  unsigned char* secret_ = nullptr;  // sodium_malloc'ed kSecretSize bytes
  PublicKey public_key_;
};

bool verify(const PublicKey& key, const CanonicalBytes& message, const Signature& signature);
bool verify(const PublicKey& key, std::string_view framing, const CanonicalBytes& message,
            const Signature& signature);
bool verify_raw(const PublicKey& key, std::span<const std::uint8_t> message,
                const Signature& signature);

// Writes a key pair file (mode 0600). Throws Error "key.exists" if `path` exists, "key.io" if the
// file cannot be written; on any failure nothing is left at `path`.
void write_key_file(const std::filesystem::path& path, const KeyPair& key);
// Reads a key pair file. Throws "key.io" (cannot read), "key.permissions" (group/other access or
// not a regular file), "key.format" (not the JSON above), "key.length" / "key.hex" (bad
// hex fields), "key.mismatch" (public_key is not the key of secret_seed).
KeyPair read_key_file(const std::filesystem::path& path);

// Public key files carry no secret, so they may be world-readable; an existing file is kept.
void write_public_key_file(const std::filesystem::path& path, const PublicKey& key);
// Accepts a public key file or a key pair file (only its public half is used; the permission
// check still applies to a key pair file).
PublicKey read_public_key_file(const std::filesystem::path& path);

}  // namespace savm::runtime
