// The zone verbs (docs/cli.md, docs/operating-a-zone.md):
//   savm zone init DIR --jurisdiction J [--key KEY] [--sign every|checkpoint] [--checkpoint-every N]
//                  [--halt-on DOMAINS]
//   savm zone install DIR MODULE.savm...
//   savm run DIR TRANSITION.json | savm run DIR --batch FILE.jsonl [--group N]
//   savm chain verify DIR [--asset ID | --corridor ID] | savm chain prove DIR --asset ID|--corridor ID --sequence N
//   savm zone corridor open|export|receive (cli/zone_corridor_verbs.cpp)
//   savm replay DIR RECEIPT_DIGEST | savm replay DIR --all
//   savm tensor DIR --asset ID [--jurisdiction J] | savm tensor DIR --commitment
//   savm tensor DIR --asset ID --export   (the signed slice document, runtime/tensor_slice.h)
// Thin layers over runtime/zone.h, zone_audit.h, zone_inclusion.h and zone_tensor.h. Exit 0 ok, 1 a non-success outcome
// or a failed audit, 2 bad input (and then nothing was executed or written).
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/zone_corridor_verbs.h"
#include "compiler/mizan_signature.h"
#include "runtime/context_json.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/heap_policy.h"
#include "runtime/zone.h"
#include "runtime/execution_receipt.h"
#include "runtime/unix_time.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_inclusion.h"
#include "runtime/tensor_slice.h"
#include "runtime/zone_halt.h"
#include "runtime/zone_tensor.h"

namespace savm::cli {
namespace {

struct ZoneOptions {
  std::string dir;
  std::string jurisdiction;
  std::string key;
  std::string sign;
  std::uint64_t checkpoint_every = 64;
  std::uint64_t sequence = 0;
  bool commitment = false;
  bool export_slice = false;
  std::string halt_on = std::string(runtime::kDefaultHaltOn);
  std::vector<std::string> modules;
  std::string transition;
  std::string batch;
  std::size_t group = runtime::GroupPolicy{}.max_transitions;
  std::string asset;
  std::string corridor;
  std::string receipt;
  bool all = false;
};

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

int run_init(const ZoneOptions& o) {
  runtime::ZoneConfig config(o.jurisdiction);
  config.checkpoint_every = o.checkpoint_every;
  config.key_path = o.key;
  config.halt_on = runtime::parse_halt_on(o.halt_on);
  // A key alone means checkpoint signing: the cheap policy that still signs every receipt's root.
  const std::string sign = o.sign.empty() ? (o.key.empty() ? "none" : "checkpoint") : o.sign;
  const auto policy = runtime::signing_policy_from_name(sign);
  if (!policy) throw runtime::Error("zone.config", "--sign: expected every, checkpoint or none, got \"" + sign + "\"");
  config.signing = *policy;
  runtime::Zone::init(o.dir, config);
  std::cout << "zone " << o.dir << " jurisdiction " << o.jurisdiction << " signing " << sign
            << " checkpoint every " << o.checkpoint_every << " receipts\n";
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
  const std::vector<vm::Word> halted = zone.store().halted_assets();
  std::istringstream lines(text);
  std::size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      out.push_back(zone.prepare(runtime::parse_transition_request(line), halted));
    } catch (const runtime::Error& e) {
      throw runtime::Error(e.code(), "line " + std::to_string(number) + ": " + e.what());
    }
  }
  return out;
}

void draw_progress(std::size_t done, std::size_t total) {
  constexpr std::size_t kWidth = 40;
  const std::size_t filled = done * kWidth / total;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << done << "/" << total
            << std::flush;
}

