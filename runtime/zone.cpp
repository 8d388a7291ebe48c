#include "runtime/zone.h"

#include <algorithm>
#include <utility>

#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/execution_receipt_writer.h"
#include "runtime/module_bytes.h"
#include "runtime/sanctions_list.h"
#include "runtime/tensor_slice.h"
#include "runtime/zone_checkpoint.h"
#include "runtime/zone_corridor.h"
#include "vm/interpreter.h"
#include "vm/module.h"

namespace savm::runtime {
namespace {

constexpr const char* kDatabase = "zone.db";
constexpr const char* kContentDir = "cas";

// The committed state as the VM sees it, read straight from the store. It notes whether the
// execution read cross-asset state (tensor cells, migration records) so the executor can tell
// whether a concurrent commit made the run stale.
class StoreHost final : public vm::Host {
 public:
  StoreHost(const ZoneStore& store, const ZoneIntrinsics& intrinsics) : store_(store), intrinsics_(intrinsics) {}

  std::optional<vm::Word> storage_get(const vm::Word& asset, const vm::Word& key) const override {
    return store_.storage_get(asset, key);
  }
  std::optional<vm::TensorCell> tensor_get(const vm::TensorKey& key) const override {
    read_shared_ = true;
    return store_.tensor_get(key);
  }
  std::optional<vm::MigrationRecord> migration_get(const vm::Word& id) const override {
    read_shared_ = true;
    return store_.migration_get(id);
  }
  // No ZK verifier is registered in this milestone: fail closed.
  bool verify_zk(std::uint32_t, std::span<const std::uint8_t>, std::span<const vm::Word>) const override {
    return false;
  }
  vm::HostCallResult host_call(std::string_view name, std::span<const vm::Word> args,
                               std::size_t result_count) const override {
    return intrinsics_.call(name, args, result_count);
  }

  bool read_shared() const { return read_shared_; }

 private:
  const ZoneStore& store_;
  const ZoneIntrinsics& intrinsics_;
  mutable bool read_shared_ = false;
};

Error halted_error(const vm::Word& asset) {
  return Error("zone.halted", "$.asset_id: asset " + id_hex(asset) + " is halted (savm zone status); nothing was executed");
}

bool writes_shared_state(const vm::ExecutionResult& result) {
  return result.outcome.status == vm::Status::success &&
         (!result.effects.tensor_updates.empty() || !result.effects.migrations.empty());
}

}  // namespace

void Zone::init(const std::filesystem::path& dir, ZoneConfig config) {
  parse_id(config.jurisdiction, IdForm::short_string, "--jurisdiction");  // a valid short name
  if (config.checkpoint_every == 0) throw Error("zone.config", "--checkpoint-every: must be at least 1");
  const bool signing = config.signing != SigningPolicy::none;
  if (signing == config.key_path.empty()) {
    throw Error("zone.config", signing ? "--sign " + std::string(signing_policy_name(config.signing)) + " needs --key"
                                       : std::string("--key needs a signing policy (--sign every|checkpoint)"));
  }
  if (signing) {
    config.key_path = std::filesystem::absolute(config.key_path).string();
    config.public_key = zone_public_key(config.key_path);
  }
  std::error_code ec;
  std::filesystem::create_directories(dir / kContentDir, ec);
  if (ec) throw Error("zone.io", dir.string() + ": cannot create the zone directory: " + ec.message());
  create_sqlite_zone_store(dir / kDatabase, config);
}

std::unique_ptr<Zone> Zone::open(const std::filesystem::path& dir, TypedArguments typed) {
  return std::unique_ptr<Zone>(new Zone(dir, open_sqlite_zone_store(dir / kDatabase), std::move(typed)));
}

Zone::Zone(std::filesystem::path dir, std::unique_ptr<ZoneStore> store, TypedArguments typed)
    : dir_(std::move(dir)),
      store_(std::move(store)),
      committer_(*store_),
      cas_(dir_ / kContentDir),
      config_(store_->config()),
      signer_(config_),
      typed_arguments_(std::move(typed)) {
  jurisdiction_ = parse_id(config_.jurisdiction, IdForm::short_string, "zone jurisdiction");
  bound_sanctions_ = store_->bound_regpack("sanctions");
}

InstalledModule Zone::install(std::span<const std::uint8_t> module_bytes) {
  auto verified = std::make_shared<const vm::VerifiedModule>(verify_module_bytes(module_bytes, "module"));
  InstalledModule installed{verified->digest(), {}};
  for (const auto& e : verified->module().exports) {
    installed.exports.push_back(
        LockedExport{e.name, installed.digest, vm::kExportKindNames[static_cast<std::size_t>(e.kind)]});
  }
  // The file first: a lockfile row never points at a module that is not stored.
  cas_.put_module(module_bytes);
  store_->lock_exports(installed.digest, installed.exports);
  std::lock_guard lock(modules_mutex_);
  modules_.try_emplace(installed.digest, std::move(verified));
  for (const LockedExport& e : installed.exports) exports_.try_emplace(e.name, e);
  return installed;
}

std::optional<LockedExport> Zone::locked_export(const std::string& name) const {
  {
    std::lock_guard lock(modules_mutex_);
    if (const auto it = exports_.find(name); it != exports_.end()) return it->second;
  }
  auto locked = store_->locked_export(name);
  if (!locked) return std::nullopt;  // not cached: another process may install it later
  std::lock_guard lock(modules_mutex_);
  return exports_.try_emplace(name, std::move(*locked)).first->second;
}

std::shared_ptr<const vm::VerifiedModule> Zone::module(const vm::Digest& digest) const {
  {
    std::lock_guard lock(modules_mutex_);
    if (const auto it = modules_.find(digest); it != modules_.end()) return it->second;
  }
  const std::vector<std::uint8_t> bytes = cas_.module_bytes(digest);
  auto verified = std::make_shared<const vm::VerifiedModule>(
      verify_module_bytes(bytes, cas_.module_path(digest).string()));
  std::lock_guard lock(modules_mutex_);
  return modules_.try_emplace(digest, std::move(verified)).first->second;
}

vm::Digest Zone::bind_sanctions_list(const Json& document) {
  auto list = std::make_shared<const SanctionsList>(SanctionsList::from_json(document));
  const CanonicalBytes bytes = canonicalize(document);
  const vm::Digest digest = cas_.put_regpack(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.str().data()), bytes.size()));
  store_->bind_regpack("sanctions", digest);
  std::lock_guard lock(lists_mutex_);
  lists_.try_emplace(digest, std::move(list));
  bound_sanctions_ = digest;
  return digest;
}

