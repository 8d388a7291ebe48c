// The interpreter's per-instruction cost and its cold vs warm cost on a short policy.
//
// SAVM code has no backward jumps (docs/design/verifier-bounded-gas.md), so per-opcode loops are
// unrolled: each program is one long straight-line function of a repeated unit, and the
// `ns_per_op` counter divides the run's time by the number of instructions executed (execute()'s
// fixed cost, BM_ExecuteEmpty, is included and is < 2% at these sizes). Every program runs under
// both dispatch loops (computed goto and switch) in the same binary.
//
// Cold vs warm (anchors-vm §5.1): cold = read_module + verify + analysis (a cache miss) +
// execute; warm = execute with the analysis cached by module digest.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/savm_program.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/module.h"

namespace {

using savm::bench::ProgramText;
using namespace savm;

constexpr std::uint64_t kGasLimit = 1'000'000'000;

struct Program {
  vm::VerifiedModule module;
  std::uint32_t entry;  // export `main`
  std::uint64_t instructions;
  std::vector<std::uint8_t> input;
};

// A function `main` of `units` repetitions of `unit` between a prologue and an epilogue, after
// the functions in `callees` (assembly text, not counted: their instructions are counted where
// the unit calls them).
template <class Unit>
Program straight_line(int units, const std::vector<std::string>& prologue, Unit unit,
                      const std::vector<std::string>& epilogue, std::uint32_t results,
                      std::uint32_t locals, std::vector<std::int64_t> input = {},
                      std::string_view callees = {}) {
  ProgramText p;
  p.line(callees);
  p.line(".func main(0)->" + std::to_string(results) + " locals " + std::to_string(locals));
  for (const auto& op : prologue) p.op(op);
  for (int i = 0; i < units; ++i) unit(p, i);
  for (const auto& op : epilogue) p.op(op);
  p.line(".export main transition");
  vm::VerifiedModule module = savm::bench::assemble_verified(p.text());
  const std::uint32_t entry = savm::bench::export_index(module, "main");
  return Program{std::move(module), entry, p.instructions(), savm::bench::word_input(input)};
}

// Locals 0..3 from the input words, for the arithmetic programs.
const std::vector<std::string> kLoadLocals = {
    "PUSH 0", "INPUT_LOAD", "LOCAL_SET 0", "PUSH 32", "INPUT_LOAD", "LOCAL_SET 1",
    "PUSH 64", "INPUT_LOAD", "LOCAL_SET 2", "PUSH 96", "INPUT_LOAD", "LOCAL_SET 3"};
const std::vector<std::int64_t> kMoney = {2'000'000, 1'500, 10'000, 0};  // amount, rate, 1e4, acc

// Dispatch-bound: stack shuffling and a jump, no arithmetic.
Program dispatch_mix() {
  return straight_line(
      20'000, {}, [](ProgramText& p, int i) {
        p.op("PUSH 7").op("DUP 1").op("SWAP 1").op("POP").op("JUMP l" + std::to_string(i));
        p.label("l" + std::to_string(i)).op("POP");
      },
      {"HALT"}, 0, 0);
}

// Arithmetic-bound: money × rate / 1e4 two ways (MUL+DIV and MULDIV half_up), accumulated.
Program arithmetic_mix() {
  return straight_line(
      10'000, kLoadLocals, [](ProgramText& p, int) {
        p.op("LOCAL_GET 0").op("LOCAL_GET 1").op("MUL").op("LOCAL_GET 2").op("DIV");
        p.op("LOCAL_GET 0").op("LOCAL_GET 1").op("LOCAL_GET 2").op("MULDIV half_up").op("ADD");
        p.op("LOCAL_GET 3").op("ADD").op("LOCAL_SET 3");
      },
      {"LOCAL_GET 3", "RETURN"}, 1, 4, kMoney);
}

