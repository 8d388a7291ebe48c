#include "runtime/context_json.h"

#include <array>
#include <limits>

#include <fmt/format.h>

#include "runtime/civil_calendar.h"
#include "runtime/error.h"
#include "runtime/execution_receipt_fields.h"
#include "runtime/json_tree_writer.h"
#include "vm/crypto/digest.h"

namespace savm::runtime {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::uint64_t unsigned_field(const Json& value, std::string_view name) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    throw Error("context.range", fmt::format("$.{}: must not be negative", name));
  }
  throw Error("context.field", fmt::format("$.{}: expected an integer", name));
}

}  // namespace

std::string civil_date(std::int64_t days) {
  const civil::Date date = civil::civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::int64_t parse_civil_date(std::string_view text, std::string_view what) {
  const auto bad = [&] {
    return Error("context.date",
                 fmt::format("{}: expected a date YYYY-MM-DD, got \"{}\"", what, text));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw bad();
  const auto number = [&](std::size_t pos, std::size_t len) {
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') throw bad();
      v = v * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return v;
  };
  const std::int64_t y = number(0, 4);
  const unsigned m = number(5, 2), d = number(8, 2);
  if (m < 1 || m > 12 || d < 1 || d > civil::days_in_month(y, m)) throw bad();
  return civil::days_from_civil(y, m, d);
}

vm::Word parse_id(std::string_view text, IdForm form, std::string_view what) {
  std::array<std::uint8_t, 32> bytes{};
  if (text.starts_with("0x")) {
    const std::string_view hex = text.substr(2);
    if (hex.size() != 64) {
      throw Error("context.id", fmt::format("{}: a 0x id needs exactly 64 hex digits, got {}",
                                            what, hex.size()));
    }
    for (std::size_t i = 0; i < 32; ++i) {
      const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        throw Error("context.id", fmt::format("{}: not a hex digit near position {}", what, 2 * i + 2));
      }
      bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return vm::Word::from_be_bytes(bytes);
  }
  switch (form) {
    case IdForm::hashed:
      return vm::Word::from_be_bytes(std::span<const std::uint8_t, 32>(vm::sha256(text).bytes()));
    case IdForm::short_string:
      if (text.empty() || text.size() > 31) {
        throw Error("context.id", fmt::format("{}: a short-string id has 1 to 31 bytes, got {}", what, text.size()));
      }
      for (std::size_t i = 0; i < text.size(); ++i) bytes[i] = static_cast<std::uint8_t>(text[i]);
      bytes[31] = static_cast<std::uint8_t>(text.size());
      return vm::Word::from_be_bytes(bytes);
    case IdForm::raw:
      break;
  }
  throw Error("context.id", fmt::format("{}: expected \"0x\" followed by 64 hex digits", what));
}

IdText id_text(const vm::Word& id) {
  std::array<std::uint8_t, 32> bytes{};
  id.to_be_bytes(bytes);
  IdText text;
  text.chars[0] = '0';
  text.chars[1] = 'x';
  vm::write_lower_hex(bytes, text.chars.data() + 2);
  return text;
}

std::string id_hex(const vm::Word& id) { return std::string(id_text(id).view()); }

vm::ExecutionContext context_from_json(const Json& json) {
  if (!json.is_object()) throw Error("context.field", "$: the context must be a JSON object");
  vm::ExecutionContext ctx;
  for (const auto& item : json.items()) {
    const std::string& name = item.key();
    const Json& value = item.value();
    const std::string path = "$." + name;
    const auto id = [&](vm::Word& field, IdForm form) {
      if (!value.is_string()) throw Error("context.field", path + ": expected a string id");
      field = parse_id(value.get<std::string>(), form, path);
    };
    if (name == "caller") {
      id(ctx.caller, IdForm::hashed);
    } else if (name == "origin") {
      id(ctx.origin, IdForm::hashed);
    } else if (name == "jurisdiction") {
      id(ctx.jurisdiction, IdForm::short_string);
    } else if (name == "asset_id") {
      id(ctx.asset_id, IdForm::raw);
    } else if (name == "corridor") {
      id(ctx.corridor, IdForm::hashed);
    } else if (name == "timestamp") {
      if (!value.is_number_integer()) throw Error("context.field", path + ": expected an integer");
      if (value.is_number_unsigned() &&
          value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw Error("context.range", path + ": beyond 2^63-1 seconds");
      }
      ctx.timestamp = value.get<std::int64_t>();
    } else if (name == "law_date") {
      if (!value.is_string()) throw Error("context.field", path + ": expected \"YYYY-MM-DD\"");
      ctx.law_date = parse_civil_date(value.get<std::string>(), path);
    } else if (name == "sequence") {
      ctx.sequence = unsigned_field(value, name);
    } else if (name == "gas_limit") {
      ctx.gas_limit = unsigned_field(value, name);
    } else {
      throw Error("context.field", path + ": unknown context field");
    }
  }
  return ctx;
}

// The shape is runtime/execution_receipt_fields.h's, shared with the streamed receipt.
Json context_to_json(const vm::ExecutionContext& c) {
  JsonTreeWriter w;
  receipt_fields::context(w, c);
  return w.take();
}

}  // namespace savm::runtime
