// A deterministic, realistic Mizan lawpack of a requested size, for timing the front end and the
// compiler (bench/bench_mizan.cpp). It repeats one "provision" unit shaped like packs/pk: a slab
// table with two dated sections (up to / above brackets, record results), a tax rule that rounds
// money × rate, a threshold rule with dated versions, and a withholding rule with a default and
// two exceptions that calls the others. Numbers vary with the unit index, so no two units are
// textually equal; the pack's horizon is covered, so the checker proves everything it can.
#pragma once

#include <cstddef>
#include <string>

namespace savm::bench {

struct MizanPackText {
  std::string source;
  std::size_t lines = 0;
};

namespace detail {

inline std::string pkr(long long rupees) { return std::to_string(rupees) + " PKR"; }

inline std::string slab_section(int unit, const char* from, const char* to, int year) {
  std::string s = std::string("  in force ") + from + " .. " + to + " cites \"Finance Act " + std::to_string(year) + "\":\n";
  long long over = 0, fixed = 0;
  for (int row = 0; row < 5; ++row) {
    const long long bound = 600'000LL * (row + 1) + 1'000LL * unit;
    const int rate = row * 5 + (year - 2024) + unit % 3;
    s += "    | up to " + pkr(bound) + " => slab(fixed: " + pkr(fixed) + ", rate: " + std::to_string(rate) +
         "%, over: " + pkr(over) + ")\n";
    fixed += (bound - over) * rate / 100;
    over = bound;
  }
  return s + "    | above " + pkr(over) + " => slab(fixed: " + pkr(fixed) + ", rate: 35%, over: " + pkr(over) + ")\n";
}

inline std::string provision(int unit) {
  const std::string n = std::to_string(unit);
  std::string s = "/// Provision " + n + ": a slab schedule, its tax, a dated threshold and the withholding.\n";
  s += "table slabs_" + n + "(income: Money<PKR>) -> Slab\n  cites \"s." + n + "\", \"First Schedule\"\n";
  s += slab_section(unit, "2024-07-01", "2025-07-01", 2024);
  s += slab_section(unit, "2025-07-01", "2026-07-01", 2025);
  s += "\nrule tax_" + n + "(income: Money<PKR>) -> Money<PKR>\n  cites \"s." + n + "\", \"s.219\"\n";
  s += "  = let s = slabs_" + n + "(income)\n    in s.fixed + round((income - s.over) * s.rate, to: 1 PKR, mode: half_up)\n\n";
  s += "rule threshold_" + n + " -> Money<PKR>\n";
  s += "  in force 2024-07-01 .. 2025-07-01 cites \"SRO " + n + "/2024\": = " + pkr(50'000 + unit) + "\n";
  s += "  in force 2025-07-01 .. 2026-07-01 cites \"SRO " + n + "/2025\": = " + pkr(75'000 + unit) + "\n\n";
  s += "rule wht_" + n + "(income: Money<PKR>, on_atl: Bool) -> Money<PKR>\n  cites \"s." + n + "(1)\"\n";
  s += "  default tax_" + n + "(income)\n";
  s += "  exception non_atl priority 1 cites \"Tenth Schedule\" when not on_atl: tax_" + n + "(income) * 2\n";
  s += "  exception below_threshold priority 2 when income <= threshold_" + n + "(): 0 PKR\n\n";
  return s;
}

inline std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (const char ch : s) n += ch == '\n';
  return n;
}

}  // namespace detail

// A pack of at least `min_lines` lines.
inline MizanPackText mizan_pack_text(std::size_t min_lines) {
  MizanPackText out;
  out.source =
      "/// A generated lawpack for benchmarks (bench/mizan_pack_text.h).\n"
      "lawpack bench.gen \"Generated\"\n  jurisdiction pk  version \"1\"\n  horizon 2024-07-01 .. 2026-07-01\n\n"
      "record Slab {\n  fixed: Money<PKR>,\n  rate: Rate,\n  over: Money<PKR>,\n}\n\n";
  out.lines = detail::count_lines(out.source);
  for (int unit = 0; out.lines < min_lines; ++unit) {
    const std::string text = detail::provision(unit);
    out.source += text;
    out.lines += detail::count_lines(text);
  }
  return out;
}

}  // namespace savm::bench
