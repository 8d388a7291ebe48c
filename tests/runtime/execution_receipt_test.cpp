// Execution receipts, the context/ABI JSON mappings and the state directory. Oracles: canonical
// strings written out by hand and hashed with libsodium, calendar facts, byte layouts by hand.
#include "runtime/execution_receipt.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/state_dir.h"

namespace savm::runtime {
namespace {

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, 32> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return vm::Digest(out).hex();
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "no error";
}

TEST(ContextJson, CivilDatesMatchTheCalendar) {
  EXPECT_EQ(parse_civil_date("1970-01-01", "d"), 0);
  EXPECT_EQ(parse_civil_date("2000-03-01", "d"), 10957 + 31 + 29);  // 2000 is a leap year
  EXPECT_EQ(parse_civil_date("2024-01-01", "d"), 19358 + 365);      // 2023-01-01 is day 19358
  EXPECT_EQ(civil_date(19723), "2024-01-01");
  EXPECT_EQ(civil_date(-1), "1969-12-31");
  EXPECT_EQ(code_of([] { parse_civil_date("2023-02-29", "d"); }), "context.date");
  EXPECT_EQ(code_of([] { parse_civil_date("2023-1-01", "d"); }), "context.date");
}

TEST(ContextJson, IdsAreHexOrShortNamesAndRoundTrip) {
  const auto ctx = context_from_json(parse_json(
      R"({"jurisdiction":"PK","caller":"0x00000000000000000000000000000000000000000000000000000000000000ff",)"
      R"("timestamp":1700000000,"law_date":"2024-01-01","sequence":3,"gas_limit":500})"));
  EXPECT_EQ(id_hex(ctx.jurisdiction), "0x504b" + std::string(58, '0') + "02");  // length in the last byte
  EXPECT_EQ(ctx.caller, vm::Word::from_u64(255));
  EXPECT_EQ(ctx.law_date, 19723);
  EXPECT_EQ(context_from_json(context_to_json(ctx)).jurisdiction, ctx.jurisdiction);
  EXPECT_EQ(code_of([] { context_from_json(parse_json(R"({"colour":"red"})")); }), "context.field");
  EXPECT_EQ(code_of([] { context_from_json(parse_json(R"({"caller":"0x12"})")); }), "context.id");
  EXPECT_EQ(code_of([] { context_from_json(parse_json(R"({"gas_limit":-1})")); }), "context.range");
  EXPECT_EQ(code_of([] { context_from_json(parse_json(R"({"jurisdiction":")" + std::string(32, 'a') + "\"}")); }),
            "context.id");
  EXPECT_EQ(code_of([] { context_from_json(parse_json(R"({"asset_id":"my-asset"})")); }), "context.id");
  // Names of parties are hashed: caller "alice" is SHA-256("alice").
  EXPECT_EQ(id_hex(context_from_json(parse_json(R"({"caller":"alice"})")).caller), "0x" + sha256_hex("alice"));
}

TEST(AbiJson, EncodesWordsBytesAndRecordsByTheDocumentedLayout) {
  const auto values = abi_args_from_json(parse_json(R"([-1, {"word":"2"}, {"bytes":"00ff"}, [7, {"string":"a"}]])"));
  const auto input = vm::abi_encode(values);
  ASSERT_EQ(input.size(), 32u * 7);  // -1, 2, len+1 word of bytes, 7, len+1 word of "a"
  EXPECT_EQ(input[0], 0xFF);
  EXPECT_EQ(input[31], 0xFF);
  EXPECT_EQ(input[63], 2);
  EXPECT_EQ(input[95], 2);  // length of 00ff
  EXPECT_EQ(input[96], 0x00);
  EXPECT_EQ(input[97], 0xFF);
  EXPECT_EQ(input[98], 0x00);  // zero padding
  EXPECT_EQ(input[159], 7);
  EXPECT_EQ(input[191], 1);
  EXPECT_EQ(input[192], 'a');
  vm::AbiReader reader(input);
  EXPECT_EQ(reader.word(), vm::Word::from_i64(-1));
  EXPECT_EQ(reader.word(), vm::Word::from_u64(2));
  EXPECT_EQ(reader.bytes(), (std::vector<std::uint8_t>{0x00, 0xFF}));
  for (const char* bad : {R"(["5"])", R"([{"word":"1.5"}])", R"([{"bytes":"abc"}])", R"([{"bytes":"zz"}])",
                          R"([true])", R"([{"word":"1","bytes":"00"}])", R"({"a":1})"}) {
    EXPECT_EQ(code_of([&] { abi_args_from_json(parse_json(bad)); }), "abi.value") << bad;
  }
}

ExecutionRequest sample_request() {
  ExecutionRequest r;
  r.module_digest = vm::sha256(std::string_view("module"));
  r.entry = "main";
  r.input = {1, 2, 3};
  r.context.jurisdiction = parse_id("PK", IdForm::short_string, "j");
  r.context.timestamp = 1700000000;
  r.context.law_date = 19723;
  r.context.gas_limit = 1000;
  return r;
}

