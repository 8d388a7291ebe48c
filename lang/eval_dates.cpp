#include "lang/eval_dates.h"

#include <cstdio>

namespace savm::lang::eval {
namespace {

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::int64_t calendar_day(const BigInt& day, const char* what) {
  if (day > kMaxCalendarDay || day < -kMaxCalendarDay) {
    throw Fault{"overflow", std::string(what) + ": the date lies outside the calendar range (|days| <= 2^40)"};
  }
  return static_cast<std::int64_t>(day);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t yoe = year - era * 400;
  const std::int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

YearMonthDay civil_from_days(const BigInt& day) {
  const std::int64_t z = calendar_day(day, "date") + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

BigInt add_months(const BigInt& day, const BigInt& months) {
  const YearMonthDay start = civil_from_days(day);
  const std::int64_t shift = calendar_day(months, "add_months");  // months, bounded like days
  const std::int64_t index = start.year * 12 + (start.month - 1) + shift;
  const std::int64_t year = floor_div(index, 12);
  const auto month = static_cast<unsigned>(index - year * 12 + 1);
  const unsigned last = days_in_month(year, month);
  const BigInt result = days_from_civil(year, month, start.day < last ? start.day : last);
  calendar_day(result, "add_months");
  return result;
}

std::string format_date(const BigInt& day) {
  if (day > kMaxCalendarDay || day < -kMaxCalendarDay) return "day " + day.str();
  const YearMonthDay ymd = civil_from_days(day);
  if (ymd.year < 0 || ymd.year > 9999) return "day " + day.str();
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year), ymd.month, ymd.day);
  return text;
}

std::optional<std::int64_t> parse_date_days(std::string_view text, std::string& why) {
  const std::optional<CivilDate> date = parse_date(text, why);
  if (!date) return std::nullopt;
  return days_from_civil(date->year, date->month, date->day);
}

}  // namespace savm::lang::eval
