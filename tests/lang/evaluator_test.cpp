// The reference evaluator against hand-computed oracles, on hand-built Programs
// (tests/lang/program_builder.h) so these tests do not depend on the checker. Rounding is also
// compared with the VM's MULDIV (vm/word.h): the compiled path rounds there, and the two must agree.
#include "lang/evaluator.h"

#include "lang/coverage.h"

#include <gtest/gtest.h>

#include <tuple>

#include "tests/lang/program_builder.h"
#include "lang/eval_arith.h"
#include "vm/word.h"

namespace savm::testing {
namespace {

constexpr std::int64_t k2024_07_01 = 19905;
constexpr std::int64_t k2025_01_01 = 20089;
constexpr std::int64_t k2025_07_01 = 20270;
const std::string kMax = "57896044618658097711785492504343953926634992332820282019728792003956564819967";  // 2^255-1
const std::string kMin = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";

Value v(const std::string& scalar) { return Value{scalar, {}, {}}; }

EvalResult run(const Program& p, const RuleInfo& r, std::vector<Value> args = {}, std::int64_t day = k2025_01_01) {
  return evaluate(p, r, args, day);
}

std::string error_code(const EvalResult& r) { return r.error ? r.error->code : "(none: " + (r.value ? r.value->scalar : "") + ")"; }

// ---- The Pakistan salary slab, tax year 2025 (First Schedule Part I Division I) ---------------

struct SalaryPack {
  Program program;
  const RuleInfo* salary_tax = nullptr;
  const TableInfo* slabs = nullptr;
};

// table salary_slabs(income: Money<PKR>) -> Slab, in force 2024-07-01 .. 2025-07-01:
//   | up to 600_000 PKR => slab(0 PKR, 0%, 0 PKR) | up to 1_200_000 PKR => slab(0, 5%, 600_000)
//   | above 1_200_000 PKR => slab(30_000 PKR, 15%, 1_200_000 PKR)
// rule salary_tax(income) = let s = salary_slabs(income)
//                           in s.fixed + round(mul(income - s.over, s.rate), to: 1 PKR, mode: half_up)
void build_salary(SalaryPack& pack) {
  Program& p = pack.program;
  const Type pkr = t_money("PKR");
  RecordInfo& slab = add_record(p, "pk.ito2001.Slab", {{"fixed", pkr}, {"rate", t_rate()}, {"over", pkr}});
  TableInfo& table = add_table(p, "pk.ito2001.salary_slabs", {{"income", pkr}}, t_record(&slab));
  const DayInterval ty2025{k2024_07_01, k2025_07_01};
  auto row = [&](TRowKey key_, const char* fixed, const char* rate, const char* over) {
    add_row(table, {key_}, exprs(make(RecordMake{&slab, exprs(k(fixed, pkr), k(rate, t_rate()), k(over, pkr))}, t_record(&slab))), ty2025)
        .cites = {"First Schedule Pt I Div I"};
  };
  row(key(RowKeyKind::up_to, "", "60000000"), "0", "0", "0");
  row(key(RowKeyKind::up_to, "", "120000000"), "0", "50000000", "60000000");
  row(key(RowKeyKind::above, "120000000"), "3000000", "150000000", "120000000");
  pack.slabs = &table;

  RuleInfo& rule = add_rule(p, "pk.ito2001.salary_tax", {{"income", pkr}}, pkr, 1);
  rule.cites = {"s.149"};
  rule.body.slot_types[1] = t_record(&slab);
  auto s = [&] { return var(1, t_record(&slab)); };
  TExprPtr taxed = round_node(bin(TBinaryOp::sub, var(0, pkr), field(s(), 2, pkr), pkr), field(s(), 1, t_rate()),
                              k("1000000000"), "100", Rounding::half_up, pkr, "s.219");
  TExprPtr body = make(TLet{1, lookup(&table, exprs(var(0, pkr))),
                            bin(TBinaryOp::add, field(s(), 0, pkr), std::move(taxed), pkr)}, pkr);
  add_version(rule, std::move(body));
  pack.salary_tax = &rule;
}

TEST(Evaluator, SalaryTaxOnOnePointFiveMillionIs75000Rupees) {
  SalaryPack pack;
  build_salary(pack);
  // 30,000 + 15% × (1,500,000 − 1,200,000) = 75,000 PKR = 7,500,000 paisa.
  const EvalResult r = run(pack.program, *pack.salary_tax, {v("150000000")});
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.value->scalar, "7500000");
  ASSERT_EQ(r.trace.size(), 3u);
  EXPECT_EQ(r.trace[0].kind, "rule");
  EXPECT_EQ(r.trace[0].name, "pk.ito2001.salary_tax");
  EXPECT_EQ(r.trace[0].cites, std::vector<std::string>{"s.149"});
  EXPECT_EQ(r.trace[1].kind, "row");
  EXPECT_EQ(r.trace[1].index, 2u);
  EXPECT_EQ(r.trace[1].detail, "row 3, in force 2024-07-01 .. 2025-07-01");
  EXPECT_EQ(r.trace[2].kind, "rounding");
  EXPECT_EQ(r.trace[2].cites, std::vector<std::string>{"s.219"});
  EXPECT_EQ(r.trace[2].name, "pk.ito2001.salary_tax");
  // The lookup and the rounding happen inside the rule: one level deeper (explain indents them).
  EXPECT_EQ(r.trace[0].depth, 0u);
  EXPECT_EQ(r.trace[1].depth, 1u);
  EXPECT_EQ(r.trace[2].depth, 1u);
}

TEST(Evaluator, SalarySlabBoundariesAreInclusiveUpTo) {
  SalaryPack pack;
  build_salary(pack);
  // 600,000 is in the 0% slab; 1,200,000 in the 5% slab: 5% × 600,000 = 30,000.
  EXPECT_EQ(run(pack.program, *pack.salary_tax, {v("60000000")}).value->scalar, "0");
  EXPECT_EQ(run(pack.program, *pack.salary_tax, {v("120000000")}).value->scalar, "3000000");
  // 1,200,000.01: 30,000 + 15% × 0.01 = 30,000.0015 → 30,000 PKR (to 1 PKR, half_up).
  EXPECT_EQ(run(pack.program, *pack.salary_tax, {v("120000001")}).value->scalar, "3000000");
  // 600,010: 5% × 10 = 0.5 PKR → 1 PKR under half_up.
  EXPECT_EQ(run(pack.program, *pack.salary_tax, {v("60001000")}).value->scalar, "100");
}

TEST(Evaluator, TableOutsideItsSectionIsNoRow) {
  SalaryPack pack;
  build_salary(pack);
  const EvalResult r = run(pack.program, *pack.salary_tax, {v("150000000")}, k2025_07_01);
  EXPECT_EQ(error_code(r), "no_row");
  EXPECT_NE(r.error->message.find("pk.ito2001.salary_slabs"), std::string::npos);
  EXPECT_NE(r.error->message.find("2025-07-01"), std::string::npos);
  ASSERT_EQ(r.trace.size(), 1u);  // the rule was entered, then the lookup faulted
}

// ---- Rounding -----------------------------------------------------------------------------------

// round(n / d) to 1 as a rule body: Rounded{a: n, b: 1, divisor: d, quantum: 1}.
EvalResult round_ratio(const std::string& n, const std::string& d, Rounding mode, const std::string& quantum = "1") {
  Program p;
  RuleInfo& r = add_rule(p, "t.r", {}, t_int());
  add_version(r, round_node(k(n), k("1"), k(d), quantum, mode, t_int()));
  return run(p, r);
}

TEST(Evaluator, RoundingModesAtExactHalves) {
  struct Case { const char* n; Rounding mode; const char* expected; };
  const Case cases[] = {
      {"25", Rounding::half_up, "3"},      {"-25", Rounding::half_up, "-3"},
      {"25", Rounding::half_even, "2"},    {"35", Rounding::half_even, "4"},
      {"-25", Rounding::half_even, "-2"},  {"-35", Rounding::half_even, "-4"},
      {"25", Rounding::half_down, "2"},    {"-25", Rounding::half_down, "-2"},
      {"25", Rounding::floor, "2"},        {"-25", Rounding::floor, "-3"},
      {"25", Rounding::ceil, "3"},         {"-25", Rounding::ceil, "-2"},
      {"25", Rounding::toward_zero, "2"},  {"-25", Rounding::toward_zero, "-2"},
      // Not at a half: 2.4 and -2.6 (docs/vm.md's table).
      {"24", Rounding::half_up, "2"},      {"-26", Rounding::half_up, "-3"},
      {"24", Rounding::half_down, "2"},    {"-26", Rounding::half_down, "-3"},
      {"24", Rounding::ceil, "3"},         {"-26", Rounding::floor, "-3"},
  };
  for (const Case& c : cases) {
    const EvalResult r = round_ratio(c.n, "10", c.mode);
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.value->scalar, c.expected) << c.n << "/10 " << lang::eval::to_string(c.mode);
  }
}

