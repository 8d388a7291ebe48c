// Asset halting (docs/operating-a-zone.md "Halting an asset"): the zone's halt-on trigger and the
// hash-chained halt log.
//
// Trigger: a commit that leaves a cell (asset, any jurisdiction, d) with d in the zone's halt-on
// domains non_compliant halts that asset in the same SQLite transaction. It is evaluated on the
// cells the commit writes (a transition's successful effects, or an imported slice's cells), not on
// every stored cell, so an operator's resume stands until a new write finds the asset
// non_compliant again. A halted asset's transitions are refused ("zone.halted") and write nothing.
//
// Log: one chain per zone. Record n (0-based) is the canonical JSON
//   {"type": "SAVMHaltRecord", "format_version": 1, "jurisdiction": "PK", "sequence": n,
//    "prev": "<digest of record n-1, 64 zeros for n = 0>", "asset_id": "0x…",
//    "action": "halt" | "resume", "after_commit": <commit_index of the zone's last receipt>,
//    "cause": {"kind": "trigger", "receipt": "<digest>", "cell": {...}}
//           | {"kind": "slice", "slice": "<slice digest>", "cell": {...}}
//           | {"kind": "operator", "reason": "<text>"}}
// and its digest is SHA-256(MCF(record)). "cell" is {"jurisdiction": "0x…", "domain", "state"}.
// "after_commit" places the record in the zone's commit order without a clock (the zone has none).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"
#include "vm/host.h"

namespace savm::runtime {

inline constexpr std::string_view kHaltRecordType = "SAVMHaltRecord";
inline constexpr std::string_view kDefaultHaltOn = "sanctions";

// "sanctions,aml" -> the domains, in the order given, without repeats. Throws "zone.config"
// naming the first unknown domain name; an empty list is allowed (the trigger is off).
std::vector<vm::Domain> parse_halt_on(std::string_view comma_list);
// The inverse: domain names joined by commas.
std::string halt_on_text(std::span<const vm::Domain> domains);

// A FORMATS.md domain name ("sanctions") as a domain, if it is one.
std::optional<vm::Domain> domain_from_name(std::string_view name);

// The cells among `written` that halt their asset: non_compliant in a halt-on domain. One per
// asset (the first written), in write order.
std::vector<std::pair<vm::TensorKey, vm::ComplianceState>> halting_cells(
    std::span<const vm::Domain> halt_on, std::span<const std::pair<vm::TensorKey, vm::ComplianceState>> written);

// The causes of a log record.
Json trigger_cause(const vm::Digest& receipt, const vm::TensorKey& cell, vm::ComplianceState state);
Json slice_cause(const vm::Digest& slice, const vm::TensorKey& cell, vm::ComplianceState state);
Json operator_cause(std::string_view reason);

enum class HaltAction { halt, resume };

// One action before it is chained: the store assigns sequence, prev and after_commit.
struct HaltEvent {
  vm::Word asset;
  HaltAction action = HaltAction::halt;
  Json cause;
};

// A chained record as stored.
struct HaltRecord {
  std::uint64_t sequence = 0;
  vm::Word asset;
  HaltAction action = HaltAction::halt;
  vm::Digest digest;  // as recorded in the row
  std::string bytes;  // the record's canonical bytes
};

// The canonical record of `event` at `sequence` after `prev`.
CanonicalBytes halt_record(std::string_view jurisdiction, const HaltEvent& event, std::uint64_t sequence,
                           const vm::Digest& prev, std::uint64_t after_commit);

// Why `log` (a zone's whole halt log, by sequence) is not a valid chain, or nullopt: every
// record's digest recomputes, its sequence is its position, its prev is the previous digest, and
// its asset and action match the row. The message names the record.
std::optional<std::string> halt_log_problem(std::span<const HaltRecord> log);

std::string_view halt_action_name(HaltAction action);

}  // namespace savm::runtime
