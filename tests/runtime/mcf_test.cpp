// MCF (canonical JSON): every expected value here comes from a published source (FORMATS.md,
// RFC 8785, RFC 3629, RFC 3339, the domain brief) or is worked out by hand in the comment next to
// it; none was produced by the code under test.
#include "runtime/mcf.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/digest.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

std::string canon(std::string_view text) { return canonicalize_text(text).str(); }

// Runs `body`, which must throw Error with `code` and a message containing `where` (a JSON path).
void expect_error(const std::function<void()>& body, const std::string& code, const std::string& where) {
  try {
    body();
    ADD_FAILURE() << "expected Error " << code << " at " << where << ", nothing thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos)
        << "message \"" << e.what() << "\" does not name " << where;
  }
}

void expect_parse_error(std::string_view text, const std::string& code, const std::string& where) {
  SCOPED_TRACE(std::string(text));
  expect_error([&] { parse_json(text); }, code, where);
}

// CanonicalBytes can only come from the canonicalizer (FORMATS.md: "make the wrong path
// unrepresentable").
static_assert(!std::is_constructible_v<CanonicalBytes, std::string>);
static_assert(!std::is_constructible_v<CanonicalBytes, std::string_view>);
static_assert(!std::is_constructible_v<CanonicalBytes, const char*>);

// ---- Published vectors -------------------------------------------------------------------------

TEST(Mcf, FormatsPublicVectors) {
  EXPECT_EQ(canon("{}"), "{}");
  EXPECT_EQ(digest_of(canonicalize_text("{}")).hex(),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(canon(R"({"b":2,"a":1})"), R"({"a":1,"b":2})");
  EXPECT_EQ(digest_of(canonicalize_text(R"({"b":2,"a":1})")).hex(),
            "43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777");
  // Whitespace anywhere RFC 8259 allows it does not change the bytes.
  EXPECT_EQ(canon(" \t\r\n{ \"b\" : 2 ,\n \"a\" :1 } \n"), R"({"a":1,"b":2})");
}

// RFC 8785 §3.2.3: the sorting example. JCS sorts by UTF-16 code units, which puts the emoji
// U+1F600 (surrogates D83D DE00) before U+FB33. MCF sorts by UTF-8 bytes (serde_json's BTreeMap
// order, FORMATS.md rule 3), where U+FB33 (EF AC B3) comes before U+1F600 (F0 9F 98 80). That is
// the only pair in the example whose order differs; every other key is in the RFC's order.
TEST(Mcf, Rfc8785SortingExampleInUtf8Order) {
  const std::string input = R"json({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })json";
  const std::string expected =
      "{\"\\r\":\"Carriage Return\","
      "\"1\":\"One\","
      "\"\xC2\x80\":\"Control\","  // U+0080 is not < 0x20: written raw
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\","
      "\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\"}";
  EXPECT_EQ(canon(input), expected);
}

// RFC 8785 §3.2.2: the string and literals of the serialization example, with the RFC's output.
TEST(Mcf, Rfc8785StringEscapingExample) {
  const std::string input =
      R"json({"string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]})json";
  const std::string expected =
      "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
  EXPECT_EQ(canon(input), expected);
}

// The same RFC example's "numbers" member: JCS prints doubles, MCF rejects them (FORMATS.md rule 1).
TEST(Mcf, Rfc8785NumbersAreRejected) {
  expect_parse_error(R"({"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]})",
                     "mcf.float", "$.numbers[0]");
}

// ---- Output form -------------------------------------------------------------------------------

