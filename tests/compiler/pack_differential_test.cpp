// The compiled path against the reference evaluator (the oracle, lang/evaluator.h) on the real
// packs in packs/pk and packs/ae: every export of every pack (rules, compliance verdicts and
// tables), over a grid of arguments derived from the parameter types and the packs' own
// constants (table bounds and compared constants, each ±1 unit of the representation: one
// minor unit for money), zero, negative, large and int256-overflowing magnitudes, every enum
// variant and both Bools, at law dates on both sides of every version and row boundary. Both
// tiers must give the same Value or the same error code.
#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "lang/evaluator.h"
#include "lang/value_json.h"
#include "lang/workspace.h"

namespace savm::compiler {
namespace {

using boost::multiprecision::cpp_int;

// ---- The packs' constants, by type -----------------------------------------------------------------

using Constants = std::map<std::string, std::set<cpp_int>>;  // lang::to_string(type) → values

void add_children(const lang::TExpr& e, std::vector<const lang::TExpr*>& out);

bool is_comparison(lang::TBinaryOp op) {
  using lang::TBinaryOp;
  return op == TBinaryOp::eq || op == TBinaryOp::ne || op == TBinaryOp::lt || op == TBinaryOp::le ||
         op == TBinaryOp::gt || op == TBinaryOp::ge;
}

// Every constant an expression compares something with (`income <= 10_000_000 PKR`).
void collect_compared(const lang::TExpr& root, Constants& out) {
  std::vector<const lang::TExpr*> todo{&root};
  while (!todo.empty()) {
    const lang::TExpr* e = todo.back();
    todo.pop_back();
    if (const auto* b = std::get_if<lang::TBinary>(&e->node); b != nullptr && is_comparison(b->op)) {
      for (const lang::TExpr* side : {b->lhs.get(), b->rhs.get()}) {
        if (const auto* c = std::get_if<lang::Const>(&side->node)) out[lang::to_string(side->type)].insert(cpp_int(c->value));
      }
    }
    add_children(*e, todo);
  }
}

template <typename... Ptrs>
void push(std::vector<const lang::TExpr*>& out, const Ptrs&... ptrs) {
  for (const lang::TExprPtr* p : {&ptrs...}) {
    if (*p) out.push_back(p->get());
  }
}
void push_all(std::vector<const lang::TExpr*>& out, const std::vector<lang::TExprPtr>& all) {
  for (const lang::TExprPtr& p : all) out.push_back(p.get());
}

void add_children(const lang::TExpr& e, std::vector<const lang::TExpr*>& out) {
  if (const auto* n = std::get_if<lang::FieldGet>(&e.node)) push(out, n->object);
  if (const auto* n = std::get_if<lang::RecordMake>(&e.node)) push_all(out, n->fields);
  if (const auto* n = std::get_if<lang::ListMake>(&e.node)) push_all(out, n->items);
  if (const auto* n = std::get_if<lang::RuleCall>(&e.node)) push_all(out, n->args);
  if (const auto* n = std::get_if<lang::TableCall>(&e.node)) push_all(out, n->args);
  if (const auto* n = std::get_if<lang::BuiltinCall>(&e.node)) push_all(out, n->args);
  if (const auto* n = std::get_if<lang::TUnary>(&e.node)) push(out, n->operand);
  if (const auto* n = std::get_if<lang::TBinary>(&e.node)) push(out, n->lhs, n->rhs);
  if (const auto* n = std::get_if<lang::Rescale>(&e.node)) push(out, n->operand);
  if (const auto* n = std::get_if<lang::Rounded>(&e.node)) push(out, n->a, n->b, n->divisor);
  if (const auto* n = std::get_if<lang::TIf>(&e.node)) push(out, n->condition, n->then_branch, n->else_branch);
  if (const auto* n = std::get_if<lang::TLet>(&e.node)) push(out, n->value, n->body);
  if (const auto* n = std::get_if<lang::Iterate>(&e.node)) push(out, n->list, n->init, n->body);
  if (const auto* n = std::get_if<lang::TensorRead>(&e.node)) push(out, n->asset, n->jurisdiction, n->domain);
}

Constants pack_constants(const lang::Program& program) {
  Constants out;
  for (const auto& table : program.tables) {
    for (const lang::TRow& row : table->rows) {
      for (std::size_t k = 0; k < row.keys.size(); ++k) {
        std::set<cpp_int>& bounds = out[lang::to_string(table->params[k].type)];
        if (!row.keys[k].low.empty()) bounds.insert(cpp_int(row.keys[k].low));
        if (!row.keys[k].high.empty()) bounds.insert(cpp_int(row.keys[k].high));
      }
      for (const lang::TExprPtr& r : row.results) collect_compared(*r, out);
    }
  }
  for (const auto& rule : program.rules) {
    for (const lang::TVersion& v : rule->versions) {
      collect_compared(*v.definition.value, out);
      for (const lang::TException& x : v.definition.exceptions) {
        collect_compared(*x.condition, out);
        collect_compared(*x.value, out);
      }
    }
  }
  return out;
}

// Every day on which some version, row or pack horizon starts or ends.
std::set<std::int64_t> boundaries(const lang::Program& program) {
  std::set<std::int64_t> days;
  const auto add = [&](const std::optional<lang::DayInterval>& in_force) {
    if (!in_force) return;
    days.insert(in_force->from);
    if (in_force->to) days.insert(*in_force->to);
  };
  for (const lang::PackInfo& p : program.packs) add(p.horizon);
  for (const auto& rule : program.rules) {
    for (const lang::TVersion& v : rule->versions) add(v.in_force);
  }
  for (const auto& table : program.tables) {
    for (const lang::TRow& row : table->rows) add(row.in_force);
  }
  return days;
}

// ---- Argument candidates by type -------------------------------------------------------------------

lang::Value scalar(const cpp_int& v) {
  lang::Value value;
  value.scalar = v.str();
  return value;
}

std::vector<lang::Value> scalars(const std::set<cpp_int>& values) {
  std::vector<lang::Value> out;
  for (const cpp_int& v : values) out.push_back(scalar(v));
  return out;
}

std::vector<lang::Value> upto(int n) {
  std::set<cpp_int> values;
  for (int i = 0; i < n; ++i) values.insert(i);
  return scalars(values);
}

class CandidateMaker {
 public:
  CandidateMaker(const Constants& constants, const std::set<std::int64_t>& days)
      : constants_(constants), days_(days) {}

