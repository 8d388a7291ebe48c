#include "runtime/tensor_slice.h"

#include <algorithm>

#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/execution_receipt.h"
#include "runtime/proof.h"
#include "runtime/zone_halt.h"
#include "runtime/zone_tensor.h"

namespace savm::runtime {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) { throw Error("slice.field", path + ": " + why); }

const Json& member(const Json& object, const std::string& path, const char* name) {
  if (!object.contains(name)) bad(path, std::string("missing \"") + name + "\"");
  return object.at(name);
}

std::string text_member(const Json& object, const std::string& path, const char* name) {
  const Json& v = member(object, path, name);
  if (!v.is_string()) bad(path + "." + name, "expected a string");
  return v.get<std::string>();
}

std::int64_t integer_member(const Json& object, const std::string& path, const char* name) {
  const Json& v = member(object, path, name);
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX)) {
    bad(path + "." + name, "expected an integer in the signed 64-bit range");
  }
  return v.get<std::int64_t>();
}

vm::Digest digest_member(const Json& object, const std::string& path, const char* name) {
  const auto d = vm::Digest::from_hex(text_member(object, path, name));
  if (!d) bad(path + "." + name, "expected 64 hex digits");
  return *d;
}

std::optional<vm::ComplianceState> state_from_name(std::string_view name) {
  for (unsigned s = 0; s < vm::kComplianceStateCount; ++s) {
    if (state_name(static_cast<vm::ComplianceState>(s)) == name) return static_cast<vm::ComplianceState>(s);
  }
  return std::nullopt;
}

SliceCell cell_from_json(const Json& c, const std::string& path) {
  if (!c.is_object()) bad(path, "expected an object");
  for (const auto& [k, v] : c.items()) {
    if (k != "domain" && k != "state" && k != "evidence" && k != "as_of" && k != "expires") bad(path + "." + k, "unknown member");
  }
  const auto domain = domain_from_name(text_member(c, path, "domain"));
  if (!domain) bad(path + ".domain", "not a FORMATS.md domain name");
  const auto state = state_from_name(text_member(c, path, "state"));
  if (!state) bad(path + ".state", "not a FORMATS.md compliance state");
  return SliceCell{*domain, vm::TensorCell{*state, digest_member(c, path, "evidence"), integer_member(c, path, "as_of"),
                                           integer_member(c, path, "expires")}};
}

}  // namespace

vm::Word TensorSlice::jurisdiction_id() const { return parse_id(jurisdiction, IdForm::short_string, "$.jurisdiction"); }

Json TensorSlice::to_json() const {
  Json cell_list = Json::array();
  for (const auto& c : cells) {
    cell_list.push_back(Json{{"domain", domain_name(c.domain)},
                             {"state", state_name(c.cell.state)},
                             {"evidence", c.cell.evidence.hex()},
                             {"as_of", c.cell.as_of},
                             {"expires", c.cell.expires}});
  }
  return Json{{"type", kTensorSliceType}, {"format_version", 1},     {"jurisdiction", jurisdiction},
              {"asset_id", id_hex(asset)},  {"issued_at", issued_at}, {"cells", std::move(cell_list)},
              {"commitment", commitment.hex()}};
}

vm::Digest TensorSlice::digest() const { return vm::sha256(canonicalize(to_json()).view()); }

vm::Digest TensorSlice::recompute_commitment() const {
  std::vector<std::string> leaves;
  const vm::Word j = jurisdiction_id();
  for (const auto& c : cells) leaves.push_back(tensor_leaf(vm::TensorKey{asset, j, c.domain}, c.cell).str());
  return merkle_tree_hash(leaves);
}

std::vector<std::pair<vm::TensorKey, vm::TensorCell>> TensorSlice::imported_cells() const {
  const vm::Digest evidence = digest();
  const vm::Word j = jurisdiction_id();
  std::vector<std::pair<vm::TensorKey, vm::TensorCell>> out;
  for (const auto& c : cells) {
    out.emplace_back(vm::TensorKey{asset, j, c.domain}, vm::TensorCell{c.cell.state, evidence, c.cell.as_of, c.cell.expires});
  }
  return out;
}

TensorSlice TensorSlice::from_json(const Json& document) {
  if (!document.is_object()) bad("$", "a tensor slice is a JSON object");
  for (const auto& [k, v] : document.items()) {
    static constexpr std::string_view kMembers[] = {"type", "format_version", "jurisdiction", "asset_id",
                                                    "issued_at", "cells", "commitment", "proof"};
    if (std::find(std::begin(kMembers), std::end(kMembers), k) == std::end(kMembers)) bad("$." + k, "unknown member");
  }
  if (text_member(document, "$", "type") != kTensorSliceType) bad("$.type", "expected \"" + std::string(kTensorSliceType) + "\"");
  if (integer_member(document, "$", "format_version") != 1) bad("$.format_version", "this build reads version 1");
  TensorSlice s;
  s.jurisdiction = text_member(document, "$", "jurisdiction");
  try {
    s.jurisdiction_id();
    s.asset = parse_id(text_member(document, "$", "asset_id"), IdForm::raw, "$.asset_id");
  } catch (const Error& e) {
    throw Error("slice.field", e.what());
  }
  s.issued_at = integer_member(document, "$", "issued_at");
  const Json& cells = member(document, "$", "cells");
  if (!cells.is_array()) bad("$.cells", "expected an array");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string path = "$.cells[" + std::to_string(i) + "]";
    s.cells.push_back(cell_from_json(cells[i], path));
    if (i > 0 && s.cells[i - 1].domain >= s.cells[i].domain) bad(path + ".domain", "cells must be in ascending domain order, once each");
  }
  s.commitment = digest_member(document, "$", "commitment");
  return s;
}

Json export_slice(const ZoneStore& store, const ZoneConfig& config, const ZoneSigner& signer, const vm::Word& asset) {
  if (!signer.signs_checkpoints()) {
    throw Error("slice.unsigned", "this zone has no signing key: a tensor slice must carry the zone's proof (zone init --key)");
  }
  TensorSlice s;
  s.jurisdiction = config.jurisdiction;
  s.asset = asset;
  s.issued_at = latest_transition_time(store);
  for (const auto& c : tensor_slice(store, asset, s.jurisdiction_id(), s.issued_at)) s.cells.push_back(SliceCell{c.key.domain, c.cell});
  s.commitment = s.recompute_commitment();
  return signer.sign(s.to_json(), s.issued_at);
}

VerifiedSlice verify_slice(const Json& document, const PublicKey& trusted, std::string_view own_jurisdiction) {
  VerifiedSlice v{TensorSlice::from_json(document), {}, {}};
  if (const auto problem = zone_signature_problem(document, trusted.hex())) {
    throw Error("slice.signature", "$.proof: " + *problem);
  }
  const vm::Digest recomputed = v.slice.recompute_commitment();
  if (recomputed != v.slice.commitment) {
    throw Error("slice.commitment", "$.commitment: " + v.slice.commitment.hex() + " is not the root of the slice's cells (" +
                                        recomputed.hex() + ")");
  }
  if (v.slice.jurisdiction == own_jurisdiction) {
    throw Error("slice.jurisdiction", "$.jurisdiction: \"" + v.slice.jurisdiction + "\" is this zone's own jurisdiction; "
                                      "its cells are written by its own transitions, not imported");
  }
  v.digest = v.slice.digest();
  v.bytes = canonicalize(document).str();
  return v;
}

}  // namespace savm::runtime