// The compiled path rounds with MULDIV; for every mode and a spread of signed ratios the
// evaluator's rounding must give MULDIV's word.
TEST(Evaluator, RoundingAgreesWithVmMuldiv) {
  const Rounding modes[] = {Rounding::floor, Rounding::ceil, Rounding::toward_zero,
                            Rounding::half_up, Rounding::half_even, Rounding::half_down};
  const std::int64_t numerators[] = {-37, -35, -25, -15, -10, -7, -5, -1, 0, 1, 5, 7, 10, 15, 25, 35, 37, 1000001};
  const std::int64_t divisors[] = {10, 4, 3, 2, -2, -10};
  for (const Rounding mode : modes) {
    for (const std::int64_t n : numerators) {
      for (const std::int64_t d : divisors) {
        vm::Word out;
        ASSERT_TRUE(vm::muldiv(vm::Word::from_i64(n), vm::Word::one(), vm::Word::from_i64(d),
                               static_cast<vm::Rounding>(mode), out));
        const EvalResult r = round_ratio(std::to_string(n), std::to_string(d), mode);
        ASSERT_FALSE(r.error) << r.error->message;
        EXPECT_EQ(r.value->scalar, out.to_decimal()) << n << "/" << d << " " << lang::eval::to_string(mode);
      }
    }
  }
}

