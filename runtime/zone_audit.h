// Audits of a zone: chain verification and replay (docs/operating-a-zone.md).
//
// Chain verify re-derives every receipt digest from the stored canonical bytes and walks each
// asset's chain: sequence = position, prev_receipt_digest = the previous receipt's digest, the
// stored digest column and chain head agree with the content, each receipt carries exactly the
// proof the zone's signing policy asks for (by the zone key). Alongside it rebuilds the asset's
// MMR from the receipt digests and checks a checkpoint after every checkpoint_every receipts and
// nowhere else (canonical bytes, digest column, head, MMR root and peaks, proof), and finally the
// chain head's stored MMR peaks. It reads receipts and checkpoints only.
//
// Replay re-executes transitions from their stored module (CAS), input and context, in commit
// order, against an in-memory state that starts empty and receives only the recomputed effects:
// it trusts nothing stored but the inputs. Each regenerated receipt must equal the stored bytes
// byte for byte; the first difference is named by its JSON path. Replaying one receipt replays
// the zone's history up to it (cost linear in the history until checkpoints of state exist).
// Replaying everything also compares the final recomputed state with the stored state rows, so
// an edited storage, tensor or migration row (an effect without its receipt) is found and
// attributed to the receipt that last wrote that row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/zone.h"

namespace savm::runtime {

struct AuditFailure {
  std::string code;     // stable: receipt.digest, chain.sequence, chain.link, chain.mmr, ...
  vm::Digest receipt;   // the first bad receipt or checkpoint (zero if the failure is not one document's)
  vm::Word asset;
  std::uint64_t sequence = 0;  // the receipt's sequence, or the checkpoint's receipt_count
  std::string message;  // names the receipt, the field and why
};

struct AuditReport {
  std::uint64_t receipts = 0;  // receipts checked or replayed
  std::uint64_t assets = 0;
  std::optional<AuditFailure> failure;  // the first one found; none = verified
};

// All chains, or one asset's. Throws "zone.unknown_asset" for an asset with no chain.
AuditReport verify_chains(const ZoneStore& store, const std::optional<vm::Word>& asset);

// Replays history up to and including `receipt`. Throws "zone.unknown_receipt".
AuditReport replay_receipt(const Zone& zone, const vm::Digest& receipt);

// Replays every receipt, then checks the stored state against the replayed one.
AuditReport replay_all(const Zone& zone);

// The JSON path of the first difference between two values ("$.outcome.status"), or "" if equal.
std::string first_difference(const Json& expected, const Json& actual);

}  // namespace savm::runtime
