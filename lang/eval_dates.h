// Civil-date arithmetic of the Mizan built-ins (docs/mizan.md, "Dates"): a Date is the number of
// days since 1970-01-01 on the proleptic Gregorian calendar, a Timestamp Unix seconds (UTC, no
// leap seconds). Integer day numbers only; never the C library's time functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lang/eval_arith.h"
#include "lang/literals.h"

namespace savm::lang::eval {

// Day numbers the calendar functions accept: |day| ≤ 2^40 (about ±3 billion years), so every
// intermediate fits in 64 bits. Outside it add_months and year_of/month_of/day_of fault "overflow".
inline constexpr std::int64_t kMaxCalendarDay = std::int64_t{1} << 40;

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

struct YearMonthDay {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};
// Throws Fault "overflow" when |day| > kMaxCalendarDay.
YearMonthDay civil_from_days(const BigInt& day);

// The same day number `months` later (earlier when negative); when the target month is shorter
// the result is its last day: 2024-01-31 + 1 month = 2024-02-29, 2025-01-31 + 1 month = 2025-02-28.
BigInt add_months(const BigInt& day, const BigInt& months);

// YYYY-MM-DD for years 0..9999, else the day number itself ("day 1000000000").
std::string format_date(const BigInt& day);

// The day number of a YYYY-MM-DD date (years 0001..9999), or nullopt with `why` set.
std::optional<std::int64_t> parse_date_days(std::string_view text, std::string& why);

}  // namespace savm::lang::eval
