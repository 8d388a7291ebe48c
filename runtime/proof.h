// Signed documents: the MEZ proof object (FORMATS.md "Signatures"; docs/formats.md "Keys and
// proofs").
//
//   "proof": {"type": "MezEd25519Signature2025", "created": "<RFC 3339>",
//             "verificationMethod": "savm:ed25519:<public key hex>",
//             "proofPurpose": "assertionMethod", "jws": "<header>..<signature>"}
//
// The signed payload is the canonical bytes (MCF) of the document without its "proof" member.
// "jws" is an RFC 7515 compact JWS with a detached, unencoded payload (RFC 7797): the protected
// header is {"alg":"EdDSA","b64":false,"crit":["b64"]} in base64url without padding, and the
// Ed25519 signature covers ASCII(header) ‖ "." ‖ payload bytes.
// As in the MEZ shape, the proof object itself (including "created") is not signed; "created"
// is the signer's claim, supplied by the caller and never read from the clock.
// Several signers each add a proof over the same payload; "proof" is then an array.
//
// verify_document checks signatures only. Whether a verified key is AUTHORIZED to sign (a
// corridor party, a regulator) is the caller's decision, made on the returned keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/canonical_writer.h"
#include "runtime/ed25519_signer.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"

namespace savm::runtime {

inline constexpr std::string_view kProofType = "MezEd25519Signature2025";
inline constexpr std::string_view kProofPurpose = "assertionMethod";
inline constexpr std::string_view kVerificationMethodPrefix = "savm:ed25519:";

// "savm:ed25519:<64 lowercase hex>".
std::string verification_method(const PublicKey& key);
// Inverse of verification_method; throws Error "proof.malformed" for anything else.
PublicKey parse_verification_method(std::string_view text);

// The canonical bytes a proof covers: the document without "proof". Throws Error
// "proof.document" if `document` is not a JSON object, MCF errors if it is not canonicalizable.
CanonicalBytes proof_payload(const Json& document);

// A proof's "created": an RFC 3339 date-time normalized to UTC seconds, as MCF would store it.
// Throws Error "proof.created" for anything else.
std::string proof_created(std::string_view created);

// Signs one payload after another with one key, through an Ed25519Signer (runtime/ed25519_signer.h):
// the signing input (encoded header ‖ "." ‖ payload) is hashed in place, never assembled, and a
// run of payloads that begin alike is signed for less. sign_document signs through this too, so
// both give the same "jws" for the same key and payload. One per thread, like its Ed25519Signer.
class JwsSigner {
 public:
  // The key must outlive the signer.
  explicit JwsSigner(const KeyPair& key);
  const std::string& verification_method() const { return verification_method_; }
  // The compact detached JWS "<header>..<signature>"; valid until the next call.
  const std::string& jws(const CanonicalBytes& payload);
  // The same for a writer's finished document (std::logic_error if unfinished), without a copy.
  const std::string& jws(const CanonicalWriter& payload);

 private:
  const std::string& sign_payload(std::string_view canonical);

  Ed25519Signer signer_;
  std::string verification_method_;
  std::string jws_;
};

// The proof object: {"created", "jws", "proofPurpose", "type", "verificationMethod"}. `created`
// as proof_created gives it. sign_document adds this tree.
Json proof_object(std::string_view created, std::string_view verification_method, std::string_view jws);
// The same object written into `out` (reset first), as ExecutionReceiptWriter::sign inserts it;
// without "jws" when `jws` is empty: the base ReceiptProducer inserts each jws into.
void write_proof_object(CanonicalWriter& out, std::string_view created, std::string_view verification_method,
                        std::string_view jws);

// Adds a proof by `key`. `created` must be an RFC 3339 date-time (stored normalized to UTC
// seconds, as MCF would) else Error "proof.created". An unsigned document gets one proof object;
// a signed one gets its proofs turned into / extended as an array. Existing proofs are kept as
// they are (not re-checked).
Json sign_document(Json document, const KeyPair& key, std::string_view created);

struct ProofCheck {
  std::size_t index = 0;                // position in the proof array (0 for a single object)
  std::optional<PublicKey> signer;      // when verificationMethod parsed
  std::string created;                  // as found, "" if absent or not a string
  std::string failure;                  // "" if verified, else "proof.malformed" / "proof.signature"
  std::string detail;                   // why, for a person
  bool verified() const { return failure.empty(); }
};

struct DocumentVerification {
  std::vector<ProofCheck> proofs;  // one per proof found, in document order
  std::string failure;             // "proof.missing" when the document carries no proof
  // True only if there is at least one proof and every proof verified.
  bool verified() const;
};

// Throws Error "proof.document" if `document` is not a JSON object (bad input); every problem
// with the proofs themselves is reported in the result, never thrown.
DocumentVerification verify_document(const Json& document);

}  // namespace savm::runtime
