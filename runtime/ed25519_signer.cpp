#include "runtime/ed25519_signer.h"

#include <sodium.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace savm::runtime {
namespace {

constexpr std::size_t kBlock = 128;       // SHA-512's block: a state exists only at its boundaries
constexpr std::size_t kNoncePrefix = 32;  // the secret bytes before M in r's hash

const unsigned char* bytes_of(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

// The message framing ‖ payload, read in place.
struct Ed25519Signer::Message {
  std::string_view framing;
  std::string_view payload;

  std::size_t size() const { return framing.size() + payload.size(); }

  bool starts_with(std::string_view prefix) const {
    if (prefix.size() <= framing.size()) return framing.starts_with(prefix);
    return prefix.starts_with(framing) && payload.starts_with(prefix.substr(framing.size()));
  }

  // How many leading bytes it has in common with `other`.
  std::size_t common_prefix(std::string_view other) const {
    const std::size_t in_framing = mismatch(framing, other);
    if (in_framing < framing.size()) return in_framing;
    return framing.size() + mismatch(payload, other.substr(std::min(other.size(), framing.size())));
  }

  // Absorbs bytes [from, to) of the message.
  void absorb(crypto_hash_sha512_state& state, std::size_t from, std::size_t to) const {
    if (from < framing.size()) {
      const std::size_t end = std::min(to, framing.size());
      crypto_hash_sha512_update(&state, bytes_of(framing) + from, end - from);
      from = end;
    }
    if (from < to) {
      crypto_hash_sha512_update(&state, bytes_of(payload) + (from - framing.size()), to - from);
    }
  }

 private:
  static std::size_t mismatch(std::string_view a, std::string_view b) {
    const std::size_t n = std::min(a.size(), b.size());
    return static_cast<std::size_t>(std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin()).first -
                                    a.begin());
  }
};

struct Ed25519Signer::NonceState {
  crypto_hash_sha512_state state;
};

Ed25519Signer::Ed25519Signer(const KeyPair& key) : key_(key) {}

Ed25519Signer::~Ed25519Signer() { sodium_free(resume_); }  // sodium_free wipes before unmapping

// Leaves `out` having absorbed prefix ‖ M. When M starts with the bytes the saved state has
// absorbed, it resumes from that state. Otherwise it hashes from the start and, from the second
// message on, saves the state after the whole blocks M shares with the last message hashed from
// the start (previous_). Which way it goes depends only on the messages, which are public.
void Ed25519Signer::hash_nonce_input(const Message& message, NonceState& out) {
  if (resumable_ > 0 && message.starts_with(std::string_view(previous_).substr(0, resumable_))) {
    out = *resume_;
    message.absorb(out.state, resumable_, message.size());
    return;
  }
  crypto_hash_sha512_init(&out.state);
  crypto_hash_sha512_update(&out.state, key_.secret_ + KeyPair::kNoncePrefixAt, kNoncePrefix);
  resumable_ = 0;
  if (signed_before_) {
    const std::size_t shared_blocks = (kNoncePrefix + message.common_prefix(previous_)) / kBlock;
    if (shared_blocks > 0) {
      const std::size_t shared = shared_blocks * kBlock - kNoncePrefix;
      message.absorb(out.state, 0, shared);
      if (resume_ == nullptr) {
        resume_ = static_cast<NonceState*>(sodium_malloc(sizeof(NonceState)));
        if (resume_ == nullptr) throw std::bad_alloc();
      }
      *resume_ = out;
      resumable_ = shared;
    }
  }
  message.absorb(out.state, resumable_, message.size());
  previous_.assign(message.framing).append(message.payload);
  signed_before_ = true;
}

Signature Ed25519Signer::sign(std::string_view framing, std::string_view payload) {
  if (key_.secret_ == nullptr) throw std::logic_error("Ed25519Signer: the key was moved from");
  const Message message{framing, payload};
  NonceState nonce_hash;
  unsigned char digest[crypto_hash_sha512_BYTES];
  unsigned char r[crypto_core_ed25519_SCALARBYTES];
  unsigned char product[crypto_core_ed25519_SCALARBYTES];
  Signature::Bytes signature{};

  hash_nonce_input(message, nonce_hash);
  crypto_hash_sha512_final(&nonce_hash.state, digest);
  crypto_core_ed25519_scalar_reduce(r, digest);
  // R = [r]B. It fails only for r = 0, which a hash output hits with probability 2^-252; the
  // one-shot signer covers that case anyway, so the signature is right for every message.
  if (crypto_scalarmult_ed25519_base_noclamp(signature.data(), r) != 0) {
    std::string input(framing);
    input.append(payload);
    crypto_sign_detached(signature.data(), nullptr, bytes_of(input), input.size(), key_.secret_);
  } else {
    crypto_hash_sha512_state challenge;
    crypto_hash_sha512_init(&challenge);
    crypto_hash_sha512_update(&challenge, signature.data(), 32);
    crypto_hash_sha512_update(&challenge, key_.public_key().bytes().data(), PublicKey::kSize);
    message.absorb(challenge, 0, message.size());
    crypto_hash_sha512_final(&challenge, digest);
    unsigned char k[crypto_core_ed25519_SCALARBYTES];
    crypto_core_ed25519_scalar_reduce(k, digest);
    crypto_core_ed25519_scalar_mul(product, k, key_.secret_ + KeyPair::kScalarAt);
    crypto_core_ed25519_scalar_add(signature.data() + 32, product, r);
  }
  sodium_memzero(&nonce_hash, sizeof nonce_hash);
  sodium_memzero(digest, sizeof digest);
  sodium_memzero(r, sizeof r);
  sodium_memzero(product, sizeof product);
  return Signature(signature);
}

}  // namespace savm::runtime
