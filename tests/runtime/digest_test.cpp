// Digests of canonical bytes and the domain-separated pack framing (docs/formats.md). Oracles:
// FORMATS.md's published digests, and the framing rebuilt byte by byte here and hashed with the
// raw vm::sha256 (itself checked against FIPS 180-2 vectors in tests/vm/digest_test.cpp).
#include "runtime/digest.h"

#include <gtest/gtest.h>

#include <string>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

const std::string kAbcHex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";  // SHA-256("abc")

TEST(DigestOf, FormatsPublicVectors) {
  EXPECT_EQ(digest_of(canonicalize_text("{}")).hex(),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(digest_of(canonicalize_text(R"({"b":2,"a":1})")).hex(),
            "43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777");
}

// Domain brief §5.2: the MEZ sources' "receipt-like" MCF golden vector, published truncated as
// 73ff0cf3…ae05. Spelled here with unsorted keys and a sub-second +00:00 timestamp, which MCF must
// normalize to the source's "2026-01-15T12:00:00Z".
TEST(DigestOf, ReceiptLikeGoldenVectorFromTheSources) {
  const std::string hex = digest_of(canonicalize_text(R"({
      "timestamp": "2026-01-15T12:00:00.123456+00:00", "sequence": 0,
      "ruleset_digest_set": ["bbbb000000000000000000000000000000000000000000000000000000000000"],
      "prev_root": "0000000000000000000000000000000000000000000000000000000000000000",
      "lawpack_digest_set": ["aaaa000000000000000000000000000000000000000000000000000000000000"],
      "corridor_id": "test-corridor-001"})")).hex();
  EXPECT_EQ(hex.substr(0, 8), "73ff0cf3");
  EXPECT_EQ(hex.substr(60), "ae05");
}

TEST(DigestOf, HashesTheCanonicalBytesNotTheInputText) {
  // Three spellings of one value; the digest is that of the canonical bytes {"a":1,"b":2}.
  const Digest expected = vm::sha256(std::string_view(R"({"a":1,"b":2})"));
  EXPECT_EQ(digest_of(canonicalize_text(R"({"b":2,"a":1})")), expected);
  EXPECT_EQ(digest_of(canonicalize_text(" { \"a\" : 1 , \"b\" : 2 } ")), expected);
  EXPECT_EQ(digest_of(canonicalize(Json{{"b", 2}, {"a", 1}})), expected);
}

TEST(ParseDigest, AcceptsBareAndPrefixedHex) {
  EXPECT_EQ(parse_digest(kAbcHex, "prev_root").hex(), kAbcHex);
  EXPECT_EQ(parse_digest("sha256:" + kAbcHex, "prev_root").hex(), kAbcHex);
}

TEST(ParseDigest, RejectsNonHexNamingTheField) {
  for (const std::string& bad : {kAbcHex.substr(1), kAbcHex + "0", "zz" + kAbcHex.substr(2), std::string(),
                                std::string("sha256:"), "sha512:" + kAbcHex, " " + kAbcHex.substr(1), "0x" + kAbcHex.substr(2)}) {
    SCOPED_TRACE(bad);
    try {
      parse_digest(bad, "lawpack_digest_set[3]");
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "digest.hex");
      EXPECT_NE(std::string(e.what()).find("lawpack_digest_set[3]"), std::string::npos) << e.what();
    }
  }
}

// The framing rebuilt by hand: tag, NUL, then each part as an 8-byte big-endian length and bytes.
TEST(DomainHasher, MatchesTheDocumentedFraming) {
  std::string framed("savm-test-v1\0", 13);
  framed += std::string("\0\0\0\0\0\0\0\x02", 8) + "ab";
  framed += std::string("\0\0\0\0\0\0\0\x01", 8) + "c";
  framed += std::string(8, '\0');  // an empty part
  EXPECT_EQ(pack_digest("savm-test-v1", {"ab", "c", ""}), vm::sha256(framed));

  std::string big_part(300, 'x');  // 300 = 0x012C: both length bytes in use
  std::string framed_big = std::string("t\0", 2) + std::string("\0\0\0\0\0\0\x01\x2C", 8) + big_part;
  EXPECT_EQ(DomainHasher("t").part(big_part).finish(), vm::sha256(framed_big));
}

TEST(DomainHasher, PartBoundariesCannotBeConfused) {
  const Digest ab_c = pack_digest("savm-lawpack-v1", {"ab", "c"});
  EXPECT_NE(ab_c, pack_digest("savm-lawpack-v1", {"a", "bc"}));  // one byte moved across the boundary
  EXPECT_NE(ab_c, pack_digest("savm-lawpack-v1", {"abc"}));
  EXPECT_NE(ab_c, pack_digest("savm-lawpack-v1", {"ab", "c", ""}));  // an extra empty part counts
  EXPECT_NE(pack_digest("t", {}), pack_digest("t", {""}));
}

TEST(DomainHasher, TagSeparatesDomains) {
  EXPECT_NE(pack_digest("savm-lawpack-v1", {"x"}), pack_digest("savm-regpack-v1", {"x"}));
  // The tag's NUL terminator keeps tag and first part apart: "ab" + part "c..." vs "a" + ...
  EXPECT_NE(pack_digest("ab", {"c"}), pack_digest("a", {"bc"}));
}

TEST(DomainHasher, CanonicalBytesPartsEqualTheirText) {
  const CanonicalBytes doc = canonicalize_text(R"({"b":2,"a":1})");
  EXPECT_EQ(DomainHasher("t").part(doc).finish(), pack_digest("t", {R"({"a":1,"b":2})"}));
}

TEST(DomainHasher, RejectsEmptyTagsAndTagsWithNul) {
  for (const std::string_view tag : {std::string_view(), std::string_view("a\0b", 3), std::string_view("\0", 1)}) {
    try {
      DomainHasher hasher(tag);
      ADD_FAILURE() << "tag accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "digest.tag");
    }
  }
}

TEST(DomainHasher, FinishTwiceIsALogicError) {
  DomainHasher hasher("t");
  hasher.finish();
  EXPECT_THROW(hasher.finish(), std::logic_error);
}

}  // namespace
}  // namespace savm::runtime
