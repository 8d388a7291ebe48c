// The JSON mapping of lang/value_json.h. Output is built as text (not through nlohmann's object,
// which sorts keys) so records keep their declaration order; nlohmann only escapes strings.
#include "lang/value_json.h"

#include <algorithm>

#include <array>
#include <cstdint>
#include <cstdio>

#include "lang/currency.h"
#include "lang/eval_arith.h"
#include "lang/eval_dates.h"
#include "lang/ids.h"
#include "lang/literals.h"

namespace savm::lang {
namespace {

using eval::BigInt;

constexpr std::array<const char*, 5> kStates{"non_compliant", "pending", "not_applicable", "exempt", "compliant"};
// FORMATS.md, "Compliance domains": index = wire code.
constexpr std::array<const char*, 23> kDomains{
    "aml", "kyc", "sanctions", "tax", "securities", "corporate", "custody", "data_privacy",
    "licensing", "banking", "payments", "clearing", "settlement", "digital_assets", "employment",
    "immigration", "ip", "consumer_protection", "arbitration", "trade", "insurance", "anti_bribery", "sharia"};
constexpr int kPercentDigits = kRateScale - 2;    // 1% = 10^7
constexpr int kBasisPointDigits = kRateScale - 4;  // 1 bp = 10^5
constexpr std::int64_t kSecondsPerDay = 86400;

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw ValueJsonError(path, message); }

std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> variant_names(const Type& type) {
  if (type.base == BaseType::state) return {kStates.begin(), kStates.end()};
  if (type.base == BaseType::domain) return {kDomains.begin(), kDomains.end()};
  return type.enumeration ? type.enumeration->variants : std::vector<std::string>{};
}

int money_exponent(const Type& type, const std::string& path) {
  const std::optional<int> exponent = currency_exponent(type.currency);
  if (!exponent) fail(path, "unknown currency " + type.currency);
  return *exponent;
}

// `value` / 10^digits as a decimal string; with `trim`, only the fraction digits needed.
std::string fixed_text(const BigInt& value, int digits, bool trim) {
  const bool negative = value < 0;
  std::string magnitude = (negative ? BigInt(-value) : value).str();
  if (digits > 0) {
    if (magnitude.size() <= static_cast<std::size_t>(digits)) magnitude.insert(0, digits + 1 - magnitude.size(), '0');
    std::string fraction = magnitude.substr(magnitude.size() - digits);
    magnitude.resize(magnitude.size() - digits);
    if (trim) fraction.erase(fraction.find_last_not_of('0') + 1);
    if (!fraction.empty()) magnitude += "." + fraction;
  }
  return (negative ? "-" : "") + magnitude;
}

// "-12.25" with at most `digits` fraction digits, as an integer × 10^digits in int256.
BigInt parse_fixed(const std::string& text, int digits, const std::string& what, const std::string& path) {
  const std::size_t sign = !text.empty() && text[0] == '-' ? 1 : 0;
  const std::size_t point = text.find('.');
  const std::size_t int_end = point == std::string::npos ? text.size() : point;
  bool ok = text.size() <= 100 && int_end > sign && (point == std::string::npos || point + 1 < text.size());
  for (std::size_t i = sign; ok && i < text.size(); ++i) ok = i == point || (text[i] >= '0' && text[i] <= '9');
  if (!ok) fail(path, "expected " + what + " as a decimal string like \"-12.25\", got " + quoted(text));
  const std::size_t fraction = point == std::string::npos ? 0 : text.size() - point - 1;
  if (fraction > static_cast<std::size_t>(digits)) {
    fail(path, quoted(text) + " has " + std::to_string(fraction) + " fraction digits; " + what + " has at most " +
                   std::to_string(digits));
  }
  std::string all = text.substr(sign, int_end - sign) + (point == std::string::npos ? "" : text.substr(point + 1));
  all.append(digits - fraction, '0');
  // cpp_int reads a leading 0 as octal ("050" would be 40): parse the digits without it.
  all.erase(0, std::min(all.find_first_not_of('0'), all.size() - 1));
  const BigInt magnitude(all);
  const BigInt value = sign ? BigInt(-magnitude) : magnitude;
  if (!eval::fits_int256(value)) fail(path, quoted(text) + " is outside the signed 256-bit range of " + what);
  return value;
}

const std::string& as_string(const nlohmann::json& json, const Type& type, const std::string& path) {
  if (!json.is_string()) fail(path, "expected " + to_string(type) + " as a JSON string, got " + json.dump());
  return json.get_ref<const std::string&>();
}

// ---- Jurisdiction codes: the short-string word (docs/vm.md): bytes left-aligned, length last.

std::string jurisdiction_word(const std::string& code) {
  BigInt word = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    word <<= 8;
    if (i < code.size()) word += static_cast<unsigned char>(code[i]);
    if (i == 31) word += code.size();
  }
  return word.str();
}

