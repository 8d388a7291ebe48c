#include "vm/abi.h"

#include <array>

namespace savm::vm {
namespace {

void append_word(const Word& w, std::vector<std::uint8_t>& out) {
  std::array<std::uint8_t, 32> bytes{};
  w.to_be_bytes(bytes);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::size_t padded(std::size_t n) { return (n + 31) / 32 * 32; }

}  // namespace

void abi_encode(const AbiValue& value, std::vector<std::uint8_t>& out) {
  if (const auto* w = std::get_if<Word>(&value.value)) {
    append_word(*w, out);
  } else if (const auto* b = std::get_if<AbiValue::Bytes>(&value.value)) {
    append_word(Word::from_u64(b->size()), out);
    out.insert(out.end(), b->begin(), b->end());
    out.resize(out.size() + (padded(b->size()) - b->size()), 0);
  } else {
    for (const auto& field : std::get<AbiValue::Record>(value.value)) abi_encode(field, out);
  }
}

std::vector<std::uint8_t> abi_encode(std::span<const AbiValue> values) {
  std::vector<std::uint8_t> out;
  for (const auto& v : values) abi_encode(v, out);
  return out;
}

std::optional<Word> AbiReader::word() {
  if (input_.size() - offset_ < 32) return std::nullopt;
  const Word w = Word::from_be_bytes(input_.subspan(offset_).first<32>());
  offset_ += 32;
  return w;
}

std::optional<std::vector<std::uint8_t>> AbiReader::bytes() {
  const std::size_t start = offset_;
  const auto length = word();
  if (!length) return std::nullopt;
  const std::size_t remaining = input_.size() - offset_;
  // A length that is negative or beyond the input cannot be honest.
  if (length->limb[1] | length->limb[2] | length->limb[3] || length->limb[0] > remaining ||
      padded(length->limb[0]) > remaining) {
    offset_ = start;
    return std::nullopt;
  }
  const std::size_t n = length->limb[0];
  const auto body = input_.subspan(offset_, padded(n));
  for (std::size_t i = n; i < body.size(); ++i) {
    if (body[i] != 0) {
      offset_ = start;
      return std::nullopt;
    }
  }
  offset_ += body.size();
  return std::vector<std::uint8_t>(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
}

Word input_word(std::span<const std::uint8_t> input, std::uint64_t offset) {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < 32; ++i) {
    if (offset < input.size() && i < input.size() - offset) bytes[i] = input[offset + i];
  }
  return Word::from_be_bytes(bytes);
}

}  // namespace savm::vm
