// The Mizan compiler: a checked lang::Program to one verified SAVM module per pack
// (docs/design/mizan-compiler.md, docs/mizan.md "Compilation").
//
// Program → SAVM assembly text (one function per rule and table, `; file:line:col` comments back
// to the source) → compiler::assemble → vm::Module. Every Mizan value is its flattened words
// (lang/program.h representation; String/EntityId/AssetId by their SHA-256 word; a List one word,
// the memory offset of its [length, elements...] block). Run-time outcomes map back to the
// evaluator's error codes: the VM's own overflow and division faults, and REVERT codes
// kRevertNoLaw / kRevertNoRow / kRevertConflict (kRevertListTooLong has no evaluator
// counterpart: lists are bounded by CompileOptions::max_list_length). The same Program and
// options always give byte-identical text and module.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/diagnostics.h"
#include "lang/evaluator.h"
#include "lang/program.h"
#include "lang/value.h"
#include "vm/host.h"
#include "vm/journal.h"
#include "vm/module.h"
#include "vm/verifier.h"

namespace savm::compiler {

// REVERT codes of compiled Mizan (documented in docs/mizan.md "Compilation").
inline constexpr std::uint64_t kRevertNoLaw = 1;     // no version in force at the law date
inline constexpr std::uint64_t kRevertNoRow = 2;     // no table row in force matches
inline constexpr std::uint64_t kRevertConflict = 3;  // two applicable exceptions of one priority
inline constexpr std::uint64_t kRevertListTooLong = 4;  // an input list longer than max_list_length
inline constexpr std::uint64_t kRevertRequirement = 5;  // a transition's `requires` does not hold

// The verifier's cap on an entry's result words (docs/vm.md "Verifier", verify.export_signature).
inline constexpr std::uint32_t kMaxEntryWords = 16;

enum class EntryKind { rule, compliance, table, transition };
std::string_view entry_kind_name(EntryKind kind);

// One export: a rule, compliance verdict or table of the compiled pack. The Types point into the
// Program, which must outlive the CompiledPack.
struct ExportInfo {
  std::string name;  // the qualified Mizan name, also the module export name
  EntryKind kind = EntryKind::rule;
  std::vector<lang::TParam> params;
  lang::Type result;
  std::uint32_t param_words = 0;
  std::uint32_t result_words = 0;
};

struct CompiledPack {
  std::string pack_id;
  vm::Module module;           // verified shape (the assembler ran the verifier's analysis)
  vm::Digest digest;           // vm::module_digest(module)
  std::shared_ptr<const vm::VerifiedModule> verified;  // the module, verified once for running
  std::string asm_text;        // the .sasm the module was assembled from
  std::vector<ExportInfo> exports;  // sorted by name
  std::uint32_t max_list_length = 0;  // CompileOptions::max_list_length it was compiled with
  // Declarations that were not compiled or not exported, by qualified name → diagnostic code
  // (C0001 not compilable, C0002 depends on one of those, C0003 result not returnable by an
  // entry, C0004 past a representation limit).
  std::map<std::string, std::string> not_exported;
  std::vector<lang::Diagnostic> diagnostics;  // warnings for the above; errors for C0004/C0005

  const ExportInfo* find_export(std::string_view name) const;
};

struct CompileOptions {
  // Names for `; file:line:col` comments, by SourceFile::id; missing ids print as "file#ID".
  std::map<std::uint32_t, std::string> file_names;
  // Modules of dependency packs already built (pack id → module digest): recorded as the
  // module's imports (`.use`), so the module names the exact dependency versions it was linked
  // against. Their code is linked in either way.
  std::map<std::string, vm::Digest> dependency_digests;
  // The longest list compiled code handles. SAVM has no loops, so every iteration is unrolled
  // this many times: it bounds code size and the static gas bound. A longer list literal is
  // C0004; a longer list in an entry's input reverts kRevertListTooLong where it is used
  // (docs/design/mizan-compiler.md "Lists"). Recorded in the manifest.
  std::uint32_t max_list_length = 64;
  // Fold constant subexpressions and drop the untaken branch of an `if` on a constant
  // (compiler/mizan_fold.h). Off only to show what folding changes: results never differ.
  bool fold_constants = true;
};

// Compiles pack `pack_id` of `program` and links in the code of every rule and table of its
// dependency packs that it uses. Throws CompileError (C0004 representation limits, C0005 unknown
// pack) when no module can be produced; rules that cannot be compiled are reported as warnings
// and left out (CompiledPack::not_exported).
CompiledPack compile_pack(const lang::Program& program, std::string_view pack_id,
                          const CompileOptions& options = {});

struct CompileError : std::runtime_error {
  CompileError(lang::Diagnostic d);
  lang::Diagnostic diagnostic;
};

struct RunResult {
  std::optional<lang::Value> value;
  // "overflow", "division_by_zero", "no_law", "no_row", "conflict" (as the evaluator reports
  // them); "list_too_long"; "out_of_gas" or another VM fault name otherwise; a C000x code when the entry was not
  // compiled (CompiledPack::not_exported).
  std::optional<std::string> error_code;
  std::uint64_t gas_used = 0;
  // The derivation of a successful run: each TRACE event's citation index, in execution order
  // (the texts are the module's citation table, "KIND NAME[ DETAIL][ cites ...]", trace_text in
  // mizan_emitter.h). Indices, not texts, so a run copies no strings.
  std::vector<std::uint16_t> trace;
};

// The steps of a derivation, comparable across tiers: "rule NAME", "row TABLE", "exception
// RULE.LABEL", "default RULE", "rounding" (mizan_derivation.cpp), from the evaluator's trace or
// from a compiled run's TRACE citations (RunResult::trace, texts in `pack`'s citation table).
std::vector<std::string> derivation_steps(const std::vector<lang::TraceEvent>& trace);
std::vector<std::string> derivation_steps(const CompiledPack& pack, const std::vector<std::uint16_t>& compiled_trace);

// The input words of an entry with `params` called with `args` (one Value per parameter): the
// parameters' words, then the blocks of their lists (docs/design/mizan-compiler.md "Entries").
// Throws std::invalid_argument when a value does not have its parameter's shape.
std::vector<vm::Word> input_words(const std::vector<lang::TParam>& params, const std::vector<lang::Value>& args);

// Runs export `name` with `args` (one Value per parameter) at `law_date` (days since 1970-01-01),
// gas limit the entry's static bound plus the memory allowance, on an empty host.
RunResult run_export(const CompiledPack& pack, std::string_view name, const std::vector<lang::Value>& args,
                     std::int64_t law_date);
RunResult run_compiled(const CompiledPack& pack, const lang::RuleInfo& rule, const std::vector<lang::Value>& args,
                       std::int64_t law_date);

struct TransitionResult {
  // "requirement" when a `requires` does not hold; otherwise as RunResult::error_code.
  std::optional<std::string> error_code;
  std::vector<vm::TensorUpdate> writes;  // success only, in execution order
  std::uint64_t gas_used = 0;
};

// Runs a compiled transition against `host` (its tensor is what `tensor(...)` reads); the host
// is not changed: the writes come back as the execution's tensor updates.
TransitionResult run_transition_export(const CompiledPack& pack, const lang::TransitionInfo& transition,
                                       const std::vector<lang::Value>& args, std::int64_t law_date, const vm::Host& host);

}  // namespace savm::compiler
