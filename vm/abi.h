// The entry ABI: how typed arguments become an execution's input bytes (docs/vm.md "Entry ABI").
//
//   word    32 bytes, big-endian two's complement
//   bytes   a 32-byte length word n, then the n bytes, then zero bytes up to a multiple of 32
//   record  its fields encoded one after the other, no header (a record of words is N words)
//
// So every value starts on a 32-byte boundary, and input word i (INPUT_LOAD 32*i) is the i-th
// word of an all-word argument list. The vm/ layer knows nothing of JSON; runtime/abi_json.h
// maps JSON to these values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "vm/word.h"

namespace savm::vm {

struct AbiValue {
  using Bytes = std::vector<std::uint8_t>;
  using Record = std::vector<AbiValue>;
  std::variant<Word, Bytes, Record> value;
  friend bool operator==(const AbiValue&, const AbiValue&) = default;
};

void abi_encode(const AbiValue& value, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> abi_encode(std::span<const AbiValue> values);

// Reads values back in order. Every read returns nullopt (and reads nothing) when the input is
// too short, a length does not fit, or padding bytes are not zero.
class AbiReader {
 public:
  explicit AbiReader(std::span<const std::uint8_t> input) : input_(input) {}
  std::optional<Word> word();
  std::optional<std::vector<std::uint8_t>> bytes();
  bool at_end() const { return offset_ == input_.size(); }
  std::size_t offset() const { return offset_; }

 private:
  std::span<const std::uint8_t> input_;
  std::size_t offset_ = 0;
};

// The word of an input at a byte offset: 32 bytes big-endian, bytes past the end read as zero
// (INPUT_LOAD semantics, so a short input can never fault the VM).
Word input_word(std::span<const std::uint8_t> input, std::uint64_t offset);

}  // namespace savm::vm
