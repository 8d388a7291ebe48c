// End-to-end checks of savm corridor genesis/next-root/append/verify: exit codes, outputs and the
// failure line format docs/cli.md states.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/cli/savm_runner.h"

namespace {

using savm::testing::Outcome;
using savm::testing::trim;

const std::string kSamples = std::string(SAVM_SOURCE_DIR) + "/examples/samples/corridor/";

class CorridorVerbs : public savm::testing::SavmRunner {};

TEST_F(CorridorVerbs, BuildSignAndVerifyAChain) {
  ASSERT_EQ(savm("keygen --out party.json --public-out party.pub").exit_code, 0);
  ASSERT_EQ(savm("keygen --out other.json --public-out other.pub").exit_code, 0);
  const Outcome genesis = savm("corridor genesis '" + kSamples + "genesis.json'");
  ASSERT_EQ(genesis.exit_code, 0) << genesis.err;
  // Independent: python3 over genesis.json plus the tag (tests/runtime/corridor_test.cpp).
  const std::string g = trim(genesis.out);
  EXPECT_EQ(g, "d59a88c9e5294fcac3f55a804c126046a9bac86634ce3abf15c329e40541e1a6");

  append_to("chain.jsonl", "");
  for (int i = 1; i <= 2; ++i) {
    const Outcome r = savm("corridor append --genesis " + g + " chain.jsonl '" + kSamples +
                           "receipt-" + std::to_string(i) + ".json' --key party.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\"sequence\":" + std::to_string(i - 1)), std::string::npos);
    append_to("chain.jsonl", r.out);
  }
  // Same templates, same genesis: the first receipt has the sample chain's next_root (content
  // addressed; python3 value in tests/runtime/corridor_test.cpp). A template is no receipt.
  std::ifstream first_line_of(dir_ / "chain.jsonl");
  std::string first;
  std::getline(first_line_of, first);
  append_to("first.json", first);
  const Outcome first_root = savm("corridor next-root first.json");
  EXPECT_EQ(trim(first_root.out), "80978eec44c3daa9f8bab58651b31a2194690647f862a09fe9abffe87a04b398");
  EXPECT_EQ(savm("corridor next-root '" + kSamples + "receipt-1.json'").exit_code, 2);

  const Outcome ok = savm("corridor verify --genesis " + g +
                          " chain.jsonl --require-signatures --signer party.pub");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"type\":\"MEZCorridorStateCheckpoint\""), std::string::npos);
  EXPECT_NE(ok.out.find("\"receipt_count\":2"), std::string::npos);

  const Outcome wrong_signer = savm("corridor verify --genesis " + g +
                                    " chain.jsonl --require-signatures --signer other.pub");
  EXPECT_EQ(wrong_signer.exit_code, 1);
  EXPECT_EQ(wrong_signer.err.rfind("receipt 0 (sequence 0): ", 0), 0u) << wrong_signer.err;
  EXPECT_NE(wrong_signer.err.find("[chain.signature]"), std::string::npos);

  EXPECT_EQ(savm("corridor verify --genesis " + g + " chain.jsonl --require-signatures").exit_code, 2);
}

TEST_F(CorridorVerbs, SamplesTamperedMalformedAndTail) {
  const std::string g = "d59a88c9e5294fcac3f55a804c126046a9bac86634ce3abf15c329e40541e1a6";
  const Outcome tampered = savm("corridor verify --genesis " + g + " '" + kSamples + "tampered.jsonl'");
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_EQ(tampered.err.rfind("receipt 1 (sequence 1): next_root ", 0), 0u) << tampered.err;
  EXPECT_NE(tampered.err.find("[chain.commit]"), std::string::npos);

  append_to("bad.jsonl", "{\"sequence\": 1.5}\n");
  const Outcome malformed = savm("corridor verify --genesis " + g + " bad.jsonl");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("receipt 0: "), std::string::npos) << malformed.err;
  EXPECT_NE(malformed.err.find("[mcf.float]"), std::string::npos);

  const Outcome full = savm("corridor verify --genesis " + g + " '" + kSamples + "chain.jsonl'");
  const Outcome tail = savm("corridor verify --genesis " + g + " --checkpoint '" + kSamples +
                            "checkpoint-1.json' '" + kSamples + "tail.jsonl'");
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(tail.exit_code, 0) << tail.err;
  EXPECT_EQ(tail.out, full.out);
  const Outcome matched = savm("corridor verify --genesis " + g + " --match-checkpoint '" +
                               kSamples + "checkpoint-1.json' '" + kSamples + "chain.jsonl'");
  EXPECT_EQ(matched.exit_code, 0) << matched.err;

  EXPECT_EQ(savm("corridor verify --genesis 1234 '" + kSamples + "chain.jsonl'").exit_code, 2);
}

}  // namespace
