// The streaming MCF writer against the canonicalizer (the oracle: a separate, tree-based path)
// and against hand-written canonical text; its structural checks; insert_member.
#include "runtime/canonical_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/mcf.h"
#include "tests/error_code.h"

namespace savm::runtime {
namespace {

using testing::error_code;

// Strings needing every kind of treatment: escapes, controls, DEL, non-ASCII, date-times that MCF
// rewrites (offsets, fractions, lowercase t/z, a space separator) and look-alikes it leaves alone.
const std::vector<std::string> kStrings = {
    "", "plain", "quote\" backslash\\ slash/", "\b\f\n\r\t", std::string("nul\0x", 5), "\x01\x1f\x7f",
    "Zürich", "東京", "\xF0\x9F\x98\x80", "2026-03-01T14:00:00+05:00", "2026-03-01t14:00:00.999z",
    "2026-03-01 23:59:60Z", "2026-12-31T23:30:00-01:00", "2026-03-01", "2026-02-30T00:00:00Z",
    "2026-03-01T14:00:00",
    // Already UTC seconds (copied as they are): valid, leap second, year edges, and look-alikes
    // that are no instant (month 13, hour 24) and stay as written either way.
    "2026-03-01T14:00:00Z", "2016-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z"};

TEST(CanonicalWriter, StringsAreWrittenAsTheCanonicalizerWritesThem) {
  for (const std::string& text : kStrings) {
    CanonicalWriter writer;
    writer.begin_object();
    writer.key(text);  // keys are escaped but never date-normalized
    writer.string(text);
    writer.end_object();
    EXPECT_EQ(writer.bytes(), canonicalize(Json{{text, text}})) << text;
  }
}

TEST(CanonicalWriter, EveryByteClassInEveryPositionOfTheWordScan) {
  // Plain printable ASCII is copied as it is; one byte that needs an escape (controls, '"', '\\')
  // or is not ASCII sends the string down the general path, wherever it sits among 8-byte words
  // and the tail. DEL (0x7F) is plain; a lone 0x80 is invalid UTF-8 and must still be refused.
  const std::string specials[] = {std::string(1, '\0'), "\x1f", " ", "\x7f", "\"", "\\", "\xc3\xa9"};
  for (std::size_t length = 1; length <= 19; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const std::string& special : specials) {
        std::string text(length, 'a');
        text.replace(at, 1, special);
        CanonicalWriter writer;
        writer.begin_object();
        writer.key(text);
        writer.string(text);
        writer.end_object();
        EXPECT_EQ(writer.bytes(), canonicalize(Json{{text, text}})) << length << " " << at;
      }
      std::string invalid(length, 'a');
      invalid[at] = '\x80';
      CanonicalWriter writer;
      writer.begin_object();
      EXPECT_EQ(error_code([&] { writer.key(invalid); }), "mcf.utf8");
    }
  }
}

TEST(CanonicalWriter, HandWrittenEscapesAndDates) {
  CanonicalWriter writer;
  writer.begin_array();
  writer.string("a\"\\\n\x01");
  writer.string("2026-03-01T14:00:00+05:00");
  writer.end_array();
  EXPECT_EQ(writer.view(), R"(["a\"\\\n\u0001","2026-03-01T09:00:00Z"])");
}

TEST(CanonicalWriter, IntegersAndDigests) {
  CanonicalWriter writer;
  writer.begin_array();
  writer.integer(std::numeric_limits<std::int64_t>::min());
  writer.integer(std::int64_t{-1});
  writer.integer(std::uint64_t{0});
  writer.integer(std::numeric_limits<std::uint64_t>::max());
  vm::Digest::Bytes bytes{};
  bytes[0] = 0xAB;
  bytes[31] = 0x0F;
  writer.digest(vm::Digest(bytes));
  writer.end_array();
  EXPECT_EQ(writer.view(), "[-9223372036854775808,-1,0,18446744073709551615,\"ab" + std::string(60, '0') + "0f\"]");
}

TEST(CanonicalWriter, KeysMustArriveInUtf8ByteOrder) {
  // Byte order: "Z" (0x5A) < "a" (0x61) < "é" (0xC3 0xA9).
  CanonicalWriter writer;
  writer.begin_object();
  for (const char* key : {"Z", "a", "é"}) {
    writer.key(key);
    writer.integer(std::uint64_t{1});
  }
  writer.end_object();
  EXPECT_EQ(writer.bytes(), canonicalize(Json{{"é", 1}, {"a", 1}, {"Z", 1}}));

  CanonicalWriter backwards;
  backwards.begin_object();
  backwards.key("b");
  backwards.integer(std::uint64_t{1});
  EXPECT_THROW(backwards.key("a"), std::logic_error);
  EXPECT_THROW(backwards.key("b"), std::logic_error);  // a duplicate is out of order too
}

