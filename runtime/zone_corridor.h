// Corridor receipt chains inside a zone (docs/operating-a-zone.md "Corridors"): the MEZ corridor
// chain format of runtime/corridor_*.h, kept in the zone's store next to the per-asset chains.
//
// A corridor is opened from the same genesis input as `savm corridor genesis`. A transition whose
// context.corridor names it appends, only when it succeeds and in the same SQLite transaction as
// its execution receipt, one corridor receipt whose `transition` envelope commits to that
// execution receipt (see transition_envelope), signed when the zone signs every receipt. The
// corridor has an MMR over its next_roots and a MEZ checkpoint after every `checkpoint_every`
// receipts (signed when the zone signs checkpoints), exactly like an asset chain. The counterparty
// zone receives the exported chain: verified from the genesis root, the receipts it lacks
// appended all or nothing (runtime/zone.h Zone::receive_corridor).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/corridor_chain.h"
#include "runtime/mcf.h"
#include "runtime/zone_signer.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

// The `transition.kind` of the receipts a zone produces.
inline constexpr std::string_view kZoneTransitionKind = "savm.zone.transition.v1";

// What one successful corridor transition commits to.
struct CorridorTransition {
  vm::Word corridor;           // context.corridor
  vm::Digest execution_receipt;
  vm::Word asset;
  std::string entry;
  vm::Digest module;
  std::int64_t timestamp = 0;  // context.timestamp, unix seconds
};

// The receipt's `transition` (a MEZ transition envelope, domain brief §5.10):
//   {"type": "MSEZTransitionEnvelope", "kind": kZoneTransitionKind,
//    "payload": {"asset_id", "entry", "execution_receipt_digest", "module_digest"},
//    "payload_sha256": SHA-256(MCF(payload))}
Json transition_envelope(const CorridorTransition& transition);

// Throws "zone.corridor" unless `corridor` (a context.corridor word) is zero (no corridor) or
// names a corridor open in the zone. Called before execution.
void check_corridor_open(const ZoneStore& store, const vm::Word& corridor);

// The corridor receipt (and the checkpoint it completes, if any) of one successful transition,
// on the corridor's current head. The caller commits it with the execution receipt, serialized
// with every other append to the corridor.
CorridorAppend corridor_receipt_for(const ZoneStore& store, const ZoneConfig& config, const ZoneSigner& signer,
                                    const CorridorTransition& transition);

// The chain of corridor `id` as stored: resumed from its latest checkpoint, the receipts after it
// appended. Throws "zone.corridor" for a corridor that is not open here.
CorridorChain stored_corridor_chain(const ZoneStore& store, std::string_view id);

// The corridor's receipts as JSON Lines (one canonical receipt per line), the input of
// `savm corridor verify`. Throws "zone.corridor".
std::string export_corridor(const ZoneStore& store, std::string_view id);

// The corridor `id`; throws "zone.corridor" if it is not open in the zone.
StoredCorridor open_corridor_named(const ZoneStore& store, std::string_view id);

}  // namespace savm::runtime
