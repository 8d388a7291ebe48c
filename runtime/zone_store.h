// Durable state of a zone behind a narrow interface: configuration, the lockfile, per-asset
// storage, tensor cells, migration records, per-asset chain heads, receipts and the inputs that
// replay them. The executor (runtime/zone.h) only speaks this interface; the SQLite backend is
// the embedded default and a PostgreSQL backend can implement the same calls later. No SQL
// lives outside zone_store.cpp.
//
// Durability: one transaction per transition commits its effects (success only), its receipt,
// its input, the asset's new chain head and MMR peaks, the checkpoint the receipt triggers and,
// for a successful corridor transition, the corridor receipt (and checkpoint), all or nothing,
// synced to disk before commit() returns (the SQLite backend: its own fdatasync of the WAL,
// runtime/write_ahead_log.h): an acknowledged receipt survives a crash (SIGKILL, power loss with
// honest disks).
// Inside a group (begin_group .. end_group, runtime/zone_group_commit.h) each commit() is still
// all or nothing, but is committed only with the group's one COMMIT and durable only after the
// sync() that follows it, which may run on another thread while the next group executes.
//
// Threads: every call is safe from any thread. The SQLite backend has one connection and
// serializes all calls on it (reads are short point lookups; commits are serial in SQLite anyway).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/mmr.h"
#include "runtime/zone_corridor_store.h"
#include "runtime/zone_halt.h"
#include "vm/crypto/digest.h"
#include "vm/host.h"
#include "vm/journal.h"

namespace savm::runtime {

// The schema version this build writes and reads (SQLite user_version). Version 2 added the
// per-asset receipt MMR, checkpoints and the signing policy; version 1 zones are refused.
// Version 3 added the corridor tables (runtime/zone_corridor_store.h), the halt log and the
// imported slices (runtime/zone_halt.h, runtime/tensor_slice.h) and the explanation records
// (runtime/zone_explanation.h); a version 2 zone is migrated to it when opened, in one transaction
// (it only gains empty tables).
inline constexpr int kZoneSchemaVersion = 3;

// What the zone signs with its key (docs/operating-a-zone.md "Signing and checkpoints").
enum class SigningPolicy { none, every, checkpoint };

// "none" / "every" / "checkpoint", and back (nullopt for any other name).
std::string_view signing_policy_name(SigningPolicy policy);
std::optional<SigningPolicy> signing_policy_from_name(std::string_view name);

struct ZoneConfig {
  ZoneConfig() = default;
  // An unsigned zone of `jurisdiction_name` with the default checkpoint interval.
  explicit ZoneConfig(std::string jurisdiction_name) : jurisdiction(std::move(jurisdiction_name)) {}

