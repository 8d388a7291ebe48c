// The host interface: everything an execution may READ from the world outside the VM.
//
// The VM never writes through the host. Every effect (storage, tensor cells, attestations,
// migration records, logs, traces) goes to the execution's Journal (vm/journal.h), which overlays
// its pending writes on these reads. Only a successful execution hands its Effects back to the
// caller, who applies them (MemoryHost::apply, the runtime's stores). So a revert, fault or
// out-of-gas can never leave anything behind, whatever the host is.
//
// Reads are fail-closed: a missing tensor cell is Pending, an unknown proof system verifies
// false, an unknown intrinsic faults.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vm/crypto/digest.h"
#include "vm/word.h"

namespace savm::vm {

// Compliance domains (FORMATS.md, fixed order; the value is the wire code).
enum class Domain : std::uint8_t {
  aml, kyc, sanctions, tax, securities, corporate, custody, data_privacy, licensing, banking,
  payments, clearing, settlement, digital_assets, employment, immigration, ip,
  consumer_protection, arbitration, trade, insurance, anti_bribery, sharia,
};
inline constexpr unsigned kDomainCount = 23;

// The compliance lattice: the value is the rank (meet = min, join = max).
enum class ComplianceState : std::uint8_t {
  non_compliant = 0, pending = 1, not_applicable = 2, exempt = 3, compliant = 4,
};
inline constexpr unsigned kComplianceStateCount = 5;

// One cell of the compliance tensor and the evidence that set it.
// A cell whose expiry has passed (expires != 0 and timestamp >= expires) reads as Pending: an
// expired attestation can never read as compliant.
struct TensorCell {
  ComplianceState state = ComplianceState::pending;
  Digest evidence;            // evidence / attestation digest given to TENSOR_SET; zero if never set
  std::int64_t as_of = 0;     // transition time (unix seconds) the cell was set
  std::int64_t expires = 0;   // transition time it stops holding; 0 = no expiry
  friend bool operator==(const TensorCell&, const TensorCell&) = default;
};

// The state a cell reads as at transition time `now`.
inline ComplianceState effective_state(const TensorCell& cell, std::int64_t now) {
  return cell.expires != 0 && now >= cell.expires ? ComplianceState::pending : cell.state;
}

struct TensorKey {
  Word asset;
  Word jurisdiction;
  Domain domain;
  friend auto operator<=>(const TensorKey&, const TensorKey&) = default;
};

// The migration saga of one lock (docs/vm.md "Migration"): LOCK creates it active; UNLOCK
// releases an active lock; TRANSIT moves an active lock in_transit to a target jurisdiction;
// SETTLE finishes a transit; COMPENSATE undoes any unfinished one. The codes are what
// MIGRATION_STATE pushes (0 = no such lock).
enum class MigrationStatus : std::uint8_t {
  none = 0, active = 1, in_transit = 2, settled = 3, compensated = 4, released = 5,
};

struct MigrationRecord {
  Word id;            // derived from the execution digest (Journal::derive_id), never random
  Word asset;
  Word jurisdiction;  // where the asset is locked
  Word target;        // destination jurisdiction once in transit, else zero
  Word amount;
  MigrationStatus status = MigrationStatus::none;
  friend bool operator==(const MigrationRecord&, const MigrationRecord&) = default;
};

// Who runs, where and when. No wall clock: time is whatever the transition says it is.
// Identifiers are raw 32-byte words (ids and short names, see docs/vm.md "Entry ABI").
struct ExecutionContext {
  Word caller{};
  Word origin{};
  Word jurisdiction{};
  Word asset_id{};
  Word corridor{};           // zero when the transition is not on a corridor
  std::int64_t timestamp = 0;  // seconds since 1970-01-01T00:00:00Z
  std::int64_t law_date = 0;   // days since 1970-01-01: the date whose law applies
  std::uint64_t sequence = 0;  // position of this execution in the asset's receipt chain
  std::uint64_t gas_limit = 0;
  // SHA-256 identity of this execution (runtime/execution_receipt.h computes it from the module,
  // entry, input and context). Every id the execution creates is derived from it.
  Digest execution_digest;
};

// A host intrinsic's answer: results on success, or a fault (bad arguments, unknown name).
struct HostCallResult {
  bool ok = false;
  std::vector<Word> results;
};

class Host {
 public:
  virtual ~Host() = default;

  // Committed storage of `asset`; nullopt when the key was never written (SLOAD reads 0).
  virtual std::optional<Word> storage_get(const Word& asset, const Word& key) const = 0;

  // Committed tensor cell; nullopt reads as Pending with a zero evidence digest (fail closed).
  virtual std::optional<TensorCell> tensor_get(const TensorKey& key) const = 0;

  // Committed migration record by id.
  virtual std::optional<MigrationRecord> migration_get(const Word& id) const = 0;

  // ZK proof verification for proof system `system`. Must return false unless a real verifier
  // for that system is registered (a mock verifier only in explicit test mode).
  virtual bool verify_zk(std::uint32_t system, std::span<const std::uint8_t> proof,
                         std::span<const Word> public_inputs) const = 0;

  // A pure host intrinsic (sanctions screening, table lookups) named in the module's import
  // table. It must not change state and must be deterministic. `result_count` is the count the
  // import declares; a result with another count is treated as a fault by the VM.
  virtual HostCallResult host_call(std::string_view name, std::span<const Word> args,
                                   std::size_t result_count) const = 0;
};

}  // namespace savm::vm
