#include "runtime/zone_inclusion.h"

#include <string>

#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/zone_checkpoint.h"

namespace savm::runtime {

MmrProof prove_receipt(const ZoneStore& store, const vm::Word& asset, std::uint64_t sequence) {
  const ZoneChainHead head = store.chain_head(asset);
  if (head.height == 0) throw Error("zone.unknown_asset", id_hex(asset) + ": no receipt chain for this asset in the zone");
  if (sequence >= head.height) {
    throw Error("zone.unknown_receipt", id_hex(asset) + ": the chain has " + std::to_string(head.height) +
                                           " receipts, there is no sequence " + std::to_string(sequence));
  }
  const std::vector<StoredCheckpoint> checkpoints = store.checkpoints(asset);
  if (checkpoints.empty() || sequence >= checkpoints.back().receipt_count) {
    const std::uint64_t covered = checkpoints.empty() ? 0 : checkpoints.back().receipt_count;
    throw Error("zone.not_checkpointed", id_hex(asset) + ": receipt " + std::to_string(sequence) +
                                             " is not covered by a checkpoint yet (the latest covers " +
                                             std::to_string(covered) + " receipts)");
  }
  const StoredCheckpoint& latest = checkpoints.back();
  Mmr mmr;
  mmr.reserve(latest.receipt_count);
  store.for_each_receipt(asset, [&](const StoredReceipt& r) {
    if (mmr.size() < latest.receipt_count) mmr.append(r.digest);
  });
  const ZoneCheckpoint checkpoint = ZoneCheckpoint::from_json(parse_json(latest.bytes));
  if (mmr.size() != latest.receipt_count || mmr.root() != checkpoint.mmr_root) {
    throw Error("chain.mmr", "checkpoint " + latest.digest.hex() + ": the stored receipts do not rebuild its MMR root " +
                                 checkpoint.mmr_root.hex() + " (run `savm chain verify`)");
  }
  return mmr.prove(sequence);
}

}  // namespace savm::runtime