  std::string jurisdiction;  // the short name given to `zone init` ("PK", "AE-ADGM")
  SigningPolicy signing = SigningPolicy::none;
  std::uint64_t checkpoint_every = 64;  // a checkpoint after every N receipts of an asset
  std::string key_path;                 // the key pair file (absolute); "" when signing is none
  std::string public_key;               // its public key, 64 hex digits; "" when signing is none
  // Domains whose non_compliant cells halt their asset (runtime/zone_halt.h); empty = never.
  std::vector<vm::Domain> halt_on = {vm::Domain::sanctions};  // kDefaultHaltOn
};

// An imported tensor slice as stored (runtime/tensor_slice.h).
struct StoredSlice {
  vm::Digest digest;  // slice_digest
  vm::Word asset;
  vm::Word jurisdiction;
  std::int64_t issued_at = 0;
  std::uint64_t after_commit = 0;  // commit_index of the zone's last receipt when it was imported
  std::string bytes;               // the document, proof included (its cells are re-derived from it)
};

// One lockfile row: an export name pinned to the module digest that provides it.
struct LockedExport {
  std::string name;
  vm::Digest module;
  std::string kind;  // vm::kExportKindNames
};

struct ZoneChainHead {
  std::uint64_t height = 0;  // receipts so far = the next receipt's sequence
  vm::Digest head;           // last receipt_digest; zero at genesis
  std::vector<MmrPeak> peaks;  // the MMR over the chain's receipt digests (size = height)
};

// A checkpoint document (runtime/zone_checkpoint.h) as stored.
struct StoredCheckpoint {
  vm::Word asset;
  std::uint64_t receipt_count = 0;
  vm::Digest digest;  // as recorded in the row (not recomputed)
  std::string bytes;  // canonical checkpoint bytes, proof included when signed
};

// What replay needs to re-execute a transition.
struct TransitionInput {
  vm::Digest module;
  std::string entry;
  std::vector<std::uint8_t> input;  // ABI bytes
  std::string context;              // canonical JSON of the full context (runtime/context_json.h)
};

struct StoredReceipt {
  std::uint64_t commit_index = 0;  // global commit order, 1-based, dense
  vm::Digest digest;               // as recorded in the row (not recomputed)
  vm::Word asset;
  std::uint64_t sequence = 0;
  std::string bytes;  // canonical receipt bytes
  TransitionInput transition;
};

// Everything one transition writes.
struct TransitionCommit {
  vm::Word asset;
  ZoneChainHead expected_head;   // the head the execution ran on; a moved head aborts the commit
  const vm::Effects* effects;    // null unless the outcome was success
  vm::Digest receipt_digest;
  std::string receipt_bytes;
  TransitionInput transition;
  std::vector<MmrPeak> peaks;                 // the asset's MMR with this receipt appended
  std::optional<StoredCheckpoint> checkpoint;  // when this receipt completes a checkpoint interval
  std::optional<CorridorAppend> corridor;      // the corridor receipt of a successful corridor transition
  // The canonical bytes of the execution's explanation record (runtime/execution_receipt.h),
  // stored under `explanation_digest` (the receipt's); empty when the execution traced nothing.
  std::string explanation;
  vm::Digest explanation_digest;
};

// A committed state row, for audits (the receipt that last wrote it is recorded with it).
struct StorageRow {
  vm::Word asset;
  vm::Word key;
  vm::Word value;
};

class ZoneStore : public CorridorStore {
 public:
  ~ZoneStore() override = default;

  virtual ZoneConfig config() const = 0;

  // Adds `exports` of `module` to the lockfile in one transaction. Throws "zone.export_conflict"
  // if a name is already pinned to another module (nothing is written then).
  virtual void lock_exports(const vm::Digest& module, const std::vector<LockedExport>& exports) = 0;
  virtual std::optional<LockedExport> locked_export(const std::string& name) const = 0;
  virtual std::vector<LockedExport> lockfile() const = 0;

  // The regpack data bound under `name` ("sanctions"): its digest in the content store. Binding
  // replaces the previous one (a list update); transitions from then on run under the new data.
  virtual void bind_regpack(std::string_view name, const vm::Digest& digest) = 0;
  virtual std::optional<vm::Digest> bound_regpack(std::string_view name) const = 0;

  virtual std::optional<vm::Word> storage_get(const vm::Word& asset, const vm::Word& key) const = 0;
  virtual std::optional<vm::TensorCell> tensor_get(const vm::TensorKey& key) const = 0;
  virtual std::optional<vm::MigrationRecord> migration_get(const vm::Word& id) const = 0;
  virtual ZoneChainHead chain_head(const vm::Word& asset) const = 0;
  virtual std::vector<vm::Word> assets() const = 0;  // assets with a chain, ascending

  // The one write path of execution. Throws "zone.conflict" if the asset's head is no longer
  // `expected_head` (another executor got there first), "zone.db" on storage failure; in both
  // cases nothing of the transition is stored.
  virtual void commit(const TransitionCommit& commit) = 0;

