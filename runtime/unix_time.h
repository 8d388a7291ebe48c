// Transition time as people and proofs read it. A zone's clock is the transitions' own
// `timestamp` (unix seconds), never the wall clock; this only formats it.
#pragma once

#include <cstdint>
#include <string>

namespace savm::runtime {

// "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC) of unix seconds, floor-rounded for negative times.
std::string utc_seconds_text(std::int64_t unix_seconds);

}  // namespace savm::runtime
