// savm build end to end on the real packs: one verified module per pack, a canonical lockfile
// whose digests are checked against independent tools (`savm verify-module` for modules and gas
// bounds, sha256sum for sources), byte-identical rebuilds, and nothing written on bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "tests/cli/savm_runner.h"

namespace savm::testing {
namespace {


// The first word of `sha256sum FILE`: an implementation that shares nothing with savm.
std::string sha256sum(const std::string& path) {
  FILE* pipe = ::popen(("sha256sum '" + path + "'").c_str(), "r");
  char buffer[65] = {};
  const std::size_t n = std::fread(buffer, 1, 64, pipe);
  ::pclose(pipe);
  return std::string(buffer, n);
}

class BuildVerb : public SavmRunner {
 protected:
  nlohmann::json lock(const std::string& dir) const { return nlohmann::json::parse(read(dir + "/mizan.lock")); }
  const nlohmann::json* pack_of(const nlohmann::json& lock, const std::string& id) const {
    for (const nlohmann::json& p : lock["packs"]) {
      if (p["id"] == id) return &p;
    }
    return nullptr;
  }
};

TEST_F(BuildVerb, BuildsEveryPackDependenciesFirst) {
  const Outcome o = savm("build " + kPk + " -o out");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::regex line(R"(built (pk\.[a-z0-9]+) sha256:([0-9a-f]{64}) (\d+) exports?\n)");
  std::vector<std::string> order;
  for (auto it = std::sregex_iterator(o.out.begin(), o.out.end(), line); it != std::sregex_iterator(); ++it) {
    order.push_back((*it)[1]);
  }
  // pk.ito2001 uses pk.fbr; the others are alphabetical (sorted files).
  EXPECT_EQ(order, (std::vector<std::string>{"pk.corridor", "pk.fbr", "pk.ito2001", "pk.sanctions", "pk.secp",
                                             "pk.sta1990"}))
      << o.out;
  // A rule that returns a list is compiled for its callers but is no entry: the warning names it
  // and the code.
  EXPECT_NE(o.err.find("warning[C0003]: pk.sanctions.matches is compiled but not exported"), std::string::npos) << o.err;
  for (const std::string& id : order) EXPECT_TRUE(exists("out/" + id + ".savm")) << id;
}

TEST_F(BuildVerb, LockfileMatchesVerifyModuleAndSha256sum) {
  ASSERT_EQ(savm("build " + kPk + " -o out").exit_code, 0);
  const nlohmann::json l = lock("out");
  EXPECT_EQ(l["format"], "savm.mizan.lock.v1");
  ASSERT_EQ(l["packs"].size(), 6u);
  for (const nlohmann::json& p : l["packs"]) {
    const std::string file = "out/" + p["file"].get<std::string>();
    const Outcome v = savm("verify-module " + file);
    ASSERT_EQ(v.exit_code, 0) << file << v.out << v.err;
    // verify-module prints "ok DIGEST" then "export NAME KIND gas_bound N" per export.
    EXPECT_EQ(v.out.substr(0, v.out.find('\n')), "ok " + p["module"].get<std::string>());
    for (const nlohmann::json& e : p["exports"]) {
      const std::string needle = "export " + e["name"].get<std::string>() + " ";
      const std::size_t at = v.out.find(needle);
      ASSERT_NE(at, std::string::npos) << needle;
      const std::string row = v.out.substr(at, v.out.find('\n', at) - at);
      EXPECT_EQ(row.substr(row.rfind(' ') + 1), std::to_string(e["gas_bound"].get<std::uint64_t>())) << row;
    }
    ASSERT_EQ(p["sources"].size(), 1u);
    const std::string source = p["sources"][0]["path"];
    EXPECT_EQ(p["sources"][0]["sha256"], "sha256:" + sha256sum(SAVM_SOURCE_DIR "/packs/pk/" + source)) << source;
  }
  const nlohmann::json& ito = *pack_of(l, "pk.ito2001");
  EXPECT_EQ(ito["version"], "2026.1");
  EXPECT_EQ(ito["jurisdiction"], "pk");
  EXPECT_EQ(ito["sources"][0]["path"], "ito2001.mizan");
  // Its one dependency, pinned to the module just built, which the module itself records.
  ASSERT_EQ(ito["dependencies"].size(), 1u);
  EXPECT_EQ(ito["dependencies"][0]["id"], "pk.fbr");
  EXPECT_EQ(ito["dependencies"][0]["module"], (*pack_of(l, "pk.fbr"))["module"]);
  const Outcome dis = savm("disasm out/pk.ito2001.savm");
  EXPECT_NE(dis.out.find(".use \"pk.fbr\" \"" + (*pack_of(l, "pk.fbr"))["module"].get<std::string>() + "\""),
            std::string::npos);
  EXPECT_EQ((*pack_of(l, "pk.sanctions"))["not_exported"]["pk.sanctions.matches"], "C0003");
  // The lockfile is exactly its canonical bytes: savm canon (which ends its line) leaves it unchanged.
  const Outcome canon = savm("canon out/mizan.lock");
  EXPECT_EQ(canon.out, read("out/mizan.lock") + "\n");
}

TEST_F(BuildVerb, BuildingTwiceGivesByteIdenticalFiles) {
  ASSERT_EQ(savm("build " + kAe + " -o one").exit_code, 0);
  // Another spelling of the same directory, from another working directory.
  std::filesystem::create_directories(dir_ / "sub");
  const Outcome again = savm("build '" SAVM_SOURCE_DIR "/packs/../packs/ae/' -o sub/two");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "one")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(read("one/" + name), read("sub/two/" + name)) << name;
    ++files;
  }
  EXPECT_EQ(files, 4u);  // three modules and the lockfile
}

TEST_F(BuildVerb, BadInputLeavesTheOutputDirectoryAlone) {
  std::filesystem::create_directories(dir_ / "out");
  write("out/mizan.lock", "previous");
  write("bad.mizan", "lawpack t.bad \"x\" jurisdiction pk version \"1\"\nrule r -> Int = nope\n");
  const Outcome bad = savm("build bad.mizan -o out");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.mizan:2:"), std::string::npos) << bad.err;
  EXPECT_EQ(read("out/mizan.lock"), "previous");
  EXPECT_FALSE(exists("out/t.bad.savm"));

  const Outcome missing = savm("build nowhere -o fresh");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err.substr(0, missing.err.find(']') + 1), "savm: error[io.read]");
  EXPECT_FALSE(exists("fresh"));

  write("blocked", "a file where the directory should be");
  const Outcome blocked = savm("build " + kAe + " -o blocked");
  EXPECT_EQ(blocked.exit_code, 2);
  EXPECT_EQ(blocked.err.substr(0, blocked.err.find(']') + 1), "savm: error[build.output]") << blocked.err;
  EXPECT_TRUE(blocked.out.empty()) << blocked.out;
}

}  // namespace
}  // namespace savm::testing
