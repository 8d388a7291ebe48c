#include "compiler/mizan_signature.h"

#include <set>

#include "compiler/mizan_compiler.h"
#include "lang/value_json.h"
#include "runtime/error.h"

namespace savm::compiler {
namespace {

constexpr std::string_view kManifestFormat = "savm.mizan.manifest.v2";

[[noreturn]] void bad_signature(const std::string& message) {
  throw runtime::Error("abi.signature", "the module's manifest: " + message);
}

// The manifest of a compiled Mizan module: the data segment holding a JSON object whose
// "format" starts "savm.mizan.manifest." (segment names live in the debug section, which is not
// part of the digest and may be stripped, so the content identifies it).
std::optional<nlohmann::json> find_manifest(const vm::Module& module) {
  for (const vm::DataSegment& segment : module.data) {
    if (segment.bytes.empty() || segment.bytes.front() != '{') continue;
    nlohmann::json json = nlohmann::json::parse(segment.bytes.begin(), segment.bytes.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("format") || !json["format"].is_string()) continue;
    if (json["format"].get_ref<const std::string&>().starts_with("savm.mizan.manifest.")) return json;
  }
  return std::nullopt;
}

const std::string& text_at(const nlohmann::json& json, const char* key, const std::string& where) {
  if (!json.is_object() || !json.contains(key) || !json[key].is_string()) bad_signature(where + " has no string " + key);
  return json[key].get_ref<const std::string&>();
}

const nlohmann::json& array_at(const nlohmann::json& json, const char* key, const std::string& where) {
  if (!json.is_object() || !json.contains(key) || !json[key].is_array()) bad_signature(where + " has no array " + key);
  return json[key];
}

// A record that holds itself has no finite layout (the compiler never writes one; a hand-made
// manifest could): word_count would not terminate.
void check_acyclic(const lang::RecordInfo& record, std::set<const lang::RecordInfo*>& open) {
  if (!open.insert(&record).second) bad_signature("record " + record.qualified_name + " contains itself");
  for (const lang::FieldInfo& f : record.fields) {
    const lang::Type* t = &f.type;
    while (t->base == lang::BaseType::list && !t->args.empty()) t = &t->args.front();
    if (t->record != nullptr) check_acyclic(*t->record, open);
  }
  open.erase(&record);
}

}  // namespace

std::optional<ModuleSignature> ModuleSignature::read(const vm::Module& module) {
  const std::optional<nlohmann::json> manifest = find_manifest(module);
  if (!manifest || manifest->at("format") != kManifestFormat) return std::nullopt;
  if (!manifest->contains("types") || !manifest->at("types").is_object()) bad_signature("no types object");
  const nlohmann::json& types = manifest->at("types");
  ModuleSignature out;
  // Every record and enum exists before any field type is read, so fields can name each other.
  for (const auto& [name, definition] : types.items()) {
    if (definition.contains("variants")) {
      auto info = std::make_unique<lang::EnumInfo>();
      info->qualified_name = name;
      for (const nlohmann::json& v : array_at(definition, "variants", "enum " + name)) {
        if (!v.is_string()) bad_signature("enum " + name + " has a variant that is not a string");
        info->variants.push_back(v.get<std::string>());
      }
      out.enums_.emplace(name, std::move(info));
    } else {
      auto info = std::make_unique<lang::RecordInfo>();
      info->qualified_name = name;
      out.records_.emplace(name, std::move(info));
    }
  }
  for (auto& [name, record] : out.records_) {
    for (const nlohmann::json& field : array_at(types[name], "fields", "record " + name)) {
      record->fields.push_back({text_at(field, "name", "a field of " + name),
                                out.parse_type(text_at(field, "type", "a field of " + name))});
    }
  }
  for (const auto& [name, record] : out.records_) {
    std::set<const lang::RecordInfo*> open;
    check_acyclic(*record, open);
  }
  for (const nlohmann::json& e : array_at(*manifest, "exports", "the manifest")) {
    const std::string& entry = text_at(e, "name", "an export");
    std::vector<lang::TParam> params;
    for (const nlohmann::json& p : array_at(e, "params", "export " + entry)) {
      params.push_back({text_at(p, "name", "a parameter of " + entry), out.parse_type(text_at(p, "type", "a parameter of " + entry))});
    }
    out.entries_.emplace(entry, std::move(params));
  }
  return out;
}

const std::vector<lang::TParam>* ModuleSignature::params(std::string_view entry) const {
  const auto it = entries_.find(entry);
  return it == entries_.end() ? nullptr : &it->second;
}

// The inverse of lang::qualified_type_name for the types an entry parameter can have.
lang::Type ModuleSignature::parse_type(std::string_view name) const {
  using lang::BaseType;
  static const std::map<std::string_view, BaseType> simple = {
      {"Bool", BaseType::boolean},     {"Int", BaseType::integer},       {"Rate", BaseType::rate},
      {"Date", BaseType::date},        {"Duration", BaseType::duration}, {"Timestamp", BaseType::timestamp},
      {"String", BaseType::string},    {"EntityId", BaseType::entity_id}, {"AssetId", BaseType::asset_id},
      {"JurisdictionId", BaseType::jurisdiction_id}, {"State", BaseType::state}, {"Domain", BaseType::domain}};
  lang::Type type;
  if (const auto it = simple.find(name); it != simple.end()) {
    type.base = it->second;
    return type;
  }
  const auto generic = [&](std::string_view head) -> std::optional<std::string_view> {
    if (!name.starts_with(head) || !name.ends_with(">")) return std::nullopt;
    return name.substr(head.size(), name.size() - head.size() - 1);
  };
  if (const auto inner = generic("List<")) {
    if (inner->starts_with("List<List<List<List<List<List<List<List<")) bad_signature("lists nested too deep");
    type.base = BaseType::list;
    type.args.push_back(parse_type(*inner));
  } else if (const auto currency = generic("Money<")) {
    type.base = BaseType::money;
    type.currency = std::string(*currency);
  } else if (const auto scale = generic("Decimal<"); scale && !scale->empty() && scale->size() <= 2 &&
                                                     scale->find_first_not_of("0123456789") == std::string_view::npos) {
    type.base = BaseType::decimal;
    type.scale = std::stoi(std::string(*scale));
  } else if (const auto record = records_.find(name); record != records_.end()) {
    type.base = BaseType::record;
    type.record = record->second.get();
  } else if (const auto enumeration = enums_.find(name); enumeration != enums_.end()) {
    type.base = BaseType::enumeration;
    type.enumeration = enumeration->second.get();
  } else {
    bad_signature("unknown type " + std::string(name));
  }
  return type;
}

namespace {

std::vector<vm::Word> encode(const std::optional<ModuleSignature>& signature, std::string_view entry,
                             const nlohmann::json& args) {
  const std::vector<lang::TParam>* params = signature ? signature->params(entry) : nullptr;
  if (params == nullptr) {
    throw runtime::Error("abi.signature", "$.args: the module of " + std::string(entry) +
                                              " carries no typed signature for it (compiled before manifest v2, or"
                                              " not Mizan); give args as an array of words");
  }
  try {
    return input_words(*params, lang::args_from_json(args, *params));
  } catch (const lang::ValueJsonError& e) {
    throw runtime::Error("abi.value", "$.args" + e.path.substr(1) + ": " + e.message);
  }
}

}  // namespace

std::vector<vm::Word> typed_input_words(const vm::Module& module, std::string_view entry, const nlohmann::json& args) {
  return encode(ModuleSignature::read(module), entry, args);
}

std::vector<vm::Word> TypedArgumentEncoder::operator()(const vm::Digest& module_digest, const vm::Module& module,
                                                       std::string_view entry, const nlohmann::json& args) const {
  std::shared_ptr<const std::optional<ModuleSignature>> signature;
  {
    std::lock_guard lock(cache_->mutex);
    auto& slot = cache_->signatures[module_digest];
    if (!slot) slot = std::make_shared<const std::optional<ModuleSignature>>(ModuleSignature::read(module));
    signature = slot;
  }
  return encode(*signature, entry, args);
}

}  // namespace savm::compiler
