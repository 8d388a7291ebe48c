// The id rule for EntityId and AssetId values (docs/mizan.md "Ids"), the same in both tiers and
// in a zone: a text of exactly 64 lowercase hex digits is the id's raw 32 bytes (the zone's
// asset_id form, runtime/context_json.h, without its "0x"); any other text is the SHA-256 of its
// UTF-8 bytes. The reference evaluator holds every id in its canonical text (the 64 hex digits),
// so two ids are equal exactly when their words in compiled code are equal.
#pragma once

#include <string>
#include <string_view>

#include "lang/value.h"

namespace savm::lang {

// Whether `text` is exactly 64 lowercase hex digits.
bool is_raw_id(std::string_view text);

// The canonical text of an id: `text` itself when it is raw, else the 64 lowercase hex digits of
// SHA-256(text).
std::string canonical_id(std::string_view text);

// `value` (of `type`) with every id inside it in its canonical text: the evaluator applies this
// to its entry's arguments, which a caller may build by hand rather than through JSON.
void canonicalize_ids(Value& value, const Type& type);

}  // namespace savm::lang
