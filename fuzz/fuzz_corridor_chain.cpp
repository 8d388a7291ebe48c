// Fuzzes the corridor chain verifier (runtime/corridor_verify.h).
//
// Input byte 0 picks the mode:
//   even: the rest is JSON Lines text, verified against the signed sample chain
//         (examples/samples/corridor) with signatures required from its party key. Property: the
//         verifier never crashes, and it accepts only a prefix of the sample chain, receipt for
//         receipt the same signed payload (Ed25519 makes anything else a forgery).
//   odd:  the rest is up to 8 edits (u16 position, u8 xor mask) applied to a fixed unsigned
//         chain built here. Property: the edited chain verifies only if every receipt's
//         canonical bytes are unchanged (every committed byte is covered by a next_root).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/corridor_receipt.h"
#include "runtime/corridor_verify.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/proof.h"

namespace {

using savm::runtime::Json;

std::string read_sample(const std::string& name) {
  std::ifstream in(std::string(SAVM_SOURCE_DIR) + "/examples/samples/corridor/" + name,
                   std::ios::binary);
  if (!in) std::abort();  // the fixture is part of the repository
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct SignedFixture {
  savm::runtime::ChainStart start;
  savm::runtime::SignaturePolicy policy;
  std::vector<std::string> payloads;  // canonical signed payload of each sample receipt

  SignedFixture() {
    using namespace savm::runtime;
    start.genesis_root = CorridorGenesis::from_json(parse_json(read_sample("genesis.json"))).root();
    policy.require_signatures = true;
    policy.authorized.push_back(
        read_public_key_file(std::string(SAVM_SOURCE_DIR) + "/examples/samples/corridor/party.pub.json"));
    const std::string chain = read_sample("chain.jsonl");  // outlives the views into it
    for (std::string_view line : jsonl_records(chain)) {
      payloads.push_back(proof_payload(parse_json(line)).str());
    }
  }
};

struct UnsignedFixture {
  savm::runtime::ChainStart start;
  std::string text;
  std::vector<std::string> canonical;

  UnsignedFixture() {
    using namespace savm::runtime;
    start.genesis_root = *savm::vm::Digest::from_hex(std::string(64, '7'));
    Digest head = start.genesis_root;
    for (std::uint64_t i = 0; i < 4; ++i) {
      const Json receipt = {
          {"type", "MEZCorridorStateReceipt"}, {"corridor_id", "fuzz-corridor"}, {"sequence", i},
          {"timestamp", "2026-01-15T12:00:0" + std::to_string(i) + "Z"},
          {"prev_root", head.hex()},
          {"lawpack_digest_set", Json::array({std::string(64, 'a')})},
          {"ruleset_digest_set",
           Json::array({{{"digest_sha256", std::string(64, 'b')}, {"artifact_type", "ruleset"}}})},
          {"transition", {{"kind", "transfer"}, {"amount", std::to_string(10 * i)}}}};
      const CorridorReceipt sealed = seal_receipt(receipt);
      head = sealed.next_root();
      canonical.push_back(canonicalize(sealed.json()).str());
      text += canonical.back() + "\n";
    }
  }
};

void check_signed(std::string_view text) {
  static const SignedFixture fixture;
  using namespace savm::runtime;
  verify_chain_lines(fixture.start, text);  // no policy: only must not crash
  const ChainVerification result = verify_chain_lines(fixture.start, text, fixture.policy);
  if (!result.ok()) return;
  const std::vector<std::string_view> records = jsonl_records(text);
  if (records.size() > fixture.payloads.size()) std::abort();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (proof_payload(parse_json(records[i])).str() != fixture.payloads[i]) std::abort();
  }
}

void check_edited(const std::uint8_t* data, std::size_t size) {
  static const UnsignedFixture fixture;
  using namespace savm::runtime;
  std::string text = fixture.text;
  for (std::size_t at = 0; at + 3 <= size && at < 8 * 3; at += 3) {
    const std::size_t position = (std::size_t{data[at]} << 8 | data[at + 1]) % text.size();
    text[position] = static_cast<char>(text[position] ^ data[at + 2]);
  }
  const ChainVerification result = verify_chain_lines(fixture.start, text);
  if (!result.ok()) return;
  const std::vector<std::string_view> records = jsonl_records(text);
  if (records.size() != fixture.canonical.size()) std::abort();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (canonicalize_text(records[i]).str() != fixture.canonical[i]) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  try {
    if (data[0] % 2 == 0) {
      check_signed(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
    } else {
      check_edited(data + 1, size - 1);
    }
  } catch (const savm::runtime::Error&) {
    // Only the verifier's inputs are fuzzed; it reports, it does not throw. An Error here means
    // a record the verifier accepted could not be re-read, which the checks above treat as a bug.
    std::abort();
  }
  return 0;
}
