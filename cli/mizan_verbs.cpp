// savm eval, explain and test: the author's verbs over checked Mizan packs (docs/cli.md,
// docs/mizan.md "Semantics"). Each loads PATH (a .mizan file or a directory) through the checker;
// diagnostics are bad input (exit 2). Evaluation runs on the reference evaluator
// (lang/evaluator.h, `--tier reference`, the default), or for `eval` on the pack compiled to SAVM
// (`--tier compiled`, cli/compiled_tier.h). An evaluation fault prints
// `savm: error[eval.<code>]: ...` and exits 1; a failing test exits 1.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/compiled_tier.h"
#include "cli/mizan_workspace.h"
#include "lang/coverage.h"
#include "lang/diagnostics.h"
#include "lang/eval_dates.h"
#include "lang/evaluator.h"
#include "lang/value_json.h"
#include "runtime/error.h"
#include "runtime/mcf.h"

namespace savm::cli {
namespace {

struct EvalOptions {
  std::string path;
  std::string entry;
  std::string law_date;
  std::string args = "{}";
  std::string tier = "reference";
};

struct TestOptions {
  std::string path;
};

// ---- Loading ------------------------------------------------------------------------------------

std::int64_t law_date_of(const std::string& text) {
  std::string why;
  const std::optional<std::int64_t> day = lang::eval::parse_date_days(text, why);
  if (!day) throw runtime::Error("eval.law_date", "--law-date " + text + ": " + why);
  return *day;
}

// Inline JSON, or "@FILE" ("@-": standard input).
std::vector<lang::Value> args_of(const std::string& text, const lang::RuleInfo& rule) {
  const runtime::Json json = runtime::parse_json(!text.empty() && text.front() == '@' ? read_input(text.substr(1)) : text);
  try {
    return lang::args_from_json(json, rule.params);
  } catch (const lang::ValueJsonError& e) {
    throw runtime::Error("eval.args", std::string("--args ") + e.what());
  }
}

const lang::RuleInfo& entry_of(const lang::Program& program, const EvalOptions& o) {
  const lang::RuleInfo* rule = program.find_rule(o.entry);
  if (rule == nullptr) {
    throw runtime::Error("eval.entry", o.path + ": no rule or compliance verdict named " + o.entry +
                                           " (give the qualified name, e.g. pk.ito2001.salary_tax)");
  }
  return *rule;
}

void print_error(const lang::EvalError& error) {
  std::cerr << "savm: error[eval." << error.code << "]: " << error.message << "\n";
}

// The value as JSON, or its raw representation if it does not fit its type (a back-end bug,
// still worth showing).
std::string shown(const lang::Value& value, const lang::Type& type) {
  try {
    return lang::value_to_json(value, type);
  } catch (const lang::ValueJsonError& e) {
    return "<" + std::string(e.what()) + ">";
  }
}

struct Evaluation {
  lang::Workspace ws;
  const lang::RuleInfo* rule = nullptr;
  std::vector<lang::Value> args;
  std::int64_t law_date = 0;
  lang::EvalResult result;
};

// Loads, checks the inputs and evaluates on the chosen tier; nullptr when the pack does not check
// (already reported).
std::unique_ptr<Evaluation> run_eval(const EvalOptions& o) {
  if (o.tier != "reference" && o.tier != "compiled") {
    throw runtime::Error("eval.tier", "--tier " + o.tier + ": the tiers are reference and compiled");
  }
  auto e = std::make_unique<Evaluation>();
  e->law_date = law_date_of(o.law_date);
  e->ws = load_mizan(o.path);
  if (!report_diagnostics(e->ws)) return nullptr;
  e->rule = &entry_of(*e->ws.program, o);
  e->args = args_of(o.args, *e->rule);
  e->result = o.tier == "compiled" ? evaluate_compiled(e->ws, o.path, *e->rule, e->args, e->law_date)
                                   : lang::evaluate(*e->ws.program, *e->rule, e->args, e->law_date);
  return e;
}

// ---- Verbs --------------------------------------------------------------------------------------

int eval_verb(const EvalOptions& o) {
  const std::unique_ptr<Evaluation> e = run_eval(o);
  if (!e) return kBadInput;
  if (e->result.error) {
    print_error(*e->result.error);
    return kVerificationFailed;
  }
  std::cout << shown(*e->result.value, e->rule->result) << "\n";
  return kOk;
}

std::string cites_text(const std::vector<std::string>& cites) {
  std::string text;
  for (const std::string& c : cites) text += (text.empty() ? "; cites \"" : ", \"") + c + "\"";
  return text;
}

void print_event(const lang::TraceEvent& event) {
  std::cout << std::string(2 + 2 * event.depth, ' ');
  if (event.kind == "rule") std::cout << "rule " << event.name << ", " << event.detail;
  else if (event.kind == "row") std::cout << "table " << event.name << ": " << event.detail;
  else if (event.kind == "exception") std::cout << "exception taken: " << event.detail;
  else if (event.kind == "default") std::cout << "default taken: " << event.detail;
  else std::cout << "rounding " << event.detail;
  std::cout << cites_text(event.cites) << "\n";
}

int explain_verb(const EvalOptions& o) {
  // The compiled run does not hand back its TRACE events (compiler::RunResult has no trace), so
  // there is no compiled derivation to show; the reference tier's is the explanation.
  if (o.tier == "compiled") {
    throw runtime::Error("eval.tier", "--tier compiled: explain shows the reference tier's derivation only; "
                                      "use `savm eval --tier compiled` for the compiled result");
  }
  const std::unique_ptr<Evaluation> e = run_eval(o);
  if (!e) return kBadInput;
  std::cout << e->rule->qualified_name << " at " << o.law_date << "\n";
  for (std::size_t i = 0; i < e->args.size(); ++i) {
    std::cout << "  " << e->rule->params[i].name << " = " << shown(e->args[i], e->rule->params[i].type) << "\n";
  }
  std::cout << "derivation:\n";
  for (const lang::TraceEvent& event : e->result.trace) print_event(event);
  if (e->result.error) {
    std::cout << "fault: eval." << e->result.error->code << ": " << e->result.error->message << "\n";
    print_error(*e->result.error);
    return kVerificationFailed;
  }
  std::cout << "result: " << shown(*e->result.value, e->rule->result) << "\n";
  return kOk;
}

std::string location(const lang::Workspace& ws, const lang::SourceSpan& span) {
  const lang::SourceFile* f = file_of(ws, span.file);
  return (f ? f->path : "?") + ":" + std::to_string(span.line) + ":" + std::to_string(span.column);
}

std::string source_text(const lang::Workspace& ws, const lang::SourceSpan& span) {
  const lang::SourceFile* f = file_of(ws, span.file);
  if (f == nullptr || span.end > f->text.size() || span.begin > span.end) return "?";
  std::string text = f->text.substr(span.begin, span.end - span.begin);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

void print_failure(const lang::Workspace& ws, const lang::TestRun& run) {
  const lang::TTestStatement& st = *run.failed;
  const std::string text = source_text(ws, st.value->span);
  std::cout << "  " << location(ws, st.value->span) << ": " << (st.is_expect ? "expect " : "let ... = ") << text << "\n";
  if (run.error) {
    std::cout << "  error[eval." << run.error->code << "]: " << run.error->message << "\n";
    return;
  }
  if (run.operands.size() == 2) {
    std::cout << "    left:  " << shown(run.operands[0].value, run.operands[0].type) << "\n";
    std::cout << "    right: " << shown(run.operands[1].value, run.operands[1].type) << "\n";
  } else {
    std::cout << "    is false\n";
  }
}

void print_count(const char* what, const char* verb, const lang::CoverageCount& c) {
  std::cout << "  " << what << ": " << c.taken << "/" << c.total << " " << verb << "\n";
  for (const std::string& name : c.never) std::cout << "    never: " << name << "\n";
}

int test_verb(const TestOptions& o) {
  const lang::Workspace ws = load_mizan(o.path);
  if (!report_diagnostics(ws)) return kBadInput;
  const lang::Program& program = *ws.program;
  lang::Coverage coverage(program);
  std::size_t failed = 0;
  for (const lang::TestInfo& test : program.tests) {
    const lang::TestRun run = lang::run_test(program, test);
    coverage.record(run.trace);
    std::cout << (run.passed ? "ok   " : "FAIL ") << test.pack_id << ": " << test.name << "\n";
    if (!run.passed) {
      ++failed;
      print_failure(ws, run);
    }
  }
  const std::size_t total = program.tests.size();
  std::cout << total << (total == 1 ? " test: " : " tests: ") << total - failed << " passed, " << failed << " failed\n";
  const lang::CoverageReport report = coverage.report();
  std::cout << "coverage:\n";
  print_count("rules", "entered", report.rules);
  print_count("table rows", "taken", report.rows);
  print_count("exception branches", "taken", report.branches);
  return failed == 0 ? kOk : kVerificationFailed;
}

void add_eval_options(CLI::App* verb, EvalOptions& o) {
  verb->add_option("PATH", o.path, "A .mizan file, or a directory of them")->required();
  verb->add_option("ENTRY", o.entry, "The qualified rule name, e.g. pk.ito2001.salary_tax")->required();
  verb->add_option("--law-date", o.law_date, "The law date YYYY-MM-DD that selects versions and rows")->required();
  verb->add_option("--args", o.args, "Arguments as a JSON object by parameter name, or @FILE")->capture_default_str();
  verb->add_option("--tier", o.tier, "reference (the evaluator) or compiled (SAVM; eval only)")->capture_default_str();
}

}  // namespace

void add_mizan_verbs(CLI::App& app) {
  auto eval = std::make_shared<EvalOptions>();
  CLI::App* eval_cmd = app.add_subcommand("eval", "Evaluate a Mizan rule at a law date and print the result as JSON");
  add_eval_options(eval_cmd, *eval);
  on_run(eval_cmd, [eval] { return eval_verb(*eval); });

  auto explain = std::make_shared<EvalOptions>();
  CLI::App* explain_cmd = app.add_subcommand("explain", "Evaluate a Mizan rule and print its derivation with citations");
  add_eval_options(explain_cmd, *explain);
  on_run(explain_cmd, [explain] { return explain_verb(*explain); });

  auto test = std::make_shared<TestOptions>();
  CLI::App* test_cmd = app.add_subcommand("test", "Run the test blocks of Mizan packs and report coverage");
  test_cmd->add_option("PATH", test->path, "A .mizan file, or a directory of them")->required();
  on_run(test_cmd, [test] { return test_verb(*test); });
}

}  // namespace savm::cli
