// savm canon / savm digest: the canonical bytes of a JSON document and their SHA-256.
//
// Output is exactly the canonical bytes (or the 64 lowercase hex digits) followed by one "\n",
// whatever stdout is, so scripts get the same bytes a terminal shows; strip the newline to
// recover the exact canonical bytes (`savm canon doc.json | head -c -1`).
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/digest.h"
#include "runtime/mcf.h"

namespace savm::cli {

void add_json_verbs(CLI::App& app) {
  // The option values must outlive this function: CLI11 writes them during app.parse().
  auto input = std::make_shared<std::string>("-");
  CLI::App* canon = app.add_subcommand("canon", "Print the MCF canonical form of a JSON document");
  canon->add_option("file", *input, "JSON file, or - for standard input")->capture_default_str();
  on_run(canon, [input] {
    const runtime::CanonicalBytes bytes = runtime::canonicalize_text(read_input(*input));
    std::cout << bytes.view() << "\n";
    return kOk;
  });

  auto digest_input = std::make_shared<std::string>("-");
  CLI::App* digest = app.add_subcommand("digest", "Print the SHA-256 of a JSON document's canonical bytes");
  digest->add_option("file", *digest_input, "JSON file, or - for standard input")->capture_default_str();
  on_run(digest, [digest_input] {
    const runtime::CanonicalBytes bytes = runtime::canonicalize_text(read_input(*digest_input));
    std::cout << runtime::digest_of(bytes).hex() << "\n";
    return kOk;
  });
}

}  // namespace savm::cli
