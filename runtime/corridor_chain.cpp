#include "runtime/corridor_chain.h"

#include <utility>

#include "runtime/corridor_fields.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

std::string sequence_label(const CorridorReceipt& receipt) {
  return "receipt sequence " + std::to_string(receipt.sequence());
}

}  // namespace

CorridorChain::CorridorChain(std::string corridor_id, const Digest& genesis_root)
    : corridor_id_(std::move(corridor_id)), genesis_root_(genesis_root), head_(genesis_root) {}

CorridorChain CorridorChain::resume(const CorridorCheckpoint& checkpoint) {
  CorridorChain chain(checkpoint.corridor_id, checkpoint.genesis_root);
  try {
    chain.mmr_ = Mmr::from_peaks(checkpoint.mmr_size, checkpoint.mmr_peaks);
  } catch (const Error& e) {
    throw Error("chain.mmr", std::string("checkpoint peaks: ") + e.what());
  }
  if (chain.mmr_.root() != checkpoint.mmr_root) {
    throw Error("chain.mmr", "checkpoint peaks bag to " + chain.mmr_.root_hex() +
                                 ", not to its mmr.root " + checkpoint.mmr_root.hex());
  }
  chain.head_ = checkpoint.final_state_root;
  chain.height_ = checkpoint.receipt_count;
  add_to_union(chain.lawpacks_, checkpoint.lawpack_digest_set);
  add_to_union(chain.rulesets_, checkpoint.ruleset_digest_set);
  return chain;
}

void CorridorChain::append(const CorridorReceipt& receipt) {
  if (receipt.sequence() != height_) {
    throw Error("chain.sequence", sequence_label(receipt) + ": expected sequence " +
                                      std::to_string(height_) + ", got " +
                                      std::to_string(receipt.sequence()));
  }
  if (receipt.corridor_id() != corridor_id_) {
    throw Error("chain.corridor", sequence_label(receipt) + ": corridor_id \"" +
                                      receipt.corridor_id() + "\" is not the chain's \"" +
                                      corridor_id_ + "\"");
  }
  if (receipt.prev_root() != head_) {
    throw Error("chain.link", sequence_label(receipt) + ": prev_root " +
                                  receipt.prev_root().hex() + " is not the chain head " +
                                  head_.hex());
  }
  const Digest recomputed = receipt.recompute_next_root();
  if (!vm::equal_constant_time(recomputed, receipt.next_root())) {
    throw Error("chain.commit", sequence_label(receipt) + ": next_root " +
                                    receipt.next_root().hex() + " does not match the content (" +
                                    recomputed.hex() + ")");
  }
  mmr_.append(recomputed);
  head_ = recomputed;
  ++height_;
  add_to_union(lawpacks_, receipt.json()["lawpack_digest_set"]);
  add_to_union(rulesets_, receipt.json()["ruleset_digest_set"]);
}

void CorridorChain::add_to_union(DigestUnion& set, const Json& entries) {
  // emplace keeps an existing entry: across receipts the first form seen wins, as in the MEZ
  // stack's stable sort + dedup.
  for (const Json& entry : entries) {
    const std::string_view key = digest_set_key(entry);
    if (!key.empty()) set.emplace(std::string(key), entry);
  }
}

Json CorridorChain::union_json(const DigestUnion& set) {
  Json result = Json::array();
  for (const auto& [digest, entry] : set) result.push_back(entry);
  return result;
}

CorridorCheckpoint CorridorChain::checkpoint(std::string_view timestamp) const {
  if (height_ == 0) throw Error("chain.empty", "a checkpoint needs at least one receipt");
  CorridorCheckpoint cp;
  cp.corridor_id = corridor_id_;
  cp.timestamp =
      corridor_fields::FieldChecker("checkpoint").timestamp(Json(timestamp), "$.timestamp");
  cp.genesis_root = genesis_root_;
  cp.final_state_root = head_;
  cp.receipt_count = height_;
  cp.lawpack_digest_set = union_json(lawpacks_);
  cp.ruleset_digest_set = union_json(rulesets_);
  cp.mmr_size = mmr_.size();
  cp.mmr_root = *mmr_.root();
  cp.mmr_peaks = mmr_.peaks();
  return cp;
}

}  // namespace savm::runtime
