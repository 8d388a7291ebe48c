// A receipt as a zone committed it: the canonical bytes it stored (with the proof when the zone
// signs receipts), their digest and the outcome's status. Zone::run_batch returns these rather
// than JSON trees: a batch caller that prints or forwards receipts (`savm run --batch`) needs only
// the bytes, and building a tree per transition cost about an eighth of a grouped transition
// (docs/PERFORMANCE.md "Zone").
#pragma once

#include <string>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"
#include "vm/outcome.h"

namespace savm::runtime {

struct ZoneReceipt {
  vm::Digest digest;  // receipt_digest: SHA-256 of the bytes without "proof" (FORMATS.md)
  std::string bytes;  // canonical JSON, exactly as stored and as `savm replay` reproduces it
  vm::Status status = vm::Status::success;

  // The receipt as a tree, for a caller that inspects its fields.
  Json json() const { return parse_json(bytes); }
};

}  // namespace savm::runtime
