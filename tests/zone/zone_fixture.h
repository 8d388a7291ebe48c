// A real zone in a fresh temporary directory (SQLite on disk, no mocks) with assembled modules:
// examples/asm/fee_transfer.sasm (storage, logs, attestations; revert on amount <= 0) and a
// small tensor module whose `bump` entry read-modify-writes one shared tensor cell, the
// cross-asset case the executor must keep serializable.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/assembler.h"
#include "runtime/context_json.h"
#include "runtime/error.h"
#include "runtime/keys.h"
#include "runtime/zone.h"
#include "vm/module.h"
#include "tests/error_code.h"

namespace savm::testing {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::uint8_t> assemble_file(const std::filesystem::path& path) {
  return vm::write_module(compiler::assemble(slurp(path)));
}

// bump(target asset, evidence): cell (target, zone jurisdiction, aml) goes to (old + 1) mod 5;
// returns the old state.
inline constexpr const char* kTensorModule = R"(
.func bump(0)->1 locals 1
  PUSH 0
  INPUT_LOAD
  JURISDICTION
  PUSH 0
  TENSOR_GET
  LOCAL_SET 0
  PUSH 0
  INPUT_LOAD
  JURISDICTION
  PUSH 0
  LOCAL_GET 0
  PUSH 1
  ADD
  PUSH 5
  MOD
  PUSH 32
  INPUT_LOAD
  TENSOR_SET
  LOCAL_GET 0
  RETURN
.export bump transition
)";

// flag(target, jurisdiction, state, evidence): writes the sanctions cell (target, jurisdiction),
// the cell the zone's halt-on trigger watches (tests/zone/zone_halt_*.cpp).
inline constexpr const char* kFlagModule = R"(
.func flag(0)->0
  PUSH 0
  INPUT_LOAD
  PUSH 32
  INPUT_LOAD
  PUSH 2
  PUSH 64
  INPUT_LOAD
  PUSH 96
  INPUT_LOAD
  TENSOR_SET
  RETURN
.export flag transition
)";

// The 0x form of a small asset number.
inline std::string asset_hex(unsigned n) {
  std::ostringstream s;
  s << "0x" << std::string(64 - 8, '0');
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", n);
  s << buf;
  return s.str();
}

inline runtime::TransitionRequest transfer(unsigned asset, std::int64_t amount, std::int64_t timestamp = 1700000000) {
  return runtime::transition_request_from_json(runtime::Json{
      {"asset_id", asset_hex(asset)},
      {"entry", "transfer"},
      {"args", runtime::Json::array({amount})},
      {"context", {{"caller", "alice"}, {"timestamp", timestamp}, {"law_date", "2024-07-01"}}}});
}

inline runtime::TransitionRequest bump(unsigned asset, unsigned target, std::int64_t evidence) {
  return runtime::transition_request_from_json(runtime::Json{
      {"asset_id", asset_hex(asset)},
      {"entry", "bump"},
      {"args", runtime::Json::array({runtime::Json{{"word", std::to_string(target)}}, evidence})},
      {"context", {{"caller", "bob"}, {"timestamp", 1700000000 + evidence}}}});
}


class ZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("savm-zone-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    runtime::Zone::init(dir_, runtime::ZoneConfig{"AE-ADGM"});
    fee_module_ = assemble_file(std::filesystem::path(SAVM_SOURCE_DIR) / "examples/asm/fee_transfer.sasm");
    tensor_module_ = vm::write_module(compiler::assemble(kTensorModule));
  }
  void TearDown() override {
    zone_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(key_file());
    std::filesystem::remove(other_key_file());
  }

  // A fixed zone key (and another one), so that signatures are reproducible.
  static runtime::KeyPair key(std::uint8_t seed_byte) {
    std::array<std::uint8_t, 32> seed{};
    seed.fill(seed_byte);
    return runtime::KeyPair::from_seed(seed);
  }
  std::filesystem::path key_file() const { return dir_.string() + ".key"; }
  std::filesystem::path other_key_file() const { return dir_.string() + ".other.key"; }

  // Re-creates the zone with `signing` by key(7) and a checkpoint every `every` receipts.
  runtime::Zone& reinit(runtime::SigningPolicy signing, std::uint64_t every) {
    zone_.reset();
    std::filesystem::remove_all(dir_);
    runtime::ZoneConfig config("AE-ADGM");
    config.signing = signing;
    config.checkpoint_every = every;
    if (signing != runtime::SigningPolicy::none) {
      if (!std::filesystem::exists(key_file())) runtime::write_key_file(key_file(), key(7));
      config.key_path = key_file().string();
    }
    runtime::Zone::init(dir_, config);
    return installed_zone();
  }

  runtime::Zone& open_zone(runtime::TypedArguments typed = {}) {
    zone_ = runtime::Zone::open(dir_, std::move(typed));
    return *zone_;
  }
  runtime::Zone& installed_zone() {
    runtime::Zone& zone = open_zone();
    zone.install(fee_module_);
    zone.install(tensor_module_);
    return zone;
  }

  // Direct SQL on the zone database, as an attacker or a broken disk would.
  void sql(const std::string& statement) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "zone.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
  // Turns the zone's database into what schema version 2 wrote: every version 3 table dropped
  // (corridors, halt log, imported slices, explanations) and no halt_on setting.
  void downgrade_to_version2() const {
    sql("DROP TABLE corridor_checkpoints; DROP TABLE corridor_receipts; DROP TABLE corridors; DROP TABLE halt_log; "
        "DROP TABLE imported_slices; DROP TABLE explanations; DELETE FROM zone_config WHERE key = 'halt_on'; "
        "PRAGMA user_version = 2");
  }
  std::int64_t sql_integer(const std::string& query) const {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "zone.db").c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    std::int64_t out = -1;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      out = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }
  // Every row of every table, as text: "the database is untouched" means this is unchanged.
  std::string dump() const {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "zone.db").c_str(), &db);
    std::string out;
    for (const char* table : {"zone_config", "lockfile", "storage", "tensor", "migrations", "chains", "receipts",
                              "transitions", "checkpoints"}) {
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db, (std::string("SELECT * FROM ") + table + " ORDER BY 1, 2").c_str(), -1, &stmt, nullptr);
      out += table;
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
          out += '|';  // appended, not `"|" + string`, which g++ 12 misreports under -Wrestrict
          out.append(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
        }
        out += "\n";
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  std::filesystem::path dir_;
  std::vector<std::uint8_t> fee_module_;
  std::vector<std::uint8_t> tensor_module_;
  std::unique_ptr<runtime::Zone> zone_;
};

}  // namespace savm::testing
