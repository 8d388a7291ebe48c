#include "runtime/zone_tensor.h"

#include <algorithm>

#include "runtime/context_json.h"
#include "runtime/execution_receipt.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {
namespace {

vm::Digest leaf_hash(std::string_view data) {
  static constexpr std::uint8_t kLeaf = 0x00;
  return vm::Sha256().update(std::span<const std::uint8_t>(&kLeaf, 1)).update(data).finish();
}

vm::Digest node_hash(const vm::Digest& left, const vm::Digest& right) {
  static constexpr std::uint8_t kNode = 0x01;
  return vm::Sha256().update(std::span<const std::uint8_t>(&kNode, 1)).update(left).update(right).finish();
}

}  // namespace

std::vector<TensorSliceCell> tensor_slice(const ZoneStore& store, const vm::Word& asset,
                                          const std::optional<vm::Word>& jurisdiction, std::int64_t now) {
  std::vector<TensorSliceCell> out;
  for (const auto& [key, cell] : store.tensor_rows()) {  // ordered by asset, jurisdiction, domain
    if (key.asset != asset || (jurisdiction && key.jurisdiction != *jurisdiction)) continue;
    out.push_back(TensorSliceCell{key, cell, vm::effective_state(cell, now)});
  }
  return out;
}

std::int64_t latest_transition_time(const ZoneStore& store) {
  const auto last = store.last_receipt();
  return last ? context_from_json(parse_json(last->transition.context)).timestamp : 0;
}

vm::ComplianceState meet(std::span<const vm::ComplianceState> states) {
  return states.empty() ? vm::ComplianceState::pending : *std::min_element(states.begin(), states.end());
}

vm::ComplianceState join(std::span<const vm::ComplianceState> states) {
  return states.empty() ? vm::ComplianceState::pending : *std::max_element(states.begin(), states.end());
}

DomainStates aggregate(std::span<const TensorSliceCell> slice, std::span<const vm::Word> jurisdictions,
                       Aggregation how) {
  DomainStates out{};
  for (unsigned d = 0; d < vm::kDomainCount; ++d) {
    std::vector<vm::ComplianceState> states;
    for (const vm::Word& j : jurisdictions) {
      const auto cell = std::find_if(slice.begin(), slice.end(), [&](const TensorSliceCell& c) {
        return c.key.jurisdiction == j && static_cast<unsigned>(c.key.domain) == d;
      });
      states.push_back(cell == slice.end() ? vm::ComplianceState::pending : cell->reads_as);
    }
    out[d] = how == Aggregation::meet ? meet(states) : join(states);
  }
  return out;
}

CanonicalBytes tensor_leaf(const vm::TensorKey& key, const vm::TensorCell& cell) {
  return canonicalize(Json{{"type", "SAVMTensorCell"},
                           {"asset_id", id_hex(key.asset)},
                           {"jurisdiction", id_hex(key.jurisdiction)},
                           {"domain", domain_name(key.domain)},
                           {"state", state_name(cell.state)},
                           {"evidence", cell.evidence.hex()},
                           {"as_of", cell.as_of},
                           {"expires", cell.expires}});
}

vm::Digest merkle_tree_hash(std::span<const std::string> leaves) {
  if (leaves.empty()) return vm::sha256(std::string_view());
  if (leaves.size() == 1) return leaf_hash(leaves.front());
  std::size_t split = 1;
  while (split * 2 < leaves.size()) split *= 2;
  return node_hash(merkle_tree_hash(leaves.first(split)), merkle_tree_hash(leaves.subspan(split)));
}

vm::Digest tensor_commitment(const ZoneStore& store) {
  std::vector<std::string> leaves;
  for (const auto& [key, cell] : store.tensor_rows()) leaves.push_back(tensor_leaf(key, cell).str());
  return merkle_tree_hash(leaves);
}

std::string jurisdiction_label(const vm::Word& jurisdiction) {
  std::array<std::uint8_t, 32> bytes{};
  jurisdiction.to_be_bytes(bytes);
  const std::size_t length = bytes[31];
  const bool short_name =
      length >= 1 && length <= 31 &&
      std::all_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length),
                  [](std::uint8_t b) { return b > 0x20 && b < 0x7f; }) &&
      std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(length), bytes.begin() + 31,
                  [](std::uint8_t b) { return b == 0; });
  return short_name ? std::string(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length))
                    : id_hex(jurisdiction);
}

}  // namespace savm::runtime
