// The two compilations of the dispatch loop (computed goto and switch) on the same valid module,
// context, input and host: outcome, gas_used, returned words and effects must be identical
// (anchors-vm §6.1 F3, the evmone Baseline-vs-Advanced pattern). Cases come from
// fuzz/module_generator.h, so nearly every input verifies and runs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <variant>

#include "fuzz/module_generator.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"
#include "vm/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace savm;
  fuzz::ExecutionCase c = fuzz::generate(data, size);
  if (!vm::compute_bounds(c.module).empty()) return 0;  // fuzz_exec owns the verifier oracle
  auto verified = vm::verify(std::move(c.module));
  if (!std::holds_alternative<vm::VerifiedModule>(verified)) std::abort();
  const vm::VerifiedModule& module = std::get<vm::VerifiedModule>(verified);

  const vm::MemoryHost host = fuzz::make_host(c);
  const vm::ExecutionResult by_goto =
      vm::execute(module, 0, c.input, c.context, host, vm::Dispatch::computed_goto);
  const vm::ExecutionResult by_switch =
      vm::execute(module, 0, c.input, c.context, host, vm::Dispatch::switch_loop);
  if (!(by_goto == by_switch)) std::abort();
  return 0;
}
