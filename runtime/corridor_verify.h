// Verifying a corridor receipt chain as a whole (domain brief §5.9): every receipt parsed and
// shape-checked, linked, recomputed, sequenced and (by policy) signed by an authorized key; the
// MMR rebuilt and, when a checkpoint is given, compared with it. The result says WHICH receipt
// failed and why, as data, so a CLI, a watcher or a test can act on it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/corridor_chain.h"
#include "runtime/corridor_checkpoint.h"
#include "runtime/keys.h"

namespace savm::runtime {

struct SignaturePolicy {
  // When set, every receipt must carry at least one proof, every proof must verify, and every
  // signer must be in `authorized` (a proof by any other key fails: it was not agreed to).
  bool require_signatures = false;
  std::vector<PublicKey> authorized = {};
};

struct ChainFailure {
  // Position of the receipt in the input (0-based; for JSON Lines, the count of non-blank lines
  // before it). nullopt when the failure is about the checkpoint rather than a receipt.
  std::optional<std::size_t> index;
  std::optional<std::uint64_t> sequence;  // the receipt's sequence, when it could be read
  std::string code;    // "chain.sequence|corridor|link|commit|signature|mmr", or a parse code
  std::string reason;  // for a person
  bool malformed = false;  // the input could not be read as a receipt/checkpoint (bad input)
};

struct ChainVerification {
  std::optional<ChainFailure> failure;
  std::uint64_t verified = 0;  // receipts accepted before the failure (or all of them)
  std::optional<CorridorChain> chain;  // the chain as verified, when there was no failure
  // The last accepted receipt's timestamp (UTC seconds), or the trusted checkpoint's: the
  // deterministic timestamp for a checkpoint of the verified chain.
  std::string head_timestamp;
  bool ok() const { return !failure.has_value(); }
};

// Where verification starts.
struct ChainStart {
  // The corridor's genesis root: receipt 0 must link to it. With `trusted`, must equal its
  // genesis_root.
  Digest genesis_root;
  // A trusted checkpoint: the receipts given are the tail after it (first sequence =
  // receipt_count), the MMR continues from its peaks.
  std::optional<CorridorCheckpoint> trusted = std::nullopt;
  // A checkpoint to check the chain against: after its receipt_count receipts, the chain head
  // must be its final_state_root and the MMR root its mmr.root ("chain.mmr"), and its
  // genesis_root must be `genesis_root`. The chain must reach that length.
  std::optional<CorridorCheckpoint> expected = std::nullopt;
};

ChainVerification verify_chain(const ChainStart& start, std::span<const Json> receipts,
                               const SignaturePolicy& policy = {});

// The same over JSON Lines text: one receipt per line, blank lines ignored. A line that is not
// a receipt is reported as a malformed failure at its index, with its parse code (mcf.*,
// corridor.*).
ChainVerification verify_chain_lines(const ChainStart& start, std::string_view jsonl,
                                     const SignaturePolicy& policy = {});

// The non-blank lines of JSON Lines text, in order.
std::vector<std::string_view> jsonl_records(std::string_view jsonl);

}  // namespace savm::runtime
