#include "runtime/zone_group_commit.h"

#include <string>

namespace savm::runtime {

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

void GroupCommitter::await(std::uint64_t group) {
  std::lock_guard lock(mutex_);
  if (group == open_) {
    try {
      store_.end_group();
      open_ = 0;
      open_size_ = 0;
    } catch (const Error& e) {
      fail_open_group(e);
    }
  }
  if (const auto it = failed_.find(group); it != failed_.end()) throw it->second;
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
