// The execution context in JSON (docs/receipts.md "Context"), in both directions.
//
//   {"caller": ID, "origin": ID, "jurisdiction": ID, "asset_id": ID, "corridor": ID,
//    "timestamp": <integer seconds since 1970-01-01T00:00:00Z>, "law_date": "YYYY-MM-DD",
//    "sequence": <integer >= 0>, "gas_limit": <integer >= 0>}
//
// Ids follow docs/vm.md "Encoding of domain values in words". Any id may be given as "0x" + exactly
// 64 hex digits (its raw 32 bytes); otherwise caller, origin and corridor are the SHA-256 of the
// text, jurisdiction is a short string (1..31 UTF-8 bytes left-aligned, zero-padded, the length in
// the last byte: "PK" = 0x504b00...0002), and asset_id must be in the 0x form. Output always uses
// the 0x form, so parsing what was printed gives the same context. Every field is optional on
// input (zero / 1970-01-01 by default); unknown fields are rejected.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/mcf.h"
#include "vm/host.h"

namespace savm::runtime {

// Throws Error "context.field" (unknown field or wrong JSON type), "context.id" (bad ID),
// "context.date" (bad law_date), "context.range" (negative sequence / gas_limit).
vm::ExecutionContext context_from_json(const Json& json);

// The receipt form: every field present, ids in 0x form. execution_digest is not part of it.
Json context_to_json(const vm::ExecutionContext& context);

enum class IdForm : std::uint8_t { hashed, short_string, raw };
// ID -> word (see above). Throws Error "context.id" naming `what`.
vm::Word parse_id(std::string_view text, IdForm form, std::string_view what);
std::string id_hex(const vm::Word& id);  // "0x" + 64 lowercase hex digits
// The same text in a fixed buffer, for writers that copy it at once (a receipt holds many ids:
// a string each was a heap allocation each).
struct IdText {
  std::array<char, 66> chars;
  std::string_view view() const { return {chars.data(), chars.size()}; }
};
IdText id_text(const vm::Word& id);

// Days since 1970-01-01 <-> proleptic Gregorian "YYYY-MM-DD" (years 0000-9999).
std::string civil_date(std::int64_t days);
// Throws Error "context.date" naming `what` for anything but a valid YYYY-MM-DD date.
std::int64_t parse_civil_date(std::string_view text, std::string_view what);

}  // namespace savm::runtime
