// The corridor verbs of a zone (docs/cli.md, docs/operating-a-zone.md "Corridors"):
//   savm zone corridor open DIR GENESIS.json
//   savm zone corridor export DIR --corridor ID
//   savm zone corridor receive DIR CHAIN.jsonl [--trust PUBKEY_FILE]...
//   savm chain verify DIR --corridor ID | savm chain prove DIR --corridor ID --sequence N
// Thin layers over runtime/zone_corridor.h and zone_corridor_audit.h. Exit 0 ok, 1 a failed
// audit, 2 bad input (and then nothing was written).
#include "cli/zone_corridor_verbs.h"

#include <iostream>
#include <memory>
#include <vector>

#include "cli/command.h"
#include "runtime/corridor_verify.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/zone.h"
#include "runtime/zone_corridor.h"
#include "runtime/zone_corridor_audit.h"

namespace savm::cli {
namespace {

struct CorridorOptions {
  std::string dir;
  std::string file;  // GENESIS.json or CHAIN.jsonl
  std::string corridor;
  std::vector<std::string> trust;
};

int run_open(const CorridorOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  std::cout << zone->open_corridor(runtime::parse_json(read_input(o.file))).hex() << "\n";
  return kOk;
}

int run_export(const CorridorOptions& o) {
  const auto zone = runtime::Zone::open(o.dir);
  std::cout << runtime::export_corridor(zone->store(), o.corridor);
  return kOk;
}

// With --trust, every receipt must be signed, and only by the trusted keys.
int run_receive(const CorridorOptions& o) {
  runtime::SignaturePolicy policy{.require_signatures = !o.trust.empty()};
  for (const auto& file : o.trust) policy.authorized.push_back(runtime::read_public_key_file(file));
  const auto zone = runtime::Zone::open(o.dir);
  const std::string chain = read_input(o.file);
  std::uint64_t appended = 0;
  try {
    appended = zone->receive_corridor(chain, policy);
  } catch (const runtime::Error& e) {
    throw runtime::Error(e.code(), o.file + ": " + e.what());
  }
  std::cout << "received " << appended << " receipts\n";
  return kOk;
}

}  // namespace

int run_corridor_chain_verify(const std::string& dir, const std::string& corridor) {
  const auto zone = runtime::Zone::open(dir);
  const runtime::AuditReport r = runtime::verify_corridor(zone->store(), corridor);
  if (r.failure) {
    std::cout << "FAILED " << r.failure->message << " [" << r.failure->code << "]\n";
    return kVerificationFailed;
  }
  std::cout << "ok corridor " << corridor << " verified: " << r.receipts << " receipts\n";
  return kOk;
}

int run_corridor_chain_prove(const std::string& dir, const std::string& corridor, std::uint64_t sequence) {
  const auto zone = runtime::Zone::open(dir);
  std::cout << runtime::canonicalize(runtime::prove_corridor_receipt(zone->store(), corridor, sequence).to_json()).view()
            << "\n";
  return kOk;
}

void add_zone_corridor_verbs(CLI::App& zone) {
  auto o = std::make_shared<CorridorOptions>();
  CLI::App* corridor = zone.add_subcommand("corridor", "Corridor receipt chains in the zone (MEZ format)");
  corridor->require_subcommand(1);

  CLI::App* open = corridor->add_subcommand("open", "Open a corridor from its genesis input; print its genesis_root");
  open->add_option("dir", o->dir, "the zone directory")->required();
  open->add_option("genesis", o->file,
                   "{corridor_id, definition_payload_sha256, agreement_set_sha256, lawpack_digest_set, "
                   "ruleset_digest_set} (as for savm corridor genesis)")
      ->required();
  on_run(open, [o] { return run_open(*o); });

  CLI::App* exp = corridor->add_subcommand("export", "Print a corridor's receipts as JSON Lines");
  exp->add_option("dir", o->dir, "the zone directory")->required();
  exp->add_option("--corridor", o->corridor, "the corridor_id")->required();
  on_run(exp, [o] { return run_export(*o); });

  CLI::App* receive = corridor->add_subcommand(
      "receive", "Verify a counterparty's corridor chain and append the receipts this zone lacks (all or nothing)");
  receive->add_option("dir", o->dir, "the zone directory")->required();
  receive->add_option("chain", o->file, "the chain, one receipt per line (savm zone corridor export)")->required();
  receive->add_option("--trust", o->trust, "public key file of a signer whose proofs every receipt must carry");
  on_run(receive, [o] { return run_receive(*o); });
}

}  // namespace savm::cli
