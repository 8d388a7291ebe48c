// Shared plumbing for the savm verbs: exit codes, input reading and error reporting, so that
// every verb behaves the same way on bad input.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace savm::cli {

// The exit codes every verb uses (README, docs/cli.md).
enum Exit : int { kOk = 0, kVerificationFailed = 1, kBadInput = 2 };

// Reads a whole file, or standard input for "-" or "". Throws runtime::Error "io.read".
std::string read_input(const std::string& path);

// Binds a verb's body to its subcommand. The body returns an exit code; a runtime::Error it
// throws is printed as "savm: error[<code>]: <message>" on stderr and exits kBadInput.
void on_run(CLI::App* verb, std::function<int()> body);

// Each group registers its verbs on the top-level app.
void add_json_verbs(CLI::App& app);      // canon, digest
void add_key_verbs(CLI::App& app);       // keygen, sign, verify
void add_mmr_verbs(CLI::App& app);       // mmr root|prove|verify
void add_corridor_verbs(CLI::App& app);  // corridor genesis|next-root|verify
void add_vm_verbs(CLI::App& app);        // asm, disasm, verify-module
void add_exec_verbs(CLI::App& app);      // exec
void add_lang_verbs(CLI::App& app);      // check, fmt
void add_mizan_verbs(CLI::App& app);     // eval, explain, test
void add_build_verbs(CLI::App& app);     // build
void add_zone_verbs(CLI::App& app);      // zone init|install, run, chain verify|prove, replay, tensor
void add_zone_data_verbs(CLI::App& app);  // zone bind (after add_zone_verbs: it extends `zone`)
void add_zone_explain_verbs(CLI::App& app);  // zone explain (after add_zone_verbs)
void add_zone_halt_verbs(CLI::App& app); // zone halt|resume|status|import-slice (after add_zone_verbs)

}  // namespace savm::cli
