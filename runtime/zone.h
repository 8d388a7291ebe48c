// A zone: the transition executor over a durable store (docs/operating-a-zone.md).
//
//   DIR/zone.db          the SQLite store (runtime/zone_store.h)
//   DIR/cas/module/...   installed modules, content-addressed (runtime/content_store.h)
//   DIR/cas/regpack/...  regpack data bound to the zone's host intrinsics (runtime/zone_intrinsics.h)
//
// run() validates a request completely before anything executes (entry in the lockfile,
// arguments, context, jurisdiction), executes the entry against a host that reads the store,
// and commits effects (success only) + receipt + input + chain head in one transaction. Receipts
// chain per asset exactly like `savm exec --state` (sequence, prev_receipt_digest); each asset
// also keeps an MMR over its receipt digests, and every `checkpoint_every` receipts a checkpoint
// (runtime/zone_checkpoint.h) commits in the same transaction as the receipt that completes it.
// The signing policy (runtime/zone_signer.h) decides which of the two carry the zone's proof.
//
// Concurrency: run() may be called from many threads. Transitions on one asset are strictly
// serialized (a mutex per asset); different assets execute in parallel and their commits are
// serialized by the store. Cross-asset state (tensor cells and migration records, which any
// transition may read or write) stays serializable in commit order: a transition that read such
// state while another commit changed it is re-executed alone (all other executions paused), so
// replaying the zone in commit order reproduces every receipt. One process per zone directory;
// a second executor that races on an asset gets "zone.conflict" and writes nothing.
//
// Group commit (runtime/zone_group_commit.h): every commit goes into the committer's open group;
// run() then makes that group durable before it returns, run_batch() only after up to
// GroupPolicy::max_transitions transitions, acknowledging them together. Locks are released before
// the wait for durability, so other threads keep executing into the next group meanwhile.
// Halting (runtime/zone_halt.h): prepare() refuses a halted asset with "zone.halted" before
// executing; the store's commit checks it again in the commit transaction (a halt since prepare,
// by the operator or triggered by another asset's commit) and runs the halt-on trigger.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/content_store.h"
#include "runtime/execution_receipt.h"
#include "runtime/transition_request.h"
#include "runtime/zone_group_commit.h"
#include "runtime/zone_intrinsics.h"
#include "runtime/typed_arguments.h"
#include "runtime/zone_signer.h"
#include "runtime/zone_store.h"
#include "vm/verifier.h"

namespace savm::runtime {

struct SignaturePolicy;  // runtime/corridor_verify.h
struct VerifiedSlice;  // runtime/tensor_slice.h

struct InstalledModule {
  vm::Digest digest;
  std::vector<LockedExport> exports;
};

// A request that passed every check and is ready to execute.
struct PreparedTransition {
  std::shared_ptr<const vm::VerifiedModule> module;
  std::uint32_t function = 0;
  ExecutionRequest request;  // context complete except sequence / prev (set from the chain)
};

class Zone {
 public:
  // Creates DIR (if needed), DIR/zone.db and DIR/cas. Throws "zone.exists" if DIR already holds
  // a zone, "context.id" for a jurisdiction that is not a short name (1..31 bytes),
  // "zone.config" for a checkpoint interval of 0 or a signing policy without a key (or a key
  // without one), "zone.key" for a key file that cannot be read. `config.public_key` is derived
  // from the key file and `key_path` stored absolute.
  static void init(const std::filesystem::path& dir, ZoneConfig config);
  // Throws "zone.not_a_zone", "zone.schema", "zone.db", "zone.key" (runtime/zone_signer.h).
  // `typed` encodes typed arguments (runtime/typed_arguments.h); without it only arrays of words
  // are accepted.
  static std::unique_ptr<Zone> open(const std::filesystem::path& dir, TypedArguments typed = {});

  // Verifies the module (the reader's and verifier's codes on failure), stores it in the CAS and
  // pins its exports in the lockfile. Idempotent; "zone.export_conflict" if another installed
  // module already provides an export name (nothing is pinned then).
  InstalledModule install(std::span<const std::uint8_t> module_bytes);

  // Binds a sanctions list (runtime/sanctions_list.h) as the zone's "sanctions" regpack: its
  // canonical bytes go to the CAS, and transitions from then on screen against it through the
  // `sanctions.screen` intrinsic (runtime/zone_intrinsics.h) and name its digest in their
  // receipts' regpack_digest_set. Throws "regpack.sanctions" (bad list; nothing bound),
  // "zone.io". Returns the list's digest.
  vm::Digest bind_sanctions_list(const Json& document);
  // The intrinsics over the data bound now (loaded from the CAS once per digest).
  ZoneIntrinsics intrinsics() const;
  // The intrinsics over the regpacks a receipt names (what replay binds).
  ZoneIntrinsics intrinsics_for(const std::vector<vm::Digest>& regpacks) const;

  // Every check, no execution, no write. Throws "zone.entry" (not a transition export of the
  // lockfile), "abi.value", "abi.signature" (typed args for a module without a signature, or a
  // zone opened without an encoder), "context.*", "zone.jurisdiction", "zone.cas_*".
  PreparedTransition prepare(const TransitionRequest& request) const;
  // The same against `halted`, the store's halted_assets() read once for a whole batch: outside
  // a transaction each read of the store is a read transaction of its own, whose locks are system
  // calls.
  PreparedTransition prepare(const TransitionRequest& request, std::span<const vm::Word> halted) const;