std::string jurisdiction_code(const BigInt& word) {
  if (word < 0) return {};
  const auto length = static_cast<std::size_t>(static_cast<unsigned>(word & 0xff));
  std::string code;
  for (std::size_t i = 0; i < length && i < 31; ++i) {
    code += static_cast<char>(static_cast<unsigned>((word >> (8 * (31 - i))) & 0xff));
  }
  return code;
}

// ---- Output ------------------------------------------------------------------------------------

std::string timestamp_text(const BigInt& seconds) {
  BigInt day, second;
  boost::multiprecision::divide_qr(seconds, BigInt(kSecondsPerDay), day, second);
  if (second < 0) {
    second += kSecondsPerDay;
    day -= 1;
  }
  const auto s = static_cast<int>(second);
  char clock[32];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02dZ", s / 3600, s / 60 % 60, s % 60);
  return eval::format_date(day) + clock;
}

std::string scalar_json(const Value& value, const Type& type) {
  const BigInt n = eval::parse_integer(value.scalar);
  switch (type.base) {
    case BaseType::boolean: return n == 0 ? "false" : "true";
    case BaseType::integer:
      return n >= INT64_MIN && n <= INT64_MAX ? n.str() : quoted(n.str());
    case BaseType::decimal: return quoted(fixed_text(n, type.scale, false));
    case BaseType::money:
      return "{\"amount\":" + quoted(fixed_text(n, money_exponent(type, "$"), true)) + ",\"currency\":" +
             quoted(type.currency) + "}";
    case BaseType::rate: return quoted(fixed_text(n, kPercentDigits, true) + "%");
    case BaseType::date: return quoted(eval::format_date(n));
    case BaseType::timestamp: return quoted(timestamp_text(n));
    case BaseType::jurisdiction_id: return quoted(jurisdiction_code(n));
    default: break;
  }
  const std::vector<std::string> names = variant_names(type);
  if (n < 0 || n >= names.size()) fail("$", "variant " + n.str() + " is not a variant of " + to_string(type));
  return quoted(names[static_cast<std::size_t>(n)]);
}

std::string items_json(const Value& value, const Type& type) {
  std::string out;
  if (type.base == BaseType::list) {
    if (type.args.size() != 1) fail("$", "a List type without its element type");
    for (const Value& item : value.items) out += (out.empty() ? "" : ",") + value_to_json(item, type.args[0]);
    return "[" + out + "]";
  }
  if (type.base == BaseType::duration) {
    if (value.items.size() != 2) fail("$", "a Duration is not (months, days)");
    return "{\"months\":" + value.items[0].scalar + ",\"days\":" + value.items[1].scalar + "}";
  }
  const RecordInfo* record = type.record;
  if (record == nullptr || record->fields.size() != value.items.size()) fail("$", "a record value does not fit its type");
  for (std::size_t i = 0; i < record->fields.size(); ++i) {
    out += (i ? "," : "") + quoted(record->fields[i].name) + ":" + value_to_json(value.items[i], record->fields[i].type);
  }
  return "{" + out + "}";
}

// ---- Input -------------------------------------------------------------------------------------

