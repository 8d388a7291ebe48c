// savm exec MODULE --entry NAME [--args JSON|@FILE] [--context JSON|@FILE] [--state DIR] [--gas N]
//
// Runs one execution against the in-memory host (docs/cli.md "exec"): reads and verifies the
// module, encodes the arguments by the entry ABI, runs, and prints the receipt's canonical bytes
// and "\n". With --state, the host and the asset's chain head (sequence, prev_receipt_digest)
// are loaded from DIR/state.json, and afterwards the new chain head (for every outcome) and the
// effects (on success only) are saved atomically. Exit 0 on success, 1 on any other outcome,
// 2 on bad input (nothing is written then).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "cli/command.h"
#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"
#include "runtime/module_bytes.h"
#include "runtime/state_dir.h"
#include "vm/interpreter.h"
#include "vm/module.h"
#include "vm/verifier.h"

namespace savm::cli {
namespace {

struct ExecOptions {
  std::string module;
  std::string entry;
  std::string args = "[]";
  std::string context = "{}";
  std::string state;
  std::optional<std::uint64_t> gas;
};

vm::VerifiedModule load_module(const std::string& path) {
  const std::string bytes = read_input(path);
  return runtime::verify_module_bytes(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), path);
}

// An inline JSON argument, or "@FILE" (or "@-" for standard input): contexts are usually files.
runtime::Json json_argument(const std::string& value) {
  if (!value.empty() && value.front() == '@') return runtime::parse_json(read_input(value.substr(1)));
  return runtime::parse_json(value);
}

int run_exec(const ExecOptions& o) {
  const vm::VerifiedModule module = load_module(o.module);
  const auto function = vm::find_export(module.module(), o.entry);
  if (!function) throw runtime::Error("exec.entry", o.module + ": no export named \"" + o.entry + "\"");
  const auto args = runtime::abi_args_from_json(json_argument(o.args));

  runtime::ExecutionRequest request;
  request.module_digest = module.digest();
  request.entry = o.entry;
  request.input = vm::abi_encode(args);
  request.context = runtime::context_from_json(json_argument(o.context));
  // Without --gas or a context gas_limit, the verifier's static bound: enough for every path.
  if (o.gas) {
    request.context.gas_limit = *o.gas;
  } else if (request.context.gas_limit == 0) {
    request.context.gas_limit = module.function(*function).gas_bound;
  }

  std::optional<runtime::ExecState> state;
  if (!o.state.empty()) {
    state = runtime::load_state(o.state);
    const runtime::ChainHead head = state->chains[request.context.asset_id];
    request.context.sequence = head.height;  // the chain, not the caller, says where we are
    request.prev_receipt_digest = head.head;
  }
  const vm::MemoryHost empty_host;
  const vm::Host& host = state ? static_cast<const vm::Host&>(state->host) : empty_host;

  vm::ExecutionContext context = request.context;
  context.execution_digest = runtime::execution_digest(request);
  const vm::ExecutionResult result = vm::execute(module, *function, request.input, context, host);
  const runtime::Json receipt = runtime::execution_receipt(request, result);

  if (state) {
    if (result.outcome.status == vm::Status::success) state->host.apply(context.asset_id, result.effects);
    state->chains[context.asset_id] =
        runtime::ChainHead{request.context.sequence + 1, runtime::receipt_digest(receipt)};
    runtime::save_state(o.state, *state);
  }
  std::cout << runtime::canonicalize(receipt).view() << "\n";
  return result.outcome.status == vm::Status::success ? kOk : kVerificationFailed;
}

}  // namespace

void add_exec_verbs(CLI::App& app) {
  auto o = std::make_shared<ExecOptions>();
  CLI::App* exec = app.add_subcommand("exec", "Run one entry of a module and print its execution receipt");
  exec->add_option("module", o->module, "the .savm module file")->required();
  exec->add_option("--entry", o->entry, "the export to run")->required();
  exec->add_option("--args", o->args, "arguments as a JSON array, or @FILE (docs/vm.md \"Entry ABI\")")->capture_default_str();
  exec->add_option("--context", o->context, "the execution context as JSON, or @FILE (docs/receipts.md)")->capture_default_str();
  exec->add_option("--state", o->state, "state directory: loaded before, saved after the run");
  exec->add_option("--gas", o->gas, "gas limit (default: the context's, else the entry's static bound)");
  on_run(exec, [o] { return run_exec(*o); });
}

}  // namespace savm::cli
