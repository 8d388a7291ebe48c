// End-to-end checks of savm keygen/sign/verify and savm mmr root/prove/verify: exit codes,
// outputs and error codes as docs/cli.md states them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "tests/cli/savm_runner.h"
#include "vm/crypto/digest.h"

namespace {

using savm::testing::Outcome;

class CryptoVerbs : public savm::testing::SavmRunner {};

TEST_F(CryptoVerbs, KeygenSignVerify) {
  const Outcome keygen = savm("keygen --out k.json --public-out k.pub");
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  EXPECT_EQ(keygen.out.rfind("savm:ed25519:", 0), 0u);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "k.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  const Outcome again = savm("keygen --out k.json");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("error[key.exists]"), std::string::npos);

  write("doc.json", R"({"b":2,"a":1,"timestamp":"2026-01-15T17:00:00+05:00"})");
  const Outcome sign = savm("sign --key k.json doc.json");
  ASSERT_EQ(sign.exit_code, 0) << sign.err;
  // Canonical output, created taken from the document's timestamp.
  EXPECT_EQ(sign.out.rfind(R"({"a":1,"b":2,"proof":{"created":"2026-01-15T12:00:00Z",)", 0), 0u) << sign.out;
  write("signed.json", sign.out);

  const Outcome ok = savm("verify signed.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("proof 0: ok savm:ed25519:", 0), 0u) << ok.out;
  EXPECT_EQ(savm("verify signed.json --signer k.pub").exit_code, 0);

  std::string tampered = sign.out;
  tampered.replace(tampered.find("\"b\":2"), 5, "\"b\":3");
  const Outcome bad = savm("verify -", tampered);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("FAILED proof.signature"), std::string::npos);

  EXPECT_EQ(savm("verify doc.json").exit_code, 1);  // unsigned
  EXPECT_EQ(savm("verify -", "[1]").exit_code, 2);
  EXPECT_EQ(savm("verify -", "{").exit_code, 2);

  // A second signer makes an array; --signer restricts who may sign.
  ASSERT_EQ(savm("keygen --out k2.json").exit_code, 0);
  const Outcome second = savm("sign --key k2.json --created 2026-02-01T00:00:00Z signed.json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  write("two.json", second.out);
  EXPECT_EQ(savm("verify two.json").exit_code, 0);
  const Outcome restricted = savm("verify two.json --signer k.pub");
  EXPECT_EQ(restricted.exit_code, 1);
  EXPECT_NE(restricted.out.find("proof 1: FAILED proof.untrusted"), std::string::npos) << restricted.out;
}

TEST_F(CryptoVerbs, SignNeedsATimeAndAGoodKey) {
  ASSERT_EQ(savm("keygen --out k.json").exit_code, 0);
  const Outcome no_time = savm("sign --key k.json -", R"({"a":1})");
  EXPECT_EQ(no_time.exit_code, 2);
  EXPECT_NE(no_time.err.find("error[proof.created]"), std::string::npos);
  EXPECT_EQ(savm("sign --key k.json --created yesterday -", R"({"a":1})").exit_code, 2);
  ::chmod((dir_ / "k.json").c_str(), 0644);
  const Outcome open_key = savm("sign --key k.json --created 2026-01-01T00:00:00Z -", R"({"a":1})");
  EXPECT_EQ(open_key.exit_code, 2);
  EXPECT_NE(open_key.err.find("error[key.permissions]"), std::string::npos);
}

std::string receipt_root(int i) { return savm::vm::sha256("receipt-" + std::to_string(i)).hex(); }

TEST_F(CryptoVerbs, MmrRootProveVerify) {
  // FORMATS.md public check: receipts numbered from 1.
  const std::string two = receipt_root(1) + "\n" + receipt_root(2) + "\n";
  const Outcome root = savm("mmr root -", two);
  EXPECT_EQ(root.exit_code, 0);
  EXPECT_EQ(root.out, "a34e6d5dac1ff07f820cc5156b41a50ce78c6a6868d81d5c5824cad0cab7250b\n");
  EXPECT_EQ(savm("mmr root -", "").out, "\n");
  EXPECT_EQ(savm("mmr root -", "\n" + receipt_root(1) + "\n\n").out,
            "29534994a3ad2af6dd418f46d4093897971cd14bea312167ad82c4b31dbbfcec\n");

  std::string five;
  for (int i = 1; i <= 5; ++i) five += receipt_root(i) + "\n";
  write("roots.txt", five);
  const Outcome proof = savm("mmr prove --index 3 roots.txt");
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  write("proof.json", proof.out);
  const std::string five_root = savm("mmr root roots.txt").out.substr(0, 64);
  EXPECT_EQ(savm("mmr verify proof.json").exit_code, 0);
  EXPECT_EQ(savm("mmr verify proof.json --root " + five_root + " --next-root " + receipt_root(4)).exit_code, 0);
  EXPECT_EQ(savm("mmr verify proof.json --root " + receipt_root(1)).exit_code, 1);
  EXPECT_EQ(savm("mmr verify proof.json --next-root " + receipt_root(1)).exit_code, 1);
  std::string moved = proof.out;
  moved.replace(moved.find("\"leaf_index\":3"), 14, "\"leaf_index\":2");
  EXPECT_EQ(savm("mmr verify -", moved).exit_code, 1);

  const Outcome out_of_range = savm("mmr prove --index 5 roots.txt");
  EXPECT_EQ(out_of_range.exit_code, 2);
  EXPECT_NE(out_of_range.err.find("error[mmr.index]"), std::string::npos);
  const Outcome bad_hex = savm("mmr root -", receipt_root(1) + "\nnot-hex\n");
  EXPECT_EQ(bad_hex.exit_code, 2);
  EXPECT_NE(bad_hex.err.find("error[mmr.hex]: line 2"), std::string::npos) << bad_hex.err;
  const Outcome bad_proof = savm("mmr verify -", "{}");
  EXPECT_EQ(bad_proof.exit_code, 2);
  EXPECT_NE(bad_proof.err.find("error[mmr.proof]"), std::string::npos);
}

}  // namespace
