// End-to-end zone transitions (docs/PERFORMANCE.md "Zone") of a realistic withholding transition
// (examples/asm/fee_transfer.sasm: a 25 bp fee withheld by MULDIV half-even, two storage writes, a
// log and an attestation), SQLite WAL synced before acknowledgement (runtime/write_ahead_log.h),
// checkpoint every 64.
//   Zone/<sign>/<threads>t/group<N>: each thread drives its own asset;
//     group1:   Zone::run per transition, each durable (one fsync) before it returns
//     group256: Zone::run_batch of 256 requests, one durable group commit (one fsync) for them
//     counters: transitions/s (wall), cpu_us (process CPU per transition, all threads: with the
//     committer's sync thread), executor_cpu_us (the CPU of the threads that execute), p50_us and
//     p99_us latency from submission (the run() call, or the run_batch call for the whole group)
//     to acknowledgement (run() returns, or the group is durable)
//   Every Zone/ benchmark first sets the heap policy `savm run` sets (runtime/heap_policy.h);
//   SAVM_BENCH_DEFAULT_HEAP=1 in the environment keeps glibc's default instead.
//   Zone/<sign>/<threads>t/stream8x256: one run_batch of 8 groups of 256 per thread, as `savm run
//     --batch` streams a file: each group's sync overlaps the next group's execution. Throughput
//     and CPU only (a receipt's latency there includes its wait behind the groups before it).
//   The cost split of one transition, each part alone:
//     Load:        read + verify the module (what a process pays once per module, cold)
//     Prepare:     request validation (ABI arguments, context) against the lockfile
//     Execute:     vm::execute on an in-memory host
//     Receipt:     build the receipt tree, canonicalize it and hash it (the generic path)
//     ReceiptStreamed: the zone's path: identity, receipt and context streamed and hashed
//     Sign:        sign_document of that receipt (the generic path)
//     SignStreamed: the zone's path for `every`: the proof signed over the streamed bytes, inserted
//     Ed25519Sign: the raw primitive over the receipt's canonical bytes (the peer of `every`)
//     Commit:      ZoneStore::commit of a receipt with no effects (transaction + fsync)
//     CommitGroup: the same receipts, 256 per group (per receipt: rows + 1/256 of the fsync)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "compiler/assembler.h"
#include "runtime/context_json.h"
#include "runtime/execution_receipt.h"
#include "runtime/execution_receipt_writer.h"
#include "runtime/heap_policy.h"
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

