#include "vm/crypto/digest.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <stdexcept>

#include "vm/crypto/sha256_engine.h"

namespace savm::vm {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

crypto_hash_sha256_state* as_state(unsigned char* storage) {
  return std::launder(reinterpret_cast<crypto_hash_sha256_state*>(storage));
}

// ---- the SHA-NI engine: FIPS 180-4 padding around sha256_engine::shani_compress ----------------

constexpr std::uint32_t kInitialState[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

struct BlockState {
  std::uint32_t h[8];
  std::uint64_t length = 0;  // bytes absorbed; length % 64 of them wait in `pending`
  std::uint8_t pending[64];
};

BlockState* as_block_state(unsigned char* storage) { return std::launder(reinterpret_cast<BlockState*>(storage)); }

// Pads the last partial block (FIPS 180-4 §5.1.1: 0x80, zeros, the bit length big-endian in the
// last 8 bytes of the last block), compresses it and writes H0..H7 big-endian.
Digest::Bytes finish_blocks(std::uint32_t h[8], const std::uint8_t* tail, std::size_t tail_size,
                            std::uint64_t total) {
  std::uint8_t last[128] = {};
  if (tail_size > 0) std::memcpy(last, tail, tail_size);
  last[tail_size] = 0x80;
  const std::size_t blocks = tail_size < 56 ? 1 : 2;
  const std::uint64_t bits = total * 8;
  for (std::size_t i = 0; i < 8; ++i) last[blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  sha256_engine::shani_compress(h, last, blocks);
  Digest::Bytes out{};
  for (std::size_t i = 0; i < 8; ++i) {
    for (std::size_t j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  }
  return out;
}

Digest::Bytes shani_digest(const std::uint8_t* data, std::size_t size) {
  std::uint32_t h[8];
  std::copy(std::begin(kInitialState), std::end(kInitialState), h);
  const std::size_t full = size / 64;
  if (full > 0) sha256_engine::shani_compress(h, data, full);
  return finish_blocks(h, data + 64 * full, size % 64, size);
}

void shani_update(BlockState& state, const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;  // data may be null
  const std::size_t used = state.length % 64;
  state.length += size;
  if (used > 0) {
    const std::size_t take = std::min(64 - used, size);
    std::memcpy(state.pending + used, data, take);
    data += take;
    size -= take;
    if (used + take < 64) return;
    sha256_engine::shani_compress(state.h, state.pending, 1);
  }
  const std::size_t full = size / 64;
  if (full > 0) sha256_engine::shani_compress(state.h, data, full);
  if (size % 64 > 0) std::memcpy(state.pending, data + 64 * full, size % 64);
}

// -1 until the first hash detects the CPU; then an Engine. Relaxed: every value stored is valid.
std::atomic<int> g_engine{-1};

}  // namespace

namespace sha256_engine {

Engine active() {
  int engine = g_engine.load(std::memory_order_relaxed);
  if (engine < 0) {
    engine = static_cast<int>(shani_available() ? Engine::kShaNi : Engine::kLibsodium);
    g_engine.store(engine, std::memory_order_relaxed);
  }
  return static_cast<Engine>(engine);
}

bool select(Engine engine) {
  if (engine == Engine::kShaNi && !shani_available()) return false;
  g_engine.store(static_cast<int>(engine), std::memory_order_relaxed);
  return true;
}

}  // namespace sha256_engine

std::optional<Digest> Digest::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSize) return std::nullopt;
  Bytes bytes{};
  for (std::size_t i = 0; i < kSize; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return Digest(bytes);
}

std::optional<Digest> Digest::parse(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.starts_with(kPrefix)) text.remove_prefix(kPrefix.size());
  return from_hex(text);
}

void write_lower_hex(std::span<const std::uint8_t> bytes, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (const std::uint8_t byte : bytes) {
    *out++ = kDigits[byte >> 4];
    *out++ = kDigits[byte & 0xF];
  }
}

std::array<char, 2 * Digest::kSize> Digest::hex_digits() const {
  std::array<char, 2 * kSize> out;
  write_lower_hex(bytes_, out.data());
  return out;
}

std::string Digest::hex() const {
  const auto digits = hex_digits();
  return std::string(digits.data(), digits.size());
}

std::string Digest::prefixed() const { return "sha256:" + hex(); }

bool Digest::is_zero() const {
  for (auto b : bytes_)
    if (b != 0) return false;
  return true;
}

Digest sha256(std::span<const std::uint8_t> bytes) {
  if (sha256_engine::active() == sha256_engine::Engine::kShaNi) {
    return Digest(shani_digest(bytes.data(), bytes.size()));
  }
  Digest::Bytes out{};
  crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return Digest(out);
}

Digest sha256(std::string_view bytes) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Sha256::Sha256() : accelerated_(sha256_engine::active() == sha256_engine::Engine::kShaNi) {
  static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(state_));
  static_assert(sizeof(BlockState) <= sizeof(state_));
  if (accelerated_) {
    auto* state = new (state_) BlockState;
    std::copy(std::begin(kInitialState), std::end(kInitialState), state->h);
  } else {
    new (state_) crypto_hash_sha256_state;
    crypto_hash_sha256_init(as_state(state_));
  }
}

Sha256& Sha256::update(std::span<const std::uint8_t> bytes) {
  if (accelerated_) {
    shani_update(*as_block_state(state_), bytes.data(), bytes.size());
  } else {
    crypto_hash_sha256_update(as_state(state_), bytes.data(), bytes.size());
  }
  return *this;
}

Sha256& Sha256::update(std::string_view bytes) {
  return update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Digest Sha256::finish() {
  // A second finish() would hash a wiped state: make that misuse loud in every build.
  if (finished_) throw std::logic_error("Sha256::finish called twice");
  finished_ = true;
  if (accelerated_) {
    BlockState& state = *as_block_state(state_);
    return Digest(finish_blocks(state.h, state.pending, state.length % 64, state.length));
  }
  Digest::Bytes out{};
  crypto_hash_sha256_final(as_state(state_), out.data());
  return Digest(out);
}

bool equal_constant_time(const Digest& a, const Digest& b) {
  return sodium_memcmp(a.bytes().data(), b.bytes().data(), Digest::kSize) == 0;
}

}  // namespace savm::vm