std::shared_ptr<const SanctionsList> Zone::sanctions_list(const vm::Digest& digest) const {
  {
    std::lock_guard lock(lists_mutex_);
    if (const auto it = lists_.find(digest); it != lists_.end()) return it->second;
  }
  const std::vector<std::uint8_t> bytes = cas_.regpack_bytes(digest);
  auto list = std::make_shared<const SanctionsList>(SanctionsList::from_json(
      parse_json(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))));
  std::lock_guard lock(lists_mutex_);
  return lists_.try_emplace(digest, std::move(list)).first->second;
}

ZoneIntrinsics Zone::intrinsics() const {
  std::optional<vm::Digest> bound;
  {
    std::lock_guard lock(lists_mutex_);
    bound = bound_sanctions_;
  }
  if (!bound) return ZoneIntrinsics{};
  return ZoneIntrinsics{BoundSanctionsList{*bound, sanctions_list(*bound)}};
}

ZoneIntrinsics Zone::intrinsics_for(const std::vector<vm::Digest>& regpacks) const {
  // Only one kind of regpack data exists so far: a receipt names at most one list.
  if (regpacks.empty()) return ZoneIntrinsics{};
  return ZoneIntrinsics{BoundSanctionsList{regpacks.front(), sanctions_list(regpacks.front())}};
}

// The entry's input bytes: an array of words as given, typed arguments through the encoder.
std::vector<std::uint8_t> Zone::input(const vm::Digest& digest, const vm::Module& module,
                                      const TransitionRequest& request) const {
  if (request.args.is_array()) return vm::abi_encode(abi_args_from_json(request.args));
  if (!typed_arguments_) {
    throw Error("abi.signature", "$.args: typed arguments need an encoder this zone was opened without; give an array");
  }
  std::vector<vm::AbiValue> words;
  for (const vm::Word& w : typed_arguments_(digest, module, request.entry, request.args)) words.push_back(vm::AbiValue{w});
  return vm::abi_encode(words);
}

PreparedTransition Zone::prepare(const TransitionRequest& request) const {
  return prepare(request, store_->halted(request.asset_id));
}

PreparedTransition Zone::prepare(const TransitionRequest& request, std::span<const vm::Word> halted) const {
  return prepare(request, std::binary_search(halted.begin(), halted.end(), request.asset_id));
}

