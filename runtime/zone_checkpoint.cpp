#include "runtime/zone_checkpoint.h"

#include <utility>

#include "runtime/context_json.h"
#include "runtime/corridor_checkpoint.h"
#include "runtime/corridor_fields.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

using corridor_fields::FieldChecker;

// The corridor checkpoint's field family: a zone checkpoint is malformed in the same ways.
const FieldChecker kCheck{"checkpoint"};

constexpr std::int64_t kFormatVersion = 1;

void check_constant(const Json& value, const Json& expected, const std::string& path) {
  if (value != expected) kCheck.fail("field", path, "expected " + expected.dump());
}

Json payload_json(const ZoneCheckpoint& cp, bool with_peaks) {
  Json mmr = {{"type", kReceiptMmrType}, {"algorithm", "sha256"}, {"size", cp.receipt_count},
              {"root", cp.mmr_root.hex()}};
  if (with_peaks) {
    Json peaks = Json::array();
    for (const MmrPeak& peak : cp.mmr_peaks) peaks.push_back({{"height", peak.height}, {"hash", peak.hash.hex()}});
    mmr["peaks"] = std::move(peaks);
  }
  return Json{{"type", kZoneCheckpointType}, {"format_version", kFormatVersion},
              {"jurisdiction", cp.jurisdiction},  {"asset_id", id_hex(cp.asset)},
              {"receipt_count", cp.receipt_count}, {"head", cp.head.hex()},
              {"timestamp", cp.timestamp},         {"mmr", std::move(mmr)}};
}

std::vector<MmrPeak> read_peaks(const Json& peaks) {
  if (!peaks.is_array()) kCheck.fail("field", "$.mmr.peaks", "expected an array of {height, hash}");
  std::vector<MmrPeak> out;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const std::string path = "$.mmr.peaks[" + std::to_string(i) + "]";
    kCheck.object(peaks[i], path);
    kCheck.only_known(peaks[i], {"height", "hash"}, path);
    const std::uint64_t height = kCheck.unsigned_integer(kCheck.required(peaks[i], "height", path), path + ".height");
    if (height > 63) kCheck.fail("field", path + ".height", "a peak height is at most 63");
    out.push_back({static_cast<std::uint32_t>(height), kCheck.hex(kCheck.required(peaks[i], "hash", path), path + ".hash")});
  }
  return out;
}

}  // namespace

ZoneCheckpoint ZoneCheckpoint::of(std::string jurisdiction, const vm::Word& asset, std::uint64_t receipt_count,
                                  std::vector<MmrPeak> peaks, const Digest& head, std::int64_t timestamp) {
  ZoneCheckpoint cp;
  cp.jurisdiction = std::move(jurisdiction);
  cp.asset = asset;
  cp.receipt_count = receipt_count;
  cp.head = head;
  cp.timestamp = timestamp;
  cp.mmr_root = mmr_bag_peaks(peaks).value_or(Digest{});
  cp.mmr_peaks = std::move(peaks);
  return cp;
}

Json ZoneCheckpoint::to_json() const {
  Json document = payload_json(*this, true);
  if (proof) document["proof"] = *proof;
  return document;
}

CanonicalBytes ZoneCheckpoint::digest_payload() const { return canonicalize(payload_json(*this, false)); }

ZoneCheckpoint ZoneCheckpoint::from_json(const Json& document) {
  const std::string root = "$";
  kCheck.object(document, root);
  kCheck.only_known(document,
                    {"type", "format_version", "jurisdiction", "asset_id", "receipt_count", "head", "timestamp",
                     "mmr", "proof"},
                    root);
  check_constant(kCheck.required(document, "type", root), kZoneCheckpointType, "$.type");
  check_constant(kCheck.required(document, "format_version", root), kFormatVersion, "$.format_version");
  ZoneCheckpoint cp;
  cp.jurisdiction = kCheck.nonempty_string(kCheck.required(document, "jurisdiction", root), "$.jurisdiction");
  const std::string& asset = kCheck.nonempty_string(kCheck.required(document, "asset_id", root), "$.asset_id");
  try {
    cp.asset = parse_id(asset, IdForm::raw, "$.asset_id");
  } catch (const Error& e) {
    kCheck.fail("field", "$.asset_id", e.what());
  }
  cp.receipt_count = kCheck.unsigned_integer(kCheck.required(document, "receipt_count", root), "$.receipt_count");
  if (cp.receipt_count == 0) kCheck.fail("field", "$.receipt_count", "must be at least 1");
  cp.head = kCheck.hex(kCheck.required(document, "head", root), "$.head");
  const Json& timestamp = kCheck.required(document, "timestamp", root);
  if (!timestamp.is_number_integer()) kCheck.fail("field", "$.timestamp", "expected unix seconds (an integer)");
  cp.timestamp = timestamp.get<std::int64_t>();

  const Json& mmr = kCheck.object(kCheck.required(document, "mmr", root), "$.mmr");
  kCheck.only_known(mmr, {"type", "algorithm", "size", "root", "peaks"}, "$.mmr");
  check_constant(kCheck.required(mmr, "type", "$.mmr"), kReceiptMmrType, "$.mmr.type");
  check_constant(kCheck.required(mmr, "algorithm", "$.mmr"), "sha256", "$.mmr.algorithm");
  if (kCheck.unsigned_integer(kCheck.required(mmr, "size", "$.mmr"), "$.mmr.size") != cp.receipt_count) {
    kCheck.fail("field", "$.mmr.size", "must equal receipt_count");
  }
  cp.mmr_root = kCheck.hex(kCheck.required(mmr, "root", "$.mmr"), "$.mmr.root");
  cp.mmr_peaks = read_peaks(kCheck.required(mmr, "peaks", "$.mmr"));
  if (document.contains("proof")) cp.proof = document["proof"];
  return cp;
}

}  // namespace savm::runtime
