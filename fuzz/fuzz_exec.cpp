// Bytes -> a valid module (fuzz/module_generator.h) -> verify -> execute on a MemoryHost.
// Oracles (anchors-vm §6.1 F2, §6.4):
//  - no crash or UB; every fact the verifier proved is a SAVM_ASSERT, which aborts in this build
//    (SAVM_FUZZING), so a verified module reaching an "impossible" state (bad opcode, stack
//    underflow, bad jump or index) is a crash;
//  - the generated module survives the canonical encoding (write -> read -> same module) and
//    verifies (a rejection other than gas_bound_overflow is a generator or verifier bug);
//  - 0 <= gas_used <= gas_limit; out_of_gas and faults use exactly the limit (docs/gas.md);
//  - anything but success returns no words and no effects, and the host is unchanged (snapshot);
//  - a second run (warm analysis cache) gives an identical result and byte-identical canonical
//    receipt;
//  - gas is charged per instruction before its effect: for a success or revert, rerunning with
//    the limit set to the gas used replays the same run, and one unit less runs out of gas
//    (skipped when the program observes its gas: GAS, SDELETE refunds).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz/module_generator.h"
#include "runtime/execution_receipt.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/verifier.h"

namespace {

using namespace savm;

void require(bool condition) {
  if (!condition) std::abort();
}

struct HostSnapshot {
  std::map<std::pair<vm::Word, vm::Word>, vm::Word> storage;
  std::map<vm::TensorKey, vm::TensorCell> tensor;
  std::map<vm::Word, vm::MigrationRecord> migrations;
  explicit HostSnapshot(const vm::MemoryHost& h)
      : storage(h.storage()), tensor(h.tensor()), migrations(h.migrations()) {}
  friend bool operator==(const HostSnapshot&, const HostSnapshot&) = default;
};

std::string receipt_bytes(const runtime::ExecutionRequest& request, const vm::ExecutionResult& r) {
  return runtime::canonicalize(runtime::execution_receipt(request, r)).str();
}

void check_result(const vm::ExecutionResult& r, std::uint64_t limit) {
  require(r.gas_used <= limit);
  if (r.outcome.status == vm::Status::out_of_gas) require(r.gas_used == limit);
  if (r.outcome.status == vm::Status::fault) {
    require(r.outcome.fault != vm::FaultKind::none);
    require(r.gas_used == limit);
  }
  if (r.outcome.status != vm::Status::success) {
    require(r.returned.empty());
    require(r.effects == vm::Effects{});
  }
}

// Reruns with limit = gas used (same run) and gas used - 1 (out of gas).
void check_exact_limit(const vm::VerifiedModule& module, const fuzz::ExecutionCase& c,
                       const vm::MemoryHost& host, const vm::ExecutionResult& reference) {
  const vm::Status status = reference.outcome.status;
  if (c.gas_observable || (status != vm::Status::success && status != vm::Status::revert)) return;
  vm::ExecutionContext ctx = c.context;
  ctx.gas_limit = reference.gas_used;
  require(vm::execute(module, 0, c.input, ctx, host) == reference);
  if (reference.gas_used == 0) return;
  ctx.gas_limit = reference.gas_used - 1;
  const vm::ExecutionResult starved = vm::execute(module, 0, c.input, ctx, host);
  require(starved.outcome.status == vm::Status::out_of_gas);
  require(starved.gas_used == ctx.gas_limit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ExecutionCase c = fuzz::generate(data, size);
  const auto bound_errors = vm::compute_bounds(c.module);
  for (const vm::VerifyError& e : bound_errors) require(e.code == "verify.gas_bound_overflow");
  if (!bound_errors.empty()) return 0;

  const std::vector<std::uint8_t> bytes = vm::write_module(c.module);
  vm::Module decoded = vm::read_module(bytes);
  require(decoded == c.module);
  auto verified = vm::verify(std::move(decoded));
  require(std::holds_alternative<vm::VerifiedModule>(verified));
  const vm::VerifiedModule& module = std::get<vm::VerifiedModule>(verified);

  runtime::ExecutionRequest request;
  request.module_digest = module.digest();
  request.entry = "main";
  request.input = c.input;
  request.context = c.context;
  c.context.execution_digest = runtime::execution_digest(request);

  const vm::MemoryHost host = fuzz::make_host(c);
  const HostSnapshot before(host);
  const vm::ExecutionResult first = vm::execute(module, 0, c.input, c.context, host);
  check_result(first, c.context.gas_limit);
  require(HostSnapshot(host) == before);

  const vm::ExecutionResult second = vm::execute(module, 0, c.input, c.context, host);
  require(second == first);
  require(receipt_bytes(request, second) == receipt_bytes(request, first));

  if (first.outcome.status == vm::Status::success) {
    // Committing the effects makes every storage change's final value readable.
    vm::MemoryHost committed = host;
    committed.apply(c.context.asset_id, first.effects);
    for (const vm::StorageChange& change : first.effects.storage) {
      require(committed.storage_get(c.context.asset_id, change.key) == change.after);
    }
  }
  if (c.gas_class == fuzz::GasClass::exact_probe) check_exact_limit(module, c, host, first);
  return 0;
}
