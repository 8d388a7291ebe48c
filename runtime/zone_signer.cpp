#include "runtime/zone_signer.h"

#include <utility>

#include "runtime/error.h"
#include "runtime/execution_receipt_writer.h"
#include "runtime/unix_time.h"

namespace savm::runtime {
namespace {

KeyPair read_zone_key(const std::string& key_path) {
  try {
    return read_key_file(key_path);
  } catch (const Error& e) {
    throw Error("zone.key", "the zone signing key: " + std::string(e.what()) + " [" + e.code() + "]");
  }
}

}  // namespace

// One receipt signer, taken from the idle ones (or made) for one signature and given back.
class ZoneSigner::Lease {
 public:
  explicit Lease(const ZoneSigner& owner) : owner_(owner) {
    {
      const std::lock_guard lock(owner.idle_mutex_);
      if (!owner.idle_.empty()) {
        signer_ = std::move(owner.idle_.back());
        owner.idle_.pop_back();
      }
    }
    if (!signer_) signer_ = std::make_unique<JwsSigner>(*owner.key_);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    try {
      const std::lock_guard lock(owner_.idle_mutex_);
      owner_.idle_.push_back(std::move(signer_));
    } catch (...) {  // no memory to keep it: the next receipt makes another
    }
  }

  JwsSigner& signer() { return *signer_; }

 private:
  const ZoneSigner& owner_;
  std::unique_ptr<JwsSigner> signer_;
};

ZoneSigner::ZoneSigner(const ZoneConfig& config) : policy_(config.signing) {
  if (policy_ == SigningPolicy::none) return;
  key_.emplace(read_zone_key(config.key_path));
  if (key_->public_key().hex() != config.public_key) {
    throw Error("zone.key", config.key_path + ": public key " + key_->public_key().hex() +
                                " is not the zone's signing key " + config.public_key);
  }
}

Json ZoneSigner::sign(Json document, std::int64_t unix_seconds) const {
  return sign(std::move(document), utc_seconds_text(unix_seconds));
}

Json ZoneSigner::sign(Json document, const std::string& created) const {
  return sign_document(std::move(document), *key_, created);
}

void ZoneSigner::sign(ReceiptProducer& producer, std::string_view created) const {
  Lease lease(*this);
  producer.sign(lease.signer(), created);
}

void ZoneSigner::sign_receipt(ExecutionReceiptWriter& writer, std::int64_t unix_seconds) const {
  Lease lease(*this);
  writer.sign(lease.signer(), utc_seconds_text(unix_seconds));
}

std::optional<std::string> zone_signature_problem(const Json& document, const std::string& public_key_hex) {
  const DocumentVerification v = verify_document(document);
  if (!v.failure.empty()) return v.failure + ": the document carries no proof";
  if (v.proofs.size() != 1) return "expected one proof, found " + std::to_string(v.proofs.size());
  const ProofCheck& proof = v.proofs.front();
  if (!proof.verified()) return proof.failure + ": " + proof.detail;
  if (!proof.signer || proof.signer->hex() != public_key_hex) {
    return "signed by " + (proof.signer ? proof.signer->hex() : std::string("?")) + ", not by the zone key " + public_key_hex;
  }
  return std::nullopt;
}

std::string zone_public_key(const std::string& key_path) { return read_zone_key(key_path).public_key().hex(); }

}  // namespace savm::runtime
