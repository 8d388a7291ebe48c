// A module from its bytes: read and verified, with the reader's and verifier's stable codes
// raised as runtime errors. Shared by `savm exec` and the zone's install and load paths, so a
// module is judged the same way everywhere.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "vm/verifier.h"

namespace savm::runtime {

// Throws Error with the reader's code ("module.*", located by byte) or the verifier's first
// error ("verify.*", located by function and offset); `source` names the input in messages.
vm::VerifiedModule verify_module_bytes(std::span<const std::uint8_t> bytes, std::string_view source);

}  // namespace savm::runtime
