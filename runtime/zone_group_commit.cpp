#include "runtime/zone_group_commit.h"

#include <exception>
#include <string>

namespace savm::runtime {

GroupCommitter::GroupCommitter(ZoneStore& store) : store_(store), syncer_([this] { sync_loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  sync_requested_.notify_one();
  syncer_.join();
}

std::uint64_t GroupCommitter::add(const TransitionCommit& commit) {
  std::lock_guard lock(mutex_);
  if (open_ == 0) {
    store_.begin_group();
    open_ = ++last_;
  }
  const std::uint64_t group = open_;
  try {
    store_.commit(commit);
  } catch (const Error& e) {
    if (!store_.group_open()) {  // the store rolled back the whole group
      fail_open_group(e);
      throw failed_.at(group);
    }
    // This transition alone failed. A group it opened holds nothing: close it rather than keep
    // the database's write lock with no one left to commit it.
    if (open_size_ == 0) close_empty_group();
    throw;
  }
  ++open_size_;
  return group;
}

void GroupCommitter::close(std::uint64_t group) {
  {
    std::lock_guard lock(mutex_);
    close_locked(group);
    requested_ = committed_;
  }
  sync_requested_.notify_one();
}

void GroupCommitter::await(std::uint64_t group) {
  std::unique_lock lock(mutex_);
  close_locked(group);
  // The caller waits anyway: it syncs itself rather than wake the sync thread and wait for it.
  for (;;) {
    if (const auto it = failed_.find(group); it != failed_.end()) throw it->second;
    if (durable_ >= group) return;
    if (sync_failure_) throw *sync_failure_;
    if (syncing_) {
      changed_.wait(lock);
    } else {
      sync_committed(lock);
    }
  }
}

void GroupCommitter::close_locked(std::uint64_t group) {
  if (group != open_) return;
  try {
    store_.end_group();
    committed_ = open_;
    open_ = 0;
    open_size_ = 0;
  } catch (const Error& e) {
    fail_open_group(e);
  }
  changed_.notify_all();
}

// One sync at a time, each covering every group committed before it started; `lock` (on mutex_)
// is released meanwhile. A failed sync is final: the store refuses every later sync too
// (runtime/zone_store.h), so every wait for a group not yet durable gets the failure.
void GroupCommitter::sync_committed(std::unique_lock<std::mutex>& lock) {
  syncing_ = true;
  const std::uint64_t target = committed_;
  const std::uint64_t from = durable_;
  lock.unlock();
  std::optional<Error> failure;
  const auto failed = [&](const std::string& code, const char* what) {
    failure = Error(code, "group commit: the groups after " + std::to_string(from) +
                              " may not be durable, none of them is acknowledged: " + what);
  };
  try {
    store_.sync();
  } catch (const Error& e) {
    failed(e.code(), e.what());
  } catch (const std::exception& e) {  // even out of memory must not leave syncing_ set
    failed("zone.db", e.what());
  }
  lock.lock();
  syncing_ = false;
  if (failure) {
    sync_failure_ = std::move(failure);
  } else {
    durable_ = target;
  }
  changed_.notify_all();
  // The committer's thread waits for no sync to run before it starts one, and ends on a failure.
  if (requested_ > durable_ || sync_failure_) sync_requested_.notify_one();
}

// The syncs close() asks for, each followed by the store's checkpoint (runtime/write_ahead_log.h),
// both off the executors' threads. (A durable commit per transition, await() alone, leaves the
// checkpoints to the writing connection, which completes one once the log is long.)
void GroupCommitter::sync_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    sync_requested_.wait(lock, [&] { return sync_failure_ || (!syncing_ && (stopping_ || requested_ > durable_)); });
    if (sync_failure_ || durable_ >= committed_) return;  // failed, or stopping with nothing to sync
    sync_committed(lock);
    if (sync_failure_) return;
    lock.unlock();
    store_.checkpoint();
    lock.lock();
  }
}

void GroupCommitter::close_empty_group() {
  try {
    store_.end_group();  // nothing to sync
  } catch (const Error&) {  // end_group rolled it back: also closed, and it held nothing to lose
  }
  open_ = 0;
}

void GroupCommitter::fail_open_group(const Error& error) {
  failed_.emplace(open_, Error(error.code(), "group commit failed, no transition of the group is stored: " +
                                                 std::string(error.what())));
  open_ = 0;
  open_size_ = 0;
  ++rollbacks_;
}

}  // namespace savm::runtime
