// Validation of Mizan literal text. The lexer accepts literal shapes loosely (docs/design/
// mizan-syntax.md) so that these functions can say exactly what is wrong: each returns the value
// or sets `why` to a sentence for the diagnostic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace savm::lang {

struct CivilDate {
  std::int32_t year = 1970;
  std::uint8_t month = 1;
  std::uint8_t day = 1;

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

std::string to_string(const CivilDate& date);  // YYYY-MM-DD
// Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian, H. Hinnant's civil_from_days with
// floor division, so days before 1970 work too; the year may have more than four digits).
std::string date_text(std::int64_t days);

// Digits with '_' group separators and an optional fraction: "600_000", "0.05". Returns the
// digits without separators. Rejects a separator that is doubled, trailing, or next to the
// point, and a leading zero ("007").
std::optional<std::string> parse_number(std::string_view text, std::string& why);

// YYYY-MM-DD on the proleptic Gregorian calendar, years 0001 to 9999.
std::optional<CivilDate> parse_date(std::string_view text, std::string& why);

// YYYY-MM-DDTHH:MM:SSZ (UTC only; no leap second). Returns the text unchanged.
std::optional<std::string> parse_timestamp(std::string_view text, std::string& why);

// The body of a string literal (quotes included in `text`), with \" \\ \n \t unescaped.
// On a bad escape, `bad_offset` is its byte offset in `text`.
std::optional<std::string> parse_string(std::string_view text, std::string& why, std::size_t& bad_offset);

// An ISO 4217-shaped code: three ASCII capital letters.
bool is_currency_code(std::string_view text);

}  // namespace savm::lang