TEST(Evaluator, RoundingToAQuantumMultipliesBack) {
  // round(2.345 AED-ish as 2345/1000 to 0.01) with quantum 10 in thousandths: 2345/10 = 234.5.
  EXPECT_EQ(round_ratio("2345", "1", Rounding::half_even, "10").value->scalar, "2340");
  EXPECT_EQ(round_ratio("2355", "1", Rounding::half_even, "10").value->scalar, "2360");
  EXPECT_EQ(round_ratio("-2345", "1", Rounding::half_up, "10").value->scalar, "-2350");
}

TEST(Evaluator, RoundingFaults) {
  EXPECT_EQ(error_code(round_ratio("5", "0", Rounding::floor)), "division_by_zero");
  // divisor × quantum is checked before dividing: MAX × 2 overflows even though the quotient is small.
  EXPECT_EQ(error_code(round_ratio("5", kMax, Rounding::floor, "2")), "overflow");
  // docs/vm.md: ((2^256−1)/3) × 3 / 2 = MAX + ½ faults under ceil, half_up, half_even; fits under floor.
  const std::string third = "38597363079105398474523661669562635951089994888546854679819194669304376546645";
  auto muldiv_case = [&](Rounding mode) {
    Program p;
    RuleInfo& r = add_rule(p, "t.r", {}, t_int());
    add_version(r, round_node(k(third), k("3"), k("2"), "1", mode, t_int()));
    return run(p, r);
  };
  EXPECT_EQ(muldiv_case(Rounding::floor).value->scalar, kMax);
  EXPECT_EQ(muldiv_case(Rounding::half_down).value->scalar, kMax);
  EXPECT_EQ(error_code(muldiv_case(Rounding::ceil)), "overflow");
  EXPECT_EQ(error_code(muldiv_case(Rounding::half_up)), "overflow");
  EXPECT_EQ(error_code(muldiv_case(Rounding::half_even)), "overflow");
  // The rounded steps fit but × quantum does not: MAX / 1 in steps of 2 rounds to (MAX+1)/2 × 2.
  EXPECT_EQ(error_code(round_ratio(kMax, "1", Rounding::ceil, "2")), "overflow");
  EXPECT_EQ(round_ratio(kMax, "1", Rounding::floor, "2").value->scalar,
            "57896044618658097711785492504343953926634992332820282019728792003956564819966");
}

