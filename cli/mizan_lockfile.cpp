#include "cli/mizan_lockfile.h"

#include <algorithm>
#include <map>

#include "cli/mizan_workspace.h"
#include "vm/crypto/digest.h"
#include "vm/interpreter.h"

namespace savm::cli {
namespace {

using runtime::Json;

const lang::PackInfo& pack_info(const lang::Program& program, const std::string& id) {
  return *std::find_if(program.packs.begin(), program.packs.end(), [&](const lang::PackInfo& p) { return p.id == id; });
}

Json optional_text(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

Json sources_of(const lang::Workspace& ws, const std::string& root, const lang::PackInfo& pack) {
  std::map<std::string, std::string> digests;  // sorted by relative path
  const lang::SourceFile* f = file_of(ws, pack.file);
  if (f != nullptr) digests[relative_source_path(root, f->path)] = vm::sha256(f->text).prefixed();
  Json sources = Json::array();
  for (const auto& [path, digest] : digests) sources.push_back({{"path", path}, {"sha256", digest}});
  return sources;
}

Json dependencies_of(const lang::PackInfo& pack, const std::map<std::string, vm::Digest>& built) {
  std::vector<std::string> uses = pack.uses;
  std::sort(uses.begin(), uses.end());
  Json dependencies = Json::array();
  for (const std::string& id : uses) dependencies.push_back({{"id", id}, {"module", built.at(id).prefixed()}});
  return dependencies;
}

Json exports_of(const compiler::CompiledPack& pack) {
  Json exports = Json::array();
  for (const compiler::ExportInfo& e : pack.exports) {  // sorted by name
    const auto function = vm::find_export(pack.module, e.name);
    exports.push_back({{"name", e.name},
                       {"kind", std::string(compiler::entry_kind_name(e.kind))},
                       {"gas_bound", pack.verified->function(*function).gas_bound}});
  }
  return exports;
}

Json not_exported_of(const compiler::CompiledPack& pack) {
  Json not_exported = Json::object();
  for (const auto& [name, code] : pack.not_exported) not_exported[name] = code;
  return not_exported;
}

}  // namespace

std::string module_file_name(const std::string& pack_id) { return pack_id + ".savm"; }

runtime::CanonicalBytes mizan_lockfile(const lang::Workspace& ws, const std::string& root,
                                       const std::vector<compiler::CompiledPack>& packs) {
  Json entries = Json::array();
  std::map<std::string, vm::Digest> built;
  for (const compiler::CompiledPack& compiled : packs) {
    const lang::PackInfo& pack = pack_info(*ws.program, compiled.pack_id);
    entries.push_back({{"id", pack.id},
                       {"version", optional_text(pack.version)},
                       {"jurisdiction", optional_text(pack.jurisdiction)},
                       {"module", compiled.digest.prefixed()},
                       {"file", module_file_name(pack.id)},
                       {"sources", sources_of(ws, root, pack)},
                       {"dependencies", dependencies_of(pack, built)},
                       {"exports", exports_of(compiled)},
                       {"not_exported", not_exported_of(compiled)}});
    built[pack.id] = compiled.digest;
  }
  return runtime::canonicalize(Json{{"format", "savm.mizan.lock.v1"}, {"packs", entries}});
}

}  // namespace savm::cli
