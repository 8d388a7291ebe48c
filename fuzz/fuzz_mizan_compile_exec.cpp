// Differential fuzzing of the Mizan compiler against the reference evaluator. The bytes drive a
// generator of well-typed packs (fuzz/mizan_program_generator.h), then the arguments and law dates
// of the runs. Properties, on every input:
//  - the generated pack parses and checks (a rejection is a generator bug);
//  - compile_pack succeeds and exports every rule;
//  - for every rule, argument vector and law date, the compiled module and lang::evaluate give
//    the same Value or the same error code; the evaluator never reports `internal`.
// Any violation prints the source, the entry, the arguments and both outcomes, then aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "compiler/mizan_compiler.h"
#include "fuzz/mizan_program_generator.h"
#include "lang/checker.h"
#include "lang/diagnostics.h"
#include "lang/evaluator.h"
#include "lang/parser.h"

namespace {

using namespace savm;
namespace gen = savm::fuzz::mizan;

constexpr std::uint32_t kArgVectors = 3;
constexpr std::uint32_t kLawDates = 2;

[[noreturn]] void fail(const std::string& what, const std::string& source) {
  std::fprintf(stderr, "fuzz_mizan_compile_exec: %s\n---- source ----\n%s----\n", what.c_str(), source.c_str());
  std::abort();
}

std::string value_text(const lang::Value& v) {
  if (v.items.empty()) return v.scalar;
  std::string text = "{";
  for (std::size_t i = 0; i < v.items.size(); ++i) text += (i ? " " : "") + value_text(v.items[i]);
  return text + "}";
}

std::string outcome_text(const std::optional<lang::Value>& value, const std::optional<std::string>& error) {
  if (error) return "error " + *error;
  if (!value) return "nothing";
  return "value " + value_text(*value);
}

std::string args_text(const std::vector<lang::Value>& args, std::int64_t law_date) {
  std::string text = "args (";
  for (std::size_t i = 0; i < args.size(); ++i) text += (i ? ", " : "") + value_text(args[i]);
  return text + ") at " + gen::date_text(law_date) + " (day " + std::to_string(law_date) + ")";
}

void run_entry(const lang::Program& program, const compiler::CompiledPack& pack, const gen::GeneratedPack& g,
               const gen::Entry& entry, gen::Choices& c) {
  const lang::RuleInfo* rule = program.find_rule(entry.name);
  if (!rule) fail("no rule " + entry.name, g.source);
  for (std::uint32_t a = 0; a < kArgVectors; ++a) {
    std::vector<lang::Value> args;
    for (const gen::Ty& t : entry.params) args.push_back(gen::generate_arg(c, t));
    for (std::uint32_t d = 0; d < kLawDates; ++d) {
      const std::int64_t law_date = g.law_dates[c.below(static_cast<std::uint32_t>(g.law_dates.size()))];
      const lang::EvalResult expected = lang::evaluate(program, *rule, args, law_date);
      const compiler::RunResult got = compiler::run_compiled(pack, *rule, args, law_date);
      const std::optional<std::string> expected_error =
          expected.error ? std::optional<std::string>(expected.error->code) : std::nullopt;
      const std::string context = entry.name + " " + args_text(args, law_date) + ": evaluator " +
                                  outcome_text(expected.value, expected_error) + " (" +
                                  (expected.error ? expected.error->message : "") + "), compiled " +
                                  outcome_text(got.value, got.error_code);
      if (expected_error == "internal") fail("evaluator internal error: " + context, g.source);
      if (expected_error != got.error_code || expected.value != got.value) fail("mismatch: " + context, g.source);
      if (got.value && compiler::derivation_steps(expected.trace) != compiler::derivation_steps(pack, got.trace)) {
        fail("the derivations differ: " + context, g.source);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gen::Choices c(data, size);
  const gen::GeneratedPack g = gen::generate_pack(c);
  const lang::SourceFile file{"fuzz.mizan", g.source, 0};
  const lang::ParseResult parsed = lang::parse(file);
  std::string diagnostics;
  for (const lang::Diagnostic& d : parsed.diagnostics) diagnostics += lang::render(d, file);
  if (!parsed.pack) fail("generator bug: the pack does not parse\n" + diagnostics, g.source);
  const lang::CheckResult checked = lang::check({&*parsed.pack}, {&file});
  for (const lang::Diagnostic& d : checked.diagnostics) diagnostics += lang::render(d, file);
  if (!checked.program) fail("generator bug: the pack does not check\n" + diagnostics, g.source);
  compiler::CompiledPack pack;
  try {
    pack = compiler::compile_pack(*checked.program, "fz.gen");
  } catch (const compiler::CompileError& e) {
    fail("compile_pack threw " + e.diagnostic.code + ": " + e.diagnostic.message, g.source);
  }
  if (!pack.not_exported.empty()) {
    fail("not exported: " + pack.not_exported.begin()->first + " " + pack.not_exported.begin()->second, g.source);
  }
  for (const gen::Entry& entry : g.entries) run_entry(*checked.program, pack, g, entry, c);
  return 0;
}
