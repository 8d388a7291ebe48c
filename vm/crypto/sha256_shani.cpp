// SHA-256 block compression with the x86 SHA extensions (Intel SHA-NI, also on AMD Zen).
//
// Only the compress function is compiled for "sha,sse4.1" (a function attribute, not a flag on the
// file), so the binary still runs on CPUs without them: digest.cpp calls it only after
// shani_available() said yes. The instruction sequence is the one Intel documents ("Intel SHA
// Extensions", 2013) and Jeffrey Walton's public-domain sha256-x86.c uses: the state is kept as
// the two halves ABEF / CDGH that SHA256RNDS2 expects, each 4-round group adds the round constants
// to the message words and runs two RNDS2, and SHA256MSG1/MSG2 extend the message schedule four
// words at a time.
#include <cstdint>
#include <utility>

#include "vm/crypto/sha256_engine.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define SAVM_SHANI_TARGET __attribute__((target("sha,sse4.1")))
#endif

namespace savm::vm::sha256_engine {

#if defined(__x86_64__) || defined(__i386__)
namespace {

// FIPS 180-4 §4.2.2 round constants; each aligned group of four is loaded as one vector.
alignas(16) constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct Lanes {
  __m128i abef, cdgh;
  __m128i w[4];  // message schedule words 4g..4g+3 of the current and the next three groups
};

// Rounds 4G..4G+3. The schedule for group G+1 is finished here (MSG2) and group G+3's is started
// (MSG1), so that every group's words are ready when it runs; groups 0-3 read the block itself.
template <int G>
SAVM_SHANI_TARGET __attribute__((always_inline)) inline void round_group(Lanes& s) {
  __m128i& cur = s.w[G % 4];
  __m128i msg = _mm_add_epi32(cur, _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * G)));
  s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, msg);
  if constexpr (G >= 3 && G <= 14) {
    __m128i& next = s.w[(G + 1) % 4];
    next = _mm_add_epi32(next, _mm_alignr_epi8(cur, s.w[(G + 3) % 4], 4));
    next = _mm_sha256msg2_epu32(next, cur);
  }
  msg = _mm_shuffle_epi32(msg, 0x0E);
  s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, msg);
  if constexpr (G >= 1 && G <= 12) {
    __m128i& prev = s.w[(G + 3) % 4];
    prev = _mm_sha256msg1_epu32(prev, cur);
  }
}

template <int... G>
SAVM_SHANI_TARGET __attribute__((always_inline)) inline void all_rounds(Lanes& s,
                                                                        std::integer_sequence<int, G...>) {
  (round_group<G>(s), ...);
}

}  // namespace

bool shani_available() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool sha = (ebx >> 29) & 1;
  return ssse3 && sse41 && sha;
}

SAVM_SHANI_TARGET void shani_compress(std::uint32_t state[8], const std::uint8_t* data, std::size_t blocks) {
  // Message words are big-endian; this shuffle byte-swaps each 32-bit lane.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  // H0..H7 in memory order → the ABEF / CDGH halves SHA256RNDS2 works on.
  __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  Lanes s{};
  s.abef = _mm_alignr_epi8(dcba, efgh, 8);
  s.cdgh = _mm_blend_epi16(efgh, dcba, 0xF0);
  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_before = s.abef, cdgh_before = s.cdgh;
    for (int i = 0; i < 4; ++i) {
      s.w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byte_swap);
    }
    all_rounds(s, std::make_integer_sequence<int, 16>{});
    s.abef = _mm_add_epi32(s.abef, abef_before);
    s.cdgh = _mm_add_epi32(s.cdgh, cdgh_before);
  }
  // And back to H0..H7.
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

#else  // not x86: the portable engine is the only one

bool shani_available() { return false; }
void shani_compress(std::uint32_t*, const std::uint8_t*, std::size_t) { __builtin_trap(); }

#endif

}  // namespace savm::vm::sha256_engine
