// The compute kernel of the interpreter benchmark: withholding tax over 100,000 payments.
//
// For each payment amount, find its slab (6 brackets, scanned from the top), then
//   tax = fixed + (amount - over) * rate_bps / 10,000, rounded half-up,
// and sum the taxes. One definition of the slabs produces every implementation, so they cannot
// drift: native C++, SAVM assembly (a `tax` function and an unrolled driver that calls it once
// per payment: SAVM has no backward jumps), and Lua source (Lua 5.4 integer `//`, or LuaJIT
// `math.floor` on exact doubles: all values stay below 2^53).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace savm::bench {

struct Slab {
  std::int64_t over;      // the slab applies to amounts above this
  std::int64_t fixed;     // tax on the part up to `over`
  std::int64_t rate_bps;  // rate on the part above `over`, basis points
};

// Salary-style withholding slabs (illustrative figures, in the shape of FBR's annual tables).
// Amounts up to 600,000 pay nothing.
inline constexpr std::array<Slab, 5> kSlabs = {{{600'000, 0, 500},
                                                {1'200'000, 30'000, 1'500},
                                                {2'200'000, 180'000, 2'500},
                                                {3'200'000, 430'000, 3'000},
                                                {4'100'000, 700'000, 3'500}}};
inline constexpr std::int64_t kBps = 10'000;
inline constexpr std::size_t kPayments = 100'000;
inline constexpr std::size_t kBatch = 1'000;  // payments per SAVM execution (unrolled driver)

// Deterministic amounts, uniform over [0, 6,000,000]: every slab is hit.
inline std::vector<std::int64_t> payments() {
  std::mt19937_64 rng(20'240'601);
  std::vector<std::int64_t> out(kPayments);
  for (auto& amount : out) amount = static_cast<std::int64_t>(rng() % 6'000'001);
  return out;
}

inline std::int64_t native_tax(std::int64_t amount) {
  for (std::size_t i = kSlabs.size(); i-- > 0;) {
    const Slab& s = kSlabs[i];
    if (amount > s.over) return s.fixed + ((amount - s.over) * s.rate_bps + kBps / 2) / kBps;
  }
  return 0;
}

// SAVM assembly: `tax(amount)`, export `one` (the tax of input word 0) and export `batch` (the
// sum of the taxes of the kBatch input words, one CALL per payment).
inline std::string savm_tax_source() {
  std::string s = ".func tax(1)->1 locals 1\n";
  for (std::size_t i = kSlabs.size(); i-- > 0;) {
    s += "  LOCAL_GET 0\n  PUSH " + std::to_string(kSlabs[i].over) + "\n  GT\n  JUMPI slab" +
         std::to_string(i) + "\n";
  }
  s += "  PUSH0\n  RETURN\n";
  for (std::size_t i = kSlabs.size(); i-- > 0;) {
    const Slab& slab = kSlabs[i];
    s += "slab" + std::to_string(i) + ":\n  LOCAL_GET 0\n  PUSH " + std::to_string(slab.over) +
         "\n  SUB\n  PUSH " + std::to_string(slab.rate_bps) + "\n  PUSH " + std::to_string(kBps) +
         "\n  MULDIV half_up\n  PUSH " + std::to_string(slab.fixed) + "\n  ADD\n  RETURN\n";
  }
  s += ".func one(0)->1\n  PUSH 0\n  INPUT_LOAD\n  CALL tax\n  RETURN\n";
  s += ".func batch(0)->1\n  PUSH 0\n";
  for (std::size_t i = 0; i < kBatch; ++i) {
    s += "  PUSH " + std::to_string(32 * i) + "\n  INPUT_LOAD\n  CALL tax\n  ADD\n";
  }
  s += "  RETURN\n.export batch transition\n.export one transition\n";
  return s;
}

enum class LuaDialect { lua54, luajit };

// Lua: the same scan as native_tax, and run(payments) summing over a Lua array.
inline std::string lua_tax_source(LuaDialect dialect) {
  std::string s = "local floor = math.floor\nlocal function tax(amount)\n";
  for (std::size_t i = kSlabs.size(); i-- > 0;) {
    const Slab& slab = kSlabs[i];
    const std::string product = "(amount - " + std::to_string(slab.over) + ") * " +
                                std::to_string(slab.rate_bps) + " + " + std::to_string(kBps / 2);
    const std::string rounded = dialect == LuaDialect::lua54
                                    ? "(" + product + ") // " + std::to_string(kBps)
                                    : "floor((" + product + ") / " + std::to_string(kBps) + ")";
    s += "  if amount > " + std::to_string(slab.over) + " then return " + std::to_string(slab.fixed) +
         " + " + rounded + " end\n";
  }
  s += "  return 0\nend\n";
  s += "function run(payments)\n  local total = 0\n  for i = 1, #payments do\n"
       "    total = total + tax(payments[i])\n  end\n  return total\nend\n";
  return s;
}

}  // namespace savm::bench
