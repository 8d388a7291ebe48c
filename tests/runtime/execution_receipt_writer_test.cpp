// The execution receipt's fast path (runtime/execution_receipt_writer.h) against its reference:
// the tree form (execution_receipt, context_to_json, execution_digest) canonicalized by the
// generic canonicalizer. Varied receipts from a fixed-seed generator: every outcome, storage
// changes with and without old/new values, tensor updates, logs, attestations, migrations,
// traces, pack sets out of order and repeated, entries needing escapes, non-ASCII and date-times;
// signed receipts too (the proof is outside the digest).
#include "runtime/execution_receipt_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/proof.h"

namespace savm::runtime {
namespace {

// splitmix64: a fixed sequence, so a failure reproduces.
class Generator {
 public:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  vm::Word word() {
    switch (below(3)) {
      case 0: return vm::Word::from_i64(-static_cast<std::int64_t>(below(1000)));
      case 1: return vm::Word::from_u64(next());
      default: return vm::Word{{next(), next(), next(), next()}};
    }
  }
  vm::Digest digest() {
    std::array<std::uint8_t, 32> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(below(4) == 0 ? 0 : next());
    return vm::Digest(bytes);
  }
  std::vector<std::uint8_t> bytes() {
    std::vector<std::uint8_t> out(below(40));
    for (auto& b : out) b = static_cast<std::uint8_t>(next());
    return out;
  }
  std::vector<vm::Word> words() {
    std::vector<vm::Word> out(below(4));
    for (auto& w : out) w = word();
    return out;
  }