runtime::TransitionRequest transfer(std::int64_t amount, std::int64_t timestamp, char asset = '1') {
  return runtime::transition_request_from_json(runtime::Json{
      {"asset_id", "0x" + std::string(63, '0') + asset},
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

double cpu_seconds(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

using Clock = std::chrono::steady_clock;

double micros_since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// One thread's share of an iteration: `count` transfers on its own asset, per transition
// (group 1) or as one run_batch (groups of `group`); appends each transition's latency.
void drive(runtime::Zone& zone, char asset, std::size_t group, std::size_t count, std::int64_t& next,
           std::vector<double>& micros) {
  if (group == 1) {
    for (std::size_t k = 0; k < count; ++k, ++next) {
      const auto start = Clock::now();
      benchmark::DoNotOptimize(zone.run(transfer(100 + next, 1700000000 + next, asset)));
      micros.push_back(micros_since(start));
    }
    return;
  }
  std::vector<runtime::TransitionRequest> batch;
  for (std::size_t k = 0; k < count; ++k, ++next) batch.push_back(transfer(100 + next, 1700000000 + next, asset));
  const auto start = Clock::now();
  zone.run_batch(batch, runtime::GroupPolicy{group}, [&](std::size_t, const runtime::ZoneReceipt&) {
    micros.push_back(micros_since(start));
  });
}

void BM_Zone(benchmark::State& state, runtime::SigningPolicy signing, unsigned threads, std::size_t group,
             std::size_t groups_per_batch) {
  const char* default_heap = std::getenv("SAVM_BENCH_DEFAULT_HEAP");
  if (default_heap == nullptr || *default_heap == '\0') runtime::retain_freed_heap();  // as `savm run` does
  BenchZone bench(signing);
  const std::size_t per_thread = group == 1 ? 16 : group * groups_per_batch;  // per thread per iteration
  std::vector<std::vector<double>> micros(threads);
  std::vector<std::int64_t> next(threads, 0);
  std::vector<double> executor_cpu(threads, 0);
  const double cpu_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (auto _ : state) {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const double start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        drive(bench.zone(), static_cast<char>('1' + t), group, per_thread, next[t], micros[t]);
        executor_cpu[t] += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - start;
      });
    }
    for (auto& w : workers) w.join();
  }
  std::vector<double> all;
  for (const auto& m : micros) all.insert(all.end(), m.begin(), m.end());
  const auto transitions = static_cast<double>(all.size());
  state.counters["transitions/s"] = benchmark::Counter(transitions, benchmark::Counter::kIsRate);
  state.counters["cpu_us"] = (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) * 1e6 / transitions;
  double executors = 0;
  for (const double seconds : executor_cpu) executors += seconds;
  state.counters["executor_cpu_us"] = executors * 1e6 / transitions;
  if (groups_per_batch > 1) return;
  state.counters["p50_us"] = percentile(all, 0.50);
  state.counters["p99_us"] = percentile(all, 0.99);
}

void zone_benchmarks() {
  using runtime::SigningPolicy;
  for (const auto signing : {SigningPolicy::none, SigningPolicy::checkpoint, SigningPolicy::every}) {
    for (const unsigned threads : {1u, 2u}) {
      for (const std::size_t group : {std::size_t{1}, std::size_t{256}}) {
        const std::string name = "BM_Zone/" + std::string(runtime::signing_policy_name(signing)) + "/" +
                                 std::to_string(threads) + "t/group" + std::to_string(group);
        benchmark::RegisterBenchmark(name.c_str(), BM_Zone, signing, threads, group, std::size_t{1})
            ->Iterations(group == 1 ? 40 : 8)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
      const std::string stream = "BM_Zone/" + std::string(runtime::signing_policy_name(signing)) + "/" +
                                 std::to_string(threads) + "t/stream8x256";
      benchmark::RegisterBenchmark(stream.c_str(), BM_Zone, signing, threads, std::size_t{256}, std::size_t{8})
          ->Iterations(2)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}
[[maybe_unused]] const bool registered = (zone_benchmarks(), true);

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

// The zone's path: identity, receipt and context streamed and hashed (no tree), writer reused.
void BM_ReceiptStreamed(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  Executed e{bench.zone().prepare(transfer(100, 1700000000)), {}};
  e.context = e.prepared.request.context;
  runtime::ExecutionReceiptWriter writer;
  e.context.execution_digest = writer.execution_digest(e.prepared.request);
  const vm::ExecutionResult result =
      vm::execute(*e.prepared.module, e.prepared.function, e.prepared.request.input, e.context, e.host);
  for (auto _ : state) {
    benchmark::DoNotOptimize(writer.execution_digest(e.prepared.request));
    writer.write(e.prepared.request, result, e.context.execution_digest);
    benchmark::DoNotOptimize(writer.receipt_digest());
  }
}
BENCHMARK(BM_ReceiptStreamed)->Unit(benchmark::kMicrosecond);

void BM_Sign(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::Json receipt = bench.zone().run(transfer(100, 1700000000));
  const runtime::KeyPair key = bench_key();
  for (auto _ : state) benchmark::DoNotOptimize(runtime::sign_document(receipt, key, "2023-11-14T22:13:20Z"));
}
BENCHMARK(BM_Sign)->Unit(benchmark::kMicrosecond);

// What `every` adds on the zone's path now: the proof signed over the streamed bytes and inserted
// (the receipt is re-streamed each iteration, outside the timing, since a receipt is signed once).
void BM_SignStreamed(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::PreparedTransition prepared = bench.zone().prepare(transfer(100, 1700000000));
  vm::ExecutionContext context = prepared.request.context;
  runtime::ExecutionReceiptWriter writer;
  context.execution_digest = writer.execution_digest(prepared.request);
  vm::MemoryHost host{vm::HostMode::production};
  const vm::ExecutionResult result = vm::execute(*prepared.module, prepared.function, prepared.request.input, context, host);
  const runtime::KeyPair key = bench_key();
  runtime::JwsSigner signer(key);
  for (auto _ : state) {
    state.PauseTiming();
    writer.write(prepared.request, result, context.execution_digest);
    state.ResumeTiming();
    writer.sign(signer, "2023-11-14T22:13:20Z");
    benchmark::DoNotOptimize(writer.receipt().data());
  }
}
BENCHMARK(BM_SignStreamed)->Unit(benchmark::kMicrosecond);

void BM_Ed25519Sign(benchmark::State& state) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::CanonicalBytes bytes = runtime::canonicalize(bench.zone().run(transfer(100, 1700000000)));
  const runtime::KeyPair key = bench_key();
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(bytes));
}
BENCHMARK(BM_Ed25519Sign)->Unit(benchmark::kMicrosecond);

// Commits of a receipt with no effects, `group` per durable group.
void BM_Commit(benchmark::State& state, std::size_t group) {
  BenchZone bench(runtime::SigningPolicy::none);
  const runtime::Json receipt = bench.zone().run(transfer(100, 1700000000));
  const std::string bytes = runtime::canonicalize(receipt).str();
  const vm::Word asset = vm::Word::from_u64(2);
  const auto store = runtime::open_sqlite_zone_store(bench.database());  // a second connection, used alone
  runtime::TransitionInput input{vm::Digest{}, "transfer", {}, "{}"};
  std::uint64_t n = 0;
  for (auto _ : state) {
    store->begin_group();
    for (std::size_t k = 0; k < group; ++k) {
      runtime::TransitionCommit commit{asset, store->chain_head(asset), nullptr, vm::sha256(std::to_string(n++)),
                                       bytes, input, {}, std::nullopt, std::nullopt, {}, {}};
      store->commit(commit);
    }
    store->end_group();
    store->sync();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}
BENCHMARK_CAPTURE(BM_Commit, alone, std::size_t{1})->Iterations(500)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Commit, group256, std::size_t{256})->Iterations(8)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
