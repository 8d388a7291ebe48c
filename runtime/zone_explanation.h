// The derivation behind a zone receipt (docs/operating-a-zone.md "Explanations"): the execution's
// TRACE events, stored with the receipt under its explanation_digest, read back with the
// citation texts of the module that ran. A compiled Mizan transition traces every rule, table
// row, exception, default and rounding it used, each with its citations ("rule
// pk.ito2001.wht_153 cites \"ITO 2001 s.153(1)(a)\"").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/zone.h"

namespace savm::runtime {

struct ExplanationStep {
  std::uint64_t citation = 0;  // index into the module's citation table
  std::string text;            // that entry, or "citation #N" past the table's end
  std::vector<std::string> args;  // the TRACE arguments, signed decimal
};

struct ReceiptExplanation {
  Json receipt;
  vm::Digest digest;  // the explanation_digest the receipt commits to
  std::vector<ExplanationStep> steps;
};

// Throws "zone.unknown_receipt" (no such receipt), "zone.explanation" (the record the receipt
// names is missing, does not have its digest, or is malformed: tampering or a lost row), and the
// content store's codes for the module.
ReceiptExplanation explain_receipt(const Zone& zone, const vm::Digest& receipt);

}  // namespace savm::runtime
