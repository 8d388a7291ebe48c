#include "runtime/proof.h"

#include <sodium.h>

#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/base64url.h"
#include "runtime/datetime.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

// RFC 7797 §3: "b64":false makes the payload unencoded, and "crit" forces a verifier that does
// not understand that to reject the JWS rather than check the wrong bytes.
constexpr std::string_view kJwsHeader = R"({"alg":"EdDSA","b64":false,"crit":["b64"]})";
constexpr int kBase64Url = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string base64url(std::string_view bytes) {
  std::string out;
  append_base64url(out, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  return out;
}

// Strict base64url without padding; libsodium also rejects non-zero trailing bits, so each byte
// string has exactly one encoding. nullopt on any error.
std::optional<std::string> unbase64url(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 1, '\0');
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &written, &end, kBase64Url) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

const std::string& encoded_header() {
  static const std::string header = base64url(kJwsHeader);
  return header;
}

// What the signature covers before the payload: the encoded header and the "." after it.
const std::string& signing_framing() {
  static const std::string framing = encoded_header() + ".";
  return framing;
}

struct ProofFailure {
  std::string code;
  std::string detail;
};

[[noreturn]] void malformed(std::string detail) { throw ProofFailure{"proof.malformed", std::move(detail)}; }

const std::string& text_member(const Json& proof, const char* name) {
  const auto it = proof.find(name);
  if (it == proof.end()) malformed(std::string("missing \"") + name + "\"");
  if (!it->is_string()) malformed(std::string("\"") + name + "\" must be a string");
  return it->get_ref<const std::string&>();
}

// The protected header must say exactly what we sign with; anything else is another scheme.
void check_header(std::string_view encoded) {
  const auto bytes = unbase64url(encoded);
  if (!bytes) malformed("jws header is not base64url");
  Json header;
  try {
    header = parse_json(*bytes);  // strict: a duplicate "alg" cannot hide behind another
  } catch (const Error& e) {
    malformed(std::string("jws header: ") + e.what());
  }
  if (!header.is_object()) malformed("jws header is not a JSON object");
  if (header.size() != 3 || header.value("alg", Json()) != "EdDSA" || header.value("b64", Json()) != false ||
      header.value("crit", Json()) != Json::array({"b64"})) {
    malformed("jws header must be {\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"]}");
  }
}

void check_proof(const Json& proof, const CanonicalBytes& payload, ProofCheck& check) {
  if (!proof.is_object()) malformed("a proof must be a JSON object");
  for (const auto& [name, value] : proof.items()) {
    if (name != "type" && name != "created" && name != "verificationMethod" && name != "proofPurpose" && name != "jws")
      malformed("unknown field \"" + name + "\"");
  }
  check.created = text_member(proof, "created");
  if (text_member(proof, "type") != kProofType) malformed("\"type\" must be \"" + std::string(kProofType) + "\"");
  if (text_member(proof, "proofPurpose") != kProofPurpose)
    malformed("\"proofPurpose\" must be \"" + std::string(kProofPurpose) + "\"");
  try {
    check.signer = parse_verification_method(text_member(proof, "verificationMethod"));
  } catch (const Error& e) {
    malformed(e.what());
  }
  const std::string& jws = text_member(proof, "jws");
  const std::size_t dots = jws.find("..");
  if (dots == std::string::npos || jws.find('.', dots + 2) != std::string::npos ||
      jws.find('.') != dots) {
    malformed("jws must be \"<header>..<signature>\" (detached payload)");
  }
  const std::string_view header(jws.data(), dots);
  check_header(header);
  const auto signature = unbase64url(std::string_view(jws).substr(dots + 2));
  if (!signature || signature->size() != Signature::kSize) malformed("jws signature is not 64 base64url bytes");
  Signature::Bytes sig{};
  std::copy(signature->begin(), signature->end(), reinterpret_cast<char*>(sig.data()));
  // The signing input uses the header exactly as transmitted (RFC 7515 §5.2).
  if (!verify(*check.signer, std::string(header) + ".", payload, Signature(sig)))
    throw ProofFailure{"proof.signature", "the signature does not verify for this document and key"};
}

}  // namespace

std::string verification_method(const PublicKey& key) { return std::string(kVerificationMethodPrefix) + key.hex(); }

