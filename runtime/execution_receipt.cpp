#include "runtime/execution_receipt.h"

#include <algorithm>
#include <array>

#include "runtime/abi_json.h"
#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

constexpr std::array<std::string_view, vm::kDomainCount> kDomainNames = {
    "aml",        "kyc",        "sanctions",      "tax",        "securities",
    "corporate",  "custody",    "data_privacy",   "licensing",  "banking",
    "payments",   "clearing",   "settlement",     "digital_assets", "employment",
    "immigration", "ip",        "consumer_protection", "arbitration", "trade",
    "insurance",  "anti_bribery", "sharia"};
constexpr std::array<std::string_view, vm::kComplianceStateCount> kStateNames = {
    "non_compliant", "pending", "not_applicable", "exempt", "compliant"};
constexpr std::array<std::string_view, 5> kMigrationOpNames = {"lock", "unlock", "transit", "settle",
                                                               "compensate"};
constexpr std::array<std::string_view, 6> kMigrationStatusNames = {
    "none", "active", "in_transit", "settled", "compensated", "released"};

std::string hex_bytes(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// The fields execution_digest covers, as they appear in the receipt.
Json execution_identity(const Json& module_digest, const Json& entry, const Json& input_digest,
                        const Json& context) {
  return Json{{"type", "SAVMExecution"},         {"format_version", kExecutionReceiptVersion},
              {"module_digest", module_digest},  {"entry", entry},
              {"input_digest", input_digest},    {"context", context}};
}

Json digest_set(std::vector<vm::Digest> digests) {
  std::sort(digests.begin(), digests.end());
  digests.erase(std::unique(digests.begin(), digests.end()), digests.end());
  Json out = Json::array();
  for (const auto& d : digests) out.push_back(d.hex());
  return out;
}

Json outcome_json(const vm::Outcome& o) {
  Json out{{"status", std::string(vm::status_name(o.status))}};
  if (o.status == vm::Status::revert) {
    out["code"] = o.revert_code.to_decimal();
    out["message"] = hex_bytes(o.revert_message);
  } else if (o.status == vm::Status::fault) {
    out["fault"] = std::string(vm::fault_kind_name(o.fault));
  }
  return out;
}

Json effects_json(const vm::Effects& e, Json& receipt) {
  Json storage = Json::array();
  for (const auto& c : e.storage) {  // already in ascending (signed) key order
    Json row{{"key", c.key.to_decimal()}};
    if (c.before) row["old"] = c.before->to_decimal();  // absent = the key did not exist
    if (c.after) row["new"] = c.after->to_decimal();
    storage.push_back(std::move(row));
  }
  Json tensor = Json::array();
  for (const auto& u : e.tensor_updates) {
    tensor.push_back(Json{{"asset", id_hex(u.key.asset)},
                          {"jurisdiction", id_hex(u.key.jurisdiction)},
                          {"domain", domain_name(u.key.domain)},
                          {"old", state_name(u.before)},
                          {"new", state_name(u.after)},
                          {"evidence", u.evidence.hex()},
                          {"as_of", u.as_of}});
  }
  Json logs = Json::array();
  for (const auto& l : e.logs) logs.push_back(Json{{"topics", words_to_json(l.topics)}, {"data", hex_bytes(l.data)}});
  Json attestations = Json::array();
  for (const auto& a : e.attestations) {
    attestations.push_back(Json{{"id", id_hex(a.id)},
                                {"asset", id_hex(a.asset)},
                                {"jurisdiction", id_hex(a.jurisdiction)},
                                {"domain", domain_name(a.domain)},
                                {"claim", a.claim.to_decimal()}});
  }
  Json migrations = Json::array();
  for (const auto& m : e.migrations) {
    migrations.push_back(Json{{"op", std::string(kMigrationOpNames[static_cast<int>(m.op)])},
                              {"id", id_hex(m.record.id)},
                              {"asset", id_hex(m.record.asset)},
                              {"jurisdiction", id_hex(m.record.jurisdiction)},
                              {"target", id_hex(m.record.target)},
                              {"amount", m.record.amount.to_decimal()},
                              {"status", std::string(kMigrationStatusNames[static_cast<int>(m.record.status)])}});
  }
  receipt["storage_mutations"] = std::move(storage);
  receipt["tensor_updates"] = std::move(tensor);
  receipt["logs"] = std::move(logs);
  receipt["attestations"] = std::move(attestations);
  receipt["migrations"] = std::move(migrations);
  return receipt;
}

const Json& field(const Json& receipt, const char* name) {
  if (!receipt.is_object() || !receipt.contains(name)) {
    throw Error("receipt.shape", std::string("$.") + name + ": missing");
  }
  return receipt.at(name);
}

}  // namespace

