#include "runtime/zone_halt.h"

#include <algorithm>

#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"

namespace savm::runtime {
namespace {

Json cell_json(const vm::TensorKey& cell, vm::ComplianceState state) {
  return Json{{"jurisdiction", id_hex(cell.jurisdiction)}, {"domain", domain_name(cell.domain)}, {"state", state_name(state)}};
}

}  // namespace

std::optional<vm::Domain> domain_from_name(std::string_view name) {
  for (unsigned d = 0; d < vm::kDomainCount; ++d) {
    if (domain_name(static_cast<vm::Domain>(d)) == name) return static_cast<vm::Domain>(d);
  }
  return std::nullopt;
}

std::vector<vm::Domain> parse_halt_on(std::string_view comma_list) {
  std::vector<vm::Domain> out;
  while (!comma_list.empty()) {
    const std::size_t comma = comma_list.find(',');
    const std::string_view name = comma_list.substr(0, comma);
    comma_list = comma == std::string_view::npos ? std::string_view() : comma_list.substr(comma + 1);
    const auto domain = domain_from_name(name);
    if (!domain) throw Error("zone.config", "--halt-on: \"" + std::string(name) + "\" is not a FORMATS.md domain name");
    if (std::find(out.begin(), out.end(), *domain) == out.end()) out.push_back(*domain);
  }
  return out;
}

std::string halt_on_text(std::span<const vm::Domain> domains) {
  std::string out;
  for (const vm::Domain d : domains) {
    if (!out.empty()) out += ',';
    out += domain_name(d);
  }
  return out;
}

std::vector<std::pair<vm::TensorKey, vm::ComplianceState>> halting_cells(
    std::span<const vm::Domain> halt_on, std::span<const std::pair<vm::TensorKey, vm::ComplianceState>> written) {
  std::vector<std::pair<vm::TensorKey, vm::ComplianceState>> out;
  for (const auto& cell : written) {
    if (cell.second != vm::ComplianceState::non_compliant) continue;
    if (std::find(halt_on.begin(), halt_on.end(), cell.first.domain) == halt_on.end()) continue;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const auto& c) { return c.first.asset == cell.first.asset; });
    if (!seen) out.push_back(cell);
  }
  return out;
}

Json trigger_cause(const vm::Digest& receipt, const vm::TensorKey& cell, vm::ComplianceState state) {
  return Json{{"kind", "trigger"}, {"receipt", receipt.hex()}, {"cell", cell_json(cell, state)}};
}

Json slice_cause(const vm::Digest& slice, const vm::TensorKey& cell, vm::ComplianceState state) {
  return Json{{"kind", "slice"}, {"slice", slice.hex()}, {"cell", cell_json(cell, state)}};
}

Json operator_cause(std::string_view reason) { return Json{{"kind", "operator"}, {"reason", reason}}; }

std::string_view halt_action_name(HaltAction action) { return action == HaltAction::halt ? "halt" : "resume"; }

CanonicalBytes halt_record(std::string_view jurisdiction, const HaltEvent& event, std::uint64_t sequence,
                           const vm::Digest& prev, std::uint64_t after_commit) {
  return canonicalize(Json{{"type", kHaltRecordType},
                           {"format_version", 1},
                           {"jurisdiction", jurisdiction},
                           {"sequence", sequence},
                           {"prev", prev.hex()},
                           {"asset_id", id_hex(event.asset)},
                           {"action", halt_action_name(event.action)},
                           {"after_commit", after_commit},
                           {"cause", event.cause}});
}

std::optional<std::string> halt_log_problem(std::span<const HaltRecord> log) {
  vm::Digest prev;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const HaltRecord& r = log[i];
    const std::string where = "halt record " + std::to_string(i) + ": ";
    if (r.sequence != i) return where + "sequence " + std::to_string(r.sequence) + " is not its position";
    if (vm::sha256(r.bytes) != r.digest) return where + "its bytes do not hash to the recorded digest " + r.digest.hex();
    Json record;
    try {
      record = parse_json(r.bytes);
    } catch (const Error& e) {
      return where + "not JSON: " + e.what();
    }
    if (!record.is_object() || record.value("type", "") != kHaltRecordType) return where + "not a " + std::string(kHaltRecordType);
    if (record.value("prev", "") != prev.hex()) return where + "prev is not the digest of the record before it";
    if (record.value("asset_id", "") != id_hex(r.asset) || record.value("action", "") != halt_action_name(r.action)) {
      return where + "asset_id or action differs from the row";
    }
    prev = r.digest;
  }
  return std::nullopt;
}

}  // namespace savm::runtime
