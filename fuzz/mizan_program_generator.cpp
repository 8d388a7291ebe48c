// The structure-aware Mizan generator (fuzz/mizan_program_generator.h). Every helper emits text
// of exactly the type it is asked for; subexpressions are parenthesised, so operator precedence
// and `let`/`if` inside operators never change what was generated.
#include "fuzz/mizan_program_generator.h"

#include <array>
#include <set>

namespace savm::fuzz::mizan {
namespace {

constexpr int kMaxDepth = 3;
constexpr std::array<const char*, 6> kModes = {"floor", "ceil", "toward_zero", "half_up", "half_even", "half_down"};
const char* const kIntMax = "57896044618658097711785492504343953926634992332820282019728792003956564819967";
const char* const kIntMin = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";

std::string pow10_text(int n) { return "1" + std::string(static_cast<std::size_t>(n), '0'); }

// A non-negative integer `v` as a fixed-point literal with `scale` decimals: 125, 2 → "1.25".
std::string fixed(std::uint64_t v, int scale) {
  std::string digits = std::to_string(v);
  if (scale == 0) return digits;
  if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  return digits;
}

std::string type_text(const Ty& t) {
  switch (t.kind) {
    case Kind::boolean: return "Bool";
    case Kind::integer: return "Int";
    case Kind::decimal: return "Decimal<" + std::to_string(t.scale) + ">";
    case Kind::money: return "Money<PKR>";
    case Kind::rate: return "Rate";
    case Kind::date: return "Date";
    case Kind::payment: return "Payment";
  }
  return "Int";
}

class Generator {
 public:
  explicit Generator(Choices& c) : c_(c) {}

  GeneratedPack run() {
    out_.source = "module fz.gen version \"1\"\n";
    out_.source += "record Payment { amount: Money<PKR>, count: Int, due: Date, atl: Bool }\n";
    law_day(kDay2023 + 400);
    const std::uint32_t decls = 1 + c_.below(6);
    for (std::uint32_t i = 0; i < decls; ++i) {
      if (c_.below(3) == 1) {
        table();
      } else {
        rule();
      }
    }
    return std::move(out_);
  }

 private:
  Choices& c_;
  GeneratedPack out_;
  std::vector<Callable> callables_;
  std::vector<Param> scope_;
  int lets_ = 0;

  Ty any_type() {
    switch (c_.below(6)) {
      case 1: return {Kind::money, 0};
      case 2: return {Kind::rate, 0};
      case 3: return {Kind::decimal, 1 + static_cast<int>(c_.below(4))};
      case 4: return {Kind::boolean, 0};
      case 5: return {Kind::date, 0};
      default: return {Kind::integer, 0};
    }
  }
  Ty ordered_type() {
    Ty t = any_type();
    return t.kind == Kind::boolean ? Ty{Kind::integer, 0} : t;
  }
  const char* mode() { return kModes[c_.below(kModes.size())]; }

  void law_day(std::int64_t day) {
    out_.law_dates.push_back(day);
    out_.law_dates.push_back(day - 1);
  }
  std::int64_t day() { return kDay2023 + static_cast<std::int64_t>(c_.u32() % kSpanDays); }

