// Entry arguments in JSON, mapped to the entry ABI of vm/abi.h (docs/vm.md "Entry ABI").
//
// The arguments are a JSON array; each element is one of
//   -5 / 42                    an integer (MCF integers only) -> word
//   {"word": "-5"}             a signed decimal string of any int256 value -> word
//   {"bytes": "00ff"}          an even number of hex digits -> bytes
//   {"string": "text"}         UTF-8 text -> bytes
//   [ ... ]                    a record: its elements encoded one after the other
// Anything else (a bare string, another object shape, a boolean, null) is rejected, so an
// argument can never be read two ways.
#pragma once

#include <span>
#include <vector>

#include "runtime/mcf.h"
#include "vm/abi.h"

namespace savm::runtime {

// Throws Error "abi.value" with the JSON path of the offending element.
std::vector<vm::AbiValue> abi_args_from_json(const Json& args);

// The receipt form of words: signed decimal strings.
Json words_to_json(std::span<const vm::Word> words);

}  // namespace savm::runtime
