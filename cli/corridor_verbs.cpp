// savm corridor genesis | next-root | append | verify: MEZ corridor receipt chains (docs/cli.md).
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "runtime/corridor_chain.h"
#include "runtime/corridor_checkpoint.h"
#include "runtime/corridor_receipt.h"
#include "runtime/corridor_verify.h"
#include "runtime/digest.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/proof.h"
#include "runtime/receipt_producer.h"

namespace savm::cli {
namespace {

struct ChainArgs {
  std::string genesis;
  std::string chain;
  std::string checkpoint;        // trusted: verify only the tail after it
  std::string match_checkpoint;  // the whole chain must reproduce it
  bool require_signatures = false;
  std::vector<std::string> signers;
  std::string timestamp;
  // append only
  std::string receipt_template;
  std::string key;
};

runtime::Json read_json(const std::string& path) { return runtime::parse_json(read_input(path)); }

int genesis(const std::string& file) {
  std::cout << runtime::CorridorGenesis::from_json(read_json(file)).root().hex() << "\n";
  return kOk;
}

int next_root(const std::string& file) {
  std::cout << runtime::compute_next_root(read_json(file)).hex() << "\n";
  return kOk;
}

runtime::ChainStart chain_start(const ChainArgs& args) {
  runtime::ChainStart start{.genesis_root = runtime::parse_digest(args.genesis, "--genesis")};
  if (!args.checkpoint.empty()) {
    start.trusted = runtime::CorridorCheckpoint::from_json(read_json(args.checkpoint));
  }
  if (!args.match_checkpoint.empty()) {
    start.expected = runtime::CorridorCheckpoint::from_json(read_json(args.match_checkpoint));
  }
  return start;
}

runtime::SignaturePolicy signature_policy(const ChainArgs& args) {
  runtime::SignaturePolicy policy{.require_signatures = args.require_signatures};
  for (const std::string& file : args.signers) {
    policy.authorized.push_back(runtime::read_public_key_file(file));
  }
  return policy;
}

// Verifies CHAIN under the arguments; on failure reports it on stderr and returns the exit code.
std::optional<int> report_failure(const runtime::ChainVerification& result) {
  if (result.ok()) return std::nullopt;
  const runtime::ChainFailure& f = *result.failure;
  if (f.index) {
    std::cerr << "receipt " << *f.index;
    if (f.sequence) std::cerr << " (sequence " << *f.sequence << ")";
  } else {
    std::cerr << "checkpoint";
  }
  std::cerr << ": " << f.reason << " [" << f.code << "]\n";
  return f.malformed ? kBadInput : kVerificationFailed;
}

int verify(const ChainArgs& args) {
  const runtime::ChainStart start = chain_start(args);
  const runtime::SignaturePolicy policy = signature_policy(args);
  const runtime::ChainVerification result =
      runtime::verify_chain_lines(start, read_input(args.chain), policy);
  if (auto code = report_failure(result)) return *code;
  if (!result.chain || result.chain->height() == 0) {
    throw runtime::Error("chain.empty", args.chain + ": no receipts to verify");
  }
  const std::string timestamp = args.timestamp.empty() ? result.head_timestamp : args.timestamp;
  std::cout << runtime::canonicalize(result.chain->checkpoint(timestamp).to_json()).str() << "\n";
  return kOk;
}

// The next receipt of a verified chain: the template's content, linked and sealed (and signed).
int append(const ChainArgs& args) {
  const runtime::ChainStart start = chain_start(args);
  const runtime::ChainVerification existing =
      runtime::verify_chain_lines(start, read_input(args.chain), signature_policy(args));
  if (auto code = report_failure(existing)) return *code;

  runtime::Json receipt = read_json(args.receipt_template);
  if (!receipt.is_object()) {
    throw runtime::Error("corridor.field", args.receipt_template + ": $: expected an object");
  }
  receipt.erase("next_root");
  receipt.erase("proof");
  if (!receipt.contains("type")) receipt["type"] = runtime::kReceiptType;
  if (existing.chain) {
    if (!receipt.contains("corridor_id")) receipt["corridor_id"] = existing.chain->corridor_id();
    receipt["sequence"] = existing.chain->height();
    receipt["prev_root"] = existing.chain->head().hex();
  } else {
    receipt["sequence"] = start.trusted ? start.trusted->receipt_count : 0;
    receipt["prev_root"] =
        (start.trusted ? start.trusted->final_state_root : start.genesis_root).hex();
  }
  // The library's receipt producer writes the canonical bytes directly (the same bytes as
  // seal_receipt + sign_document, docs/design/receipt-fast-path.md); one producer for both.
  runtime::ReceiptProducer producer;
  producer.seal(runtime::ReceiptDraft::from_json(receipt));
  const runtime::CorridorReceipt sealed = runtime::CorridorReceipt::parse(producer.view());
  // The appended receipt must extend the verified chain (corridor_id, link) before it is printed.
  runtime::CorridorChain chain = existing.chain
                                     ? *existing.chain
                                     : (start.trusted ? runtime::CorridorChain::resume(*start.trusted)
                                                      : runtime::CorridorChain(sealed.corridor_id(),
                                                                               start.genesis_root));
  chain.append(sealed);

  if (!args.key.empty()) {
    // The proof's "created" is the receipt's own timestamp: no clock.
    const runtime::KeyPair key = runtime::read_key_file(args.key);
    runtime::JwsSigner signer(key);
    producer.sign(signer, sealed.json()["timestamp"].get<std::string>());
  }
  std::cout << producer.view() << "\n";
  return kOk;
}

void add_chain_options(CLI::App* verb, ChainArgs& args) {
  verb->add_option("--genesis", args.genesis, "The corridor's genesis root (64 hex)")->required();
  verb->add_option("CHAIN", args.chain, "Receipts, one JSON object per line (- for stdin)")->required();
  verb->add_option("--checkpoint", args.checkpoint,
                   "Trusted checkpoint: CHAIN holds only the receipts after it");
  verb->add_option("--match-checkpoint", args.match_checkpoint,
                   "Checkpoint the whole CHAIN must reproduce (head, MMR root, digest sets)");
  CLI::Option* signer =
      verb->add_option("--signer", args.signers, "Public key (or key pair) file of an authorized signer");
  verb->add_flag("--require-signatures", args.require_signatures,
                 "Every receipt must be signed, only by --signer keys")
      ->needs(signer);
}

}  // namespace

void add_corridor_verbs(CLI::App& app) {
  CLI::App* corridor = app.add_subcommand("corridor", "MEZ corridor receipt chains and checkpoints");
  corridor->require_subcommand(1);

  auto genesis_file = std::make_shared<std::string>();
  CLI::App* genesis_verb = corridor->add_subcommand("genesis", "Print a corridor's genesis root");
  genesis_verb->add_option("FILE", *genesis_file,
                           "{corridor_id, definition_payload_sha256, agreement_set_sha256, "
                           "lawpack_digest_set, ruleset_digest_set}, or - for stdin");
  on_run(genesis_verb, [genesis_file] { return genesis(*genesis_file); });

  auto receipt_file = std::make_shared<std::string>();
  CLI::App* next_root_verb = corridor->add_subcommand("next-root", "Print a receipt's next_root");
  next_root_verb->add_option("RECEIPT", *receipt_file, "Receipt JSON (next_root may be absent)");
  on_run(next_root_verb, [receipt_file] { return next_root(*receipt_file); });

  auto verify_args = std::make_shared<ChainArgs>();
  CLI::App* verify_verb =
      corridor->add_subcommand("verify", "Verify a receipt chain; print its checkpoint");
  add_chain_options(verify_verb, *verify_args);
  verify_verb->add_option("--timestamp", verify_args->timestamp,
                          "Checkpoint timestamp (default: the last receipt's)");
  on_run(verify_verb, [verify_args] { return verify(*verify_args); });

  auto append_args = std::make_shared<ChainArgs>();
  CLI::App* append_verb = corridor->add_subcommand(
      "append", "Print the next receipt of CHAIN: TEMPLATE linked, sealed and optionally signed");
  add_chain_options(append_verb, *append_args);
  append_verb->add_option("TEMPLATE", append_args->receipt_template,
                          "Receipt content: timestamp, digest sets, transition...")
      ->required();
  append_verb->add_option("--key", append_args->key, "Key pair file to sign the receipt with");
  on_run(append_verb, [append_args] { return append(*append_args); });
}

}  // namespace savm::cli
