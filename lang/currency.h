// ISO 4217 minor-unit exponents: Money<CUR> is held in integer minor units (lang/program.h), so
// the checker needs each currency's exponent to convert `600_000 PKR` to 60_000_000 paisa.
#pragma once

#include <optional>
#include <string_view>

namespace savm::lang {

// The exponent of `code` (PKR 2, JPY 0, KWD 3), or nothing for a code this table does not know.
std::optional<int> currency_exponent(std::string_view code);

}  // namespace savm::lang
