// Literal validation (lang/literals.h) against the calendar and the lexical rules of
// docs/mizan.md, with expectations worked out by hand.
#include <gtest/gtest.h>

#include "lang/literals.h"

namespace savm::lang {
namespace {

TEST(MizanLiterals, DatesFollowTheGregorianCalendar) {
  std::string why;
  EXPECT_EQ(parse_date("2024-02-29", why), (CivilDate{2024, 2, 29}));  // divisible by 4
  EXPECT_EQ(parse_date("2000-02-29", why), (CivilDate{2000, 2, 29}));  // divisible by 400
  EXPECT_FALSE(parse_date("1900-02-29", why));                         // by 100, not 400
  EXPECT_EQ(why, "1900-02 has no day 29");
  EXPECT_FALSE(parse_date("2023-02-29", why));
  EXPECT_FALSE(parse_date("2025-02-30", why));
  EXPECT_FALSE(parse_date("2025-04-31", why));
  EXPECT_TRUE(parse_date("2025-12-31", why));
  EXPECT_FALSE(parse_date("2025-13-01", why));
  EXPECT_EQ(why, "month 13 is not in 1..12");
  EXPECT_FALSE(parse_date("2025-00-10", why));
  EXPECT_FALSE(parse_date("2025-01-00", why));
  EXPECT_FALSE(parse_date("0000-01-01", why));
  EXPECT_FALSE(parse_date("2025-1-01", why));
  EXPECT_EQ(to_string(CivilDate{987, 3, 4}), "0987-03-04");
}

TEST(MizanLiterals, Timestamps) {
  std::string why;
  EXPECT_TRUE(parse_timestamp("2025-01-01T23:59:59Z", why));
  EXPECT_FALSE(parse_timestamp("2025-01-01T24:00:00Z", why));
  EXPECT_FALSE(parse_timestamp("2025-01-01T12:60:00Z", why));
  EXPECT_FALSE(parse_timestamp("2025-01-01T12:00:60Z", why));  // no leap seconds
  EXPECT_FALSE(parse_timestamp("2025-02-29T00:00:00Z", why));
}

TEST(MizanLiterals, Numbers) {
  std::string why;
  EXPECT_EQ(parse_number("600_000", why), "600000");
  EXPECT_EQ(parse_number("1_200_000.50", why), "1200000.50");
  EXPECT_EQ(parse_number("0", why), "0");
  EXPECT_EQ(parse_number("0.05", why), "0.05");
  EXPECT_FALSE(parse_number("1__0", why));
  EXPECT_FALSE(parse_number("10_", why));
  EXPECT_FALSE(parse_number("1_.5", why));
  EXPECT_FALSE(parse_number("1._5", why));
  EXPECT_FALSE(parse_number("007", why));
  EXPECT_EQ(why, "a number cannot start with 0 (leading zeros are ambiguous)");
}

TEST(MizanLiterals, Strings) {
  std::string why;
  std::size_t bad = 0;
  EXPECT_EQ(parse_string(R"("a\"b\\c\nd\te")", why, bad), "a\"b\\c\nd\te");
  EXPECT_EQ(parse_string("\"\"", why, bad), "");
  EXPECT_EQ(parse_string("\"قانون\"", why, bad), "قانون");
  EXPECT_FALSE(parse_string(R"("ab\q")", why, bad));
  EXPECT_EQ(bad, 3u);
}

TEST(MizanLiterals, CurrencyCodeShape) {
  EXPECT_TRUE(is_currency_code("PKR"));
  EXPECT_TRUE(is_currency_code("AED"));
  EXPECT_FALSE(is_currency_code("pkr"));
  EXPECT_FALSE(is_currency_code("PK"));
  EXPECT_FALSE(is_currency_code("PKRS"));
  EXPECT_FALSE(is_currency_code("P1R"));
}

}  // namespace
}  // namespace savm::lang
