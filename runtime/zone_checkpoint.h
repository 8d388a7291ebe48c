// A zone checkpoint: a commitment to one asset's receipt chain after every N receipts
// (docs/operating-a-zone.md "Signing and checkpoints"). The MMR is the per-asset MMR whose leaves
// are the receipt digests (runtime/mmr.h: leaf = SHA-256(0x00 ‖ receipt_digest)), so an inclusion
// proof of one receipt against a checkpoint is an ordinary MMR proof (`savm mmr verify`).
//
//   {"type": "SAVMZoneCheckpoint", "format_version": 1, "jurisdiction": "AE-ADGM",
//    "asset_id": "0x…", "receipt_count": N, "head": "<receipt_digest of receipt N-1>",
//    "timestamp": <that receipt's context.timestamp, unix seconds>,
//    "mmr": {"type": "MEZReceiptMMR", "algorithm": "sha256", "size": N, "root", "peaks": [...]},
//    "proof"?}
//
// checkpoint_digest = SHA-256(MCF(the document without proof and mmr.peaks)), as for corridor
// checkpoints: the peaks are a verifier's aid derivable from the receipts, the proof is added
// after the fact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/digest.h"
#include "runtime/mcf.h"
#include "runtime/mmr.h"
#include "vm/word.h"

namespace savm::runtime {

inline constexpr std::string_view kZoneCheckpointType = "SAVMZoneCheckpoint";

struct ZoneCheckpoint {
  std::string jurisdiction;
  vm::Word asset;
  std::uint64_t receipt_count = 0;
  Digest head;
  std::int64_t timestamp = 0;
  Digest mmr_root;
  std::vector<MmrPeak> mmr_peaks;
  std::optional<Json> proof;

  // The checkpoint of the MMR of `receipt_count` receipt digests with `peaks` (the asset's), whose
  // last receipt is `head`.
  static ZoneCheckpoint of(std::string jurisdiction, const vm::Word& asset, std::uint64_t receipt_count,
                           std::vector<MmrPeak> peaks, const Digest& head, std::int64_t timestamp);

  Json to_json() const;
  CanonicalBytes digest_payload() const;
  Digest digest() const { return digest_of(digest_payload()); }

  // Shape check; throws Error "checkpoint.field" / "checkpoint.hex" naming the JSON path.
  static ZoneCheckpoint from_json(const Json& document);
};

}  // namespace savm::runtime