TEST(ExecutionReceipt, ExecutionDigestIsTheHashOfTheHandWrittenCanonicalIdentity) {
  const ExecutionRequest r = sample_request();
  const std::string zero_id = "0x" + std::string(64, '0');
  const std::string canonical =
      R"({"context":{"asset_id":")" + zero_id + R"(","caller":")" + zero_id + R"(","corridor":")" + zero_id +
      R"(","gas_limit":1000,"jurisdiction":"0x504b)" + std::string(58, '0') + "02" +
      R"(","law_date":"2024-01-01","origin":")" + zero_id +
      R"(","sequence":0,"timestamp":1700000000},"entry":"main","format_version":1,"input_digest":")" +
      sha256_hex(std::string_view("\x01\x02\x03", 3)) + R"(","module_digest":")" + sha256_hex("module") +
      R"(","type":"SAVMExecution"})";
  EXPECT_EQ(execution_digest(r).hex(), sha256_hex(canonical));
}

TEST(ExecutionReceipt, RecordsOutcomeEffectsAndDigestsThatRecompute) {
  const ExecutionRequest r = sample_request();
  vm::ExecutionResult result;
  result.gas_used = 42;
  result.returned = {vm::Word::from_i64(-5)};
  result.effects.storage = {{vm::Word::from_i64(-1), std::nullopt, vm::Word::from_u64(9)},
                            {vm::Word::from_u64(3), vm::Word::from_u64(1), std::nullopt}};
  result.effects.tensor_updates = {{vm::TensorKey{vm::Word::from_u64(1), r.context.jurisdiction, vm::Domain::sanctions},
                                    vm::ComplianceState::pending, vm::ComplianceState::compliant,
                                    vm::sha256(std::string_view("evidence")), 1700000000}};
  const Json receipt = execution_receipt(r, result);
  EXPECT_EQ(receipt["type"], "SAVMExecutionReceipt");
  EXPECT_EQ(receipt["prev_receipt_digest"], std::string(64, '0'));
  EXPECT_EQ(receipt["return"], Json::parse(R"(["-5"])"));
  EXPECT_EQ(receipt["storage_mutations"], Json::parse(R"([{"key":"-1","new":"9"},{"key":"3","old":"1"}])"));
  EXPECT_EQ(receipt["tensor_updates"][0]["domain"], "sanctions");
  EXPECT_EQ(receipt["tensor_updates"][0]["new"], "compliant");
  EXPECT_EQ(receipt["outcome"], Json::parse(R"({"status":"success"})"));
  // No traces: the explanation digest is SHA-256 of the canonical empty array "[]".
  EXPECT_EQ(receipt["explanation_digest"], sha256_hex("[]"));
  EXPECT_NO_THROW(check_receipt_digests(receipt));

  Json tampered = receipt;
  tampered["gas_used"] = 41;
  EXPECT_EQ(code_of([&] { check_receipt_digests(tampered); }), "receipt.digest");
  Json moved = receipt;
  moved["context"]["sequence"] = 9;
  moved["receipt_digest"] = receipt_digest(moved).hex();  // re-sealed, but the execution id no longer matches
  EXPECT_EQ(code_of([&] { check_receipt_digests(moved); }), "receipt.digest");
  Json with_proof = receipt;
  with_proof["proof"] = Json::object();
  EXPECT_EQ(receipt_digest(with_proof), receipt_digest(receipt));  // proof is outside the digest
}

TEST(ExecutionReceipt, FailedOutcomesCarryTheirReason) {
  vm::ExecutionResult revert;
  revert.outcome.status = vm::Status::revert;
  revert.outcome.revert_code = vm::Word::from_u64(77);
  revert.outcome.revert_message = {'n', 'o'};
  EXPECT_EQ(execution_receipt(sample_request(), revert)["outcome"],
            Json::parse(R"({"status":"revert","code":"77","message":"6e6f"})"));
  vm::ExecutionResult fault;
  fault.outcome.status = vm::Status::fault;
  fault.outcome.fault = vm::FaultKind::division_by_zero;
  EXPECT_EQ(execution_receipt(sample_request(), fault)["outcome"],
            Json::parse(R"({"status":"fault","fault":"division_by_zero"})"));
}

TEST(StateDir, SavesAtomicallyAndLoadsBack) {
  const auto dir = std::filesystem::temp_directory_path() / ("savm-state-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ExecState s{vm::MemoryHost(), {}};
  s.host.set_storage(vm::Word::from_u64(1), vm::Word::from_i64(-2), vm::Word::from_u64(3));
  s.host.set_tensor(vm::TensorKey{vm::Word::from_u64(1), vm::Word::from_u64(2), vm::Domain::tax},
                    vm::TensorCell{vm::ComplianceState::exempt, vm::sha256(std::string_view("e")), 5, 9});
  s.chains[vm::Word::from_u64(1)] = ChainHead{4, vm::sha256(std::string_view("head"))};
  save_state(dir, s);
  const ExecState loaded = load_state(dir);
  EXPECT_EQ(loaded.host.storage(), s.host.storage());
  EXPECT_EQ(loaded.host.tensor(), s.host.tensor());
  EXPECT_EQ(loaded.chains.at(vm::Word::from_u64(1)).height, 4u);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary left behind
  {
    std::ofstream(dir / "state.json") << R"({"type":"SAVMState","storage":[{"key":"1"}]})";
  }
  EXPECT_EQ(code_of([&] { load_state(dir); }), "state.format");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace savm::runtime
