// The corridor part of a zone's durable state (runtime/zone_corridor.h): the corridors opened in
// the zone, their MEZ receipt chains and checkpoints. ZoneStore implements it; the SQLite tables
// are schema version 3 (runtime/zone_store.cpp).
//
// A corridor row holds the chain head and the MMR peaks over its next_roots, like an asset's
// chain row; receipts and checkpoints are stored as their canonical bytes. A receipt produced by
// one of this zone's transitions records the execution receipt it commits to; a receipt received
// from the counterparty zone records none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mmr.h"
#include "vm/word.h"

namespace savm::runtime {

struct StoredCorridor {
  std::string id;               // corridor_id, as in the genesis input and every receipt
  vm::Word word;                // what a transition's context.corridor holds for `id`
  std::string genesis;          // the canonical genesis input (`savm corridor genesis` FILE)
  vm::Digest genesis_root;
  std::uint64_t height = 0;     // receipts so far = the next receipt's sequence
  vm::Digest head;              // the last next_root; the genesis root at height 0
  std::vector<MmrPeak> peaks;   // the MMR over the next_roots (size = height)
};

struct StoredCorridorReceipt {
  std::uint64_t sequence = 0;
  vm::Digest next_root;                      // as recorded in the row (not recomputed)
  std::optional<vm::Digest> execution_receipt;  // the zone receipt it commits to; none if received
  std::string bytes;                         // canonical receipt bytes, proof included
};

struct StoredCorridorCheckpoint {
  std::uint64_t receipt_count = 0;
  vm::Digest digest;  // checkpoint_digest, as recorded in the row
  std::string bytes;  // canonical checkpoint bytes, proof included when signed
};

// Receipts (and the checkpoints they complete) appended to one corridor, all or nothing.
struct CorridorAppend {
  std::string corridor;
  std::uint64_t expected_height = 0;  // the height they extend; a moved head aborts the commit
  std::vector<StoredCorridorReceipt> receipts;
  vm::Digest head;                    // the new head and MMR peaks
  std::vector<MmrPeak> peaks;
  std::vector<StoredCorridorCheckpoint> checkpoints;
};

class CorridorStore {
 public:
  virtual ~CorridorStore() = default;

  // Adds a corridor at height 0. Throws "zone.corridor_exists" if its id or word is taken.
  virtual void open_corridor(const StoredCorridor& corridor) = 0;
  virtual std::optional<StoredCorridor> corridor(std::string_view id) const = 0;
  virtual std::optional<StoredCorridor> corridor_of(const vm::Word& word) const = 0;
  virtual std::vector<std::string> corridors() const = 0;  // ids, ascending

  // Appends in one transaction. Throws "zone.conflict" if the corridor is no longer at
  // `expected_height` (nothing written), "zone.db".
  virtual void append_corridor(const CorridorAppend& append) = 0;

  // One corridor's receipts from sequence `from` on, by sequence; its checkpoints by receipt_count.
  virtual std::vector<StoredCorridorReceipt> corridor_receipts(std::string_view id, std::uint64_t from) const = 0;
  virtual std::vector<StoredCorridorCheckpoint> corridor_checkpoints(std::string_view id) const = 0;
};

}  // namespace savm::runtime