// ---- int256 range ----------------------------------------------------------------------------------

EvalResult binary_rule(TBinaryOp op, const std::string& a, const std::string& b) {
  Program p;
  RuleInfo& r = add_rule(p, "t.r", {}, t_int());
  add_version(r, bin(op, k(a), k(b)));
  return run(p, r);
}

TEST(Evaluator, Int256OverflowAtTheExactBoundary) {
  EXPECT_EQ(binary_rule(TBinaryOp::add, kMax, "0").value->scalar, kMax);
  EXPECT_EQ(error_code(binary_rule(TBinaryOp::add, kMax, "1")), "overflow");
  EXPECT_EQ(binary_rule(TBinaryOp::sub, kMin, "0").value->scalar, kMin);
  EXPECT_EQ(error_code(binary_rule(TBinaryOp::sub, kMin, "1")), "overflow");
  EXPECT_EQ(binary_rule(TBinaryOp::mul, kMin, "1").value->scalar, kMin);
  EXPECT_EQ(error_code(binary_rule(TBinaryOp::mul, kMin, "-1")), "overflow");
  EXPECT_EQ(binary_rule(TBinaryOp::add, kMin, kMax).value->scalar, "-1");
  Program p;
  RuleInfo& r = add_rule(p, "t.neg", {}, t_int());
  add_version(r, make(TUnary{TUnaryOp::negate, k(kMin)}, t_int()));
  EXPECT_EQ(error_code(run(p, r)), "overflow");
  RuleInfo& r2 = add_rule(p, "t.rescale", {}, t_decimal(1));
  add_version(r2, make(Rescale{k("5789604461865809771178549250434395392663499233282028201972879200395656481997"), 1}, t_decimal(1)));
  EXPECT_EQ(error_code(run(p, r2)), "overflow");  // (MAX/10 rounded up) × 10 > MAX
}

// ---- Dates -------------------------------------------------------------------------------------

EvalResult date_fn(Builtin fn, std::int64_t a, TExprPtr b) {
  Program p;
  RuleInfo& r = add_rule(p, "t.d", {}, t_date());
  add_version(r, builtin(fn, exprs(k(std::to_string(a), t_date()), std::move(b)), t_date()));
  return run(p, r);
}
TExprPtr months(const std::string& m) { return make(DurationConst{m, "0"}, t_duration()); }

TEST(Evaluator, AddMonthsClampsToTheMonthEnd) {
  EXPECT_EQ(date_fn(Builtin::add_months, 19753, months("1")).value->scalar, "19782");   // 2024-01-31 → 2024-02-29
  EXPECT_EQ(date_fn(Builtin::add_months, 20119, months("1")).value->scalar, "20147");   // 2025-01-31 → 2025-02-28
  EXPECT_EQ(date_fn(Builtin::add_months, 19447, months("-1")).value->scalar, "19416");  // 2023-03-31 → 2023-02-28
  EXPECT_EQ(date_fn(Builtin::add_months, 20088, months("1")).value->scalar, "20119");   // 2024-12-31 → 2025-01-31
  EXPECT_EQ(date_fn(Builtin::add_months, 19753, months("12")).value->scalar, "20119");  // 2024-01-31 → 2025-01-31
  EXPECT_EQ(date_fn(Builtin::add_months, 19753, k("1")).value->scalar, "19782");        // a plain month count
  EXPECT_EQ(error_code(date_fn(Builtin::add_months, std::int64_t{1} << 41, months("1"))), "overflow");
}