TEST(Mcf, EscapesExactlyTheJsonShortFormsAndOtherControlsAsLowercaseU00xx) {
  EXPECT_EQ(canon(R"(["\b\f\n\r\t\"\\\/"])"), R"(["\b\f\n\r\t\"\\/"])");
  EXPECT_EQ(canon(R"(["\u0000\u0001\u000B\u001F"])"), R"(["\u0000\u0001\u000b\u001f"])");
  EXPECT_EQ(canon(R"(["\u0008\u000c\u000A\u000D\u0009"])"), R"(["\b\f\n\r\t"])");
  // DEL, U+0080 and everything non-ASCII stay raw, whether written escaped or raw in the input.
  EXPECT_EQ(canon(R"(["\u007f\u00e9\u20ac\ud83d\ude00"])"), "[\"\x7F\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]");
  EXPECT_EQ(canon("[\"\xC3\xA9\"]"), canon(R"(["\u00e9"])"));
  EXPECT_EQ(canon(R"(["a/b"])"), R"(["a/b"])");
}

TEST(Mcf, CompactOutputAndLiterals) {
  EXPECT_EQ(canon(R"( [ 1 , [ ] , { } , "x" , true , false , null ] )"), R"([1,[],{},"x",true,false,null])");
  EXPECT_EQ(canon("0"), "0");
  EXPECT_EQ(canon("\"\""), "\"\"");
  EXPECT_EQ(canon("null"), "null");
  EXPECT_EQ(canon(R"({"z":{"b":[3,2,1],"a":null},"a":{}})"), R"({"a":{},"z":{"a":null,"b":[3,2,1]}})");
}

TEST(Mcf, KeysSortByUtf8Bytes) {
  // Byte order: "A" 41 < "_" 5F < "a" 61 < "aa" < "b" < DEL 7F < U+00E9 C3 A9 < U+FFFF EF BF BF
  // < U+10000 F0 90 80 80.
  const std::string input = "{\"\xF0\x90\x80\x80\":0,\"\xEF\xBF\xBF\":1,\"\xC3\xA9\":2,\"\x7F\":3,"
                            "\"b\":4,\"aa\":5,\"a\":6,\"_\":7,\"A\":8}";
  const std::string expected = "{\"A\":8,\"_\":7,\"a\":6,\"aa\":5,\"b\":4,\"\x7F\":3,\"\xC3\xA9\":2,"
                               "\"\xEF\xBF\xBF\":1,\"\xF0\x90\x80\x80\":0}";
  EXPECT_EQ(canon(input), expected);
}

// ---- Integers ----------------------------------------------------------------------------------

