// `make demo` cannot silently rot: the PK->AE corridor driver (examples/pk-ae-corridor/run) is run
// with the built `savm`, and its key lines must appear in the story's order: each verdict, the
// amounts due with their citations (worked by hand below), the corridor receipt committing to the
// payment's receipt, the screening hit, the halt, the refusal, every chain verified and the
// payment's receipt replayed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

struct DriverRun {
  int exit_code;
  std::string out;  // stdout and stderr together, as a user sees them
};

DriverRun run_driver() {
  const std::string command = "'" SAVM_SOURCE_DIR "/examples/pk-ae-corridor/run' '" SAVM_CLI "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Each expected text must occur after the previous one.
void expect_in_order(const std::string& out, const std::vector<std::string>& texts) {
  std::size_t at = 0;
  for (const std::string& text : texts) {
    const std::size_t found = out.find(text, at);
    ASSERT_NE(found, std::string::npos) << "missing, or out of order: " << text << "\n--- output:\n" << out;
    at = found + text.size();
  }
}

TEST(CorridorDemo, TheScenarioRunsEndToEnd) {
  const DriverRun r = run_driver();
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("SKIPPED"), std::string::npos) << r.out;
  expect_in_order(r.out, {
      "zone pk jurisdiction pk signing every",
      "zone ae jurisdiction ae signing every",
      "export pk.corridor.pay transition",
      "verdict: licensing = compliant",
      // s.149 TY2025: 30,000 + 15% × (1,500,000 − 1,200,000) = 75,000.
      "due under pk.ito2001.salary_tax: 75000 PKR; cites \"s.149\", \"First Schedule Pt I Div I\", \"s.219\"",
      "verdict: tax = compliant",
      // s.153(1)(a) TY2025, a company on the ATL: 5% × 1,000,000 = 50,000.
      "due under pk.ito2001.wht_153: 50000 PKR; cites \"s.153(1)\", \"Tenth Schedule r.1\", \"s.219\"",
      "verdict: tax = compliant",
      "verdict: sanctions = compliant",
      "verdict: corporate = compliant",  // ADGM s.287: a private company needs no secretary
      "verdict: tax = compliant",        // VAT Art. 13: must register, and is registered
      "verdict: payments = compliant",
      "ok corridor chain verified: \"receipt_count\":1",  // `savm corridor verify` of the export
      "verdict: sanctions = non_compliant",  // Lashkar-e-Jhangvi, ATA 1997 First Schedule
      "halted",
      "zone.halted",
      "result: {\"amount\":\"50000\",\"currency\":\"PKR\"}",
      "ok chains verified",
      "ok chains verified",
      "ok replayed",
  });
  // The payment's receipt is the one its corridor receipt commits to, and the one replayed.
  const std::size_t paid = r.out.find("verdict: payments = compliant");
  ASSERT_NE(paid, std::string::npos);
  const std::string label = "receipt_digest ";
  const std::size_t at = r.out.find(label, paid);
  ASSERT_NE(at, std::string::npos);
  const std::string digest = r.out.substr(at + label.size(), 64);
  EXPECT_NE(r.out.find("\"execution_receipt_digest\":\"" + digest + "\""), std::string::npos) << digest;
  EXPECT_NE(r.out.find("ok replayed " + digest), std::string::npos) << digest;
}

}  // namespace