  // ---- literals ---------------------------------------------------------------------------------
  std::uint64_t small() {
    static constexpr std::array<std::uint64_t, 8> kSmall = {0, 1, 2, 5, 10, 50, 100, 1000};
    const std::uint8_t b = c_.byte();
    return b < 128 ? kSmall[b % kSmall.size()] : b < 224 ? b : c_.u32();
  }
  // `edges`: Int literals may be int256's maximum (not where they will be rescaled: below).
  std::string literal(const Ty& t, bool edges = true) {
    const bool negative = c_.below(5) == 1;
    std::string text;
    switch (t.kind) {
      case Kind::boolean: return c_.below(2) ? "true" : "false";
      case Kind::date: return date_text(day());
      case Kind::integer: text = edges && c_.below(16) == 1 ? std::string(kIntMax) : std::to_string(small()); break;
      case Kind::decimal: text = fixed(small(), t.scale); break;  // exactly s places: a Decimal<s> in any context
      case Kind::money: text = fixed(small(), static_cast<int>(c_.below(3))) + " PKR"; break;
      case Kind::rate: text = c_.below(4) == 0 ? std::to_string(small()) + " bps" : fixed(small(), static_cast<int>(c_.below(3))) + "%"; break;
      case Kind::payment: break;  // never asked: a Payment is only ever a parameter
    }
    return negative ? "(-" + text + ")" : text;
  }
  // The quantum of round(...) for a result of type `t`; for a Decimal<s> it has exactly s
  // decimals, so rounding a Decimal<s> or wider gives a Decimal<s>.
  std::string quantum(const Ty& t) {
    static constexpr std::array<std::uint64_t, 5> kSteps = {1, 2, 5, 10, 25};
    const std::uint64_t step = kSteps[c_.below(kSteps.size())];
    switch (t.kind) {
      case Kind::decimal: return fixed(step, t.scale);
      case Kind::money: return fixed(step, static_cast<int>(c_.below(3))) + " PKR";
      case Kind::rate: return c_.below(2) ? std::to_string(step) + " bps" : fixed(step, static_cast<int>(c_.below(3))) + "%";
      default: return std::to_string(step * (c_.below(3) == 2 ? 100 : 1));
    }
  }