PreparedTransition Zone::prepare(const TransitionRequest& request, bool halted) const {
  const auto locked = locked_export(request.entry);
  if (!locked || locked->kind != "transition") {
    throw Error("zone.entry", "$.entry: \"" + request.entry + "\" is not a transition export installed in this zone");
  }
  PreparedTransition t;
  t.module = module(locked->module);
  const auto function = vm::find_export(t.module->module(), request.entry);
  if (!function) throw Error("zone.entry", "$.entry: module " + locked->module.hex() + " has no export \"" + request.entry + "\"");
  t.function = *function;

  t.request.module_digest = locked->module;
  t.request.entry = request.entry;
  t.request.input = input(locked->module, t.module->module(), request);
  t.request.context = context_from_json(request.context);
  if (!request.context.contains("jurisdiction")) t.request.context.jurisdiction = jurisdiction_;
  if (t.request.context.jurisdiction != jurisdiction_) {
    throw Error("zone.jurisdiction", "$.context.jurisdiction: this zone runs transitions of " + config_.jurisdiction);
  }
  t.request.context.asset_id = request.asset_id;
  if (halted) throw halted_error(request.asset_id);
  check_corridor_open(*store_, t.request.context.corridor);
  // Without a context gas_limit, the verifier's static bound: enough for every path.
  if (t.request.context.gas_limit == 0) t.request.context.gas_limit = t.module->function(t.function).gas_bound;
  return t;
}

