// Loading a workspace: read, parse, and (when every file parsed) check all packs together.
#include "lang/workspace.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

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

Workspace load_workspace(const std::string& path) {
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
  std::vector<const Pack*> pack_ptrs;
  std::vector<const SourceFile*> file_ptrs;
  for (std::size_t i = 0; i < packs.size(); ++i) {
    pack_ptrs.push_back(&packs[i]);
    file_ptrs.push_back(&w.files[i]);
  }
  CheckResult c = check(pack_ptrs, file_ptrs);
  w.diagnostics.insert(w.diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
  w.program = std::move(c.program);
  return w;
}

}  // namespace savm::lang
