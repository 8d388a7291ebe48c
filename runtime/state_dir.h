// A state directory for `savm exec`: the in-memory host's committed state and the head of each
// asset's receipt chain, as one canonical JSON file <dir>/state.json (docs/receipts.md "State
// directory"). Saving writes a temporary file in the same directory, flushes it and renames it
// over state.json, so a crash leaves either the old or the new state, never half of one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>

#include "vm/crypto/digest.h"
#include "vm/memory_host.h"

namespace savm::runtime {

struct ChainHead {
  std::uint64_t height = 0;  // receipts so far = the next receipt's sequence
  vm::Digest head;           // last receipt_digest; zero at genesis
};

struct ExecState {
  vm::MemoryHost host;
  std::map<vm::Word, ChainHead> chains;  // by asset id
};

// A missing directory or state.json is the empty state. Throws Error "state.io" (unreadable),
// "state.format" (not the documented JSON, with the JSON path), MCF errors for bad JSON.
ExecState load_state(const std::filesystem::path& dir);

// Creates `dir` if needed. Throws Error "state.io" on failure; state.json is then unchanged.
void save_state(const std::filesystem::path& dir, const ExecState& state);

}  // namespace savm::runtime
