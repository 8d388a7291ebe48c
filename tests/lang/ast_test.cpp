// The AST shape of every Mizan construct: each test parses a small source and checks the nodes,
// values and spans it must produce (values worked out by hand from the source text).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/lang/parse_test.h"

namespace savm::lang::test {
namespace {

TEST(MizanAst, PackHeaderAndUses) {
  const std::string text =
      "/// The ordinance.\n/// Second line.\nregpack pk.fbr.wht \"Withholding card\"\n"
      "  source \"/akn/pk/sro\" jurisdiction pk version \"2025.2\" horizon 2024-07-01 .. 2026-07-01\n"
      "use lawpack pk.ito2001 as ito\nuse pk.calendar\n";
  ParseResult r = parse_text(text);
  ASSERT_TRUE(r.pack) << rendered(r, text);
  const Pack& p = *r.pack;
  EXPECT_EQ(p.kind, PackKind::regpack);
  EXPECT_EQ(p.id.text(), "pk.fbr.wht");
  EXPECT_EQ(p.title, "Withholding card");
  EXPECT_EQ(p.doc, "The ordinance.\nSecond line.");
  EXPECT_EQ(p.jurisdiction->text(), "pk");
  EXPECT_EQ(p.version, "2025.2");
  EXPECT_EQ(p.source, "/akn/pk/sro");
  ASSERT_TRUE(p.horizon);
  EXPECT_EQ(p.horizon->from, (CivilDate{2024, 7, 1}));
  EXPECT_EQ(p.horizon->to, (CivilDate{2026, 7, 1}));
  ASSERT_EQ(p.uses.size(), 2u);
  EXPECT_EQ(p.uses[0].kind, PackKind::lawpack);
  EXPECT_EQ(p.uses[0].id.text(), "pk.ito2001");
  EXPECT_EQ(p.uses[0].alias->text, "ito");
  EXPECT_FALSE(p.uses[1].kind);
  EXPECT_FALSE(p.uses[1].alias);
  // The header spans "regpack" (line 3; the two doc lines are 19 + 17 bytes) to the end of the
  // horizon interval.
  EXPECT_EQ(p.span.line, 3u);
  EXPECT_EQ(p.span.column, 1u);
  EXPECT_EQ(p.span.begin, 36u);
  EXPECT_EQ(text.substr(p.span.begin, 7), "regpack");
  EXPECT_EQ(text.substr(p.span.end - 10, 10), "2026-07-01");
}

TEST(MizanAst, Types) {
  const Pack p = parse_ok(
      "record R { a: Bool, b: Int c: Decimal<4> d: Money<AED>, e: Rate, f: Date, g: Duration, h: Timestamp,\n"
      "  i: String, j: EntityId, k: AssetId, l: JurisdictionId, m: List<Money<PKR>>, n: Set<Int>,\n"
      "  o: Map<String, List<Int>>, q: Option<wht.Payee>, r: Domain, s: State }\n");
  const RecordDecl& r = decl_as<RecordDecl>(p, 0);
  ASSERT_EQ(r.fields.size(), 18u);
  const TypeKind kinds[] = {TypeKind::boolean, TypeKind::integer, TypeKind::decimal, TypeKind::money,
                            TypeKind::rate, TypeKind::date, TypeKind::duration, TypeKind::timestamp,
                            TypeKind::string, TypeKind::entity_id, TypeKind::asset_id, TypeKind::jurisdiction_id,
                            TypeKind::list, TypeKind::set, TypeKind::map, TypeKind::option, TypeKind::named,
                            TypeKind::named};
  for (std::size_t i = 0; i < 18; ++i) EXPECT_EQ(r.fields[i].type.kind, kinds[i]) << r.fields[i].name.text;
  EXPECT_EQ(r.fields[2].type.scale, 4);
  EXPECT_EQ(r.fields[3].type.currency, "AED");
  EXPECT_EQ(r.fields[12].type.args.at(0).currency, "PKR");
  EXPECT_EQ(r.fields[14].type.args.at(1).kind, TypeKind::list);
  EXPECT_EQ(r.fields[15].type.args.at(0).name.text(), "wht.Payee");
  EXPECT_EQ(r.fields[17].type.name.text(), "State");
}

TEST(MizanAst, EnumAndDocComments) {
  const Pack p = parse_ok("// not a doc comment\n/// Kinds of payee.\nenum Kind { company, individual, aop, }\n");
  const EnumDecl& e = decl_as<EnumDecl>(p, 0);
  EXPECT_EQ(e.name.text, "Kind");
  ASSERT_EQ(e.variants.size(), 3u);
  EXPECT_EQ(e.variants[2].text, "aop");
  EXPECT_EQ(p.decls[0].doc, "Kinds of payee.");
}

TEST(MizanAst, RuleWithLetAndNamedArguments) {
  const Pack p = parse_ok(
      "rule salary_tax(income: Money<PKR>) -> Money<PKR> cites \"s.149\", \"s.219\"\n"
      "  = let s = slabs(income) in s.fixed + round(income - s.over, to: 1 PKR, mode: half_up)\n");
  const RuleDecl& r = decl_as<RuleDecl>(p, 0);
  EXPECT_EQ(r.kind, RuleKind::rule);
  ASSERT_EQ(r.cites.size(), 2u);
  EXPECT_EQ(r.cites[1].text, "s.219");
  ASSERT_EQ(r.versions.size(), 1u);
  EXPECT_FALSE(r.versions[0].in_force);
  EXPECT_FALSE(r.versions[0].definition.is_default);
  const Let& let = as<Let>(*r.versions[0].definition.value);
  EXPECT_EQ(let.name.text, "s");
  const Call& slabs = as<Call>(*let.value);
  EXPECT_EQ(as<NameRef>(*slabs.callee).name, "slabs");
  const Binary& sum = as<Binary>(*let.body);
  EXPECT_EQ(sum.op, BinaryOp::add);
  EXPECT_EQ(as<FieldAccess>(*sum.lhs).field.text, "fixed");
  const Call& round = as<Call>(*sum.rhs);
  ASSERT_EQ(round.args.size(), 3u);
  EXPECT_FALSE(round.args[0].name);
  EXPECT_EQ(as<Binary>(*round.args[0].value).op, BinaryOp::sub);
  EXPECT_EQ(round.args[1].name->text, "to");  // `to` is a soft keyword: usable as a name
  const MoneyLit& quantum = as<MoneyLit>(*round.args[1].value);
  EXPECT_EQ(quantum.amount, "1");
  EXPECT_EQ(quantum.currency, "PKR");
  EXPECT_EQ(as<NameRef>(*round.args[2].value).name, "half_up");
}

TEST(MizanAst, DefaultsAndExceptions) {
  const Pack p = parse_ok(
      "rule w(p: Payment) -> Money<PKR> cites \"s.153\"\n"
      "  default round(mul(p.amount, 5%), to: 1 PKR, mode: half_up)\n"
      "  exception non_atl priority 1 cites \"Tenth Schedule r.1\" when not wht.on_atl(p.payee): 2 PKR\n"
      "  exception below priority 20 when p.amount <= 75_000 PKR: 0 PKR\n");
  const Definition& d = decl_as<RuleDecl>(p, 0).versions.at(0).definition;
  EXPECT_TRUE(d.is_default);
  ASSERT_EQ(d.exceptions.size(), 2u);
  EXPECT_EQ(d.exceptions[0].label.text, "non_atl");
  EXPECT_EQ(d.exceptions[0].priority, "1");
  EXPECT_EQ(d.exceptions[0].cites.at(0).text, "Tenth Schedule r.1");
  const Unary& neg = as<Unary>(*d.exceptions[0].condition);
  EXPECT_EQ(neg.op, UnaryOp::logical_not);
  EXPECT_EQ(as<FieldAccess>(*as<Call>(*neg.operand).callee).field.text, "on_atl");
  EXPECT_EQ(d.exceptions[1].priority, "20");
  const Binary& le = as<Binary>(*d.exceptions[1].condition);
  EXPECT_EQ(le.op, BinaryOp::le);
  EXPECT_EQ(as<MoneyLit>(*le.rhs).amount, "75000");
  EXPECT_EQ(as<MoneyLit>(*d.exceptions[1].value).amount, "0");
}

TEST(MizanAst, DatedVersions) {
  const Pack p = parse_ok(
      "rule threshold -> Money<PKR>\n"
      "  in force 2024-07-01 .. 2025-07-01 cites \"SRO 1\": = 75_000 PKR\n"
      "  in force 2025-07-01 ..: default 100_000 PKR\n"
      "compliance tax(p: Payment) -> State = if p.ok then compliant else non_compliant\n");
  const RuleDecl& r = decl_as<RuleDecl>(p, 0);
  EXPECT_TRUE(r.params.empty());
  ASSERT_EQ(r.versions.size(), 2u);
  EXPECT_EQ(r.versions[0].in_force->from, (CivilDate{2024, 7, 1}));
  EXPECT_EQ(r.versions[0].in_force->to, (CivilDate{2025, 7, 1}));
  EXPECT_EQ(r.versions[0].cites.at(0).text, "SRO 1");
  EXPECT_FALSE(r.versions[1].in_force->to);
  EXPECT_TRUE(r.versions[1].definition.is_default);
  const RuleDecl& c = decl_as<RuleDecl>(p, 1);
  EXPECT_EQ(c.kind, RuleKind::compliance);
  const If& cond = as<If>(*c.versions.at(0).definition.value);
  EXPECT_EQ(as<NameRef>(*cond.else_branch).name, "non_compliant");
}

TEST(MizanAst, TablesWithSectionsColumnsAndRowKeys) {
  const Pack p = parse_ok(
      "table slabs(income: Money<PKR>) -> Slab cites \"First Schedule\"\n"
      "  in force 2024-07-01 .. 2025-07-01:\n"
      "    | up to 600_000 PKR => slab(rate: 0%)\n"
      "    | above 600_000 PKR => slab(rate: 5%)\n"
      "  in force 2025-07-01 ..:\n"
      "    | else => slab(rate: 1%)\n"
      "table card(kind: Kind, amount: Money<PKR>) -> Rate\n"
      "  columns atl, non_atl\n"
      "  | company, 0 PKR .. 75_000 PKR => 0%, 0% in force 2024-07-01 .. 2025-01-01\n"
      "  | company, else => 4.5%, 9%\n"
      "  | aop, above 1 PKR => 25 bps, 50bps\n");
  const TableDecl& slabs = decl_as<TableDecl>(p, 0);
  ASSERT_EQ(slabs.sections.size(), 2u);
  EXPECT_EQ(slabs.sections[0].in_force->to, (CivilDate{2025, 7, 1}));
  ASSERT_EQ(slabs.sections[0].rows.size(), 2u);
  const RowKey& up_to = slabs.sections[0].rows[0].keys.at(0);
  EXPECT_EQ(up_to.kind, RowKeyKind::up_to);
  EXPECT_EQ(as<MoneyLit>(*up_to.high).amount, "600000");
  EXPECT_EQ(slabs.sections[0].rows[1].keys.at(0).kind, RowKeyKind::above);
  EXPECT_EQ(slabs.sections[1].rows.at(0).keys.at(0).kind, RowKeyKind::otherwise);

  const TableDecl& card = decl_as<TableDecl>(p, 1);
  ASSERT_EQ(card.columns.size(), 2u);
  EXPECT_EQ(card.columns[1].text, "non_atl");
  ASSERT_EQ(card.sections.size(), 1u);
  EXPECT_FALSE(card.sections[0].in_force);
  const TableRow& first = card.sections[0].rows.at(0);
  ASSERT_EQ(first.keys.size(), 2u);
  EXPECT_EQ(first.keys[0].kind, RowKeyKind::exact);
  EXPECT_EQ(first.keys[1].kind, RowKeyKind::range);
  EXPECT_EQ(as<MoneyLit>(*first.keys[1].high).amount, "75000");
  ASSERT_EQ(first.results.size(), 2u);
  EXPECT_EQ(first.in_force->to, (CivilDate{2025, 1, 1}));
  const TableRow& second = card.sections[0].rows.at(1);
  EXPECT_EQ(as<RateLit>(*second.results[0]).value, "4.5");
  EXPECT_EQ(as<RateLit>(*second.results[0]).unit, RateUnit::percent);
  const TableRow& third = card.sections[0].rows.at(2);
  EXPECT_EQ(as<RateLit>(*third.results[0]).unit, RateUnit::basis_points);
  EXPECT_EQ(as<RateLit>(*third.results[1]).value, "50");
}

TEST(MizanAst, TransitionClauses) {
  const Pack p = parse_ok(
      "transition pay(p: Payment) cites \"s.153\"\n"
      "  requires tensor(p.payer, pk, sanctions) is passing\n"
      "  let v = tax(p)\n"
      "  writes tensor(p.payer, pk, tax) := v evidence p.receipt_digest\n"
      "  writes storage(\"k\") := 1\n");
  const TransitionDecl& t = decl_as<TransitionDecl>(p, 0);
  ASSERT_EQ(t.clauses.size(), 4u);
  EXPECT_EQ(t.clauses[0].kind, ClauseKind::require);
  const IsTest& is = as<IsTest>(*t.clauses[0].value);
  EXPECT_FALSE(is.negated);
  EXPECT_EQ(is.state.text, "passing");
  EXPECT_EQ(t.clauses[1].kind, ClauseKind::let);
  EXPECT_EQ(t.clauses[1].name->text, "v");
  EXPECT_EQ(t.clauses[2].kind, ClauseKind::write);
  EXPECT_EQ(as<NameRef>(*as<Call>(*t.clauses[2].target).callee).name, "tensor");
  EXPECT_EQ(as<FieldAccess>(*t.clauses[2].evidence).field.text, "receipt_digest");
  EXPECT_EQ(t.clauses[3].evidence, nullptr);
}

TEST(MizanAst, Trigger) {
  const Pack p = parse_ok(
      "trigger freeze on sanctions_list_update(e: Event) jurisdiction pk.adgm when e.hit priority 10\n"
      "  authorization quorum action halt(asset) action update_manifest(asset)\n"
      "trigger minimal on tax_year_end action close()\n");
  const TriggerDecl& t = decl_as<TriggerDecl>(p, 0);
  EXPECT_EQ(t.event.text, "sanctions_list_update");
  EXPECT_EQ(t.jurisdiction->text(), "pk.adgm");
  EXPECT_EQ(as<FieldAccess>(*t.condition).field.text, "hit");
  EXPECT_EQ(t.priority, "10");
  EXPECT_EQ(t.authorization->text, "quorum");
  EXPECT_EQ(t.actions.size(), 2u);
  const TriggerDecl& m = decl_as<TriggerDecl>(p, 1);
  EXPECT_EQ(m.condition, nullptr);
  EXPECT_TRUE(m.priority.empty());
  EXPECT_EQ(m.actions.size(), 1u);
}

TEST(MizanAst, TestBlocks) {
  const Pack p = parse_ok("test \"salary \\\"1.5M\\\"\" at 2025-01-01 { let x = 1 expect f(x) == 75_000 PKR }\n");
  const TestDecl& t = decl_as<TestDecl>(p, 0);
  EXPECT_EQ(t.name, "salary \"1.5M\"");
  EXPECT_EQ(t.law_date, (CivilDate{2025, 1, 1}));
  ASSERT_EQ(t.statements.size(), 2u);
  EXPECT_FALSE(t.statements[0].is_expect);
  EXPECT_TRUE(t.statements[1].is_expect);
  EXPECT_EQ(as<Binary>(*t.statements[1].value).op, BinaryOp::eq);
}

TEST(MizanAst, PrecedenceAndAssociativity) {
  // a or b and not c == d + e * -f - g  parses as  a or (b and (not ((c == ((d + (e * (-f))) - g)))))
  const Pack p = parse_ok("rule r -> Bool = a or b and not c == d + e * -f - g\n");
  const Binary& o = as<Binary>(*decl_as<RuleDecl>(p, 0).versions.at(0).definition.value);
  EXPECT_EQ(o.op, BinaryOp::logical_or);
  const Binary& a = as<Binary>(*o.rhs);
  EXPECT_EQ(a.op, BinaryOp::logical_and);
  const Unary& n = as<Unary>(*a.rhs);
  const Binary& eq = as<Binary>(*n.operand);
  EXPECT_EQ(eq.op, BinaryOp::eq);
  const Binary& minus = as<Binary>(*eq.rhs);
  EXPECT_EQ(minus.op, BinaryOp::sub);
  EXPECT_EQ(as<NameRef>(*minus.rhs).name, "g");
  const Binary& plus = as<Binary>(*minus.lhs);
  EXPECT_EQ(plus.op, BinaryOp::add);
  const Binary& times = as<Binary>(*plus.rhs);
  EXPECT_EQ(times.op, BinaryOp::mul);
  EXPECT_EQ(as<Unary>(*times.rhs).op, UnaryOp::negate);
}

TEST(MizanAst, CollectionsLambdasAndLiterals) {
  const Pack p = parse_ok(
      "rule r -> Bool = fold(xs, 0 PKR, (acc, x) -> acc + x) > size([1, 2.50, 3]) or any(xs, x -> x is some)\n"
      "rule d -> Date = 2024-02-29 + 3 months + 1 day\n"
      "rule t -> Timestamp = 2025-01-01T23:59:59Z\n"
      "rule s -> Option<Int> = none\n");
  const Binary& o = as<Binary>(*decl_as<RuleDecl>(p, 0).versions.at(0).definition.value);
  const Binary& gt = as<Binary>(*o.lhs);
  const Call& fold = as<Call>(*gt.lhs);
  ASSERT_EQ(fold.args.size(), 3u);
  const Lambda& l = as<Lambda>(*fold.args[2].value);
  ASSERT_EQ(l.params.size(), 2u);
  EXPECT_EQ(l.params[0].text, "acc");
  const Call& size = as<Call>(*gt.rhs);
  EXPECT_EQ(as<NumberLit>(*as<ListLit>(*size.args.at(0).value).items.at(1)).digits, "2.50");
  const Call& any = as<Call>(*o.rhs);
  EXPECT_EQ(as<IsTest>(*as<Lambda>(*any.args.at(1).value).body).state.text, "some");

  const Binary& date_sum = as<Binary>(*decl_as<RuleDecl>(p, 1).versions.at(0).definition.value);
  EXPECT_EQ(as<DurationLit>(*date_sum.rhs).unit, DurationUnit::days);
  const Binary& inner = as<Binary>(*date_sum.lhs);
  EXPECT_EQ(as<DateLit>(*inner.lhs).date, (CivilDate{2024, 2, 29}));
  EXPECT_EQ(as<DurationLit>(*inner.rhs).count, "3");
  EXPECT_EQ(as<TimestampLit>(*decl_as<RuleDecl>(p, 2).versions.at(0).definition.value).text, "2025-01-01T23:59:59Z");
  as<NoneLit>(*decl_as<RuleDecl>(p, 3).versions.at(0).definition.value);
}

TEST(MizanAst, ExpressionSpans) {
  const std::string body = "rule r -> Int = (a + bb) * c\n";
  const Pack p = parse_ok(body);
  const Binary& mul = as<Binary>(*decl_as<RuleDecl>(p, 0).versions.at(0).definition.value);
  const std::string text = std::string(kHeader) + body;
  const std::size_t base = text.find("(a");
  const SourceSpan& paren = mul.lhs->span;
  EXPECT_EQ(paren.begin, base);
  EXPECT_EQ(paren.end, base + 8);  // "(a + bb)"
  EXPECT_EQ(text.substr(paren.begin, paren.end - paren.begin), "(a + bb)");
  EXPECT_EQ(paren.line, 2u);
  EXPECT_EQ(paren.column, 17u);
}

// The sketch of MIZAN.md, completed into a valid pack, parses cleanly: 3 records, an enum, 2
// tables, 7 rules, a compliance block, a transition, a trigger and 2 tests.
TEST(MizanAst, ExamplePackParses) {
  const std::filesystem::path path = std::filesystem::path(SAVM_SOURCE_DIR) / "examples/mizan/pk_ito2001.mizan";
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  ParseResult r = parse(SourceFile{path.string(), s.str(), 0});
  ASSERT_TRUE(r.pack) << rendered(r, s.str());
  EXPECT_EQ(r.pack->id.text(), "pk.ito2001");
  EXPECT_EQ(r.pack->decls.size(), 18u);
  EXPECT_EQ(decl_as<TableDecl>(*r.pack, 4).sections.size(), 2u);
  EXPECT_EQ(decl_as<TableDecl>(*r.pack, 4).sections[1].rows.size(), 6u);
}

}  // namespace
}  // namespace savm::lang::test
