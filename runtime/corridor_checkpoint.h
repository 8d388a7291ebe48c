// MEZ corridor checkpoints (FORMATS.md "Checkpoints"; docs/formats.md): a commitment to a corridor
// chain's head, length, digest-set unions and receipt MMR, from which a verifier may resume and
// check only the receipts after it.
//
//   {"type": "MEZCorridorStateCheckpoint", corridor_id, timestamp, genesis_root, final_state_root,
//    receipt_count, lawpack_digest_set, ruleset_digest_set,
//    "mmr": {"type": "MEZReceiptMMR", "algorithm": "sha256", size, root, peaks: [{height, hash}]},
//    proof?, anchor?}
//
// checkpoint_digest = SHA-256(MCF(the document without proof, anchor and mmr.peaks)): peaks are a
// verifier's aid derivable from the receipts, proof and anchor are added after the fact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/digest.h"
#include "runtime/mcf.h"
#include "runtime/mmr.h"

namespace savm::runtime {

inline constexpr std::string_view kCheckpointType = "MEZCorridorStateCheckpoint";
inline constexpr std::string_view kReceiptMmrType = "MEZReceiptMMR";

struct CorridorCheckpoint {
  std::string corridor_id;
  std::string timestamp;  // RFC 3339, stored normalized to UTC seconds
  Digest genesis_root;
  Digest final_state_root;
  std::uint64_t receipt_count = 0;
  Json lawpack_digest_set = Json::array();  // unions over the receipts, sorted, de-duplicated
  Json ruleset_digest_set = Json::array();
  std::uint64_t mmr_size = 0;
  Digest mmr_root;
  std::vector<MmrPeak> mmr_peaks;
  std::optional<Json> proof;
  std::optional<Json> anchor;

  Json to_json() const;
  // What checkpoint_digest covers: to_json() without proof, anchor and mmr.peaks.
  CanonicalBytes digest_payload() const;
  Digest digest() const { return digest_of(digest_payload()); }

  // Shape check; throws Error "checkpoint.field" (missing/unknown/null field, wrong type or value,
  // receipt_count 0, mmr.size != receipt_count) or "checkpoint.hex" naming the JSON path.
  // Whether the peaks bag to the root is a verification question (corridor_verify.h), not shape.
  static CorridorCheckpoint from_json(const Json& document);
};

}  // namespace savm::runtime
