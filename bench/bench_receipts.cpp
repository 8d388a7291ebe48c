// Corridor receipt throughput, per receipt, against raw libsodium in the same run
// (docs/PERFORMANCE.md, "Corridor receipts").
//   Seal:              build the receipt JSON, validate it, canonicalize it, hash it (next_root)
//   SealAppend:        Seal + MMR append: the checkpoint-signing mode (only checkpoints are
//                      signed), goal >= 200k receipts/s on one core
//   SealAppendSign:    SealAppend + sign_document per receipt: the per-receipt signing mode,
//                      goal >= 90% of RawSign's rate
//   FastSeal / FastSealAppend / FastSealAppendSign: the same three through the typed fast path
//                      (runtime/receipt_producer.h: streaming canonical writer, next_root and
//                      proof inserted, not re-canonicalized), the transition written as canonical
//                      bytes by a typed writer; byte-identical output, checked before timing
//   FastSealAppend[Sign]JsonTransition: the same with the transition handed over as a Json tree
//   RawSign:           crypto_sign_detached over a receipt's signing input (the peer)
//   SignerSign:        runtime/ed25519_signer.h over the signing inputs of consecutive receipts:
//                      the same signatures; what the fast path's signing costs on its own
//   ChainAppend:       verifier side: CorridorChain::append of a sealed receipt (link, recompute
//                      next_root, MMR append)
//   VerifyDocument:    verify_document of a signed receipt
//   RawVerify:         crypto_sign_verify_detached over the same bytes (the peer)
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/canonical_writer.h"
#include "runtime/corridor_chain.h"
#include "runtime/corridor_receipt.h"
#include "runtime/ed25519_signer.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/mmr.h"
#include "runtime/proof.h"
#include "runtime/receipt_producer.h"

namespace {

using namespace savm::runtime;

// The MMR keeps every node for inclusion proofs; restart it now and then so a long run measures
// appends, not memory growth.
constexpr std::uint64_t kMmrWindow = std::uint64_t{1} << 16;

const std::array<std::uint8_t, 32> kSeed = [] {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(0x42);
  return seed;
}();

// A receipt like examples/samples/corridor: two lawpacks (one as an ArtifactRef), one ruleset,
// a transfer transition; about 650 canonical bytes. Built as `savm corridor append` builds one:
// the corridor's fixed content, then this receipt's sequence, prev_root and transition payload.
Json receipt_template(std::uint64_t sequence, const Digest& prev_root) {
  static const Json base = {
      {"type", "MEZCorridorStateReceipt"},
      {"corridor_id", "pk-sifc--ae-difc.trade.v1"},
      {"timestamp", "2026-03-01T14:00:00+05:00"},
      {"lawpack_digest_set",
       Json::array({std::string(64, 'a'),
                    {{"digest_sha256", std::string(64, 'c')}, {"artifact_type", "lawpack"}}})},
      {"ruleset_digest_set", Json::array({std::string(64, 'b')})},
      {"transition",
       {{"type", "MSEZTransitionEnvelope"},
        {"kind", "msez.example.transfer.v1"},
        {"payload", {{"amount", "1250.00"}, {"currency", "USD"}}}}}};
  Json receipt = base;
  receipt["sequence"] = sequence;
  receipt["prev_root"] = prev_root.hex();
  receipt["transition"]["payload"]["invoice"] = "INV-2026-" + std::to_string(sequence);
  return receipt;
}

void Seal(benchmark::State& state) {
  Digest head;
  std::uint64_t sequence = 0;
  for (auto _ : state) {
    const CorridorReceipt receipt = seal_receipt(receipt_template(sequence++, head));
    head = receipt.next_root();
    benchmark::DoNotOptimize(head);
  }
  state.SetItemsProcessed(state.iterations());
}

void SealAppend(benchmark::State& state) {
  Digest head;
  std::uint64_t sequence = 0;
  Mmr mmr;
  for (auto _ : state) {
    const CorridorReceipt receipt = seal_receipt(receipt_template(sequence++, head));
    head = receipt.next_root();
    if (mmr.size() == kMmrWindow) mmr = Mmr();
    mmr.append(head);
  }
  benchmark::DoNotOptimize(mmr.root());
  state.SetItemsProcessed(state.iterations());
}

void SealAppendSign(benchmark::State& state) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  Digest head;
  std::uint64_t sequence = 0;
  Mmr mmr;
  for (auto _ : state) {
    const CorridorReceipt receipt = seal_receipt(receipt_template(sequence++, head));
    head = receipt.next_root();
    if (mmr.size() == kMmrWindow) mmr = Mmr();
    mmr.append(head);
    Json signed_receipt = sign_document(receipt.json(), key, "2026-03-01T09:00:00Z");
    benchmark::DoNotOptimize(signed_receipt);
  }
  state.SetItemsProcessed(state.iterations());
}