  // ---- expressions ------------------------------------------------------------------------------
  std::string expr(const Ty& t, int depth) {
    if (depth >= kMaxDepth) return leaf(t);
    switch (c_.below(8)) {
      case 0: return leaf(t);
      case 1: return conditional(t, depth);
      case 2: return let(t, depth);
      case 3: return call(t, depth);
      default: return typed(t, depth + 1);
    }
  }
  std::string leaf(const Ty& t, bool edges = true) {
    std::vector<std::string> vars;
    for (const Param& p : scope_) {
      if (p.type == t) vars.push_back(p.name);
      if (p.type.kind == Kind::payment && field(t)) vars.push_back(p.name + "." + field(t));
    }
    if (!vars.empty() && c_.below(3) != 0) return vars[c_.below(static_cast<std::uint32_t>(vars.size()))];
    return literal(t, edges);
  }
  // The Payment field of type `t`, if any.
  static const char* field(const Ty& t) {
    switch (t.kind) {
      case Kind::money: return "amount";
      case Kind::integer: return "count";
      case Kind::date: return "due";
      case Kind::boolean: return "atl";
      default: return nullptr;
    }
  }
  // A Payment argument of a call: a Payment variable in scope, if there is one.
  const Param* payment_var() const {
    for (const Param& p : scope_) {
      if (p.type.kind == Kind::payment) return &p;
    }
    return nullptr;
  }
  bool callable_here(const Callable& f) const {
    return std::none_of(f.params.begin(), f.params.end(), [](const Param& p) { return p.type.kind == Kind::payment; }) ||
           payment_var() != nullptr;
  }
  std::string conditional(const Ty& t, int depth) {
    const std::string cond = expr({Kind::boolean, 0}, depth + 1);
    const std::string a = expr(t, depth + 1);
    return "(if " + cond + " then " + a + " else " + expr(t, depth + 1) + ")";
  }
  std::string let(const Ty& t, int depth) {
    const Ty bound = any_type();
    const std::string value = expr(bound, depth + 1);
    const std::string name = "v" + std::to_string(lets_++);
    scope_.push_back({name, bound});
    const std::string body = expr(t, depth + 1);
    scope_.pop_back();
    return "(let " + name + " = " + value + " in " + body + ")";
  }
  std::string call(const Ty& t, int depth) {
    std::vector<const Callable*> fits;
    for (const Callable& f : callables_) {
      if (f.result == t && callable_here(f)) fits.push_back(&f);
    }
    if (fits.empty()) return typed(t, depth + 1);
    const Callable& f = *fits[c_.below(static_cast<std::uint32_t>(fits.size()))];
    std::string text = f.name + "(";
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const Ty& p = f.params[i].type;
      text += (i ? ", " : "") + (p.kind == Kind::payment ? payment_var()->name : expr(p, depth + 1));
    }
    return text + ")" + column(f);
  }
  // `.cK` for a table with columns, else nothing.
  std::string column(const Callable& f) { return f.columns ? ".c" + std::to_string(c_.below(f.columns)) : ""; }
  // The results of one row: one per column (or one).
  std::string results(const Callable& f) {
    std::string text = expr(f.result, 1);
    for (std::uint32_t i = 1; i < f.columns; ++i) text += ", " + expr(f.result, 1);
    return text;
  }
  std::string binary(const Ty& l, const char* op, const Ty& r, int depth) {
    const std::string a = expr(l, depth);
    return "(" + a + " " + op + " " + expr(r, depth) + ")";
  }
  // Operands of two types that the checker widens to the left one (Int → Decimal<s>, Decimal<s-1>
  // → Decimal<s>). The right operand is checked against the left's type, and only a literal or
  // a variable widens there (an `if` or a sum of the narrower type is M0104), so both are leaves.
  // The narrow one is never an edge literal: the checker folds its rescaling into a constant
  // outside int256, which the compiler refuses (C0004; fuzz_findings.json "compiler").
  std::string mixed(const Ty& wide, const char* op, const Ty& narrow) {
    const std::string a = leaf(wide);
    return "(" + a + " " + op + " " + leaf(narrow, false) + ")";
  }
  std::string additive(const Ty& t, int depth) {
    switch (c_.below(4)) {
      case 0: return binary(t, "+", t, depth);
      case 1: return binary(t, "-", t, depth);
      case 2: return "(-" + expr(t, depth) + ")";
      default: return c_.below(2) ? binary(t, "*", {Kind::integer, 0}, depth) : binary({Kind::integer, 0}, "*", t, depth);
    }
  }
  std::string round(const std::string& value, const Ty& t) {
    return "round(" + value + ", to: " + quantum(t) + ", mode: " + mode() + ")";
  }
  // A money × rate or × decimal product, as mul(a, b) or a * b (both only inside round).
  std::string scaled(const Ty& factor, int depth) {
    const std::string a = expr({Kind::money, 0}, depth);
    const std::string b = expr(factor, depth);
    return c_.below(2) ? "mul(" + a + ", " + b + ")" : a + " * " + b;
  }
  std::string quotient(const Ty& numerator, int depth) {
    const std::string n = expr(numerator, depth);
    return n + " / " + expr({Kind::integer, 0}, depth);
  }

