// The withholding-tax kernel (bench/tax_kernel.h) in SAVM, native C++ and one Lua, in one run.
//
// Lua 5.4 and LuaJIT both export the lua_* symbols, so they cannot share a binary: this file is
// built twice, savm_bench_kernel_lua54 and savm_bench_kernel_luajit (SAVM_BENCH_LUAJIT, with the
// JIT engine switched off: the peer is LuaJIT's interpreter). Every implementation's total is
// checked against the others (and hand-computed taxes) before anything is timed.
//
// SAVM variants:
//  - batch: one execution per 1,000 payments (input = 1,000 words); the driver is unrolled
//    straight-line code, PUSH offset / INPUT_LOAD / CALL tax / ADD per payment. Comparable to
//    Lua's loop (index, call, add per payment) and the fairest view of the interpreter itself.
//  - per_payment: one execute() per payment (the entry `one`): adds execute()'s fixed cost,
//    the way a host calling a rule per transaction would pay it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "bench/savm_program.h"
#include "bench/tax_kernel.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"

#if SAVM_BENCH_LUAJIT
#include <lua.hpp>
#include <luajit.h>
#define SAVM_LUA_NAME "luajit_interp"
#else
#include <lua.hpp>
#define SAVM_LUA_NAME "lua54"
#endif

namespace {

using namespace savm;
using bench::kBatch;
using bench::kPayments;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "bench_kernel: %s\n", what);
  std::abort();
}

struct Savm {
  vm::VerifiedModule module = bench::assemble_verified(bench::savm_tax_source());
  std::uint32_t batch = bench::export_index(module, "batch");
  std::uint32_t one = bench::export_index(module, "one");
  std::vector<std::vector<std::uint8_t>> batch_inputs;    // kPayments / kBatch inputs
  std::vector<std::vector<std::uint8_t>> payment_inputs;  // one word each
  vm::MemoryHost host;
  vm::ExecutionContext context;

  explicit Savm(const std::vector<std::int64_t>& amounts) {
    context.gas_limit = 1'000'000'000;
    context.execution_digest = vm::sha256(std::string_view("bench_kernel"));
    for (std::size_t i = 0; i < amounts.size(); i += kBatch) {
      const auto first = amounts.begin() + static_cast<std::ptrdiff_t>(i);
      batch_inputs.push_back(bench::word_input(std::vector<std::int64_t>(first, first + kBatch)));
    }
    for (const std::int64_t a : amounts) payment_inputs.push_back(bench::word_input({a}));
  }

  std::int64_t word_result(const vm::ExecutionResult& r) const {
    if (r.outcome.status != vm::Status::success || r.returned.size() != 1) fail("SAVM run failed");
    return static_cast<std::int64_t>(r.returned[0].limb[0]);  // non-negative, < 2^63
  }
  std::int64_t total_batched(vm::Dispatch dispatch) const {
    std::int64_t total = 0;
    for (const auto& input : batch_inputs) {
      total += word_result(vm::execute(module, batch, input, context, host, dispatch));
    }
    return total;
  }
  std::int64_t total_per_payment() const {
    std::int64_t total = 0;
    for (const auto& input : payment_inputs) total += word_result(vm::execute(module, one, input, context, host));
    return total;
  }
};

struct Lua {
  lua_State* state = luaL_newstate();
  int payments_ref = LUA_NOREF;

  explicit Lua(const std::vector<std::int64_t>& amounts) {
    luaL_openlibs(state);
#if SAVM_BENCH_LUAJIT
    if (luaJIT_setmode(state, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF) == 0) fail("cannot turn the JIT off");
    const std::string source = bench::lua_tax_source(bench::LuaDialect::luajit);
#else
    const std::string source = bench::lua_tax_source(bench::LuaDialect::lua54);
#endif
    if (luaL_loadstring(state, source.c_str()) != 0 || lua_pcall(state, 0, 0, 0) != 0) fail(lua_tostring(state, -1));
    lua_createtable(state, static_cast<int>(amounts.size()), 0);
    for (std::size_t i = 0; i < amounts.size(); ++i) {
      lua_pushinteger(state, static_cast<lua_Integer>(amounts[i]));
      lua_rawseti(state, -2, static_cast<int>(i + 1));
    }
    payments_ref = luaL_ref(state, LUA_REGISTRYINDEX);
  }
  ~Lua() { lua_close(state); }
  Lua(const Lua&) = delete;
  Lua& operator=(const Lua&) = delete;

