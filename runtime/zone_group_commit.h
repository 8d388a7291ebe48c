// Group commit for a zone (docs/operating-a-zone.md "Group commit"): transitions commit into one
// open store transaction (a group) while executions go on; one COMMIT makes the whole group
// committed, and one sync of the store's log makes it durable. A transition is acknowledged (its
// receipt returned) only once its group is durable; a group whose commit fails is rolled back
// whole and acknowledges nothing.
//
// close() hands the sync to the committer's own thread (docs/design/group-commit-sync.md):
// closing a group costs its executor only the COMMIT, and the next group executes while the disk
// works. await() syncs on the caller's thread when no sync is running (it would only wait for the
// other thread). One sync covers every group committed before it started.
//
// Executions read the open group's writes (one connection), so the next transition on an asset
// builds on its predecessor still in the group, and receipts are byte-identical to committing
// each transition alone. Groups become durable strictly in order: once group g is durable, so is
// every earlier group that did not fail.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/error.h"
#include "runtime/mcf.h"
#include "runtime/zone_receipt.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

// How many transitions Zone::run_batch lets accumulate per group (1 = a durable commit per
// transition, the behaviour of Zone::run).
struct GroupPolicy {
  std::size_t max_transitions = 256;
};

// A receipt committed into group `group`, not yet acknowledged.
struct GroupedReceipt {
  ZoneReceipt receipt;
  std::uint64_t group = 0;
};

class GroupCommitter {
 public:
  explicit GroupCommitter(ZoneStore& store);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;
  // Syncs what is committed, then stops the sync thread.
  ~GroupCommitter();

  // Writes `commit` into the open group (opening one first) and returns the group's number. A
  // failure of this transition alone ("zone.conflict", a rejected row) throws with the group's
  // other transitions intact; a failure that ended the store transaction fails the whole group.
  std::uint64_t add(const TransitionCommit& commit);

  // Commits `group` if it is still open and has the committer's thread sync it; returns at once.
  void close(std::uint64_t group);

  // Returns once `group` is durable, closing it first if it is still open; throws the group's
  // failure (then nothing of it is stored) or the sync's failure otherwise.
  void await(std::uint64_t group);

  // Groups rolled back so far. Cross-asset state read across a rollback is stale (runtime/zone.h).
  std::uint64_t rollbacks() const { return rollbacks_.load(); }

 private:
  void close_locked(std::uint64_t group);
  void sync_committed(std::unique_lock<std::mutex>& lock);
  void fail_open_group(const Error& error);
  void close_empty_group();
  void sync_loop();

  ZoneStore& store_;
  std::mutex mutex_;  // held through a group's COMMIT: no commit can slip into a closing group
  std::condition_variable changed_;  // for await(): any of the state below
  std::condition_variable sync_requested_;  // for the committer's thread: requested_, syncing_, stopping_
  std::uint64_t open_ = 0;  // the group accepting commits; 0 = none
  std::uint64_t last_ = 0;  // the last group number handed out
  std::size_t open_size_ = 0;  // transitions committed into the open group
  std::uint64_t committed_ = 0;  // the last group committed
  std::uint64_t requested_ = 0;  // close() asked the committer's thread to sync up to this group
  std::uint64_t durable_ = 0;    // every group up to this one that did not fail is durable
  bool syncing_ = false;         // a sync runs (on some thread): one at a time
  std::map<std::uint64_t, Error> failed_;
  std::optional<Error> sync_failure_;  // the store's log could not be synced: nothing more is durable
  std::atomic<std::uint64_t> rollbacks_{0};
  bool stopping_ = false;
  std::thread syncer_;  // last: starts once every member above exists
};

}  // namespace savm::runtime