TEST(Mcf, IntegerBoundariesAreExact) {
  EXPECT_EQ(canon("-9223372036854775808"), "-9223372036854775808");  // -2^63
  EXPECT_EQ(canon("18446744073709551615"), "18446744073709551615");  // 2^64-1
  EXPECT_EQ(canon("9223372036854775807"), "9223372036854775807");    // 2^63-1
  EXPECT_EQ(canon("9223372036854775808"), "9223372036854775808");    // 2^63: needs u64
  EXPECT_EQ(canon("9007199254740993"), "9007199254740993");          // 2^53+1: not a double
  EXPECT_EQ(canon("[0,-1,1]"), "[0,-1,1]");
  const Json parsed = parse_json("[-9223372036854775808,18446744073709551615]");
  EXPECT_EQ(parsed[0].get<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(parsed[1].get<std::uint64_t>(), UINT64_MAX);
}

TEST(Mcf, IntegersOutsideI64U64AreRangeErrors) {
  expect_parse_error("-9223372036854775809", "mcf.range", "$");       // -2^63-1
  expect_parse_error("18446744073709551616", "mcf.range", "$");       // 2^64
  expect_parse_error("184467440737095516150", "mcf.range", "$");
  expect_parse_error("-99999999999999999999999999999999", "mcf.range", "$");
  expect_parse_error(R"({"a":[0,1,18446744073709551616]})", "mcf.range", "$.a[2]");
  expect_parse_error(R"({"a":[0,1,18446744073709551616]})", "mcf.range", "byte 10");
}

TEST(Mcf, FractionsExponentsAndNegativeZeroAreFloatErrors) {
  for (const char* number : {"1.0", "1e2", "1E-2", "-0.0", "0.5", "1e+2", "-0", "-1.5E3"}) {
    expect_parse_error(number, "mcf.float", "$");
    expect_parse_error(std::string(R"({"amount":{"v":[)") + number + "]}}", "mcf.float", "$.amount.v[0]");
  }
  for (const char* text : {"NaN", "Infinity", "-Infinity", "[1,NaN]"}) expect_parse_error(text, "mcf.float", "$");
}

TEST(Mcf, CanonicalizeRejectsFloatsAndBinaryInValues) {
  Json value = {{"receipts", Json::array({Json::object(), Json::object({{"amount", 1.5}})})}};
  expect_error([&] { canonicalize(value); }, "mcf.float", "$.receipts[1].amount");
  expect_error([&] { canonicalize(Json(0.0)); }, "mcf.float", "$");
  expect_error([&] { canonicalize(Json::array({Json::binary({1, 2})})); }, "mcf.type", "$[0]");
  // Integers built in code print exactly, signed or unsigned.
  EXPECT_EQ(canonicalize(Json::array({INT64_MIN, UINT64_MAX, std::int64_t{5}})).str(),
            "[-9223372036854775808,18446744073709551615,5]");
}

// ---- Strict syntax -----------------------------------------------------------------------------

TEST(Mcf, RejectsWhatRfc8259Rejects) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"", "$"},                  {"   ", "$"},             {"[1,]", "$[1]"},
      {R"({"a":1,})", "$"},       {R"({"a":[1 2]})", "$.a"},        {"{'a':1}", "$"},
      {"{a:1}", "$"},             {R"({"a" 1})", "$"},      {"01", "$"},
      {"-01", "$"},               {"+1", "$"},              {".5", "$"},
      {"1.", "$"},                {"1e", "$"},              {"1e+", "$"},
      {"-", "$"},                 {"[-]", "$[0]"},          {"tru", "$"},
      {"nul", "$"},               {"True", "$"},            {"[1]/*c*/", "$"},
      {"// c\n1", "$"},           {"{} {}", "$"},           {"1 2", "$"},
      {"[1]]", "$"},              {R"(["\x"])", "$[0]"},   {R"(["\'"])", "$[0]"},
      {R"(["\u12"])", "$[0]"},   {R"(["\u12g4"])", "$[0]"}, {"[\"a\tb\"]", "$[0]"},
      {"[\"a\nb\"]", "$[0]"},    {"[\"\x1F\"]", "$[0]"},   {"\"abc", "$"},
      {"\xEF\xBB\xBF{}", "$"},   {"[", "$"},               {R"({"a":)", "$.a"},
      {R"({"a":{"b":[1,2,}})", "$.a.b[2]"},
  };
  for (const auto& [text, where] : cases) expect_parse_error(text, "mcf.syntax", where);
  expect_parse_error(std::string("{\"a\":1}\0", 8), "mcf.syntax", "byte 7");  // NUL after the value
  expect_parse_error(std::string("[\"a\0b\"]", 7), "mcf.syntax", "$[0]");    // raw NUL in a string
}

TEST(Mcf, ErrorMessagesNameTheByteOffset) {
  expect_parse_error("[1,2,x]", "mcf.syntax", "byte 5");
  expect_parse_error(R"({"k":[true,fals]})", "mcf.syntax", "$.k[1] (byte 11)");
}

TEST(Mcf, PathsQuoteKeysThatAreNotIdentifiers) {
  expect_parse_error(R"({"a b":{"x\"y":[1.5]}})", "mcf.float", R"($["a b"]["x\"y"][0])");
  expect_parse_error(R"({"_id9":{"9":1.5}})", "mcf.float", R"($._id9["9"])");
}

// ---- Duplicate keys ----------------------------------------------------------------------------

