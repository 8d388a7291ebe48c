#include "runtime/content_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "runtime/error.h"
#include "vm/module.h"

namespace savm::runtime {
namespace {

void fail(const std::filesystem::path& path, const std::string& why) {
  throw Error("zone.io", path.string() + ": " + why);
}

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The rename is only durable once the directory entry is on disk too.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail(dir, std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) fail(dir, "cannot sync the directory");
}

std::vector<std::uint8_t> read_all(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("zone.cas_missing", path.string() + ": " + what + " is not in the store");
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) fail(path.parent_path(), "cannot create directory: " + ec.message());
  const auto temp = path.parent_path() / (path.filename().string() + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(temp, std::strerror(errno));
  const bool ok = write_all(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(temp, ec);
    fail(path, "cannot write");
  }
  sync_directory(path.parent_path());
}

std::filesystem::path ContentStore::module_path(const vm::Digest& digest) const {
  return root_ / "module" / (digest.hex() + ".savm");
}

vm::Digest ContentStore::put_module(std::span<const std::uint8_t> bytes) const {
  vm::Digest digest;
  try {
    digest = vm::module_digest(bytes);
  } catch (const vm::ModuleError& e) {
    throw Error(e.code, "byte " + std::to_string(e.offset) + ": " + e.reason);
  }
  const auto path = module_path(digest);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    try {
      module_bytes(digest);
      return digest;  // already stored intact
    } catch (const Error&) {
      // A damaged copy: replace it with the good bytes below.
    }
  }
  write_file_atomically(path, bytes);
  return digest;
}

std::vector<std::uint8_t> ContentStore::module_bytes(const vm::Digest& digest) const {
  const auto path = module_path(digest);
  std::vector<std::uint8_t> bytes = read_all(path, "module " + digest.hex());
  bool matches = false;
  try {
    matches = vm::module_digest(bytes) == digest;
  } catch (const vm::ModuleError&) {
    matches = false;
  }
  if (!matches) throw Error("zone.cas_digest", path.string() + ": content does not have digest " + digest.hex());
  return bytes;
}

std::filesystem::path ContentStore::regpack_path(const vm::Digest& digest) const {
  return root_ / "regpack" / (digest.hex() + ".json");
}

vm::Digest ContentStore::put_regpack(std::span<const std::uint8_t> canonical_bytes) const {
  const vm::Digest digest = vm::sha256(canonical_bytes);
  const auto path = regpack_path(digest);
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && vm::sha256(read_all(path, "regpack")) == digest) return digest;
  write_file_atomically(path, canonical_bytes);
  return digest;
}

std::vector<std::uint8_t> ContentStore::regpack_bytes(const vm::Digest& digest) const {
  const auto path = regpack_path(digest);
  std::vector<std::uint8_t> bytes = read_all(path, "regpack " + digest.hex());
  if (vm::sha256(bytes) != digest) {
    throw Error("zone.cas_digest", path.string() + ": content does not have digest " + digest.hex());
  }
  return bytes;
}

}  // namespace savm::runtime
