// The receipt fast path (runtime/receipt_producer.h) against the generic path as oracle: for many
// generated drafts, the sealed bytes equal canonicalize(seal_receipt(json)), next_root equals
// compute_next_root, and the signed bytes equal canonicalize(sign_document(...)) for the same key
// and created. Plus the published next_root vector, signature verification and bad drafts.
#include "runtime/receipt_producer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "runtime/corridor_receipt.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/proof.h"
#include "tests/error_code.h"

namespace savm::runtime {
namespace {

using testing::error_code;

// The draft as the JSON document the generic path takes: written out field by field here, not
// by the code under test.
Json digest_set_json(const std::vector<DigestRef>& set) {
  Json out = Json::array();
  for (const DigestRef& entry : set) {
    if (!entry.artifact_type) {
      out.push_back(entry.digest.hex());
      continue;
    }
    Json object = {{"digest_sha256", entry.digest.hex()}, {"artifact_type", *entry.artifact_type}};
    if (entry.uri) object["uri"] = *entry.uri;
    out.push_back(object);
  }
  return out;
}

Json json_of(const EmbeddedObject& value) {
  if (const auto* json = std::get_if<Json>(&value)) return *json;
  return parse_json(std::get<CanonicalBytes>(value).view());
}

Json document_of(const ReceiptDraft& d) {
  Json doc = {{"type", "MEZCorridorStateReceipt"},
              {"corridor_id", d.corridor_id},
              {"sequence", d.sequence},
              {"timestamp", d.timestamp},
              {"prev_root", d.prev_root.hex()},
              {"lawpack_digest_set", digest_set_json(d.lawpack_digest_set)},
              {"ruleset_digest_set", digest_set_json(d.ruleset_digest_set)}};
  if (d.transition) doc["transition"] = json_of(*d.transition);
  if (d.transition_type_registry_digest_sha256) {
    doc["transition_type_registry_digest_sha256"] = d.transition_type_registry_digest_sha256->hex();
  }
  if (d.zk) doc["zk"] = json_of(*d.zk);
  if (d.anchor) doc["anchor"] = json_of(*d.anchor);
  return doc;
}

const std::array<std::uint8_t, 32> kSeed = [] {
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return seed;
}();

// Deterministic generator of drafts covering the cases the byte-identity argument relies on.
class DraftGenerator {
 public:
  explicit DraftGenerator(std::uint64_t seed) : rng_(seed) {}

  ReceiptDraft next() {
    ReceiptDraft d;
    d.corridor_id = pick(kTexts, 1);  // never the empty string
    d.sequence = pick_sequence();
    d.timestamp = pick(kTimestamps);
    d.prev_root = digest();
    d.lawpack_digest_set = digest_set();
    d.ruleset_digest_set = digest_set();
    if (coin()) d.transition = embedded(3);
    if (coin()) d.transition_type_registry_digest_sha256 = digest();
    if (below(4) == 0) d.zk = embedded(2);
    if (below(4) == 0) d.anchor = embedded(2);
    return d;
  }

