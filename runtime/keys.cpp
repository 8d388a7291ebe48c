#include "runtime/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

constexpr std::string_view kKeyPairType = "SAVMEd25519KeyPair";
constexpr std::string_view kPublicKeyType = "SAVMEd25519PublicKey";
// Key files are a few hundred bytes; anything far larger is not one of ours.
constexpr std::size_t kMaxKeyFileBytes = 4096;

static_assert(crypto_sign_PUBLICKEYBYTES == PublicKey::kSize);
static_assert(crypto_sign_BYTES == Signature::kSize);
static_assert(crypto_sign_SEEDBYTES == KeyPair::kSeedSize);

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw Error("key.sodium", "libsodium failed to initialize");
}

// Fixed-size hex for keys: the length is checked first so the error says which is wrong.
template <std::size_t N>
std::array<std::uint8_t, N> decode_hex(std::string_view hex, std::string_view what) {
  if (hex.size() != 2 * N) {
    throw Error("key.length", std::string(what) + ": expected " + std::to_string(2 * N) + " hex digits, got " +
                                  std::to_string(hex.size()));
  }
  std::array<std::uint8_t, N> out{};
  std::size_t written = 0;
  if (sodium_hex2bin(out.data(), N, hex.data(), hex.size(), nullptr, &written, nullptr) != 0 || written != N) {
    sodium_memzero(out.data(), N);
    throw Error("key.hex", std::string(what) + ": not a hex string");
  }
  return out;
}