// Plain keys are kept as positions in the output, escaped ones as copies: order checks and
// insert_member must compare raw keys. 0x01 sorts before '!' raw, but its escape "\u0001"
// (0x5C ...) sorts after it, and after the escape "\"q" of a quote.
TEST(CanonicalWriter, EscapedAndPlainKeysOrderAndInsertAsRawText) {
  CanonicalWriter writer;
  writer.begin_object();
  writer.key("\"q");
  writer.begin_object();
  writer.key("\x01");
  writer.integer(std::uint64_t{1});
  writer.key("!");
  writer.integer(std::uint64_t{2});
  EXPECT_THROW(writer.key("\x01"), std::logic_error);
  writer.end_object();
  writer.key("a");
  writer.integer(std::uint64_t{3});
  writer.key("é");
  writer.integer(std::uint64_t{4});
  writer.end_object();
  writer.insert_member("\x01", "first");
  writer.insert_member("b", "between");
  writer.insert_member("ü", "last");
  const Json expected = {{"\"q", {{"\x01", 1}, {"!", 2}}}, {"a", 3}, {"é", 4},
                         {"\x01", "first"}, {"b", "between"}, {"ü", "last"}};
  EXPECT_EQ(writer.bytes(), canonicalize(expected));
  EXPECT_EQ(writer.view().substr(0, 18), R"({"\u0001":"first",)");
  EXPECT_THROW(writer.insert_member("\"q", "again"), std::logic_error);
  EXPECT_THROW(writer.insert_member("é", "again"), std::logic_error);
}

TEST(CanonicalWriter, StructureMistakesAreLogicErrors) {
  CanonicalWriter writer;
  writer.begin_object();
  EXPECT_THROW(writer.string("no key"), std::logic_error);
  EXPECT_THROW(writer.end_array(), std::logic_error);
  writer.key("k");
  EXPECT_THROW(writer.end_object(), std::logic_error);  // the key has no value
  writer.string("v");
  EXPECT_FALSE(writer.complete());
  EXPECT_THROW((void)writer.bytes(), std::logic_error);
  writer.end_object();
  EXPECT_TRUE(writer.complete());
  EXPECT_THROW(writer.integer(std::uint64_t{1}), std::logic_error);  // a second top-level value
}

TEST(CanonicalWriter, EmbeddedJsonIsCanonicalizedInPlace) {
  const Json nested = parse_json(R"({"z":[1,{"b":"2026-01-01T00:00:00+01:00","a":null}],"a":true})");
  CanonicalWriter writer;
  writer.begin_object();
  writer.key("x");
  writer.value(nested, "$.x");
  writer.end_object();
  EXPECT_EQ(writer.bytes(), canonicalize(Json{{"x", nested}}));
  EXPECT_EQ(writer.view(), R"({"x":{"a":true,"z":[1,{"a":null,"b":"2025-12-31T23:00:00Z"}]}})");
}

TEST(CanonicalWriter, CanonicalBytesAreCopiedInAndTheirDepthCounted) {
  // Brackets and escaped quotes inside strings do not count as nesting.
  const Json inner = parse_json(R"({"a":["[{\"}]",{"b":[]}],"c":"\\"})");
  CanonicalWriter writer;
  writer.begin_array();
  writer.value(canonicalize(inner));
  writer.end_array();
  EXPECT_EQ(writer.bytes(), canonicalize(Json::array({inner})));

  // inner is 4 deep ({ [ { [ ), so inside one array it needs a limit of 5.
  CanonicalWriter at_limit(JsonLimits{.max_depth = 5});
  at_limit.begin_array();
  at_limit.value(canonicalize(inner));
  CanonicalWriter past_limit(JsonLimits{.max_depth = 4});
  past_limit.begin_array();
  EXPECT_EQ(error_code([&] { past_limit.value(canonicalize(inner)); }), "mcf.limit");
}

