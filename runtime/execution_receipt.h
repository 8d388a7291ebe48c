// The SAVM execution receipt: canonical JSON (MCF), hashed and chained per asset
// (docs/receipts.md). Same module + input + context + prior state => byte-identical receipt.
//
// Wire conventions: numeric words are signed decimal strings ("-5"); identifiers (context ids,
// attestation and lock ids) are "0x" + 64 hex digits; digests are 64 lowercase hex digits; byte
// strings are lowercase hex; domains and states are their FORMATS.md names.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"
#include "vm/host.h"
#include "vm/outcome.h"

namespace savm::runtime {

inline constexpr std::string_view kExecutionReceiptType = "SAVMExecutionReceipt";
inline constexpr std::int64_t kExecutionReceiptVersion = 1;

// Digest sets of the packs the execution ran under (normalized: sorted, de-duplicated).
struct PackDigests {
  std::vector<vm::Digest> lawpacks;
  std::vector<vm::Digest> regpacks;
  std::vector<vm::Digest> licensepacks;
};

// What identifies an execution before it runs.
struct ExecutionRequest {
  vm::Digest module_digest;
  std::string entry;
  std::vector<std::uint8_t> input;  // ABI bytes (vm/abi.h)
  vm::ExecutionContext context;     // context.execution_digest is ignored here (computed)
  vm::Digest prev_receipt_digest;   // zero at the genesis of the asset's chain
  PackDigests packs;
};

// execution_digest = SHA-256(MCF({"type":"SAVMExecution","format_version":1, module_digest,
// entry, input_digest, context})). Give it to the VM (ExecutionContext::execution_digest): every
// id the execution derives hangs off it.
vm::Digest execution_digest(const ExecutionRequest& request);

// The full receipt, receipt_digest included, no proof.
Json execution_receipt(const ExecutionRequest& request, const vm::ExecutionResult& result);
// The same, for an executor that computed execution_digest(request) already (to run the VM):
// `digest_of_execution` must be that digest.
Json execution_receipt(const ExecutionRequest& request, const vm::ExecutionResult& result,
                       const vm::Digest& digest_of_execution);

// SHA-256(MCF(receipt without "proof" and "receipt_digest")). Throws Error "receipt.shape" if
// `receipt` is not an object.
vm::Digest receipt_digest(const Json& receipt);

// Recomputes receipt_digest and execution_digest; throws Error "receipt.digest" naming the
// field that does not match, "receipt.shape" for a missing or mistyped field.
void check_receipt_digests(const Json& receipt);

// The receipt's explanation_digest: SHA-256 of the canonical explanation record, the TRACE events
// in order as [{"args": ["<decimal>", ...], "citation": "<n>"}, ...] (the citation indexes the
// module's citation table). A zone stores the record's bytes under this digest.
vm::Digest explanation_digest(std::span<const vm::TraceEvent> traces);

std::string domain_name(vm::Domain domain);
std::string state_name(vm::ComplianceState state);

}  // namespace savm::runtime
