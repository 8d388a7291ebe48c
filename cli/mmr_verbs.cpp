// savm mmr root | prove | verify: the Merkle Mountain Range over receipt roots (docs/cli.md).
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/error.h"
#include "runtime/mcf.h"
#include "runtime/mmr.h"

namespace savm::cli {
namespace {

struct RootsArgs {
  std::string file;
  std::uint64_t index = 0;
};

struct MmrVerifyArgs {
  std::string proof;
  std::string root;
  std::string next_root;
};

runtime::Mmr mmr_of(const std::string& file) {
  runtime::Mmr mmr;
  for (const runtime::Digest& next_root : runtime::parse_next_root_lines(read_input(file))) mmr.append(next_root);
  return mmr;
}

int root(const RootsArgs& args) {
  std::cout << mmr_of(args.file).root_hex() << "\n";
  return kOk;
}

int prove(const RootsArgs& args) {
  std::cout << runtime::canonicalize(mmr_of(args.file).prove(args.index).to_json()).str() << "\n";
  return kOk;
}

// A proof only shows its leaf is under ITS root; --root / --next-root pin what the caller trusts.
int verify_inclusion_proof(const MmrVerifyArgs& args) {
  const runtime::MmrProof proof = runtime::MmrProof::from_json(runtime::parse_json(read_input(args.proof)));
  std::string failure;
  if (!runtime::verify_inclusion(proof)) {
    failure = "the path does not lead to the proof's root";
  } else if (!args.root.empty() &&
             !vm::equal_constant_time(runtime::parse_mmr_hex(args.root, "--root"), proof.root)) {
    failure = "the proof's root is not --root";
  } else if (!args.next_root.empty() && runtime::parse_mmr_hex(args.next_root, "--next-root") != proof.receipt_next_root) {
    failure = "the proven next_root is not --next-root";
  }
  if (!failure.empty()) {
    std::cout << "FAILED leaf " << proof.leaf_index << " of " << proof.size << ": " << failure << "\n";
    return kVerificationFailed;
  }
  std::cout << "ok leaf " << proof.leaf_index << " of " << proof.size << " next_root " << proof.receipt_next_root.hex()
            << " root " << proof.root.hex() << "\n";
  return kOk;
}

}  // namespace

void add_mmr_verbs(CLI::App& app) {
  CLI::App* mmr = app.add_subcommand("mmr", "Merkle Mountain Range over receipt next_roots");
  mmr->require_subcommand(1);

  auto root_args = std::make_shared<RootsArgs>();
  CLI::App* root_verb = mmr->add_subcommand("root", "Print the MMR root of next_roots (one 64-hex per line)");
  root_verb->add_option("FILE", root_args->file, "next_roots, or - for standard input");
  on_run(root_verb, [root_args] { return root(*root_args); });

  auto prove_args = std::make_shared<RootsArgs>();
  CLI::App* prove_verb = mmr->add_subcommand("prove", "Print the inclusion proof of one leaf as JSON");
  prove_verb->add_option("--index", prove_args->index, "0-based leaf index")->required();
  prove_verb->add_option("FILE", prove_args->file, "next_roots, or - for standard input");
  on_run(prove_verb, [prove_args] { return prove(*prove_args); });

  auto verify_args = std::make_shared<MmrVerifyArgs>();
  CLI::App* verify_verb = mmr->add_subcommand("verify", "Check an inclusion proof");
  verify_verb->add_option("PROOF", verify_args->proof, "Proof JSON, or - for standard input");
  verify_verb->add_option("--root", verify_args->root, "Require this MMR root (64 hex)");
  verify_verb->add_option("--next-root", verify_args->next_root, "Require this proven next_root (64 hex)");
  on_run(verify_verb, [verify_args] { return verify_inclusion_proof(*verify_args); });
}

}  // namespace savm::cli
