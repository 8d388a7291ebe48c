// Audits of a zone's corridor chains (docs/operating-a-zone.md "Corridors").
//
// verify_corridor reads the stored receipts of one corridor and runs the corridor verifier on
// them from the corridor's genesis root (runtime/corridor_verify.h: shape, sequence, link,
// next_root), so the failure names the receipt. Then, per receipt: its bytes are canonical, the row's
// sequence and next_root columns are its own, a receipt this zone produced commits (transition
// payload) to an execution receipt the zone holds and carries exactly the proof the signing
// policy asks for, a received receipt's proofs (if any) verify. Then the corridor checkpoints:
// one after every checkpoint_every receipts and nowhere else, each reproduced from the chain
// (digest, MMR peaks) with the proof the policy asks for; finally the corridor row's head,
// height and MMR peaks.
//
// prove_corridor_receipt is the inclusion proof of one receipt's next_root against the
// corridor's latest checkpoint: `savm mmr verify PROOF --root <mmr.root> --next-root <next_root>`.
#pragma once

#include <cstdint>
#include <string_view>

#include "runtime/mmr.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

// Throws "zone.corridor" for a corridor that is not open in the zone; every finding is reported.
AuditReport verify_corridor(const ZoneStore& store, std::string_view id);

// Throws "zone.corridor", "zone.unknown_receipt" (no such sequence), "zone.not_checkpointed"
// (after the latest checkpoint), "chain.mmr" (the stored next_roots do not rebuild its root).
MmrProof prove_corridor_receipt(const ZoneStore& store, std::string_view id, std::uint64_t sequence);

}  // namespace savm::runtime
