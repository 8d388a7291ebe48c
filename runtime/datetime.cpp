// The MCF date-time rule (normalize_datetime in runtime/mcf.h): an RFC 3339 date-time string
// becomes "YYYY-MM-DDTHH:MM:SSZ" in UTC.
//
// Grammar accepted (RFC 3339 §5.6, docs/formats.md):
//   YYYY "-" MM "-" DD sep hh ":" mm ":" ss [ "." 1*DIGIT ] ( "Z" / "z" / ("+" / "-") HH ":" MM )
//   sep = "T" / "t" / " "   (the space per the note in §5.6, as Rust chrono accepts it)
// with 01<=MM<=12, 01<=DD<=days in that month (proleptic Gregorian leap years), hh<24, mm<60,
// ss<=60, offset HH<24 and MM<60. Anything else, including plain dates, is not a date-time and is
// left untouched. Arithmetic is on integer day numbers (runtime/civil_calendar.h), never time_t,
// the C library or the locale, so the result is the same on every machine.
#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/civil_calendar.h"
#include "runtime/datetime.h"
#include "runtime/mcf.h"

namespace savm::runtime {
namespace {

// Reads `count` ASCII digits at text[pos] as a number; nullopt if any is not a digit.
std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return value;
}

bool char_at(std::string_view text, std::size_t pos, char c) { return pos < text.size() && text[pos] == c; }

// A date-time as written: local fields plus the offset east of UTC in minutes.
struct DateTime {
  unsigned year, month, day, hour, minute, second;
  int offset_minutes;
};

std::optional<int> parse_offset(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return std::nullopt;
  const char sign = text[pos];
  if ((sign == 'Z' || sign == 'z') && pos + 1 == text.size()) return 0;
  if (sign != '+' && sign != '-') return std::nullopt;
  const auto hours = digits(text, pos + 1, 2);
  const auto minutes = digits(text, pos + 4, 2);
  if (!hours || !char_at(text, pos + 3, ':') || !minutes || pos + 6 != text.size()) return std::nullopt;
  if (*hours > 23 || *minutes > 59) return std::nullopt;
  const int total = static_cast<int>(*hours * 60 + *minutes);
  return sign == '-' ? -total : total;
}

std::optional<DateTime> parse_datetime(std::string_view text) {
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  if (!year || !char_at(text, 4, '-') || !month || !char_at(text, 7, '-') || !day) return std::nullopt;
  if (!char_at(text, 10, 'T') && !char_at(text, 10, 't') && !char_at(text, 10, ' ')) return std::nullopt;
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!hour || !char_at(text, 13, ':') || !minute || !char_at(text, 16, ':') || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > civil::days_in_month(*year, *month)) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::size_t pos = 19;
  if (char_at(text, pos, '.')) {  // sub-seconds: at least one digit, truncated away
    const std::size_t first = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == first) return std::nullopt;
  }
  const auto offset = parse_offset(text, pos);
  if (!offset) return std::nullopt;
  return DateTime{*year, *month, *day, *hour, *minute, *second, *offset};
}

// chrono's "%Y": four digits inside 0000-9999, otherwise signed ("-0001", "+10000"). Only an
// offset applied to year 0000 or 9999 leaves that range.
std::string format_year(std::int64_t year) {
  if (year < 0) return fmt::format("-{:04}", -year);
  if (year > 9999) return fmt::format("+{}", year);
  return fmt::format("{:04}", year);
}

}  // namespace

std::optional<std::string> utc_datetime(std::string_view text) {
  // Cheap shape check first: canonicalization asks this of every string value.
  if (text.size() < 20 || text[4] != '-' || text[13] != ':') return std::nullopt;
  const auto dt = parse_datetime(text);
  if (!dt) return std::nullopt;
  // Shift whole minutes; the seconds field never changes, so a leap second (:60) is carried
  // through as written rather than rolled into the next minute (what chrono does as well).
  const std::int64_t local_minutes =
      civil::days_from_civil(dt->year, dt->month, dt->day) * 1440 + dt->hour * 60 + dt->minute;
  const std::int64_t utc_minutes = local_minutes - dt->offset_minutes;
  // Floor division: the epoch (day 0) is 1970, and years 0000-1969 are negative day numbers.
  const std::int64_t days = utc_minutes >= 0 ? utc_minutes / 1440 : -((-utc_minutes + 1439) / 1440);
  const std::int64_t minute_of_day = utc_minutes - days * 1440;
  const civil::Date date = civil::civil_from_days(days);
  if (date.year < 0 || date.year > 9999) {
    return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}Z", format_year(date.year), date.month, date.day,
                       minute_of_day / 60, minute_of_day % 60, dt->second);
  }
  // The usual case, written by hand: every receipt timestamp passes through here.
  std::string out = "0000-00-00T00:00:00Z";
  const auto put = [&out](std::size_t at, std::size_t width, std::uint64_t value) {
    for (std::size_t i = width; i-- > 0; value /= 10) out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<std::uint64_t>(date.year));
  put(5, 2, date.month);
  put(8, 2, date.day);
  put(11, 2, static_cast<std::uint64_t>(minute_of_day / 60));
  put(14, 2, static_cast<std::uint64_t>(minute_of_day % 60));
  put(17, 2, dt->second);
  return out;
}

bool is_utc_seconds_shape(std::string_view text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != kShape[i]) return false;
  }
  return true;
}

std::string normalize_datetime(std::string_view text) {
  auto utc = utc_datetime(text);
  return utc ? std::move(*utc) : std::string(text);
}

}  // namespace savm::runtime