 private:
  static inline const std::vector<std::string> kTexts = {
      "", "pk-sifc--ae-difc.trade.v1", "quote\" back\\slash", "ctl\b\f\n\r\t\x01\x1f", "del\x7f",
      "Zürich–Dubai", "東京", "\xF0\x9F\x98\x80 emoji", "2026-03-01T14:00:00+05:00",
      "2026-03-01t14:00:00.123z", "2026-03-01", "1999-12-31 23:59:60Z", "uri://x/y?z=1"};
  static inline const std::vector<std::string> kTimestamps = {
      "2026-01-15T12:00:00Z", "2026-03-01T14:00:00+05:00", "2026-03-01T00:30:00.999999-01:00",
      "2024-02-29t23:59:59z", "2026-12-31 23:59:60+00:00", "1970-01-01T00:00:00Z"};

  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  bool coin() { return below(2) == 0; }
  const std::string& pick(const std::vector<std::string>& from, std::size_t skip = 0) {
    return from[skip + below(from.size() - skip)];
  }
  std::uint64_t pick_sequence() {
    switch (below(4)) {
      case 0: return 0;
      case 1: return std::numeric_limits<std::uint64_t>::max();
      default: return rng_() >> below(64);
    }
  }
  // From a small pool, so that sets often repeat a digest (de-duplication).
  Digest digest() {
    Digest::Bytes bytes{};
    const std::size_t which = below(12);
    bytes[0] = static_cast<std::uint8_t>(which * 0x15);
    bytes[31] = static_cast<std::uint8_t>(which);
    return Digest(bytes);
  }
  std::vector<DigestRef> digest_set() {
    const std::size_t size = below(8) == 0 ? 40 + below(40) : below(6);  // empty, small, large
    std::vector<DigestRef> set;
    for (std::size_t i = 0; i < size; ++i) {
      DigestRef ref{.digest = digest()};
      if (coin()) {
        ref.artifact_type = pick(kTexts, 1);
        if (coin()) ref.uri = pick(kTexts);
      }
      set.push_back(ref);
    }
    // Half the sets arrive sorted and distinct, as a zone lists them (one write in the producer).
    if (coin()) {
      std::stable_sort(set.begin(), set.end(), [](const DigestRef& a, const DigestRef& b) { return a.digest < b.digest; });
      set.erase(std::unique(set.begin(), set.end(), [](const DigestRef& a, const DigestRef& b) { return a.digest == b.digest; }),
                set.end());
    }
    return set;
  }
  Json scalar() {
    switch (below(7)) {
      case 0: return nullptr;
      case 1: return coin();
      case 2: return std::numeric_limits<std::int64_t>::min() + static_cast<std::int64_t>(below(3));
      case 3: return std::numeric_limits<std::uint64_t>::max() - below(3);
      case 4: return -static_cast<std::int64_t>(below(1000));
      default: return pick(kTexts);
    }
  }
  // Either form: a Json tree, or its canonical bytes as a typed transition writer would give them.
  EmbeddedObject embedded(int depth) {
    Json json = object(depth);
    if (coin()) return json;
    return canonicalize(json);
  }
  Json object(int depth) {
    Json out = Json::object();
    const std::size_t members = below(5);
    for (std::size_t i = 0; i < members; ++i) out[pick(kTexts) + std::to_string(below(3))] = value(depth - 1);
    return out;
  }
  Json value(int depth) {
    if (depth <= 0 || below(3) == 0) return scalar();
    if (coin()) return object(depth);
    Json array = Json::array();
    for (std::size_t i = below(4); i > 0; --i) array.push_back(value(depth - 1));
    return array;
  }

  std::mt19937_64 rng_;
};

TEST(ReceiptProducer, PublishedNextRootVector) {
  // docs/formats.md "next_root": the MEZ receipt-like object with "type" added.
  ReceiptDraft d;
  d.corridor_id = "test-corridor-001";
  d.sequence = 0;
  d.timestamp = "2026-01-15T12:00:00Z";
  d.prev_root = Digest();
  d.lawpack_digest_set = {{.digest = *Digest::from_hex("aaaa" + std::string(60, '0'))}};
  d.ruleset_digest_set = {{.digest = *Digest::from_hex("bbbb" + std::string(60, '0'))}};
  ReceiptProducer producer;
  EXPECT_EQ(producer.seal(d).hex(), "e6a45647d489d5f4ceb52bf233f31acdc22ebb1308bff87e1ac186479ce7ffc8");
  EXPECT_EQ(producer.view(),
            R"({"corridor_id":"test-corridor-001","lawpack_digest_set":["aaaa)" + std::string(60, '0') +
                R"("],"next_root":"e6a45647d489d5f4ceb52bf233f31acdc22ebb1308bff87e1ac186479ce7ffc8","prev_root":")" +
                std::string(64, '0') + R"(","ruleset_digest_set":["bbbb)" + std::string(60, '0') +
                R"("],"sequence":0,"timestamp":"2026-01-15T12:00:00Z","type":"MEZCorridorStateReceipt"})");
}