BigInt integer_from_json(const nlohmann::json& json, const Type& type, const std::string& path) {
  if (json.is_number_integer()) {
    return json.is_number_unsigned() ? BigInt(json.get<std::uint64_t>()) : BigInt(json.get<std::int64_t>());
  }
  if (json.is_string()) return parse_fixed(json.get_ref<const std::string&>(), 0, to_string(type), path);
  fail(path, "expected " + to_string(type) + " as a JSON integer or a decimal string, got " + json.dump());
}

BigInt money_from_json(const nlohmann::json& json, const Type& type, const std::string& path) {
  if (!json.is_object()) fail(path, "expected " + to_string(type) + " as {\"amount\": \"...\", \"currency\": \"" + type.currency + "\"}");
  for (const auto& [key, _] : json.items()) {
    if (key != "amount" && key != "currency") fail(path + "." + key, "unknown field (Money has amount and currency)");
  }
  if (!json.contains("currency")) fail(path, "missing field currency");
  if (!json.contains("amount")) fail(path, "missing field amount");
  const std::string& currency = as_string(json["currency"], type, path + ".currency");
  if (currency != type.currency) fail(path + ".currency", "expected " + type.currency + ", got " + quoted(currency));
  const std::string& amount = as_string(json["amount"], type, path + ".amount");
  return parse_fixed(amount, money_exponent(type, path), to_string(type), path + ".amount");
}

BigInt rate_from_json(const std::string& text, const std::string& path) {
  const bool percent = text.size() > 1 && text.back() == '%';
  const bool bps = text.size() > 4 && text.compare(text.size() - 4, 4, " bps") == 0;
  if (!percent && !bps) fail(path, "expected a Rate like \"5%\", \"5.5%\" or \"25 bps\", got " + quoted(text));
  const std::string number = text.substr(0, text.size() - (percent ? 1 : 4));
  // 1% is 10^7 and 1 bp 10^5 in the representation: the digits after the point are the scale.
  return parse_fixed(number, percent ? kPercentDigits : kBasisPointDigits, "a Rate", path);
}

BigInt timestamp_from_json(const std::string& text, const std::string& path) {
  std::string why;
  if (!parse_timestamp(text, why)) fail(path, "expected a Timestamp YYYY-MM-DDTHH:MM:SSZ: " + why);
  const std::optional<std::int64_t> day = eval::parse_date_days(text.substr(0, 10), why);
  if (!day) fail(path, "expected a Timestamp YYYY-MM-DDTHH:MM:SSZ: " + why);
  const int h = std::stoi(text.substr(11, 2)), m = std::stoi(text.substr(14, 2)), s = std::stoi(text.substr(17, 2));
  return BigInt(*day) * kSecondsPerDay + h * 3600 + m * 60 + s;
}

BigInt scalar_from_json(const nlohmann::json& json, const Type& type, const std::string& path) {
  switch (type.base) {
    case BaseType::boolean:
      if (!json.is_boolean()) fail(path, "expected a Bool (true or false), got " + json.dump());
      return json.get<bool>() ? 1 : 0;
    case BaseType::integer: return integer_from_json(json, type, path);
    case BaseType::decimal: return parse_fixed(as_string(json, type, path), type.scale, to_string(type), path);
    case BaseType::money: return money_from_json(json, type, path);
    case BaseType::rate: return rate_from_json(as_string(json, type, path), path);
    case BaseType::date: {
      std::string why;
      const std::optional<std::int64_t> day = eval::parse_date_days(as_string(json, type, path), why);
      if (!day) fail(path, "expected a Date YYYY-MM-DD: " + why);
      return *day;
    }
    case BaseType::timestamp: return timestamp_from_json(as_string(json, type, path), path);
    case BaseType::jurisdiction_id: {
      const std::string& code = as_string(json, type, path);
      if (code.empty() || code.size() > 31) fail(path, "a jurisdiction code has 1 to 31 bytes, got " + quoted(code));
      return BigInt(jurisdiction_word(code));
    }
    default: break;
  }
  const std::string& name = as_string(json, type, path);
  const std::vector<std::string> names = variant_names(type);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return BigInt(i);
  }
  fail(path, quoted(name) + " is not a variant of " + to_string(type));
}

