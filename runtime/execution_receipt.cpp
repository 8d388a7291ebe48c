#include "runtime/execution_receipt.h"

#include "runtime/canonical_writer.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/execution_receipt_fields.h"
#include "runtime/json_tree_writer.h"

namespace savm::runtime {
namespace {

// The shape is runtime/execution_receipt_fields.h's; these build its tree form.
template <class Write>
Json tree(Write&& write) {
  JsonTreeWriter w;
  write(w);
  return w.take();
}

const Json& field(const Json& receipt, const char* name) {
  if (!receipt.is_object() || !receipt.contains(name)) {
    throw Error("receipt.shape", std::string("$.") + name + ": missing");
  }
  return receipt.at(name);
}

}  // namespace

std::string domain_name(vm::Domain domain) { return std::string(receipt_fields::domain(domain)); }
std::string state_name(vm::ComplianceState state) { return std::string(receipt_fields::state(state)); }

vm::Digest execution_digest(const ExecutionRequest& r) {
  const receipt_fields::TypedIdentity identity{r, vm::sha256(r.input)};
  return digest_of(canonicalize(tree([&](JsonTreeWriter& w) { receipt_fields::identity(w, identity); })));
}

vm::Digest explanation_digest(std::span<const vm::TraceEvent> traces) {
  return digest_of(canonicalize(tree([&](JsonTreeWriter& w) { receipt_fields::explanation(w, traces); })));
}

Json execution_receipt(const ExecutionRequest& r, const vm::ExecutionResult& result) {
  return execution_receipt(r, result, execution_digest(r));
}

Json execution_receipt(const ExecutionRequest& r, const vm::ExecutionResult& result,
                       const vm::Digest& digest_of_execution) {
  const receipt_fields::TypedIdentity identity{r, vm::sha256(r.input)};
  const vm::Digest explanation = explanation_digest(result.effects.traces);
  Json receipt = tree([&](JsonTreeWriter& w) {
    receipt_fields::receipt(w, identity, result, digest_of_execution, explanation);
  });
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
  const receipt_fields::JsonIdentity identity{field(receipt, "context"), field(receipt, "entry"),
                                              field(receipt, "input_digest"), field(receipt, "module_digest")};
  CanonicalWriter payload;
  receipt_fields::identity(payload, identity);
  const Json& exec = field(receipt, "execution_digest");
  if (!exec.is_string() || exec.get<std::string>() != vm::sha256(payload.view()).hex()) {
    throw Error("receipt.digest", "$.execution_digest: does not match module, entry, input and context");
  }
}

}  // namespace savm::runtime
