#include "lang/currency.h"

#include <algorithm>
#include <array>
#include <utility>

namespace savm::lang {
namespace {

// Sorted by code (binary search). Exponents from ISO 4217 (list one, 2024).
constexpr std::array<std::pair<std::string_view, int>, 40> kExponents{{
    {"AED", 2}, {"AUD", 2}, {"BDT", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0},
    {"CNY", 2}, {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"IDR", 2}, {"INR", 2},
    {"IQD", 3}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KRW", 0}, {"KWD", 3}, {"LKR", 2}, {"LYD", 3},
    {"MYR", 2}, {"NGN", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PKR", 2}, {"QAR", 2}, {"RUB", 2},
    {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"TND", 3}, {"TRY", 2}, {"USD", 2}, {"VND", 0}, {"ZAR", 2},
}};

}  // namespace

std::optional<int> currency_exponent(std::string_view code) {
  const auto it = std::lower_bound(kExponents.begin(), kExponents.end(), code,
                                   [](const auto& entry, std::string_view c) { return entry.first < c; });
  if (it == kExponents.end() || it->first != code) return std::nullopt;
  return it->second;
}

}  // namespace savm::lang
