// Which SHA-256 implementation vm::sha256 and vm::Sha256 use (vm/crypto/digest.h).
//
// Two engines compute the same function: libsodium's portable C (everywhere), and a block
// compressor using the x86 SHA extensions (SHA-NI), chosen once, on first use, when the CPU has
// them. Padding, length encoding and output are shared code, and the compressor is checked
// against libsodium for every length 0..1024 and random splits (tests/vm/digest_test.cpp), so the
// digests are the same bit for bit; only the speed differs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace savm::vm::sha256_engine {

enum class Engine { kLibsodium, kShaNi };

// The engine in use (detected on first call).
Engine active();
// True when this CPU has SHA-NI, SSSE3 and SSE4.1 (cpuid), on x86 builds; false elsewhere.
bool shani_available();
// Tests only: selects an engine for hashes started afterwards. Returns false, and changes
// nothing, if the engine is not available on this machine. Not thread-safe with running hashes.
bool select(Engine engine);

// The SHA-NI block function: folds `blocks` consecutive 64-byte blocks into `state` (the eight
// FIPS 180-4 working words H0..H7). Call only when shani_available().
void shani_compress(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks);

}  // namespace savm::vm::sha256_engine
