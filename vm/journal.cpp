#include "vm/journal.h"

#include <array>
#include <string_view>
#include <utility>

namespace savm::vm {

Word derive_id(const Digest& execution_digest, std::uint64_t n) {
  static constexpr std::string_view kTag = "savm.id.v1";
  std::array<std::uint8_t, 8> counter{};
  for (int i = 0; i < 8; ++i) counter[7 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  const Digest id = Sha256().update(kTag).update(execution_digest).update(counter).finish();
  return Word::from_be_bytes(std::span<const std::uint8_t, 32>(id.bytes()));
}

std::optional<Word> Journal::storage_get(const Word& key) const {
  if (const auto it = storage_.find(key); it != storage_.end()) return it->second.current;
  return host_.storage_get(context_.asset_id, key);
}

void Journal::storage_set(const Word& key, const Word& value) {
  auto [it, inserted] = storage_.try_emplace(key);
  if (inserted) it->second.before = host_.storage_get(context_.asset_id, key);
  it->second.current = value;
}

bool Journal::storage_delete(const Word& key) {
  auto [it, inserted] = storage_.try_emplace(key);
  if (inserted) {
    it->second.before = host_.storage_get(context_.asset_id, key);
    it->second.current = it->second.before;
  }
  const bool existed = it->second.current.has_value();
  it->second.current.reset();
  return existed;
}

TensorCell Journal::tensor_get(const TensorKey& key) const {
  if (const auto it = tensor_.find(key); it != tensor_.end()) return it->second;
  return host_.tensor_get(key).value_or(TensorCell{});
}

void Journal::tensor_set(const TensorKey& key, ComplianceState state, const Digest& evidence) {
  const TensorCell before = tensor_get(key);
  tensor_[key] = TensorCell{state, evidence, context_.timestamp, 0};
  effects_.tensor_updates.push_back(
      TensorUpdate{key, before.state, state, evidence, context_.timestamp});
}

std::optional<MigrationRecord> Journal::migration_get(const Word& id) const {
  if (const auto it = migrations_.find(id); it != migrations_.end()) return it->second;
  return host_.migration_get(id);
}

void Journal::migration_put(MigrationOp op, const MigrationRecord& record) {
  migrations_[record.id] = record;
  effects_.migrations.push_back(MigrationEvent{op, record});
}

void Journal::log(std::vector<Word> topics, std::vector<std::uint8_t> data) {
  effects_.logs.push_back(LogRecord{std::move(topics), std::move(data)});
}

void Journal::trace(const Word& code, std::vector<Word> args) {
  effects_.traces.push_back(TraceEvent{code, std::move(args)});
}

Word Journal::attest(const Word& asset, const Word& jurisdiction, Domain domain,
                     const Word& claim) {
  const Word id = next_id();
  effects_.attestations.push_back(AttestationRecord{id, asset, jurisdiction, domain, claim});
  return id;
}

Effects Journal::take_effects() {
  Effects out = std::move(effects_);
  effects_ = Effects{};
  for (const auto& [key, slot] : storage_) {  // std::map: ascending signed key order
    if (slot.before != slot.current) out.storage.push_back(StorageChange{key, slot.before, slot.current});
  }
  storage_.clear();
  tensor_.clear();
  migrations_.clear();
  return out;
}

}  // namespace savm::vm
