#include "runtime/receipt_producer.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "runtime/corridor_fields.h"
#include "runtime/corridor_receipt.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

using corridor_fields::FieldChecker;

const FieldChecker kCheck{"corridor"};

std::string entry_path(const char* set, std::size_t index, const char* member) {
  return std::string("$.") + set + "[" + std::to_string(index) + "]." + member;
}

// The checks validate_receipt_shape makes on the typed fields that can still be wrong: the types
// make hex, integer and container shapes right by construction.
void check_digest_set(const std::vector<DigestRef>& set, const char* name) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    const DigestRef& entry = set[i];
    if (entry.artifact_type && entry.artifact_type->empty()) {
      kCheck.fail("field", entry_path(name, i, "artifact_type"), "expected a non-empty string");
    }
    if (entry.uri && !entry.artifact_type) {
      kCheck.fail("field", entry_path(name, i, "uri"), "only an ArtifactRef (with artifact_type) has a uri");
    }
  }
}

void check_object(const std::optional<EmbeddedObject>& value, const char* path) {
  if (!value) return;
  // Canonical bytes of an object start with '{' (no whitespace in canonical text).
  const auto* json = std::get_if<Json>(&*value);
  const bool is_object = json != nullptr ? json->is_object() : std::get<CanonicalBytes>(*value).view().starts_with('{');
  if (!is_object) kCheck.fail("field", path, "expected an object");
}

// Date-times are normalized once for a run of receipts that give the same text: timestamps have
// whole seconds, so at tens of thousands of receipts per second consecutive ones mostly share
// one, and a signer usually signs a run with one `created`.
template <typename Normalize>
const std::string& normalized(DateTimeMemo& memo, std::string_view given, Normalize normalize) {
  if (!memo.valid || given != memo.given) {
    memo.valid = false;
    memo.normalized = normalize(given);  // may throw: the memo stays invalid
    memo.given.assign(given);
    memo.valid = true;
  }
  return memo.normalized;
}

void check_draft(const ReceiptDraft& draft, DateTimeMemo& timestamp) {
  if (draft.corridor_id.empty()) kCheck.fail("field", "$.corridor_id", "expected a non-empty string");
  normalized(timestamp, draft.timestamp, [](std::string_view text) { return kCheck.timestamp(text, "$.timestamp"); });
  check_digest_set(draft.lawpack_digest_set, "lawpack_digest_set");
  check_digest_set(draft.ruleset_digest_set, "ruleset_digest_set");
  check_object(draft.transition, "$.transition");
  check_object(draft.zk, "$.zk");
  check_object(draft.anchor, "$.anchor");
}

// The digest-set normalization of normalize_digest_set, on typed entries: lowercase hex orders
// like the digest bytes, so sorting by bytes is sorting by the hex strings. Stable, so among equal
// digests the first one listed is kept.
void sort_digest_refs(std::vector<const DigestRef*>& entries) {
  const auto by_digest = [](const DigestRef* a, const DigestRef* b) { return a->digest < b->digest; };
  // Sets are small; insertion sort is stable and, unlike std::stable_sort, allocates nothing.
  constexpr std::size_t kInsertionSortLimit = 32;
  if (entries.size() > kInsertionSortLimit) {
    std::stable_sort(entries.begin(), entries.end(), by_digest);
    return;
  }
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const DigestRef* moving = entries[i];
    std::size_t j = i;
    for (; j > 0 && by_digest(moving, entries[j - 1]); --j) entries[j] = entries[j - 1];
    entries[j] = moving;
  }
}

DigestRef digest_ref_of(const Json& entry) {
  DigestRef ref;
  if (entry.is_string()) {
    ref.digest = *Digest::from_hex(entry.get_ref<const std::string&>());
    return ref;
  }
  ref.digest = *Digest::from_hex(entry["digest_sha256"].get_ref<const std::string&>());
  ref.artifact_type = entry["artifact_type"].get<std::string>();
  if (entry.contains("uri")) ref.uri = entry["uri"].get<std::string>();
  return ref;
}

std::vector<DigestRef> digest_refs_of(const Json& set) {
  std::vector<DigestRef> refs;
  refs.reserve(set.size());
  for (const Json& entry : set) refs.push_back(digest_ref_of(entry));
  return refs;
}

std::optional<Json> optional_member(const Json& document, const char* key) {
  const auto it = document.find(key);
  if (it == document.end()) return std::nullopt;
  return *it;
}

// Strictly increasing digests: normalization would change nothing (every typed entry has one).
bool is_normalized(const std::vector<DigestRef>& set) {
  for (std::size_t i = 1; i < set.size(); ++i)
    if (!(set[i - 1].digest < set[i].digest)) return false;
  return true;
}

}  // namespace

