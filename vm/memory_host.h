// An in-memory host: ordered maps for storage, tensor cells and migration records, plus
// registries of intrinsics and ZK verifiers. Used by tests and by `savm exec` (loaded from and
// saved to a state directory by runtime/state_dir.h).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "vm/host.h"
#include "vm/journal.h"

namespace savm::vm {

// Whether mock verifiers may be registered. Production hosts never allow them.
enum class HostMode : std::uint8_t { production, test };

class MemoryHost final : public Host {
 public:
  using Intrinsic = std::function<HostCallResult(std::span<const Word> args)>;
  using ZkVerifier =
      std::function<bool(std::span<const std::uint8_t> proof, std::span<const Word> inputs)>;

  explicit MemoryHost(HostMode mode = HostMode::production) : mode_(mode) {}

  std::optional<Word> storage_get(const Word& asset, const Word& key) const override;
  std::optional<TensorCell> tensor_get(const TensorKey& key) const override;
  std::optional<MigrationRecord> migration_get(const Word& id) const override;
  bool verify_zk(std::uint32_t system, std::span<const std::uint8_t> proof,
                 std::span<const Word> public_inputs) const override;
  HostCallResult host_call(std::string_view name, std::span<const Word> args,
                           std::size_t result_count) const override;

  // Direct state setup (tests, state directory loading).
  void set_storage(const Word& asset, const Word& key, const Word& value);
  void set_tensor(const TensorKey& key, const TensorCell& cell);
  void set_migration(const MigrationRecord& record);

  // Commits a successful execution's effects on the storage of `asset`.
  void apply(const Word& asset, const Effects& effects);

  void register_intrinsic(std::string name, Intrinsic fn);
  // A real verifier for `system`.
  void register_zk_verifier(std::uint32_t system, ZkVerifier fn);
  // A mock verifier: throws std::logic_error unless the host was built in HostMode::test.
  void register_mock_zk_verifier(std::uint32_t system, ZkVerifier fn);

  // Read-only views in deterministic (sorted) order, for saving.
  const std::map<std::pair<Word, Word>, Word>& storage() const { return storage_; }
  const std::map<TensorKey, TensorCell>& tensor() const { return tensor_; }
  const std::map<Word, MigrationRecord>& migrations() const { return migrations_; }

 private:
  HostMode mode_;
  std::map<std::pair<Word, Word>, Word> storage_;  // (asset, key) -> value
  std::map<TensorKey, TensorCell> tensor_;
  std::map<Word, MigrationRecord> migrations_;
  std::map<std::string, Intrinsic, std::less<>> intrinsics_;
  std::map<std::uint32_t, ZkVerifier> zk_verifiers_;
};

}  // namespace savm::vm
