// The compliance tensor of a zone, read (docs/operating-a-zone.md "Compliance tensor"): slices
// of one asset's cells, meet/join aggregation across jurisdictions on the lattice of vm/host.h,
// and the tensor commitment a counterparty recomputes from the cells it is shown.
//
// Reads go through vm::effective_state: a cell whose expiry has passed at the read time reads as
// pending, so expired evidence never reads compliant. The commitment is over the cells as stored
// (expiry included), so it does not depend on when it is computed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runtime/mcf.h"
#include "runtime/zone_store.h"
#include "vm/host.h"

namespace savm::runtime {

struct TensorSliceCell {
  vm::TensorKey key;
  vm::TensorCell cell;              // as stored
  vm::ComplianceState reads_as{};   // effective_state(cell, the slice's read time)
};

// `asset`'s cells (only `jurisdiction`'s if given), by jurisdiction then domain, read at `now`.
std::vector<TensorSliceCell> tensor_slice(const ZoneStore& store, const vm::Word& asset,
                                          const std::optional<vm::Word>& jurisdiction, std::int64_t now);

// The zone's latest transition time: the context timestamp of the last committed receipt; 0 for
// a zone without receipts.
std::int64_t latest_transition_time(const ZoneStore& store);

// The lattice (FORMATS.md): meet = min, join = max; either of no states is pending (a missing
// cell reads pending, and an empty aggregation must not pass).
vm::ComplianceState meet(std::span<const vm::ComplianceState> states);
vm::ComplianceState join(std::span<const vm::ComplianceState> states);

enum class Aggregation { meet, join };
using DomainStates = std::array<vm::ComplianceState, vm::kDomainCount>;

// Per domain, the meet or join over `jurisdictions` of what the slice's cells read as; a
// jurisdiction without a cell for the domain contributes pending.
DomainStates aggregate(std::span<const TensorSliceCell> slice, std::span<const vm::Word> jurisdictions,
                       Aggregation how);

// The leaf data of one cell: MCF of {"type": "SAVMTensorCell", "asset_id", "jurisdiction" (both
// 0x + 64 hex), "domain", "state" (FORMATS.md names), "evidence" (64 hex), "as_of", "expires"}.
CanonicalBytes tensor_leaf(const vm::TensorKey& key, const vm::TensorCell& cell);

// RFC 6962 §2.1 Merkle Tree Hash of raw leaf data: MTH({}) = SHA-256(""), leaf = SHA-256(0x00 ‖ data),
// node = SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below n.
vm::Digest merkle_tree_hash(std::span<const std::string> leaves);

// The tensor commitment: merkle_tree_hash of every stored cell's leaf, cells sorted by
// (asset, jurisdiction, domain) with words compared as 32-byte big-endian values.
vm::Digest tensor_commitment(const ZoneStore& store);

// A jurisdiction word as people write it: the short name when it is one ("AE-ADGM"), else 0x hex.
std::string jurisdiction_label(const vm::Word& jurisdiction);

}  // namespace savm::runtime
