// Typed transition arguments: a request's `args` as a JSON object by parameter name (values in
// the `savm eval --args` form, docs/mizan.md "Values as JSON") instead of an array of words.
// Encoding them needs the entry's Mizan signature, which a compiled module carries in its
// manifest; the runtime never reads Mizan types (ARCHITECTURE.md), so whoever opens a zone hands
// it the encoder: `savm` gives a compiler::TypedArgumentEncoder (compiler/mizan_signature.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/mcf.h"
#include "vm/crypto/digest.h"
#include "vm/module.h"
#include "vm/word.h"

namespace savm::runtime {

// The input words of `entry` of `module` (whose digest is `module_digest`, a key to cache what
// it reads from the module) for typed `args`. Throws Error "abi.signature" when the module
// carries no signature for the entry, "abi.value" (with the JSON path) for a wrong, missing or
// unknown argument. Called concurrently by Zone::prepare: it must be thread-safe.
using TypedArguments = std::function<std::vector<vm::Word>(const vm::Digest& module_digest, const vm::Module& module,
                                                           const std::string& entry, const Json& args)>;

}  // namespace savm::runtime