  // Group commit. begin_group() opens one write transaction; every commit() until end_group()
  // writes into it (reads see it) and fails alone unless the failure ended the transaction, which
  // group_open() then reports as false (the group was rolled back whole). end_group() commits the
  // group without waiting for the disk; on failure it rolls the group back and throws "zone.db".
  // sync() returns once every group committed before it is durable; it takes no lock that other
  // calls wait for. A failed sync throws "zone.db", and so does every later one (the store cannot
  // vouch for any later commit: reopen it). checkpoint() is housekeeping after a sync, never
  // needed for durability: it lets the store shorten its log (SQLite: a passive checkpoint once the
  // log holds about 4 MB), also without a lock that other calls wait for.
  virtual void begin_group() = 0;
  virtual void end_group() = 0;
  virtual void sync() = 0;
  virtual void checkpoint() = 0;
  virtual bool group_open() const = 0;

  // Receipts in commit order (all, or one asset's, which is also sequence order).
  virtual void for_each_receipt(const std::optional<vm::Word>& asset,
                                const std::function<void(const StoredReceipt&)>& visit) const = 0;
  virtual std::optional<StoredReceipt> find_receipt(const vm::Digest& digest) const = 0;
  // The receipt committed last (highest commit_index), if any.
  virtual std::optional<StoredReceipt> last_receipt() const = 0;

  // The explanation record stored under `digest` (a receipt's explanation_digest), as stored.
  virtual std::optional<std::string> find_explanation(const vm::Digest& digest) const = 0;

  // One asset's checkpoints, by receipt_count ascending.
  virtual std::vector<StoredCheckpoint> checkpoints(const vm::Word& asset) const = 0;

  // Committed state, ordered by key, for the replay audit.
  virtual std::vector<StorageRow> storage_rows() const = 0;
  virtual std::vector<std::pair<vm::TensorKey, vm::TensorCell>> tensor_rows() const = 0;
  virtual std::vector<vm::MigrationRecord> migration_rows() const = 0;

  // Halting (runtime/zone_halt.h). commit() refuses a halted asset ("zone.halted"), refuses
  // effects that write an imported (asset, jurisdiction) ("zone.foreign_cell") and appends the
  // halt-on trigger's records in the same transaction.
  virtual bool halted(const vm::Word& asset) const = 0;
  // Every asset halted now, ascending: one read for a batch's checks.
  virtual std::vector<vm::Word> halted_assets() const = 0;
  // Appends an operator's halt or resume. Throws "zone.halt_state" if the asset is already in
  // that state (nothing written).
  virtual HaltRecord record_halt_action(const HaltEvent& event) = 0;
  // The zone's halt log (one asset's records, or all), by sequence.
  virtual std::vector<HaltRecord> halt_log(const std::optional<vm::Word>& asset) const = 0;

  // Stores an imported slice's cells (replacing the cells of its (asset, jurisdiction) it names)
  // and the slice, and runs the halt-on trigger on its cells, in one transaction; returns the
  // halt records it appended. Throws "slice.stale" if a slice of the same (asset, jurisdiction)
  // issued later is already imported; re-importing the same slice writes nothing.
  // `cells` are the slice's cells as stored (TensorSlice::imported_cells); after_commit is set here.
  virtual std::vector<HaltRecord> import_slice(const StoredSlice& slice,
                                               const std::vector<std::pair<vm::TensorKey, vm::TensorCell>>& cells) = 0;
  // Every imported slice, in import order.
  virtual std::vector<StoredSlice> imported_slices() const = 0;
};

// Creates a new SQLite zone database at `file` (which must not exist). Throws "zone.exists",
// "zone.db".
std::unique_ptr<ZoneStore> create_sqlite_zone_store(const std::filesystem::path& file, const ZoneConfig& config);

// Opens an existing one (migrating a version 2 database to version 3). Throws "zone.not_a_zone"
// (no such file), "zone.schema" (a schema version this build does not know: newer, or not a zone
// database), "zone.db".
std::unique_ptr<ZoneStore> open_sqlite_zone_store(const std::filesystem::path& file);

}  // namespace savm::runtime
