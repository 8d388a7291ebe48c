#include "vm/crypto/digest.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <string>
#include <vector>

#include "vm/crypto/sha256_engine.h"

namespace savm::vm {
namespace {

// FIPS 180-2 / RFC 6234 test vectors: independent of libsodium.
TEST(Sha256, FipsVectors) {
  EXPECT_EQ(sha256("").hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256("abc").hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// FORMATS.md: the canonical bytes of {} are "{}", whose digest is published.
TEST(Sha256, FormatsPublicCheck) {
  EXPECT_EQ(sha256("{}").hex(), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}

TEST(Sha256, MultiPartEqualsOneShot) {
  Sha256 h;
  h.update("abcdbcdecdefdefg").update("efghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(h.finish(), sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
}

TEST(Sha256, FinishTwiceIsRejected) {
  Sha256 h;
  h.finish();
  EXPECT_THROW(h.finish(), std::logic_error);
}

// Runs a test body once per SHA-256 engine this machine has, then restores the detected one.
// The portable engine is always forced once, so both are covered on a SHA-NI machine.
template <typename Body>
void for_each_engine(Body body) {
  using sha256_engine::Engine;
  const Engine detected = sha256_engine::active();
  for (const Engine engine : {Engine::kLibsodium, Engine::kShaNi}) {
    if (!sha256_engine::select(engine)) {
      EXPECT_EQ(engine, Engine::kShaNi);  // only the accelerated engine may be missing
      continue;
    }
    SCOPED_TRACE(engine == Engine::kShaNi ? "SHA-NI engine" : "libsodium engine");
    ASSERT_EQ(sha256_engine::active(), engine);
    body();
  }
  ASSERT_TRUE(sha256_engine::select(detected));
}

std::string deterministic_bytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 rng(seed);  // std::mt19937's output sequence is fixed by the standard
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
  return bytes;
}

// libsodium's one-shot SHA-256 is the oracle (and is the portable engine itself).
std::string sodium_sha256_hex(std::string_view bytes) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Digest(std::to_array(out)).hex();
}

TEST(Sha256Engine, DetectionMatchesCpu) {
  // The accelerated engine is selected on first use exactly when the CPU has it.
  const bool available = sha256_engine::shani_available();
  EXPECT_EQ(sha256_engine::select(sha256_engine::Engine::kShaNi), available);
  ASSERT_TRUE(sha256_engine::select(available ? sha256_engine::Engine::kShaNi : sha256_engine::Engine::kLibsodium));
}

TEST(Sha256Engine, FipsVectorsOnEveryEngine) {
  for_each_engine([] {
    EXPECT_EQ(sha256("").hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256("abc").hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex(),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // FIPS 180-2 appendix B.3: one million 'a' (many blocks, multi-block compress calls).
    EXPECT_EQ(sha256(std::string(1000000, 'a')).hex(),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // 896-bit message from FIPS 180-4 examples: the padding needs a second block.
    EXPECT_EQ(sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").hex(),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    Sha256 empty;
    EXPECT_EQ(empty.update(std::string_view()).finish().hex(),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
}

TEST(Sha256Engine, EveryLengthUpTo1024MatchesLibsodium) {
  const std::string data = deterministic_bytes(1024, 20260301);
  for_each_engine([&] {
    for (std::size_t n = 0; n <= data.size(); ++n) {
      const std::string_view prefix(data.data(), n);
      ASSERT_EQ(sha256(prefix).hex(), sodium_sha256_hex(prefix)) << "length " << n;
    }
  });
}

TEST(Sha256Engine, RandomSplitsMatchLibsodium) {
  const std::string data = deterministic_bytes(1024, 7);
  for_each_engine([&] {
    std::mt19937 rng(12345);
    for (int trial = 0; trial < 2000; ++trial) {
      const std::size_t n = rng() % (data.size() + 1);
      const std::string_view message(data.data(), n);
      Sha256 hash;
      std::size_t at = 0;
      while (at < n) {
        // Pieces of 0..130 bytes: empty updates, partial blocks, exact and multiple blocks.
        const std::size_t piece = std::min<std::size_t>(rng() % 131, n - at);
        hash.update(message.substr(at, piece));
        at += piece;
      }
      ASSERT_EQ(hash.finish().hex(), sodium_sha256_hex(message)) << "trial " << trial << ", length " << n;
    }
  });
}

TEST(Digest, HexForms) {
  const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const auto d = Digest::from_hex(hex);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->hex(), hex);
  EXPECT_EQ(d->prefixed(), std::string("sha256:") + hex);
  EXPECT_EQ(Digest::parse(std::string("sha256:") + hex), d);
  EXPECT_EQ(Digest::parse(hex), d);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Digest::from_hex(upper), d);  // accepted, printed back lowercase
}

TEST(Digest, RejectsMalformedHex) {
  const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_FALSE(Digest::from_hex(hex.substr(1)).has_value());          // 63 digits
  EXPECT_FALSE(Digest::from_hex(hex + "0").has_value());              // 65 digits
  EXPECT_FALSE(Digest::from_hex(std::string("g") + hex.substr(1)).has_value());    // non-hex
  EXPECT_FALSE(Digest::from_hex(std::string(" ") + hex.substr(1)).has_value());    // whitespace
  EXPECT_FALSE(Digest::parse(std::string("sha512:") + hex).has_value());           // other algorithm
  EXPECT_FALSE(Digest::parse("sha256:").has_value());
}

TEST(Digest, ZeroAndOrdering) {
  EXPECT_TRUE(Digest::zero().is_zero());
  EXPECT_EQ(Digest::zero().hex(), std::string(64, '0'));
  EXPECT_FALSE(sha256("abc").is_zero());
  EXPECT_LT(Digest::zero(), sha256("abc"));
  EXPECT_TRUE(equal_constant_time(sha256("x"), sha256("x")));
  EXPECT_FALSE(equal_constant_time(sha256("x"), sha256("y")));
}

}  // namespace
}  // namespace savm::vm