TEST(Mcf, DuplicateKeysAreRejected) {
  expect_parse_error(R"({"a":1,"a":2})", "mcf.duplicate_key", "\"a\"");
  expect_parse_error(R"({"a":1,"a":1})", "mcf.duplicate_key", "byte 7");
  // Equal after unescaping: "a" and "\u0061"; "é" raw and escaped.
  expect_parse_error(R"({"a":1,"\u0061":2})", "mcf.duplicate_key", "\"a\"");
  expect_parse_error("{\"\xC3\xA9\":1,\"\\u00e9\":2}", "mcf.duplicate_key", "\xC3\xA9");
  expect_parse_error(R"({"x":[{"k":1,"j":2,"k":3}]})", "mcf.duplicate_key", "$.x[0].k");
  // The same key in different objects is fine.
  EXPECT_EQ(canon(R"({"a":{"a":1},"b":{"a":2}})"), R"({"a":{"a":1},"b":{"a":2}})");
}

// ---- UTF-8 -------------------------------------------------------------------------------------

TEST(Mcf, InvalidUtf8IsRejectedEveryClass) {
  const std::vector<std::pair<const char*, const char*>> classes = {
      {"\x80", "stray continuation byte"},
      {"\xBF", "stray continuation byte"},
      {"\xC0\x80", "overlong 2-byte NUL"},
      {"\xC1\xBF", "overlong 2-byte"},
      {"\xE0\x80\x80", "overlong 3-byte"},
      {"\xE0\x9F\xBF", "overlong 3-byte (U+07FF)"},
      {"\xF0\x80\x80\x80", "overlong 4-byte"},
      {"\xF0\x8F\xBF\xBF", "overlong 4-byte (U+FFFF)"},
      {"\xED\xA0\x80", "encoded high surrogate U+D800"},
      {"\xED\xBF\xBF", "encoded low surrogate U+DFFF"},
      {"\xF4\x90\x80\x80", "U+110000, above U+10FFFF"},
      {"\xF5\x80\x80\x80", "lead byte F5"},
      {"\xFF", "byte FF"},
      {"\xFE", "byte FE"},
      {"\xE2\x82", "truncated 3-byte sequence"},
      {"\xF0\x9F\x98", "truncated 4-byte sequence"},
      {"\xC3", "truncated 2-byte sequence"},
      {"\xC3\x41", "lead byte followed by ASCII"},
  };
  for (const auto& entry : classes) {
    const std::string bytes = entry.first;  // a plain variable: clang 14 cannot capture bindings
    SCOPED_TRACE(entry.second);
    expect_parse_error(std::string("{\"k\":[\"a") + bytes + "b\"]}", "mcf.utf8", "$.k[0]");
    expect_parse_error(std::string("{\"") + bytes + "\":1}", "mcf.utf8", "$");  // in a key
    expect_error([&] { canonicalize(Json{{"k", std::string("a") + bytes}}); }, "mcf.utf8", "$.k");
    expect_error([&] { canonicalize(Json{{std::string("a") + bytes, 1}}); }, "mcf.utf8", "$");
  }
  // Cut off by the end of the document itself.
  expect_parse_error("[\"\xE2\x82", "mcf.utf8", "$[0]");
}

