#include "runtime/zone_explanation.h"

#include "runtime/error.h"
#include "runtime/execution_receipt.h"

namespace savm::runtime {
namespace {

[[noreturn]] void bad_record(const vm::Digest& receipt, const std::string& why) {
  throw Error("zone.explanation", "receipt " + receipt.hex() + ": " + why);
}

ExplanationStep step_of(const Json& event, const std::vector<std::string>& citations) {
  ExplanationStep step;
  const auto index = vm::Word::from_decimal(event.at("citation").get<std::string>());
  if (!index || index->limb[1] != 0 || index->limb[2] != 0 || index->limb[3] != 0) throw std::invalid_argument("citation");
  step.citation = index->limb[0];
  step.text = step.citation < citations.size() ? citations[step.citation]
                                                : "citation #" + std::to_string(step.citation);
  for (const Json& a : event.at("args")) step.args.push_back(a.get<std::string>());
  return step;
}

}  // namespace

ReceiptExplanation explain_receipt(const Zone& zone, const vm::Digest& receipt) {
  const auto stored = zone.store().find_receipt(receipt);
  if (!stored) throw Error("zone.unknown_receipt", receipt.hex() + ": no such receipt in the zone");
  ReceiptExplanation out;
  out.receipt = parse_json(stored->bytes);
  const auto digest = Digest::from_hex(out.receipt.value("explanation_digest", std::string()));
  if (!digest) bad_record(receipt, "the receipt has no explanation_digest");
  out.digest = *digest;
  if (out.digest == explanation_digest({})) return out;  // the execution traced nothing
  const auto record = zone.store().find_explanation(out.digest);
  if (!record) bad_record(receipt, "no explanation record " + out.digest.hex() + " is stored");
  if (vm::sha256(*record) != out.digest) bad_record(receipt, "the stored explanation record does not have digest " + out.digest.hex());
  const auto& citations = zone.module(stored->transition.module)->module().metadata.citations;
  try {
    for (const Json& event : parse_json(*record)) out.steps.push_back(step_of(event, citations));
  } catch (const std::exception& e) {
    bad_record(receipt, std::string("the stored explanation record is malformed: ") + e.what());
  }
  return out;
}

}  // namespace savm::runtime
