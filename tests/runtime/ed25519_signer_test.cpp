// Ed25519Signer against RFC 8032's vectors, and differentially against libsodium's one-shot
// crypto_sign_detached (KeyPair::sign_raw) over runs of messages that share their leading bytes
// up to, at and past every 128-byte block boundary of the nonce hash (32 secret bytes, then the
// message: boundaries after 96, 224, 352 and 480 message bytes).
#include "runtime/ed25519_signer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "tests/runtime/rfc8032_vectors.h"

namespace savm::runtime {
namespace {

using namespace rfc8032;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// Deterministic filler text: the test must fail the same way every time if it fails.
std::string filler(std::size_t size, std::uint32_t seed) {
  std::string text(size, '\0');
  for (char& c : text) {
    seed = seed * 1664525u + 1013904223u;  // Numerical Recipes' LCG
    c = static_cast<char>(seed >> 24);
  }
  return text;
}

// Every split of the message between framing and payload must sign the same bytes.
void expect_signs_like_one_shot(Ed25519Signer& signer, const KeyPair& key, const std::string& message,
                                std::size_t framing_size, const std::string& what) {
  const std::string_view text = message;
  const Signature expected = key.sign_raw(as_bytes(text));
  const Signature got = signer.sign(text.substr(0, framing_size), text.substr(framing_size));
  EXPECT_EQ(got, expected) << what << ", framing " << framing_size << " of " << message.size();
  EXPECT_TRUE(verify_raw(key.public_key(), as_bytes(text), got)) << what;
}

TEST(Ed25519Signer, Rfc8032VectorsWithTheMessageSplitAnywhere) {
  for (const RfcVector& v : kRfc8032) {
    const KeyPair key = from_seed_hex(v.secret);
    const auto bytes = unhex(v.message);
    const std::string message(bytes.begin(), bytes.end());
    Ed25519Signer reused(key);
    for (std::size_t split = 0; split <= message.size(); ++split) {
      Ed25519Signer fresh(key);
      const std::string_view text = message;
      EXPECT_EQ(fresh.sign(text.substr(0, split), text.substr(split)).hex(), v.signature) << v.name << " " << split;
      EXPECT_EQ(reused.sign(text.substr(0, split), text.substr(split)).hex(), v.signature) << v.name << " " << split;
    }
  }
}

constexpr std::size_t kShared[] = {0, 1, 95, 96, 97, 100, 223, 224, 225, 300, 351, 352, 353, 479, 480, 481, 600};
constexpr std::size_t kTail[] = {0, 1, 31, 128, 400};

// After a first message, each message keeps `shared` bytes of it and continues differently: the
// second saves the nonce-hash state after the whole blocks they share, the later ones resume it,
// and a message shorter than those bytes is hashed afresh.
TEST(Ed25519Signer, MessagesSharingLeadingBytesSignLikeTheOneShotSigner) {
  const KeyPair key = from_seed_hex(kRfc8032[0].secret);
  std::uint32_t seed = 1;
  for (const std::size_t shared : kShared) {
    for (const std::size_t tail : kTail) {
      const std::string what = "shared " + std::to_string(shared) + " tail " + std::to_string(tail);
      Ed25519Signer signer(key);
      const std::string first = filler(700, seed++);
      expect_signs_like_one_shot(signer, key, first, 59, what + ", first");
      for (int i = 0; i < 3; ++i) {
        const std::string message = first.substr(0, shared) + filler(tail, seed++);
        expect_signs_like_one_shot(signer, key, message, std::min<std::size_t>(59, message.size()), what);
        expect_signs_like_one_shot(signer, key, message, message.size() / 2, what);
        expect_signs_like_one_shot(signer, key, message, 0, what);
        expect_signs_like_one_shot(signer, key, message, message.size(), what);
      }
      expect_signs_like_one_shot(signer, key, first.substr(0, shared / 2), 0, what + ", shorter");
    }
  }
}

// One signer through messages whose shared bytes grow and shrink, so a saved state is dropped
// and another saved in every order the lengths give.
TEST(Ed25519Signer, ALongRunOfMessagesSignsLikeTheOneShotSigner) {
  const KeyPair key = from_seed_hex(kRfc8032[3].secret);
  Ed25519Signer signer(key);
  constexpr std::size_t kOrder[] = {480, 0, 224, 96, 600, 95, 352, 1, 225, 97, 481, 223, 353, 479, 100, 351, 300};
  std::string previous = filler(700, 99);
  std::uint32_t seed = 100;
  for (const std::size_t shared : kOrder) {
    for (const std::size_t tail : kTail) {
      std::string message = previous.substr(0, shared) + filler(tail, seed++);
      expect_signs_like_one_shot(signer, key, message, std::min<std::size_t>(59, message.size()),
                                 "shared " + std::to_string(shared) + " tail " + std::to_string(tail));
      if (message.size() >= 300) previous = std::move(message);
    }
  }
}

// The saved state's bytes may end inside the framing or past it, and a message may differ from
// them in either part.
TEST(Ed25519Signer, SharedBytesAreComparedAcrossTheFramingAndThePayload) {
  const KeyPair key = from_seed_hex(kRfc8032[1].secret);
  Ed25519Signer signer(key);
  const std::string first = filler(500, 7);
  std::string second = first;
  second[400] ^= 1;
  expect_signs_like_one_shot(signer, key, first, 59, "first");
  expect_signs_like_one_shot(signer, key, second, 59, "second: state after 352 bytes");
  std::string third = second;
  third[10] ^= 1;
  expect_signs_like_one_shot(signer, key, third, 300, "third: differs in the framing");
  expect_signs_like_one_shot(signer, key, second, 300, "second again, the shared bytes past the framing");
  expect_signs_like_one_shot(signer, key, second, 400, "second again, the shared bytes inside the framing");
}

TEST(Ed25519Signer, AKeyMovedFromIsRefused) {
  KeyPair key = from_seed_hex(kRfc8032[2].secret);
  Ed25519Signer signer(key);
  const KeyPair taken = std::move(key);
  EXPECT_THROW(signer.sign("a", "b"), std::logic_error);
  const auto message = unhex(kRfc8032[2].message);
  EXPECT_EQ(Ed25519Signer(taken).sign("", std::string_view(reinterpret_cast<const char*>(message.data()), message.size())).hex(),
            kRfc8032[2].signature);
}

}  // namespace
}  // namespace savm::runtime
