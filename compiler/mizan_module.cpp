// compile_pack: which declarations go into a pack's module, in what order, with what exports,
// metadata and manifest, and the final assembly (docs/design/mizan-compiler.md "Module").
#include <algorithm>
#include <variant>

#include "compiler/assembler.h"
#include "compiler/mizan_emitter.h"
#include "runtime/mcf.h"
#include "vm/verifier.h"

namespace savm::compiler {

CompileError::CompileError(lang::Diagnostic d) : std::runtime_error(d.code + ": " + d.message), diagnostic(std::move(d)) {}

std::string_view entry_kind_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::rule: return "rule";
    case EntryKind::compliance: return "compliance";
    case EntryKind::table: return "table";
    case EntryKind::transition: return "transition";
  }
  return "rule";
}

const ExportInfo* CompiledPack::find_export(std::string_view name) const {
  for (const ExportInfo& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

namespace {

constexpr const char* kPackKindNames[] = {"lawpack", "regpack", "licensepack", "module"};

const lang::PackInfo& find_pack(const lang::Program& program, std::string_view pack_id) {
  for (const lang::PackInfo& p : program.packs) {
    if (p.id == pack_id) return p;
  }
  throw CompileError({"C0005", lang::Severity::error, {}, "no pack " + std::string(pack_id) + " in the program", ""});
}

// An entry: reads its parameter words from the input (word i at byte 32*i) and calls the body.
// With list parameters it first copies the whole input to memory offset 32 and marks it
// allocated, so the lists' blocks (after the parameter words, addressed as 32 + their input
// offset) are heap blocks like any other (mizan_codegen_list.cpp, "Entries" in the design doc).
std::string entry_text(const ExportInfo& e, const std::string& body) {
  std::string text = ".func e." + e.name + "(0)->" + std::to_string(e.result_words) + " locals 0\n";
  const bool lists = std::any_of(e.params.begin(), e.params.end(), [](const lang::TParam& p) { return holds_list(p.type); });
  if (lists) text += "  PUSH 32\n  PUSH0\n  INPUT_SIZE\n  INPUT_COPY\n  PUSH0\n  INPUT_SIZE\n  MSTORE\n";
  for (std::uint32_t i = 0; i < e.param_words; ++i) {
    text += "  PUSH " + std::to_string(32 * i) + "\n  INPUT_LOAD\n";
  }
  return text + "  CALL " + body + "\n  RETURN\n\n";
}

std::string meta_text(const lang::PackInfo& pack) {
  const auto meta = [](const char* key, const std::string& value) {
    return std::string(".meta ") + key + " " + asm_string(value) + "\n";
  };
  std::string text = meta("pack_id", pack.id);
  text += meta("kind", kPackKindNames[static_cast<int>(pack.kind)]);
  text += meta("version", pack.version.value_or(""));
  text += meta("jurisdiction", pack.jurisdiction.value_or(""));
  text += meta("in_force_from", pack.horizon ? date_text(pack.horizon->from) : "");
  text += meta("in_force_to", pack.horizon && pack.horizon->to ? date_text(*pack.horizon->to) : "");
  return text;
}

// The records and enums a parameter type names, directly or inside records and lists, as the
// manifest's "types": a record by its fields in declaration order, an enum by its variants in
// value order. Enough to read and encode an argument without the Mizan source
// (compiler/mizan_signature.h).
void add_type_definitions(const lang::Type& type, runtime::Json& types) {
  if (type.base == lang::BaseType::list) {
    for (const lang::Type& element : type.args) add_type_definitions(element, types);
  } else if (type.base == lang::BaseType::enumeration && type.enumeration != nullptr) {
    types[type.enumeration->qualified_name] = {{"variants", type.enumeration->variants}};
  } else if (type.base == lang::BaseType::record && type.record != nullptr) {
    if (types.contains(type.record->qualified_name)) return;
    runtime::Json fields = runtime::Json::array();
    for (const lang::FieldInfo& f : type.record->fields) {
      fields.push_back({{"name", f.name}, {"type", lang::qualified_type_name(f.type)}});
      add_type_definitions(f.type, types);
    }
    types[type.record->qualified_name] = {{"fields", fields}};
  }
}

// The export table with Mizan types (and the definitions of the records and enums its
// parameters use), the dependency packs and what was left out, as canonical JSON in the data
// segment `mizan.manifest` (part of the digest; docs/design/mizan-compiler.md "Manifest").
std::string manifest_json(const lang::PackInfo& pack, const CompiledPack& out) {
  runtime::Json exports = runtime::Json::array();
  runtime::Json types = runtime::Json::object();
  for (const ExportInfo& e : out.exports) {
    runtime::Json params = runtime::Json::array();
    for (const lang::TParam& p : e.params) {
      params.push_back({{"name", p.name}, {"type", lang::qualified_type_name(p.type)}});
      add_type_definitions(p.type, types);
    }
    exports.push_back({{"name", e.name},
                       {"kind", std::string(entry_kind_name(e.kind))},
                       {"params", params},
                       {"result", e.kind == EntryKind::transition ? runtime::Json() : runtime::Json(lang::qualified_type_name(e.result))},
                       {"result_words", e.result_words}});
  }
  runtime::Json not_compiled = runtime::Json::object();
  for (const auto& [name, code] : out.not_exported) not_compiled[name] = code;
  const runtime::Json manifest = {{"format", "savm.mizan.manifest.v2"},
                                  {"pack", pack.id},
                                  {"max_list_length", out.max_list_length},
                                  {"uses", pack.uses},
                                  {"exports", exports},
                                  {"types", types},
                                  {"not_exported", not_compiled}};
  return runtime::canonicalize(manifest).str();
}

struct Root {
  std::string name;
  EntryKind kind;
  const std::vector<lang::TParam>* params;
  const lang::Type* result;
  lang::SourceSpan span;
};

// Compiles one root declaration; returns its function name, or nothing when it failed.
template <typename Decl>
std::optional<std::string> compile_root(ModuleContext& m, const Decl& decl) {
  try {
    return m.require(decl);
  } catch (const CompileError&) {
    return std::nullopt;  // the reason is in m.failed() and m.diagnostics()
  }
}

void add_export(CompiledPack& out, std::vector<std::pair<std::string, std::string>>& bodies, const Root& root,
                const std::string& function, std::vector<lang::Diagnostic>& diagnostics) {
  ExportInfo e{root.name, root.kind, *root.params, *root.result, 0, 0};
  for (const lang::TParam& p : e.params) e.param_words += word_count(p.type, root.span);
  e.result_words = root.kind == EntryKind::transition ? 0 : word_count(e.result, root.span);
  if (root.kind != EntryKind::transition && (!decodable(e.result) || e.result_words > kMaxEntryWords)) {
    out.not_exported[root.name] = "C0003";
    diagnostics.push_back({"C0003", lang::Severity::warning, root.span,
                           root.name + " is compiled but not exported: an entry returns at most " +
                               std::to_string(kMaxEntryWords) +
                               " words and no String/EntityId/AssetId (they are hashes) or List (an offset into"
                               " the run's memory), result type " +
                               lang::qualified_type_name(e.result),
                           ""});
    return;
  }
  bodies.emplace_back(e.name, function);
  out.exports.push_back(std::move(e));
}

}  // namespace

CompiledPack compile_pack(const lang::Program& program, std::string_view pack_id, const CompileOptions& options) {
  const lang::PackInfo& pack = find_pack(program, pack_id);
  ModuleContext m(options, pack.file);
  CompiledPack out;
  out.pack_id = pack.id;
  out.max_list_length = options.max_list_length;
  std::vector<std::pair<std::string, std::string>> bodies;  // export name → body function
  std::vector<lang::Diagnostic> export_diagnostics;
  for (const auto& rule : program.rules) {
    if (rule->pack_id != pack.id) continue;
    const Root root{rule->qualified_name,
                    rule->kind == lang::RuleKind::compliance ? EntryKind::compliance : EntryKind::rule,
                    &rule->params, &rule->result, rule->span};
    if (const auto fn = compile_root(m, *rule)) add_export(out, bodies, root, *fn, export_diagnostics);
  }
  for (const auto& table : program.tables) {
    if (table->pack_id != pack.id) continue;
    const Root root{table->qualified_name, EntryKind::table, &table->params, &table->result, table->span};
    if (const auto fn = compile_root(m, *table)) add_export(out, bodies, root, *fn, export_diagnostics);
  }
  static const lang::Type no_result{};
  for (const auto& transition : program.transitions) {
    if (transition->pack_id != pack.id) continue;
    const Root root{transition->qualified_name, EntryKind::transition, &transition->params, &no_result, transition->span};
    if (const auto fn = compile_root(m, *transition)) add_export(out, bodies, root, *fn, export_diagnostics);
  }
  for (const auto& [name, code] : m.failed()) out.not_exported[name] = code;
  out.diagnostics = m.diagnostics();
  out.diagnostics.insert(out.diagnostics.end(), export_diagnostics.begin(), export_diagnostics.end());
  std::sort(out.exports.begin(), out.exports.end(),
            [](const ExportInfo& a, const ExportInfo& b) { return a.name < b.name; });
  std::sort(bodies.begin(), bodies.end());

  std::string text = "; Mizan pack " + pack.id + ", compiled by savm (docs/design/mizan-compiler.md)\n";
  text += meta_text(pack);
  for (const auto& [dep, digest] : options.dependency_digests) {
    text += ".use " + asm_string(dep) + " " + asm_string(digest.prefixed()) + "\n";
  }
  for (std::size_t i = 0; i < m.citations().size(); ++i) {
    text += ".citation c" + std::to_string(i) + " " + asm_string(m.citations()[i]) + "\n";
  }
  text += ".data mizan.manifest " + asm_string(manifest_json(pack, out)) + "\n\n";
  for (const std::string& f : m.functions()) text += f;
  for (const ExportInfo& e : out.exports) {
    const auto body = std::lower_bound(bodies.begin(), bodies.end(), std::make_pair(e.name, std::string()));
    text += entry_text(e, body->second);
  }
  for (const ExportInfo& e : out.exports) {
    text += ".export " + e.name + (e.kind == EntryKind::transition ? " transition" : " rule") + " e." + e.name + "\n";
  }
  try {
    // The debug section's source map points into the pack's own Mizan file.
    const auto file = options.file_names.find(pack.file);
    out.module = assemble(text, {file != options.file_names.end() ? file->second : pack.id + ".mizan", true, true});
  } catch (const AsmError& e) {
    if (e.code == "asm.too_large") {
      throw CompileError({"C0004", lang::Severity::error, {},
                          "the compiled code is larger than a module allows (" + e.message +
                              "); nested iteration over long lists multiplies code, see max_list_length",
                          ""});
    }
    throw CompileError({"C0006", lang::Severity::error, {},
                        "internal compiler error: the generated assembly does not assemble: " + e.code + " at line " +
                            std::to_string(e.line) + ": " + e.message,
                        ""});
  }
  out.asm_text = std::move(text);
  out.digest = vm::module_digest(out.module);
  auto verified = vm::verify(out.module);
  if (auto* errors = std::get_if<std::vector<vm::VerifyError>>(&verified)) {
    throw CompileError({"C0006", lang::Severity::error, {},
                        "internal compiler error: the module does not verify: " + errors->front().code, ""});
  }
  out.verified = std::make_shared<const vm::VerifiedModule>(std::move(std::get<vm::VerifiedModule>(verified)));
  return out;
}

}  // namespace savm::compiler
