#include "runtime/corridor_verify.h"

#include <algorithm>
#include <utility>

#include "runtime/error.h"
#include "runtime/proof.h"

namespace savm::runtime {
namespace {

// Why a receipt's proofs do not satisfy the policy, or "" if they do.
std::string signature_problem(const Json& receipt, const SignaturePolicy& policy) {
  const DocumentVerification verification = verify_document(receipt);
  if (!verification.failure.empty()) return "unsigned receipt (" + verification.failure + ")";
  for (const ProofCheck& proof : verification.proofs) {
    const std::string which = "proof " + std::to_string(proof.index);
    if (!proof.verified()) return which + ": " + proof.detail + " (" + proof.failure + ")";
    const bool authorized =
        proof.signer && std::find(policy.authorized.begin(), policy.authorized.end(),
                                  *proof.signer) != policy.authorized.end();
    if (!authorized) {
      return which + ": signer " + (proof.signer ? proof.signer->hex() : std::string("?")) +
             " is not an authorized key";
    }
  }
  return {};
}

// Which commitment of `expected` the verified chain does not reproduce, or "" if none.
std::string checkpoint_mismatch(const CorridorChain& chain, const CorridorCheckpoint& expected) {
  const CorridorCheckpoint actual = chain.checkpoint(expected.timestamp);
  if (actual.mmr_root != expected.mmr_root) {
    return "MMR root " + actual.mmr_root.hex() + " is not the checkpoint's " +
           expected.mmr_root.hex();
  }
  if (actual.final_state_root != expected.final_state_root) {
    return "head " + actual.final_state_root.hex() + " is not the checkpoint's final_state_root " +
           expected.final_state_root.hex();
  }
  if (!(actual.digest_payload() == expected.digest_payload())) {
    return "checkpoint digest differs (corridor_id or digest-set unions)";
  }
  return {};
}

class ChainVerifier {
 public:
  ChainVerifier(const ChainStart& start, const SignaturePolicy& policy)
      : start_(start), policy_(policy) {
    if (start.expected && start.expected->genesis_root != start.genesis_root) {
      fail_start("chain.genesis", "the checkpoint to match has genesis_root " +
                                      start.expected->genesis_root.hex());
    }
    if (!start.trusted || result_.failure) return;
    if (start.trusted->genesis_root != start.genesis_root) {
      fail_start("chain.genesis", "the trusted checkpoint has genesis_root " +
                                      start.trusted->genesis_root.hex());
      return;
    }
    try {
      chain_ = CorridorChain::resume(*start.trusted);
      result_.head_timestamp = start.trusted->timestamp;
    } catch (const Error& e) {
      fail_start(e.code(), std::string("trusted checkpoint: ") + e.what());
    }
  }

  bool failed() const { return result_.failure.has_value(); }

  void malformed(std::size_t index, const Error& error) {
    result_.failure = ChainFailure{index, std::nullopt, error.code(), error.what(), true};
  }

  void feed(std::size_t index, Json document) {
    std::optional<CorridorReceipt> receipt;
    try {
      receipt = CorridorReceipt::from_json(std::move(document));
    } catch (const Error& e) {
      malformed(index, e);
      return;
    }
    const auto fail = [&](std::string code, std::string reason) {
      result_.failure = ChainFailure{index, receipt->sequence(), std::move(code),
                                     std::move(reason), false};
    };
    if (policy_.require_signatures) {
      if (std::string problem = signature_problem(receipt->json(), policy_); !problem.empty()) {
        fail("chain.signature", problem);
        return;
      }
    }
    if (!chain_) chain_.emplace(receipt->corridor_id(), start_.genesis_root);
    try {
      chain_->append(*receipt);
    } catch (const Error& e) {
      // The failure already names the receipt; drop the chain's own "receipt sequence N: ".
      std::string reason = e.what();
      const std::string label = "receipt sequence " + std::to_string(receipt->sequence()) + ": ";
      if (reason.starts_with(label)) reason.erase(0, label.size());
      fail(e.code(), std::move(reason));
      return;
    }
    ++result_.verified;
    result_.head_timestamp = normalize_datetime(receipt->json()["timestamp"].get<std::string>());
    if (start_.expected && chain_->height() == start_.expected->receipt_count) {
      if (std::string problem = checkpoint_mismatch(*chain_, *start_.expected); !problem.empty()) {
        fail("chain.mmr", "against the checkpoint: " + problem);
      }
    }
  }

  ChainVerification finish() && {
    const std::uint64_t height = chain_ ? chain_->height() : 0;
    if (!result_.failure && start_.expected && height < start_.expected->receipt_count) {
      fail_start("chain.mmr", "the chain has " + std::to_string(height) +
                                  " receipts; the checkpoint commits to " +
                                  std::to_string(start_.expected->receipt_count));
    }
    if (!result_.failure) result_.chain = std::move(chain_);
    return std::move(result_);
  }

 private:
  void fail_start(std::string code, std::string reason) {
    result_.failure = ChainFailure{std::nullopt, std::nullopt, std::move(code), std::move(reason),
                                   false};
  }

  const ChainStart& start_;
  const SignaturePolicy& policy_;
  std::optional<CorridorChain> chain_;
  ChainVerification result_;
};

}  // namespace

std::vector<std::string_view> jsonl_records(std::string_view jsonl) {
  std::vector<std::string_view> records;
  while (!jsonl.empty()) {
    const std::size_t end = jsonl.find('\n');
    const std::string_view line = jsonl.substr(0, end);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) records.push_back(line);
    if (end == std::string_view::npos) break;
    jsonl.remove_prefix(end + 1);
  }
  return records;
}

ChainVerification verify_chain(const ChainStart& start, std::span<const Json> receipts,
                               const SignaturePolicy& policy) {
  ChainVerifier verifier(start, policy);
  for (std::size_t i = 0; i < receipts.size() && !verifier.failed(); ++i) {
    verifier.feed(i, receipts[i]);
  }
  return std::move(verifier).finish();
}

ChainVerification verify_chain_lines(const ChainStart& start, std::string_view jsonl,
                                     const SignaturePolicy& policy) {
  ChainVerifier verifier(start, policy);
  const std::vector<std::string_view> records = jsonl_records(jsonl);
  for (std::size_t i = 0; i < records.size() && !verifier.failed(); ++i) {
    Json document;
    try {
      document = parse_json(records[i]);
    } catch (const Error& e) {
      verifier.malformed(i, e);
      break;
    }
    verifier.feed(i, std::move(document));
  }
  return std::move(verifier).finish();
}

}  // namespace savm::runtime
