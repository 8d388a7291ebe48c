// The derivation behind a zone receipt (docs/cli.md, docs/operating-a-zone.md "Explanations"):
//   savm zone explain DIR RECEIPT_DIGEST
// Prints the receipt's entry and outcome, then each traced step with its citations. Exit 0, or 2
// for an unknown receipt or a missing or tampered explanation record.
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/digest.h"
#include "runtime/zone_explanation.h"

namespace savm::cli {
namespace {

struct ExplainOptions {
  std::string dir;
  std::string receipt;
};

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : ", ") + a;
  return out;
}

int run_explain(const ExplainOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  const auto e = runtime::explain_receipt(*zone, runtime::parse_digest(o.receipt, "RECEIPT_DIGEST"));
  const runtime::Json& r = e.receipt;
  std::cout << "receipt " << r.at("receipt_digest").get<std::string>() << " (asset "
            << r.at("context").at("asset_id").get<std::string>() << ", sequence " << r.at("sequence") << "): "
            << r.at("entry").get<std::string>() << " " << r.at("outcome").at("status").get<std::string>() << "\n";
  std::cout << "explanation sha256:" << e.digest.hex() << ", " << e.steps.size() << " steps\n";
  for (std::size_t i = 0; i < e.steps.size(); ++i) {
    const auto& step = e.steps[i];
    std::cout << "  " << i + 1 << ". " << step.text;
    if (!step.args.empty()) std::cout << "  [" << joined(step.args) << "]";
    std::cout << "\n";
  }
  return kOk;
}

}  // namespace

void add_zone_explain_verbs(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* explain = app.get_subcommand("zone")->add_subcommand("explain", "Print the derivation stored with a receipt, with its citations");
  explain->add_option("dir", o->dir, "the zone directory")->required();
  explain->add_option("receipt", o->receipt, "the receipt digest (64 hex digits)")->required();
  on_run(explain, [o] { return run_explain(*o); });
}

}  // namespace savm::cli
