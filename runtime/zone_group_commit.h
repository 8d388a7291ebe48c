// Group commit for a zone (docs/operating-a-zone.md "Group commit"): transitions commit into one
// open store transaction (a group) while executions go on; one COMMIT with its full sync makes
// the whole group durable. A transition is acknowledged (its receipt returned) only once its
// group is durable; a group whose commit fails is rolled back whole and acknowledges nothing.
//
// Executions read the open group's writes (one connection), so the next transition on an asset
// builds on its predecessor still in the group, and receipts are byte-identical to committing
// each transition alone. Groups become durable strictly in order: once group g is durable, so is
// every earlier group that did not fail.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

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
  explicit GroupCommitter(ZoneStore& store) : store_(store) {}

  // Writes `commit` into the open group (opening one first) and returns the group's number. A
  // failure of this transition alone ("zone.conflict", a rejected row) throws with the group's
  // other transitions intact; a failure that ended the store transaction fails the whole group.
  std::uint64_t add(const TransitionCommit& commit);

  // Returns once `group` is durable, committing it now if it is still open; throws the group's
  // failure (then nothing of it is stored) otherwise.
  void await(std::uint64_t group);

  // Groups rolled back so far. Cross-asset state read across a rollback is stale (runtime/zone.h).
  std::uint64_t rollbacks() const { return rollbacks_.load(); }

 private:
  void fail_open_group(const Error& error);
  void close_empty_group();

  ZoneStore& store_;
  std::mutex mutex_;  // held through a group's COMMIT: no commit can slip into a closing group
  std::uint64_t open_ = 0;  // the group accepting commits; 0 = none
  std::uint64_t last_ = 0;  // the last group number handed out
  std::size_t open_size_ = 0;  // transitions committed into the open group
  std::map<std::uint64_t, Error> failed_;
  std::atomic<std::uint64_t> rollbacks_{0};
};

}  // namespace savm::runtime
