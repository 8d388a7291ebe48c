// Digests of structured data: SHA-256 of canonical bytes only, plus domain-separated hashing of
// multi-part artifacts (packs). Raw-byte hashing lives with the Digest type in vm/crypto/digest.h.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {

using vm::Digest;

// SHA-256 of canonical bytes: the content address of receipts, checkpoints and documents.
Digest digest_of(const CanonicalBytes& bytes);

// Parses 64 hex digits or "sha256:<hex>"; throws Error "digest.hex" naming `what` otherwise.
Digest parse_digest(std::string_view text, std::string_view what);

// Domain-separated hashing of a multi-part artifact (a pack and its files), per the framing in
// docs/formats.md:
//   SHA-256( tag ‖ 0x00 ‖ for each part: u64 big-endian byte length ‖ the part's bytes )
// The tag names the artifact kind and version ("savm-lawpack-v1"), so a digest of one kind can
// never be replayed as another; the NUL ends the tag; the length in front of every part means
// that no two different part lists hash the same bytes (moving a byte across a boundary changes
// the lengths). Not the MEZ lawpack/regpack framings (domain brief §3.2, §3.3), which separate
// parts with NULs or not at all; those get their own functions where interop needs them.
class DomainHasher {
 public:
  // Throws Error "digest.tag" if the tag is empty or contains a NUL byte.
  explicit DomainHasher(std::string_view tag);
  DomainHasher& part(std::string_view bytes);
  DomainHasher& part(const CanonicalBytes& bytes) { return part(bytes.view()); }
  // Once only; a second call throws std::logic_error (from vm::Sha256).
  Digest finish();

 private:
  vm::Sha256 hash_;
};

// DomainHasher over a list of parts in order.
Digest pack_digest(std::string_view tag, std::initializer_list<std::string_view> parts);

}  // namespace savm::runtime
