// Ed25519 signatures of message after message with one key (RFC 8032 §5.1.6): byte for byte the
// signatures of libsodium's crypto_sign_detached, computed from libsodium's constant-time
// primitives so that work repeated from one signature to the next is done once
// (docs/design/ed25519-signer.md).
//
// For a message M, crypto_sign_detached computes
//   (a, prefix) = the halves of SHA-512(seed), a clamped
//   r = SHA-512(prefix ‖ M) mod L      R = [r]B
//   k = SHA-512(R ‖ A ‖ M) mod L       S = (r + k·a) mod L,   signature R ‖ S.
// This signer takes a mod L and prefix from the KeyPair, which derives them once. And it keeps
// the SHA-512 state after the whole 128-byte blocks of prefix ‖ M that a message shared with the
// one signed before it, and resumes from that state while messages keep starting with those
// bytes: a zone's or a corridor's receipts begin with the same JWS header, ids and digest sets.
// k's hash begins with R, which changes with every message, so it is never resumed.
//
// That state determines r, so it is as secret as the key: it lives in sodium_malloc'ed memory and
// is wiped. It is made when a signer signs its second message, so a signer used once costs what
// crypto_sign_detached does. One signer per thread: signing changes it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "runtime/keys.h"

namespace savm::runtime {

class Ed25519Signer {
 public:
  // The key must outlive the signer.
  explicit Ed25519Signer(const KeyPair& key);
  ~Ed25519Signer();
  Ed25519Signer(const Ed25519Signer&) = delete;
  Ed25519Signer& operator=(const Ed25519Signer&) = delete;

  const PublicKey& public_key() const { return key_.public_key(); }

  // The signature of framing ‖ payload, as crypto_sign_detached gives it for those bytes.
  Signature sign(std::string_view framing, std::string_view payload);

 private:
  struct Message;
  struct NonceState;

  void hash_nonce_input(const Message& message, NonceState& out);

  const KeyPair& key_;
  NonceState* resume_ = nullptr;  // sodium_malloc'ed once a second message is signed
  std::size_t resumable_ = 0;     // message bytes *resume_ has absorbed; 0 while it has none
  std::string previous_;          // the last message whose nonce hash did not resume
  bool signed_before_ = false;
};

}  // namespace savm::runtime
