// A transition request (DOMAIN.md "Smart assets and transitions") as it reaches a zone:
//
//   {"asset_id": "0x<64 hex>", "entry": "<export name>", "args": [...], "context": {...}}
//
// `args` (default []) is the entry ABI's JSON form (runtime/abi_json.h), or an object by
// parameter name for an entry whose module carries its typed signature
// (runtime/typed_arguments.h); `context` (default {})
// is the execution context (runtime/context_json.h) without `asset_id` and `sequence`: the
// request names the asset and the asset's chain decides the sequence. Unknown fields are
// rejected. This file checks the shape only; the zone checks the entry, arguments and context
// against its lockfile and jurisdiction (runtime/zone.h) before anything executes.
#pragma once

#include <string>
#include <string_view>

#include "runtime/mcf.h"
#include "vm/word.h"

namespace savm::runtime {

struct TransitionRequest {
  vm::Word asset_id;
  std::string entry;
  Json args = Json::array();
  Json context = Json::object();
};

// Throws the MCF parse codes ("mcf.*") for bad JSON, "zone.request" for a wrong shape (with the
// JSON path), "context.id" for a malformed asset_id.
TransitionRequest parse_transition_request(std::string_view text);
TransitionRequest transition_request_from_json(const Json& json);

}  // namespace savm::runtime
