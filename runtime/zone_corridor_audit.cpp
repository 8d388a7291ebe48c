#include "runtime/zone_corridor_audit.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/corridor_chain.h"
#include "runtime/corridor_checkpoint.h"
#include "runtime/corridor_receipt.h"
#include "runtime/corridor_verify.h"
#include "runtime/error.h"
#include "runtime/proof.h"
#include "runtime/zone_corridor.h"
#include "runtime/zone_signer.h"

namespace savm::runtime {
namespace {

// transition.payload.execution_receipt_digest, or "" when the receipt has none.
std::string committed_execution_receipt(const Json& receipt) {
  const auto transition = receipt.find("transition");
  if (transition == receipt.end() || !transition->is_object()) return {};
  const auto payload = transition->find("payload");
  if (payload == transition->end() || !payload->is_object()) return {};
  const auto digest = payload->find("execution_receipt_digest");
  return digest != payload->end() && digest->is_string() ? digest->get<std::string>() : std::string();
}

class CorridorAudit {
 public:
  CorridorAudit(const ZoneStore& store, std::string_view id)
      : store_(store), config_(store.config()), corridor_(open_corridor_named(store, id)),
        rows_(store.corridor_receipts(id, 0)) {}

  AuditReport run() && {
    report_.receipts = rows_.size();
    if (parse_all() && chain_verifies() && rows_hold() && checkpoints_hold()) head_holds();
    return std::move(report_);
  }

 private:
  bool fail(std::string code, const vm::Digest& document, std::uint64_t sequence, const std::string& what) {
    report_.failure = AuditFailure{std::move(code), document, corridor_.word, sequence,
                                   "corridor \"" + corridor_.id + "\" " + what};
    return false;
  }
  bool fail_receipt(std::string code, std::size_t i, const std::string& why) {
    return fail(std::move(code), rows_[i].next_root, rows_[i].sequence,
                "receipt " + std::to_string(rows_[i].sequence) + ": " + why);
  }

  bool parse_all() {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      try {
        documents_.push_back(parse_json(rows_[i].bytes));
      } catch (const Error& e) {
        return fail_receipt(e.code(), i, std::string("the stored bytes do not parse: ") + e.what());
      }
    }
    return true;
  }

  // The corridor verifier over the stored chain; its failure names the receipt by position.
  bool chain_verifies() {
    const ChainVerification v = verify_chain(ChainStart{.genesis_root = corridor_.genesis_root}, documents_);
    if (v.ok()) return true;
    const ChainFailure& f = *v.failure;
    if (!f.index) return fail(f.code, vm::Digest{}, 0, f.reason);
    return fail_receipt(f.code, *f.index, f.reason);
  }

  bool rows_hold() {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const Json& d = documents_[i];
      if (canonicalize(d).view() != rows_[i].bytes) return fail_receipt("zone.corridor_receipt", i, "the stored bytes are not canonical");
      if (rows_[i].sequence != i) return fail_receipt("chain.sequence", i, "the row is at position " + std::to_string(i));
      if (d["next_root"].get<std::string>() != rows_[i].next_root.hex()) {
        return fail_receipt("zone.corridor_receipt", i, "the next_root column does not match the receipt");
      }
      if (!(rows_[i].execution_receipt ? produced_here_holds(i) : received_holds(i))) return false;
    }
    return true;
  }

  // A receipt of one of this zone's transitions: it commits to a receipt the zone holds, and is
  // signed exactly when the zone signs every receipt.
  bool produced_here_holds(std::size_t i) {
    const Json& d = documents_[i];
    const vm::Digest& execution = *rows_[i].execution_receipt;
    if (committed_execution_receipt(d) != execution.hex()) {
      return fail_receipt("zone.corridor_receipt", i, "the transition does not commit to execution receipt " + execution.hex());
    }
    if (!store_.find_receipt(execution)) {
      return fail_receipt("zone.corridor_receipt", i, "execution receipt " + execution.hex() + " is not in the zone");
    }
    return proof_holds(i, d, config_.signing == SigningPolicy::every);
  }

  bool received_holds(std::size_t i) {
    if (!documents_[i].contains("proof")) return true;
    const DocumentVerification v = verify_document(documents_[i]);
    for (const ProofCheck& proof : v.proofs) {
      if (!proof.verified()) return fail_receipt("chain.signature", i, "proof " + std::to_string(proof.index) + ": " + proof.detail);
    }
    return true;
  }

  bool proof_holds(std::size_t i, const Json& d, bool signed_by_policy) {
    if (!signed_by_policy) {
      return !d.contains("proof") || fail_receipt("chain.signature", i, "carries a proof the signing policy does not make");
    }
    if (auto problem = zone_signature_problem(d, config_.public_key)) return fail_receipt("chain.signature", i, *problem);
    return true;
  }

