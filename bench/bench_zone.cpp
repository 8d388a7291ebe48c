// End-to-end zone transitions (docs/PERFORMANCE.md "Zone"): Zone::run of a realistic transition
// (examples/asm/fee_transfer.sasm: fee by MULDIV half-even, two storage writes, a log and an
// attestation) on one asset, one thread, each transition committed durably (SQLite WAL,
// synchronous=FULL: one fsync per commit) before the next starts.
//   Run/none, Run/checkpoint, Run/every: the three signing policies (checkpoint every 64)
//     counters: transitions/s, p50_us and p99_us latency of one Zone::run
//   The cost split of one transition, each part alone:
//     Load:        read + verify the module (what a process pays once per module, cold)
//     Prepare:     request validation (ABI arguments, context) against the lockfile
//     Execute:     vm::execute on an in-memory host
//     Receipt:     build the receipt, canonicalize it and hash it (receipt_digest)
//     Sign:        sign_document of that receipt (what `every` adds per transition)
//     Commit:      ZoneStore::commit of a receipt with no effects (transaction + fsync)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/assembler.h"
#include "runtime/context_json.h"
#include "runtime/execution_receipt.h"
#include "runtime/keys.h"
#include "runtime/module_bytes.h"
#include "runtime/proof.h"
#include "runtime/zone.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/module.h"

namespace {

using namespace savm;
namespace fs = std::filesystem;

std::vector<std::uint8_t> fee_module() {
  std::ifstream in(fs::path(SAVM_SOURCE_DIR) / "examples/asm/fee_transfer.sasm");
  std::stringstream text;
  text << in.rdbuf();
  return vm::write_module(compiler::assemble(text.str()));
}

runtime::TransitionRequest transfer(std::int64_t amount, std::int64_t timestamp) {
  return runtime::transition_request_from_json(runtime::Json{
      {"asset_id", "0x" + std::string(63, '0') + "1"},
      {"entry", "transfer"},
      {"args", runtime::Json::array({amount})},
      {"context", {{"caller", "alice"}, {"timestamp", timestamp}, {"law_date", "2024-07-01"}}}});
}

runtime::KeyPair bench_key() {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(0x42);
  return runtime::KeyPair::from_seed(seed);
}

// A fresh zone under the temp directory, removed with the object.
class BenchZone {
 public:
  explicit BenchZone(runtime::SigningPolicy signing) {
    dir_ = fs::temp_directory_path() / ("savm-bench-zone-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    runtime::ZoneConfig config("AE-ADGM");
    config.signing = signing;
    if (signing != runtime::SigningPolicy::none) {
      runtime::write_key_file(dir_ / "key.json", bench_key());
      config.key_path = (dir_ / "key.json").string();
    }
    runtime::Zone::init(dir_ / "z", config);
    zone_ = runtime::Zone::open(dir_ / "z");
    zone_->install(fee_module());
  }
  BenchZone(const BenchZone&) = delete;
  BenchZone& operator=(const BenchZone&) = delete;
  ~BenchZone() {
    zone_.reset();
    fs::remove_all(dir_);
  }
  runtime::Zone& zone() { return *zone_; }
  fs::path database() const { return dir_ / "z" / "zone.db"; }

 private:
  fs::path dir_;
  std::unique_ptr<runtime::Zone> zone_;
};

double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

void BM_Run(benchmark::State& state, runtime::SigningPolicy signing) {
  BenchZone bench(signing);
  std::vector<double> micros;
  std::int64_t i = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(bench.zone().run(transfer(100 + i, 1700000000 + i)));
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    ++i;
  }
  state.counters["transitions/s"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
  state.counters["p50_us"] = percentile(micros, 0.50);
  state.counters["p99_us"] = percentile(micros, 0.99);
}
BENCHMARK_CAPTURE(BM_Run, none, runtime::SigningPolicy::none)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Run, checkpoint, runtime::SigningPolicy::checkpoint)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Run, every, runtime::SigningPolicy::every)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_Load(benchmark::State& state) {
  const std::vector<std::uint8_t> bytes = fee_module();
  for (auto _ : state) benchmark::DoNotOptimize(runtime::verify_module_bytes(bytes, "fee"));
}
BENCHMARK(BM_Load)->Unit(benchmark::kMicrosecond);

void BM_Prepare(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::TransitionRequest request = transfer(100, 1700000000);
  for (auto _ : state) benchmark::DoNotOptimize(bench.zone().prepare(request));
}
BENCHMARK(BM_Prepare)->Unit(benchmark::kMicrosecond);

// One prepared transfer and its execution, for the split benches below.
struct Executed {
  runtime::PreparedTransition prepared;
  vm::ExecutionContext context;
  vm::MemoryHost host{vm::HostMode::production};
};

void BM_Execute(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  Executed e{bench.zone().prepare(transfer(100, 1700000000)), {}};
  e.context = e.prepared.request.context;
  e.context.execution_digest = runtime::execution_digest(e.prepared.request);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        vm::execute(*e.prepared.module, e.prepared.function, e.prepared.request.input, e.context, e.host));
  }
}
BENCHMARK(BM_Execute)->Unit(benchmark::kMicrosecond);

void BM_Receipt(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  Executed e{bench.zone().prepare(transfer(100, 1700000000)), {}};
  e.context = e.prepared.request.context;
  e.context.execution_digest = runtime::execution_digest(e.prepared.request);
  const vm::ExecutionResult result =
      vm::execute(*e.prepared.module, e.prepared.function, e.prepared.request.input, e.context, e.host);
  for (auto _ : state) {
    const runtime::Json receipt = runtime::execution_receipt(e.prepared.request, result);
    benchmark::DoNotOptimize(runtime::receipt_digest(receipt));
    benchmark::DoNotOptimize(runtime::canonicalize(receipt));
  }
}
BENCHMARK(BM_Receipt)->Unit(benchmark::kMicrosecond);

void BM_Sign(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::Json receipt = bench.zone().run(transfer(100, 1700000000));
  const runtime::KeyPair key = bench_key();
  for (auto _ : state) benchmark::DoNotOptimize(runtime::sign_document(receipt, key, "2023-11-14T22:13:20Z"));
}
BENCHMARK(BM_Sign)->Unit(benchmark::kMicrosecond);

void BM_Commit(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::Json receipt = bench.zone().run(transfer(100, 1700000000));
  const std::string bytes = runtime::canonicalize(receipt).str();
  const vm::Word asset = vm::Word::from_u64(2);
  const auto store = runtime::open_sqlite_zone_store(bench.database());  // a second connection, used alone
  runtime::TransitionInput input{vm::Digest{}, "transfer", {}, "{}"};
  std::uint64_t n = 0;
  for (auto _ : state) {
    runtime::TransitionCommit commit{asset, store->chain_head(asset), nullptr, vm::sha256(std::to_string(n++)),
                                     bytes, input, {}, std::nullopt};
    store->commit(commit);
  }
}
BENCHMARK(BM_Commit)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