// The depth a writer checks embedded bytes against is the one their maker counted: brackets
// inside strings are not nesting, a scalar is 0 deep, and inserted documents count.
TEST(CanonicalWriter, CanonicalBytesCarryTheDepthTheirMakerCounted) {
  EXPECT_EQ(canonicalize(Json(5)).depth(), 0u);
  EXPECT_EQ(canonicalize(Json("[[[{")).depth(), 0u);
  EXPECT_EQ(canonicalize(Json::array()).depth(), 1u);
  EXPECT_EQ(canonicalize(parse_json(R"({"a":["[{\"}]",{"b":[]}],"c":"\\"})")).depth(), 4u);
  EXPECT_EQ(canonicalize(Json{{"k", "]]"}, {"n", Json::array({Json::array({"[["})})}}).depth(), 3u);

  CanonicalWriter inner;
  inner.begin_object();
  inner.key("x");
  inner.begin_array();
  inner.begin_array();
  inner.end_array();
  inner.end_array();
  inner.end_object();
  EXPECT_EQ(inner.bytes().depth(), 3u);
  CanonicalWriter outer;
  outer.begin_object();
  outer.key("a");
  outer.begin_array();
  outer.end_array();
  outer.end_object();
  EXPECT_EQ(outer.bytes().depth(), 2u);
  outer.insert_member("b", inner);
  EXPECT_EQ(outer.bytes().depth(), 4u);
  EXPECT_EQ(outer.bytes(), canonicalize(parse_json(R"({"a":[],"b":{"x":[[]]}})")));
}

TEST(CanonicalWriter, BadInputHasTheCanonicalizersCodes) {
  CanonicalWriter writer;
  writer.begin_object();
  EXPECT_EQ(error_code([&] { writer.key("\xC3"); }), "mcf.utf8");
  writer.key("k");
  EXPECT_EQ(error_code([&] { writer.string("\xFF"); }), "mcf.utf8");

  CanonicalWriter floats;
  floats.begin_object();
  floats.key("t");
  try {
    floats.value(Json{{"f", 1.5}}, "$.t");
    ADD_FAILURE() << "a float was written";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "mcf.float");
    EXPECT_NE(std::string(e.what()).find("$.t.f"), std::string::npos) << e.what();
  }
}

TEST(CanonicalWriter, DepthCountsAsInTheCanonicalizer) {
  const JsonLimits limits{.max_depth = 3};
  CanonicalWriter writer(limits);
  writer.begin_array();
  writer.begin_array();
  writer.begin_array();
  EXPECT_EQ(error_code([&] { writer.begin_array(); }), "mcf.limit");

  // An embedded value is counted from where it sits: [[x]] with x = [[]] is 4 deep.
  CanonicalWriter embedded(limits);
  embedded.begin_array();
  embedded.begin_array();
  EXPECT_EQ(error_code([&] { embedded.value(Json::array({Json::array()}), "$[0][0]"); }), "mcf.limit");
  EXPECT_EQ(error_code([&] { (void)canonicalize(parse_json("[[[[]]]]"), limits); }), "mcf.limit");
}

// Inserting a member gives the bytes of canonicalizing the object with that member.
TEST(CanonicalWriter, InsertMemberAtItsSortedPosition) {
  for (const char* key : {"a", "c", "e", "g"}) {
    CanonicalWriter writer;
    writer.begin_object();
    writer.key("b");
    writer.integer(std::uint64_t{1});
    writer.key("d");
    writer.string("2026-03-01T14:00:00+05:00");
    writer.key("f");
    writer.begin_array();
    writer.end_array();
    writer.end_object();
    writer.insert_member(key, "2026-01-01T00:00:00.5Z");
    const Json expected = {{"b", 1}, {"d", "2026-03-01T14:00:00+05:00"}, {"f", Json::array()},
                           {key, "2026-01-01T00:00:00.5Z"}};
    EXPECT_EQ(writer.bytes(), canonicalize(expected)) << key;
    EXPECT_THROW(writer.insert_member(key, "again"), std::logic_error);
  }
}

TEST(CanonicalWriter, InsertSeveralMembersAndDocuments) {
  CanonicalWriter inner;
  inner.begin_object();
  inner.key("x");
  inner.string("\"");
  inner.end_object();

  CanonicalWriter writer;
  writer.begin_object();
  writer.end_object();
  writer.insert_member("m", "1");
  writer.insert_member("z", inner);
  writer.insert_member("a", "0");
  writer.insert_member("n", inner);
  EXPECT_EQ(writer.view(), R"({"a":"0","m":"1","n":{"x":"\""},"z":{"x":"\""}})");

  CanonicalWriter shallow(JsonLimits{.max_depth = 1});
  shallow.begin_object();
  shallow.end_object();
  EXPECT_EQ(error_code([&] { shallow.insert_member("d", inner); }), "mcf.limit");
}

TEST(CanonicalWriter, InsertNeedsAFinishedObject) {
  CanonicalWriter open;
  open.begin_object();
  EXPECT_THROW(open.insert_member("a", "b"), std::logic_error);
  CanonicalWriter array;
  array.begin_array();
  array.end_array();
  EXPECT_THROW(array.insert_member("a", "b"), std::logic_error);
  CanonicalWriter unfinished;
  unfinished.begin_array();
  CanonicalWriter target;
  target.begin_object();
  target.end_object();
  EXPECT_THROW(target.insert_member("a", unfinished), std::logic_error);
}

TEST(CanonicalWriter, ResetReusesTheWriter) {
  CanonicalWriter writer;
  for (const std::string& text : kStrings) {
    writer.reset();
    writer.begin_object();
    writer.key("k");
    writer.string(text);
    writer.end_object();
    writer.insert_member("a", text);
    EXPECT_EQ(writer.bytes(), canonicalize(Json{{"k", text}, {"a", text}})) << text;
  }
}

}  // namespace
}  // namespace savm::runtime
