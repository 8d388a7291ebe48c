#include "runtime/write_ahead_log.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

int retry_on_interrupt(int (*call)(int), int fd) {
  int rc = 0;
  do {
    rc = call(fd);
  } while (rc != 0 && errno == EINTR);
  return rc;
}

}  // namespace

WriteAheadLog::WriteAheadLog(std::string database) : database_(std::move(database)), path_(database_ + "-wal") {}

WriteAheadLog::~WriteAheadLog() {
  sqlite3_close(checkpointer_);
  if (fd_ >= 0) ::close(fd_);
}

void WriteAheadLog::sync() {
  std::lock_guard lock(sync_mutex_);
  if (failure_) throw Error("zone.db", *failure_);
  if (fd_ < 0) open_log();
  if (retry_on_interrupt(::fdatasync, fd_) != 0) fail("fdatasync " + path_);
}

// Opened on first use, when the log surely exists, and kept: SQLite never replaces the log file
// while a connection is open (a restart rewrites it in place). The directory is synced once so
// that the log's own name survives a power loss too, as SQLite's FULL mode does for a new log.
void WriteAheadLog::open_log() {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) fail("open " + path_);
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail("open " + dir);
  const int rc = retry_on_interrupt(::fsync, dir_fd);
  const int saved = errno;
  ::close(dir_fd);
  errno = saved;
  if (rc != 0) fail("fsync " + dir);
}

void WriteAheadLog::fail(const std::string& what) {
  failure_ = "sqlite log: " + what + ": " + std::error_code(errno, std::generic_category()).message() +
             "; commits since the last successful sync may not be durable (reopen the zone)";
  throw Error("zone.db", *failure_);
}

void WriteAheadLog::checkpoint() {
  std::lock_guard lock(checkpoint_mutex_);
  if (!checkpointer_) open_checkpointer();
  const int rc = sqlite3_wal_checkpoint_v2(checkpointer_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // Busy: another checkpoint runs (another process's). It will be tried again after the next sync.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw Error("zone.db", database_ + ": checkpoint: " + sqlite3_errmsg(checkpointer_));
  }
}

// A new connection learns that the database is in WAL mode only when it first reads it; until
// then a checkpoint through it does nothing.
void WriteAheadLog::open_checkpointer() {
  if (sqlite3_open_v2(database_.c_str(), &checkpointer_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK &&
      sqlite3_exec(checkpointer_, "PRAGMA journal_mode", nullptr, nullptr, nullptr) == SQLITE_OK) {
    return;
  }
  const std::string why = checkpointer_ ? sqlite3_errmsg(checkpointer_) : "out of memory";
  sqlite3_close(checkpointer_);
  checkpointer_ = nullptr;
  throw Error("zone.db", database_ + ": the checkpoint connection: " + why);
}

}  // namespace savm::runtime
