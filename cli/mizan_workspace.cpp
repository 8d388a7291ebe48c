#include "cli/mizan_workspace.h"

#include <filesystem>
#include <iostream>

#include "runtime/error.h"

namespace savm::cli {

const lang::SourceFile* file_of(const lang::Workspace& ws, std::uint32_t id) {
  for (const lang::SourceFile& f : ws.files) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string relative_source_path(const std::string& root, const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return fs::path(file).filename().generic_string();
  fs::path base(root);
  if (!base.has_filename()) base = base.parent_path();  // "packs/pk/" lists files as "packs/pk/x"
  return fs::path(file).lexically_relative(base).generic_string();
}

lang::Workspace load_mizan(const std::string& path) {
  try {
    return lang::load_workspace(path);
  } catch (const lang::WorkspaceError& e) {
    throw runtime::Error("io.read", e.what());
  }
}

void print_diagnostic(const lang::Workspace& ws, const lang::Diagnostic& d) {
  const lang::SourceFile* f = file_of(ws, d.span.file);
  if (f != nullptr && d.span.end > d.span.begin) {
    std::cerr << lang::render(d, *f);
    return;
  }
  std::cerr << "savm: " << (d.severity == lang::Severity::error ? "error" : "warning") << "[" << d.code
            << "]: " << d.message << "\n";
}

bool report_diagnostics(const lang::Workspace& ws) {
  for (const lang::Diagnostic& d : ws.diagnostics) {
    if (const lang::SourceFile* f = file_of(ws, d.span.file)) std::cerr << lang::render(d, *f);
  }
  return !lang::has_errors(ws.diagnostics) && ws.program != nullptr;
}

}  // namespace savm::cli
