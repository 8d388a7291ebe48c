// savm keygen | sign | verify: Ed25519 key files and MEZ proof objects (docs/cli.md).
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/proof.h"

namespace savm::cli {
namespace {

struct KeygenArgs {
  std::string out;
  std::string public_out;
};

struct SignArgs {
  std::string key;
  std::string file;
  std::string created;
};

struct SignatureVerifyArgs {
  std::string file;
  std::vector<std::string> signers;
};

int keygen(const KeygenArgs& args) {
  const runtime::KeyPair key = runtime::KeyPair::generate();
  runtime::write_key_file(args.out, key);
  if (!args.public_out.empty()) runtime::write_public_key_file(args.public_out, key.public_key());
  std::cout << runtime::verification_method(key.public_key()) << "\n";
  return kOk;
}

// "created" is a claim the signer makes, so it comes from the command line or the document's own
// "timestamp" (receipts carry one), never from this machine's clock.
std::string created_for(const runtime::Json& document, const std::string& option) {
  if (!option.empty()) return option;
  const auto it = document.find("timestamp");
  if (it != document.end() && it->is_string()) return it->get<std::string>();
  throw runtime::Error("proof.created", "no --created given and the document has no string \"timestamp\"");
}

int sign(const SignArgs& args) {
  const runtime::KeyPair key = runtime::read_key_file(args.key);
  const runtime::Json document = runtime::parse_json(read_input(args.file));
  const runtime::Json signed_document = runtime::sign_document(document, key, created_for(document, args.created));
  std::cout << runtime::canonicalize(signed_document).str() << "\n";
  return kOk;
}

int verify_signature(const SignatureVerifyArgs& args) {
  std::vector<runtime::PublicKey> trusted;
  for (const std::string& path : args.signers) trusted.push_back(runtime::read_public_key_file(path));
  const runtime::DocumentVerification result =
      runtime::verify_document(runtime::parse_json(read_input(args.file)));
  if (!result.failure.empty()) {
    std::cout << "FAILED " << result.failure << ": the document carries no proof\n";
    return kVerificationFailed;
  }
  bool all_ok = true;
  for (const runtime::ProofCheck& check : result.proofs) {
    std::string failure = check.failure, detail = check.detail;
    if (failure.empty() && !trusted.empty() &&
        std::find(trusted.begin(), trusted.end(), *check.signer) == trusted.end()) {
      failure = "proof.untrusted";
      detail = "the signer is not one of the --signer keys";
    }
    all_ok = all_ok && failure.empty();
    std::cout << "proof " << check.index << ": " << (failure.empty() ? "ok" : "FAILED " + failure) << " "
              << (check.signer ? runtime::verification_method(*check.signer) : "-") << " created "
              << (check.created.empty() ? "-" : check.created);
    if (!detail.empty()) std::cout << " (" << detail << ")";
    std::cout << "\n";
  }
  return all_ok ? kOk : kVerificationFailed;
}

}  // namespace

void add_key_verbs(CLI::App& app) {
  auto keygen_args = std::make_shared<KeygenArgs>();
  CLI::App* keygen_verb = app.add_subcommand("keygen", "Create an Ed25519 key pair file (mode 0600)");
  keygen_verb->add_option("--out", keygen_args->out, "Key pair file to create (never overwritten)")->required();
  keygen_verb->add_option("--public-out", keygen_args->public_out, "Also write a public key file");
  on_run(keygen_verb, [keygen_args] { return keygen(*keygen_args); });

  auto sign_args = std::make_shared<SignArgs>();
  CLI::App* sign_verb = app.add_subcommand("sign", "Add an Ed25519 proof to a JSON document; print it canonical");
  sign_verb->add_option("--key", sign_args->key, "Key pair file")->required();
  sign_verb->add_option("--created", sign_args->created,
                        "RFC 3339 time the proof claims (default: the document's \"timestamp\")");
  sign_verb->add_option("FILE", sign_args->file, "Document, or - for standard input");
  on_run(sign_verb, [sign_args] { return sign(*sign_args); });

  auto verify_args = std::make_shared<SignatureVerifyArgs>();
  CLI::App* verify_verb = app.add_subcommand("verify", "Check every proof of a signed JSON document");
  verify_verb->add_option("FILE", verify_args->file, "Signed document, or - for standard input");
  verify_verb->add_option("--signer", verify_args->signers,
                          "Key file of an authorized signer (repeatable); other signers then fail");
  on_run(verify_verb, [verify_args] { return verify_signature(*verify_args); });
}

}  // namespace savm::cli