PublicKey parse_verification_method(std::string_view text) {
  if (!text.starts_with(kVerificationMethodPrefix))
    throw Error("proof.malformed", "verificationMethod must start with \"" + std::string(kVerificationMethodPrefix) + "\"");
  const std::string_view hex = text.substr(kVerificationMethodPrefix.size());
  for (const char c : hex) {
    if ((c < '0' || c > '9') && (c < 'a' || c > 'f'))
      throw Error("proof.malformed", "verificationMethod key must be 64 lowercase hex digits");
  }
  try {
    return PublicKey::from_hex(hex);
  } catch (const Error& e) {
    throw Error("proof.malformed", std::string("verificationMethod: ") + e.what());
  }
}

CanonicalBytes proof_payload(const Json& document) {
  if (!document.is_object()) throw Error("proof.document", "only a JSON object can carry a proof");
  Json unsigned_document = document;
  unsigned_document.erase("proof");
  return canonicalize(unsigned_document);
}

std::string proof_created(std::string_view created) {
  std::string when = normalize_datetime(created);
  // normalize_datetime gives every RFC 3339 date-time this shape and leaves anything else as is.
  if (!is_utc_seconds_shape(when))
    throw Error("proof.created", "created must be an RFC 3339 date-time, got \"" + std::string(created) + "\"");
  return when;
}

JwsSigner::JwsSigner(const KeyPair& key)
    : signer_(key), verification_method_(runtime::verification_method(key.public_key())) {}

const std::string& JwsSigner::jws(const CanonicalBytes& payload) { return sign_payload(payload.view()); }

const std::string& JwsSigner::jws(const CanonicalWriter& payload) {
  if (!payload.complete()) throw std::logic_error("JwsSigner: the payload document is not finished");
  return sign_payload(payload.view());
}

// `canonical` comes only from the two canonical sources above.
const std::string& JwsSigner::sign_payload(std::string_view canonical) {
  const Signature signature = signer_.sign(signing_framing(), canonical);
  jws_.assign(encoded_header());
  jws_ += "..";
  append_base64url(jws_, signature.bytes());
  return jws_;
}

Json proof_object(std::string_view created, std::string_view verification_method, std::string_view jws) {
  return Json{{"type", kProofType},
              {"created", created},
              {"verificationMethod", verification_method},
              {"proofPurpose", kProofPurpose},
              {"jws", jws}};
}

void write_proof_object(CanonicalWriter& out, std::string_view created, std::string_view verification_method,
                        std::string_view jws) {
  out.reset();
  out.begin_object();  // members in canonical order
  out.key("created");
  out.string(created);
  if (!jws.empty()) {
    out.key("jws");
    out.string(jws);
  }
  out.key("proofPurpose");
  out.string(kProofPurpose);
  out.key("type");
  out.string(kProofType);
  out.key("verificationMethod");
  out.string(verification_method);
  out.end_object();
}

Json sign_document(Json document, const KeyPair& key, std::string_view created) {
  const std::string when = proof_created(created);
  const CanonicalBytes payload = proof_payload(document);
  JwsSigner signer(key);
  Json proof = proof_object(when, signer.verification_method(), signer.jws(payload));
  auto existing = document.find("proof");
  if (existing == document.end()) {
    document["proof"] = std::move(proof);
  } else if (existing->is_object()) {
    *existing = Json::array({std::move(*existing), std::move(proof)});
  } else if (existing->is_array()) {
    existing->push_back(std::move(proof));
  } else {
    throw Error("proof.malformed", "the document's \"proof\" is neither an object nor an array");
  }
  return document;
}

bool DocumentVerification::verified() const {
  if (!failure.empty() || proofs.empty()) return false;
  for (const ProofCheck& check : proofs)
    if (!check.verified()) return false;
  return true;
}

DocumentVerification verify_document(const Json& document) {
  const CanonicalBytes payload = proof_payload(document);
  DocumentVerification result;
  const auto proof = document.find("proof");
  if (proof == document.end() || (proof->is_array() && proof->empty())) {
    result.failure = "proof.missing";
    return result;
  }
  const bool many = proof->is_array();
  const std::size_t count = many ? proof->size() : 1;
  for (std::size_t i = 0; i < count; ++i) {
    ProofCheck check;
    check.index = i;
    try {
      check_proof(many ? (*proof)[i] : *proof, payload, check);
    } catch (const ProofFailure& failure) {
      check.failure = failure.code;
      check.detail = failure.detail;
    }
    result.proofs.push_back(std::move(check));
  }
  return result;
}

}  // namespace savm::runtime
