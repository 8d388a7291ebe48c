#include "vm/memory_host.h"

#include <stdexcept>

namespace savm::vm {

std::optional<Word> MemoryHost::storage_get(const Word& asset, const Word& key) const {
  if (const auto it = storage_.find({asset, key}); it != storage_.end()) return it->second;
  return std::nullopt;
}

std::optional<TensorCell> MemoryHost::tensor_get(const TensorKey& key) const {
  if (const auto it = tensor_.find(key); it != tensor_.end()) return it->second;
  return std::nullopt;
}

std::optional<MigrationRecord> MemoryHost::migration_get(const Word& id) const {
  if (const auto it = migrations_.find(id); it != migrations_.end()) return it->second;
  return std::nullopt;
}

bool MemoryHost::verify_zk(std::uint32_t system, std::span<const std::uint8_t> proof,
                           std::span<const Word> public_inputs) const {
  const auto it = zk_verifiers_.find(system);
  return it != zk_verifiers_.end() && it->second(proof, public_inputs);  // fail closed
}

HostCallResult MemoryHost::host_call(std::string_view name, std::span<const Word> args,
                                     std::size_t result_count) const {
  const auto it = intrinsics_.find(name);
  if (it == intrinsics_.end()) return HostCallResult{};
  HostCallResult result = it->second(args);
  if (result.ok && result.results.size() != result_count) return HostCallResult{};
  return result;
}

void MemoryHost::set_storage(const Word& asset, const Word& key, const Word& value) {
  storage_[{asset, key}] = value;
}

void MemoryHost::set_tensor(const TensorKey& key, const TensorCell& cell) { tensor_[key] = cell; }

void MemoryHost::set_migration(const MigrationRecord& record) { migrations_[record.id] = record; }

void MemoryHost::apply(const Word& asset, const Effects& effects) {
  for (const auto& change : effects.storage) {
    if (change.after) {
      storage_[{asset, change.key}] = *change.after;
    } else {
      storage_.erase({asset, change.key});
    }
  }
  for (const auto& update : effects.tensor_updates) {
    tensor_[update.key] = TensorCell{update.after, update.evidence, update.as_of, 0};
  }
  for (const auto& event : effects.migrations) migrations_[event.record.id] = event.record;
}

void MemoryHost::register_intrinsic(std::string name, Intrinsic fn) {
  intrinsics_[std::move(name)] = std::move(fn);
}

void MemoryHost::register_zk_verifier(std::uint32_t system, ZkVerifier fn) {
  zk_verifiers_[system] = std::move(fn);
}

void MemoryHost::register_mock_zk_verifier(std::uint32_t system, ZkVerifier fn) {
  if (mode_ != HostMode::test) {
    throw std::logic_error("a mock ZK verifier may only be registered on a test-mode host");
  }
  zk_verifiers_[system] = std::move(fn);
}

}  // namespace savm::vm
