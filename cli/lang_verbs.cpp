// savm check: the author's first loop over Mizan sources (docs/cli.md, docs/mizan.md). Parses a
// file, or every .mizan file under a directory in sorted path order, and prints each diagnostic
// in the compiler format of lang/diagnostics.h on stderr.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "lang/diagnostics.h"
#include "lang/parser.h"
#include "runtime/error.h"

namespace savm::cli {
namespace {

namespace fs = std::filesystem;

struct CheckArgs {
  std::string path;
};

// The files a PATH names: itself, or the .mizan files below it, sorted so that output and exit
// status never depend on directory order.
std::vector<std::string> mizan_files(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".mizan") files.push_back(it->path().generic_string());
  }
  if (ec) throw runtime::Error("io.read", path + ": cannot list the directory: " + ec.message());
  if (files.empty()) throw runtime::Error("io.read", path + ": no .mizan files in this directory");
  std::sort(files.begin(), files.end());
  return files;
}

int check(const CheckArgs& args) {
  const std::vector<std::string> files = mizan_files(args.path);
  std::size_t errors = 0;
  std::size_t failed_files = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const lang::SourceFile file{files[i], read_input(files[i]), static_cast<std::uint32_t>(i)};
    const lang::ParseResult result = lang::parse(file);
    for (const lang::Diagnostic& d : result.diagnostics) std::cerr << lang::render(d, file);
    if (lang::has_errors(result.diagnostics)) {
      ++failed_files;
      errors += static_cast<std::size_t>(std::count_if(result.diagnostics.begin(), result.diagnostics.end(),
                                                       [](const lang::Diagnostic& d) { return d.severity == lang::Severity::error; }));
    }
  }
  if (errors > 0) {
    std::cerr << "savm check: " << errors << (errors == 1 ? " error" : " errors") << " in " << failed_files << " of "
              << files.size() << (files.size() == 1 ? " file" : " files") << "\n";
    return kBadInput;
  }
  std::cout << "ok: " << files.size() << (files.size() == 1 ? " file" : " files") << " checked\n";
  return kOk;
}

}  // namespace

void add_lang_verbs(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* verb = app.add_subcommand("check", "Parse Mizan sources and report diagnostics (exit 2 on errors)");
  verb->add_option("PATH", args->path, "A .mizan file, or a directory searched recursively for .mizan files")->required();
  on_run(verb, [args] { return check(*args); });
}

}  // namespace savm::cli