  std::string typed(const Ty& t, int depth) {
    switch (t.kind) {
      case Kind::boolean: return boolean(depth);
      case Kind::integer: return integer(depth);
      case Kind::decimal: return decimal(t, depth);
      case Kind::money: return money(depth);
      case Kind::rate: return rate(depth);
      case Kind::date: return date(depth);
      case Kind::payment: break;  // never asked: a Payment is only ever a parameter
    }
    return leaf(t);
  }
  std::string boolean(int depth) {
    static constexpr std::array<const char*, 6> kCompare = {"<", "<=", ">", ">=", "==", "!="};
    switch (c_.below(4)) {
      case 0: {
        const Ty t = ordered_type();
        return binary(t, kCompare[c_.below(kCompare.size())], t, depth);
      }
      case 1: return binary({Kind::boolean, 0}, c_.below(2) ? "and" : "or", {Kind::boolean, 0}, depth);
      case 2: return "(not " + expr({Kind::boolean, 0}, depth) + ")";
      default: return mixed({Kind::decimal, 2}, kCompare[c_.below(kCompare.size())], {Kind::integer, 0});
    }
  }
  std::string integer(int depth) {
    const Ty t{Kind::integer, 0};
    switch (c_.below(4)) {
      case 0: return round(quotient(t, depth), t);
      case 1: return round(expr(t, depth), t);
      case 2: {
        const std::string a = expr({Kind::date, 0}, depth);
        return "days_between(" + a + ", " + expr({Kind::date, 0}, depth) + ")";
      }
      default: return additive(t, depth);
    }
  }
  // A Decimal<s>: exact sums and products, or a rounding of something at least as fine.
  std::string decimal(const Ty& t, int depth) {
    const Ty wider{Kind::decimal, t.scale + static_cast<int>(c_.below(static_cast<std::uint32_t>(5 - t.scale)))};
    switch (c_.below(6)) {
      case 0: return round("mul(" + expr(wider, depth) + ", " + expr({Kind::rate, 0}, depth) + ")", t);
      case 1: return round(quotient(wider, depth), t);
      case 2: return round(expr(wider, depth), t);
      case 3:
        if (t.scale >= 2) {
          const int left = 1 + static_cast<int>(c_.below(static_cast<std::uint32_t>(t.scale - 1)));
          return binary({Kind::decimal, left}, "*", {Kind::decimal, t.scale - left}, depth);
        }
        return mixed(t, "+", {Kind::integer, 0});
      case 4: return t.scale >= 2 ? mixed(t, c_.below(2) ? "+" : "-", {Kind::decimal, t.scale - 1}) : additive(t, depth);
      default: return additive(t, depth);
    }
  }
  std::string money(int depth) {
    const Ty t{Kind::money, 0};
    switch (c_.below(5)) {
      case 0: return round(scaled({Kind::rate, 0}, depth), t);
      case 1: return round(scaled({Kind::decimal, 1 + static_cast<int>(c_.below(4))}, depth), t);
      case 2: return round(quotient(t, depth), t);
      case 3: {
        const std::string product = scaled({Kind::rate, 0}, depth);
        return round(product + " / " + expr({Kind::integer, 0}, depth), t);
      }
      default: return additive(t, depth);
    }
  }
  std::string rate(int depth) {
    const Ty t{Kind::rate, 0};
    return c_.below(4) == 0 ? round(quotient(t, depth), t) : additive(t, depth);
  }
  std::string date(int depth) {
    const Ty t{Kind::date, 0};
    switch (c_.below(4)) {
      case 0: return "(" + expr(t, depth) + (c_.below(2) ? " + " : " - ") + std::to_string(small() % 4000) + " days)";
      case 1: return "add_months(" + expr(t, depth) + ", " + std::to_string(small() % 600) + " months)";
      case 2: return "law_date()";
      default: return literal(t);
    }
  }

  // ---- declarations -----------------------------------------------------------------------------
  std::vector<Param> params() {
    std::vector<Param> out;
    const std::uint32_t n = 1 + c_.below(3);
    for (std::uint32_t i = 0; i < n; ++i) {
      out.push_back({"p" + std::to_string(i), c_.below(6) == 1 ? Ty{Kind::payment, 0} : any_type()});
    }
    return out;
  }
  static std::string signature(const Callable& f) {
    std::string text = f.name + "(";
    for (std::size_t i = 0; i < f.params.size(); ++i) text += (i ? ", " : "") + f.params[i].name + ": " + type_text(f.params[i].type);
    return text + ") -> " + type_text(f.result);
  }
  std::string definition(const Ty& result) {
    if (c_.below(3) != 1) return "= " + expr(result, 0);
    std::string text = "default " + expr(result, 0);
    const std::uint32_t n = 1 + c_.below(3);
    std::set<std::uint32_t> used;
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t priority = c_.below(20);
      while (!used.insert(priority).second) ++priority;
      const std::string cond = expr({Kind::boolean, 0}, 1);
      text += "\n  exception e" + std::to_string(i) + " priority " + std::to_string(priority) + " when " + cond + ": " + expr(result, 1);
    }
    return text;
  }
  // Ascending interval bounds; each is also a law date worth running at.
  std::vector<std::int64_t> bounds(std::uint32_t n) {
    std::vector<std::int64_t> out;
    std::int64_t d = day();
    for (std::uint32_t i = 0; i < n; ++i) {
      out.push_back(d);
      law_day(d);
      d += 1 + static_cast<std::int64_t>(c_.u32() % 400);
    }
    return out;
  }
  std::string interval(const std::vector<std::int64_t>& b, std::size_t i) {
    const bool open = i + 1 == b.size();
    return "in force " + date_text(b[i]) + " .. " + (open ? "" : date_text(b[i + 1]));
  }

