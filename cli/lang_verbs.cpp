// savm check: the author's first loop over Mizan sources (docs/cli.md, docs/mizan.md). Parses and
// checks a file, or every .mizan file under a directory in sorted path order, as one workspace
// (lang/workspace.h), and prints each diagnostic in the compiler format of lang/diagnostics.h on
// stderr.
#include <set>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "lang/diagnostics.h"
#include "lang/workspace.h"
#include "runtime/error.h"

namespace savm::cli {
namespace {

struct CheckArgs {
  std::string path;
};

std::size_t count_errors(const std::vector<lang::Diagnostic>& diagnostics, std::set<std::uint32_t>& files) {
  std::size_t errors = 0;
  for (const lang::Diagnostic& d : diagnostics) {
    if (d.severity != lang::Severity::error) continue;
    ++errors;
    files.insert(d.span.file);
  }
  return errors;
}

int check(const CheckArgs& args) {
  lang::Workspace w;
  try {
    w = lang::load_workspace(args.path);
  } catch (const lang::WorkspaceError& e) {
    throw runtime::Error("io.read", e.what());
  }
  for (const lang::Diagnostic& d : w.diagnostics) std::cerr << lang::render(d, w.files.at(d.span.file));
  std::set<std::uint32_t> failed_files;
  const std::size_t errors = count_errors(w.diagnostics, failed_files);
  const std::size_t n = w.files.size();
  if (errors > 0) {
    std::cerr << "savm check: " << errors << (errors == 1 ? " error" : " errors") << " in " << failed_files.size() << " of "
              << n << (n == 1 ? " file" : " files") << "\n";
    return kBadInput;
  }
  std::cout << "ok: " << n << (n == 1 ? " file" : " files") << " checked\n";
  return kOk;
}

}  // namespace

void add_lang_verbs(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* verb = app.add_subcommand("check", "Parse and check Mizan sources and report diagnostics (exit 2 on errors)");
  verb->add_option("PATH", args->path, "A .mizan file, or a directory searched recursively for .mizan files")->required();
  on_run(verb, [args] { return check(*args); });
}

}  // namespace savm::cli