  std::vector<lang::Value> of(const lang::Type& type) const {
    using lang::BaseType;
    switch (type.base) {
      case BaseType::boolean: return upto(2);
      case BaseType::enumeration: return upto(static_cast<int>(type.enumeration->variants.size()));
      case BaseType::state: return upto(5);
      case BaseType::domain: return upto(23);
      case BaseType::date: return dates(type);
      case BaseType::timestamp: return scalars({0, 1735689600});
      case BaseType::string:
      case BaseType::entity_id:
      case BaseType::asset_id: return {bytes(""), bytes("PK-0001")};
      case BaseType::jurisdiction_id: return {from_json("\"pk\"", type), from_json("\"ae\"", type)};
      case BaseType::duration: return {pair("0", "0"), pair("1", "0"), pair("0", "30")};
      case BaseType::record: return records(type);
      case BaseType::list: return {lang::Value{}};
      default: return numbers(type);
    }
  }

 private:
  // Zero, ±1, a negative, a large magnitude, 10^70 and the int256 extremes (sums and rescales of
  // them overflow), the
  // packs' constants of this type ±1; a Rate also 5% and 100%.
  std::vector<lang::Value> numbers(const lang::Type& type) const {
    const cpp_int int256_max = (cpp_int(1) << 255) - 1;
    std::set<cpp_int> values{0, 1, -1, -1000000, cpp_int(1000000000000), cpp_int(pow(cpp_int(10), 70)),
                             int256_max, cpp_int(-int256_max - 1)};
    if (type.base == lang::BaseType::rate) values.insert({50000000, 1000000000});
    around(lang::to_string(type), values);
    return scalars(values);
  }

  std::vector<lang::Value> dates(const lang::Type& type) const {
    std::set<cpp_int> values{0};
    for (const std::int64_t d : days_) values.insert({d - 1, d, d + 1});
    around(lang::to_string(type), values);
    return scalars(values);
  }

  void around(const std::string& type, std::set<cpp_int>& values) const {
    const auto it = constants_.find(type);
    if (it == constants_.end()) return;
    for (const cpp_int& c : it->second) values.insert({cpp_int(c - 1), c, cpp_int(c + 1)});
  }

