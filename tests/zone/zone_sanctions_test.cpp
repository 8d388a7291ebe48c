// The sanctions.screen host intrinsic in a real zone: an assembly module screens a party against
// the list installed in the zone and gets the list's integer score (0 when unlisted, a fault
// without a list: fail closed); a new list takes effect from the next transition and replay
// reproduces every receipt with the list in force at its place in commit order.
#include <gtest/gtest.h>

#include <string>

#include "runtime/sanctions_list.h"
#include "runtime/zone_audit.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;

// screen(party): the party's score on the zone's sanctions list.
constexpr const char* kScreenModule = R"(
.import sanctions.screen(1)->1 gas 2500
.func screen(0)->1
  PUSH 0
  INPUT_LOAD
  HOSTCALL sanctions.screen
  RETURN
.export screen transition
)";

runtime::TransitionRequest screen(const std::string& party, std::int64_t timestamp) {
  const vm::Word word = vm::Word::from_be_bytes(vm::sha256(party).bytes());  // the hashed id form
  return runtime::transition_request_from_json(
      Json{{"asset_id", asset_hex(9)},
           {"entry", "screen"},
           {"args", Json::array({Json{{"word", word.to_decimal()}}})},
           {"context", {{"caller", "payments"}, {"timestamp", timestamp}}}});
}

runtime::SanctionsList list(const std::string& version, int acme_score) {
  return runtime::SanctionsList::from_json(Json{
      {"type", "SAVMSanctionsList"},
      {"format_version", 1},
      {"list", "UNSC-1267"},
      {"version", version},
      {"entries", Json::array({Json{{"party", "Acme Trading FZE"}, {"score", acme_score}},
                               Json{{"party", "0x" + std::string(63, '0') + "7"}, {"score", 100}}})}});
}

class ZoneSanctionsTest : public ZoneTest {
 protected:
  runtime::Zone& screening_zone() {
    runtime::Zone& zone = installed_zone();
    zone.install(vm::write_module(compiler::assemble(kScreenModule)));
    return zone;
  }
};

std::string outcome(const Json& receipt) {
  const std::string status = receipt.at("outcome").at("status");
  return status == "success" ? receipt.at("return").at(0).get<std::string>() : status;
}

TEST_F(ZoneSanctionsTest, ScreeningReadsTheInstalledListAndReplays) {
  runtime::Zone& zone = screening_zone();
  EXPECT_EQ(outcome(zone.run(screen("Acme Trading FZE", 1700000000))), "fault");  // no list: fail closed
  zone.install_sanctions(list("2026-11-01", 85));
  EXPECT_EQ(outcome(zone.run(screen("Acme Trading FZE", 1700000001))), "85");
  EXPECT_EQ(outcome(zone.run(screen("Karachi Textiles", 1700000002))), "0");  // not listed
  zone.install_sanctions(list("2026-12-01", 100));
  EXPECT_EQ(outcome(zone.run(screen("Acme Trading FZE", 1700000003))), "100");
  // Every receipt replays with the list that was in force when it ran.
  EXPECT_EQ(runtime::replay_all(zone).failure, std::nullopt);
  zone_.reset();
  runtime::Zone& reopened = open_zone();  // the list in force survives a restart
  EXPECT_EQ(outcome(reopened.run(screen("Acme Trading FZE", 1700000004))), "100");
  EXPECT_EQ(runtime::replay_all(reopened).failure, std::nullopt);
}

TEST_F(ZoneSanctionsTest, ABadListIsRejectedNamingThePath) {
  const auto code = [](const Json& document) {
    try {
      runtime::SanctionsList::from_json(document);
    } catch (const runtime::Error& e) {
      return e.code() + " " + e.what();
    }
    return std::string("accepted");
  };
  const Json doc = runtime::parse_json(list("v", 85).bytes);
  Json bad_score = doc;
  bad_score["entries"][0]["score"] = 101;
  EXPECT_EQ(code(bad_score).rfind("zone.sanctions_list $.entries[0].score", 0), 0u);
  Json twice = doc;
  twice["entries"][1]["party"] = "Acme Trading FZE";
  EXPECT_EQ(code(twice).rfind("zone.sanctions_list $.entries[1].party: listed twice", 0), 0u);
  Json unknown = doc;
  unknown["colour"] = "red";
  EXPECT_EQ(code(unknown).rfind("zone.sanctions_list $.colour", 0), 0u);
  EXPECT_EQ(runtime::screen(nullptr, "sanctions.screen", {}).ok, false);
}

}  // namespace
}  // namespace savm::testing
