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
    if (store_.group_open()) throw;  // this transition alone failed
    fail_open_group(e);              // the store rolled back the whole group
    throw failed_.at(group);
  }
  return group;
}

void GroupCommitter::await(std::uint64_t group) {
  std::lock_guard lock(mutex_);
  if (group == open_) {
    try {
      store_.end_group();
      open_ = 0;
    } catch (const Error& e) {
      fail_open_group(e);
    }
  }
  if (const auto it = failed_.find(group); it != failed_.end()) throw it->second;
}

void GroupCommitter::fail_open_group(const Error& error) {
  failed_.emplace(open_, Error(error.code(), "group commit failed, no transition of the group is stored: " +
                                                 std::string(error.what())));
  open_ = 0;
  ++rollbacks_;
}

}  // namespace savm::runtime
