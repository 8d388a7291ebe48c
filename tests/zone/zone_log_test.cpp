// The zone database's write-ahead log (runtime/write_ahead_log.h): a sync that cannot be done
// names the log and stays failed, and a long stream of groups keeps the log short by checkpoints
// run off the executor (SQLite's own automatic checkpoint is off in a zone).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/write_ahead_log.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

TEST(WriteAheadLogTest, AFailedSyncNamesTheLogAndEveryLaterSyncFailsToo) {
  const auto dir = std::filesystem::temp_directory_path() / ("savm-wal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  runtime::WriteAheadLog log((dir / "zone.db").string());
  std::string first;
  try {
    log.sync();
    FAIL() << "synced a log that does not exist";
  } catch (const runtime::Error& e) {
    EXPECT_EQ(e.code(), "zone.db");
    first = e.what();
    EXPECT_NE(first.find((dir / "zone.db-wal").string()), std::string::npos) << first;
    EXPECT_NE(first.find("No such file"), std::string::npos) << first;
  }
  // The log exists now, but a store whose sync failed once cannot vouch for what came before.
  std::ofstream(dir / "zone.db-wal") << "frames";
  EXPECT_EQ(error_code([&] { log.sync(); }), "zone.db");
  try {
    log.sync();
    FAIL() << "a failed log synced again";
  } catch (const runtime::Error& e) {
    EXPECT_EQ(std::string(e.what()), first);
  }
  std::filesystem::remove_all(dir);
}

TEST_F(ZoneTest, ALongGroupedStreamIsCheckpointedIntoTheDatabaseWhileTheZoneRuns) {
  installed_zone();
  const auto database = dir_ / "zone.db";
  const auto log = dir_ / "zone.db-wal";
  const auto database_before = std::filesystem::file_size(database);
  std::vector<runtime::TransitionRequest> stream;
  for (unsigned i = 0; i < 3000; ++i) stream.push_back(transfer(1 + i % 4, 100 + i, 1700000000 + i));
  zone_->run_batch(stream, runtime::GroupPolicy{256});
  // Without checkpoints every frame of the stream would still be in the log (SQLite's automatic
  // one is replaced by the committer's) and the database file would not have grown at all.
  EXPECT_GT(std::filesystem::file_size(database), database_before + 1024 * 1024);
  // The log restarts after a complete checkpoint: it never holds much more than the 1000-frame
  // threshold plus the group being written (a frame: a 4096-byte page and a 24-byte header).
  EXPECT_LT(std::filesystem::file_size(log), std::uintmax_t{2000} * (4096 + 24));
}

}  // namespace
}  // namespace savm::testing
