#include "lang/ids.h"

#include <algorithm>
#include <array>

#include <sodium.h>

namespace savm::lang {

bool is_raw_id(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string canonical_id(std::string_view text) {
  if (is_raw_id(text)) return std::string(text);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * digest.size());
  for (const unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  return hex;
}

void canonicalize_ids(Value& value, const Type& type) {
  switch (type.base) {
    case BaseType::entity_id:
    case BaseType::asset_id:
      if (!is_raw_id(value.bytes)) value.bytes = canonical_id(value.bytes);
      return;
    case BaseType::list:
      for (Value& item : value.items) canonicalize_ids(item, type.args.at(0));
      return;
    case BaseType::record:
      for (std::size_t i = 0; i < value.items.size() && i < type.record->fields.size(); ++i) {
        canonicalize_ids(value.items[i], type.record->fields[i].type);
      }
      return;
    default: return;
  }
}

}  // namespace savm::lang
