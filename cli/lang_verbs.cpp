// savm check and savm fmt: the author's first loop over Mizan sources (docs/cli.md,
// docs/mizan.md). check parses and checks a file, or every .mizan file under a directory in sorted
// path order, as one workspace (lang/workspace.h), and prints each diagnostic in the compiler
// format of lang/diagnostics.h on stderr. fmt lays the same files out canonically
// (lang/formatter.h): it prints one, lists the unformatted ones, or rewrites them.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/command.h"
#include "lang/diagnostics.h"
#include "lang/formatter.h"
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

struct FmtArgs {
  std::string path;
  bool check = false;
  bool write = false;
};

// A sibling temporary renamed over the file, so that a failed write never leaves half a pack. The
// file keeps its permissions.
void replace_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".fmt.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    std::error_code ec;
    std::filesystem::permissions(tmp, std::filesystem::status(path, ec).permissions(), ec);
    if (!out || ec) {
      std::remove(tmp.c_str());
      throw runtime::Error("io.write", tmp + ": cannot write");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw runtime::Error("io.write", path + ": cannot write");
  }
}

struct Formatted {
  lang::SourceFile file;
  std::string text;
};

// Formats every file before anything is printed or written, so that a file that does not parse
// stops the whole run with its diagnostics and leaves every file as it was.
std::vector<Formatted> format_all(const std::vector<std::string>& paths) {
  std::vector<Formatted> out;
  std::size_t errors = 0;
  std::size_t failed_files = 0;
  for (const std::string& path : paths) {
    lang::SourceFile file{path, read_input(path), static_cast<std::uint32_t>(out.size())};
    lang::FormatResult r;
    try {
      r = lang::format(file);
    } catch (const std::logic_error& e) {  // the formatter lost its place in the tokens: a bug
      throw runtime::Error("fmt.internal", std::string(e.what()) + "; nothing was written");
    }
    for (const lang::Diagnostic& d : r.diagnostics) std::cerr << lang::render(d, file);
    errors += r.diagnostics.size();
    failed_files += r.text ? 0 : 1;
    out.push_back({std::move(file), r.text.value_or("")});
  }
  if (failed_files > 0) {
    std::cerr << "savm fmt: " << errors << (errors == 1 ? " error" : " errors") << " in " << failed_files << " of "
              << paths.size() << (paths.size() == 1 ? " file" : " files") << "; nothing formatted\n";
    out.clear();
  }
  return out;
}

int fmt(const FmtArgs& args) {
  std::vector<std::string> paths;
  try {
    paths = lang::mizan_files(args.path);
  } catch (const lang::WorkspaceError& e) {
    throw runtime::Error("io.read", e.what());
  }
  if (!args.check && !args.write && std::filesystem::is_directory(args.path)) {
    throw runtime::Error("fmt.usage", args.path + ": a directory is formatted with --check or --write, not printed");
  }
  const std::vector<Formatted> formatted = format_all(paths);
  if (formatted.empty()) return kBadInput;
  if (!args.check && !args.write) {
    std::cout << formatted[0].text;
    return kOk;
  }
  std::size_t changed = 0;
  for (const Formatted& f : formatted) {
    if (f.text == f.file.text) continue;
    ++changed;
    std::cout << f.file.path << "\n";
    if (args.write) replace_file(f.file.path, f.text);
  }
  return args.check && changed > 0 ? kVerificationFailed : kOk;
}

}  // namespace

void add_lang_verbs(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* verb = app.add_subcommand("check", "Parse and check Mizan sources and report diagnostics (exit 2 on errors)");
  verb->add_option("PATH", args->path, "A .mizan file, or a directory searched recursively for .mizan files")->required();
  on_run(verb, [args] { return check(*args); });

  auto fmt_args = std::make_shared<FmtArgs>();
  CLI::App* fmt_verb = app.add_subcommand("fmt", "Lay Mizan sources out canonically: print, --check or --write");
  fmt_verb->add_option("PATH", fmt_args->path, "A .mizan file, or a directory searched recursively for .mizan files")
      ->required();
  CLI::Option* check_flag =
      fmt_verb->add_flag("--check", fmt_args->check, "List the files that are not formatted; exit 1 if there are any");
  fmt_verb->add_flag("--write", fmt_args->write, "Rewrite the files that are not formatted, in place and atomically")
      ->excludes(check_flag);
  on_run(fmt_verb, [fmt_args] { return fmt(*fmt_args); });
}

}  // namespace savm::cli