TEST(Evaluator, DaysBetweenAndAddDays) {
  EXPECT_EQ(date_fn(Builtin::days_between, k2024_07_01, k(std::to_string(k2025_07_01), t_date())).value->scalar, "365");
  EXPECT_EQ(date_fn(Builtin::days_between, k2025_07_01, k(std::to_string(k2024_07_01), t_date())).value->scalar, "-365");
  EXPECT_EQ(date_fn(Builtin::add_days, k2024_07_01, k("-30")).value->scalar, std::to_string(k2024_07_01 - 30));
  Program p;
  RuleInfo& r = add_rule(p, "t.law", {}, t_date());
  add_version(r, builtin(Builtin::law_date, {}, t_date()));
  EXPECT_EQ(run(p, r, {}, 12345).value->scalar, "12345");
  RuleInfo& y = add_rule(p, "t.y", {}, t_int());
  add_version(y, builtin(Builtin::month_of, exprs(k("19782", t_date())), t_int()));
  EXPECT_EQ(run(p, y).value->scalar, "2");
}

// ---- Versions, exceptions -------------------------------------------------------------------------

TEST(Evaluator, VersionsSelectedByLawDateHalfOpen) {
  Program p;
  RuleInfo& r = add_rule(p, "t.threshold", {}, t_money("PKR"));
  add_version(r, k("7500000", t_money("PKR")), DayInterval{k2024_07_01, k2025_07_01}).cites = {"SRO 1/2024"};
  add_version(r, k("10000000", t_money("PKR")), DayInterval{k2025_07_01, std::nullopt}).cites = {"SRO 7/2025"};
  EXPECT_EQ(run(p, r, {}, k2025_07_01 - 1).value->scalar, "7500000");
  const EvalResult later = run(p, r, {}, k2025_07_01);
  EXPECT_EQ(later.value->scalar, "10000000");
  EXPECT_EQ(later.trace.at(0).detail, "in force 2025-07-01 ..");
  EXPECT_EQ(later.trace.at(0).cites, std::vector<std::string>{"SRO 7/2025"});
  const EvalResult before = run(p, r, {}, k2024_07_01 - 1);
  EXPECT_EQ(error_code(before), "no_law");
  EXPECT_NE(before.error->message.find("2024-06-30"), std::string::npos) << before.error->message;
}

// default 100, exception small priority 1 when x < 10: 1, exception tiny priority 2 when x < 5: 2,
// exception also_tiny priority 2 when x < 3: 3.
RuleInfo& exceptions_rule(Program& p) {
  RuleInfo& r = add_rule(p, "t.x", {{"x", t_int()}}, t_int());
  TVersion& version = add_version(r, k("100"));
  version.definition.exceptions.push_back(exception("tiny", 2, cmp(TBinaryOp::lt, var(0), k("5")), k("2")));
  version.definition.exceptions.push_back(exception("also_tiny", 2, cmp(TBinaryOp::lt, var(0), k("3")), k("3")));
  version.definition.exceptions.push_back(exception("small", 1, cmp(TBinaryOp::lt, var(0), k("10")), k("1")));
  version.definition.exceptions.back().cites = {"r.1"};
  return r;
}

TEST(Evaluator, HighestApplicableExceptionWins) {
  Program p;
  const RuleInfo& r = exceptions_rule(p);
  const EvalResult none = run(p, r, {v("50")});
  EXPECT_EQ(none.value->scalar, "100");
  EXPECT_EQ(none.trace.back().kind, "default");
  const EvalResult small = run(p, r, {v("7")});
  EXPECT_EQ(small.value->scalar, "1");
  EXPECT_EQ(small.trace.back().kind, "exception");
  EXPECT_EQ(small.trace.back().label, "small");
  EXPECT_EQ(small.trace.back().cites, std::vector<std::string>{"r.1"});
  EXPECT_EQ(run(p, r, {v("4")}).value->scalar, "2");  // tiny (2) over small (1)
  EXPECT_EQ(none.trace.back().detail, "no exception applies (checked: tiny, also_tiny, small)");
  EXPECT_EQ(small.trace.back().detail, "small (priority 1); does not apply: tiny, also_tiny");
  EXPECT_EQ(run(p, r, {v("4")}).trace.back().detail, "tiny (priority 2); also applies: small (priority 1); does not apply: also_tiny");
}