// Single-instruction series (each unit leaves the stack as it found it).
Program push_pop() {
  return straight_line(50'000, {}, [](ProgramText& p, int) { p.op("PUSH 7").op("POP"); }, {"HALT"}, 0, 0);
}
Program add_series() {
  return straight_line(50'000, {"PUSH 0"}, [](ProgramText& p, int) { p.op("PUSH 1").op("ADD"); },
                       {"RETURN"}, 1, 0);
}
Program mul_div_series() {  // stack (3, x): x*3/3
  return straight_line(
      25'000, {"PUSH 3", "PUSH 123456789"},
      [](ProgramText& p, int) { p.op("DUP 2").op("MUL").op("DUP 2").op("DIV"); },
      {"SWAP 1", "POP", "RETURN"}, 1, 0);
}
Program muldiv_series() {
  return straight_line(
      20'000, kLoadLocals,
      [](ProgramText& p, int) {
        p.op("LOCAL_GET 0").op("LOCAL_GET 1").op("LOCAL_GET 2").op("MULDIV half_up").op("POP");
      },
      {"HALT"}, 0, 4, kMoney);
}
Program jump_series() {
  return straight_line(
      50'000, {}, [](ProgramText& p, int i) {
        p.op("JUMP j" + std::to_string(i)).label("j" + std::to_string(i));
      },
      {"HALT"}, 0, 0);
}

// The pieces of the tax kernel's per-payment path (bench/tax_kernel.h), one at a time.
Program input_load_series() {
  return straight_line(
      30'000, {}, [](ProgramText& p, int i) { p.op("PUSH " + std::to_string(32 * (i % 4))).op("INPUT_LOAD").op("POP"); },
      {"HALT"}, 0, 0, kMoney);
}
Program compare_jumpi_series() {  // a slab test whose branch is always taken (predictable)
  return straight_line(
      30'000, kLoadLocals, [](ProgramText& p, int i) {
        p.op("LOCAL_GET 0").op("PUSH 600000").op("GT").op("JUMPI t" + std::to_string(i));
        p.label("t" + std::to_string(i));
      },
      {"HALT"}, 0, 4, kMoney);
}
Program call_return_series() {  // CALL of a one-parameter identity: CALL, LOCAL_GET, RETURN, POP
  return straight_line(
      30'000, {}, [](ProgramText& p, int) {
        p.op("PUSH 5").op("CALL id").executed(2).op("POP");
      },
      {"HALT"}, 0, 0, {}, ".func id(1)->1 locals 1\n  LOCAL_GET 0\n  RETURN");
}

vm::ExecutionContext bench_context() {
  vm::ExecutionContext ctx;
  ctx.gas_limit = kGasLimit;
  ctx.timestamp = 1'700'000'000;
  ctx.law_date = 19'675;
  ctx.execution_digest = vm::sha256(std::string_view("bench_interp"));
  return ctx;
}

void run_program(benchmark::State& state, const Program& program, vm::Dispatch dispatch) {
  const vm::MemoryHost host;
  const vm::ExecutionContext ctx = bench_context();
  const vm::ExecutionResult check = vm::execute(program.module, program.entry, program.input, ctx, host, dispatch);
  if (check.outcome.status != vm::Status::success) state.SkipWithError("program did not succeed");
  for (auto _ : state) {
    vm::ExecutionResult r = vm::execute(program.module, program.entry, program.input, ctx, host, dispatch);
    benchmark::DoNotOptimize(r);
  }
  const auto ops = static_cast<double>(program.instructions);
  state.counters["ns_per_op"] =
      benchmark::Counter(ops, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["gas_per_s"] =
      benchmark::Counter(static_cast<double>(check.gas_used), benchmark::Counter::kIsIterationInvariantRate);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(program.instructions));
}

template <Program (*Make)()>
void BM_Opcodes(benchmark::State& state) {
  static const Program program = Make();
  run_program(state, program, state.range(0) == 0 ? vm::Dispatch::computed_goto : vm::Dispatch::switch_loop);
}

#define SAVM_OPCODE_BENCH(fn) \
  BENCHMARK_TEMPLATE(BM_Opcodes, fn)->ArgName("switch")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)
