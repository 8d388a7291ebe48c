// End-to-end checks of savm canon/digest, asm/disasm/verify-module and exec: exit codes, outputs,
// error lines and the state directory, as docs/cli.md and docs/vm.md state them.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/savm_runner.h"
#include "vm/crypto/digest.h"
#include "vm/module.h"
#include "vm/opcodes.h"

namespace {

using savm::testing::Outcome;
using savm::testing::trim;

const std::string kExamples = std::string(SAVM_SOURCE_DIR) + "/examples/";

class VmVerbs : public savm::testing::SavmRunner {
 protected:
  // Assembles examples/asm/fee_transfer.sasm to fee.savm; returns the printed "sha256:<hex>".
  std::string assemble_fee_transfer() const {
    const Outcome assembled = savm("asm '" + kExamples + "asm/fee_transfer.sasm' -o fee.savm");
    EXPECT_EQ(assembled.exit_code, 0) << assembled.err;
    return trim(assembled.out);
  }

  void write_module(const std::string& name, const savm::vm::Module& module) const {
    const std::vector<std::uint8_t> bytes = savm::vm::write_module(module);
    write(name, std::string(bytes.begin(), bytes.end()));
  }
};

// The value of `"key":` in one line of canonical JSON, up to the next ',' or '}' at depth 0.
std::string field(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  std::size_t i = at + key.size() + 3;
  int depth = 0;
  const std::size_t begin = i;
  for (bool quoted = false; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"' && json[i - 1] != '\\') quoted = !quoted;
    if (quoted) continue;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (depth == 0) break;
      --depth;
    }
    if (c == ',' && depth == 0) break;
  }
  return json.substr(begin, i - begin);
}