TEST(Evaluator, CoverageCountsRulesRowsAndBranchesFromTraces) {
  Program p;
  const RuleInfo& r = exceptions_rule(p);
  SalaryPack pack;
  build_salary(pack);
  Coverage coverage(p);
  coverage.record(run(p, r, {v("50")}).trace);  // default
  coverage.record(run(p, r, {v("7")}).trace);   // small
  const CoverageReport report = coverage.report();
  EXPECT_EQ(report.rules.taken, 1u);
  EXPECT_EQ(report.rules.total, 1u);
  EXPECT_EQ(report.branches.taken, 2u);
  EXPECT_EQ(report.branches.total, 4u);  // default + three exceptions
  EXPECT_EQ(report.branches.never, (std::vector<std::string>{"t.x exception tiny", "t.x exception also_tiny"}));

  Coverage salary(pack.program);
  salary.record(run(pack.program, *pack.salary_tax, {v("150000000")}).trace);
  const CoverageReport rows = salary.report();
  EXPECT_EQ(rows.rows.taken, 1u);
  EXPECT_EQ(rows.rows.total, 3u);
  EXPECT_EQ(rows.rows.never, (std::vector<std::string>{"pk.ito2001.salary_slabs row 1", "pk.ito2001.salary_slabs row 2"}));
}

TEST(Evaluator, TwoApplicableAtOnePriorityIsAConflict) {
  Program p;
  const RuleInfo& r = exceptions_rule(p);
  const EvalResult both = run(p, r, {v("1")});
  EXPECT_EQ(error_code(both), "conflict");
  EXPECT_NE(both.error->message.find("tiny and also_tiny"), std::string::npos) << both.error->message;
}

// ---- Tables, strings, lists, tensor ------------------------------------------------------------------

TEST(Evaluator, TableKeysRangesExactAndElseFirstMatchWins) {
  Program p;
  TableInfo& t = add_table(p, "t.card", {{"kind", t_string()}, {"amount", t_int()}}, t_rate());
  add_row(t, {key(RowKeyKind::exact, "company"), key(RowKeyKind::range, "0", "75000")}, exprs(k("0", t_rate())));
  add_row(t, {key(RowKeyKind::exact, "company"), key(RowKeyKind::otherwise)}, exprs(k("50000000", t_rate())),
          DayInterval{k2024_07_01, std::nullopt});
  add_row(t, {key(RowKeyKind::otherwise), key(RowKeyKind::otherwise)}, exprs(k("55000000", t_rate())));
  RuleInfo& r = add_rule(p, "t.r", {{"kind", t_string()}, {"amount", t_int()}}, t_rate());
  add_version(r, lookup(&t, exprs(var(0, t_string()), var(1))));
  auto at = [&](const char* kind, const char* amount, std::int64_t day) {
    const EvalResult e = run(p, r, {Value{{}, kind, {}}, v(amount)}, day);
    return e.value ? e.value->scalar : e.error->code;
  };
  EXPECT_EQ(at("company", "74999", k2025_01_01), "0");
  EXPECT_EQ(at("company", "75000", k2025_01_01), "50000000");      // the range end is excluded
  EXPECT_EQ(at("company", "75000", k2024_07_01 - 1), "55000000");  // row 2 not yet in force
  EXPECT_EQ(at("Company", "1", k2025_01_01), "55000000");          // strings compare by bytes
}

