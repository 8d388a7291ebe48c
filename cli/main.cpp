// savm: one verb per user task, each a thin layer over the library (docs/cli.md).
#include <CLI/CLI.hpp>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"savm: the Smart Asset Virtual Machine and the Mizan policy runtime"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "savm 0.1.0");
  savm::cli::add_key_verbs(app);
  savm::cli::add_mmr_verbs(app);
  savm::cli::add_json_verbs(app);
  savm::cli::add_corridor_verbs(app);
  savm::cli::add_vm_verbs(app);
  savm::cli::add_exec_verbs(app);
  savm::cli::add_lang_verbs(app);
  savm::cli::add_mizan_verbs(app);
  savm::cli::add_build_verbs(app);
  savm::cli::add_zone_verbs(app);
  savm::cli::add_zone_data_verbs(app);
  savm::cli::add_zone_explain_verbs(app);
  savm::cli::add_zone_halt_verbs(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 2 whatever CLI11's own code is, so scripts can rely on it.
    const int code = app.exit(e);
    return code == 0 ? 0 : savm::cli::kBadInput;
  }
  return 0;
}
