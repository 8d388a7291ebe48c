// Mizan values as JSON, for `savm eval/explain/test` and for anyone calling a pack from outside
// (docs/mizan.md, "Values as JSON"). One mapping per type; input accepts exactly the shapes that
// output produces (plus Int as a decimal string and Rate in basis points), so that a result can
// be fed back as an argument.
//
//   Money    {"amount": "1500000", "currency": "PKR"}  major units, only the fraction digits needed
//   Rate     "5%", "5.5%", "0.25%"  (input also "25 bps")
//   Decimal  "1.50" (always s fraction digits)          Int  1500 (a string outside int64)
//   Bool     true/false   Date "2025-01-01"   Timestamp "2025-01-01T00:00:00Z"
//   State, Domain, enums: the variant name   String: a string
//   EntityId, AssetId: a string; input any text, read by the id rule (lang/ids.h); output the
//   canonical 64 hex digits, so an id printed and read back is the same id
//   JurisdictionId: its code ("pk")   record: an object in field order   List: an array
//   Duration {"months": 1, "days": 0}
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "lang/program.h"
#include "lang/value.h"

namespace savm::lang {

// A JSON value that is not a value of the expected type. `path` is the JSON path of the
// offending value ("$.income.amount", "$.payments[2]").
struct ValueJsonError : std::runtime_error {
  ValueJsonError(std::string path, std::string message);
  std::string path;
  std::string message;
};

// Compact JSON, record keys in declaration order. Throws ValueJsonError (path "$") when the
// value does not have the shape of `type` (a back end's bug, not the user's).
std::string value_to_json(const Value& value, const Type& type);

Value value_from_json(const nlohmann::json& json, const Type& type, const std::string& path);

// Arguments given as an object by parameter name ({"income": {...}}), in parameter order. An
// unknown name, a missing parameter or a value of the wrong shape is a ValueJsonError.
std::vector<Value> args_from_json(const nlohmann::json& object, const std::vector<TParam>& params);

}  // namespace savm::lang
