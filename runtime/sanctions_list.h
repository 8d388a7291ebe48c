// Sanctions data installed in a zone and the host intrinsic that screens against it
// (docs/operating-a-zone.md "Sanctions screening").
//
//   {"type": "SAVMSanctionsList", "format_version": 1, "list": "UNSC-1267", "version": "2026-12-01",
//    "entries": [{"party": "<id>", "score": <1..100>}, ...]}
//
// A party is an id as in contexts (runtime/context_json.h): "0x" + 64 hex digits raw, any other
// text the SHA-256 of its bytes, so `sanctions.screen(CALLER)` screens a request's caller. The
// score is the list's deterministic integer match strength (100 = exact listing); a party not on
// the list scores 0. The intrinsic `sanctions.screen(party) -> score` (import `sanctions.screen(1)->1`)
// reads the list installed last; installing a list replaces the previous one. No floats, no
// fuzzy matching at run time: whatever matching produced the scores happened before install.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <span>
#include <string_view>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"
#include "vm/host.h"
#include "vm/word.h"

namespace savm::runtime {

inline constexpr std::string_view kSanctionsListType = "SAVMSanctionsList";
inline constexpr std::string_view kSanctionsScreen = "sanctions.screen";

struct SanctionsList {
  std::string list;
  std::string version;
  std::map<vm::Word, std::uint64_t> scores;  // party -> 1..100

  vm::Digest digest;  // SHA-256 of the document's canonical bytes
  std::string bytes;  // the canonical bytes

  // Throws "zone.sanctions_list" naming the JSON path (shape, a score outside 1..100, a bad or
  // repeated party).
  static SanctionsList from_json(const Json& document);
  std::uint64_t score(const vm::Word& party) const;
};

// The zone's host_call: `sanctions.screen(party)` -> {score} by `list`; any other name, another
// argument count, or no list installed -> not ok (the VM faults: fail closed).
vm::HostCallResult screen(const SanctionsList* list, std::string_view name, std::span<const vm::Word> args);

}  // namespace savm::runtime
