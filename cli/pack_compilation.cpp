#include "cli/pack_compilation.h"

#include <map>
#include <set>

#include "cli/mizan_workspace.h"
#include "runtime/error.h"

namespace savm::cli {
namespace {

// `pack_id` and its transitive uses; every pack when `pack_id` is empty.
std::set<std::string> needed_packs(const lang::Program& program, const std::string& pack_id) {
  std::set<std::string> needed;
  std::vector<std::string> todo;
  if (pack_id.empty()) {
    for (const lang::PackInfo& p : program.packs) needed.insert(p.id);
    return needed;
  }
  todo.push_back(pack_id);
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    if (!needed.insert(id).second) continue;
    for (const lang::PackInfo& p : program.packs) {
      if (p.id == id) todo.insert(todo.end(), p.uses.begin(), p.uses.end());
    }
  }
  return needed;
}

compiler::CompileOptions options_for(const lang::Workspace& ws, const std::string& root, const lang::PackInfo& pack,
                                     const std::map<std::string, vm::Digest>& built) {
  compiler::CompileOptions options;
  for (const lang::SourceFile& f : ws.files) options.file_names[f.id] = relative_source_path(root, f.path);
  for (const std::string& dep : pack.uses) options.dependency_digests[dep] = built.at(dep);
  return options;
}

}  // namespace

std::vector<compiler::CompiledPack> compile_packs(const lang::Workspace& ws, const std::string& root,
                                                  const std::string& pack_id) {
  const lang::Program& program = *ws.program;
  const std::set<std::string> needed = needed_packs(program, pack_id);
  std::vector<compiler::CompiledPack> out;
  std::map<std::string, vm::Digest> built;
  for (const lang::PackInfo& pack : program.packs) {  // dependencies before dependents
    if (needed.count(pack.id) == 0) continue;
    try {
      out.push_back(compiler::compile_pack(program, pack.id, options_for(ws, root, pack, built)));
    } catch (const compiler::CompileError& e) {
      print_diagnostic(ws, e.diagnostic);
      throw runtime::Error("build.compile", pack.id + ": no module: " + e.what());
    }
    built[pack.id] = out.back().digest;
  }
  return out;
}

}  // namespace savm::cli