TEST(ReceiptProducer, SealedBytesEqualTheGenericPath) {
  DraftGenerator generator(20260301);
  ReceiptProducer producer;  // reused across drafts, as in production
  for (int i = 0; i < 1500; ++i) {
    const ReceiptDraft d = generator.next();
    const Json document = document_of(d);
    const CorridorReceipt generic = seal_receipt(document);
    ASSERT_EQ(producer.seal(d), generic.next_root()) << i << ": " << document.dump();
    ASSERT_EQ(producer.next_root(), compute_next_root(document)) << i;
    ASSERT_EQ(producer.view(), canonicalize(generic.json()).str()) << i << ": " << document.dump();
    // The sealed bytes read back as a receipt whose next_root recomputes.
    ASSERT_EQ(CorridorReceipt::parse(producer.view()).recompute_next_root(), producer.next_root()) << i;
  }
}

TEST(ReceiptProducer, SignedBytesEqualSignDocumentAndVerify) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  JwsSigner signer(key);
  DraftGenerator generator(7);
  ReceiptProducer producer;
  const std::vector<std::string> created = {"2026-03-01T09:00:00Z", "2026-03-01T14:00:00.5+05:00",
                                            "2026-03-01t09:00:00z"};
  for (int i = 0; i < 200; ++i) {
    const ReceiptDraft d = generator.next();
    const std::string& when = created[static_cast<std::size_t>(i) % created.size()];
    producer.seal(d);
    producer.sign(signer, when);
    const Json expected = sign_document(seal_receipt(document_of(d)).json(), key, when);
    ASSERT_EQ(producer.view(), canonicalize(expected).str()) << i;
    const Json signed_receipt = parse_json(producer.view());
    ASSERT_TRUE(verify_document(signed_receipt).verified()) << i;
    ASSERT_EQ(CorridorReceipt::from_json(signed_receipt).next_root(), producer.next_root()) << i;
  }
}

// The proof's members other than "jws" are kept between signatures: a change of key or of
// `created` (and back) must show in the next proof.
TEST(ReceiptProducer, EachProofHasTheKeyAndCreatedOfItsCall) {
  std::array<std::uint8_t, 32> other_seed{};
  other_seed.fill(0x17);
  const KeyPair first = KeyPair::from_seed(kSeed), second = KeyPair::from_seed(other_seed);
  JwsSigner first_signer(first), second_signer(second);
  DraftGenerator generator(11);
  ReceiptProducer producer;
  const char* created[] = {"2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"};
  for (int i = 0; i < 12; ++i) {
    const bool use_second = i % 3 == 1;
    const char* when = created[i % 4 < 2 ? 0 : 1];
    const ReceiptDraft d = generator.next();
    producer.seal(d);
    producer.sign(use_second ? second_signer : first_signer, when);
    const Json expected = sign_document(seal_receipt(document_of(d)).json(), use_second ? second : first, when);
    ASSERT_EQ(producer.view(), canonicalize(expected).str()) << i;
  }
}

TEST(ReceiptProducer, ATamperedSignedReceiptFailsVerification) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  JwsSigner signer(key);
  ReceiptProducer producer;
  producer.seal(DraftGenerator(1).next());
  producer.sign(signer, "2026-03-01T09:00:00Z");
  Json receipt = parse_json(producer.view());
  receipt["sequence"] = receipt["sequence"].get<std::uint64_t>() ^ 1U;
  const DocumentVerification result = verify_document(receipt);
  ASSERT_EQ(result.proofs.size(), 1U);
  EXPECT_EQ(result.proofs[0].failure, "proof.signature");
}

TEST(ReceiptProducer, SignOnlyOnceAfterEachSeal) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  JwsSigner signer(key);
  ReceiptProducer producer;
  EXPECT_THROW(producer.sign(signer, "2026-03-01T09:00:00Z"), std::logic_error);
  producer.seal(DraftGenerator(2).next());
  EXPECT_EQ(error_code([&] { producer.sign(signer, "yesterday"); }), "proof.created");
  producer.sign(signer, "2026-03-01T09:00:00Z");
  EXPECT_THROW(producer.sign(signer, "2026-03-01T09:00:00Z"), std::logic_error);
}

