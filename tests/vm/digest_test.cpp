#include "vm/crypto/digest.h"

#include <gtest/gtest.h>

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