std::string encode_hex(std::span<const std::uint8_t> bytes) {
  std::string out(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

// RFC 8032 §5.1.5: SHA-512(seed) = h; a = h[0..32) clamped, which is reduced mod L here (a
// signature uses it only mod L); the nonce prefix is h[32..64).
void derive_signing_secrets(std::span<const std::uint8_t, KeyPair::kSeedSize> seed, unsigned char* scalar,
                            unsigned char* nonce_prefix) {
  unsigned char h[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(h, seed.data(), seed.size());
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  unsigned char wide[crypto_core_ed25519_NONREDUCEDSCALARBYTES] = {};
  std::memcpy(wide, h, crypto_core_ed25519_SCALARBYTES);
  crypto_core_ed25519_scalar_reduce(scalar, wide);
  std::memcpy(nonce_prefix, h + 32, 32);
  sodium_memzero(wide, sizeof wide);
  sodium_memzero(h, sizeof h);
}

// ---- files ---------------------------------------------------------------------------------------

std::string errno_text() { return std::strerror(errno); }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error("key.io", path.string() + ": write failed: " + errno_text());
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Creates `path` with `contents` and `mode`, never replacing an existing file and never exposing a
// partial one: the bytes go to a fresh temporary in the same directory, are synced, then the
// temporary is hard-linked to `path` (link fails if `path` exists, unlike rename) and removed.
void create_file_atomically(const std::filesystem::path& path, std::string_view contents, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
    throw Error("key.exists", path.string() + ": already exists; refusing to overwrite a key file");
  std::string temp = path.string() + ".tmp-XXXXXX";
  const int raw_fd = ::mkstemp(temp.data());  // O_CREAT|O_EXCL, mode 0600
  if (raw_fd < 0) throw Error("key.io", path.string() + ": cannot create a temporary file: " + errno_text());
  FileDescriptor fd(raw_fd);
  try {
    if (::fchmod(fd.get(), mode) != 0) throw Error("key.io", temp + ": chmod failed: " + errno_text());
    write_all(fd.get(), contents, temp);
    if (::fsync(fd.get()) != 0) throw Error("key.io", temp + ": fsync failed: " + errno_text());
    if (::close(fd.release()) != 0) throw Error("key.io", temp + ": close failed: " + errno_text());
    if (::link(temp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) throw Error("key.exists", path.string() + ": already exists; refusing to overwrite a key file");
      throw Error("key.io", path.string() + ": cannot create: " + errno_text());
    }
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  ::unlink(temp.c_str());
}

// The file's bytes, after checking it is a regular file; with `secret`, also that neither group nor
// others have any access to it.
std::string read_key_text(const std::filesystem::path& path, bool secret) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) throw Error("key.io", path.string() + ": cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Error("key.io", path.string() + ": cannot stat: " + errno_text());
  if (!S_ISREG(st.st_mode)) throw Error("key.permissions", path.string() + ": not a regular file");
  if (secret && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error("key.permissions", path.string() + ": mode " + mode +
                                       " lets group or others access a secret key; chmod 600 it");
  }
  if (st.st_size > static_cast<off_t>(kMaxKeyFileBytes))
    throw Error("key.format", path.string() + ": too large to be a key file");
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

// Wipes every string in a parsed key file (the secret seed's hex is one of them).
void wipe_strings(Json& json) {
  if (json.is_string()) {
    auto& s = json.get_ref<std::string&>();
    sodium_memzero(s.data(), s.size());
  } else if (json.is_structured()) {
    for (auto& child : json) wipe_strings(child);
  }
}

const std::string& string_field(const Json& json, const char* name, const std::filesystem::path& path) {
  const auto it = json.find(name);
  if (it == json.end() || !it->is_string())
    throw Error("key.format", path.string() + ": missing string field \"" + name + "\"");
  return it->get_ref<const std::string&>();
}

Json parse_key_json(std::string& text, const std::filesystem::path& path) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  sodium_memzero(text.data(), text.size());
  if (!json.is_object()) throw Error("key.format", path.string() + ": not a SAVM key file (expected a JSON object)");
  return json;
}

}  // namespace

// ---- value types ---------------------------------------------------------------------------------

PublicKey PublicKey::from_hex(std::string_view hex) { return PublicKey(decode_hex<kSize>(hex, "public key")); }
std::string PublicKey::hex() const { return encode_hex(bytes_); }

Signature Signature::from_hex(std::string_view hex) { return Signature(decode_hex<kSize>(hex, "signature")); }
std::string Signature::hex() const { return encode_hex(bytes_); }

// ---- key pairs -----------------------------------------------------------------------------------

KeyPair::KeyPair(unsigned char* secret, const PublicKey& public_key) : secret_(secret), public_key_(public_key) {}

KeyPair KeyPair::generate() {
  std::array<std::uint8_t, kSeedSize> seed{};
  ensure_sodium();
  randombytes_buf(seed.data(), seed.size());
  KeyPair key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

KeyPair KeyPair::from_seed(std::span<const std::uint8_t, kSeedSize> seed) {
  ensure_sodium();
  static_assert(kScalarAt == crypto_sign_SECRETKEYBYTES && kNoncePrefixAt == kScalarAt + 32 &&
                kSecretSize == kNoncePrefixAt + 32);
  auto* secret = static_cast<unsigned char*>(sodium_malloc(kSecretSize));
  if (secret == nullptr) throw std::bad_alloc();
  PublicKey::Bytes pk{};
  crypto_sign_seed_keypair(pk.data(), secret, seed.data());
  derive_signing_secrets(seed, secret + kScalarAt, secret + kNoncePrefixAt);
  return KeyPair(secret, PublicKey(pk));
}

KeyPair::KeyPair(KeyPair&& other) noexcept
    : secret_(std::exchange(other.secret_, nullptr)), public_key_(other.public_key_) {}

KeyPair& KeyPair::operator=(KeyPair&& other) noexcept {
  if (this != &other) {
    sodium_free(secret_);  // sodium_free wipes before unmapping
    secret_ = std::exchange(other.secret_, nullptr);
    public_key_ = other.public_key_;
  }
  return *this;
}

KeyPair::~KeyPair() { sodium_free(secret_); }

Signature KeyPair::sign_raw(std::span<const std::uint8_t> message) const {
  if (secret_ == nullptr) throw std::logic_error("KeyPair::sign on a moved-from key");
  Signature::Bytes sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_);
  return Signature(sig);
}

Signature KeyPair::sign(const CanonicalBytes& message) const {
  const std::string_view bytes = message.view();
  return sign_raw(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Signature KeyPair::sign(std::string_view framing, const CanonicalBytes& message) const {
  std::string input;
  input.reserve(framing.size() + message.size());
  input.append(framing).append(message.view());
  return sign_raw(std::span(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()));
}

bool verify_raw(const PublicKey& key, std::span<const std::uint8_t> message, const Signature& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.bytes().data(), message.data(), message.size(),
                                     key.bytes().data()) == 0;
}

bool verify(const PublicKey& key, const CanonicalBytes& message, const Signature& signature) {
  const std::string_view bytes = message.view();
  return verify_raw(key, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), signature);
}

bool verify(const PublicKey& key, std::string_view framing, const CanonicalBytes& message,
            const Signature& signature) {
  std::string input;
  input.reserve(framing.size() + message.size());
  input.append(framing).append(message.view());
  return verify_raw(key, std::span(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), signature);
}

// ---- key files -----------------------------------------------------------------------------------

void write_key_file(const std::filesystem::path& path, const KeyPair& key) {
  if (key.secret_ == nullptr) throw std::logic_error("write_key_file: moved-from key");
  std::array<std::uint8_t, KeyPair::kSeedSize> seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), key.secret_);
  std::string text = "{\"type\":\"" + std::string(kKeyPairType) + "\",\"public_key\":\"" + key.public_key().hex() +
                     "\",\"secret_seed\":\"" + encode_hex(seed) + "\"}\n";
  sodium_memzero(seed.data(), seed.size());
  try {
    create_file_atomically(path, text, 0600);
  } catch (...) {
    sodium_memzero(text.data(), text.size());
    throw;
  }
  sodium_memzero(text.data(), text.size());
}

