#include "runtime/abi_json.h"

#include <string>

#include <fmt/format.h>

#include "runtime/error.h"

namespace savm::runtime {
namespace {

vm::AbiValue::Bytes parse_hex_bytes(const std::string& hex, const std::string& path) {
  if (hex.size() % 2 != 0) {
    throw Error("abi.value", fmt::format("{}: odd number of hex digits ({})", path, hex.size()));
  }
  const auto digit = [&](char c, std::size_t pos) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw Error("abi.value", fmt::format("{}: not a hex digit at position {}", path, pos));
  };
  vm::AbiValue::Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(digit(hex[2 * i], 2 * i) << 4 | digit(hex[2 * i + 1], 2 * i + 1));
  }
  return out;
}

vm::AbiValue value_from_json(const Json& json, const std::string& path) {
  if (json.is_number_integer()) {
    return {json.is_number_unsigned() ? vm::Word::from_u64(json.get<std::uint64_t>())
                                      : vm::Word::from_i64(json.get<std::int64_t>())};
  }
  if (json.is_array()) {
    vm::AbiValue::Record fields;
    for (std::size_t i = 0; i < json.size(); ++i) {
      fields.push_back(value_from_json(json[i], fmt::format("{}[{}]", path, i)));
    }
    return {std::move(fields)};
  }
  if (json.is_object() && json.size() == 1) {
    const auto it = json.begin();
    const std::string kind = it.key();
    const Json& inner = it.value();
    const std::string inner_path = path + "." + kind;
    if (!inner.is_string()) throw Error("abi.value", inner_path + ": expected a string");
    const auto& text = inner.get_ref<const std::string&>();
    if (kind == "word") {
      const auto w = vm::Word::from_decimal(text);
      if (!w) {
        throw Error("abi.value", fmt::format("{}: \"{}\" is not a signed decimal int256", inner_path, text));
      }
      return {*w};
    }
    if (kind == "bytes") return {parse_hex_bytes(text, inner_path)};
    if (kind == "string") return {vm::AbiValue::Bytes(text.begin(), text.end())};
  }
  throw Error("abi.value", path +
                               ": expected an integer, {\"word\":\"<decimal>\"}, {\"bytes\":\"<hex>\"}, "
                               "{\"string\":\"...\"} or an array (record)");
}

}  // namespace

std::vector<vm::AbiValue> abi_args_from_json(const Json& args) {
  if (!args.is_array()) throw Error("abi.value", "$: the arguments must be a JSON array");
  std::vector<vm::AbiValue> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    out.push_back(value_from_json(args[i], fmt::format("$[{}]", i)));
  }
  return out;
}

Json words_to_json(std::span<const vm::Word> words) {
  Json out = Json::array();
  for (const auto& w : words) out.push_back(w.to_decimal());
  return out;
}

}  // namespace savm::runtime
