#include "runtime/corridor_receipt.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "runtime/corridor_fields.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

using corridor_fields::FieldChecker;

const FieldChecker kCheck{"corridor"};

void check_proof_container(const Json& proof, const std::string& path) {
  // The proof objects themselves are checked by signature verification (runtime/proof.h); here
  // only the container: one object, or a non-empty array of objects.
  if (proof.is_object()) return;
  if (proof.is_array() && !proof.empty() &&
      std::all_of(proof.begin(), proof.end(), [](const Json& p) { return p.is_object(); })) {
    return;
  }
  kCheck.fail("field", path, "expected a proof object or a non-empty array of proof objects");
}

void check_type(const Json& value) {
  if (!value.is_string() || (value.get_ref<const std::string&>() != kReceiptType &&
                             value.get_ref<const std::string&>() != kLegacyReceiptType)) {
    kCheck.fail("field", "$.type", "expected \"" + std::string(kReceiptType) + "\"");
  }
}

bool has_digest(const Json& entry) {
  if (entry.is_string()) return true;
  if (!entry.is_object()) return false;
  const auto it = entry.find("digest_sha256");
  return it != entry.end() && it->is_string();
}

bool is_normalized(const Json& set) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (!has_digest(set[i])) return false;
    if (i > 0 && !(digest_set_key(set[i - 1]) < digest_set_key(set[i]))) return false;
  }
  return true;
}

CanonicalBytes payload_of_valid(const Json& receipt) {
  // A receipt being sealed usually is its own payload: no proof, no next_root, sets in order.
  // Canonicalizing it directly saves a copy of the whole document.
  if (!receipt.contains("proof") && !receipt.contains("next_root") &&
      is_normalized(receipt["lawpack_digest_set"]) && is_normalized(receipt["ruleset_digest_set"])) {
    return canonicalize(receipt);
  }
  // Built member by member so the proof (often the largest member) is never copied.
  Json payload = Json::object();
  for (const auto& [key, value] : receipt.items()) {
    if (key == "proof" || key == "next_root") continue;
    const bool digest_set = key == "lawpack_digest_set" || key == "ruleset_digest_set";
    payload.emplace(key, digest_set ? normalize_digest_set(value) : value);
  }
  return canonicalize(payload);
}

}  // namespace

std::string_view digest_set_key(const Json& entry) {
  if (entry.is_string()) return entry.get_ref<const std::string&>();
  if (has_digest(entry)) return entry["digest_sha256"].get_ref<const std::string&>();
  return {};
}

Json normalize_digest_set(const Json& set) {
  if (!set.is_array()) return set;
  std::vector<const Json*> entries;
  entries.reserve(set.size());
  for (const Json& entry : set) {
    if (has_digest(entry)) entries.push_back(&entry);
  }
  // Stable, so that among equal digests the first in the input is the one kept.
  std::stable_sort(entries.begin(), entries.end(), [](const Json* a, const Json* b) {
    return digest_set_key(*a) < digest_set_key(*b);
  });
  Json normalized = Json::array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && digest_set_key(*entries[i]) == digest_set_key(*entries[i - 1])) continue;
    normalized.push_back(*entries[i]);
  }
  return normalized;
}

void validate_receipt_shape(const Json& document) {
  const std::string root = "$";
  if (!document.is_object()) kCheck.fail("field", root, "a receipt must be a JSON object");
  kCheck.only_known(document,
                    {"type", "corridor_id", "sequence", "timestamp", "prev_root", "next_root",
                     "lawpack_digest_set", "ruleset_digest_set", "proof", "transition",
                     "transition_type_registry_digest_sha256", "zk", "anchor"},
                    root);
  check_type(kCheck.required(document, "type", root));
  kCheck.nonempty_string(kCheck.required(document, "corridor_id", root), "$.corridor_id");
  kCheck.unsigned_integer(kCheck.required(document, "sequence", root), "$.sequence");
  kCheck.timestamp(kCheck.required(document, "timestamp", root), "$.timestamp");
  kCheck.hex(kCheck.required(document, "prev_root", root), "$.prev_root");
  if (document.contains("next_root")) kCheck.hex(document["next_root"], "$.next_root");
  kCheck.digest_set(kCheck.required(document, "lawpack_digest_set", root), "$.lawpack_digest_set");
  kCheck.digest_set(kCheck.required(document, "ruleset_digest_set", root), "$.ruleset_digest_set");
  if (document.contains("proof")) check_proof_container(document["proof"], "$.proof");
  if (document.contains("transition_type_registry_digest_sha256")) {
    kCheck.hex(document["transition_type_registry_digest_sha256"],
               "$.transition_type_registry_digest_sha256");
  }
  for (const char* key : {"transition", "zk", "anchor"}) {
    if (document.contains(key)) kCheck.object(document[key], corridor_fields::member(root, key));
  }
}