TEST_F(VmVerbs, CanonAndDigest) {
  write("doc.json", "{ \"b\" : 2, \"a\" : [1, \"x\"], \"t\" : \"2026-01-15T17:00:00+05:00\" }");
  // Hand-canonicalized: keys sorted, no spaces, the date-time in UTC.
  const std::string canonical = R"({"a":[1,"x"],"b":2,"t":"2026-01-15T12:00:00Z"})";
  const Outcome canon = savm("canon doc.json");
  ASSERT_EQ(canon.exit_code, 0) << canon.err;
  EXPECT_EQ(canon.out, canonical + "\n");

  const Outcome digest = savm("digest -", "{ \"b\" : 2, \"a\" : [1, \"x\"], \"t\" : \"2026-01-15T17:00:00+05:00\" }");
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  EXPECT_EQ(digest.out, savm::vm::sha256(canonical).hex() + "\n");

  write("float.json", R"({"amount": 1.5})");
  const Outcome bad = savm("canon float.json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("error[mcf.float]"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("$.amount"), std::string::npos) << bad.err;

  const Outcome missing = savm("digest nope.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("error[io.read]"), std::string::npos) << missing.err;
}

TEST_F(VmVerbs, AsmDisasmRoundTripAndVerifyModule) {
  const std::string digest = assemble_fee_transfer();
  ASSERT_EQ(digest.rfind("sha256:", 0), 0u) << digest;

  // The printed digest is SHA-256 of the module bytes up to the debug section (docs/vm.md):
  // --no-debug writes exactly those bytes.
  ASSERT_EQ(savm("asm '" + kExamples + "asm/fee_transfer.sasm' --no-debug -o bare.savm").exit_code, 0);
  EXPECT_EQ(digest, "sha256:" + savm::vm::sha256(read("bare.savm")).hex());

  const Outcome text = savm("disasm fee.savm");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(".func transfer(0)->1"), std::string::npos) << text.out;
  write("again.sasm", text.out);
  const Outcome again = savm("asm again.sasm -o again.savm");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(trim(again.out), digest);

  const Outcome verified = savm("verify-module fee.savm");
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  std::istringstream lines(verified.out);
  std::string first;
  std::getline(lines, first);
  EXPECT_EQ(first, "ok " + digest);
  EXPECT_NE(verified.out.find("export transfer transition gas_bound "), std::string::npos) << verified.out;
}

TEST_F(VmVerbs, AsmErrorsAreLocatedAndWriteNothing) {
  write("bad.sasm", ".func f(0)->0\n  FOO\n  HALT\n");
  const Outcome unknown = savm("asm bad.sasm -o bad.savm");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("bad.sasm:2:3:"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("asm.unknown_mnemonic"), std::string::npos) << unknown.err;
  EXPECT_FALSE(exists("bad.savm"));

  // A program the verifier rejects is an assembly error at the offending line.
  write("underflow.sasm", ".func f(0)->0\n  PUSH 1\n  ADD\n  HALT\n");
  const Outcome underflow = savm("asm underflow.sasm -o underflow.savm");
  EXPECT_EQ(underflow.exit_code, 2);
  EXPECT_NE(underflow.err.find("underflow.sasm:3:"), std::string::npos) << underflow.err;
  EXPECT_NE(underflow.err.find("verify.stack_underflow"), std::string::npos) << underflow.err;
  EXPECT_FALSE(exists("underflow.savm"));
}

TEST_F(VmVerbs, VerifyModuleListsEveryErrorWithItsLocation) {
  using savm::vm::Op;
  savm::vm::Module m;
  m.signatures = {{0, 0}};
  // Function 0: JUMP to offset 0, its own start (a backward jump).
  m.functions.push_back({0, 0, 0, 0, {static_cast<std::uint8_t>(Op::JUMP), 0, 0, 0, 0}});
  // Function 1: PUSH0 then ADD at offset 1 with one item on the stack.
  m.functions.push_back(
      {0, 0, 0, 0, {static_cast<std::uint8_t>(Op::PUSH0), static_cast<std::uint8_t>(Op::ADD),
                    static_cast<std::uint8_t>(Op::HALT)}});
  write_module("bad.savm", m);
  const Outcome result = savm("verify-module bad.savm");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("(#0) offset 0: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[verify.backward_jump]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("(#1) offset 1: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[verify.stack_underflow]"), std::string::npos) << result.out;

  // Unreadable bytes are bad input, with the module reader's code.
  const std::string bytes = read("bad.savm");
  write("truncated.savm", bytes.substr(0, bytes.size() / 2));
  const Outcome truncated = savm("verify-module truncated.savm");
  EXPECT_EQ(truncated.exit_code, 2);
  EXPECT_NE(truncated.err.find("error[module."), std::string::npos) << truncated.err;
}

TEST_F(VmVerbs, ExecRunsChainsAndPersistsOnlySuccess) {
  assemble_fee_transfer();
  const std::string context = "@'" + kExamples + "samples/vm/context.json'";
  const Outcome first = savm("exec fee.savm --entry transfer --args '[40000]' --context " + context + " --state zone");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(field(first.out, "outcome"), R"({"status":"success"})");
  EXPECT_EQ(field(first.out, "sequence"), "0");
  EXPECT_EQ(field(first.out, "prev_receipt_digest"), "\"" + std::string(64, '0') + "\"");
  // Fee: 40,000 * 25 / 10,000 = 100 exactly. Slot 1 pays amount + fee, slot 2 receives amount.
  EXPECT_EQ(field(first.out, "return"), R"(["100"])");
  EXPECT_EQ(field(first.out, "storage_mutations"), R"([{"key":"1","new":"-40100"},{"key":"2","new":"40000"}])");
  const std::string first_digest = field(first.out, "receipt_digest");
  const std::string saved = read("zone/state.json");
  EXPECT_NE(saved.find(R"("key":"1","value":"-40100")"), std::string::npos) << saved;

  // Amount 0 fails the ASSERT (revert 1001): exit 1, the chain advances, storage does not.
  const Outcome reverted = savm("exec fee.savm --entry transfer --args '[0]' --context " + context + " --state zone");
  EXPECT_EQ(reverted.exit_code, 1) << reverted.err;
  EXPECT_EQ(field(field(reverted.out, "outcome"), "status"), "\"revert\"") << reverted.out;
  EXPECT_EQ(field(reverted.out, "sequence"), "1");
  EXPECT_EQ(field(reverted.out, "prev_receipt_digest"), first_digest);
  EXPECT_EQ(field(reverted.out, "storage_mutations"), "[]");
  const std::string after_revert = read("zone/state.json");
  EXPECT_NE(after_revert.find(R"("key":"1","value":"-40100")"), std::string::npos) << after_revert;
  EXPECT_NE(after_revert.find("\"height\":2"), std::string::npos) << after_revert;

  // Bad input (an unknown context field, an unknown entry) changes nothing on disk.
  const Outcome bad_context = savm("exec fee.savm --entry transfer --args '[1]' --context '{\"colour\":1}' --state zone");
  EXPECT_EQ(bad_context.exit_code, 2);
  EXPECT_EQ(bad_context.out, "");
  const Outcome bad_entry = savm("exec fee.savm --entry nope --context " + context + " --state zone");
  EXPECT_EQ(bad_entry.exit_code, 2);
  EXPECT_NE(bad_entry.err.find("error[exec.entry]"), std::string::npos) << bad_entry.err;
  EXPECT_EQ(read("zone/state.json"), after_revert);
}

}  // namespace
