// The zone verbs (docs/cli.md, docs/operating-a-zone.md):
//   savm zone init DIR --jurisdiction J
//   savm zone install DIR MODULE.savm...
//   savm run DIR TRANSITION.json | savm run DIR --batch FILE.jsonl
//   savm chain verify DIR [--asset ID]
//   savm replay DIR RECEIPT_DIGEST | savm replay DIR --all
// Thin layers over runtime/zone.h and runtime/zone_audit.h. Exit 0 ok, 1 a non-success outcome
// or a failed audit, 2 bad input (and then nothing was executed or written).
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/zone.h"
#include "runtime/zone_audit.h"

namespace savm::cli {
namespace {

struct ZoneOptions {
  std::string dir;
  std::string jurisdiction;
  std::vector<std::string> modules;
  std::string transition;
  std::string batch;
  std::string asset;
  std::string receipt;
  bool all = false;
};

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

int run_init(const ZoneOptions& o) {
  runtime::Zone::init(o.dir, runtime::ZoneConfig{o.jurisdiction});
  std::cout << "zone " << o.dir << " jurisdiction " << o.jurisdiction << "\n";
  return kOk;
}

int run_install(const ZoneOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  for (const auto& path : o.modules) {
    const std::string bytes = read_input(path);
    runtime::InstalledModule installed;
    try {
      installed = zone->install(bytes_of(bytes));
    } catch (const runtime::Error& e) {
      throw runtime::Error(e.code(), path + ": " + e.what());
    }
    std::cout << "installed sha256:" << installed.digest.hex() << " " << path << "\n";
    for (const auto& e : installed.exports) std::cout << "  export " << e.name << " " << e.kind << "\n";
  }
  return kOk;
}

// Every line is checked before the first one runs: a bad batch executes nothing.
std::vector<runtime::PreparedTransition> prepare_batch(const runtime::Zone& zone, const std::string& text) {
  std::vector<runtime::PreparedTransition> out;
  std::istringstream lines(text);
  std::size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      out.push_back(zone.prepare(runtime::parse_transition_request(line)));
    } catch (const runtime::Error& e) {
      throw runtime::Error(e.code(), "line " + std::to_string(number) + ": " + e.what());
    }
  }
  return out;
}

int run_transitions(const ZoneOptions& o) {
  if (o.transition.empty() == o.batch.empty()) {
    throw runtime::Error("zone.request", "give exactly one of TRANSITION.json or --batch FILE.jsonl");
  }
  const auto zone = runtime::Zone::open(o.dir);
  std::vector<runtime::PreparedTransition> prepared;
  if (o.batch.empty()) {
    prepared.push_back(zone->prepare(runtime::parse_transition_request(read_input(o.transition))));
  } else {
    prepared = prepare_batch(*zone, read_input(o.batch));
  }
  int code = kOk;
  for (const auto& t : prepared) {
    const runtime::Json receipt = zone->run(t);
    if (receipt.at("outcome").at("status") != "success") code = kVerificationFailed;
    std::cout << runtime::canonicalize(receipt).view() << "\n";
  }
  return code;
}

int report(const runtime::AuditReport& r, const std::string& what) {
  if (r.failure) {
    std::cout << "FAILED " << r.failure->message << " [" << r.failure->code << "]\n";
    return kVerificationFailed;
  }
  std::cout << "ok " << what << " " << r.receipts << " receipts, " << r.assets << " assets\n";
  return kOk;
}

int run_chain_verify(const ZoneOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  std::optional<vm::Word> asset;
  if (!o.asset.empty()) asset = runtime::parse_id(o.asset, runtime::IdForm::raw, "--asset");
  return report(runtime::verify_chains(zone->store(), asset), "chains verified:");
}

int run_replay(const ZoneOptions& o) {
  if (o.receipt.empty() == !o.all) throw runtime::Error("zone.request", "give exactly one of RECEIPT_DIGEST or --all");
  const auto zone = runtime::Zone::open(o.dir);
  if (o.all) return report(runtime::replay_all(*zone), "replayed:");
  const vm::Digest digest = runtime::parse_digest(o.receipt, "RECEIPT_DIGEST");
  return report(runtime::replay_receipt(*zone, digest), "replayed " + digest.hex() + ":");
}

}  // namespace

void add_zone_verbs(CLI::App& app) {
  auto o = std::make_shared<ZoneOptions>();
  CLI::App* zone = app.add_subcommand("zone", "Create a zone and install modules into it");
  zone->require_subcommand(1);
  CLI::App* init = zone->add_subcommand("init", "Create a zone directory (SQLite store + content store)");
  init->add_option("dir", o->dir, "the zone directory")->required();
  init->add_option("--jurisdiction", o->jurisdiction, "the zone's jurisdiction (short name, e.g. PK)")->required();
  on_run(init, [o] { return run_init(*o); });
  CLI::App* install = zone->add_subcommand("install", "Verify modules and pin their exports in the lockfile");
  install->add_option("dir", o->dir, "the zone directory")->required();
  install->add_option("modules", o->modules, "the .savm module files")->required();
  on_run(install, [o] { return run_install(*o); });

  CLI::App* run = app.add_subcommand("run", "Run transitions in a zone and print their receipts");
  run->add_option("dir", o->dir, "the zone directory")->required();
  run->add_option("transition", o->transition, "a transition request JSON file (- for stdin)");
  run->add_option("--batch", o->batch, "a file of transition requests, one JSON object per line");
  on_run(run, [o] { return run_transitions(*o); });

  CLI::App* chain = app.add_subcommand("chain", "Audit receipt chains");
  chain->require_subcommand(1);
  CLI::App* verify = chain->add_subcommand("verify", "Recompute every receipt digest and chain link");
  verify->add_option("dir", o->dir, "the zone directory")->required();
  verify->add_option("--asset", o->asset, "only this asset's chain (0x + 64 hex digits)");
  on_run(verify, [o] { return run_chain_verify(*o); });

  CLI::App* replay = app.add_subcommand("replay", "Re-execute receipts and compare them byte for byte");
  replay->add_option("dir", o->dir, "the zone directory")->required();
  replay->add_option("receipt", o->receipt, "the receipt digest to replay");
  replay->add_flag("--all", o->all, "replay every receipt and check the stored state");
  on_run(replay, [o] { return run_replay(*o); });
}

}  // namespace savm::cli
