// Module reading and verification throughput (MB/s of module bytes) on a large generated module:
// the read alone, the analysis alone (compute_bounds), analysis + verification (verify() on a
// module already read) and read + verify together, against two peers in the same run: a
// decode-only scan of the same code (the floor any verifier pays) and SHA-256 of the module bytes
// (what computing its digest costs anyway).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "vm/crypto/digest.h"
#include "vm/module.h"
#include "vm/opcodes.h"
#include "vm/verifier.h"

namespace {

using namespace savm::vm;

void emit(std::vector<std::uint8_t>& c, Op op) { c.push_back(static_cast<std::uint8_t>(op)); }
void emit16(std::vector<std::uint8_t>& c, Op op, std::uint16_t v) {
  emit(c, op);
  c.push_back(static_cast<std::uint8_t>(v));
  c.push_back(static_cast<std::uint8_t>(v >> 8));
}

// One policy-like function of ~`bytes` bytes: locals, constants, arithmetic, comparisons and a
// forward branch every few instructions.
std::vector<std::uint8_t> function_code(std::size_t bytes, std::uint32_t seed) {
  std::vector<std::uint8_t> c;
  while (c.size() < bytes) {
    emit16(c, Op::LOCAL_GET, 0);
    emit16(c, Op::CONST, static_cast<std::uint16_t>(seed++ % 4));
    emit(c, Op::ADD);
    emit(c, Op::PUSH1);
    c.push_back(7);
    emit(c, Op::MUL);
    emit16(c, Op::LOCAL_SET, 1);
    emit16(c, Op::LOCAL_GET, 1);
    emit(c, Op::PUSH0);
    emit(c, Op::GT);
    const std::uint32_t target = static_cast<std::uint32_t>(c.size() + 5 + 4);  // after LOCAL_GET, POP
    emit(c, Op::JUMPI);
    for (int k = 0; k < 4; ++k) c.push_back(static_cast<std::uint8_t>(target >> (8 * k)));
    emit16(c, Op::LOCAL_GET, 1);  // skipped when the branch is taken
    emit(c, Op::POP);
    emit(c, Op::PUSH0);  // the branch target
    emit(c, Op::POP);
  }
  emit(c, Op::HALT);
  return c;
}

Module large_module() {
  Module m;
  m.signatures = {{0, 0}};
  for (int k = 0; k < 4; ++k) m.constants.push_back(WordBytes{});
  for (std::uint32_t f = 0; f < 512; ++f) m.functions.push_back(Function{0, 2, 0, 0, function_code(16 * 1024, f)});
  compute_bounds(m);
  return m;
}

const std::vector<std::uint8_t>& module_bytes() {
  static const std::vector<std::uint8_t> bytes = write_module(large_module());
  return bytes;
}

// Minor page faults of this process so far: each first touch of fresh memory costs ~10 us on the
// VM this was measured on, more than verifying a page of code.
std::int64_t minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Counter `faults`: minor page faults per iteration, counted around the whole loop (no syscall
// inside it).
void set_faults(benchmark::State& state, std::int64_t faults) {
  state.counters["faults"] = benchmark::Counter(static_cast<double>(faults), benchmark::Counter::kAvgIterations);
}

void BM_ReadModule(benchmark::State& state) {
  const auto& bytes = module_bytes();
  const std::int64_t before = minor_faults();
  for (auto _ : state) benchmark::DoNotOptimize(read_module(bytes));
  set_faults(state, minor_faults() - before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void BM_Verify(benchmark::State& state) {
  const auto& bytes = module_bytes();
  Module m = read_module(bytes);  // compute_bounds rewrites the same bounds: no copy needed
  for (auto _ : state) {
    std::uint64_t work = 0;
    benchmark::DoNotOptimize(compute_bounds(m, &work));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

// "Analysis + verification": verify() (every check, the declared-bound comparison and the module
// digest) on a module already read. Reading the next module and destroying the previous result
// are paused: an iteration takes milliseconds, so the pause overhead (~1 us) is negligible.
// Counter `faults`: minor page faults inside verify() per iteration (its own fresh memory),
// counted while paused.
void BM_VerifyModule(benchmark::State& state) {
  const auto& bytes = module_bytes();
  std::int64_t faults = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Module m = read_module(bytes);
    const std::int64_t before = minor_faults();
    state.ResumeTiming();
    auto result = verify(std::move(m));
    state.PauseTiming();
    faults += minor_faults() - before;
    if (!std::holds_alternative<VerifiedModule>(result)) state.SkipWithError("module did not verify");
    benchmark::DoNotOptimize(result);
    result = std::vector<VerifyError>{};  // destroys the verified module outside the timing
    state.ResumeTiming();
  }
  set_faults(state, faults);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void BM_ReadAndVerify(benchmark::State& state) {
  const auto& bytes = module_bytes();
  const std::int64_t before = minor_faults();
  for (auto _ : state) {
    auto result = verify(read_module(bytes));  // includes the module digest
    if (!std::holds_alternative<VerifiedModule>(result)) state.SkipWithError("module did not verify");
    benchmark::DoNotOptimize(result);
  }
  set_faults(state, minor_faults() - before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void BM_PeerDecodeOnly(benchmark::State& state) {
  const auto& bytes = module_bytes();
  const Module m = read_module(bytes);
  for (auto _ : state) {
    std::uint64_t n = 0;
    for (const Function& f : m.functions) {
      const std::span<const std::uint8_t> code(f.code);
      Instruction ins;
      for (std::uint32_t off = 0; off < code.size(); off += ins.size) {
        if (decode(code, off, ins) != DecodeStatus::ok) break;
        n += ins.imm;
      }
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void BM_PeerSha256(benchmark::State& state) {
  const auto& bytes = module_bytes();
  for (auto _ : state) benchmark::DoNotOptimize(sha256(bytes));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

BENCHMARK(BM_ReadModule)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Verify)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VerifyModule)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadAndVerify)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerDecodeOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerSha256)->Unit(benchmark::kMillisecond);

}  // namespace
