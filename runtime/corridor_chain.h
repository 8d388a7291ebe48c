// An append-only corridor receipt chain with the MEZ dual commitment (FORMATS.md "Corridor
// receipts", domain brief §5.4): a hash chain whose head starts at the genesis root and becomes
// each receipt's next_root, and an MMR over the next_roots for inclusion proofs and checkpoints.
//
// append() enforces, in this order, and throws Error on the first violation without changing
// the chain:
//   "chain.sequence"  sequence != height                      (SequenceMismatch)
//   "chain.corridor"  corridor_id differs from the chain's
//   "chain.link"      prev_root != head                       (I-RECEIPT-LINK)
//   "chain.commit"    next_root != the recomputed next_root   (I-RECEIPT-COMMIT)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "runtime/corridor_checkpoint.h"
#include "runtime/corridor_receipt.h"
#include "runtime/mmr.h"

namespace savm::runtime {

class CorridorChain {
 public:
  CorridorChain(std::string corridor_id, const Digest& genesis_root);

  // Resumes after a trusted checkpoint: height, head, digest-set unions and MMR peaks are taken
  // from it, so only the receipts after it need to be seen. Throws Error "chain.mmr" if the
  // checkpoint's peaks do not follow the peak plan of its size or do not bag to its root.
  static CorridorChain resume(const CorridorCheckpoint& checkpoint);

  void append(const CorridorReceipt& receipt);

  const std::string& corridor_id() const { return corridor_id_; }
  const Digest& genesis_root() const { return genesis_root_; }
  const Digest& head() const { return head_; }
  std::uint64_t height() const { return height_; }
  const Mmr& mmr() const { return mmr_; }

  // The checkpoint of the chain as it stands, unsigned, at `timestamp` (RFC 3339, supplied by
  // the caller: no clock). Throws Error "chain.empty" for a chain without receipts (a checkpoint
  // commits to at least one), "checkpoint.timestamp" for a bad timestamp.
  CorridorCheckpoint checkpoint(std::string_view timestamp) const;

 private:
  using DigestUnion = std::map<std::string, Json, std::less<>>;  // digest -> first entry seen

  static void add_to_union(DigestUnion& set, const Json& entries);
  static Json union_json(const DigestUnion& set);

  std::string corridor_id_;
  Digest genesis_root_;
  Digest head_;
  std::uint64_t height_ = 0;
  Mmr mmr_;
  DigestUnion lawpacks_;
  DigestUnion rulesets_;
};

}  // namespace savm::runtime
