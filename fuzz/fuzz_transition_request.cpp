// Bytes -> a transition request run by a real zone (SQLite in a temporary directory).
// Oracles:
//  - no crash or UB, whatever the bytes: every rejection is a runtime::Error with a stable code;
//  - a rejected request writes nothing: the sum of the chain heights equals the number of
//    requests that were accepted (each accepted one commits exactly one receipt);
//  - an accepted request's receipt is committed: its digest is the asset's chain head.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>

#include "compiler/assembler.h"
#include "runtime/error.h"
#include "runtime/zone.h"
#include "vm/module.h"

namespace {

using savm::runtime::Zone;

// transfer(amount): slot 1 = amount, returns it; reverts on amount <= 0.
constexpr const char* kModule = R"(
.func transfer(0)->1 locals 0
  PUSH 0
  INPUT_LOAD
  PUSH 0
  GT
  PUSH 7
  ASSERT
  PUSH 1
  PUSH 0
  INPUT_LOAD
  SSTORE
  PUSH 0
  INPUT_LOAD
  RETURN
.export transfer transition
)";

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Zone> zone;
  std::uint64_t accepted = 0;

  Fixture() {
    const auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                          : std::filesystem::temp_directory_path();
    dir = base / ("savm-fuzz-zone-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Zone::init(dir, savm::runtime::ZoneConfig{"PK"});
    zone = Zone::open(dir);
    zone->install(savm::vm::write_module(savm::compiler::assemble(kModule)));
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  ~Fixture() {
    zone.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

std::uint64_t total_height(const Zone& zone) {
  std::uint64_t sum = 0;
  for (const auto& asset : zone.store().assets()) sum += zone.store().chain_head(asset).height;
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto request = savm::runtime::parse_transition_request(text);
    const auto receipt = fixture.zone->run(request);
    ++fixture.accepted;
    const auto head = fixture.zone->store().chain_head(request.asset_id);
    if (head.head.hex() != receipt.at("receipt_digest").get<std::string>()) std::abort();
  } catch (const savm::runtime::Error&) {
    if (total_height(*fixture.zone) != fixture.accepted) std::abort();  // a rejection wrote
  }
  return 0;
}
