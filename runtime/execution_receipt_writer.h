// The execution receipt's fast path: the receipt's canonical bytes streamed from the typed
// request and result by CanonicalWriter, without a JSON tree, then hashed once
// (docs/design/receipt-fast-path.md "Execution receipts"). The shape is the one definition in
// runtime/execution_receipt_fields.h, which also builds the tree form (execution_receipt()), so
// for every request and result:
//   receipt()         == canonicalize(execution_receipt(request, result)).view()
//   receipt_digest()  == receipt_digest(execution_receipt(request, result))
//   context()         == canonicalize(context_to_json(request.context)).view()
//   execution_digest(request) == savm::runtime::execution_digest(request)
// (tests/runtime/execution_receipt_writer_test.cpp checks this over many varied receipts).
//
// A writer is reusable and keeps its buffers; it is not thread-safe (one per thread).
#pragma once

#include <string_view>

#include "runtime/canonical_writer.h"
#include "runtime/execution_receipt.h"
#include "runtime/proof.h"

namespace savm::runtime {

class ExecutionReceiptWriter {
 public:
  // execution_digest(request) without a tree.
  vm::Digest execution_digest(const ExecutionRequest& request);

  // Writes the receipt (receipt_digest included, no proof) and its context. `digest_of_execution`
  // must be execution_digest(request).
  void write(const ExecutionRequest& request, const vm::ExecutionResult& result,
             const vm::Digest& digest_of_execution);

  // Adds a proof by `signer` to the last write()'s receipt, in place (no re-canonicalization): the
  // bytes become canonicalize(sign_document(receipt, key, created)). Once per write(). `created`
  // as for sign_document (Error "proof.created").
  void sign(JwsSigner& signer, std::string_view created);

  // Of the last write():
  std::string_view receipt() const { return receipt_.view(); }
  std::string_view context() const { return context_.view(); }
  const vm::Digest& receipt_digest() const { return receipt_digest_; }
  // The explanation record (the list explanation_digest hashes) and its digest.
  std::string_view explanation() const { return explanation_.view(); }
  const vm::Digest& explanation_digest() const { return explanation_digest_; }

 private:
  CanonicalWriter receipt_;
  CanonicalWriter context_;
  CanonicalWriter explanation_;
  CanonicalWriter scratch_;  // the identity and the proof, used and forgotten
  vm::Digest receipt_digest_{};
  vm::Digest input_digest_{};
  vm::Digest explanation_digest_{};
};

}  // namespace savm::runtime