ReceiptDraft ReceiptDraft::from_json(const Json& document) {
  validate_receipt_shape(document);
  for (const char* key : {"next_root", "proof"}) {
    if (document.contains(key)) kCheck.fail("field", std::string("$.") + key, "a draft is sealed and signed by the producer");
  }
  if (document["type"] != kReceiptType) {
    kCheck.fail("field", "$.type", "receipts are produced as \"" + std::string(kReceiptType) + "\"");
  }
  ReceiptDraft draft;
  draft.corridor_id = document["corridor_id"].get<std::string>();
  draft.sequence = document["sequence"].get<std::uint64_t>();
  draft.timestamp = document["timestamp"].get<std::string>();
  draft.prev_root = *Digest::from_hex(document["prev_root"].get_ref<const std::string&>());
  draft.lawpack_digest_set = digest_refs_of(document["lawpack_digest_set"]);
  draft.ruleset_digest_set = digest_refs_of(document["ruleset_digest_set"]);
  draft.transition = optional_member(document, "transition");
  if (document.contains("transition_type_registry_digest_sha256")) {
    draft.transition_type_registry_digest_sha256 =
        *Digest::from_hex(document["transition_type_registry_digest_sha256"].get_ref<const std::string&>());
  }
  draft.zk = optional_member(document, "zk");
  draft.anchor = optional_member(document, "anchor");
  return draft;
}

void ReceiptProducer::write_digest_set(const std::vector<DigestRef>& set, bool normalize) {
  sorted_.clear();
  for (const DigestRef& entry : set) sorted_.push_back(&entry);
  if (normalize) sort_digest_refs(sorted_);
  writer_.begin_array();
  for (std::size_t i = 0; i < sorted_.size(); ++i) {
    if (normalize && i > 0 && sorted_[i]->digest == sorted_[i - 1]->digest) continue;  // first one kept
    const DigestRef& entry = *sorted_[i];
    if (!entry.artifact_type) {
      writer_.digest(entry.digest);
      continue;
    }
    writer_.begin_object();
    writer_.key("artifact_type");
    writer_.string(*entry.artifact_type);
    writer_.key("digest_sha256");
    writer_.digest(entry.digest);
    if (entry.uri) {
      writer_.key("uri");
      writer_.string(*entry.uri);
    }
    writer_.end_object();
  }
  writer_.end_array();
}

void ReceiptProducer::write_embedded(const char* key, const std::optional<EmbeddedObject>& value, const char* path) {
  if (!value) return;
  writer_.key(key);
  if (const auto* json = std::get_if<Json>(&*value)) {
    writer_.value(*json, path);
  } else {
    writer_.value(std::get<CanonicalBytes>(*value));
  }
}

// Keys in MCF (UTF-8 byte) order; the writer checks the order, so a mistake here cannot produce
// non-canonical bytes, only an exception. "next_root" and "proof" are inserted later.
void ReceiptProducer::write_receipt(const ReceiptDraft& draft, bool normalize_sets) {
  writer_.reset();
  writer_.begin_object();
  write_embedded("anchor", draft.anchor, "$.anchor");
  writer_.key("corridor_id");
  writer_.string(draft.corridor_id);
  writer_.key("lawpack_digest_set");
  write_digest_set(draft.lawpack_digest_set, normalize_sets);
  writer_.key("prev_root");
  writer_.digest(draft.prev_root);
  writer_.key("ruleset_digest_set");
  write_digest_set(draft.ruleset_digest_set, normalize_sets);
  writer_.key("sequence");
  writer_.integer(draft.sequence);
  writer_.key("timestamp");
  writer_.string(timestamp_.normalized);  // UTC seconds (check_draft), which string() copies as it is
  write_embedded("transition", draft.transition, "$.transition");
  if (draft.transition_type_registry_digest_sha256) {
    writer_.key("transition_type_registry_digest_sha256");
    writer_.digest(*draft.transition_type_registry_digest_sha256);
  }
  writer_.key("type");
  writer_.string(kReceiptType);
  write_embedded("zk", draft.zk, "$.zk");
  writer_.end_object();
}

const Digest& ReceiptProducer::seal(const ReceiptDraft& draft) {
  sealed_ = false;
  signed_ = false;
  check_draft(draft, timestamp_);
  // The receipt without next_root and proof, sets normalized: FORMATS.md's next_root payload.
  write_receipt(draft, true);
  next_root_ = payload_hasher_.hash(writer_.view());
  // The receipt itself keeps its sets as listed (as seal_receipt does). Usually they already are
  // normalized and the payload is the receipt; otherwise it is written once more, as listed.
  if (!is_normalized(draft.lawpack_digest_set) || !is_normalized(draft.ruleset_digest_set)) {
    write_receipt(draft, false);
  }
  const auto hex = next_root_.hex_digits();
  writer_.insert_member("next_root", std::string_view(hex.data(), hex.size()));
  sealed_ = true;
  return next_root_;
}

void ReceiptProducer::write_proof_base(std::string_view created, std::string_view verification_method) {
  proof_base_created_.clear();  // an exception below leaves the base marked stale
  write_proof_object(proof_base_, created, verification_method, "");
  proof_base_method_.assign(verification_method);
  proof_base_created_.assign(created);
}

void ReceiptProducer::sign(JwsSigner& signer, std::string_view created) {
  if (!sealed_ || signed_) throw std::logic_error("ReceiptProducer::sign: call once after each seal()");
  const std::string& when = normalized(created_, created, proof_created);
  // The signed payload is the sealed receipt: the document without its proof.
  const std::string& jws = signer.jws(writer_);
  // Every member of the proof but "jws" depends only on `created` and the key: they are written
  // once for a run of signatures, and each proof is a copy of them with its jws inserted.
  if (when != proof_base_created_ || signer.verification_method() != proof_base_method_) {
    write_proof_base(when, signer.verification_method());
  }
  proof_ = proof_base_;
  proof_.insert_member("jws", jws);
  writer_.insert_member("proof", proof_);
  signed_ = true;
}

}  // namespace savm::runtime