// The same receipt as a typed draft: the corridor's fixed content once, then per receipt its
// sequence, prev_root and transition.
ReceiptDraft corridor_draft() {
  const Json generic = receipt_template(0, Digest());
  ReceiptDraft draft;
  draft.corridor_id = generic["corridor_id"].get<std::string>();
  draft.timestamp = generic["timestamp"].get<std::string>();
  draft.lawpack_digest_set = {{.digest = *Digest::from_hex(std::string(64, 'a'))},
                              {.digest = *Digest::from_hex(std::string(64, 'c')), .artifact_type = "lawpack"}};
  draft.ruleset_digest_set = {{.digest = *Digest::from_hex(std::string(64, 'b'))}};
  return draft;
}

// A zone's transition executor writing this receipt's transition directly as canonical bytes
// (keys in byte order), the typed way: no JSON tree per receipt.
class TransitionWriter {
 public:
  CanonicalBytes write(std::uint64_t sequence) {
    invoice_.assign("INV-2026-");
    char digits[24];
    invoice_.append(digits, std::to_chars(digits, digits + sizeof digits, sequence).ptr);
    writer_.reset();
    writer_.begin_object();
    writer_.key("kind");
    writer_.string("msez.example.transfer.v1");
    writer_.key("payload");
    writer_.begin_object();
    writer_.key("amount");
    writer_.string("1250.00");
    writer_.key("currency");
    writer_.string("USD");
    writer_.key("invoice");
    writer_.string(invoice_);
    writer_.end_object();
    writer_.key("type");
    writer_.string("MSEZTransitionEnvelope");
    writer_.end_object();
    return writer_.bytes();
  }

 private:
  CanonicalWriter writer_;
  std::string invoice_;
};

// The other way in: the transition as a Json tree (a copy of the corridor's transition shape
// with this receipt's payload field, as receipt_template does for the whole document).
Json json_transition(std::uint64_t sequence) {
  static const Json shape = [] {
    Json transition = receipt_template(0, Digest())["transition"];
    transition["payload"].erase("invoice");
    return transition;
  }();
  Json transition = shape;
  transition["payload"]["invoice"] = "INV-2026-" + std::to_string(sequence);
  return transition;
}

// The fast path must give the generic path's bytes for both transition forms, or its timings
// mean nothing.
bool fast_path_matches(const KeyPair& key) {
  const CanonicalBytes generic = canonicalize(
      sign_document(seal_receipt(receipt_template(7, Digest())).json(), key, "2026-03-01T09:00:00Z"));
  ReceiptDraft draft = corridor_draft();
  draft.sequence = 7;
  ReceiptProducer producer;
  JwsSigner signer(key);
  TransitionWriter transitions;
  for (int form = 0; form < 2; ++form) {
    if (form == 0) {
      draft.transition = transitions.write(7);
    } else {
      draft.transition = json_transition(7);
    }
    producer.seal(draft);
    producer.sign(signer, "2026-03-01T09:00:00Z");
    if (!(producer.bytes() == generic)) return false;
  }
  return true;
}

// Per receipt, as a zone appends: the draft's per-receipt fields, seal, MMR append (the MMR
// keeps every node for proofs: reserved per window, inside the timed loop), optionally sign.
template <bool kJsonTransition, bool kAppend, bool kSign>
void fast_path(benchmark::State& state) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  if (kSign && !fast_path_matches(key)) state.SkipWithError("fast path bytes differ from the generic path");
  JwsSigner signer(key);
  ReceiptProducer producer;
  TransitionWriter transitions;
  ReceiptDraft draft = corridor_draft();
  Digest head;
  std::uint64_t sequence = 0;
  Mmr mmr;
  if (kAppend) mmr.reserve(kMmrWindow);
  for (auto _ : state) {
    if (kJsonTransition) {
      draft.transition = json_transition(sequence);
    } else {
      draft.transition = transitions.write(sequence);
    }
    draft.sequence = sequence++;
    draft.prev_root = head;
    head = producer.seal(draft);
    if (kAppend) {
      if (mmr.size() == kMmrWindow) {
        mmr = Mmr();
        mmr.reserve(kMmrWindow);
      }
      mmr.append(head);
    }
    if (kSign) producer.sign(signer, "2026-03-01T09:00:00Z");
    benchmark::DoNotOptimize(producer.view().data());
  }
  benchmark::DoNotOptimize(mmr.root());
  state.SetItemsProcessed(state.iterations());
}

