// A Mizan value as both back ends report it: the reference evaluator produces it directly, the
// compiled path decodes it from the VM's result words. Two runs agree exactly when their Values
// are equal. The representation of each type is the one in lang/program.h.
#pragma once

#include <string>
#include <vector>

#include "lang/program.h"

namespace savm::lang {

struct Value {
  // Scalars (Bool, Int, Decimal, Money, Rate, Date, Timestamp, enums, State, Domain,
  // JurisdictionId): the integer representation as a decimal string ("-5"), canonical (no
  // leading zeros, no "-0").
  std::string scalar;
  // String, EntityId, AssetId: the bytes.
  std::string bytes;
  // Records (fields in declaration order), lists (elements), Duration (months, days).
  std::vector<Value> items;

  friend bool operator==(const Value&, const Value&) = default;
};

}  // namespace savm::lang
