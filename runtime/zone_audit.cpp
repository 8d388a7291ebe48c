#include "runtime/zone_audit.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/zone_intrinsics.h"
#include "runtime/tensor_slice.h"
#include "runtime/zone_checkpoint.h"
#include "runtime/zone_signer.h"
#include "vm/interpreter.h"
#include "vm/memory_host.h"

namespace savm::runtime {
namespace {

AuditFailure failure(const std::string& code, const StoredReceipt& r, const std::string& why) {
  return AuditFailure{code, r.digest, r.asset, r.sequence,
                      "receipt " + r.digest.hex() + " (asset " + id_hex(r.asset) + ", sequence " +
                          std::to_string(r.sequence) + "): " + why};
}

std::string text_field(const Json& receipt, const char* name) {
  const Json* v = receipt.contains(name) ? &receipt.at(name) : nullptr;
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

// One receipt of a chain whose previous digest is `prev` at position `position`.
std::optional<AuditFailure> check_link(const StoredReceipt& r, std::uint64_t position, const vm::Digest& prev) {
  Json receipt;
  try {
    receipt = parse_json(r.bytes);
    check_receipt_digests(receipt);
  } catch (const Error& e) {
    return failure(e.code(), r, e.what());
  }
  if (canonicalize(receipt).str() != r.bytes) return failure("receipt.digest", r, "the stored bytes are not canonical");
  if (receipt_digest(receipt) != r.digest) {
    return failure("receipt.digest", r, "the stored digest column does not match the receipt's content");
  }
  const Json& seq = receipt.at("sequence");
  if (r.sequence != position || !seq.is_number_unsigned() || seq.get<std::uint64_t>() != position) {
    return failure("chain.sequence", r, "expected sequence " + std::to_string(position));
  }
  if (text_field(receipt, "prev_receipt_digest") != prev.hex()) {
    return failure("chain.link", r, "prev_receipt_digest is not the previous receipt's digest " + prev.hex());
  }
  const Json& context = receipt.at("context");
  if (!context.is_object() || text_field(context, "asset_id") != id_hex(r.asset)) {
    return failure("zone.chain_asset", r, "the receipt's context.asset_id is not the chain's asset");
  }
  return std::nullopt;
}

AuditFailure checkpoint_failure(const std::string& code, const StoredCheckpoint& c, const std::string& why) {
  return AuditFailure{code, c.digest, c.asset, c.receipt_count,
                      "checkpoint " + c.digest.hex() + " (asset " + id_hex(c.asset) + ", receipt_count " +
                          std::to_string(c.receipt_count) + "): " + why};
}

// A receipt's proof under the zone's policy: "every" requires the zone key's proof on each
// receipt; otherwise a receipt carries none.
std::optional<AuditFailure> check_receipt_proof(const StoredReceipt& r, const ZoneConfig& config) {
  const Json receipt = parse_json(r.bytes);  // check_link parsed it already
  if (config.signing != SigningPolicy::every) {
    if (receipt.contains("proof")) return failure("chain.signature", r, "the zone does not sign receipts, yet this one carries a proof");
    return std::nullopt;
  }
  if (const auto problem = zone_signature_problem(receipt, config.public_key)) return failure("chain.signature", r, *problem);
  return std::nullopt;
}

// A stored checkpoint against the MMR rebuilt from the receipts it covers (`mmr`, whose last
// leaf is `head`).
std::optional<AuditFailure> check_checkpoint(const StoredCheckpoint& c, const ZoneConfig& config, const Mmr& mmr,
                                             const vm::Digest& head) {
  Json document;
  ZoneCheckpoint cp;
  try {
    document = parse_json(c.bytes);
    cp = ZoneCheckpoint::from_json(document);
  } catch (const Error& e) {
    return checkpoint_failure(e.code(), c, e.what());
  }
  if (canonicalize(document).str() != c.bytes) return checkpoint_failure("zone.checkpoint", c, "the stored bytes are not canonical");
  if (cp.digest() != c.digest) return checkpoint_failure("zone.checkpoint", c, "the stored digest column does not match the checkpoint's content");
  if (cp.asset != c.asset || cp.receipt_count != c.receipt_count || cp.jurisdiction != config.jurisdiction) {
    return checkpoint_failure("zone.checkpoint", c, "asset_id, receipt_count or jurisdiction is not the row's / the zone's");
  }
  if (cp.head != head) return checkpoint_failure("chain.link", c, "head is not the digest " + head.hex() + " of receipt " + std::to_string(c.receipt_count - 1));
  if (!vm::equal_constant_time(cp.mmr_root, *mmr.root()) || cp.mmr_peaks != mmr.peaks()) {
    return checkpoint_failure("chain.mmr", c, "mmr.root/peaks are not the MMR of the chain's first " +
                                                  std::to_string(c.receipt_count) + " receipt digests (root " +
                                                  mmr.root_hex() + ")");
  }
  if (config.signing == SigningPolicy::none) {
    if (cp.proof) return checkpoint_failure("chain.signature", c, "the zone does not sign, yet the checkpoint carries a proof");
    return std::nullopt;
  }
  if (const auto problem = zone_signature_problem(document, config.public_key)) {
    return checkpoint_failure("chain.signature", c, *problem);
  }
  return std::nullopt;
}

// Walks one asset's receipts and checkpoints together: every link, every proof the policy asks
// for, the MMR at each checkpoint, a checkpoint at every multiple of checkpoint_every and none
// elsewhere, and the stored head and MMR peaks.
std::optional<AuditFailure> verify_chain(const ZoneStore& store, const ZoneConfig& config, const vm::Word& asset,
                                         AuditReport& report) {
  const std::vector<StoredCheckpoint> checkpoints = store.checkpoints(asset);
  auto next_checkpoint = checkpoints.begin();
  Mmr mmr;
  std::uint64_t position = 0;
  vm::Digest prev;
  std::optional<AuditFailure> bad;
  store.for_each_receipt(asset, [&](const StoredReceipt& r) {
    if (bad) return;
    bad = check_link(r, position, prev);
    if (!bad) bad = check_receipt_proof(r, config);
    prev = r.digest;
    ++position;
    ++report.receipts;
    mmr.append(r.digest);
    if (bad) return;
    const bool due = position % config.checkpoint_every == 0;
    const bool stored = next_checkpoint != checkpoints.end() && next_checkpoint->receipt_count == position;
    if (due && !stored) {
      bad = failure("zone.checkpoint", r, "no checkpoint after this receipt, though one is due every " +
                                              std::to_string(config.checkpoint_every) + " receipts");
    } else if (stored) {
      bad = due ? check_checkpoint(*next_checkpoint, config, mmr, r.digest)
                : checkpoint_failure("zone.checkpoint", *next_checkpoint, "not at a multiple of checkpoint_every");
      ++next_checkpoint;
    }
  });
  if (bad) return bad;
  if (next_checkpoint != checkpoints.end()) {
    return checkpoint_failure("zone.checkpoint", *next_checkpoint, "commits to more receipts than the chain has (" +
                                                                       std::to_string(position) + ")");
  }
  const ZoneChainHead head = store.chain_head(asset);
  if (head.height != position || head.head != prev) {
    return AuditFailure{"zone.chain_head", head.head, asset, head.height,
                        "asset " + id_hex(asset) + ": the chain head (height " + std::to_string(head.height) +
                            ", head " + head.head.hex() + ") is not the last receipt (height " +
                            std::to_string(position) + ", head " + prev.hex() + ")"};
  }
  if (head.peaks != mmr.peaks()) {
    return AuditFailure{"chain.mmr", head.head, asset, head.height,
                        "asset " + id_hex(asset) + ": the chain head's stored MMR peaks are not the MMR of its " +
                            std::to_string(position) + " receipt digests"};
  }
  return std::nullopt;
}

// A stored receipt's bytes as JSON; nullopt when they do not parse (the comparison after replay
// reports them).
std::optional<Json> parsed_receipt(const std::string& bytes) {
  try {
    return parse_json(bytes);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The "proof" a stored receipt carries, if any.
std::optional<Json> stored_proof(const std::optional<Json>& stored) {
  if (stored && stored->is_object() && stored->contains("proof")) return stored->at("proof");
  return std::nullopt;
}

// The regpack digests a stored receipt names (its regpack_digest_set).
std::vector<vm::Digest> stored_regpacks(const std::optional<Json>& stored) {
  std::vector<vm::Digest> out;
  if (!stored || !stored->is_object() || !stored->contains("regpack_digest_set")) return out;
  for (const Json& d : stored->at("regpack_digest_set")) {
    if (const auto digest = d.is_string() ? vm::Digest::from_hex(d.get<std::string>()) : std::nullopt) {
      out.push_back(*digest);
    }
  }
  return out;
}

// Re-executes stored transitions in commit order on an in-memory state.
class Replayer {
 public:
  explicit Replayer(const Zone& zone) : zone_(zone), slices_(zone.store().imported_slices()) {}

  // Imported slices (runtime/tensor_slice.h) are inputs too: each takes effect at its place in
  // commit order, before the first receipt committed after it. (Regpack data needs no such
  // bookkeeping: each receipt names the data it ran under.)
  void apply_inputs_before(std::uint64_t commit_index) {
    for (; next_slice_ < slices_.size() && slices_[next_slice_].after_commit < commit_index; ++next_slice_) {
      const TensorSlice slice = TensorSlice::from_json(parse_json(slices_[next_slice_].bytes));
      for (const auto& [key, cell] : slice.imported_cells()) {
        state_.set_tensor(key, cell);
        tensor_writer_[key] = slices_[next_slice_].digest;
      }
    }
  }

  // Replays `r`; a failure names its first differing field.
  std::optional<AuditFailure> replay(const StoredReceipt& r) {
    try {
      apply_inputs_before(r.commit_index);
    } catch (const Error& e) {
      return failure(e.code(), r, std::string("cannot replay the slice imported before it: ") + e.what());
    }
    const std::optional<Json> stored = parsed_receipt(r.bytes);
    ExecutionRequest request;
    request.module_digest = r.transition.module;
    request.entry = r.transition.entry;
    request.input = r.transition.input;
    vm::ExecutionResult result;
    std::shared_ptr<const vm::VerifiedModule> module;
    ZoneIntrinsics intrinsics;
    try {
      request.context = context_from_json(parse_json(r.transition.context));
      module = zone_.module(request.module_digest);
      request.packs.regpacks = stored_regpacks(stored);
      intrinsics = zone_.intrinsics_for(request.packs.regpacks);
    } catch (const Error& e) {
      return failure(e.code(), r, std::string("cannot replay: ") + e.what());
    }
    // The data the receipt says it ran under, from the CAS by digest; without it, a call faults.
    state_.register_intrinsic(std::string(kSanctionsScreen), [intrinsics](std::span<const vm::Word> args) {
      return intrinsics.call(kSanctionsScreen, args, 2);
    });
    const auto function = vm::find_export(module->module(), request.entry);
    if (!function) return failure("zone.entry", r, "module has no export \"" + request.entry + "\"");
    ZoneChainHead& head = heads_[request.context.asset_id];
    request.prev_receipt_digest = head.head;
    vm::ExecutionContext context = request.context;
    context.execution_digest = execution_digest(request);
    result = vm::execute(*module, *function, request.input, context, state_);
    Json receipt = execution_receipt(request, result);
    const vm::Digest digest = receipt_digest(receipt);
    // A signature is not re-executable (replay holds no key): the stored proof is carried over,
    // and chain verify checks it.
    if (const auto proof = stored_proof(stored)) receipt["proof"] = *proof;
    if (result.outcome.status == vm::Status::success) record_effects(context.asset_id, result.effects, digest);
    ++head.height;
    head.head = digest;
    if (canonicalize(receipt).str() == r.bytes && digest == r.digest) return std::nullopt;
    if (!stored) return failure("zone.replay_mismatch", r, "first differing field $ (the stored bytes are not JSON)");
    std::string path = first_difference(receipt, *stored);
    if (path.empty()) path = "receipt_digest column";
    return failure("zone.replay_mismatch", r, "replay differs from the stored receipt; first differing field " + path);
  }

  // The stored state must be exactly the replayed one.
  std::optional<AuditFailure> compare_state(const ZoneStore& store) const {
    std::map<std::pair<vm::Word, vm::Word>, vm::Word> stored;
    for (const auto& row : store.storage_rows()) stored[{row.asset, row.key}] = row.value;
    for (const auto& [k, v] : state_.storage()) {
      const auto it = stored.find(k);
      if (it == stored.end() || it->second != v) return state_failure(k.first, "storage key " + k.second.to_decimal(), storage_writer_.at(k));
      stored.erase(it);
    }
    if (!stored.empty()) {
      const auto& [k, v] = *stored.begin();
      return state_failure(k.first, "storage key " + k.second.to_decimal() + " has a value no receipt wrote", std::nullopt);
    }
    std::map<vm::TensorKey, vm::TensorCell> cells(state_.tensor().begin(), state_.tensor().end());
    for (const auto& [k, cell] : store.tensor_rows()) {
      const auto it = cells.find(k);
      const auto writer = tensor_writer_.find(k);
      if (it == cells.end() || it->second != cell) {
        return state_failure(k.asset, "tensor cell " + domain_name(k.domain),
                             writer == tensor_writer_.end() ? std::nullopt : std::optional(writer->second));
      }
      cells.erase(it);
    }
    if (!cells.empty()) return state_failure(cells.begin()->first.asset, "a tensor cell is missing", tensor_writer_.at(cells.begin()->first));
    std::map<vm::Word, vm::MigrationRecord> records(state_.migrations().begin(), state_.migrations().end());
    for (const auto& m : store.migration_rows()) {
      const auto it = records.find(m.id);
      if (it == records.end() || it->second != m) return state_failure(m.asset, "migration " + id_hex(m.id), std::nullopt);
      records.erase(it);
    }
    if (!records.empty()) return state_failure(records.begin()->second.asset, "a migration record is missing", std::nullopt);
    return std::nullopt;
  }

 private:
  void record_effects(const vm::Word& asset, const vm::Effects& effects, const vm::Digest& digest) {
    state_.apply(asset, effects);
    for (const auto& c : effects.storage) storage_writer_[{asset, c.key}] = digest;
    for (const auto& u : effects.tensor_updates) tensor_writer_[u.key] = digest;
  }

  static AuditFailure state_failure(const vm::Word& asset, const std::string& what,
                                    const std::optional<vm::Digest>& writer) {
    AuditFailure f{"zone.state_mismatch", writer.value_or(vm::Digest{}), asset, 0, ""};
    f.message = "asset " + id_hex(asset) + ": stored " + what + " differs from the replayed state";
    if (writer) f.message += "; last written by receipt " + writer->hex();
    return f;
  }

  const Zone& zone_;
  std::vector<StoredSlice> slices_;
  std::size_t next_slice_ = 0;
  vm::MemoryHost state_{vm::HostMode::production};
  std::map<vm::Word, ZoneChainHead> heads_;
  std::map<std::pair<vm::Word, vm::Word>, vm::Digest> storage_writer_;
  std::map<vm::TensorKey, vm::Digest> tensor_writer_;
};

}  // namespace

AuditReport verify_chains(const ZoneStore& store, const std::optional<vm::Word>& asset) {
  std::vector<vm::Word> assets = store.assets();
  if (asset) {
    if (std::find(assets.begin(), assets.end(), *asset) == assets.end()) {
      throw Error("zone.unknown_asset", id_hex(*asset) + ": no receipt chain for this asset in the zone");
    }
    assets = {*asset};
  }
  const ZoneConfig config = store.config();
  AuditReport report;
  for (const auto& a : assets) {
    ++report.assets;
    report.failure = verify_chain(store, config, a, report);
    if (report.failure) break;
  }
  return report;
}

AuditReport replay_receipt(const Zone& zone, const vm::Digest& receipt) {
  const auto target = zone.store().find_receipt(receipt);
  if (!target) throw Error("zone.unknown_receipt", receipt.hex() + ": no such receipt in the zone");
  Replayer replayer(zone);
  AuditReport report;
  std::set<vm::Word> assets;
  zone.store().for_each_receipt(std::nullopt, [&](const StoredReceipt& r) {
    if (report.failure || r.commit_index > target->commit_index) return;
    const auto bad = replayer.replay(r);
    ++report.receipts;
    assets.insert(r.asset);
    // Earlier receipts only build the state; the verdict is the target's.
    if (r.commit_index == target->commit_index) report.failure = bad;
  });
  report.assets = assets.size();
  return report;
}

AuditReport replay_all(const Zone& zone) {
  Replayer replayer(zone);
  AuditReport report;
  std::set<vm::Word> assets;
  zone.store().for_each_receipt(std::nullopt, [&](const StoredReceipt& r) {
    if (report.failure) return;
    report.failure = replayer.replay(r);
    ++report.receipts;
    assets.insert(r.asset);
  });
  report.assets = assets.size();
  if (!report.failure) {
    try {
      replayer.apply_inputs_before(UINT64_MAX);  // those installed after the last receipt
    } catch (const Error& e) {
      report.failure = AuditFailure{e.code(), {}, {}, 0, std::string("cannot replay an imported slice or sanctions list: ") + e.what()};
    }
  }
  if (!report.failure) report.failure = replayer.compare_state(zone.store());
  return report;
}

std::string first_difference(const Json& expected, const Json& actual) {
  // Numbers compare by value: a parsed 5 is unsigned, a built 5 may be signed.
  if (expected.is_number() && actual.is_number()) return expected == actual ? "" : "$";
  if (expected.type() != actual.type()) return "$";
  if (expected.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : expected.items()) keys.insert(k);
    for (const auto& [k, v] : actual.items()) keys.insert(k);
    for (const auto& k : keys) {  // byte order of keys, as in MCF
      if (!expected.contains(k) || !actual.contains(k)) return "$." + k;
      const std::string inner = first_difference(expected.at(k), actual.at(k));
      if (!inner.empty()) return "$." + k + inner.substr(1);
    }
    return "";
  }
  if (expected.is_array()) {
    for (std::size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
      if (i >= expected.size() || i >= actual.size()) return "$[" + std::to_string(i) + "]";
      const std::string inner = first_difference(expected[i], actual[i]);
      if (!inner.empty()) return "$[" + std::to_string(i) + "]" + inner.substr(1);
    }
    return "";
  }
  return expected == actual ? "" : "$";
}

}  // namespace savm::runtime
