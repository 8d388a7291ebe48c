// The halting and slice verbs of a zone (docs/cli.md, docs/operating-a-zone.md "Halting an asset"
// and "Cross-zone tensor slices"):
//   savm zone halt DIR --asset ID --reason TEXT | savm zone resume DIR --asset ID --reason TEXT
//   savm zone status DIR --asset ID
//   savm zone import-slice DIR SLICE.json --trust PUBKEY_FILE
// (`savm tensor DIR --asset ID --export` is in zone_verbs.cpp with the other tensor reads.)
// Thin layers over runtime/zone.h, zone_halt.h and tensor_slice.h. Exit 0 ok, 1 the halt log does
// not verify, 2 bad input (nothing written).
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/tensor_slice.h"
#include "runtime/zone.h"
#include "runtime/zone_halt.h"

namespace savm::cli {
namespace {

struct HaltOptions {
  std::string dir;
  std::string asset;
  std::string reason;
  std::string slice;  // the slice document
  std::string trust;
};

vm::Word asset_of(const HaltOptions& o) { return runtime::parse_id(o.asset, runtime::IdForm::raw, "--asset"); }

void print_record(const runtime::HaltRecord& r) {
  std::cout << "  #" << r.sequence << " " << runtime::halt_action_name(r.action) << " " << r.digest.hex() << " " << r.bytes
            << "\n";
}

int run_halt_action(const HaltOptions& o, runtime::HaltAction action) {
  if (o.reason.empty()) throw runtime::Error("zone.request", "--reason: an operator's halt or resume must say why");
  const auto zone = runtime::Zone::open(o.dir);
  const runtime::HaltRecord record = zone->set_halted(asset_of(o), action, o.reason);
  std::cout << (action == runtime::HaltAction::halt ? "halted " : "resumed ") << o.asset << "\n";
  print_record(record);
  return kOk;
}

// The asset's state and records; the whole log's chain is checked first, so a printed record is
// one the log still commits to.
int run_status(const HaltOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  const vm::Word asset = asset_of(o);
  if (const auto problem = runtime::halt_log_problem(zone->store().halt_log(std::nullopt))) {
    std::cout << "FAILED " << *problem << " [zone.halt_log]\n";
    return kVerificationFailed;
  }
  const auto records = zone->store().halt_log(asset);
  std::cout << "asset " << o.asset << " " << (zone->store().halted(asset) ? "halted" : "active") << ", "
            << records.size() << " halt record(s)\n";
  for (const auto& r : records) print_record(r);
  return kOk;
}

int run_import(const HaltOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  runtime::PublicKey trusted = runtime::read_public_key_file(o.trust);
  runtime::VerifiedSlice slice;
  try {
    slice = runtime::verify_slice(runtime::parse_json(read_input(o.slice)), trusted, zone->config().jurisdiction);
  } catch (const runtime::Error& e) {
    throw runtime::Error(e.code(), o.slice + ": " + e.what());
  }
  const auto halts = zone->import_slice(slice);
  std::cout << "imported slice " << slice.digest.hex() << " of " << slice.slice.jurisdiction << " for asset "
            << runtime::id_hex(slice.slice.asset) << ": " << slice.slice.cells.size() << " cell(s)\n";
  for (const auto& r : halts) print_record(r);
  return kOk;
}

}  // namespace

void add_zone_halt_verbs(CLI::App& app) {
  auto o = std::make_shared<HaltOptions>();
  CLI::App* zone = app.get_subcommand("zone");
  const auto halt_verb = [&](const char* name, const char* help, runtime::HaltAction action) {
    CLI::App* verb = zone->add_subcommand(name, help);
    verb->add_option("dir", o->dir, "the zone directory")->required();
    verb->add_option("--asset", o->asset, "the asset (0x + 64 hex digits)")->required();
    verb->add_option("--reason", o->reason, "why, recorded in the halt log")->required();
    on_run(verb, [o, action] { return run_halt_action(*o, action); });
  };
  halt_verb("halt", "Halt an asset: its transitions are refused until it is resumed", runtime::HaltAction::halt);
  halt_verb("resume", "Resume a halted asset", runtime::HaltAction::resume);

  CLI::App* status = zone->add_subcommand("status", "Print an asset's state (active or halted) and its halt records");
  status->add_option("dir", o->dir, "the zone directory")->required();
  status->add_option("--asset", o->asset, "the asset (0x + 64 hex digits)")->required();
  on_run(status, [o] { return run_status(*o); });

  CLI::App* import = zone->add_subcommand("import-slice", "Verify a counterparty's tensor slice and store its cells");
  import->add_option("dir", o->dir, "the zone directory")->required();
  import->add_option("slice", o->slice, "the slice document (savm tensor --export)")->required();
  import->add_option("--trust", o->trust, "the exporting zone's public key file")->required();
  on_run(import, [o] { return run_import(*o); });

}

}  // namespace savm::cli