KeyPair read_key_file(const std::filesystem::path& path) {
  std::string text = read_key_text(path, /*secret=*/true);
  Json json = parse_key_json(text, path);
  try {
    if (string_field(json, "type", path) != kKeyPairType)
      throw Error("key.format", path.string() + ": \"type\" is not \"" + std::string(kKeyPairType) + "\"");
    for (const auto& [name, value] : json.items())
      if (name != "type" && name != "public_key" && name != "secret_seed")
        throw Error("key.format", path.string() + ": unknown field \"" + name + "\"");
    auto seed = decode_hex<KeyPair::kSeedSize>(string_field(json, "secret_seed", path), "secret_seed");
    KeyPair key = KeyPair::from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    if (PublicKey::from_hex(string_field(json, "public_key", path)) != key.public_key())
      throw Error("key.mismatch", path.string() + ": public_key is not the public key of secret_seed");
    wipe_strings(json);
    return key;
  } catch (...) {
    wipe_strings(json);
    throw;
  }
}

void write_public_key_file(const std::filesystem::path& path, const PublicKey& key) {
  create_file_atomically(path, "{\"type\":\"" + std::string(kPublicKeyType) + "\",\"public_key\":\"" + key.hex() + "\"}\n",
                         0644);
}

PublicKey read_public_key_file(const std::filesystem::path& path) {
  {
    // Peek at the type without holding a secret: a key pair file goes through the full checks.
    std::string text = read_key_text(path, /*secret=*/false);
    Json json = parse_key_json(text, path);
    const std::string type = string_field(json, "type", path);
    if (type == kPublicKeyType) {
      for (const auto& [name, value] : json.items())
        if (name != "type" && name != "public_key")
          throw Error("key.format", path.string() + ": unknown field \"" + name + "\"");
      return PublicKey::from_hex(string_field(json, "public_key", path));
    }
    wipe_strings(json);
    if (type != kKeyPairType) throw Error("key.format", path.string() + ": \"type\" is not a SAVM key type");
  }
  return read_key_file(path).public_key();
}

}  // namespace savm::runtime