  // Every combination of the fields' candidates when there are at most 64; otherwise each
  // field through all its candidates with the others held at their first, then at their last.
  std::vector<lang::Value> records(const lang::Type& type) const {
    std::vector<std::vector<lang::Value>> fields;
    for (const lang::FieldInfo& f : type.record->fields) fields.push_back(of(f.type));
    std::vector<lang::Value> out;
    for (const std::vector<std::size_t>& pick : combinations(fields, 64)) {
      lang::Value v;
      for (std::size_t i = 0; i < fields.size(); ++i) v.items.push_back(fields[i][pick[i]]);
      out.push_back(std::move(v));
    }
    return out;
  }

  static lang::Value bytes(const std::string& b) {
    lang::Value v;
    v.bytes = b;
    return v;
  }
  static lang::Value pair(const std::string& months, const std::string& days) {
    lang::Value v;
    v.items = {scalar(cpp_int(months)), scalar(cpp_int(days))};
    return v;
  }
  static lang::Value from_json(const std::string& json, const lang::Type& type) {
    return lang::value_from_json(nlohmann::json::parse(json), type, "$");
  }

 public:
  // Index vectors into `choices`: the full product when it has at most `limit` elements;
  // otherwise each position through all its choices while the others sit at one of a few
  // spread baselines (every choice of every position is used, against varied partners).
  static std::vector<std::vector<std::size_t>> combinations(const std::vector<std::vector<lang::Value>>& choices,
                                                            std::size_t limit) {
    std::size_t product = 1;  // capped at limit + 1
    for (const auto& c : choices) product = std::min(product * c.size(), limit + 1);
    std::vector<std::vector<std::size_t>> out;
    if (product <= limit) {
      std::vector<std::size_t> pick(choices.size(), 0);
      for (std::size_t n = 0; n < product; ++n) {
        std::size_t rest = n;
        for (std::size_t i = 0; i < choices.size(); ++i) {
          pick[i] = rest % choices[i].size();
          rest /= choices[i].size();
        }
        out.push_back(pick);
      }
      return out;
    }
    constexpr std::size_t kBaselines = 4;
    for (std::size_t b = 0; b < kBaselines; ++b) {
      for (std::size_t p = 0; p < choices.size(); ++p) {
        for (std::size_t c = 0; c < choices[p].size(); ++c) {
          std::vector<std::size_t> pick(choices.size());
          for (std::size_t q = 0; q < choices.size(); ++q) pick[q] = q == p ? c : (b * 7 + q * 3) % choices[q].size();
          out.push_back(pick);
        }
      }
    }
    return out;
  }