CorridorReceipt CorridorReceipt::from_json(Json document) {
  validate_receipt_shape(document);
  CorridorReceipt receipt;
  receipt.corridor_id_ = document["corridor_id"].get<std::string>();
  receipt.sequence_ = document["sequence"].get<std::uint64_t>();
  receipt.prev_root_ = *Digest::from_hex(document["prev_root"].get_ref<const std::string&>());
  receipt.next_root_ = kCheck.hex(kCheck.required(document, "next_root", "$"), "$.next_root");
  receipt.json_ = std::move(document);
  return receipt;
}

CorridorReceipt CorridorReceipt::parse(std::string_view text) {
  return from_json(parse_json(text));
}

Digest CorridorReceipt::recompute_next_root() const { return digest_of(payload_of_valid(json_)); }

CanonicalBytes next_root_payload(const Json& receipt) {
  validate_receipt_shape(receipt);
  return payload_of_valid(receipt);
}

Digest compute_next_root(const Json& receipt) { return digest_of(next_root_payload(receipt)); }

CorridorReceipt seal_receipt(Json receipt) {
  receipt.erase("next_root");
  const Digest next_root = compute_next_root(receipt);
  receipt["next_root"] = next_root.hex();
  // Validated by compute_next_root, and next_root is well-formed by construction.
  CorridorReceipt sealed;
  sealed.corridor_id_ = receipt["corridor_id"].get<std::string>();
  sealed.sequence_ = receipt["sequence"].get<std::uint64_t>();
  sealed.prev_root_ = *Digest::from_hex(receipt["prev_root"].get_ref<const std::string&>());
  sealed.next_root_ = next_root;
  sealed.json_ = std::move(receipt);
  return sealed;
}

CorridorGenesis CorridorGenesis::from_json(const Json& document) {
  const std::string root = "$";
  if (!document.is_object()) kCheck.fail("field", root, "genesis input must be a JSON object");
  kCheck.only_known(document,
                    {"corridor_id", "definition_payload_sha256", "agreement_set_sha256",
                     "lawpack_digest_set", "ruleset_digest_set"},
                    root);
  CorridorGenesis genesis;
  genesis.corridor_id =
      kCheck.nonempty_string(kCheck.required(document, "corridor_id", root), "$.corridor_id");
  genesis.definition_payload_sha256 = kCheck.hex(
      kCheck.required(document, "definition_payload_sha256", root), "$.definition_payload_sha256");
  genesis.agreement_set_sha256 = kCheck.hex(
      kCheck.required(document, "agreement_set_sha256", root), "$.agreement_set_sha256");
  genesis.lawpack_digest_set = kCheck.required(document, "lawpack_digest_set", root);
  genesis.ruleset_digest_set = kCheck.required(document, "ruleset_digest_set", root);
  kCheck.digest_set(genesis.lawpack_digest_set, "$.lawpack_digest_set");
  kCheck.digest_set(genesis.ruleset_digest_set, "$.ruleset_digest_set");
  return genesis;
}

Digest CorridorGenesis::root() const {
  kCheck.digest_set(lawpack_digest_set, "lawpack_digest_set");
  kCheck.digest_set(ruleset_digest_set, "ruleset_digest_set");
  const Json payload = {
      {"tag", kGenesisTag},
      {"corridor_id", corridor_id},
      {"definition_payload_sha256", definition_payload_sha256.hex()},
      {"agreement_set_sha256", agreement_set_sha256.hex()},
      {"lawpack_digest_set", normalize_digest_set(lawpack_digest_set)},
      {"ruleset_digest_set", normalize_digest_set(ruleset_digest_set)},
  };
  return digest_of(canonicalize(payload));
}

}  // namespace savm::runtime
