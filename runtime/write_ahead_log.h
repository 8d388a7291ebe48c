// The zone database's write-ahead log, kept from outside the connection that writes it
// (docs/design/group-commit-sync.md). The writing connection runs synchronous=NORMAL and without
// automatic checkpoints, so its COMMIT only appends frames to the log. This class then does the
// two slow parts on whichever thread calls it, taking no lock of the writing connection:
//   sync()        one fdatasync of the log file: every frame committed before it is durable;
//   checkpoint()  copies committed frames into the database file through a connection of its own
//                 (SQLite lets one connection checkpoint while another writes) so the log stays
//                 short.
// SQLite itself still syncs the log before a checkpoint copies it and the database after, and the
// log header whenever the log restarts (NORMAL keeps those syncs), so a committed frame is durable
// once a later sync() returns, whether or not it was checkpointed meanwhile.
#pragma once

#include <mutex>
#include <optional>
#include <string>

struct sqlite3;

namespace savm::runtime {

class WriteAheadLog {
 public:
  // `database`: the file of a WAL-mode database open elsewhere; its log is `database`-wal.
  explicit WriteAheadLog(std::string database);
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;
  ~WriteAheadLog();

  // Returns once everything committed to the log so far is on disk. Safe from any thread; calls
  // run one at a time and never wait for a checkpoint. Throws Error "zone.db" if the disk reports
  // a failure, and from then on on every call: after a failed fdatasync the kernel may have
  // dropped the unwritten pages, so no later sync can vouch for them (the zone must be reopened,
  // which recovers from the log on disk).
  void sync();

  // A passive checkpoint: copies what no reader still needs, never waits for the writer. Throws
  // Error "zone.db" on a storage failure (the log is then left as it was, nothing is lost).
  void checkpoint();

 private:
  void open_log();
  void open_checkpointer();
  [[noreturn]] void fail(const std::string& what);

  std::mutex sync_mutex_;  // fd_, failure_
  std::mutex checkpoint_mutex_;  // checkpointer_: a checkpoint never delays a sync
  std::string database_;
  std::string path_;  // the log file
  int fd_ = -1;
  sqlite3* checkpointer_ = nullptr;  // opened on the first checkpoint
  std::optional<std::string> failure_;
};

}  // namespace savm::runtime