  void rule() {
    Callable f{"r" + std::to_string(callables_.size()), params(), any_type()};
    scope_ = f.params;
    std::string text = "rule " + signature(f);
    const std::uint32_t versions = c_.below(4);
    if (versions == 0) {
      text += "\n  " + definition(f.result);
    } else {
      const std::vector<std::int64_t> b = bounds(versions + 1);
      const bool closed = c_.below(2) == 1;  // the last version ends: after it, no_law
      for (std::size_t i = 0; i + 1 < b.size(); ++i) {
        if (i > 0 && c_.below(5) == 1) continue;  // a gap: no_law inside
        text += "\n  " + interval(b, i) + ": " + definition(f.result);
      }
      if (!closed) text += "\n  " + interval(b, b.size() - 1) + ": " + definition(f.result);
    }
    out_.source += text + "\n";
    add_entry(f);
  }
  void add_entry(Callable f) {
    std::vector<Ty> types;
    for (const Param& p : f.params) types.push_back(p.type);
    out_.entries.push_back({"fz.gen." + f.name, types});
    callables_.push_back(std::move(f));
    scope_.clear();
  }

  // ---- tables -----------------------------------------------------------------------------------
  // Strictly ascending row keys of type `t`, as literals.
  std::vector<std::string> ascending_keys(const Ty& t, std::uint32_t n) {
    std::vector<std::string> out;
    std::int64_t v = static_cast<std::int64_t>(c_.below(200)) - 100;
    for (std::uint32_t i = 0; i < n; ++i) {
      out.push_back(key_literal(t, v));
      v += 1 + static_cast<std::int64_t>(small() % 5000);
    }
    return out;
  }
  static std::string key_literal(const Ty& t, std::int64_t v) {
    if (t.kind == Kind::date) return date_text(kDay2023 + v);
    const std::string magnitude = std::to_string(v < 0 ? -v : v);
    const std::string unit = t.kind == Kind::money ? " PKR" : t.kind == Kind::rate ? " bps" : "";
    return (v < 0 ? "-" : "") + magnitude + unit;
  }
  // The rows of one section: brackets, exact values or ranges over the first key.
  std::string rows(const Callable& f, bool dated_rows) {
    const Ty& key = f.params[0].type;
    const bool two = f.params.size() == 2;
    const std::uint32_t n = 1 + c_.below(4);
    const std::vector<std::string> k = ascending_keys(key, n + 1);
    const std::uint32_t shape = c_.below(3);
    std::string text;
    for (std::uint32_t i = 0; i < n; ++i) {
      std::string first = shape == 0 ? "up to " + k[i] : shape == 1 ? k[i] : k[i] + " .. " + k[i + 1];
      text += "\n  | " + first + (two ? ", " + second_key(f.params[1].type) : "") + " => " + results(f);
      if (dated_rows && i + 2 < n && c_.below(3) == 1) {
        const std::vector<std::int64_t> b = bounds(2);
        text += " " + interval(b, 0);
      }
    }
    const bool complete = !two || c_.below(3) != 0;
    if (shape == 0 && !two) {
      text += "\n  | " + std::string(c_.below(2) ? "above " + k[n - 1] : "else") + " => " + results(f);
    } else if (complete && c_.below(4) != 0) {
      text += "\n  | else" + std::string(two ? ", else" : "") + " => " + results(f);
    }
    return text;
  }
  std::string second_key(const Ty& t) {
    if (c_.below(2) == 0) return "else";
    const std::vector<std::string> k = ascending_keys(t, 2);
    return c_.below(2) ? k[0] : "up to " + k[1];
  }

