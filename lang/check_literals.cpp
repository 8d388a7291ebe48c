// Literal values in the representation of lang/program.h: decimal digit strings scaled to
// integers (Money in minor units, Rate × 10^9, Decimal<s> × 10^s), dates as days since
// 1970-01-01, timestamps as Unix seconds, jurisdiction codes as short-string words.
#include <array>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {

std::string strip_zeros(const std::string& digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

std::string negate(const std::string& value) {
  if (value == "0") return value;
  return value[0] == '-' ? value.substr(1) : "-" + value;
}

std::string pow10(int exponent) { return "1" + std::string(static_cast<std::size_t>(exponent), '0'); }

std::optional<std::string> scaled(const std::string& digits, int scale) {
  const std::size_t point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();  // 0.50 at scale 1 is fine
  if (static_cast<int>(fraction.size()) > scale) return std::nullopt;
  fraction.append(static_cast<std::size_t>(scale) - fraction.size(), '0');
  return strip_zeros(whole + fraction);
}

// Howard Hinnant's days_from_civil (proleptic Gregorian).
std::int64_t days_from_civil(const CivilDate& date) {
  const std::int64_t m = date.month;
  const std::int64_t y = date.year - (m <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "YYYY-MM-DDTHH:MM:SSZ", already validated by the parser (lang/literals.h).
std::optional<std::string> timestamp_seconds(const std::string& text) {
  if (text.size() != 20) return std::nullopt;
  const auto num = [&](std::size_t at, std::size_t n) { return std::stoll(text.substr(at, n)); };
  const CivilDate date{static_cast<std::int32_t>(num(0, 4)), static_cast<std::uint8_t>(num(5, 2)),
                       static_cast<std::uint8_t>(num(8, 2))};
  const std::int64_t seconds = days_from_civil(date) * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  return std::to_string(seconds);
}

namespace {

// value × factor + add, on a decimal string (non-negative).
std::string mul_add(const std::string& value, int factor, int add) {
  std::string out;
  int carry = add;
  for (auto it = value.rbegin(); it != value.rend(); ++it) {
    const int d = (*it - '0') * factor + carry;
    out.insert(out.begin(), static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  while (carry > 0) {
    out.insert(out.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
  return strip_zeros(out);
}

}  // namespace

// 32 bytes: the code's bytes left-aligned, zeros, the length in the last byte (docs/vm.md).
std::string short_string_word(const std::string& bytes) {
  std::array<unsigned char, 32> word{};
  for (std::size_t i = 0; i < bytes.size() && i < 31; ++i) word[i] = static_cast<unsigned char>(bytes[i]);
  word[31] = static_cast<unsigned char>(bytes.size() < 31 ? bytes.size() : 31);
  std::string value = "0";
  for (const unsigned char b : word) value = mul_add(value, 256, b);
  return value;
}

std::optional<int> state_rank(const std::string& name) {
  static const std::array<const char*, 5> kStates{"non_compliant", "pending", "not_applicable", "exempt", "compliant"};
  for (std::size_t i = 0; i < kStates.size(); ++i) {
    if (name == kStates[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> domain_code(const std::string& name) {
  // FORMATS.md, "Compliance domains": index = wire code.
  static const std::array<const char*, 23> kDomains{
      "aml", "kyc", "sanctions", "tax", "securities", "corporate", "custody", "data_privacy",
      "licensing", "banking", "payments", "clearing", "settlement", "digital_assets", "employment",
      "immigration", "ip", "consumer_protection", "arbitration", "trade", "insurance", "anti_bribery", "sharia"};
  for (std::size_t i = 0; i < kDomains.size(); ++i) {
    if (name == kDomains[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

DayInterval day_interval(const Interval& interval) {
  DayInterval d;
  d.from = days_from_civil(interval.from);
  if (interval.to) d.to = days_from_civil(*interval.to);
  return d;
}

}  // namespace savm::lang::checking
