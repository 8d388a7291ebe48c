// Digests of structured data: SHA-256 of canonical bytes only, plus domain-separated hashing of
// multi-part artifacts (packs). Raw-byte hashing lives with the Digest type in vm/crypto/digest.h.
#pragma once

#include <string_view>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {

using vm::Digest;

// SHA-256 of canonical bytes: the content address of receipts, checkpoints and documents.
Digest digest_of(const CanonicalBytes& bytes);

// Parses 64 hex digits or "sha256:<hex>"; throws Error "digest.hex" naming `what` otherwise.
Digest parse_digest(std::string_view text, std::string_view what);

}  // namespace savm::runtime
