#include "runtime/proof.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

KeyPair key_from(std::uint8_t fill) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(fill);
  return KeyPair::from_seed(seed);
}

KeyPair rfc8032_test1_key() {
  // RFC 8032 §7.1 TEST 1 secret key.
  const std::array<std::uint8_t, 32> seed = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                             0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                             0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
  return KeyPair::from_seed(seed);
}

Json receipt() {
  return parse_json(R"({"type":"MEZCorridorStateReceipt","corridor_id":"pk-ae","sequence":3,
                        "timestamp":"2026-01-15T17:00:00+05:00","amount":"100.50",
                        "lawpack_digest_set":["aa"],"nested":{"x":[1,2,{"y":"z"}]}})");
}

constexpr std::string_view kCreated = "2026-01-15T12:00:00Z";

// An independent oracle: this JWS was produced with Python's `cryptography` (OpenSSL Ed25519)
// from the RFC 8032 TEST 1 key over base64url(header) ‖ "." ‖ the canonical bytes
// {"amount":"100.50","corridor_id":"pk-ae","sequence":3}.
TEST(Proof, JwsMatchesIndependentImplementation) {
  const Json doc = parse_json(R"({"sequence":3,"corridor_id":"pk-ae","amount":"100.50"})");
  const Json signed_doc = sign_document(doc, rfc8032_test1_key(), kCreated);
  const Json& proof = signed_doc["proof"];
  EXPECT_EQ(proof["jws"],
            "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..6cdwmtXJS6dpuz-alZrGRJCuUI_jm1Rhjv1InPZjbd-"
            "eYmOREElZJl0594Hokwb_5GTLdwBkMhHgyqIGxEQ9DA");
  EXPECT_EQ(proof["type"], "MezEd25519Signature2025");
  EXPECT_EQ(proof["proofPurpose"], "assertionMethod");
  EXPECT_EQ(proof["created"], kCreated);
  EXPECT_EQ(proof["verificationMethod"], "savm:ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(proof.size(), 5u);
}

TEST(Proof, SignVerifyRoundTrip) {
  const KeyPair key = key_from(7);
  const Json signed_doc = sign_document(receipt(), key, "2026-01-15T17:30:00.999+05:00");
  EXPECT_EQ(signed_doc["proof"]["created"], "2026-01-15T12:30:00Z");  // normalized as MCF would
  const DocumentVerification result = verify_document(signed_doc);
  ASSERT_TRUE(result.verified());
  ASSERT_EQ(result.proofs.size(), 1u);
  EXPECT_EQ(result.proofs[0].signer, key.public_key());
  // The signed document survives a trip through canonical text.
  EXPECT_TRUE(verify_document(parse_json(canonicalize(signed_doc).str())).verified());
  // Key order and whitespace in the received text do not matter: the payload is canonical.
  Json reordered = parse_json(R"({"nested":{"x":[1,2,{"y":"z"}]},"amount":"100.50","sequence":3,
      "lawpack_digest_set":["aa"],"corridor_id":"pk-ae","timestamp":"2026-01-15T12:00:00Z",
      "type":"MEZCorridorStateReceipt"})");
  reordered["proof"] = signed_doc["proof"];
  EXPECT_TRUE(verify_document(reordered).verified());
}

TEST(Proof, MultiParty) {
  const KeyPair a = key_from(1), b = key_from(2), c = key_from(3);
  Json doc = sign_document(receipt(), a, kCreated);
  doc = sign_document(doc, b, kCreated);
  ASSERT_TRUE(doc["proof"].is_array());
  doc = sign_document(doc, c, "2026-01-16T00:00:00Z");
  ASSERT_EQ(doc["proof"].size(), 3u);
  const DocumentVerification result = verify_document(doc);
  ASSERT_TRUE(result.verified());
  ASSERT_EQ(result.proofs.size(), 3u);
  EXPECT_EQ(result.proofs[0].signer, a.public_key());
  EXPECT_EQ(result.proofs[1].signer, b.public_key());
  EXPECT_EQ(result.proofs[2].signer, c.public_key());
  EXPECT_EQ(result.proofs[2].created, "2026-01-16T00:00:00Z");
  // One bad signature among good ones fails the document and is named.
  Json broken = doc;
  broken["proof"][1]["verificationMethod"] = verification_method(c.public_key());
  const DocumentVerification r2 = verify_document(broken);
  EXPECT_FALSE(r2.verified());
  EXPECT_TRUE(r2.proofs[0].verified());
  EXPECT_EQ(r2.proofs[1].failure, "proof.signature");
  EXPECT_TRUE(r2.proofs[2].verified());
}

// Changing any byte of any document field breaks every proof.
TEST(Proof, TamperingAnyFieldFails) {
  const Json signed_doc = sign_document(sign_document(receipt(), key_from(1), kCreated), key_from(2), kCreated);
  const std::string text = canonicalize(signed_doc).str();
  const std::size_t proof_at = text.find("\"proof\":");
  const std::size_t proof_end = text.find(']', proof_at) + 1;
  std::size_t tried = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i >= proof_at && i < proof_end) continue;  // the proofs themselves: see below
    std::string mutated = text;
    mutated[i] = mutated[i] == 'a' ? 'b' : 'a';
    Json doc;
    try {
      doc = parse_json(mutated);
    } catch (const Error&) {
      continue;  // not JSON any more: nothing to verify
    }
    if (doc == signed_doc) continue;  // the edit was a no-op on the value (cannot happen with these bytes)
    if (!doc.is_object() || !doc.contains("proof")) continue;
    ++tried;
    const DocumentVerification result = verify_document(doc);
    EXPECT_FALSE(result.verified()) << "byte " << i << ": " << mutated;
  }
  EXPECT_GT(tried, 50u);
}