void FastSeal(benchmark::State& state) { fast_path<false, false, false>(state); }
void FastSealAppend(benchmark::State& state) { fast_path<false, true, false>(state); }
void FastSealAppendSign(benchmark::State& state) { fast_path<false, true, true>(state); }
void FastSealAppendJsonTransition(benchmark::State& state) { fast_path<true, true, false>(state); }
void FastSealAppendSignJsonTransition(benchmark::State& state) { fast_path<true, true, true>(state); }

// The bytes Ed25519 signs for one receipt: the JWS signing input (encoded header "." canonical
// receipt without proof), exactly what sign_document and the fast path sign.
std::string signing_input() {
  const CorridorReceipt receipt = seal_receipt(receipt_template(7, Digest()));
  const Json signed_receipt = sign_document(receipt.json(), KeyPair::from_seed(kSeed), "2026-03-01T09:00:00Z");
  const std::string jws = signed_receipt["proof"]["jws"].get<std::string>();
  return jws.substr(0, jws.find("..")) + "." + proof_payload(receipt.json()).str();
}

void RawSign(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_seed_keypair(pk, sk, kSeed.data());
  const std::string message = signing_input();
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}

// The signer alone, as the fast path uses it: one Ed25519Signer over the signing inputs of a run
// of consecutive receipts, so its nonce hash resumes as it does for the producer.
void SignerSign(benchmark::State& state) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  const std::string input = signing_input();
  const std::string framing = input.substr(0, input.find('.') + 1);  // base64url has no '.'
  std::vector<std::string> payloads;
  ReceiptProducer producer;
  TransitionWriter transitions;
  ReceiptDraft draft = corridor_draft();
  Digest head;
  for (std::uint64_t sequence = 0; sequence < 256; ++sequence) {
    draft.transition = transitions.write(sequence);
    draft.sequence = sequence;
    draft.prev_root = head;
    head = producer.seal(draft);
    payloads.emplace_back(producer.view());
  }
  Ed25519Signer signer(key);
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(signer.sign(framing, payloads[next]));
    next = (next + 1) % payloads.size();
  }
  state.SetItemsProcessed(state.iterations());
}

void ChainAppend(benchmark::State& state) {
  // Pre-built receipts, verified one after the other; the chain restarts every kMmrWindow.
  constexpr std::size_t kReceipts = 4096;
  std::vector<CorridorReceipt> receipts;
  Digest head;
  for (std::uint64_t i = 0; i < kReceipts; ++i) {
    receipts.push_back(seal_receipt(receipt_template(i, head)));
    head = receipts.back().next_root();
  }
  CorridorChain chain("pk-sifc--ae-difc.trade.v1", Digest());
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == kReceipts) {
      state.PauseTiming();
      chain = CorridorChain("pk-sifc--ae-difc.trade.v1", Digest());
      next = 0;
      state.ResumeTiming();
    }
    chain.append(receipts[next++]);
  }
  state.SetItemsProcessed(state.iterations());
}

void VerifyDocument(benchmark::State& state) {
  const KeyPair key = KeyPair::from_seed(kSeed);
  const Json signed_receipt =
      sign_document(seal_receipt(receipt_template(7, Digest())).json(), key, "2026-03-01T09:00:00Z");
  for (auto _ : state) {
    const DocumentVerification result = verify_document(signed_receipt);
    if (!result.verified()) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void RawVerify(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_seed_keypair(pk, sk, kSeed.data());
  const std::string message = signing_input();
  const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
  crypto_sign_detached(sig, nullptr, bytes, message.size(), sk);
  for (auto _ : state) {
    if (crypto_sign_verify_detached(sig, bytes, message.size(), pk) != 0) {
      state.SkipWithError("signature did not verify");
    }
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(Seal);
BENCHMARK(SealAppend);
BENCHMARK(SealAppendSign);
BENCHMARK(FastSeal);
BENCHMARK(FastSealAppend);
BENCHMARK(FastSealAppendSign);
BENCHMARK(FastSealAppendJsonTransition);
BENCHMARK(FastSealAppendSignJsonTransition);
BENCHMARK(RawSign);
BENCHMARK(SignerSign);
BENCHMARK(ChainAppend);
BENCHMARK(VerifyDocument);
BENCHMARK(RawVerify);