 private:
  std::uint64_t state_ = 0x5A564D;
};

const std::array<std::string, 6> kEntries = {"transfer", "a\"quoted\\entry\n", "\xD8\xB2\xD9\x83\xD8\xA7\xD8\xA9",
                                             "2024-01-01T00:00:00Z", "", "tab\there"};

ExecutionRequest random_request(Generator& g) {
  ExecutionRequest r;
  r.module_digest = g.digest();
  r.entry = kEntries[g.below(kEntries.size())];
  r.input = g.bytes();
  r.context.caller = g.word();
  r.context.origin = g.word();
  r.context.jurisdiction = g.word();
  r.context.asset_id = g.word();
  r.context.corridor = g.below(2) == 0 ? vm::Word{} : g.word();
  r.context.timestamp = static_cast<std::int64_t>(g.next() >> 2) * (g.below(2) == 0 ? 1 : -1);
  r.context.law_date = static_cast<std::int64_t>(g.below(2932896));  // to 9999-12-31
  r.context.sequence = g.below(2) == 0 ? g.below(100) : g.next();
  r.context.gas_limit = g.next();
  r.prev_receipt_digest = g.below(4) == 0 ? vm::Digest{} : g.digest();
  // Sets out of order and with repeats: both forms normalize them.
  for (auto* set : {&r.packs.lawpacks, &r.packs.regpacks, &r.packs.licensepacks}) {
    for (std::size_t i = g.below(4); i > 0; --i) set->push_back(g.digest());
    if (!set->empty() && g.below(2) == 0) set->push_back(set->front());
  }
  return r;
}

vm::Effects random_effects(Generator& g) {
  vm::Effects e;
  std::int64_t key = -50;
  for (std::size_t i = g.below(4); i > 0; --i) {
    key += static_cast<std::int64_t>(1 + g.below(100));  // ascending keys, as the journal gives them
    vm::StorageChange c{vm::Word::from_i64(key), std::nullopt, std::nullopt};
    if (g.below(3) != 0) c.before = g.word();
    if (g.below(3) != 0) c.after = g.word();
    e.storage.push_back(c);
  }
  for (std::size_t i = g.below(3); i > 0; --i) {
    e.tensor_updates.push_back(vm::TensorUpdate{
        vm::TensorKey{g.word(), g.word(), static_cast<vm::Domain>(g.below(vm::kDomainCount))},
        static_cast<vm::ComplianceState>(g.below(vm::kComplianceStateCount)),
        static_cast<vm::ComplianceState>(g.below(vm::kComplianceStateCount)), g.digest(),
        static_cast<std::int64_t>(g.next() >> 1)});
  }
  for (std::size_t i = g.below(3); i > 0; --i) e.logs.push_back(vm::LogRecord{g.words(), g.bytes()});
  for (std::size_t i = g.below(3); i > 0; --i) {
    e.attestations.push_back(vm::AttestationRecord{g.word(), g.word(), g.word(),
                                                   static_cast<vm::Domain>(g.below(vm::kDomainCount)), g.word()});
  }
  for (std::size_t i = g.below(3); i > 0; --i) {
    e.migrations.push_back(vm::MigrationEvent{
        static_cast<vm::MigrationOp>(g.below(5)),
        vm::MigrationRecord{g.word(), g.word(), g.word(), g.word(), g.word(),
                            static_cast<vm::MigrationStatus>(g.below(6))}});
  }
  for (std::size_t i = g.below(3); i > 0; --i) e.traces.push_back(vm::TraceEvent{g.word(), g.words()});
  return e;
}

vm::ExecutionResult random_result(Generator& g) {
  vm::ExecutionResult result;
  result.gas_used = g.below(2) == 0 ? g.below(1000) : g.next();
  result.outcome.status = static_cast<vm::Status>(g.below(4));
  switch (result.outcome.status) {
    case vm::Status::success:
      result.returned = g.words();
      result.effects = random_effects(g);
      break;
    case vm::Status::revert:
      result.outcome.revert_code = g.word();
      result.outcome.revert_message = g.bytes();
      break;
    case vm::Status::out_of_gas:
      break;
    case vm::Status::fault:
      result.outcome.fault = static_cast<vm::FaultKind>(1 + g.below(7));
      break;
  }
  return result;
}

TEST(ExecutionReceiptWriter, StreamsTheCanonicalBytesOfTheTreeFormForVariedReceipts) {
  Generator g;
  ExecutionReceiptWriter writer;  // reused, as the zone reuses it
  std::array<int, 4> statuses{};
  for (int i = 0; i < 400; ++i) {
    SCOPED_TRACE("receipt " + std::to_string(i));
    const ExecutionRequest request = random_request(g);
    const vm::ExecutionResult result = random_result(g);
    ++statuses[static_cast<int>(result.outcome.status)];
    const vm::Digest exec = writer.execution_digest(request);
    ASSERT_EQ(exec, execution_digest(request));
    writer.write(request, result, exec);
    const Json reference = execution_receipt(request, result, exec);
    ASSERT_EQ(writer.receipt(), canonicalize(reference).view());
    ASSERT_EQ(writer.receipt_digest().hex(), reference.at("receipt_digest").get<std::string>());
    ASSERT_EQ(writer.context(), canonicalize(context_to_json(request.context)).view());
    // The streamed bytes are a receipt whose digests check.
    check_receipt_digests(parse_json(writer.receipt()));
  }
  for (const int count : statuses) EXPECT_GT(count, 50);  // every outcome was covered
}

TEST(ExecutionReceiptWriter, SignsInPlaceExactlyAsSignDocumentAndTheProofStaysOutsideTheDigest) {
  Generator g;
  ExecutionReceiptWriter writer;
  std::array<std::uint8_t, KeyPair::kSeedSize> seed{};
  seed[0] = 7;
  const KeyPair key = KeyPair::from_seed(seed);
  JwsSigner signer(key);
  for (int i = 0; i < 16; ++i) {
    SCOPED_TRACE("receipt " + std::to_string(i));
    const ExecutionRequest request = random_request(g);
    const vm::ExecutionResult result = random_result(g);
    const vm::Digest exec = writer.execution_digest(request);
    writer.write(request, result, exec);
    // "+05:00" is normalized to UTC seconds by both.
    const std::string created = i % 2 == 0 ? "2024-01-01T00:00:00Z" : "2024-01-01T05:00:00+05:00";
    const Json reference = sign_document(execution_receipt(request, result, exec), key, created);
    writer.sign(signer, created);
    ASSERT_EQ(writer.receipt(), canonicalize(reference).view());
    EXPECT_EQ(parse_json(writer.receipt()).at("proof"), reference.at("proof"));
    EXPECT_TRUE(verify_document(parse_json(writer.receipt())).verified());
    EXPECT_EQ(receipt_digest(reference), writer.receipt_digest());
    check_receipt_digests(reference);
  }
  EXPECT_THROW(writer.sign(signer, "2024-01-01T00:00:00Z"), std::logic_error);  // once per write
}

TEST(ExecutionReceiptWriter, RejectsWhatTheReferenceRejects) {
  Generator g;
  ExecutionRequest request = random_request(g);
  request.entry = "bad\xFF";  // not UTF-8
  ExecutionReceiptWriter writer;
  const auto code_of = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return "no error";
  };
  EXPECT_EQ(code_of([&] { writer.execution_digest(request); }), "mcf.utf8");
  EXPECT_EQ(code_of([&] { execution_digest(request); }), "mcf.utf8");
  const vm::ExecutionResult result = random_result(g);
  EXPECT_EQ(code_of([&] { writer.write(request, result, vm::Digest{}); }), "mcf.utf8");
  // The writer is usable again after a failed write.
  request.entry = "transfer";
  writer.write(request, result, writer.execution_digest(request));
  EXPECT_EQ(writer.receipt(), canonicalize(execution_receipt(request, result)).view());
}

}  // namespace
}  // namespace savm::runtime
