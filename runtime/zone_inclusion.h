// Inclusion of one receipt in an asset's chain, for a counterparty who trusts a checkpoint's MMR
// root but not the zone (docs/operating-a-zone.md "Prove a receipt"). The proof is an ordinary
// MMR proof (runtime/mmr.h) whose leaf is the receipt digest: `savm mmr verify PROOF --root
// <checkpoint mmr.root> --next-root <receipt_digest>` checks it without the zone.
#pragma once

#include <cstdint>

#include "runtime/mmr.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

// The proof of receipt `sequence` of `asset` against the asset's latest checkpoint. Throws
// "zone.unknown_asset" (no chain), "zone.unknown_receipt" (no such sequence),
// "zone.not_checkpointed" (the receipt is after the latest checkpoint), "chain.mmr" (the stored
// receipts do not rebuild the checkpoint's root: run `savm chain verify`).
MmrProof prove_receipt(const ZoneStore& store, const vm::Word& asset, std::uint64_t sequence);

}  // namespace savm::runtime
