// The JSON mapping of values (lang/value_json.h): each type's output against a hand-written
// string, round trips, and input errors that name the JSON path.
#include "lang/value_json.h"

#include <gtest/gtest.h>

#include "tests/lang/program_builder.h"

namespace savm::testing {
namespace {

using nlohmann::json;

Value scalar(const std::string& text) { return Value{text, {}, {}}; }

std::string round_trip(const std::string& text, const Type& type) {
  return value_to_json(value_from_json(json::parse(text), type, "$"), type);
}

std::string error_of(const std::string& text, const Type& type) {
  try {
    value_from_json(json::parse(text), type, "$");
  } catch (const ValueJsonError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ValueJson, MoneyInMajorUnitsWithOnlyTheNeededDigits) {
  const Type pkr = t_money("PKR");
  EXPECT_EQ(value_to_json(scalar("150000000"), pkr), R"({"amount":"1500000","currency":"PKR"})");
  EXPECT_EQ(value_to_json(scalar("50"), pkr), R"({"amount":"0.5","currency":"PKR"})");
  EXPECT_EQ(value_to_json(scalar("-1225"), pkr), R"({"amount":"-12.25","currency":"PKR"})");
  EXPECT_EQ(value_to_json(scalar("0"), pkr), R"({"amount":"0","currency":"PKR"})");
  EXPECT_EQ(value_to_json(scalar("7"), t_money("JPY")), R"({"amount":"7","currency":"JPY"})");
  EXPECT_EQ(value_to_json(scalar("1005"), t_money("KWD")), R"({"amount":"1.005","currency":"KWD"})");
  EXPECT_EQ(value_from_json(json::parse(R"({"amount":"1500000","currency":"PKR"})"), pkr, "$").scalar, "150000000");
  EXPECT_EQ(value_from_json(json::parse(R"({"amount":"-0.05","currency":"PKR"})"), pkr, "$").scalar, "-5");
  EXPECT_EQ(round_trip(R"({"currency":"PKR","amount":"12.30"})", pkr), R"({"amount":"12.3","currency":"PKR"})");
}

TEST(ValueJson, MoneyErrorsNameThePath) {
  const Type pkr = t_money("PKR");
  EXPECT_EQ(error_of(R"({"amount":"1.005","currency":"PKR"})", pkr),
            R"($.amount: "1.005" has 3 fraction digits; Money<PKR> has at most 2)");
  EXPECT_EQ(error_of(R"({"amount":"1","currency":"AED"})", pkr), R"($.currency: expected PKR, got "AED")");
  EXPECT_EQ(error_of(R"({"amount":"1"})", pkr), "$: missing field currency");
  EXPECT_EQ(error_of(R"({"amount":"1","currency":"PKR","x":1})", pkr), "$.x: unknown field (Money has amount and currency)");
  EXPECT_NE(error_of(R"({"amount":1,"currency":"PKR"})", pkr).find("$.amount: expected Money<PKR> as a JSON string"), std::string::npos);
  EXPECT_NE(error_of(R"({"amount":"1e5","currency":"PKR"})", pkr).find("$.amount: expected Money<PKR> as a decimal string"), std::string::npos);
  EXPECT_NE(error_of(R"({"amount":"","currency":"PKR"})", pkr).find("$.amount"), std::string::npos);
  EXPECT_NE(error_of(R"({"amount":"1.","currency":"PKR"})", pkr).find("$.amount"), std::string::npos);
}

TEST(ValueJson, RatesAsPercentOrBasisPoints) {
  EXPECT_EQ(value_to_json(scalar("50000000"), t_rate()), R"("5%")");
  EXPECT_EQ(value_to_json(scalar("55000000"), t_rate()), R"("5.5%")");
  EXPECT_EQ(value_to_json(scalar("2500000"), t_rate()), R"("0.25%")");
  EXPECT_EQ(value_to_json(scalar("1"), t_rate()), R"("0.0000001%")");
  EXPECT_EQ(value_from_json(json("25 bps"), t_rate(), "$").scalar, "2500000");
  EXPECT_EQ(value_from_json(json("15%"), t_rate(), "$").scalar, "150000000");
  EXPECT_EQ(value_from_json(json("-1.5%"), t_rate(), "$").scalar, "-15000000");
  EXPECT_NE(error_of(R"("0.15")", t_rate()).find("expected a Rate"), std::string::npos);
  EXPECT_NE(error_of(R"("0.00000001%")", t_rate()).find("fraction digits"), std::string::npos);
}

TEST(ValueJson, DecimalsKeepTheirScaleAndIntsUseStringsOutsideInt64) {
  EXPECT_EQ(value_to_json(scalar("150"), t_decimal(2)), R"("1.50")");
  EXPECT_EQ(value_to_json(scalar("-5"), t_decimal(3)), R"("-0.005")");
  EXPECT_EQ(value_to_json(scalar("15"), t_decimal(0)), R"("15")");
  EXPECT_EQ(value_from_json(json("1.5"), t_decimal(2), "$").scalar, "150");
  EXPECT_EQ(value_from_json(json("7"), t_decimal(2), "$").scalar, "700");
  EXPECT_EQ(value_to_json(scalar("9223372036854775807"), t_int()), "9223372036854775807");
  EXPECT_EQ(value_to_json(scalar("-9223372036854775808"), t_int()), "-9223372036854775808");
  EXPECT_EQ(value_to_json(scalar("9223372036854775808"), t_int()), R"("9223372036854775808")");
  EXPECT_EQ(value_from_json(json::parse("18446744073709551615"), t_int(), "$").scalar, "18446744073709551615");
  EXPECT_EQ(value_from_json(json("-42"), t_int(), "$").scalar, "-42");
  EXPECT_NE(error_of("1.5", t_int()).find("expected Int as a JSON integer"), std::string::npos);
  const std::string too_big = "57896044618658097711785492504343953926634992332820282019728792003956564819968";  // 2^255
  EXPECT_NE(error_of("\"" + too_big + "\"", t_int()).find("outside the signed 256-bit range"), std::string::npos);
}

TEST(ValueJson, DatesTimestampsBoolsAndStrings) {
  EXPECT_EQ(value_to_json(scalar("20089"), t_date()), R"("2025-01-01")");
  EXPECT_EQ(value_from_json(json("2024-02-29"), t_date(), "$").scalar, "19782");
  EXPECT_NE(error_of(R"("2025-02-29")", t_date()).find("$: expected a Date"), std::string::npos);
  Type ts;
  ts.base = BaseType::timestamp;
  EXPECT_EQ(value_to_json(scalar("1735689600"), ts), R"("2025-01-01T00:00:00Z")");
  EXPECT_EQ(value_to_json(scalar("-1"), ts), R"("1969-12-31T23:59:59Z")");
  EXPECT_EQ(value_from_json(json("2025-01-01T12:30:05Z"), ts, "$").scalar, std::to_string(1735689600 + 45005));
  EXPECT_EQ(value_to_json(scalar("1"), t_bool()), "true");
  EXPECT_EQ(value_from_json(json(false), t_bool(), "$").scalar, "0");
  EXPECT_NE(error_of("1", t_bool()).find("expected a Bool"), std::string::npos);
  EXPECT_EQ(value_to_json(Value{{}, "s.153(1)(a) \"x\"", {}}, t_string()), R"("s.153(1)(a) \"x\"")");
  EXPECT_EQ(value_from_json(json("abc"), t_string(), "$").bytes, "abc");
}

TEST(ValueJson, StatesDomainsEnumsAndJurisdictions) {
  EXPECT_EQ(value_to_json(scalar("4"), t_state()), R"("compliant")");
  EXPECT_EQ(value_from_json(json("not_applicable"), t_state(), "$").scalar, "2");
  Type domain;
  domain.base = BaseType::domain;
  EXPECT_EQ(value_to_json(scalar("3"), domain), R"("tax")");
  EXPECT_EQ(value_from_json(json("sharia"), domain, "$").scalar, "22");
  EnumInfo kind{"pk.fbr.PayeeKind", {"company", "individual", "aop"}, {}};
  EXPECT_EQ(value_to_json(scalar("2"), t_enum(&kind)), R"("aop")");
  EXPECT_EQ(value_from_json(json("individual"), t_enum(&kind), "$").scalar, "1");
  EXPECT_EQ(error_of(R"("firm")", t_enum(&kind)), R"($: "firm" is not a variant of )" + to_string(t_enum(&kind)));
  Type jur;
  jur.base = BaseType::jurisdiction_id;
  // "pk": 0x70 0x6b, zeros, length 2 in the last byte (docs/vm.md, short string).
  const std::string pk_word = "50848091677257122621077718773880451966999159068183437995781704867000304533506";
  EXPECT_EQ(value_from_json(json("pk"), jur, "$").scalar, pk_word);
  EXPECT_EQ(value_to_json(scalar(pk_word), jur), R"("pk")");
  EXPECT_NE(error_of(R"("")", jur).find("1 to 31 bytes"), std::string::npos);
}

TEST(ValueJson, RecordsInFieldOrderListsAndDurations) {
  Program p;
  RecordInfo& slab = add_record(p, "pk.ito2001.Slab", {{"fixed", t_money("PKR")}, {"rate", t_rate()}, {"over", t_money("PKR")}});
  const Value value{{}, {}, {scalar("3000000"), scalar("150000000"), scalar("120000000")}};
  const std::string text =
      R"({"fixed":{"amount":"30000","currency":"PKR"},"rate":"15%","over":{"amount":"1200000","currency":"PKR"}})";
  EXPECT_EQ(value_to_json(value, t_record(&slab)), text);
  EXPECT_EQ(value_from_json(json::parse(text), t_record(&slab), "$"), value);
  EXPECT_EQ(error_of(R"({"fixed":{"amount":"1","currency":"PKR"},"rate":"1%"})", t_record(&slab)),
            "$: missing field over of " + to_string(t_record(&slab)));
  const Type list = t_list(t_record(&slab));
  EXPECT_EQ(error_of(R"([{"fixed":{"amount":"1","currency":"PKR"},"rate":"1","over":{"amount":"1","currency":"PKR"}}])", list),
            R"($[0].rate: expected a Rate like "5%", "5.5%" or "25 bps", got "1")");
  EXPECT_EQ(value_to_json(Value{{}, {}, {scalar("1"), scalar("-2")}}, t_list(t_int())), "[1,-2]");
  EXPECT_EQ(value_to_json(Value{}, t_list(t_int())), "[]");
  EXPECT_EQ(value_to_json(Value{{}, {}, {scalar("3"), scalar("0")}}, t_duration()), R"({"months":3,"days":0})");
  EXPECT_EQ(round_trip(R"({"days":5,"months":1})", t_duration()), R"({"months":1,"days":5})");
}

TEST(ValueJson, ArgumentsByParameterName) {
  const std::vector<TParam> params{{"income", t_money("PKR")}, {"year", t_int()}};
  const std::vector<Value> args =
      args_from_json(json::parse(R"({"year": 2025, "income": {"amount": "1500000", "currency": "PKR"}})"), params);
  EXPECT_EQ(args, (std::vector<Value>{scalar("150000000"), scalar("2025")}));
  auto error = [&](const std::string& text) {
    try {
      args_from_json(json::parse(text), params);
    } catch (const ValueJsonError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error(R"({"year": 2025})"), "$: missing argument income (Money<PKR>)");
  EXPECT_EQ(error(R"({"year": 2025, "income": {"amount": "1", "currency": "PKR"}, "extra": 1})"),
            R"($.extra: no parameter is called "extra")");
  EXPECT_EQ(error(R"({"year": true, "income": {"amount": "1", "currency": "PKR"}})"),
            "$.year: expected Int as a JSON integer or a decimal string, got true");
  EXPECT_NE(error("[]").find("$: expected the arguments as a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace savm::testing
