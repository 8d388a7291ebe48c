// The zone's signing policy (docs/operating-a-zone.md "Signing and checkpoints"):
//   none        nothing is signed (receipts and checkpoints still chain and commit to the MMR)
//   every       every receipt and every checkpoint carries a proof by the zone key
//   checkpoint  only checkpoints carry one; receipts are covered by the signed MMR root
// Proofs are runtime/proof.h proofs over the document without "proof". Their "created" is the
// transition's own timestamp (the zone has no clock), so a signed receipt is reproducible.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/keys.h"
#include "runtime/mcf.h"
#include "runtime/proof.h"
#include "runtime/receipt_producer.h"
#include "runtime/zone_store.h"

namespace savm::runtime {

class ExecutionReceiptWriter;

class ZoneSigner {
 public:
  // Loads the key a signing zone was created with. Throws "zone.key" if it cannot be read (the
  // key file's own error in the message) or is not the zone's public key any more.
  explicit ZoneSigner(const ZoneConfig& config);

  bool signs_receipts() const { return policy_ == SigningPolicy::every; }
  bool signs_checkpoints() const { return policy_ != SigningPolicy::none; }

  // `document` with a proof by the zone key, created at `unix_seconds`.
  Json sign(Json document, std::int64_t unix_seconds) const;
  // The same, created at an RFC 3339 date-time (a received corridor receipt's own timestamp).
  Json sign(Json document, const std::string& created) const;
  // Signs the corridor receipt `producer` has just sealed (runtime/receipt_producer.h): the same
  // bytes as sign() of that receipt, without a JSON tree.
  void sign(ReceiptProducer& producer, std::string_view created) const;
  // The same for the receipt `writer` wrote last, in its bytes.
  void sign_receipt(ExecutionReceiptWriter& writer, std::int64_t unix_seconds) const;

 private:
  class Lease;

  SigningPolicy policy_;
  std::optional<KeyPair> key_;
  // Receipt signers between two signatures. Each keeps what the receipts it signs share
  // (runtime/ed25519_signer.h) and is used by one executor thread at a time, so a receipt takes
  // one from here and gives it back.
  mutable std::mutex idle_mutex_;
  mutable std::vector<std::unique_ptr<JwsSigner>> idle_;
};

// Why `document` is not signed by exactly the zone key `public_key_hex`, or nullopt if it is:
// one proof, well-formed, verifying, by that key.
std::optional<std::string> zone_signature_problem(const Json& document, const std::string& public_key_hex);

// Reads the key pair at `key_path` for `zone init` and returns its public key hex. Throws
// "zone.key" with the key file's own error in the message.
std::string zone_public_key(const std::string& key_path);

}  // namespace savm::runtime