SAVM_OPCODE_BENCH(dispatch_mix);
SAVM_OPCODE_BENCH(arithmetic_mix);
SAVM_OPCODE_BENCH(push_pop);
SAVM_OPCODE_BENCH(add_series);
SAVM_OPCODE_BENCH(mul_div_series);
SAVM_OPCODE_BENCH(muldiv_series);
SAVM_OPCODE_BENCH(jump_series);
SAVM_OPCODE_BENCH(input_load_series);
SAVM_OPCODE_BENCH(compare_jumpi_series);
SAVM_OPCODE_BENCH(call_return_series);

// execute()'s fixed cost: one HALT.
void BM_ExecuteEmpty(benchmark::State& state) {
  static const Program program = straight_line(0, {}, [](ProgramText&, int) {}, {"HALT"}, 0, 0);
  const vm::MemoryHost host;
  const vm::ExecutionContext ctx = bench_context();
  for (auto _ : state) {
    vm::ExecutionResult r = vm::execute(program.module, program.entry, {}, ctx, host);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExecuteEmpty);

// ---- cold vs warm: examples/asm/aml_check.sasm (a tensor read, a host call, a branch) ----

// More distinct modules than the analysis cache holds (FIFO), visited in a cycle: every
// analysis lookup of the cold benchmarks misses.
constexpr std::size_t kColdVariants = 2 * vm::kAnalysisCacheSize;

struct Policy {
  std::vector<std::vector<std::uint8_t>> bytes;  // variants differing only in metadata.version
  std::vector<vm::VerifiedModule> verified;
  vm::MemoryHost host;
  vm::ExecutionContext context = bench_context();
};

const Policy& policy() {
  static const Policy instance = [] {
    std::ifstream file(SAVM_SOURCE_DIR "/examples/asm/aml_check.sasm");
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    vm::Module module = compiler::assemble(text, compiler::AssembleOptions{"aml_check.sasm", false});
    Policy p;
    for (std::size_t i = 0; i < kColdVariants; ++i) {
      module.metadata.version = "1.0." + std::to_string(i);
      p.bytes.push_back(vm::write_module(module));
      p.verified.push_back(savm::bench::must_verify(module));
    }
    p.host.register_intrinsic("sanctions.screen",
                              [](std::span<const vm::Word>) { return vm::HostCallResult{true, {vm::Word::one()}}; });
    p.host.set_tensor(vm::TensorKey{p.context.asset_id, p.context.jurisdiction, vm::Domain::aml},
                      vm::TensorCell{vm::ComplianceState::compliant, vm::sha256(std::string_view("e")), 0, 0});
    const vm::ExecutionResult r = vm::execute(p.verified[0], 0, {}, p.context, p.host);
    if (r.outcome.status != vm::Status::success || r.returned.at(0) != vm::Word::from_u64(4)) std::abort();
    return p;
  }();
  return instance;
}

void BM_PolicyCold(benchmark::State& state) {
  const Policy& p = policy();
  std::size_t i = 0;
  for (auto _ : state) {
    vm::VerifiedModule module = savm::bench::must_verify(vm::read_module(p.bytes[i]));
    vm::ExecutionResult r = vm::execute(module, 0, {}, p.context, p.host);
    benchmark::DoNotOptimize(r);
    i = (i + 1) % kColdVariants;
  }
}
BENCHMARK(BM_PolicyCold);

void BM_PolicyReadVerify(benchmark::State& state) {
  const Policy& p = policy();
  std::size_t i = 0;
  for (auto _ : state) {
    vm::VerifiedModule module = savm::bench::must_verify(vm::read_module(p.bytes[i]));
    benchmark::DoNotOptimize(module);
    i = (i + 1) % kColdVariants;
  }
}
BENCHMARK(BM_PolicyReadVerify);

void BM_PolicyAnalyzeMiss(benchmark::State& state) {
  const Policy& p = policy();
  std::size_t i = 0;
  for (auto _ : state) {
    auto analysis = vm::analyze(p.verified[i]);
    benchmark::DoNotOptimize(analysis);
    i = (i + 1) % kColdVariants;
  }
}
BENCHMARK(BM_PolicyAnalyzeMiss);

void BM_PolicyWarm(benchmark::State& state) {
  const Policy& p = policy();
  for (auto _ : state) {
    vm::ExecutionResult r = vm::execute(p.verified[0], 0, {}, p.context, p.host);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PolicyWarm);

}  // namespace
