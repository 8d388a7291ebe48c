// Signatures and the MMR: our layers against raw libsodium in the same run (docs/PERFORMANCE.md,
// "Signatures and MMR").
//   raw:      crypto_sign_detached / crypto_sign_verify_detached over the canonical bytes
//   ours:     KeyPair::sign(CanonicalBytes) / verify (should equal raw: a thin wrapper)
//   document: sign_document / verify_document on a ~1 KB receipt (copy, strip proof, canonicalize,
//             JWS framing, sign)
//   mmr:      append one leaf; prove one leaf of a 2^16-leaf MMR; verify_inclusion
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <algorithm>
#include <string>

#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/mmr.h"
#include "runtime/proof.h"

namespace {

using namespace savm::runtime;

KeyPair bench_key() {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(0x42);
  return KeyPair::from_seed(seed);
}

// A corridor receipt of about 1 KB of canonical bytes.
Json receipt_document() {
  Json doc = {{"type", "MEZCorridorStateReceipt"},
              {"corridor_id", "corridor-pk-ae-remittance-0001"},
              {"sequence", 41},
              {"timestamp", "2026-01-15T12:00:00Z"},
              {"prev_root", std::string(64, 'a')},
              {"next_root", std::string(64, 'b')},
              {"lawpack_digest_set", Json::array()},
              {"ruleset_digest_set", Json::array()},
              {"transition", {{"kind", "transfer"}, {"amount", "125000.50"}, {"currency", "PKR"},
                              {"from", "did:web:bank-a.example"}, {"to", "did:web:bank-b.example"}}}};
  for (int i = 0; i < 6; ++i) {
    doc["lawpack_digest_set"].push_back(savm::vm::sha256("lawpack-" + std::to_string(i)).hex());
    doc["ruleset_digest_set"].push_back(savm::vm::sha256("ruleset-" + std::to_string(i)).hex());
  }
  return doc;
}

const CanonicalBytes& payload() {
  static const CanonicalBytes bytes = canonicalize(receipt_document());
  return bytes;
}

void RawSodiumSign(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  unsigned char seed[crypto_sign_SEEDBYTES];
  std::fill(std::begin(seed), std::end(seed), 0x42);
  crypto_sign_seed_keypair(pk, sk, seed);
  const auto& msg = payload().str();
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), sk);
    benchmark::DoNotOptimize(sig);
  }
  state.SetLabel(std::to_string(msg.size()) + " B");
}
BENCHMARK(RawSodiumSign);

void RawSodiumVerify(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  unsigned char seed[crypto_sign_SEEDBYTES];
  std::fill(std::begin(seed), std::end(seed), 0x42);
  crypto_sign_seed_keypair(pk, sk, seed);
  const auto& msg = payload().str();
  const auto* m = reinterpret_cast<const unsigned char*>(msg.data());
  crypto_sign_detached(sig, nullptr, m, msg.size(), sk);
  for (auto _ : state) benchmark::DoNotOptimize(crypto_sign_verify_detached(sig, m, msg.size(), pk));
}
BENCHMARK(RawSodiumVerify);

void KeyPairSign(benchmark::State& state) {
  const KeyPair key = bench_key();
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(payload()));
}
BENCHMARK(KeyPairSign);

void KeyPairVerify(benchmark::State& state) {
  const KeyPair key = bench_key();
  const Signature sig = key.sign(payload());
  for (auto _ : state) benchmark::DoNotOptimize(verify(key.public_key(), payload(), sig));
}
BENCHMARK(KeyPairVerify);

void SignDocument(benchmark::State& state) {
  const KeyPair key = bench_key();
  const Json doc = receipt_document();
  for (auto _ : state) benchmark::DoNotOptimize(sign_document(doc, key, "2026-01-15T12:00:00Z"));
}
BENCHMARK(SignDocument);

void VerifyDocument(benchmark::State& state) {
  const Json signed_doc = sign_document(receipt_document(), bench_key(), "2026-01-15T12:00:00Z");
  for (auto _ : state) benchmark::DoNotOptimize(verify_document(signed_doc).verified());
}
BENCHMARK(VerifyDocument);

void MmrAppend(benchmark::State& state) {
  Mmr mmr;
  const savm::vm::Digest leaf = savm::vm::sha256("receipt");
  for (auto _ : state) mmr.append(leaf);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(MmrAppend);

const Mmr& big_mmr() {
  static const Mmr mmr = [] {
    Mmr m;
    for (int i = 0; i < (1 << 16) + 5; ++i) m.append(savm::vm::sha256("receipt-" + std::to_string(i)));
    return m;
  }();
  return mmr;
}

void MmrProve(benchmark::State& state) {
  const Mmr& mmr = big_mmr();
  std::uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mmr.prove(i));
    i = (i + 7919) % mmr.size();
  }
}
BENCHMARK(MmrProve);

void MmrVerify(benchmark::State& state) {
  const MmrProof proof = big_mmr().prove(12345);
  for (auto _ : state) benchmark::DoNotOptimize(verify_inclusion(proof));
}
BENCHMARK(MmrVerify);

}  // namespace