std::string domain_name(vm::Domain domain) { return std::string(kDomainNames[static_cast<int>(domain)]); }
std::string state_name(vm::ComplianceState state) { return std::string(kStateNames[static_cast<int>(state)]); }

vm::Digest execution_digest(const ExecutionRequest& r) {
  return digest_of(canonicalize(execution_identity(r.module_digest.hex(), r.entry,
                                                   vm::sha256(r.input).hex(), context_to_json(r.context))));
}

Json explanation_record(std::span<const vm::TraceEvent> traces) {
  Json list = Json::array();
  for (const auto& t : traces) list.push_back(Json{{"citation", t.code.to_decimal()}, {"args", words_to_json(t.args)}});
  return list;
}

vm::Digest explanation_digest(std::span<const vm::TraceEvent> traces) {
  return digest_of(canonicalize(explanation_record(traces)));
}

Json execution_receipt(const ExecutionRequest& r, const vm::ExecutionResult& result) {
  return execution_receipt(r, result, execution_digest(r));
}

Json execution_receipt(const ExecutionRequest& r, const vm::ExecutionResult& result,
                       const vm::Digest& digest_of_execution) {
  const Json context = context_to_json(r.context);
  const std::string input_digest = vm::sha256(r.input).hex();
  Json receipt{{"type", kExecutionReceiptType},
               {"format_version", kExecutionReceiptVersion},
               {"module_digest", r.module_digest.hex()},
               {"entry", r.entry},
               {"input_digest", input_digest},
               {"context", context},
               {"execution_digest", digest_of_execution.hex()},
               {"prev_receipt_digest", r.prev_receipt_digest.hex()},
               {"sequence", r.context.sequence},
               {"gas_used", result.gas_used},
               {"outcome", outcome_json(result.outcome)},
               {"return", words_to_json(result.returned)},
               {"explanation_digest", explanation_digest(result.effects.traces).hex()},
               {"lawpack_digest_set", digest_set(r.packs.lawpacks)},
               {"regpack_digest_set", digest_set(r.packs.regpacks)},
               {"licensepack_digest_set", digest_set(r.packs.licensepacks)}};
  effects_json(result.effects, receipt);
  // No proof and no receipt_digest yet: the receipt is its own digest payload (no copy).
  receipt["receipt_digest"] = digest_of(canonicalize(receipt)).hex();
  return receipt;
}

vm::Digest receipt_digest(const Json& receipt) {
  if (!receipt.is_object()) throw Error("receipt.shape", "$: a receipt is a JSON object");
  Json body = receipt;
  body.erase("proof");
  body.erase("receipt_digest");
  return digest_of(canonicalize(body));
}

void check_receipt_digests(const Json& receipt) {
  const Json& stated = field(receipt, "receipt_digest");
  if (!stated.is_string() || stated.get<std::string>() != receipt_digest(receipt).hex()) {
    throw Error("receipt.digest", "$.receipt_digest: does not match the receipt's content");
  }
  const Json identity = execution_identity(field(receipt, "module_digest"), field(receipt, "entry"),
                                           field(receipt, "input_digest"), field(receipt, "context"));
  const Json& exec = field(receipt, "execution_digest");
  if (!exec.is_string() || exec.get<std::string>() != digest_of(canonicalize(identity)).hex()) {
    throw Error("receipt.digest", "$.execution_digest: does not match module, entry, input and context");
  }
}

}  // namespace savm::runtime
