// The one definition of the execution receipt's shape (docs/receipts.md): the context, the
// execution identity, the explanation list and the receipt, each written as a template over a
// writer with the CanonicalWriter interface. Instantiated with CanonicalWriter it streams the
// canonical bytes (runtime/execution_receipt_writer.h, the zone's path); with JsonTreeWriter it
// builds the JSON tree (execution_receipt(), context_to_json(), the reference the streamed bytes
// are tested against). Keys are written in MCF order (UTF-8 byte order), which CanonicalWriter
// checks, so a field added out of order fails every test that writes a receipt.
//
// Internal to the runtime: include only from the files that instantiate it.
#pragma once

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/execution_receipt.h"
#include "vm/crypto/digest.h"

namespace savm::runtime::receipt_fields {

inline constexpr std::array<std::string_view, vm::kDomainCount> kDomainNames = {
    "aml",        "kyc",        "sanctions",      "tax",        "securities",
    "corporate",  "custody",    "data_privacy",   "licensing",  "banking",
    "payments",   "clearing",   "settlement",     "digital_assets", "employment",
    "immigration", "ip",        "consumer_protection", "arbitration", "trade",
    "insurance",  "anti_bribery", "sharia"};
inline constexpr std::array<std::string_view, vm::kComplianceStateCount> kStateNames = {
    "non_compliant", "pending", "not_applicable", "exempt", "compliant"};
inline constexpr std::array<std::string_view, 5> kMigrationOpNames = {"lock", "unlock", "transit", "settle",
                                                                      "compensate"};
inline constexpr std::array<std::string_view, 6> kMigrationStatusNames = {
    "none", "active", "in_transit", "settled", "compensated", "released"};

inline std::string_view domain(vm::Domain d) { return kDomainNames[static_cast<int>(d)]; }
inline std::string_view state(vm::ComplianceState s) { return kStateNames[static_cast<int>(s)]; }

// Lowercase hex of a byte string (log data, revert messages).
inline std::string hex_bytes(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  vm::write_lower_hex(bytes, out.data());
  return out;
}

template <class W>
void id(W& w, std::string_view key, const vm::Word& value) {
  w.key(key);
  w.string(id_text(value).view());
}

template <class W>
void words(W& w, std::span<const vm::Word> list) {
  w.begin_array();
  for (const auto& word : list) w.string(word.to_decimal());
  w.end_array();
}

// docs/receipts.md "Context": every field, ids in 0x form.
template <class W>
void context(W& w, const vm::ExecutionContext& c) {
  w.begin_object();
  id(w, "asset_id", c.asset_id);
  id(w, "caller", c.caller);
  id(w, "corridor", c.corridor);
  w.key("gas_limit");
  w.integer(c.gas_limit);
  id(w, "jurisdiction", c.jurisdiction);
  w.key("law_date");
  w.string(civil_date(c.law_date));
  id(w, "origin", c.origin);
  w.key("sequence");
  w.integer(c.sequence);
  w.key("timestamp");
  w.integer(c.timestamp);
  w.end_object();
}

// The values the execution identity and the receipt share, typed (from a request) ...
struct TypedIdentity {
  const ExecutionRequest& request;
  vm::Digest input_digest;
  template <class W> void context(W& w) const { receipt_fields::context(w, request.context); }
  template <class W> void entry(W& w) const { w.string(request.entry); }
  template <class W> void input(W& w) const { w.digest(input_digest); }
  template <class W> void module(W& w) const { w.digest(request.module_digest); }
};

// ... or as they stand in a received receipt (check_receipt_digests).
struct JsonIdentity {
  const Json& context_json;
  const Json& entry_json;
  const Json& input_json;
  const Json& module_json;
  template <class W> void context(W& w) const { w.value(context_json, "$.context"); }
  template <class W> void entry(W& w) const { w.value(entry_json, "$.entry"); }
  template <class W> void input(W& w) const { w.value(input_json, "$.input_digest"); }
  template <class W> void module(W& w) const { w.value(module_json, "$.module_digest"); }
};

// What execution_digest hashes: {"type":"SAVMExecution","format_version":1, module_digest,
// entry, input_digest, context}.
template <class W, class Identity>
void identity(W& w, const Identity& fields) {
  w.begin_object();
  w.key("context");
  fields.context(w);
  w.key("entry");
  fields.entry(w);
  w.key("format_version");
  w.integer(kExecutionReceiptVersion);
  w.key("input_digest");
  fields.input(w);
  w.key("module_digest");
  fields.module(w);
  w.key("type");
  w.string("SAVMExecution");
  w.end_object();
}

// What explanation_digest hashes: [{"args": [...], "citation": "<decimal>"}...].
template <class W>
void explanation(W& w, std::span<const vm::TraceEvent> traces) {
  w.begin_array();
  for (const auto& t : traces) {
    w.begin_object();
    w.key("args");
    words(w, t.args);
    w.key("citation");
    w.string(t.code.to_decimal());
    w.end_object();
  }
  w.end_array();
}

// A pack digest set, normalized: sorted (byte order = hex order), de-duplicated.
template <class W>
void digest_set(W& w, std::string_view key, std::vector<vm::Digest> digests) {
  std::sort(digests.begin(), digests.end());
  digests.erase(std::unique(digests.begin(), digests.end()), digests.end());
  w.key(key);
  w.begin_array();
  for (const auto& d : digests) w.digest(d);
  w.end_array();
}

template <class W>
void outcome(W& w, const vm::Outcome& o) {
  w.begin_object();
  if (o.status == vm::Status::revert) {
    w.key("code");
    w.string(o.revert_code.to_decimal());
  } else if (o.status == vm::Status::fault) {
    w.key("fault");
    w.string(vm::fault_kind_name(o.fault));
  }
  if (o.status == vm::Status::revert) {
    w.key("message");
    w.string(hex_bytes(o.revert_message));
  }
  w.key("status");
  w.string(vm::status_name(o.status));
  w.end_object();
}

template <class W>
void attestations(W& w, std::span<const vm::AttestationRecord> list) {
  w.begin_array();
  for (const auto& a : list) {
    w.begin_object();
    id(w, "asset", a.asset);
    w.key("claim");
    w.string(a.claim.to_decimal());
    w.key("domain");
    w.string(domain(a.domain));
    id(w, "id", a.id);
    id(w, "jurisdiction", a.jurisdiction);
    w.end_object();
  }
  w.end_array();
}

template <class W>
void logs(W& w, std::span<const vm::LogRecord> list) {
  w.begin_array();
  for (const auto& l : list) {
    w.begin_object();
    w.key("data");
    w.string(hex_bytes(l.data));
    w.key("topics");
    words(w, l.topics);
    w.end_object();
  }
  w.end_array();
}

template <class W>
void migrations(W& w, std::span<const vm::MigrationEvent> list) {
  w.begin_array();
  for (const auto& m : list) {
    w.begin_object();
    w.key("amount");
    w.string(m.record.amount.to_decimal());
    id(w, "asset", m.record.asset);
    id(w, "id", m.record.id);
    id(w, "jurisdiction", m.record.jurisdiction);
    w.key("op");
    w.string(kMigrationOpNames[static_cast<int>(m.op)]);
    w.key("status");
    w.string(kMigrationStatusNames[static_cast<int>(m.record.status)]);
    id(w, "target", m.record.target);
    w.end_object();
  }
  w.end_array();
}

// Storage changes are already in ascending (signed) key order. An absent "old" means the key did
// not exist; an absent "new", that it was deleted.
template <class W>
void storage_mutations(W& w, std::span<const vm::StorageChange> list) {
  w.begin_array();
  for (const auto& c : list) {
    w.begin_object();
    w.key("key");
    w.string(c.key.to_decimal());
    if (c.after) {
      w.key("new");
      w.string(c.after->to_decimal());
    }
    if (c.before) {
      w.key("old");
      w.string(c.before->to_decimal());
    }
    w.end_object();
  }
  w.end_array();
}

template <class W>
void tensor_updates(W& w, std::span<const vm::TensorUpdate> list) {
  w.begin_array();
  for (const auto& u : list) {
    w.begin_object();
    w.key("as_of");
    w.integer(u.as_of);
    id(w, "asset", u.key.asset);
    w.key("domain");
    w.string(domain(u.key.domain));
    w.key("evidence");
    w.digest(u.evidence);
    id(w, "jurisdiction", u.key.jurisdiction);
    w.key("new");
    w.string(state(u.after));
    w.key("old");
    w.string(state(u.before));
    w.end_object();
  }
  w.end_array();
}

// The receipt without "receipt_digest" and "proof": the receipt digest's payload.
template <class W>
void receipt(W& w, const TypedIdentity& ident, const vm::ExecutionResult& result, const vm::Digest& execution,
             const vm::Digest& explanation_digest) {
  const ExecutionRequest& r = ident.request;
  const vm::Effects& e = result.effects;
  w.begin_object();
  w.key("attestations");
  attestations(w, e.attestations);
  w.key("context");
  ident.context(w);
  w.key("entry");
  ident.entry(w);
  w.key("execution_digest");
  w.digest(execution);
  w.key("explanation_digest");
  w.digest(explanation_digest);
  w.key("format_version");
  w.integer(kExecutionReceiptVersion);
  w.key("gas_used");
  w.integer(result.gas_used);
  w.key("input_digest");
  ident.input(w);
  digest_set(w, "lawpack_digest_set", r.packs.lawpacks);
  digest_set(w, "licensepack_digest_set", r.packs.licensepacks);
  w.key("logs");
  logs(w, e.logs);
  w.key("migrations");
  migrations(w, e.migrations);
  w.key("module_digest");
  ident.module(w);
  w.key("outcome");
  outcome(w, result.outcome);
  w.key("prev_receipt_digest");
  w.digest(r.prev_receipt_digest);
  digest_set(w, "regpack_digest_set", r.packs.regpacks);
  w.key("return");
  words(w, result.returned);
  w.key("sequence");
  w.integer(r.context.sequence);
  w.key("storage_mutations");
  storage_mutations(w, e.storage);
  w.key("tensor_updates");
  tensor_updates(w, e.tensor_updates);
  w.key("type");
  w.string(kExecutionReceiptType);
  w.end_object();
}

}  // namespace savm::runtime::receipt_fields