TEST(Evaluator, ListIterationAndSize) {
  Program p;
  const Type list = t_list(t_int());
  RuleInfo& r = add_rule(p, "t.sum", {{"xs", list}}, t_int(), 2);
  // fold(xs, 0, (acc, x) -> acc + x)
  add_version(r, make(Iterate{IterKind::fold, var(0, list), k("0"), 1, 2, bin(TBinaryOp::add, var(1), var(2))}, t_int()));
  const Value xs{{}, {}, {v("3"), v("-10"), v("4")}};
  EXPECT_EQ(run(p, r, {xs}).value->scalar, "-3");

  RuleInfo& f = add_rule(p, "t.filter", {{"xs", list}}, list, 1);
  add_version(f, make(Iterate{IterKind::filter, var(0, list), nullptr, 0, 1, cmp(TBinaryOp::gt, var(1), k("0"))}, list));
  EXPECT_EQ(run(p, f, {xs}).value->items, (std::vector<Value>{v("3"), v("4")}));

  RuleInfo& any = add_rule(p, "t.any", {{"xs", list}}, t_bool(), 1);
  add_version(any, make(Iterate{IterKind::any, var(0, list), nullptr, 0, 1, cmp(TBinaryOp::lt, var(1), k("0"))}, t_bool()));
  EXPECT_EQ(run(p, any, {xs}).value->scalar, "1");
  RuleInfo& all = add_rule(p, "t.all", {{"xs", list}}, t_bool(), 1);
  add_version(all, make(Iterate{IterKind::all, var(0, list), nullptr, 0, 1, cmp(TBinaryOp::lt, var(1), k("0"))}, t_bool()));
  EXPECT_EQ(run(p, all, {xs}).value->scalar, "0");
  EXPECT_EQ(run(p, all, {Value{}}).value->scalar, "1");  // all of nothing

  RuleInfo& size = add_rule(p, "t.size", {{"xs", list}}, t_int());
  add_version(size, builtin(Builtin::size, exprs(var(0, list)), t_int()));
  EXPECT_EQ(run(p, size, {xs}).value->scalar, "3");
}

TEST(Evaluator, TensorReadsPending) {
  Program p;
  RuleInfo& r = add_rule(p, "t.verdict", {}, t_state());
  add_version(r, make(TensorRead{str("asset"), k("1"), k("2")}, t_state()));
  EXPECT_EQ(run(p, r).value->scalar, "1");
}

TEST(Evaluator, MalformedProgramIsAnInternalErrorNotACrash) {
  Program p;
  RuleInfo& r = add_rule(p, "t.bad", {}, t_int());
  add_version(r, var(7));
  EXPECT_EQ(error_code(run(p, r)), "internal");
  RuleInfo& c = add_rule(p, "t.c", {}, t_int());
  add_version(c, k("007"));
  EXPECT_EQ(error_code(run(p, c)), "internal");
  EXPECT_EQ(error_code(run(p, r, {v("1")})), "internal");  // wrong argument count
}

// ---- Tests -----------------------------------------------------------------------------------------

TEST(Evaluator, RunTestReportsTheFailingComparison) {
  SalaryPack pack;
  build_salary(pack);
  const Type pkr = t_money("PKR");
  TestInfo test;
  test.name = "salary";
  test.law_date = k2025_01_01;
  test.body.slot_types = {pkr};
  test.statements.push_back({false, 0, k("150000000", pkr), {}});
  test.statements.push_back({true, 0, cmp(TBinaryOp::eq, call(pack.salary_tax, exprs(var(0, pkr))), k("7500000", pkr)), {}});
  EXPECT_TRUE(run_test(pack.program, test).passed);

  test.statements.push_back({true, 0, cmp(TBinaryOp::eq, call(pack.salary_tax, exprs(var(0, pkr))), k("7000000", pkr)), {}});
  const TestRun failed = run_test(pack.program, test);
  EXPECT_FALSE(failed.passed);
  EXPECT_FALSE(failed.error);
  EXPECT_EQ(failed.failed, &test.statements[2]);
  ASSERT_EQ(failed.operands.size(), 2u);
  EXPECT_EQ(failed.operands[0].value.scalar, "7500000");
  EXPECT_EQ(failed.operands[1].value.scalar, "7000000");

  test.law_date = k2025_07_01;  // the slabs are not in force: the expect faults
  const TestRun faulted = run_test(pack.program, test);
  ASSERT_TRUE(faulted.error);
  EXPECT_EQ(faulted.error->code, "no_row");
  EXPECT_EQ(faulted.failed, &test.statements[1]);
}

}  // namespace
}  // namespace savm::testing
