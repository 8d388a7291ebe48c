// Internal to the runtime (the MCF canonicalizer, CanonicalWriter, proofs): the date-time rule
// without copying strings it leaves alone. The public form is normalize_datetime() in
// runtime/mcf.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace savm::runtime {

// The UTC "YYYY-MM-DDTHH:MM:SSZ" form of an RFC 3339 date-time, or nullopt for any other string.
std::optional<std::string> utc_datetime(std::string_view text);

// True for "dddd-dd-ddTdd:dd:ddZ" (any digits): the shape utc_datetime gives. Such a string is
// its own MCF form — utc_datetime returns it unchanged (a valid instant at offset Z, seconds
// carried as written) or rejects it (leaving it as written) — so a writer may copy it without
// parsing it.
bool is_utc_seconds_shape(std::string_view text);

}  // namespace savm::runtime
