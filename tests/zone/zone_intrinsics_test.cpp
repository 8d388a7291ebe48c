// Regpack data and host intrinsics: the sanctions list a zone binds, the integer screening score
// behind `sanctions.screen`, receipts that name the list, and replay that rebinds it by digest.
// Oracles: hand-computed edit distances, and the reference fixtures (reference/sanctions-sample.json).
#include "runtime/sanctions_list.h"
#include "runtime/zone_audit.h"
#include "runtime/zone_intrinsics.h"
#include "tests/zone/zone_fixture.h"

namespace savm::testing {
namespace {

using runtime::Json;

Json reference_list() {
  return runtime::parse_json(slurp(std::filesystem::path(SAVM_SHARED_DIR) / "reference/sanctions-sample.json"));
}

TEST(SanctionsScreening, NormalizesLikeThePackKeys) {
  EXPECT_EQ(runtime::normalize_party_name("Lashkar-e-Taiba"), "lashkaretaiba");
  EXPECT_EQ(runtime::normalize_party_name("Daesh / ISIL / ISIS"), "daeshisilisis");
  EXPECT_EQ(runtime::normalize_party_name("QDe.132"), "qde132");
  EXPECT_EQ(runtime::normalize_party_name("--- !"), "");
}

TEST(SanctionsScreening, ScoreIsIntegerEditSimilarity) {
  EXPECT_EQ(runtime::name_similarity("alqaida", "alqaida"), 100u);
  // One substitution in 7 characters: 100 * 6 / 7 = 85.7 -> 85.
  EXPECT_EQ(runtime::name_similarity("alqaida", "alqaeda"), 85u);
  // "kitten" -> "sitting": 3 edits, longer length 7: 100 * 4 / 7 = 57.1 -> 57.
  EXPECT_EQ(runtime::name_similarity("kitten", "sitting"), 57u);
  EXPECT_EQ(runtime::name_similarity("abc", "xyz"), 0u);
  EXPECT_EQ(runtime::name_similarity("", "abc"), 0u);
}

TEST(SanctionsScreening, ReferenceFixturesScreen) {
  const auto list = runtime::SanctionsList::from_json(reference_list());
  ASSERT_EQ(list.entries().size(), 40u);  // sanctions-sample.md: 22 UN, 5 OFAC, 13 Pakistan
  const auto match = list.screen("alqaida");
  EXPECT_EQ(match.score, 100u);
  EXPECT_EQ(list.entries()[match.entry].reference, "QDe.004");
  EXPECT_LT(list.screen("acmetradingllc").score, 50u);
}

TEST(SanctionsScreening, BadListsNameThePath) {
  const auto code_and_message = [](const Json& document) {
    try {
      runtime::SanctionsList::from_json(document);
    } catch (const runtime::Error& e) {
      return e.code() + " " + e.what();
    }
    return std::string("no error");
  };
  EXPECT_EQ(code_and_message(Json::array()), "regpack.sanctions $: a sanctions list is a JSON object");
  EXPECT_EQ(code_and_message(Json{{"entries", 1}}), "regpack.sanctions $.entries: must be an array of entries");
  EXPECT_EQ(code_and_message(Json{{"entries", {{{"list", "x"}, {"reference", nullptr}}}}}),
            "regpack.sanctions $.entries[0]: missing \"primary_name\"");
  EXPECT_EQ(code_and_message(Json{{"entries", {{{"list", "x"}, {"reference", "R"}, {"primary_name", "A"}, {"aliases", {7}}}}}}),
            "regpack.sanctions $.entries[0].aliases[0]: must be a string");
  EXPECT_EQ(code_and_message(Json{{"entries", {{{"list", "x"}, {"reference", "R"}, {"primary_name", "- -"}}}}}),
            "regpack.sanctions $.entries[0].primary_name: has no letters or digits to screen against");
}

// screen(query): storage[1] = score, storage[2] = the matched reference.
constexpr const char* kScreenModule = R"(
.import sanctions.screen(1)->2 gas 1000
.func screen(0)->0 locals 1
  PUSH 0
  INPUT_LOAD
  HOSTCALL sanctions.screen
  LOCAL_SET 0
  PUSH 1
  SWAP 1
  SSTORE
  PUSH 2
  LOCAL_GET 0
  SSTORE
  RETURN
.export screen transition
)";

class ZoneIntrinsicsTest : public ZoneTest {
 protected:
  runtime::Zone& screening_zone() {
    runtime::Zone& zone = open_zone();
    zone.install(vm::write_module(compiler::assemble(kScreenModule)));
    return zone;
  }
  // The query as the zone's short-string id form (independent of the intrinsic's decoder).
  static runtime::TransitionRequest screen(unsigned asset, const std::string& name) {
    const vm::Word query = runtime::parse_id(name, runtime::IdForm::short_string, "name");
    return runtime::transition_request_from_json(Json{
        {"asset_id", asset_hex(asset)},
        {"entry", "screen"},
        {"args", Json::array({Json{{"word", query.to_decimal()}}})},
        {"context", {{"caller", "screening-desk"}, {"timestamp", 1767225600}}}});
  }
  std::optional<vm::Word> stored(runtime::Zone& zone, unsigned asset, std::uint64_t key) {
    return zone.store().storage_get(runtime::parse_id(asset_hex(asset), runtime::IdForm::raw, "asset"),
                                    vm::Word::from_u64(key));
  }
};

TEST_F(ZoneIntrinsicsTest, WithoutAListTheIntrinsicFailsClosed) {
  runtime::Zone& zone = screening_zone();
  const Json receipt = zone.run(screen(1, "Al-Qaida"));
  EXPECT_EQ(receipt.at("outcome").at("status"), "fault") << receipt.dump();
  EXPECT_EQ(receipt.at("outcome").at("fault"), "host_call") << receipt.dump();
  EXPECT_EQ(receipt.at("regpack_digest_set"), Json::array());
  EXPECT_FALSE(stored(zone, 1, 1));
}

TEST_F(ZoneIntrinsicsTest, ScreensAgainstTheBoundListAndReplaysUnderIt) {
  runtime::Zone& zone = screening_zone();
  const Json list = reference_list();
  const vm::Digest digest = zone.bind_sanctions_list(list);
  EXPECT_EQ(digest, vm::sha256(runtime::canonicalize(list).view()));

  const Json hit = zone.run(screen(1, "Al-Qaida"));
  ASSERT_EQ(hit.at("outcome").at("status"), "success") << hit.dump();
  EXPECT_EQ(hit.at("regpack_digest_set"), Json::array({digest.hex()}));
  EXPECT_EQ(stored(zone, 1, 1), vm::Word::from_u64(100));
  EXPECT_EQ(stored(zone, 1, 2), runtime::parse_id("QDe.004", runtime::IdForm::short_string, "reference"));

  // A list update: the entry is removed; later transitions see the new list, old ones replay on theirs.
  Json updated = list;
  Json& entries = updated["entries"];
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const Json& e) { return e.at("reference") == "QDe.004"; }),
                entries.end());
  const vm::Digest updated_digest = zone.bind_sanctions_list(updated);
  const Json after = zone.run(screen(2, "Al-Qaida"));
  EXPECT_EQ(after.at("regpack_digest_set"), Json::array({updated_digest.hex()}));
  EXPECT_LT(stored(zone, 2, 1)->limb[0], 100u);

  const auto report = runtime::replay_all(zone);
  EXPECT_FALSE(report.failure) << report.failure->message;
  EXPECT_EQ(report.receipts, 2u);
}

TEST_F(ZoneIntrinsicsTest, ATamperedListFailsReplayNamingTheReceipt) {
  runtime::Zone& zone = screening_zone();
  const vm::Digest digest = zone.bind_sanctions_list(reference_list());
  const Json hit = zone.run(screen(1, "Al-Qaida"));
  std::ofstream(dir_ / "cas/regpack" / (digest.hex() + ".json"), std::ios::app) << " ";
  // A fresh process: the list is read from the content store, not from this zone's memory.
  const auto report = runtime::replay_all(open_zone());
  ASSERT_TRUE(report.failure);
  EXPECT_EQ(report.failure->code, "zone.cas_digest");
  EXPECT_EQ(report.failure->receipt.hex(), hit.at("receipt_digest"));
}

TEST_F(ZoneIntrinsicsTest, ABadListBindsNothing) {
  runtime::Zone& zone = screening_zone();
  EXPECT_EQ(error_code([&] { zone.bind_sanctions_list(Json{{"entries", {{{"list", "x"}}}}}); }), "regpack.sanctions");
  EXPECT_FALSE(zone.store().bound_regpack("sanctions"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "cas/regpack"));
}

}  // namespace
}  // namespace savm::testing
