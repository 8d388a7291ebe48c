// The receipt fast path: corridor receipts produced from typed fields by the streaming MCF writer
// (runtime/canonical_writer.h), without a JSON tree (docs/design/receipt-fast-path.md).
//
// For every draft, the bytes are exactly those of the generic path:
//   seal()  → canonicalize(seal_receipt(draft.to Json).json())
//   sign()  → canonicalize(sign_document(that document, key, created))
// and next_root is compute_next_root of the same document. tests/runtime/receipt_producer_test.cpp
// checks this differentially over many drafts.
//
// How: the receipt is written once, without "next_root" and "proof" — which is the next_root
// payload of FORMATS.md (digest sets normalized while writing) — and hashed. "next_root" is then
// inserted at its sorted position (the sealed receipt); the sealed bytes are the signing payload;
// the proof object is written and inserted at its position (the signed receipt). Nothing is
// re-canonicalized. Like seal_receipt, the receipt keeps its digest sets as listed: when a draft
// lists a set out of order or with a repeated digest (normalization would change it), the
// receipt is written a second time with the sets as listed. Drafts with sorted, distinct sets —
// what a zone produces — are written once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/canonical_writer.h"
#include "runtime/digest.h"
#include "runtime/mcf.h"
#include "runtime/prefix_hasher.h"
#include "runtime/proof.h"

namespace savm::runtime {

// One digest-set entry: a plain digest (written as its hex string), or with `artifact_type` the
// ArtifactRef object {"digest_sha256", "artifact_type", "uri"?}.
struct DigestRef {
  Digest digest{};
  std::optional<std::string> artifact_type{};  // non-empty when present
  std::optional<std::string> uri{};            // only together with artifact_type
};

// An object embedded in a receipt (transition, zk, anchor): a Json value, or bytes that are
// canonical already — a zone's transition executor can write its transition with a
// CanonicalWriter and hand over the bytes, so no JSON tree is built per receipt.
using EmbeddedObject = std::variant<Json, CanonicalBytes>;

// A receipt before sealing: every field of FORMATS.md "Corridor receipts" except next_root and
// proof, which the producer computes. "type" is always MEZCorridorStateReceipt.
struct ReceiptDraft {
  std::string corridor_id;
  std::uint64_t sequence = 0;
  std::string timestamp;  // RFC 3339 date-time, any offset (written in UTC seconds, as MCF does)
  Digest prev_root;
  std::vector<DigestRef> lawpack_digest_set;  // any order, repeats allowed (next_root normalizes)
  std::vector<DigestRef> ruleset_digest_set;
  std::optional<EmbeddedObject> transition;  // a JSON object when present
  std::optional<Digest> transition_type_registry_digest_sha256;
  std::optional<EmbeddedObject> zk;      // a JSON object when present
  std::optional<EmbeddedObject> anchor;  // a JSON object when present

  // From a receipt document without "next_root" and "proof": validate_receipt_shape's checks
  // and errors, plus "corridor.field" for next_root/proof present or the legacy "type" (read and
  // verified, never produced). Digest-set entries keep their form and order.
  static ReceiptDraft from_json(const Json& document);
};

// A date-time as given and as normalized, kept while the same text keeps coming.
struct DateTimeMemo {
  std::string given;
  std::string normalized;
  bool valid = false;
};

// Reusable: one producer per thread writes receipt after receipt into the same buffers.
class ReceiptProducer {
 public:
  // Validates the draft (the errors of validate_receipt_shape: "corridor.field",
  // "corridor.timestamp"; MCF errors for strings that are not UTF-8 or values MCF cannot hold),
  // writes it and computes next_root. Afterwards view()/bytes() are the sealed receipt.
  const Digest& seal(const ReceiptDraft& draft);

  // Adds the proof sign_document would add (`created` under the rules of proof_created) to the
  // sealed receipt. Afterwards view()/bytes() are the signed receipt. Call once per seal().
  void sign(JwsSigner& signer, std::string_view created);

  const Digest& next_root() const { return next_root_; }
  // The current document's canonical bytes; the view is valid until the next seal().
  std::string_view view() const { return writer_.view(); }
  CanonicalBytes bytes() const { return writer_.bytes(); }

 private:
  void write_embedded(const char* key, const std::optional<EmbeddedObject>& value, const char* path);
  void write_receipt(const ReceiptDraft& draft, bool normalize_sets);
  void write_proof_base(std::string_view created, std::string_view verification_method);
  void write_digest_set(const std::vector<DigestRef>& set, bool normalize);

  CanonicalWriter writer_;
  CanonicalWriter proof_;
  CanonicalWriter proof_base_;     // the proof without "jws", for proof_base_created_/_method_
  std::string proof_base_created_;  // "" until written (a normalized created is never empty)
  std::string proof_base_method_;
  std::vector<const DigestRef*> sorted_;  // write_digest_set's scratch
  DateTimeMemo timestamp_;                // the drafts' timestamp, in UTC seconds as written
  DateTimeMemo created_;                  // sign()'s `created`, as proof_created gives it
  PrefixHasher payload_hasher_;           // next_root: a corridor's receipts share leading blocks
  Digest next_root_;
  bool sealed_ = false;
  bool signed_ = false;
};

}  // namespace savm::runtime
