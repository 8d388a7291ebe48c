// Canonical JSON + SHA-256 per receipt: SAVM's MCF against nlohmann::json's own parse + dump
// (sorted keys, compact) + the same SHA-256, in one run (docs/PERFORMANCE.md, "Canonical JSON").
//
// The peer does less work than MCF: nlohmann's parser keeps the last of duplicate keys and does not
// check the integer range, and dump() neither validates UTF-8 up front nor rewrites date-times.
// It is the cost floor of "some sorted compact JSON", which is what a digest path would use
// without MCF.
#include <benchmark/benchmark.h>

#include <string>

#include "runtime/digest.h"
#include "runtime/mcf.h"

namespace {

using savm::runtime::Json;

// A corridor receipt as a zone would send it: about 1 KB, keys unsorted, a +05:00 timestamp,
// digest sets, a transition with decimal-string amounts, one non-ASCII name.
std::string receipt_text() {
  return R"({
  "type": "MEZCorridorStateReceipt",
  "sequence": 1842,
  "corridor_id": "corridor-pk-ae-adgm-001",
  "timestamp": "2026-01-15T17:00:00.250+05:00",
  "prev_root": "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
  "next_root": "3fc9b689459d738f8c88a3a48aa9e33542016b7a4052e001aaa536fca74813cb",
  "lawpack_digest_set": [
    "aaaa000000000000000000000000000000000000000000000000000000000000",
    {"digest_sha256": "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", "artifact_type": "lawpack"},
    "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"
  ],
  "ruleset_digest_set": [
    "bbbb000000000000000000000000000000000000000000000000000000000000",
    "9b2d9e5bc5e3ac2a3bce0dc59d2a1d5ba6b4c1dc4c9a3c2f4ad2cf83a0e1d6b2"
  ],
  "transition": {
    "kind": "payment.settle",
    "payload": {
      "instruction_id": "pi-2026-000173",
      "amount": {"currency": "PKR", "value": "1250000.00"},
      "fx_rate": "0.01321",
      "debtor": {"name": "Indus Textiles (Pvt) Ltd", "jurisdiction_id": "pk"},
      "creditor": {"name": "Gulf Fabrics FZE — Abu Dhabi", "jurisdiction_id": "ae-adgm"},
      "value_date": "2026-01-16",
      "withholding": [{"section": "236", "rate": "0.01", "filer": true}]
    },
    "attachments": [{"artifact_type": "blob", "digest_sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]
  },
  "transition_type_registry_digest_sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
})";
}

void report(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations());  // items/s = receipts/s
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_TextToDigest_Mcf(benchmark::State& state) {
  const std::string text = receipt_text();
  for (auto _ : state) {
    benchmark::DoNotOptimize(savm::runtime::digest_of(savm::runtime::canonicalize_text(text)));
  }
  report(state, text.size());
}

void BM_TextToDigest_NlohmannDump(benchmark::State& state) {
  const std::string text = receipt_text();
  for (auto _ : state) {
    benchmark::DoNotOptimize(savm::vm::sha256(Json::parse(text).dump()));
  }
  report(state, text.size());
}

void BM_ValueToDigest_Mcf(benchmark::State& state) {
  const std::string text = receipt_text();
  const Json value = savm::runtime::parse_json(text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(savm::runtime::digest_of(savm::runtime::canonicalize(value)));
  }
  report(state, text.size());
}

void BM_ValueToDigest_NlohmannDump(benchmark::State& state) {
  const std::string text = receipt_text();
  const Json value = Json::parse(text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(savm::vm::sha256(value.dump()));
  }
  report(state, text.size());
}

void BM_Parse_Mcf(benchmark::State& state) {
  const std::string text = receipt_text();
  for (auto _ : state) benchmark::DoNotOptimize(savm::runtime::parse_json(text));
  report(state, text.size());
}

void BM_Parse_Nlohmann(benchmark::State& state) {
  const std::string text = receipt_text();
  for (auto _ : state) benchmark::DoNotOptimize(Json::parse(text));
  report(state, text.size());
}

}  // namespace

BENCHMARK(BM_TextToDigest_Mcf);
BENCHMARK(BM_TextToDigest_NlohmannDump);
BENCHMARK(BM_ValueToDigest_Mcf);
BENCHMARK(BM_ValueToDigest_NlohmannDump);
BENCHMARK(BM_Parse_Mcf);
BENCHMARK(BM_Parse_Nlohmann);
