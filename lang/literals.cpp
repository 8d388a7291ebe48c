#include "lang/literals.h"

#include <cstdio>

namespace savm::lang {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The value of the `n` digits at `text[at]`; the caller has checked they are digits.
int digits_value(std::string_view text, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
  return v;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool has_shape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (shape[i] == 'D' ? !is_digit(text[i]) : text[i] != shape[i]) return false;
  }
  return true;
}

}  // namespace

std::string to_string(const CivilDate& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year), unsigned{date.month},
                unsigned{date.day});
  return buf;
}

std::string date_text(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[64];  // room for any int64 fields (59 bytes), so g++ sees no possible truncation
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                static_cast<long long>(d));
  return buf;
}

std::optional<std::string> parse_number(std::string_view text, std::string& why) {
  std::string digits;
  char prev = '\0';
  for (const char c : text) {
    if (c == '_') {
      if (prev == '_') return why = "'_' separates digit groups and cannot be doubled", std::nullopt;
      if (prev == '.') return why = "'_' cannot follow the decimal point", std::nullopt;
    } else if (c == '.') {
      if (prev == '_') return why = "'_' cannot precede the decimal point", std::nullopt;
      digits += c;
    } else if (is_digit(c)) {
      digits += c;
    } else {
      return why = std::string("unexpected character '") + c + "' in a number", std::nullopt;
    }
    prev = c;
  }
  if (prev == '_') return why = "a number cannot end with '_'", std::nullopt;
  if (digits.size() > 1 && digits[0] == '0' && digits[1] != '.') {
    return why = "a number cannot start with 0 (leading zeros are ambiguous)", std::nullopt;
  }
  return digits;
}

std::optional<CivilDate> parse_date(std::string_view text, std::string& why) {
  if (!has_shape(text, "DDDD-DD-DD")) {
    return why = "a date is written YYYY-MM-DD with four, two and two digits", std::nullopt;
  }
  const int year = digits_value(text, 0, 4);
  const int month = digits_value(text, 5, 2);
  const int day = digits_value(text, 8, 2);
  if (year == 0) return why = "there is no year 0000", std::nullopt;
  if (month < 1 || month > 12) return why = "month " + std::to_string(month) + " is not in 1..12", std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) {
    return why = to_string(CivilDate{year, static_cast<std::uint8_t>(month), 1}).substr(0, 7) + " has no day " +
                 std::to_string(day),
           std::nullopt;
  }
  return CivilDate{year, static_cast<std::uint8_t>(month), static_cast<std::uint8_t>(day)};
}

std::optional<std::string> parse_timestamp(std::string_view text, std::string& why) {
  if (!has_shape(text, "DDDD-DD-DDTDD:DD:DDZ")) {
    return why = "a timestamp is written YYYY-MM-DDTHH:MM:SSZ (UTC)", std::nullopt;
  }
  if (!parse_date(text.substr(0, 10), why)) return std::nullopt;
  const int h = digits_value(text, 11, 2);
  const int m = digits_value(text, 14, 2);
  const int s = digits_value(text, 17, 2);
  if (h > 23 || m > 59 || s > 59) return why = "the time of day must be in 00:00:00..23:59:59", std::nullopt;
  return std::string(text);
}

std::optional<std::string> parse_string(std::string_view text, std::string& why, std::size_t& bad_offset) {
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    const char e = text[i + 1];
    if (e == '"' || e == '\\') {
      out += e;
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 't') {
      out += '\t';
    } else {
      bad_offset = i;
      return why = "unknown escape; a string allows \\\" \\\\ \\n and \\t", std::nullopt;
    }
    ++i;
  }
  return out;
}

bool is_currency_code(std::string_view text) {
  return text.size() == 3 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z' &&
         text[2] >= 'A' && text[2] <= 'Z';
}

}  // namespace savm::lang
