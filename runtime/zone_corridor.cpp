#include "runtime/zone_corridor.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/context_json.h"
#include "runtime/corridor_checkpoint.h"
#include "runtime/corridor_receipt.h"
#include "runtime/corridor_verify.h"
#include "runtime/error.h"
#include "runtime/receipt_producer.h"
#include "runtime/unix_time.h"
#include "runtime/zone.h"

namespace savm::runtime {
namespace {

// The MEZ envelope type (domain brief §5.10); `kind` says which transitions it wraps.
constexpr const char* kEnvelopeType = "MSEZTransitionEnvelope";

// The checkpoint of `chain` as it stands, at `timestamp` (its last receipt's), signed per policy.
StoredCorridorCheckpoint corridor_checkpoint(const CorridorChain& chain, const std::string& timestamp,
                                             const ZoneSigner& signer) {
  const CorridorCheckpoint checkpoint = chain.checkpoint(timestamp);
  Json document = checkpoint.to_json();
  if (signer.signs_checkpoints()) document = signer.sign(std::move(document), checkpoint.timestamp);
  return StoredCorridorCheckpoint{checkpoint.receipt_count, checkpoint.digest(), canonicalize(document).str()};
}

std::string failure_label(const ChainFailure& failure) {
  if (!failure.index) return "checkpoint";
  std::string label = "receipt " + std::to_string(*failure.index);
  if (failure.sequence) label += " (sequence " + std::to_string(*failure.sequence) + ")";
  return label;
}

}  // namespace

Json transition_envelope(const CorridorTransition& t) {
  // Strings only: MCF and JCS give the same bytes, so payload_sha256 is the MEZ SHA256(JCS(payload)).
  Json payload = {{"asset_id", id_hex(t.asset)},
                  {"entry", t.entry},
                  {"execution_receipt_digest", t.execution_receipt.hex()},
                  {"module_digest", t.module.hex()}};
  const Digest payload_digest = digest_of(canonicalize(payload));
  return Json{{"type", kEnvelopeType},
              {"kind", std::string(kZoneTransitionKind)},
              {"payload", std::move(payload)},
              {"payload_sha256", payload_digest.hex()}};
}

StoredCorridor open_corridor_named(const ZoneStore& store, std::string_view id) {
  auto corridor = store.corridor(id);
  if (!corridor) {
    throw Error("zone.corridor", "corridor \"" + std::string(id) + "\" is not open in this zone (savm zone corridor open)");
  }
  return std::move(*corridor);
}

void check_corridor_open(const ZoneStore& store, const vm::Word& corridor) {
  if (corridor.is_zero() || store.corridor_of(corridor)) return;
  throw Error("zone.corridor", "$.context.corridor: " + id_hex(corridor) +
                                   " names no corridor open in this zone (savm zone corridor open)");
}

CorridorChain stored_corridor_chain(const ZoneStore& store, std::string_view id) {
  const StoredCorridor corridor = open_corridor_named(store, id);
  const std::vector<StoredCorridorCheckpoint> checkpoints = store.corridor_checkpoints(id);
  // From the latest checkpoint, only the receipts after it are read: a checkpoint costs at most
  // checkpoint_every receipt parses, not the whole history.
  CorridorChain chain = checkpoints.empty()
                            ? CorridorChain(corridor.id, corridor.genesis_root)
                            : CorridorChain::resume(CorridorCheckpoint::from_json(parse_json(checkpoints.back().bytes)));
  for (const auto& r : store.corridor_receipts(id, chain.height())) chain.append(CorridorReceipt::parse(r.bytes));
  return chain;
}

CorridorAppend corridor_receipt_for(const ZoneStore& store, const ZoneConfig& config, const ZoneSigner& signer,
                                    const CorridorTransition& t) {
  const auto corridor = store.corridor_of(t.corridor);
  if (!corridor) throw Error("zone.corridor", "$.context.corridor: " + id_hex(t.corridor) + " is not open in this zone");
  ReceiptDraft draft;
  draft.corridor_id = corridor->id;
  draft.sequence = corridor->height;
  draft.timestamp = utc_seconds_text(t.timestamp);
  draft.prev_root = corridor->head;
  draft.lawpack_digest_set = {DigestRef{t.module, "module", std::nullopt}};  // the module that ran is the law applied
  draft.transition = transition_envelope(t);
  // The typed fast path: the same bytes as seal_receipt (+ the zone's proof), written once.
  ReceiptProducer producer;
  const Digest next_root = producer.seal(draft);
  if (signer.signs_receipts()) signer.sign(producer, draft.timestamp);

  Mmr mmr = Mmr::from_peaks(corridor->height, corridor->peaks);
  mmr.append(next_root);
  CorridorAppend append{corridor->id,
                        corridor->height,
                        {StoredCorridorReceipt{corridor->height, next_root, t.execution_receipt, std::string(producer.view())}},
                        next_root,
                        mmr.peaks(),
                        {}};
  if (mmr.size() % config.checkpoint_every == 0) {
    CorridorChain chain = stored_corridor_chain(store, corridor->id);
    chain.append(CorridorReceipt::parse(producer.view()));
    append.checkpoints.push_back(corridor_checkpoint(chain, draft.timestamp, signer));
  }
  return append;
}

std::string export_corridor(const ZoneStore& store, std::string_view id) {
  open_corridor_named(store, id);
  std::string out;
  for (const auto& r : store.corridor_receipts(id, 0)) {
    out += r.bytes;
    out += '\n';
  }
  return out;
}

vm::Digest Zone::open_corridor(const Json& genesis_input) {
  const CorridorGenesis genesis = CorridorGenesis::from_json(genesis_input);
  const Digest root = genesis.root();
  if (const auto existing = store_->corridor(genesis.corridor_id)) {
    if (existing->genesis_root == root) return root;  // opening the same corridor again changes nothing
    throw Error("zone.corridor_exists", "corridor \"" + genesis.corridor_id + "\" is open with genesis root " +
                                            existing->genesis_root.hex() + ", not " + root.hex());
  }
  const vm::Word word = parse_id(genesis.corridor_id, IdForm::hashed, "$.corridor_id");
  store_->open_corridor(
      StoredCorridor{genesis.corridor_id, word, canonicalize(genesis_input).str(), root, 0, root, {}});
  return root;
}

std::uint64_t Zone::receive_corridor(std::string_view jsonl, const SignaturePolicy& policy) {
  const std::vector<std::string_view> records = jsonl_records(jsonl);
  if (records.empty()) throw Error("chain.empty", "no receipts to receive");
  std::string id;
  try {
    id = CorridorReceipt::parse(records.front()).corridor_id();
  } catch (const Error& e) {
    throw Error(e.code(), std::string("receipt 0: ") + e.what());
  }
  // Verified from this zone's genesis root: a chain of another genesis fails at receipt 0.
  const StoredCorridor opened = open_corridor_named(*store_, id);
  const ChainVerification verified =
      verify_chain_lines(ChainStart{.genesis_root = opened.genesis_root}, jsonl, policy);
  if (!verified.ok()) throw Error(verified.failure->code, failure_label(*verified.failure) + ": " + verified.failure->reason);

  std::lock_guard lock(commit_mutex_);  // the head cannot move under us (transitions append too)
  const StoredCorridor corridor = open_corridor_named(*store_, id);
  const std::uint64_t have = corridor.height;
  const std::uint64_t given = verified.chain->height();
  // Both chains start at the same genesis root, so one equal next_root at the shorter length
  // means one equal prefix: the given chain extends ours (or is a prefix of it), it does not fork.
  if (have > 0 && given > 0) {
    const std::uint64_t last = std::min(have, given) - 1;
    const Digest ours = store_->corridor_receipts(id, last).front().next_root;
    const Digest theirs = CorridorReceipt::parse(records[last]).next_root();
    if (ours != theirs) {
      throw Error("zone.corridor_fork", "corridor \"" + id + "\" receipt " + std::to_string(last) + ": next_root " +
                                            theirs.hex() + " is not this zone's " + ours.hex());
    }
  }
  if (given <= have) return 0;
  CorridorChain chain = stored_corridor_chain(*store_, id);
  CorridorAppend append{id, have, {}, {}, {}, {}};
  for (std::uint64_t i = have; i < given; ++i) {
    const CorridorReceipt receipt = CorridorReceipt::parse(records[i]);
    chain.append(receipt);
    append.receipts.push_back(
        StoredCorridorReceipt{receipt.sequence(), receipt.next_root(), std::nullopt, canonicalize(receipt.json()).str()});
    if (chain.height() % config_.checkpoint_every == 0) {
      append.checkpoints.push_back(corridor_checkpoint(chain, receipt.json()["timestamp"].get<std::string>(), signer_));
    }
  }
  append.head = chain.head();
  append.peaks = chain.mmr().peaks();
  store_->append_corridor(append);
  return given - have;
}

}  // namespace savm::runtime
