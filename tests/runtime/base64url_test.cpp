// runtime/base64url.h against RFC 4648's test vectors and, for every length up to 100, against
// libsodium's encoder (the one it replaced for encoding).
#include "runtime/base64url.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace savm::runtime {
namespace {

std::string encode(std::string_view text) {
  std::string out = "prefix:";  // appends, keeping what is there
  append_base64url(out, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  return out.substr(7);
}

TEST(Base64Url, Rfc4648VectorsWithoutPadding) {
  // RFC 4648 §10, the "=" padding removed.
  EXPECT_EQ(encode(""), "");
  EXPECT_EQ(encode("f"), "Zg");
  EXPECT_EQ(encode("fo"), "Zm8");
  EXPECT_EQ(encode("foo"), "Zm9v");
  EXPECT_EQ(encode("foob"), "Zm9vYg");
  EXPECT_EQ(encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Url, UsesTheUrlAlphabet) {
  // 0xFB 0xFF: 111110 111111 1111(00) -> 62, 63, 60: "+/8" in base64, "-_8" in base64url.
  EXPECT_EQ(encode("\xFB\xFF"), "-_8");
  EXPECT_EQ(base64url_length(64), 86u);  // an Ed25519 signature
}

TEST(Base64Url, MatchesLibsodiumForEveryLengthUpTo100) {
  ASSERT_GE(sodium_init(), 0);
  std::vector<std::uint8_t> bytes;
  for (std::size_t n = 0; n <= 100; ++n) {
    std::string expected(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(expected.data(), expected.size(), bytes.data(), n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    expected.resize(expected.size() - 1);  // libsodium's terminating NUL
    std::string got;
    append_base64url(got, bytes);
    EXPECT_EQ(got, expected) << n << " bytes";
    EXPECT_EQ(got.size(), base64url_length(n));
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));  // every byte value pattern shifts
  }
}

}  // namespace
}  // namespace savm::runtime