 private:
  const Constants& constants_;
  const std::set<std::int64_t>& days_;
};

// ---- Running both tiers ----------------------------------------------------------------------------

// A rule whose one version looks up `table` with the rule's parameters: the evaluator's entry for
// a table export.
std::unique_ptr<lang::RuleInfo> table_entry(const lang::TableInfo& table) {
  auto rule = std::make_unique<lang::RuleInfo>();
  rule->qualified_name = table.qualified_name;
  rule->pack_id = table.pack_id;
  rule->params = table.params;
  rule->result = table.result;
  lang::TableCall call{&table, {}};
  for (std::uint32_t i = 0; i < table.params.size(); ++i) {
    call.args.push_back(std::make_unique<lang::TExpr>(lang::TExpr{lang::Var{i}, table.params[i].type, table.span}));
    rule->body.slot_types.push_back(table.params[i].type);
  }
  lang::TVersion version;
  version.definition.value = std::make_unique<lang::TExpr>(lang::TExpr{std::move(call), table.result, table.span});
  rule->versions.push_back(std::move(version));
  return rule;
}

std::string shown(const std::vector<lang::Value>& args, const std::vector<lang::TParam>& params) {
  std::string text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    text += (i ? ", " : "") + params[i].name + " = " + lang::value_to_json(args[i], params[i].type);
  }
  return text;
}

std::string outcome(const std::optional<lang::Value>& value, const std::optional<std::string>& error,
                    const lang::Type& type) {
  return value ? lang::value_to_json(*value, type) : "error " + error.value_or("?");
}

struct Tally {
  std::size_t values = 0;  // runs where both tiers gave the same value
  std::size_t errors = 0;  // runs where both gave the same error code
  std::map<std::string, std::size_t> codes;
  std::vector<std::string> mismatches;
};

void compare(const lang::Program& program, const CompiledPack& pack, const lang::RuleInfo& entry,
             const std::vector<lang::Value>& args, std::int64_t day, Tally& tally) {
  const lang::EvalResult reference = lang::evaluate(program, entry, args, day);
  const RunResult compiled = run_export(pack, entry.qualified_name, args, day);
  const std::optional<std::string> reference_error =
      reference.error ? std::optional<std::string>(reference.error->code) : std::nullopt;
  if (reference.value && compiled.value && *reference.value == *compiled.value) {
    ++tally.values;
    return;
  }
  if (reference_error && compiled.error_code && *reference_error == *compiled.error_code) {
    ++tally.errors;
    ++tally.codes[*reference_error];
    return;
  }
  tally.mismatches.push_back(entry.qualified_name + "(" + shown(args, entry.params) + ") on day " +
                             std::to_string(day) + ": reference " +
                             outcome(reference.value, reference_error, entry.result) + ", compiled " +
                             outcome(compiled.value, compiled.error_code, entry.result));
}

struct PackDir {
  const char* path;
  // The error codes the grid must reach on both tiers (packs/pk has no sum or product that an
  // argument can push past int256 without first failing a table lookup; packs/ae does).
  std::set<std::string> codes;
};

// Test names show the directory, not the bytes of the struct (which hold pointers, so the names
// would change from run to run).
void PrintTo(const PackDir& dir, std::ostream* out) { *out << dir.path; }

class PackDifferential : public ::testing::TestWithParam<PackDir> {};

TEST_P(PackDifferential, CompiledAgreesWithTheReferenceEvaluator) {
  const lang::Workspace ws = lang::load_workspace(std::string(SAVM_SOURCE_DIR) + "/" + GetParam().path);
  ASSERT_NE(ws.program, nullptr) << GetParam().path << " does not check";
  const lang::Program& program = *ws.program;
  const Constants constants = pack_constants(program);
  const std::set<std::int64_t> edges = boundaries(program);
  std::set<std::int64_t> law_days;
  for (const std::int64_t d : edges) law_days.insert({d - 1, d});
  const CandidateMaker candidates(constants, edges);

  Tally tally;
  std::size_t exports = 0;
  for (const lang::PackInfo& info : program.packs) {
    const CompiledPack pack = compile_pack(program, info.id);
    for (const ExportInfo& e : pack.exports) {
      // Transitions write a tensor rather than return a value: tests/compiler/pack_transitions_test.cpp.
      if (e.kind == EntryKind::transition) continue;
      ++exports;
      std::unique_ptr<lang::RuleInfo> table_rule;
      const lang::RuleInfo* entry = program.find_rule(e.name);
      if (entry == nullptr) {
        table_rule = table_entry(*program.find_table(e.name));
        entry = table_rule.get();
      }
      std::vector<std::vector<lang::Value>> choices;
      for (const lang::TParam& p : e.params) choices.push_back(candidates.of(p.type));
      const std::size_t before = tally.values + tally.errors + tally.mismatches.size();
      for (const std::vector<std::size_t>& pick : CandidateMaker::combinations(choices, 400)) {
        std::vector<lang::Value> args;
        for (std::size_t i = 0; i < pick.size(); ++i) args.push_back(choices[i][pick[i]]);
        for (const std::int64_t day : law_days) compare(program, pack, *entry, args, day, tally);
      }
      EXPECT_GT(tally.values + tally.errors + tally.mismatches.size(), before) << e.name << " was never run";
    }
  }
  for (std::size_t i = 0; i < tally.mismatches.size() && i < 20; ++i) ADD_FAILURE() << tally.mismatches[i];
  EXPECT_EQ(tally.mismatches.size(), 0u);
  std::string codes;
  for (const auto& [code, n] : tally.codes) codes += " " + code + ":" + std::to_string(n);
  std::cout << GetParam().path << ": " << exports << " exports, " << law_days.size() << " law dates, " << tally.values
            << " equal values, " << tally.errors << " equal errors (" << codes << " )\n";
  // The grid reaches both outcomes, and the faults the packs can produce.
  EXPECT_GT(exports, 10u);
  EXPECT_GT(tally.values, 1000u);
  for (const std::string& code : GetParam().codes) EXPECT_GT(tally.codes[code], 0u) << code;
}

INSTANTIATE_TEST_SUITE_P(RealPacks, PackDifferential,
                         ::testing::Values(PackDir{"packs/pk", {"no_law", "no_row"}},
                                           PackDir{"packs/ae", {"no_law", "no_row", "overflow"}}),
                         [](const ::testing::TestParamInfo<PackDir>& param) {
                           return std::string(param.param.path).substr(6);  // "pk", "ae"
                         });

}  // namespace
}  // namespace savm::compiler
