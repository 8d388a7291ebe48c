// savm build: a workspace of Mizan packs to one verified SAVM module per pack and a lockfile
// (docs/cli.md "savm build"). Everything is compiled in memory first, so a pack that does not
// check or compile leaves OUTDIR untouched; each file is then written atomically (temporary file,
// rename), modules first and mizan.lock last, so the lockfile never names a module that is not
// there.
#include <filesystem>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/mizan_lockfile.h"
#include "cli/mizan_workspace.h"
#include "cli/pack_compilation.h"
#include "runtime/content_store.h"
#include "runtime/error.h"
#include "vm/module.h"

namespace savm::cli {
namespace {

struct BuildOptions {
  std::string path;
  std::string out_dir;
};

// The output directory, created if missing; anything else in its place is build.output.
std::filesystem::path output_directory(const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir, ec)) {
    throw runtime::Error("build.output", out_dir + ": cannot create the output directory" +
                                             (ec ? ": " + ec.message() : std::string(": a file is in the way")));
  }
  return out_dir;
}

void write_output(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  try {
    runtime::write_file_atomically(path, bytes);
  } catch (const runtime::Error& e) {
    throw runtime::Error("io.write", e.what());
  }
}

std::span<const std::uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

int build_verb(const BuildOptions& o) {
  const lang::Workspace ws = load_mizan(o.path);
  if (!report_diagnostics(ws)) return kBadInput;
  const std::vector<compiler::CompiledPack> packs = compile_packs(ws, o.path);
  const runtime::CanonicalBytes lock = mizan_lockfile(ws, o.path, packs);
  std::vector<std::vector<std::uint8_t>> modules;
  for (const compiler::CompiledPack& p : packs) modules.push_back(vm::write_module(p.module));

  const std::filesystem::path out = output_directory(o.out_dir);
  for (std::size_t i = 0; i < packs.size(); ++i) write_output(out / module_file_name(packs[i].pack_id), modules[i]);
  write_output(out / "mizan.lock", as_bytes(lock.str()));
  for (const compiler::CompiledPack& p : packs) {
    for (const lang::Diagnostic& d : p.diagnostics) print_diagnostic(ws, d);
    const std::size_t n = p.exports.size();
    std::cout << "built " << p.pack_id << " " << p.digest.prefixed() << " " << n << (n == 1 ? " export" : " exports")
              << "\n";
  }
  return kOk;
}

}  // namespace

void add_build_verbs(CLI::App& app) {
  auto build = std::make_shared<BuildOptions>();
  CLI::App* verb = app.add_subcommand("build", "Compile Mizan packs to verified SAVM modules and write mizan.lock");
  verb->add_option("PATH", build->path, "A .mizan file, or a directory of them")->required();
  verb->add_option("-o,--out", build->out_dir, "The output directory (created if missing)")->required();
  on_run(verb, [build] { return build_verb(*build); });
}

}  // namespace savm::cli
