// Loading a workspace: read, parse, add the library packs it uses, and (when every file parsed)
// check all packs together.
#include "lang/workspace.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "lang/checker.h"
#include "lang/parser.h"

namespace savm::lang {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WorkspaceError(path + ": cannot open file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw WorkspaceError(path + ": read failed");
  return bytes;
}

std::set<std::string> used_ids(const Pack& pack) {
  std::set<std::string> ids;
  for (const UseDecl& u : pack.uses) ids.insert(u.id.text());
  return ids;
}

// Library files by the pack id they declare. A library file that does not parse declares nothing
// here; `savm check` on the library itself reports it.
std::map<std::string, std::string> library_index(const std::vector<std::string>& dirs) {
  std::map<std::string, std::string> index;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw WorkspaceError("MIZAN_PATH: " + dir + " is not a directory");
    for (const std::string& f : mizan_files(dir)) {
      const ParseResult r = parse(SourceFile{f, read_file(f), 0});
      if (r.pack) index.try_emplace(r.pack->id.text(), f);
    }
  }
  return index;
}

// A library pack is checked for its declarations only; its tests are the library's own.
void drop_tests(Pack& pack) {
  pack.decls.erase(std::remove_if(pack.decls.begin(), pack.decls.end(),
                                  [](const Decl& d) { return std::holds_alternative<TestDecl>(d.node); }),
                   pack.decls.end());
}

// Appends the library packs the workspace uses and does not declare, transitively, in id order.
// False when one of them no longer parses (its diagnostics are in `w`).
bool add_library_packs(Workspace& w, std::vector<Pack>& packs, const std::vector<std::string>& library_dirs) {
  std::set<std::string> declared, wanted;
  for (const Pack& p : packs) {
    declared.insert(p.id.text());
    const std::set<std::string> uses = used_ids(p);
    wanted.insert(uses.begin(), uses.end());
  }
  for (const std::string& id : declared) wanted.erase(id);
  if (wanted.empty() || library_dirs.empty()) return true;
  const std::map<std::string, std::string> index = library_index(library_dirs);
  while (!wanted.empty()) {
    const std::string id = *wanted.begin();
    wanted.erase(wanted.begin());
    declared.insert(id);
    const auto found = index.find(id);
    if (found == index.end()) continue;  // the checker reports the missing pack (M0102)
    w.files.push_back(SourceFile{found->second, read_file(found->second), static_cast<std::uint32_t>(w.files.size())});
    ParseResult r = parse(w.files.back());
    w.diagnostics.insert(w.diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
    if (!r.pack) return false;  // changed since it was indexed
    drop_tests(*r.pack);
    for (const std::string& next : used_ids(*r.pack)) {
      if (!declared.count(next)) wanted.insert(next);
    }
    packs.push_back(std::move(*r.pack));
  }
  return true;
}

// The packs of files from `own_files` on came from the library.
void mark_library_packs(Program& program, std::size_t own_files) {
  for (PackInfo& p : program.packs) p.library = p.file >= own_files;
}

}  // namespace

std::vector<std::string> mizan_files(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".mizan") files.push_back(it->path().generic_string());
  }
  if (ec) throw WorkspaceError(path + ": cannot list the directory: " + ec.message());
  if (files.empty()) throw WorkspaceError(path + ": no .mizan files in this directory");
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> library_dirs_from_environment() {
  std::vector<std::string> dirs;
  const char* value = std::getenv("MIZAN_PATH");
  const std::string list = value ? value : "";
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(':', start), list.size());
    if (end > start) dirs.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return dirs;
}

Workspace load_workspace(const std::string& path) { return load_workspace(path, library_dirs_from_environment()); }

Workspace load_workspace(const std::string& path, const std::vector<std::string>& library_dirs) {
  Workspace w;
  for (const std::string& f : mizan_files(path)) {
    w.files.push_back(SourceFile{f, read_file(f), static_cast<std::uint32_t>(w.files.size())});
  }
  std::vector<Pack> packs;
  bool parsed = true;
  for (const SourceFile& file : w.files) {
    ParseResult r = parse(file);
    w.diagnostics.insert(w.diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
    if (r.pack) packs.push_back(std::move(*r.pack));
    parsed = parsed && r.pack.has_value();
  }
  if (!parsed) return w;  // a pack that did not parse would make its users' names look unknown
  const std::size_t own_files = w.files.size();
  if (!add_library_packs(w, packs, library_dirs)) return w;
  std::vector<const Pack*> pack_ptrs;
  std::vector<const SourceFile*> file_ptrs;
  for (std::size_t i = 0; i < packs.size(); ++i) {
    pack_ptrs.push_back(&packs[i]);
    file_ptrs.push_back(&w.files[i]);
  }
  CheckResult c = check(pack_ptrs, file_ptrs);
  w.diagnostics.insert(w.diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
  w.program = std::move(c.program);
  if (w.program) mark_library_packs(*w.program, own_files);
  return w;
}

}  // namespace savm::lang
