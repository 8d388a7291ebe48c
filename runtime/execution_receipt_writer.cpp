#include "runtime/execution_receipt_writer.h"

#include "runtime/execution_receipt_fields.h"

namespace savm::runtime {

vm::Digest ExecutionReceiptWriter::execution_digest(const ExecutionRequest& request) {
  scratch_.reset();
  receipt_fields::identity(scratch_, receipt_fields::TypedIdentity{request, vm::sha256(request.input)});
  return vm::sha256(scratch_.view());
}

void ExecutionReceiptWriter::write(const ExecutionRequest& request, const vm::ExecutionResult& result,
                                   const vm::Digest& digest_of_execution) {
  explanation_.reset();
  receipt_fields::explanation(explanation_, std::span<const vm::TraceEvent>(result.effects.traces));
  explanation_digest_ = vm::sha256(explanation_.view());
  input_digest_ = vm::sha256(request.input);
  receipt_.reset();
  receipt_fields::receipt(receipt_, receipt_fields::TypedIdentity{request, input_digest_}, result,
                          digest_of_execution, explanation_digest_);
  receipt_digest_ = vm::sha256(receipt_.view());
  receipt_.insert_member("receipt_digest", receipt_digest_.hex());
  context_.reset();
  receipt_fields::context(context_, request.context);
}

// The payload a proof covers is the document without "proof": the receipt as written.
void ExecutionReceiptWriter::sign(JwsSigner& signer, std::string_view created) {
  write_proof_object(scratch_, proof_created(created), signer.verification_method(), signer.jws(receipt_));
  receipt_.insert_member("proof", scratch_);
}

}  // namespace savm::runtime
