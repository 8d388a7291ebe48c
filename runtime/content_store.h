// The content-addressed store of a zone (FORMATS.md "Content-addressed store"):
// <root>/<artifact_type>/<sha256 hex>.<suffix>. Regpack data lives at <root>/regpack/<digest>.json
// (the digest of its canonical bytes). Modules live at <root>/module/<digest>.savm where
// the digest is the module digest (vm/module.h: the canonical bytes without the debug section), so
// the file keeps its debug information and is still found by the digest the lockfile pins.
//
// Writes are atomic: a temporary file in the same directory, fsync, rename, fsync of the
// directory; a crash leaves the old file or the new one, never a torn one. Every read recomputes
// the digest; a file whose content does not match its name is an error, never a silent load.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "vm/crypto/digest.h"

namespace savm::runtime {

class ContentStore {
 public:
  explicit ContentStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Stores module bytes under their module digest (idempotent) and returns the digest.
  // Throws Error "module.*" for bytes that are not a module, "zone.io" when writing fails.
  vm::Digest put_module(std::span<const std::uint8_t> bytes) const;

  // The bytes stored for `digest`. Throws Error "zone.cas_missing" (no such file) or
  // "zone.cas_digest" (the content no longer has that digest: tampering or corruption).
  std::vector<std::uint8_t> module_bytes(const vm::Digest& digest) const;

  std::filesystem::path module_path(const vm::Digest& digest) const;

  // Regpack data (canonical JSON) at <root>/regpack/<sha256 of the bytes>.json; the same errors.
  vm::Digest put_regpack(std::span<const std::uint8_t> canonical_bytes) const;
  std::vector<std::uint8_t> regpack_bytes(const vm::Digest& digest) const;
  std::filesystem::path regpack_path(const vm::Digest& digest) const;

 private:
  std::filesystem::path root_;
};

// Writes `bytes` to `path` atomically (temporary file, fsync, rename, directory fsync).
// Throws Error "zone.io" naming the path; the destination is then unchanged.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace savm::runtime