Value record_from_json(const nlohmann::json& json, const Type& type, const std::string& path) {
  if (type.record == nullptr) fail(path, "a record type without its declaration");
  if (!json.is_object()) fail(path, "expected " + to_string(type) + " as a JSON object, got " + json.dump());
  const std::vector<FieldInfo>& fields = type.record->fields;
  for (const auto& [key, _] : json.items()) {
    bool known = false;
    for (const FieldInfo& f : fields) known = known || f.name == key;
    if (!known) fail(path + "." + key, "unknown field of " + to_string(type));
  }
  Value value;
  for (const FieldInfo& f : fields) {
    if (!json.contains(f.name)) fail(path, "missing field " + f.name + " of " + to_string(type));
    value.items.push_back(value_from_json(json[f.name], f.type, path + "." + f.name));
  }
  return value;
}

Value duration_from_json(const nlohmann::json& json, const std::string& path) {
  if (!json.is_object()) fail(path, "expected a Duration as {\"months\": m, \"days\": d}");
  for (const auto& [key, _] : json.items()) {
    if (key != "months" && key != "days") fail(path + "." + key, "unknown field (a Duration has months and days)");
  }
  Value value;
  for (const char* part : {"months", "days"}) {
    if (!json.contains(part)) fail(path, std::string("missing field ") + part);
    value.items.push_back(Value{integer_from_json(json[part], Type{}, path + "." + part).str(), {}, {}});
  }
  return value;
}

}  // namespace

ValueJsonError::ValueJsonError(std::string p, std::string m)
    : std::runtime_error(p + ": " + m), path(std::move(p)), message(std::move(m)) {}

std::string value_to_json(const Value& value, const Type& type) {
  try {
    switch (type.base) {
      case BaseType::string: case BaseType::entity_id: case BaseType::asset_id: return quoted(value.bytes);
      case BaseType::list: case BaseType::duration: case BaseType::record: return items_json(value, type);
      default: return scalar_json(value, type);
    }
  } catch (const eval::Fault& fault) {
    fail("$", fault.message);
  }
}

Value value_from_json(const nlohmann::json& json, const Type& type, const std::string& path) {
  switch (type.base) {
    case BaseType::string: return Value{{}, as_string(json, type, path), {}};
    case BaseType::entity_id: case BaseType::asset_id: return Value{{}, canonical_id(as_string(json, type, path)), {}};
    case BaseType::record: return record_from_json(json, type, path);
    case BaseType::duration: return duration_from_json(json, path);
    case BaseType::list: {
      if (!json.is_array()) fail(path, "expected " + to_string(type) + " as a JSON array, got " + json.dump());
      if (type.args.size() != 1) fail(path, "a List type without its element type");
      Value value;
      for (std::size_t i = 0; i < json.size(); ++i) {
        value.items.push_back(value_from_json(json[i], type.args[0], path + "[" + std::to_string(i) + "]"));
      }
      return value;
    }
    default: break;
  }
  return Value{scalar_from_json(json, type, path).str(), {}, {}};
}

std::vector<Value> args_from_json(const nlohmann::json& object, const std::vector<TParam>& params) {
  if (!object.is_object()) fail("$", "expected the arguments as a JSON object by parameter name, got " + object.dump());
  for (const auto& [key, _] : object.items()) {
    bool known = false;
    for (const TParam& p : params) known = known || p.name == key;
    if (!known) fail("$." + key, "no parameter is called " + quoted(key));
  }
  std::vector<Value> args;
  for (const TParam& p : params) {
    if (!object.contains(p.name)) fail("$", "missing argument " + p.name + " (" + to_string(p.type) + ")");
    args.push_back(value_from_json(object[p.name], p.type, "$." + p.name));
  }
  return args;
}

}  // namespace savm::lang
