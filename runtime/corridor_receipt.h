// MEZ corridor state receipts (FORMATS.md "Corridor receipts"; docs/formats.md "Corridor receipts
// and checkpoints"): the receipt shape, digest-set normalization, next_root and the genesis root.
//
// Receipts travel as JSON. A CorridorReceipt is a receipt document that passed shape validation,
// so chain code can read its sequence and roots without re-checking them. Validation is stricter
// than the MEZ stack's serde structs in one way on purpose: unknown fields (and unknown keys in
// digest-set entries) are rejected rather than silently dropped, because a field the receipt
// carries but next_root would not commit to is a place to hide a change.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/digest.h"
#include "runtime/mcf.h"

namespace savm::runtime {

inline constexpr std::string_view kReceiptType = "MEZCorridorStateReceipt";
// Receipts of older MEZ releases; read and verified, never produced.
inline constexpr std::string_view kLegacyReceiptType = "MSEZCorridorStateReceipt";
inline constexpr std::string_view kGenesisTag = "msez.corridor.state.genesis.v1";

// The MEZ digest-set normalization, on JSON values exactly as the MEZ stack applies it: keep the
// entries that carry a digest (a string, or an object whose "digest_sha256" is a string), sort
// them by that digest string (stable), drop later entries whose digest repeats an earlier one.
// Entries keep their form (string or object). A non-array is returned unchanged.
Json normalize_digest_set(const Json& set);

// The digest an entry commits to: the string itself, or the object's "digest_sha256"; "" if none.
std::string_view digest_set_key(const Json& entry);

// A shape-checked receipt document. Errors (thrown as Error) name the JSON path:
//   "corridor.field"     not an object, a missing/unknown/null field, a wrong JSON type, a bad value
//   "corridor.hex"       a root or digest that is not 64 lowercase hex digits
//   "corridor.timestamp" "timestamp" is not an RFC 3339 date-time
class CorridorReceipt {
 public:
  static CorridorReceipt from_json(Json document);
  // Parses one receipt from JSON text (MCF input rules, then the shape above).
  static CorridorReceipt parse(std::string_view text);

  const Json& json() const { return json_; }
  const std::string& corridor_id() const { return corridor_id_; }
  std::uint64_t sequence() const { return sequence_; }
  const Digest& prev_root() const { return prev_root_; }
  const Digest& next_root() const { return next_root_; }
  bool has_proof() const { return json_.contains("proof"); }
  // next_root recomputed from this (already validated) document.
  Digest recompute_next_root() const;

 private:
  friend CorridorReceipt seal_receipt(Json receipt);
  CorridorReceipt() = default;
  Json json_;
  std::string corridor_id_;
  std::uint64_t sequence_ = 0;
  Digest prev_root_;
  Digest next_root_;
};

// Checks every field rule above except that "next_root" may be absent (a receipt being built).
void validate_receipt_shape(const Json& document);

// The MCF payload next_root commits to: the receipt without "proof" and "next_root", both digest
// sets normalized. Validates the shape first (next_root optional).
CanonicalBytes next_root_payload(const Json& receipt);

// next_root = SHA-256(next_root_payload(receipt)).
Digest compute_next_root(const Json& receipt);

// Fills in next_root (replacing any value) and returns the validated receipt.
CorridorReceipt seal_receipt(Json receipt);

// The inputs of a corridor's genesis root.
struct CorridorGenesis {
  std::string corridor_id;
  Digest definition_payload_sha256;
  Digest agreement_set_sha256;
  Json lawpack_digest_set = Json::array();
  Json ruleset_digest_set = Json::array();

  // Reads {corridor_id, definition_payload_sha256, agreement_set_sha256, lawpack_digest_set,
  // ruleset_digest_set}; the same field errors as receipts ("corridor.field", "corridor.hex").
  static CorridorGenesis from_json(const Json& document);

  // SHA-256(MCF({"tag": kGenesisTag, corridor_id, definition_payload_sha256,
  // agreement_set_sha256, lawpack_digest_set, ruleset_digest_set})), the digest sets normalized as
  // in receipts (the spec treats them as sets).
  Digest root() const;
};

}  // namespace savm::runtime
