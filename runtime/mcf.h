// Momentum Canonical Form (MCF): the canonical JSON that every SAVM digest and signature covers.
//
// MCF is RFC 8785 (JCS) with the MEZ stack's rules (../shared/spec/FORMATS.md, docs/formats.md):
// integers only, in [-2^63, 2^64-1]; RFC 3339 date-time strings normalized to UTC seconds; keys
// sorted by UTF-8 bytes; duplicate keys and invalid UTF-8 rejected; compact output.
//
// CanonicalBytes can only be made here and by the streaming writer (runtime/canonical_writer.h,
// which writes with the same text primitives and checks key order), and digest_of()/signing
// accept nothing else, so the wrong bytes can never be hashed or signed by mistake.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace savm::runtime {

using Json = nlohmann::json;

// Explicit bounds on what the parser accepts; inputs past them fail with "mcf.limit".
struct JsonLimits {
  std::size_t max_depth = 64;                // nesting of arrays and objects; "[]" is depth 1
  std::size_t max_bytes = 64 * 1024 * 1024;  // size of the document text, in bytes
};

class CanonicalWriter;

class CanonicalBytes {
 public:
  const std::string& str() const { return bytes_; }
  std::string_view view() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  // Nesting depth of the value ("[]" is 1, a scalar 0), as its maker counted it: a writer that
  // embeds these bytes checks its limit without scanning them.
  std::size_t depth() const { return depth_; }
  friend bool operator==(const CanonicalBytes&, const CanonicalBytes&) = default;

 private:
  friend CanonicalBytes canonicalize(const Json& value, const JsonLimits& limits);
  friend class CanonicalWriter;  // the only other constructor path (see the note above)
  CanonicalBytes(std::string bytes, std::size_t depth) : bytes_(std::move(bytes)), depth_(depth) {}
  std::string bytes_;
  std::size_t depth_ = 0;
};

// Strict parse of JSON text under the MCF input rules. Throws Error with a code from
// docs/errors.md ("mcf.syntax", "mcf.float", "mcf.range", "mcf.duplicate_key", "mcf.utf8",
// "mcf.limit") and a message naming the JSON path ("$.receipts[3].amount") and byte offset.
// Integers come back as number_integer (negative) or number_unsigned; "-0", fractions and
// exponents are "mcf.float". Iterative: deep input fails at the limit, never overflows the stack.
Json parse_json(std::string_view text, const JsonLimits& limits = {});

// The canonical bytes of a value. Throws Error ("mcf.float", "mcf.utf8", "mcf.limit", "mcf.type")
// naming the JSON path if the value holds something MCF cannot represent (a float, invalid UTF-8,
// nesting deeper than limits.max_depth, a binary value). Never recurses on the C++ stack, so any
// depth is safe to attempt.
CanonicalBytes canonicalize(const Json& value, const JsonLimits& limits = {});

// parse_json then canonicalize.
CanonicalBytes canonicalize_text(std::string_view text, const JsonLimits& limits = {});

// The MCF string rule on its own: an RFC 3339 date-time becomes "YYYY-MM-DDTHH:MM:SSZ" in UTC
// (offset applied, sub-seconds truncated); any other string, plain dates included, is returned
// unchanged. The exact grammar is in docs/formats.md.
std::string normalize_datetime(std::string_view text);

}  // namespace savm::runtime