TEST(Proof, TamperingTheProofFails) {
  const Json good = sign_document(receipt(), key_from(1), kCreated);
  const std::string jws = good["proof"]["jws"];
  for (std::size_t i = 0; i < jws.size(); ++i) {
    Json doc = good;
    std::string mutated = jws;
    mutated[i] = mutated[i] == 'A' ? 'B' : 'A';
    doc["proof"]["jws"] = mutated;
    const DocumentVerification r = verify_document(doc);
    EXPECT_FALSE(r.verified()) << i;
    ASSERT_EQ(r.proofs.size(), 1u);
    EXPECT_TRUE(r.proofs[0].failure == "proof.signature" || r.proofs[0].failure == "proof.malformed") << i;
  }
  const std::string method = good["proof"]["verificationMethod"];
  Json doc = good;
  doc["proof"]["verificationMethod"] = method.substr(0, method.size() - 1) + (method.back() == '0' ? "1" : "0");
  EXPECT_EQ(verify_document(doc).proofs[0].failure, "proof.signature");
  for (const auto& [field, value] : std::vector<std::pair<std::string, Json>>{
           {"type", "Ed25519Signature2020"}, {"proofPurpose", "authentication"}, {"jws", 5}, {"extra", "x"}}) {
    doc = good;
    doc["proof"][field] = value;
    EXPECT_EQ(verify_document(doc).proofs[0].failure, "proof.malformed") << field;
  }
  for (const char* field : {"type", "created", "verificationMethod", "proofPurpose", "jws"}) {
    doc = good;
    doc["proof"].erase(field);
    EXPECT_EQ(verify_document(doc).proofs[0].failure, "proof.malformed") << field;
  }
}

TEST(Proof, UnsignedDocumentsFail) {
  const DocumentVerification none = verify_document(receipt());
  EXPECT_FALSE(none.verified());
  EXPECT_EQ(none.failure, "proof.missing");
  Json stripped = sign_document(receipt(), key_from(1), kCreated);
  stripped.erase("proof");
  EXPECT_FALSE(verify_document(stripped).verified());
  stripped["proof"] = Json::array();
  EXPECT_EQ(verify_document(stripped).failure, "proof.missing");
  EXPECT_FALSE(verify_document(stripped).verified());
}

TEST(Proof, GarbageIsACleanError) {
  const Json good = sign_document(receipt(), key_from(1), kCreated);
  const std::string header = std::string(good["proof"]["jws"]).substr(0, std::string(good["proof"]["jws"]).find('.'));
  const std::string sig = std::string(good["proof"]["jws"]).substr(header.size() + 2);
  const std::vector<std::string> garbage = {
      "", ".", "..", "...", "a..b", header + ".", header + "..", header + ".." + sig + ".",
      header + ".payload." + sig,  // attached payload: not our form
      "eyJhbGciOiJub25lIn0.." + sig,  // {"alg":"none"}
      "eyJhbGciOiJFZERTQSJ9.." + sig,  // {"alg":"EdDSA"}: b64 payload, another signing input
      header + "==.." + sig, header + ".." + sig + "=", header + ".." + sig.substr(1), "\xff\xfe..\x01"};
  for (const std::string& jws : garbage) {
    Json doc = good;
    doc["proof"]["jws"] = jws;
    const DocumentVerification r = verify_document(doc);
    EXPECT_FALSE(r.verified()) << jws;
    EXPECT_EQ(r.proofs.at(0).failure, "proof.malformed") << jws;
    EXPECT_FALSE(r.proofs[0].detail.empty());
  }
  for (const Json& proof : {Json(5), Json("x"), Json(nullptr), Json::array({1, "x"})}) {
    Json doc = good;
    doc["proof"] = proof;
    const DocumentVerification r = verify_document(doc);
    EXPECT_FALSE(r.verified());
    for (const auto& check : r.proofs) EXPECT_EQ(check.failure, "proof.malformed");
  }
  for (const char* method : {"did:key:z6Mk", "savm:ed25519:", "savm:ed25519:D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A"}) {
    Json doc = good;
    doc["proof"]["verificationMethod"] = method;
    EXPECT_EQ(verify_document(doc).proofs[0].failure, "proof.malformed") << method;
  }
}

TEST(Proof, BadInputsThrow) {
  auto code = [](const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("none");
  };
  const KeyPair key = key_from(1);
  EXPECT_EQ(code([&] { verify_document(Json::array()); }), "proof.document");
  EXPECT_EQ(code([&] { sign_document(Json("x"), key, kCreated); }), "proof.document");
  EXPECT_EQ(code([&] { sign_document(receipt(), key, "yesterday"); }), "proof.created");
  EXPECT_EQ(code([&] { sign_document(receipt(), key, "2026-01-15"); }), "proof.created");
  EXPECT_EQ(code([&] { sign_document(receipt(), key, ""); }), "proof.created");
  Json bad = receipt();
  bad["proof"] = 5;
  EXPECT_EQ(code([&] { sign_document(bad, key, kCreated); }), "proof.malformed");
  EXPECT_EQ(code([&] { parse_verification_method("savm:ed25519:00"); }), "proof.malformed");
  EXPECT_EQ(parse_verification_method(verification_method(key.public_key())), key.public_key());
}

// The payload excludes "proof" and nothing else, so a signer's view and the verifier's agree.
TEST(Proof, PayloadIsTheDocumentWithoutProof) {
  const Json signed_doc = sign_document(receipt(), key_from(1), kCreated);
  EXPECT_EQ(proof_payload(signed_doc), canonicalize(receipt()));
  EXPECT_EQ(proof_payload(receipt()).str().find("proof"), std::string::npos);
}

}  // namespace
}  // namespace savm::runtime