std::shared_ptr<std::mutex> Zone::asset_lock(const vm::Word& asset) {
  std::lock_guard lock(assets_mutex_);
  auto& slot = asset_locks_[asset];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

Json Zone::run(const TransitionRequest& request) { return run(prepare(request)); }

Json Zone::run(const PreparedTransition& transition) {
  GroupedReceipt grouped = run_into_group(transition);
  committer_.await(grouped.group);
  return grouped.receipt.json();
}

std::vector<ZoneReceipt> Zone::run_batch(std::span<const TransitionRequest> batch, GroupPolicy policy,
                                  const Acknowledge& acknowledged) {
  std::vector<PreparedTransition> prepared;
  prepared.reserve(batch.size());
  const std::vector<vm::Word> halted = store_->halted_assets();
  for (const auto& request : batch) prepared.push_back(prepare(request, halted));
  return run_batch(std::span<const PreparedTransition>(prepared), policy, acknowledged);
}

std::vector<ZoneReceipt> Zone::run_batch(std::span<const PreparedTransition> batch, GroupPolicy policy,
                                  const Acknowledge& acknowledged) {
  if (policy.max_transitions == 0) throw Error("zone.config", "--group: must be at least 1");
  std::vector<ZoneReceipt> receipts;
  std::vector<std::uint64_t> groups;  // the group of each receipt
  receipts.reserve(batch.size());
  groups.reserve(batch.size());
  std::size_t unacknowledged = 0;
  std::uint64_t awaited = 0;  // the last group awaited: durable
  // Another thread may have committed (or failed) some of these groups already: each group is
  // awaited, in order, before its receipts are acknowledged.
  const auto acknowledge_up_to = [&](std::size_t end) {
    for (; unacknowledged < end; ++unacknowledged) {
      if (groups[unacknowledged] != awaited) committer_.await(groups[unacknowledged]);
      awaited = groups[unacknowledged];
      if (acknowledged) acknowledged(unacknowledged, receipts[unacknowledged]);
    }
  };
  // A chunk's group is committed as soon as the chunk ends, and acknowledged after the next chunk
  // has executed: the log's sync (on the committer's thread) overlaps that execution.
  for (std::size_t start = 0; start < batch.size(); start += policy.max_transitions) {
    const std::size_t end = std::min(batch.size(), start + policy.max_transitions);
    try {
      for (std::size_t i = start; i < end; ++i) {
        GroupedReceipt grouped = run_into_group(batch[i]);
        receipts.push_back(std::move(grouped.receipt));
        groups.push_back(grouped.group);
      }
    } catch (...) {
      acknowledge_up_to(receipts.size());  // what committed before the failure; rethrows if its group failed
      throw;
    }
    committer_.close(groups.back());
    acknowledge_up_to(start);  // the chunk before
  }
  acknowledge_up_to(receipts.size());
  return receipts;
}

GroupedReceipt Zone::run_into_group(const PreparedTransition& transition) {
  const auto lock = asset_lock(transition.request.context.asset_id);
  std::lock_guard asset_guard(*lock);
  // A halt since prepare() is refused by the store's commit, in the commit's own transaction.
  {
    if (exclusive_queued_.load() != 0) {  // a re-execution is queued for the gate: it goes first
      std::lock_guard turn(turnstile_);
    }
    std::shared_lock gate(gate_);
    if (auto receipt = attempt(transition, false)) return std::move(*receipt);
  }
  // Alone: nothing can go stale now. Holding the turnstile keeps new executions from starving us.
  ++exclusive_queued_;
  std::lock_guard turn(turnstile_);
  std::unique_lock gate(gate_);
  --exclusive_queued_;
  return *attempt(transition, true);
}

HaltRecord Zone::set_halted(const vm::Word& asset, HaltAction action, std::string_view reason) {
  return store_->record_halt_action(HaltEvent{asset, action, operator_cause(reason)});
}

std::vector<HaltRecord> Zone::import_slice(const VerifiedSlice& v) {
  // Under the commit mutex and with the epoch bumped: an execution that read the tensor before the
  // import is re-executed, as after any commit that writes cross-asset state.
  std::lock_guard lock(commit_mutex_);
  auto halts = store_->import_slice(
      StoredSlice{v.digest, v.slice.asset, v.slice.jurisdiction_id(), v.slice.issued_at, 0, v.bytes}, v.slice.imported_cells());
  ++shared_epoch_;
  return halts;
}

std::optional<GroupedReceipt> Zone::attempt(const PreparedTransition& t, bool exclusive) {
  const vm::Word& asset = t.request.context.asset_id;
  ExecutionRequest request = t.request;
  const ZoneChainHead head = store_->chain_head(asset);
  request.context.sequence = head.height;  // the chain, not the caller, says where we are
  request.prev_receipt_digest = head.head;
  const std::uint64_t epoch = shared_epoch_.load();
  const std::uint64_t rollbacks = committer_.rollbacks();  // a rolled-back group changes shared state too
  // The receipt's bytes and digest are streamed (no tree, hashed once).
  thread_local ExecutionReceiptWriter writer;
  vm::ExecutionContext context = request.context;
  context.execution_digest = writer.execution_digest(request);
  const ZoneIntrinsics intrinsics = this->intrinsics();
  request.packs.regpacks = intrinsics.regpacks();
  const StoreHost host(*store_, intrinsics);
  const vm::ExecutionResult result = vm::execute(*t.module, t.function, request.input, context, host);
  writer.write(request, result, context.execution_digest);
  const vm::Digest digest = writer.receipt_digest();
  if (signer_.signs_receipts()) signer_.sign_receipt(writer, request.context.timestamp);
  std::vector<MmrPeak> peaks = head.peaks;
  mmr_append_to_peaks(head.height, peaks, digest);
  const std::uint64_t receipt_count = head.height + 1;
  const bool success = result.outcome.status == vm::Status::success;
  TransitionCommit commit{asset,
                          head,
                          success ? &result.effects : nullptr,
                          digest,
                          std::string(writer.receipt()),
                          TransitionInput{request.module_digest, request.entry, request.input,
                                          std::string(writer.context())},
                          peaks,
                          checkpoint_due(asset, receipt_count, peaks, digest, request.context.timestamp),
                          std::nullopt,
                          result.effects.traces.empty() ? std::string() : std::string(writer.explanation()),
                          writer.explanation_digest()};
  std::lock_guard lock(commit_mutex_);
  if (!exclusive && host.read_shared() && (shared_epoch_ != epoch || committer_.rollbacks() != rollbacks)) {
    return std::nullopt;
  }
  // Under the commit lock: the corridor's head is shared by every asset that transacts on it. In a
  // group, the head read sees the group's earlier (uncommitted) corridor receipts on the same connection.
  if (success && !request.context.corridor.is_zero()) {
    commit.corridor = corridor_receipt_for(*store_, config_, signer_,
                                           CorridorTransition{request.context.corridor, digest, asset,
                                                              request.entry, request.module_digest,
                                                              request.context.timestamp});
  }
  const std::uint64_t group = committer_.add(commit);
  if (writes_shared_state(result)) ++shared_epoch_;
  // The bytes are stored now: the receipt handed back takes them from the commit, not a copy.
  return GroupedReceipt{ZoneReceipt{digest, std::move(commit.receipt_bytes), result.outcome.status}, group};
}

std::optional<StoredCheckpoint> Zone::checkpoint_due(const vm::Word& asset, std::uint64_t receipt_count,
                                                   const std::vector<MmrPeak>& peaks, const vm::Digest& head,
                                                   std::int64_t timestamp) const {
  if (receipt_count % config_.checkpoint_every != 0) return std::nullopt;
  const ZoneCheckpoint checkpoint =
      ZoneCheckpoint::of(config_.jurisdiction, asset, receipt_count, peaks, head, timestamp);
  Json document = checkpoint.to_json();
  if (signer_.signs_checkpoints()) document = signer_.sign(std::move(document), timestamp);
  return StoredCheckpoint{asset, checkpoint.receipt_count, checkpoint.digest(), canonicalize(document).str()};
}

}  // namespace savm::runtime
