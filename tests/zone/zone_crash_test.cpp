// Crash safety: a child process runs a stream of transitions and reports each acknowledged
// receipt digest on a pipe; the parent SIGKILLs it at seeded random points, reopens the zone and
// checks that every acknowledged receipt is present, every chain verifies, and replaying the
// zone reproduces exactly the stored state (no effect without its receipt). The zone signs every
// receipt and checkpoints every 3, so chain verify also checks that each checkpoint and signature
// committed with its receipt or not at all. The same runs with group commit: the child reports
// receipts as run_batch acknowledges them, group by group. The number of kill
// points is SAVM_ZONE_CRASH_POINTS (default 3; the full suite sets more).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <set>

#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

unsigned crash_points() {
  const char* env = std::getenv("SAVM_ZONE_CRASH_POINTS");
  return env ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : 3u;
}

runtime::TransitionRequest request(unsigned i, unsigned round) {
  const unsigned asset = 1 + (i * 7 + round) % 5;
  return i % 4 == 3 ? bump(asset, 2, i) : transfer(asset, i % 6 == 5 ? 0 : 10 + i);
}

void acknowledge(int ack_fd, const std::string& receipt_digest) {
  const std::string line = receipt_digest + "\n";
  if (::write(ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(3);
}

// group 0: Zone::run per transition; otherwise run_batch with groups of `group`.
[[noreturn]] void child_stream(const std::filesystem::path& dir, int ack_fd, unsigned round, std::size_t group) {
  try {
    auto zone = runtime::Zone::open(dir);
    for (unsigned i = 0;;) {
      if (group == 0) {
        acknowledge(ack_fd, zone->run(request(i++, round)).at("receipt_digest").get<std::string>());
        continue;
      }
      std::vector<runtime::TransitionRequest> batch;
      for (unsigned k = 0; k < 4 * group; ++k) batch.push_back(request(i++, round));
      zone->run_batch(batch, runtime::GroupPolicy{group},
                      [&](std::size_t, const runtime::ZoneReceipt& receipt) { acknowledge(ack_fd, receipt.digest.hex()); });
    }
  } catch (...) {
    ::_exit(4);
  }
}

void sigkill_at_random_points(const std::filesystem::path& dir, std::size_t group) {
  std::mt19937 random(20261122);
  std::set<std::string> acknowledged;
  for (unsigned round = 0; round < crash_points(); ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      child_stream(dir, fds[1], round, group);
    }
    ::close(fds[1]);
    const unsigned kill_after = std::uniform_int_distribution<unsigned>(1, 12)(random);
    std::string pending;
    unsigned seen = 0;
    char buffer[4096];
    while (seen < kill_after) {
      const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
      ASSERT_GT(n, 0) << "the child died before the kill point";
      for (ssize_t k = 0; k < n; ++k) seen += buffer[k] == '\n';
      pending.append(buffer, static_cast<std::size_t>(n));
    }
    // Land somewhere inside a later transition: execution, commit or fsync.
    ::usleep(std::uniform_int_distribution<unsigned>(0, 3000)(random));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << status;
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) pending.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    for (std::size_t start = 0, end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      acknowledged.insert(pending.substr(start, end - start));
    }

    auto zone = runtime::Zone::open(dir);
    for (const auto& digest : acknowledged) {
      EXPECT_TRUE(zone->store().find_receipt(vm::Digest::from_hex(digest).value())) << "lost " << digest;
    }
    const auto chains = runtime::verify_chains(zone->store(), std::nullopt);
    EXPECT_FALSE(chains.failure) << chains.failure->message;
    for (const vm::Word& asset : zone->store().assets()) {
      EXPECT_EQ(zone->store().checkpoints(asset).size(), zone->store().chain_head(asset).height / 3);
    }
    const auto replay = runtime::replay_all(*zone);
    EXPECT_FALSE(replay.failure) << replay.failure->message;
    EXPECT_GE(replay.receipts, acknowledged.size());
  }
}

TEST_F(ZoneTest, SigkillAtRandomPointsLosesNoAcknowledgedReceipt) {
  reinit(runtime::SigningPolicy::every, 3);
  zone_.reset();  // the child opens its own connection
  sigkill_at_random_points(dir_, 0);
}

TEST_F(ZoneTest, SigkillDuringGroupCommitLosesNoAcknowledgedReceipt) {
  reinit(runtime::SigningPolicy::every, 3);
  zone_.reset();
  sigkill_at_random_points(dir_, 4);
}

}  // namespace
}  // namespace savm::testing
