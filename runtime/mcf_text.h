// Internal to runtime/: the MCF output rules as text primitives, shared by the canonicalizer
// (canonicalize in runtime/mcf.h) and the streaming writer (runtime/canonical_writer.h), so that
// both write every string, integer and nested value with literally the same code. The inputs are
// assumed valid UTF-8; callers check that first (utf8::first_invalid) and report "mcf.utf8".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/mcf.h"

namespace savm::runtime {

// A JSON string literal with the RFC 8785 escapes, written as is (keys; never date-normalized).
void append_json_string(std::string& out, std::string_view text);
// A string value: the MCF date-time rule applied, then append_json_string.
void append_json_text(std::string& out, std::string_view text);
void append_json_integer(std::string& out, std::int64_t value);
void append_json_integer(std::string& out, std::uint64_t value);

// Canonicalizes `value` onto the end of `out`. `depth` containers already enclose it (they count
// against limits.max_depth), and errors name paths below `root` ("$.transition.payload.x").
// Returns the nesting depth inside `value` ("[]" 1, a scalar 0). On error `out` holds a partial
// value; callers discard it.
std::size_t append_canonical(std::string& out, const Json& value, const JsonLimits& limits, std::size_t depth,
                      std::string_view root);

}  // namespace savm::runtime