TEST(ReceiptProducer, FromJsonRoundTrip) {
  DraftGenerator generator(99);
  ReceiptProducer direct, via_json;
  for (int i = 0; i < 200; ++i) {
    const ReceiptDraft d = generator.next();
    direct.seal(d);
    via_json.seal(ReceiptDraft::from_json(document_of(d)));
    ASSERT_EQ(direct.view(), via_json.view()) << i;
  }
}

TEST(ReceiptProducer, FromJsonRejectsWhatItMustNotProduce) {
  Json document = document_of(DraftGenerator(3).next());
  Json with_next_root = document;
  with_next_root["next_root"] = std::string(64, '1');
  EXPECT_EQ(error_code([&] { ReceiptDraft::from_json(with_next_root); }), "corridor.field");
  Json with_proof = document;
  with_proof["proof"] = Json::object();
  EXPECT_EQ(error_code([&] { ReceiptDraft::from_json(with_proof); }), "corridor.field");
  Json legacy = document;
  legacy["type"] = "MSEZCorridorStateReceipt";
  EXPECT_EQ(error_code([&] { ReceiptDraft::from_json(legacy); }), "corridor.field");
  Json upper = document;
  upper["prev_root"] = std::string(64, 'A');
  EXPECT_EQ(error_code([&] { ReceiptDraft::from_json(upper); }), "corridor.hex");
}

// Every bad draft fails with the code the generic path gives for its JSON form.
TEST(ReceiptProducer, BadDraftsFailLikeTheGenericPath) {
  const ReceiptDraft good = DraftGenerator(5).next();
  std::vector<ReceiptDraft> bad;
  bad.push_back(good), bad.back().corridor_id = "";
  bad.push_back(good), bad.back().corridor_id = "bad\xC3";
  bad.push_back(good), bad.back().timestamp = "2026-03-01";
  bad.push_back(good), bad.back().timestamp = "2026-02-30T00:00:00Z";
  bad.push_back(good), bad.back().transition = Json::array();
  bad.push_back(good), bad.back().zk = "text";
  bad.push_back(good), bad.back().anchor = Json{{"rate", 0.5}};
  bad.push_back(good), bad.back().transition = Json{{"k", "\xFF"}};
  bad.push_back(good), bad.back().lawpack_digest_set = {{.digest = Digest(), .artifact_type = ""}};
  bad.push_back(good), bad.back().ruleset_digest_set = {{.digest = Digest(), .artifact_type = "x\xC0"}};
  // 1 (receipt) + 64 (transition and below) containers: one past the default limit.
  Json deep = Json::object();
  for (int i = 0; i < 63; ++i) deep = Json{{"d", deep}};
  bad.push_back(good), bad.back().transition = deep;
  bad.push_back(good), bad.back().transition = canonicalize(Json{{"d", deep}}, JsonLimits{.max_depth = 100});
  bad.push_back(good), bad.back().anchor = canonicalize(Json::array({"{"}));
  bad.push_back(good), bad.back().zk = canonicalize(Json("{not an object"));
  ReceiptProducer producer;
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const std::string generic = error_code([&] { (void)seal_receipt(document_of(bad[i])); });
    ASSERT_NE(generic, "no error") << i;
    EXPECT_EQ(error_code([&] { producer.seal(bad[i]); }), generic) << i;
  }
  // One level less is accepted by both.
  ReceiptDraft deepest = good;
  deepest.transition = deep["d"];
  EXPECT_EQ(producer.seal(deepest), seal_receipt(document_of(deepest)).next_root());
  deepest.transition = canonicalize(deep["d"]);
  EXPECT_EQ(producer.seal(deepest), seal_receipt(document_of(deepest)).next_root());
  // A uri without an ArtifactRef has no JSON form at all.
  ReceiptDraft stray_uri = good;
  stray_uri.lawpack_digest_set = {{.digest = Digest(), .uri = "x"}};
  EXPECT_EQ(error_code([&] { producer.seal(stray_uri); }), "corridor.field");
}

}  // namespace
}  // namespace savm::runtime