  // prepare + execute + commit; returns the committed receipt (any outcome) as a tree, parsed
  // from the stored bytes.
  Json run(const TransitionRequest& request);
  Json run(const PreparedTransition& transition);

  // The batch in order, `policy.max_transitions` per durable group ("zone.config" for 0); returns
  // the receipts in input order. `acknowledged(index, receipt)` is called, in order, once a
  // receipt's group is durable. A transition that fails (an exception, not a failed outcome)
  // ends the batch as with one run() per transition: what committed before it is made durable
  // and acknowledged first, unless its failure rolled back the group, which acknowledges nothing.
  // The request overload prepares every request before the first one runs.
  // Receipts come as their stored bytes (runtime/zone_receipt.h): no tree per transition.
  using Acknowledge = std::function<void(std::size_t index, const ZoneReceipt& receipt)>;
  std::vector<ZoneReceipt> run_batch(std::span<const PreparedTransition> batch, GroupPolicy policy,
                                     const Acknowledge& acknowledged = {});
  std::vector<ZoneReceipt> run_batch(std::span<const TransitionRequest> batch, GroupPolicy policy,
                                     const Acknowledge& acknowledged = {});

  // Corridors in the zone (runtime/zone_corridor.h, defined in zone_corridor.cpp).
  // Opens the corridor of a `savm corridor genesis` input; returns its genesis root.
  vm::Digest open_corridor(const Json& genesis);
  // Verifies a counterparty's chain of an open corridor and appends the receipts this zone lacks;
  // returns how many. All or nothing.
  std::uint64_t receive_corridor(std::string_view jsonl, const SignaturePolicy& policy);
  // An operator's halt or resume of `asset`, recorded in the halt log (runtime/zone_halt.h).
  // Throws "zone.halt_state" if the asset is already in that state.
  HaltRecord set_halted(const vm::Word& asset, HaltAction action, std::string_view reason);
  // Stores a verified foreign slice (runtime/tensor_slice.h) in one transaction; returns the halt
  // records its cells triggered. Throws "slice.stale".
  std::vector<HaltRecord> import_slice(const VerifiedSlice& slice);

  // The lockfile's pin for export `name`. Pins are never changed or removed (install refuses a
  // conflicting one), so each is read from the store once per process.
  std::optional<LockedExport> locked_export(const std::string& name) const;

  // The verified module with `digest`, loaded from the CAS once per process.
  std::shared_ptr<const vm::VerifiedModule> module(const vm::Digest& digest) const;

  const ZoneStore& store() const { return *store_; }
  const ZoneConfig& config() const { return config_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Zone(std::filesystem::path dir, std::unique_ptr<ZoneStore> store, TypedArguments typed);
  std::vector<std::uint8_t> input(const vm::Digest& digest, const vm::Module& module, const TransitionRequest& request) const;
  // prepare() once the asset's halt state is known.
  PreparedTransition prepare(const TransitionRequest& request, bool halted) const;
  std::shared_ptr<std::mutex> asset_lock(const vm::Word& asset);
  // Execute + commit into the open group, not yet durable.
  GroupedReceipt run_into_group(const PreparedTransition& transition);
  // One execution + commit; empty when cross-asset reads went stale and `exclusive` is false.
  std::optional<GroupedReceipt> attempt(const PreparedTransition& transition, bool exclusive);
  // The checkpoint the asset's MMR (`receipt_count` receipts with `peaks`, just extended by
  // receipt `head`) is due for, if any.
  std::optional<StoredCheckpoint> checkpoint_due(const vm::Word& asset, std::uint64_t receipt_count,
                                                 const std::vector<MmrPeak>& peaks, const vm::Digest& head,
                                                 std::int64_t timestamp) const;

  std::filesystem::path dir_;
  std::unique_ptr<ZoneStore> store_;
  GroupCommitter committer_;
  ContentStore cas_;
  ZoneConfig config_;
  vm::Word jurisdiction_;
  ZoneSigner signer_;
  TypedArguments typed_arguments_;

  std::shared_ptr<const SanctionsList> sanctions_list(const vm::Digest& digest) const;

  mutable std::mutex lists_mutex_;
  mutable std::map<vm::Digest, std::shared_ptr<const SanctionsList>> lists_;
  // The binding, read from the store once at open and kept with every bind (one process per zone
  // directory), so a transition does not query the store for it.
  std::optional<vm::Digest> bound_sanctions_;
  mutable std::mutex modules_mutex_;
  mutable std::map<vm::Digest, std::shared_ptr<const vm::VerifiedModule>> modules_;
  mutable std::map<std::string, LockedExport, std::less<>> exports_;  // under modules_mutex_
  std::mutex assets_mutex_;
  std::map<vm::Word, std::shared_ptr<std::mutex>> asset_locks_;
  std::shared_mutex gate_;        // shared while executing; exclusive for a stale re-execution
  std::mutex turnstile_;          // a queued exclusive re-execution goes before new executions
  std::atomic<int> exclusive_queued_{0};  // re-executions waiting: only then do executions take the turnstile
  std::mutex commit_mutex_;       // the stale check and the commit are one step
  // Bumped (under commit_mutex_) by each commit that writes tensor or migration state; read without
  // it before an execution, so that no execution waits for another's commit to start.
  std::atomic<std::uint64_t> shared_epoch_{0};
};

}  // namespace savm::runtime