TEST(Mcf, Utf8BoundaryCodePointsAreAccepted) {
  // RFC 3629 §4: the first and last scalar value of each sequence length, and around surrogates.
  for (const char* bytes : {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                            "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    const std::string doc = std::string("[\"") + bytes + "\"]";
    EXPECT_EQ(canon(doc), doc);
  }
}

TEST(Mcf, LoneSurrogateEscapesAreRejected) {
  expect_parse_error(R"(["\ud800"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\uDBFF"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\udc00"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\uDFFF\ud800"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\ud800x"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\ud800\u0041"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"(["\ud800\ud800"])", "mcf.utf8", "$[0]");
  expect_parse_error(R"({"\ud83d":1})", "mcf.utf8", "$");
  // A proper pair: U+10FFFF = DBFF DFFF, encoded F4 8F BF BF.
  EXPECT_EQ(canon(R"(["\udbff\udfff"])"), "[\"\xF4\x8F\xBF\xBF\"]");
}

// ---- Limits ------------------------------------------------------------------------------------

TEST(Mcf, HundredThousandDeepNestingFailsFastWithoutRecursion) {
  const std::string open(100'000, '[');
  const auto start = std::chrono::steady_clock::now();
  expect_error([&] { parse_json(open + std::string(100'000, ']')); }, "mcf.limit", "[0][0]");
  expect_error([&] { parse_json(std::string(100'000, '[')); }, "mcf.limit", "$");
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
  expect_error([&] { parse_json(objects); }, "mcf.limit", "$.a.a.a");
  // Generous: the real cost is microseconds; this only catches accidental quadratic behaviour.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Mcf, DepthLimitIsExact) {
  const JsonLimits limits;  // default depth 64
  ASSERT_EQ(limits.max_depth, 64u);
  const std::string at_limit = std::string(64, '[') + std::string(64, ']');
  EXPECT_EQ(canon(at_limit), at_limit);
  expect_parse_error(std::string(65, '[') + std::string(65, ']'), "mcf.limit", "$");
  JsonLimits shallow;
  shallow.max_depth = 2;
  EXPECT_NO_THROW(parse_json(R"({"a":[]})", shallow));
  expect_error([&] { parse_json(R"({"a":[{}]})", shallow); }, "mcf.limit", "$.a[0]");
  expect_error([&] { canonicalize(Json::parse(R"({"a":[{}]})"), shallow); }, "mcf.limit", "$.a[0]");
}

// With the limit raised, a 100,000-deep value is parsed, canonicalized and destroyed without
// recursing (nlohmann::json 3.11 destroys children iteratively too).
TEST(Mcf, DeepValuesAreHandledIterativelyWhenAllowed) {
  JsonLimits deep;
  deep.max_depth = 200'000;
  const std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  {
    const Json value = parse_json(text, deep);
    EXPECT_EQ(canonicalize(value, deep).str(), text);
    expect_error([&] { canonicalize(value); }, "mcf.limit", "$[0]");
  }
}

TEST(Mcf, SizeLimitIsEnforced) {
  JsonLimits small;
  small.max_bytes = 8;
  EXPECT_NO_THROW(parse_json("[1,2,3]", small));
  EXPECT_NO_THROW(parse_json("[1,2,34]", small));  // exactly 8 bytes
  expect_error([&] { parse_json("[1,2,345]", small); }, "mcf.limit", "byte 0");
}

// ---- Truncation and idempotence ----------------------------------------------------------------

TEST(Mcf, EveryProperPrefixOfADocumentIsRejected) {
  const std::string doc =
      "{\"a\":[1,-2,{\"b\":\"x\\u00e9\\ud83d\\ude00y\xC3\xA9\"}],\"c\":true,\"d\":null,\"e\":false,"
      "\"t\":\"2026-01-15T17:00:00+05:00\",\"n\":18446744073709551615}";
  ASSERT_NO_THROW(parse_json(doc));
  for (std::size_t n = 0; n < doc.size(); ++n) {
    SCOPED_TRACE(n);
    try {
      parse_json(std::string_view(doc).substr(0, n));
      ADD_FAILURE() << "prefix of " << n << " bytes accepted";
    } catch (const Error& e) {
      EXPECT_TRUE(e.code() == "mcf.syntax" || e.code() == "mcf.utf8") << e.code() << ": " << e.what();
    }
  }
}

// A scalar document's prefixes may themselves be valid documents ("12" of "123"): each prefix is
// either rejected or parses to a value that canonicalizes without error.
TEST(Mcf, PrefixesOfScalarDocumentsAreRejectedOrValid) {
  for (const std::string_view doc : {"18446744073709551615", "-9223372036854775808", "\"abc\\u00e9\"", "true"}) {
    for (std::size_t n = 0; n <= doc.size(); ++n) {
      try {
        const Json value = parse_json(doc.substr(0, n));
        EXPECT_NO_THROW(canonicalize(value));
      } catch (const Error& e) {
        EXPECT_TRUE(e.code() == "mcf.syntax" || e.code() == "mcf.utf8") << e.what();
      }
    }
  }
}

TEST(Mcf, CanonicalizationIsIdempotent) {
  const std::vector<std::string> canonical = {
      "{}", "[]", R"({"a":1,"b":2})", R"({"a":{"b":[1,{"c":"2026-01-15T12:00:00Z"}]}})",
      "{\"\\r\":\"\\u0001\",\"x\":\"\xF0\x9F\x98\x80\"}", R"([-9223372036854775808,18446744073709551615])",
      R"({"plain_date":"2026-01-15","s":"not a date","t":"2016-12-31T23:59:60Z"})",
  };
  for (const std::string& bytes : canonical) {
    EXPECT_EQ(canon(bytes), bytes);
    EXPECT_EQ(canonicalize(parse_json(canon(bytes))).str(), bytes);
  }
  // From non-canonical input: canonicalizing the output again changes nothing.
  const std::string messy = R"({ "t" : "2026-01-15T17:00:00.5+05:00", "b":[ 1 , 2 ], "a" : "\u00e9" })";
  EXPECT_EQ(canon(canon(messy)), canon(messy));
}

// ---- Date-times (FORMATS.md rule 2, domain brief §4.1) -----------------------------------------

TEST(McfDateTime, DomainBriefExamples) {
  EXPECT_EQ(normalize_datetime("2026-01-15T12:00:00.123456+00:00"), "2026-01-15T12:00:00Z");
  EXPECT_EQ(normalize_datetime("2026-01-15T17:00:00+05:00"), "2026-01-15T12:00:00Z");
  EXPECT_EQ(normalize_datetime("2026-01-15"), "2026-01-15");  // plain dates untouched
  EXPECT_EQ(canon(R"({"ts":"2026-01-15T17:00:00+05:00","d":"2026-01-15"})"),
            R"({"d":"2026-01-15","ts":"2026-01-15T12:00:00Z"})");
}

TEST(McfDateTime, ValuesAreRewrittenKeysAreNot) {
  EXPECT_EQ(canon(R"({"2026-01-15T17:00:00+05:00":["2026-01-15T17:00:00+05:00"]})"),
            R"({"2026-01-15T17:00:00+05:00":["2026-01-15T12:00:00Z"]})");
  EXPECT_EQ(canonicalize(Json{{"at", "2026-01-15T17:00:00+05:00"}}).str(), R"({"at":"2026-01-15T12:00:00Z"})");
}

TEST(McfDateTime, OffsetsCrossDayMonthYearBoundaries) {
  // Worked by hand: subtract the offset from the local time.
  EXPECT_EQ(normalize_datetime("2025-12-31T22:30:00-02:00"), "2026-01-01T00:30:00Z");
  EXPECT_EQ(normalize_datetime("2026-01-01T01:15:07+01:30"), "2025-12-31T23:45:07Z");
  EXPECT_EQ(normalize_datetime("2024-03-01T00:00:00+00:01"), "2024-02-29T23:59:00Z");  // leap year
  EXPECT_EQ(normalize_datetime("2023-03-01T00:00:00+00:01"), "2023-02-28T23:59:00Z");
  EXPECT_EQ(normalize_datetime("1600-03-01T00:30:00+01:00"), "1600-02-29T23:30:00Z");  // 1600 % 400 == 0
  EXPECT_EQ(normalize_datetime("1900-03-01T00:30:00+01:00"), "1900-02-28T23:30:00Z");  // 1900 not leap
  EXPECT_EQ(normalize_datetime("1969-12-31T23:59:59-00:01"), "1970-01-01T00:00:59Z");  // across the epoch
  EXPECT_EQ(normalize_datetime("1970-01-01T00:00:00+23:59"), "1969-12-31T00:01:00Z");
  EXPECT_EQ(normalize_datetime("2026-06-15T12:00:00-00:00"), "2026-06-15T12:00:00Z");  // unknown offset
}

TEST(McfDateTime, AcceptedSpellings) {
  EXPECT_EQ(normalize_datetime("2026-01-15t17:00:00z"), "2026-01-15T17:00:00Z");
  EXPECT_EQ(normalize_datetime("2026-01-15 17:00:00+05:00"), "2026-01-15T12:00:00Z");  // space separator
  EXPECT_EQ(normalize_datetime("2026-01-15T12:00:00.999999999999Z"), "2026-01-15T12:00:00Z");  // truncated
  EXPECT_EQ(normalize_datetime("2026-01-15T12:00:59.9Z"), "2026-01-15T12:00:59Z");  // not rounded up
}

TEST(McfDateTime, LeapSecondIsCarriedThrough) {
  EXPECT_EQ(normalize_datetime("2016-12-31T23:59:60Z"), "2016-12-31T23:59:60Z");
  EXPECT_EQ(normalize_datetime("2017-01-01T05:29:60.5+05:30"), "2016-12-31T23:59:60Z");
}

TEST(McfDateTime, YearsOutsideFourDigitsAfterTheOffset) {
  EXPECT_EQ(normalize_datetime("0000-01-01T00:00:00+00:01"), "-0001-12-31T23:59:00Z");
  EXPECT_EQ(normalize_datetime("9999-12-31T23:59:59-00:01"), "+10000-01-01T00:00:59Z");
}

TEST(McfDateTime, InvalidDateTimesAreLeftUntouched) {
  for (const char* text : {
           "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-32T00:00:00Z",
           "2026-04-31T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
           "2026-01-00T00:00:00Z", "2026-01-15T24:00:00Z", "2026-01-15T12:60:00Z",
           "2026-01-15T12:00:61Z", "2026-01-15T12:00:00+24:00", "2026-01-15T12:00:00+05:60",
           "2026-01-15T12:00:00+0500", "2026-01-15T12:00:00+5:00", "2026-01-15T12:00Z",
           "2026-01-15T12:00:00", "2026-01-15T12:00:00.Z", "2026-01-15T12:00:00ZZ",
           "2026-01-15T12:00:00Z ", " 2026-01-15T12:00:00Z", "2026-01-15X12:00:00Z",
           "2026-1-15T12:00:00Z", "20260115T120000Z", "+2026-01-15T12:00:00Z",
           "2026-01-15T12:00:00+05:00:00", "2026-01-15T12:00:00UTC", "2026-01-15T1a:00:00Z",
           "2026-01-15_12:00:00Z", "2026-01-15T12:00:00,5Z", "", "12:00:00Z"}) {
    EXPECT_EQ(normalize_datetime(text), text);
    const std::string doc = std::string("[\"") + text + "\"]";
    EXPECT_EQ(canon(doc), doc);
  }
}

// Naive oracle: walk day by day from 1899-12-31 to 2101-01-01 with a month-length table written
// here, and check that 00:30 at +01:00 on each day is 23:30 UTC on the previous day.
TEST(McfDateTime, AgreesWithDayByDayCalendarWalk) {
  const auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  const auto month_days = [&](int y, int m) {
    const int table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : table[m - 1];
  };
  int y = 1899, m = 12, d = 31;
  char previous[32], current[32];
  std::snprintf(previous, sizeof previous, "%04d-%02d-%02d", y, m, d);
  while (y < 2101) {
    if (++d > month_days(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    std::snprintf(current, sizeof current, "%04d-%02d-%02d", y, m, d);
    ASSERT_EQ(normalize_datetime(std::string(current) + "T00:30:00+01:00"),
              std::string(previous) + "T23:30:00Z");
    std::memcpy(previous, current, sizeof previous);
  }
}

}  // namespace
}  // namespace savm::runtime