  void table() {
    Callable f{"t" + std::to_string(callables_.size()), {{"k0", ordered_type()}}, any_type()};
    if (f.params[0].type.kind == Kind::decimal) f.params[0].type = {Kind::integer, 0};
    if (c_.below(4) == 1) f.params.push_back({"k1", {Kind::integer, 0}});
    f.columns = c_.below(4) == 1 ? 1 + c_.below(3) : 0;
    scope_ = f.params;
    std::string text = "table " + signature(f);
    if (f.columns) text += "\n  columns c0" + std::string(f.columns > 1 ? ", c1" : "") + (f.columns > 2 ? ", c2" : "");
    const std::uint32_t sections = c_.below(3);
    if (sections == 0) {
      text += rows(f, true);
    } else {
      const std::vector<std::int64_t> b = bounds(sections + 1);
      for (std::size_t i = 0; i + 1 < b.size(); ++i) text += "\n  " + interval(b, i) + ":" + rows(f, false);
    }
    out_.source += text + "\n";
    callables_.push_back(f);
    scope_.clear();
    probe(f);
  }
  // A rule that calls the table with its own arguments, so every table is run directly.
  void probe(const Callable& table) {
    Callable f{"r" + std::to_string(callables_.size()), table.params, table.result};
    std::string args;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      f.params[i].name = "p" + std::to_string(i);
      args += (i ? ", " : "") + f.params[i].name;
    }
    out_.source += "rule " + signature(f) + " = " + table.name + "(" + args + ")" + column(table) + "\n";
    add_entry(std::move(f));
  }
};

std::string signed_text(std::uint64_t v, bool negative) { return (negative && v ? "-" : "") + std::to_string(v); }

}  // namespace


GeneratedPack generate_pack(Choices& c) { return Generator(c).run(); }

lang::Value generate_arg(Choices& c, const Ty& t) {
  const std::uint8_t pick = c.byte();
  const bool negative = pick & 1;
  lang::Value v;
  if (t.kind == Kind::boolean) {
    v.scalar = negative ? "1" : "0";
    return v;
  }
  if (t.kind == Kind::payment) {
    for (const Kind field : {Kind::money, Kind::integer, Kind::date, Kind::boolean}) v.items.push_back(generate_arg(c, {field, 0}));
    return v;
  }
  if (t.kind == Kind::date) {
    const std::int64_t edge = (pick >> 1) % 8 == 7 ? kCalendarLimit - kCalendarMargin - static_cast<std::int64_t>(c.below(3)) : 0;
    const std::int64_t day = edge ? (negative ? -edge : edge) : kDay2023 + static_cast<std::int64_t>(c.u32() % kSpanDays);
    v.scalar = std::to_string(day);
    return v;
  }
  switch ((pick >> 1) % 8) {
    case 0: v.scalar = signed_text(c.below(21), negative); break;
    case 1: v.scalar = signed_text(c.u32(), negative); break;
    case 2: v.scalar = signed_text(c.u32() * 50, negative); break;  // halves at most quanta
    case 3: v.scalar = negative ? kIntMin : kIntMax; break;
    case 4: v.scalar = signed_text(std::uint64_t{1} << 63, negative) + pow10_text(static_cast<int>(c.below(50))).substr(1); break;
    default: v.scalar = signed_text(c.below(256) * 5, negative); break;
  }
  return v;
}

}  // namespace savm::fuzz::mizan
