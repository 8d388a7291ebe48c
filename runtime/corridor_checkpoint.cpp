#include "runtime/corridor_checkpoint.h"

#include "runtime/corridor_fields.h"

namespace savm::runtime {
namespace {

using corridor_fields::FieldChecker;

const FieldChecker kCheck{"checkpoint"};

void check_constant(const Json& value, std::string_view expected, const std::string& path) {
  if (!value.is_string() || value.get_ref<const std::string&>() != expected) {
    kCheck.fail("field", path, "expected \"" + std::string(expected) + "\"");
  }
}

std::vector<MmrPeak> read_peaks(const Json& peaks, const std::string& path) {
  if (!peaks.is_array()) kCheck.fail("field", path, "expected an array of {height, hash}");
  std::vector<MmrPeak> result;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const std::string peak_path = path + "[" + std::to_string(i) + "]";
    kCheck.object(peaks[i], peak_path);
    kCheck.only_known(peaks[i], {"height", "hash"}, peak_path);
    const std::uint64_t height =
        kCheck.unsigned_integer(kCheck.required(peaks[i], "height", peak_path),
                                corridor_fields::member(peak_path, "height"));
    if (height > 63) kCheck.fail("field", peak_path + ".height", "a peak height is at most 63");
    result.push_back({static_cast<std::uint32_t>(height),
                      kCheck.hex(kCheck.required(peaks[i], "hash", peak_path),
                                 corridor_fields::member(peak_path, "hash"))});
  }
  return result;
}

Json mmr_json(const CorridorCheckpoint& checkpoint, bool with_peaks) {
  Json mmr = {{"type", kReceiptMmrType},
              {"algorithm", "sha256"},
              {"size", checkpoint.mmr_size},
              {"root", checkpoint.mmr_root.hex()}};
  if (with_peaks) {
    Json peaks = Json::array();
    for (const MmrPeak& peak : checkpoint.mmr_peaks) {
      peaks.push_back({{"height", peak.height}, {"hash", peak.hash.hex()}});
    }
    mmr["peaks"] = std::move(peaks);
  }
  return mmr;
}

Json payload_json(const CorridorCheckpoint& checkpoint, bool with_peaks) {
  return {{"type", kCheckpointType},
          {"corridor_id", checkpoint.corridor_id},
          {"timestamp", checkpoint.timestamp},
          {"genesis_root", checkpoint.genesis_root.hex()},
          {"final_state_root", checkpoint.final_state_root.hex()},
          {"receipt_count", checkpoint.receipt_count},
          {"lawpack_digest_set", checkpoint.lawpack_digest_set},
          {"ruleset_digest_set", checkpoint.ruleset_digest_set},
          {"mmr", mmr_json(checkpoint, with_peaks)}};
}

}  // namespace

Json CorridorCheckpoint::to_json() const {
  Json document = payload_json(*this, true);
  if (proof) document["proof"] = *proof;
  if (anchor) document["anchor"] = *anchor;
  return document;
}

CanonicalBytes CorridorCheckpoint::digest_payload() const {
  return canonicalize(payload_json(*this, false));
}

CorridorCheckpoint CorridorCheckpoint::from_json(const Json& document) {
  const std::string root = "$";
  kCheck.object(document, root);
  kCheck.only_known(document,
                    {"type", "corridor_id", "timestamp", "genesis_root", "final_state_root",
                     "receipt_count", "lawpack_digest_set", "ruleset_digest_set", "mmr", "proof",
                     "anchor"},
                    root);
  check_constant(kCheck.required(document, "type", root), kCheckpointType, "$.type");
  CorridorCheckpoint cp;
  cp.corridor_id =
      kCheck.nonempty_string(kCheck.required(document, "corridor_id", root), "$.corridor_id");
  cp.timestamp = kCheck.timestamp(kCheck.required(document, "timestamp", root), "$.timestamp");
  cp.genesis_root = kCheck.hex(kCheck.required(document, "genesis_root", root), "$.genesis_root");
  cp.final_state_root =
      kCheck.hex(kCheck.required(document, "final_state_root", root), "$.final_state_root");
  cp.receipt_count =
      kCheck.unsigned_integer(kCheck.required(document, "receipt_count", root), "$.receipt_count");
  if (cp.receipt_count == 0) kCheck.fail("field", "$.receipt_count", "must be at least 1");
  cp.lawpack_digest_set = kCheck.required(document, "lawpack_digest_set", root);
  cp.ruleset_digest_set = kCheck.required(document, "ruleset_digest_set", root);
  kCheck.digest_set(cp.lawpack_digest_set, "$.lawpack_digest_set");
  kCheck.digest_set(cp.ruleset_digest_set, "$.ruleset_digest_set");

  const Json& mmr = kCheck.object(kCheck.required(document, "mmr", root), "$.mmr");
  kCheck.only_known(mmr, {"type", "algorithm", "size", "root", "peaks"}, "$.mmr");
  check_constant(kCheck.required(mmr, "type", "$.mmr"), kReceiptMmrType, "$.mmr.type");
  check_constant(kCheck.required(mmr, "algorithm", "$.mmr"), "sha256", "$.mmr.algorithm");
  cp.mmr_size = kCheck.unsigned_integer(kCheck.required(mmr, "size", "$.mmr"), "$.mmr.size");
  // spec/40: a checkpoint's MMR holds exactly its receipts.
  if (cp.mmr_size != cp.receipt_count) {
    kCheck.fail("field", "$.mmr.size", "must equal receipt_count");
  }
  cp.mmr_root = kCheck.hex(kCheck.required(mmr, "root", "$.mmr"), "$.mmr.root");
  if (mmr.contains("peaks")) cp.mmr_peaks = read_peaks(mmr["peaks"], "$.mmr.peaks");

  if (document.contains("proof")) cp.proof = document["proof"];
  if (document.contains("anchor")) cp.anchor = kCheck.object(document["anchor"], "$.anchor");
  return cp;
}

}  // namespace savm::runtime
