// The zone verbs end to end through the real `savm` binary: exit codes, output and files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "tests/cli/savm_runner.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

constexpr const char* kAsset1 = "0x0000000000000000000000000000000000000000000000000000000000000001";

std::string request(const std::string& amount_json, const char* asset = kAsset1) {
  return std::string(R"({"asset_id":")") + asset + R"(","entry":"transfer","args":[)" + amount_json +
         R"(],"context":{"timestamp":1700000000}})";
}

class ZoneCli : public SavmRunner {
 protected:
  void SetUp() override {
    SavmRunner::SetUp();
    ASSERT_EQ(savm("asm '" SAVM_SOURCE_DIR "/examples/asm/fee_transfer.sasm' -o fee.savm").exit_code, 0);
    ASSERT_EQ(savm("zone init z --jurisdiction AE-ADGM").exit_code, 0);
    const Outcome installed = savm("zone install z fee.savm");
    ASSERT_EQ(installed.exit_code, 0) << installed.err;
    EXPECT_NE(installed.out.find("export transfer transition"), std::string::npos);
  }
};

TEST_F(ZoneCli, RunVerifyReplay) {
  write("t.json", request("40000"));
  const Outcome run = savm("run z t.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(R"("return":["100"])"), std::string::npos);
  const std::size_t at = run.out.find(R"("receipt_digest":")");
  ASSERT_NE(at, std::string::npos);
  const std::string digest = run.out.substr(at + 18, 64);

  write("b.jsonl", request("1") + "\n\n" + request("0") + "\n" + request("2") + "\n");
  const Outcome batch = savm("run z --batch b.jsonl");
  EXPECT_EQ(batch.exit_code, 1);  // the middle one reverts
  EXPECT_EQ(std::count(batch.out.begin(), batch.out.end(), '\n'), 3);
  EXPECT_NE(batch.out.find(R"("sequence":3)"), std::string::npos);

  const Outcome verify = savm(std::string("chain verify z --asset ") + kAsset1);
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out, "ok chains verified: 4 receipts, 1 assets\n");
  const Outcome replay = savm("replay z " + digest);
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_EQ(savm("replay z --all").exit_code, 0);
}

TEST_F(ZoneCli, BadInputExitsTwoAndWritesNothing) {
  write("ok.json", request("5"));
  ASSERT_EQ(savm("run z ok.json").exit_code, 0);
  write("b.jsonl", request("1") + "\n" + R"({"asset_id":")" + kAsset1 + R"(","entry":"nope"})" + "\n");
  const Outcome batch = savm("run z --batch b.jsonl");
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_EQ(batch.out, "");
  EXPECT_NE(batch.err.find("error[zone.entry]: line 2:"), std::string::npos) << batch.err;
  write("bad.json", "{\"asset_id\":");
  EXPECT_NE(savm("run z bad.json").err.find("error[mcf.syntax]"), std::string::npos);
  EXPECT_EQ(savm("chain verify z").out, "ok chains verified: 1 receipts, 1 assets\n");  // nothing ran

  const std::string unknown_asset = "0x" + std::string(64, 'a');
  const Outcome verify = savm("chain verify z --asset " + unknown_asset);
  EXPECT_EQ(verify.exit_code, 2);
  EXPECT_NE(verify.err.find("error[zone.unknown_asset]"), std::string::npos);
  const Outcome replay = savm("replay z " + std::string(64, 'b'));
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_NE(replay.err.find("error[zone.unknown_receipt]"), std::string::npos);
  EXPECT_NE(savm("zone init z --jurisdiction PK").err.find("error[zone.exists]"), std::string::npos);
  EXPECT_NE(savm("run nowhere ok.json").err.find("error[zone.not_a_zone]"), std::string::npos);
}

// A batch in a pipe (as here) draws no progress bar: stderr stays empty.
TEST_F(ZoneCli, BatchInAPipeKeepsStderrSilent) {
  write("b.jsonl", request("1") + "\n" + request("2") + "\n");
  const Outcome batch = savm("run z --batch b.jsonl");
  EXPECT_EQ(batch.exit_code, 0);
  EXPECT_EQ(batch.err, "");
  EXPECT_EQ(std::count(batch.out.begin(), batch.out.end(), '\n'), 2);
}

// With stderr on a terminal (a pseudo-terminal here) the same batch draws the bar there, and
// stdout still carries the receipts alone.
TEST_F(ZoneCli, BatchOnATerminalDrawsAProgressBarOnStderr) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string terminal = ::ptsname(master);
  const int held = ::open(terminal.c_str(), O_RDWR | O_NOCTTY);  // keeps the terminal up after savm exits
  ASSERT_GE(held, 0);
  write("b.jsonl", request("1") + "\n" + request("2") + "\n" + request("3") + "\n");
  FILE* pipe = ::popen(("cd '" + dir_.string() + "' && '" SAVM_CLI "' run z --batch b.jsonl 2>" + terminal).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0);
  ::fcntl(master, F_SETFL, O_NONBLOCK);
  std::string shown;
  for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;) shown.append(buffer, static_cast<std::size_t>(n));
  ::close(held);
  ::close(master);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
  EXPECT_EQ(out.find("/3"), std::string::npos);  // no progress on stdout
  EXPECT_NE(shown.find("\r[" + std::string(13, '#') + std::string(27, '.') + "] 1/3"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\r[" + std::string(40, '#') + "] 3/3"), std::string::npos) << shown;
}

TEST_F(ZoneCli, SignedZoneProvesAReceiptThatMmrVerifyAccepts) {
  ASSERT_EQ(savm("keygen --out k.json").exit_code, 0);
  const Outcome init = savm("zone init s --jurisdiction AE-ADGM --key k.json --checkpoint-every 4");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(init.out, "zone s jurisdiction AE-ADGM signing checkpoint checkpoint every 4 receipts\n");
  ASSERT_EQ(savm("zone install s fee.savm").exit_code, 0);
  std::string lines;
  for (int i = 1; i <= 5; ++i) lines += request(std::to_string(i)) + "\n";
  write("b.jsonl", lines);
  const Outcome run = savm("run s --batch b.jsonl");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The digest of receipt 2 (the third line).
  std::size_t line = 0;
  for (int i = 0; i < 2; ++i) line = run.out.find('\n', line) + 1;
  const std::string digest = run.out.substr(run.out.find(R"("receipt_digest":")", line) + 18, 64);

  const Outcome prove = savm(std::string("chain prove s --asset ") + kAsset1 + " --sequence 2");
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  write("p.json", prove.out);
  const std::string root = prove.out.substr(prove.out.find(R"("root":")") + 8, 64);
  const Outcome ok = savm("mmr verify p.json --root " + root + " --next-root " + digest);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("ok leaf 2 of 4 next_root " + digest, 0), 0u) << ok.out;
  const Outcome other = savm("mmr verify p.json --next-root " + std::string(64, '0'));
  EXPECT_EQ(other.exit_code, 1);

  const Outcome late = savm(std::string("chain prove s --asset ") + kAsset1 + " --sequence 4");
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_NE(late.err.find("error[zone.not_checkpointed]"), std::string::npos) << late.err;
  EXPECT_EQ(savm("chain verify s").out, "ok chains verified: 5 receipts, 1 assets\n");

  // A tampered checkpoint is named by chain verify (exit 1).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "s" / "zone.db").c_str(), &db), SQLITE_OK);
  const std::string forged(64, 'f');
  ASSERT_EQ(sqlite3_exec(db, ("UPDATE checkpoints SET digest = '" + forged + "'").c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const Outcome tampered = savm("chain verify s");
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_EQ(tampered.out, "FAILED checkpoint " + forged + " (asset " + kAsset1 +
                              ", receipt_count 4): the stored digest column does not match the checkpoint's content "
                              "[zone.checkpoint]\n");
  EXPECT_NE(savm("zone init t --jurisdiction PK --sign every").err.find("error[zone.config]"), std::string::npos);
}

TEST_F(ZoneCli, TensorPrintsTheSliceAndTheCommitment) {
  const Outcome empty = savm("tensor z --commitment");
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");  // no cells
  const Outcome slice = savm(std::string("tensor z --asset ") + kAsset1 + " --jurisdiction AE-ADGM");
  EXPECT_EQ(slice.exit_code, 0) << slice.err;
  EXPECT_NE(slice.out.find("read at 1970-01-01T00:00:00Z (the zone's latest transition), 0 cells"), std::string::npos)
      << slice.out;
  EXPECT_NE(savm("tensor z").err.find("error[zone.request]"), std::string::npos);

  write("tensor.sasm", kTensorModule);
  ASSERT_EQ(savm("asm tensor.sasm -o tensor.savm").exit_code, 0);
  ASSERT_EQ(savm("zone install z tensor.savm").exit_code, 0);
  // bump: cell (asset 2, AE-ADGM, aml) from pending (1) to 2 = not_applicable, evidence word 5.
  write("bump.json", std::string(R"({"asset_id":")") + kAsset1 +
                         R"(","entry":"bump","args":[{"word":"2"},5],"context":{"timestamp":1700000005}})");
  ASSERT_EQ(savm("run z bump.json").exit_code, 0);
  const std::string asset2 = "0x" + std::string(63, '0') + "2";
  const Outcome table = savm("tensor z --asset " + asset2);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("read at 2023-11-14T22:13:25Z (the zone's latest transition), 1 cells"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("AE-ADGM       aml                  not_applicable                 2023-11-14T22:13:25Z  "
                           "never                 " + std::string(63, '0') + "5\n"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("meet over 1 jurisdiction(s): aml=not_applicable\n"), std::string::npos) << table.out;
  const Outcome commitment = savm("tensor z --commitment");
  EXPECT_EQ(commitment.out.size(), 65u);
  EXPECT_NE(commitment.out, empty.out);
}

// Group commit prints the same receipts, in input order, as a durable commit per transition.
TEST_F(ZoneCli, GroupCommitPrintsWhatPerTransitionCommitPrints) {
  ASSERT_EQ(savm("zone init z2 --jurisdiction AE-ADGM").exit_code, 0);
  ASSERT_EQ(savm("zone install z2 fee.savm").exit_code, 0);
  write("b.jsonl", request("1") + "\n" + request("0") + "\n" + request("2") + "\n" + request("3") + "\n" +
                       request("4") + "\n");
  const Outcome alone = savm("run z --batch b.jsonl --group 1");
  const Outcome grouped = savm("run z2 --batch b.jsonl --group 2");
  EXPECT_EQ(alone.exit_code, 1);  // the second one reverts
  EXPECT_EQ(grouped.exit_code, 1);
  EXPECT_EQ(std::count(grouped.out.begin(), grouped.out.end(), '\n'), 5);
  EXPECT_EQ(grouped.out, alone.out);
  const Outcome zero = savm("run z2 --batch b.jsonl --group 0");
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("error[zone.config]: --group"), std::string::npos) << zero.err;
  EXPECT_EQ(savm("chain verify z2").out, "ok chains verified: 5 receipts, 1 assets\n");
}

}  // namespace
}  // namespace savm::testing