  bool checkpoints_hold() {
    std::map<std::uint64_t, StoredCorridorCheckpoint> stored;
    for (auto& c : store_.corridor_checkpoints(corridor_.id)) stored.emplace(c.receipt_count, std::move(c));
    CorridorChain chain(corridor_.id, corridor_.genesis_root);
    for (const Json& d : documents_) {
      chain.append(CorridorReceipt::from_json(d));
      const bool due = chain.height() % config_.checkpoint_every == 0;
      const auto it = stored.find(chain.height());
      if (due && it == stored.end()) return fail_checkpoint(chain.height(), vm::Digest{}, "is missing");
      if (it == stored.end()) continue;
      if (!due) return fail_checkpoint(chain.height(), it->second.digest, "is not at a multiple of checkpoint_every");
      if (!checkpoint_holds(chain, it->second)) return false;
      stored.erase(it);
    }
    if (!stored.empty()) return fail_checkpoint(stored.begin()->first, stored.begin()->second.digest, "is beyond the chain");
    return true;
  }

  bool fail_checkpoint(std::uint64_t count, const vm::Digest& digest, const std::string& why) {
    return fail("zone.checkpoint", digest, count, "checkpoint at receipt_count " + std::to_string(count) + " " + why);
  }

  bool checkpoint_holds(const CorridorChain& chain, const StoredCorridorCheckpoint& stored) {
    const Json document = parse_json(stored.bytes);
    const CorridorCheckpoint checkpoint = CorridorCheckpoint::from_json(document);
    const CorridorCheckpoint expected = chain.checkpoint(checkpoint.timestamp);
    if (canonicalize(document).view() != stored.bytes) return fail_checkpoint(stored.receipt_count, stored.digest, "is not canonical");
    if (checkpoint.digest() != stored.digest) return fail_checkpoint(stored.receipt_count, stored.digest, "does not match its digest column");
    if (expected.digest() != checkpoint.digest() || expected.mmr_peaks != checkpoint.mmr_peaks) {
      return fail_checkpoint(stored.receipt_count, stored.digest, "is not the chain's (head, MMR or digest sets differ)");
    }
    if (config_.signing == SigningPolicy::none) {
      if (document.contains("proof")) return fail_checkpoint(stored.receipt_count, stored.digest, "carries a proof the policy does not make");
    } else if (auto problem = zone_signature_problem(document, config_.public_key)) {
      return fail("chain.signature", stored.digest, stored.receipt_count,
                  "checkpoint at receipt_count " + std::to_string(stored.receipt_count) + ": " + *problem);
    }
    return true;
  }

  void head_holds() {
    Mmr mmr;
    for (const auto& r : rows_) mmr.append(r.next_root);
    const vm::Digest head = rows_.empty() ? corridor_.genesis_root : rows_.back().next_root;
    if (corridor_.height != rows_.size() || corridor_.head != head || corridor_.peaks != mmr.peaks()) {
      fail("zone.corridor_head", corridor_.head, corridor_.height,
           "head (height " + std::to_string(corridor_.height) + ", head " + corridor_.head.hex() +
               ") is not its last receipt (height " + std::to_string(rows_.size()) + ", head " + head.hex() + ")");
    }
  }

  const ZoneStore& store_;
  ZoneConfig config_;
  StoredCorridor corridor_;
  std::vector<StoredCorridorReceipt> rows_;
  std::vector<Json> documents_;
  AuditReport report_;
};

}  // namespace

AuditReport verify_corridor(const ZoneStore& store, std::string_view id) { return CorridorAudit(store, id).run(); }

MmrProof prove_corridor_receipt(const ZoneStore& store, std::string_view id, std::uint64_t sequence) {
  const StoredCorridor corridor = open_corridor_named(store, id);
  const std::string name = "corridor \"" + corridor.id + "\"";
  if (sequence >= corridor.height) {
    throw Error("zone.unknown_receipt", name + ": the chain has " + std::to_string(corridor.height) +
                                           " receipts, there is no sequence " + std::to_string(sequence));
  }
  const std::vector<StoredCorridorCheckpoint> checkpoints = store.corridor_checkpoints(id);
  if (checkpoints.empty() || sequence >= checkpoints.back().receipt_count) {
    const std::uint64_t covered = checkpoints.empty() ? 0 : checkpoints.back().receipt_count;
    throw Error("zone.not_checkpointed", name + ": receipt " + std::to_string(sequence) +
                                             " is not covered by a checkpoint yet (the latest covers " +
                                             std::to_string(covered) + " receipts)");
  }
  const CorridorCheckpoint checkpoint = CorridorCheckpoint::from_json(parse_json(checkpoints.back().bytes));
  Mmr mmr;
  mmr.reserve(checkpoint.receipt_count);
  for (const auto& r : store.corridor_receipts(id, 0)) {
    if (mmr.size() < checkpoint.receipt_count) mmr.append(r.next_root);
  }
  if (mmr.size() != checkpoint.receipt_count || mmr.root() != checkpoint.mmr_root) {
    throw Error("chain.mmr", name + " checkpoint " + checkpoints.back().digest.hex() +
                                 ": the stored next_roots do not rebuild its MMR root " + checkpoint.mmr_root.hex() +
                                 " (run `savm chain verify --corridor`)");
  }
  return mmr.prove(sequence);
}

}  // namespace savm::runtime
