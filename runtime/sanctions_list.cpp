#include "runtime/sanctions_list.h"

#include <algorithm>
#include <iterator>

#include "runtime/context_json.h"
#include "runtime/error.h"

namespace savm::runtime {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) { throw Error("zone.sanctions_list", path + ": " + why); }

std::string text_member(const Json& object, const std::string& path, const char* name) {
  if (!object.contains(name) || !object.at(name).is_string()) bad(path + "." + name, "expected a string");
  return object.at(name).get<std::string>();
}

void only_members(const Json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) bad(path + "." + k, "unknown member");
  }
}

}  // namespace

SanctionsList SanctionsList::from_json(const Json& document) {
  if (!document.is_object()) bad("$", "a sanctions list is a JSON object");
  only_members(document, "$", {"type", "format_version", "list", "version", "entries"});
  if (text_member(document, "$", "type") != kSanctionsListType) bad("$.type", "expected \"" + std::string(kSanctionsListType) + "\"");
  if (!document.contains("format_version") || document.at("format_version") != 1) bad("$.format_version", "this build reads version 1");
  SanctionsList out;
  out.list = text_member(document, "$", "list");
  out.version = text_member(document, "$", "version");
  if (!document.contains("entries") || !document.at("entries").is_array()) bad("$.entries", "expected an array");
  const Json& entries = document.at("entries");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = "$.entries[" + std::to_string(i) + "]";
    const Json& e = entries[i];
    if (!e.is_object()) bad(path, "expected an object");
    only_members(e, path, {"party", "score"});
    const std::string party_text = text_member(e, path, "party");
    vm::Word party;
    try {
      const bool raw = party_text.rfind("0x", 0) == 0 && party_text.size() == 66;
      party = parse_id(party_text, raw ? IdForm::raw : IdForm::hashed, path + ".party");
    } catch (const Error& error) {
      bad(path + ".party", error.what());
    }
    // Parsed text gives unsigned integers, a built document may hold signed ones: compare by value.
    const Json* score = e.contains("score") ? &e.at("score") : nullptr;
    const bool in_range = score && score->is_number_integer() &&
                          (score->is_number_unsigned() ? score->get<std::uint64_t>() <= 100
                                                       : score->get<std::int64_t>() >= 1 && score->get<std::int64_t>() <= 100) &&
                          score->get<std::int64_t>() >= 1;
    if (!in_range) bad(path + ".score", "expected an integer from 1 to 100");
    if (!out.scores.emplace(party, score->get<std::uint64_t>()).second) bad(path + ".party", "listed twice");
  }
  const CanonicalBytes bytes = canonicalize(document);
  out.bytes = bytes.str();
  out.digest = vm::sha256(bytes.view());
  return out;
}

std::uint64_t SanctionsList::score(const vm::Word& party) const {
  const auto it = scores.find(party);
  return it == scores.end() ? 0 : it->second;
}

vm::HostCallResult screen(const SanctionsList* list, std::string_view name, std::span<const vm::Word> args) {
  if (name != kSanctionsScreen || args.size() != 1 || !list) return vm::HostCallResult{};
  return vm::HostCallResult{true, {vm::Word::from_u64(list->score(args[0]))}};
}

}  // namespace savm::runtime