  std::int64_t total() const {
    lua_getglobal(state, "run");
    lua_rawgeti(state, LUA_REGISTRYINDEX, payments_ref);
    if (lua_pcall(state, 1, 1, 0) != 0) fail(lua_tostring(state, -1));
    const auto total = static_cast<std::int64_t>(lua_tonumber(state, -1));  // exact: < 2^53
    lua_pop(state, 1);
    return total;
  }
};

std::int64_t native_total(const std::vector<std::int64_t>& amounts) {
  std::int64_t total = 0;
  for (const std::int64_t a : amounts) total += bench::native_tax(a);
  return total;
}

struct Kernel {
  std::vector<std::int64_t> amounts = bench::payments();
  Savm savm{amounts};
  Lua lua{amounts};
};

// Aborts unless every implementation computes the same total and the hand-worked taxes below
// hold in native code and in SAVM.
void check(const Kernel& k) {
  // Hand-worked: 2,500,000 is in the 2.2M slab: 180,000 + 300,000 * 25% = 255,000.
  // 600,010: 10 * 5% = 0.5, half-up 1. 600,009: 0.45 rounds to 0. 600,000: not above 600,000.
  // 6,000,000: 700,000 + 1,900,000 * 35% = 1,365,000.
  const std::vector<std::pair<std::int64_t, std::int64_t>> hand = {
      {2'500'000, 255'000}, {600'010, 1}, {600'009, 0}, {600'000, 0}, {6'000'000, 1'365'000}};
  for (const auto& [amount, tax] : hand) {
    if (bench::native_tax(amount) != tax) fail("native tax differs from the hand-worked value");
    const auto input = bench::word_input({amount});
    const auto r = vm::execute(k.savm.module, k.savm.one, input, k.savm.context, k.savm.host);
    if (k.savm.word_result(r) != tax) fail("SAVM tax differs from the hand-worked value");
  }
  const std::int64_t expected = native_total(k.amounts);
  if (k.savm.total_batched(vm::Dispatch::computed_goto) != expected ||
      k.savm.total_batched(vm::Dispatch::switch_loop) != expected || k.savm.total_per_payment() != expected ||
      k.lua.total() != expected) {
    fail("implementations disagree on the total tax");
  }
  std::fprintf(stderr, "total tax over %zu payments: %lld (all implementations agree)\n", kPayments,
               static_cast<long long>(expected));
}

const Kernel& kernel() {
  static const Kernel k;
  static const bool checked = (check(k), true);
  benchmark::DoNotOptimize(checked);
  return k;
}

void per_payment_counter(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPayments));
  state.counters["ns_per_payment"] = benchmark::Counter(
      static_cast<double>(kPayments), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_TaxNative(benchmark::State& state) {
  const Kernel& k = kernel();
  for (auto _ : state) {
    std::int64_t total = native_total(k.amounts);
    benchmark::DoNotOptimize(total);
  }
  per_payment_counter(state);
}
BENCHMARK(BM_TaxNative)->Unit(benchmark::kMillisecond);

void BM_TaxSavmBatch(benchmark::State& state) {
  const Kernel& k = kernel();
  const auto dispatch = state.range(0) == 0 ? vm::Dispatch::computed_goto : vm::Dispatch::switch_loop;
  for (auto _ : state) {
    std::int64_t total = k.savm.total_batched(dispatch);
    benchmark::DoNotOptimize(total);
  }
  per_payment_counter(state);
}
BENCHMARK(BM_TaxSavmBatch)->ArgName("switch")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_TaxSavmPerPayment(benchmark::State& state) {
  const Kernel& k = kernel();
  for (auto _ : state) {
    std::int64_t total = k.savm.total_per_payment();
    benchmark::DoNotOptimize(total);
  }
  per_payment_counter(state);
}
BENCHMARK(BM_TaxSavmPerPayment)->Unit(benchmark::kMillisecond);

void BM_TaxLua(benchmark::State& state) {
  const Kernel& k = kernel();
  for (auto _ : state) {
    std::int64_t total = k.lua.total();
    benchmark::DoNotOptimize(total);
  }
  per_payment_counter(state);
}
BENCHMARK(BM_TaxLua)->Name("BM_Tax_" SAVM_LUA_NAME)->Unit(benchmark::kMillisecond);

}  // namespace
