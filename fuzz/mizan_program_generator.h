// Turns fuzzer bytes into a WELL-TYPED Mizan pack plus the inputs to run it on: the bytes are the
// generator's choices (each decision reads one byte; reads past the end are 0, and choice 0 is
// always the smallest: a literal, a leaf, no more declarations), so every input is a program the
// checker accepts and libFuzzer's mutations move through the space of programs, not of texts.
//
// What a pack holds (docs/mizan.md): tables over Int/Money/Rate/Date keys (`up to`/`above`
// brackets, exact values, ranges, `else`; dated sections and dated rows; `columns`), each followed by a
// probe rule that calls it; rules over Int, Decimal<1..4>, Money<PKR>, Rate, Bool and Date (and
// a record parameter read field by field) with
// arithmetic, comparisons, if/let, round(...) in every mode with quanta of every result type,
// mul(money, rate|decimal), date shifts, add_months, days_between, law_date(), calls of earlier
// rules and tables, `default`/`exception` with distinct priorities, and dated versions (possibly
// with gaps, so `no_law` is reachable). Arguments include the int256 extremes and dates far
// from today, so `overflow` and `division_by_zero` are reached too.
//
// Kept out of reach until fixed (tests/conformance/mizan/fuzz_findings.json, "checker"): an
// operand of a mixed Int/Decimal comparison or sum that is an `if`, `let`, call or sum of the
// narrower type on the right (`x <= (if c then 1.5 else 2.5)` is M0104, the mirror image checks).
// Mixed operands are therefore leaves, the wider type on the left (Generator::mixed). Also
// ("compiler"): an Int literal rescaled to a Decimal past int256 (the checker folds it into one
// constant; the evaluator faults `overflow`, the compiler leaves the rule out with C0004), so a
// rescaled literal is never int256's maximum. And ("compiler"): add_months of a day outside
// the calendar range (the evaluator faults `overflow`, the compiled code returns a day), so
// argument dates stay kCalendarMargin inside it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lang/literals.h"
#include "lang/value.h"

namespace savm::fuzz::mizan {

// The fuzzer's bytes, read front to back; reads past the end are 0.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t below(std::uint32_t n) { return n <= 1 ? 0 : byte() % n; }
  std::uint64_t u32() {
    std::uint64_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | byte();
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// `payment` is the pack's record Payment { amount: Money<PKR>, count: Int, due: Date, atl: Bool }:
// only ever a rule parameter, read through its fields.
enum class Kind { boolean, integer, decimal, money, rate, date, payment };

struct Ty {
  Kind kind = Kind::integer;
  int scale = 0;  // Decimal<scale>, 1..4
  friend bool operator==(const Ty&, const Ty&) = default;
};

struct Param {
  std::string name;
  Ty type;
};

// A rule or table that later declarations may call. A table with `columns` c0..cN-1 returns a
// record of N cells of type `result`; a call then reads one of them (`t(x).c1`).
struct Callable {
  std::string name;
  std::vector<Param> params;
  Ty result;
  std::uint32_t columns = 0;
};

// One rule to run: its parameter types and, per run, the arguments (lang/program.h representation).
struct Entry {
  std::string name;  // qualified: fz.gen.r0
  std::vector<Ty> params;
};

struct GeneratedPack {
  std::string source;
  std::vector<Entry> entries;
  std::vector<std::int64_t> law_dates;  // every interval bound, its eve, and a plain day
};

inline constexpr std::int64_t kDay2023 = 19358;  // 2023-01-01, days since 1970-01-01
inline constexpr std::int64_t kSpanDays = 1461;  // 2023-01-01 .. 2027-01-01
inline constexpr std::int64_t kCalendarLimit = std::int64_t{1} << 40;  // docs/mizan.md "Dates"
// Edge dates stay this far inside the calendar range: more than any chain of generated shifts
// (3 levels of at most 4,000 days or 600 months), so no date leaves the range (see above).
inline constexpr std::int64_t kCalendarMargin = 1'000'000;

GeneratedPack generate_pack(Choices& c);

// An argument of type `t` in its representation: small and boundary values, halves for
// rounding, int256 extremes, dates a million days inside the calendar limit.
lang::Value generate_arg(Choices& c, const Ty& t);

// Days since 1970-01-01 → "YYYY-MM-DD" (lang/literals.h).
using lang::date_text;

}  // namespace savm::fuzz::mizan