int run_transitions(const ZoneOptions& o) {
  if (o.transition.empty() == o.batch.empty()) {
    throw runtime::Error("zone.request", "give exactly one of TRANSITION.json or --batch FILE.jsonl");
  }
  runtime::retain_freed_heap();  // a long batch: runtime/heap_policy.h
  // Typed `args` (an object by parameter name) are read with the entry's signature in its module.
  const auto zone = runtime::Zone::open(o.dir, compiler::TypedArgumentEncoder());
  std::vector<runtime::PreparedTransition> prepared;
  if (o.batch.empty()) {
    prepared.push_back(zone->prepare(runtime::parse_transition_request(read_input(o.transition))));
  } else {
    prepared = prepare_batch(*zone, read_input(o.batch));
  }
  // Only a person watching a terminal gets a progress bar; pipes and tests see receipts alone.
  const bool progress = !o.batch.empty() && ::isatty(STDERR_FILENO) == 1;
  int code = kOk;
  // Printed only once durable (acknowledged): a printed receipt survives a crash.
  zone->run_batch(prepared, runtime::GroupPolicy{o.group}, [&](std::size_t i, const runtime::ZoneReceipt& receipt) {
    if (receipt.status != vm::Status::success) code = kVerificationFailed;
    std::cout << receipt.bytes << "\n";
    if (progress) draw_progress(i + 1, prepared.size());
  });
  if (progress) std::cerr << "\n";
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

// The 0x form, or the 64 lowercase hex digits alone: how a Mizan AssetId names this asset (the id
// rule, docs/mizan.md "Ids"), so an id copied from a typed request finds its cells.
vm::Word asset_option(const std::string& text) {
  const bool bare = text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
  return runtime::parse_id(bare ? "0x" + text : text, runtime::IdForm::raw, "--asset");
}

int run_chain_verify(const ZoneOptions& o) {
  if (!o.corridor.empty()) {
    if (!o.asset.empty()) throw runtime::Error("zone.request", "give at most one of --asset ID or --corridor ID");
    return run_corridor_chain_verify(o.dir, o.corridor);
  }
  const auto zone = runtime::Zone::open(o.dir);
  std::optional<vm::Word> asset;
  if (!o.asset.empty()) asset = asset_option(o.asset);
  return report(runtime::verify_chains(zone->store(), asset), "chains verified:");
}

int run_chain_prove(const ZoneOptions& o) {
  if (o.asset.empty() == o.corridor.empty()) throw runtime::Error("zone.request", "give exactly one of --asset ID or --corridor ID");
  if (!o.corridor.empty()) return run_corridor_chain_prove(o.dir, o.corridor, o.sequence);
  const auto zone = runtime::Zone::open(o.dir);
  const runtime::MmrProof proof = runtime::prove_receipt(zone->store(), asset_option(o.asset), o.sequence);
  std::cout << runtime::canonicalize(proof.to_json()).view() << "\n";
  return kOk;
}

// "0x" + 64 hex digits is a raw word; anything else the short name it is in contexts.
vm::Word jurisdiction_option(const std::string& text) {
  const bool raw = text.rfind("0x", 0) == 0 && text.size() == 66;
  return runtime::parse_id(text, raw ? runtime::IdForm::raw : runtime::IdForm::short_string, "--jurisdiction");
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string cell_time(std::int64_t seconds, const char* zero) {
  return seconds == 0 ? zero : runtime::utc_seconds_text(seconds);
}

void print_slice(const std::vector<runtime::TensorSliceCell>& slice) {
  std::cout << padded("jurisdiction", 14) << padded("domain", 21) << padded("state", 31) << padded("as_of", 22)
            << padded("expires", 22) << "evidence\n";
  for (const auto& c : slice) {
    std::string state = runtime::state_name(c.reads_as);
    if (c.reads_as != c.cell.state) state += " (expired: " + runtime::state_name(c.cell.state) + ")";
    std::cout << padded(runtime::jurisdiction_label(c.key.jurisdiction), 14) << padded(runtime::domain_name(c.key.domain), 21)
              << padded(state, 31) << padded(cell_time(c.cell.as_of, "-"), 22)
              << padded(cell_time(c.cell.expires, "never"), 22) << c.cell.evidence.hex() << "\n";
  }
}

// Per domain present in the slice, the pessimistic composition over its jurisdictions.
void print_meet(const std::vector<runtime::TensorSliceCell>& slice) {
  std::vector<vm::Word> jurisdictions;
  std::set<vm::Domain> domains;
  for (const auto& c : slice) {
    if (std::find(jurisdictions.begin(), jurisdictions.end(), c.key.jurisdiction) == jurisdictions.end()) {
      jurisdictions.push_back(c.key.jurisdiction);
    }
    domains.insert(c.key.domain);
  }
  const runtime::DomainStates met = runtime::aggregate(slice, jurisdictions, runtime::Aggregation::meet);
  std::cout << "meet over " << jurisdictions.size() << " jurisdiction(s):";
  for (const vm::Domain d : domains) {
    std::cout << " " << runtime::domain_name(d) << "=" << runtime::state_name(met[static_cast<std::size_t>(d)]);
  }
  std::cout << "\n";
}

int run_tensor(const ZoneOptions& o) {
  if (o.commitment == !o.asset.empty()) throw runtime::Error("zone.request", "give exactly one of --asset ID or --commitment");
  const auto zone = runtime::Zone::open(o.dir);
  if (o.commitment) {
    std::cout << runtime::tensor_commitment(zone->store()).hex() << "\n";
    return kOk;
  }
  if (o.export_slice) {
    if (!o.jurisdiction.empty()) throw runtime::Error("zone.request", "--export slices the zone's own jurisdiction; drop --jurisdiction");
    const runtime::ZoneSigner signer(zone->config());
    std::cout << runtime::canonicalize(runtime::export_slice(zone->store(), zone->config(), signer, asset_option(o.asset))).view()
              << "\n";
    return kOk;
  }
  std::optional<vm::Word> jurisdiction;
  if (!o.jurisdiction.empty()) jurisdiction = jurisdiction_option(o.jurisdiction);
  const std::int64_t now = runtime::latest_transition_time(zone->store());
  const auto slice = runtime::tensor_slice(zone->store(), asset_option(o.asset), jurisdiction, now);
  std::cout << "asset " << o.asset << ", read at " << runtime::utc_seconds_text(now)
            << " (the zone's latest transition), " << slice.size() << " cells\n";
  print_slice(slice);
  if (!slice.empty()) print_meet(slice);
  return kOk;
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
  init->add_option("--key", o->key, "the key pair file the zone signs with (savm keygen)");
  init->add_option("--sign", o->sign, "what the key signs: every (receipt and checkpoint) or checkpoint (default with --key)");
  init->add_option("--checkpoint-every", o->checkpoint_every, "a checkpoint after every N receipts of an asset (default 64)");
  init->add_option("--halt-on", o->halt_on, "domains whose non_compliant cells halt their asset (comma list, default sanctions; \"\" = none)");
  on_run(init, [o] { return run_init(*o); });
  CLI::App* install = zone->add_subcommand("install", "Verify modules and pin their exports in the lockfile");
  install->add_option("dir", o->dir, "the zone directory")->required();
  install->add_option("modules", o->modules, "the .savm module files")->required();
  on_run(install, [o] { return run_install(*o); });
  add_zone_corridor_verbs(*zone);

  CLI::App* run = app.add_subcommand("run", "Run transitions in a zone and print their receipts");
  run->add_option("dir", o->dir, "the zone directory")->required();
  run->add_option("transition", o->transition, "a transition request JSON file (- for stdin)");
  run->add_option("--batch", o->batch, "a file of transition requests, one JSON object per line");
  run->add_option("--group", o->group,
                  "transitions per durable commit (group commit; default 256, 1 = durable per transition)");
  on_run(run, [o] { return run_transitions(*o); });

  CLI::App* chain = app.add_subcommand("chain", "Audit receipt chains");
  chain->require_subcommand(1);
  CLI::App* verify = chain->add_subcommand("verify", "Recompute every receipt digest and chain link");
  verify->add_option("dir", o->dir, "the zone directory")->required();
  verify->add_option("--asset", o->asset, "only this asset's chain (0x + 64 hex digits)");
  verify->add_option("--corridor", o->corridor, "only this corridor's chain (its corridor_id)");
  on_run(verify, [o] { return run_chain_verify(*o); });
  CLI::App* prove = chain->add_subcommand("prove", "Print an MMR inclusion proof of one receipt against the latest checkpoint");
  prove->add_option("dir", o->dir, "the zone directory")->required();
  prove->add_option("--asset", o->asset, "the asset (0x + 64 hex digits)");
  prove->add_option("--corridor", o->corridor, "or the corridor (its corridor_id)");
  prove->add_option("--sequence", o->sequence, "the receipt's sequence in the asset's or corridor's chain")->required();
  on_run(prove, [o] { return run_chain_prove(*o); });

  CLI::App* tensor = app.add_subcommand("tensor", "Show an asset's compliance tensor slice, or the tensor commitment");
  tensor->add_option("dir", o->dir, "the zone directory")->required();
  tensor->add_option("--asset", o->asset, "the asset whose cells to show (0x + 64 hex digits)");
  tensor->add_option("--jurisdiction", o->jurisdiction, "only this jurisdiction's cells (short name or 0x form)");
  tensor->add_flag("--commitment", o->commitment, "print the tensor commitment (RFC 6962 Merkle root over all cells)");
  tensor->add_flag("--export", o->export_slice, "print the asset's signed tensor-slice document (zone import-slice reads it)");
  on_run(tensor, [o] { return run_tensor(*o); });

  CLI::App* replay = app.add_subcommand("replay", "Re-execute receipts and compare them byte for byte");
  replay->add_option("dir", o->dir, "the zone directory")->required();
  replay->add_option("receipt", o->receipt, "the receipt digest to replay");
  replay->add_flag("--all", o->all, "replay every receipt and check the stored state");
  on_run(replay, [o] { return run_replay(*o); });
}

}  // namespace savm::cli
