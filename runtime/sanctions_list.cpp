#include "runtime/sanctions_list.h"

#include <algorithm>

#include "runtime/error.h"
#include "vm/edit_distance.h"

namespace savm::runtime {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw Error("regpack.sanctions", path + ": " + why);
}

std::string string_field(const Json& entry, const std::string& path, const char* name, bool nullable) {
  const auto it = entry.find(name);
  if (it == entry.end()) bad(path, std::string("missing \"") + name + "\"");
  if (nullable && it->is_null()) return {};
  if (!it->is_string()) bad(path + "." + name, nullable ? "must be a string or null" : "must be a string");
  return it->get<std::string>();
}

std::string screening_name(const std::string& raw, const std::string& path) {
  std::string name = normalize_party_name(raw);
  if (name.empty()) bad(path, "has no letters or digits to screen against");
  if (name.size() > kMaxScreeningName) {
    bad(path, "normalizes to " + std::to_string(name.size()) + " characters (at most " +
                  std::to_string(kMaxScreeningName) + ")");
  }
  return name;
}

SanctionsEntry entry_from_json(const Json& entry, const std::string& path) {
  if (!entry.is_object()) bad(path, "an entry must be an object");
  SanctionsEntry e;
  e.list = string_field(entry, path, "list", false);
  e.reference = string_field(entry, path, "reference", true);
  e.names.push_back(screening_name(string_field(entry, path, "primary_name", false), path + ".primary_name"));
  const auto aliases = entry.find("aliases");
  if (aliases == entry.end()) return e;
  if (!aliases->is_array()) bad(path + ".aliases", "must be an array of strings");
  for (std::size_t i = 0; i < aliases->size(); ++i) {
    const std::string at = path + ".aliases[" + std::to_string(i) + "]";
    if (!(*aliases)[i].is_string()) bad(at, "must be a string");
    e.names.push_back(screening_name((*aliases)[i].get<std::string>(), at));
  }
  return e;
}

}  // namespace

std::string normalize_party_name(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

std::uint32_t name_similarity(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  const std::size_t longer = std::max(a.size(), b.size());
  return static_cast<std::uint32_t>(100 * (longer - vm::edit_distance(a, b)) / longer);
}

SanctionsList SanctionsList::from_json(const Json& document) {
  if (!document.is_object()) bad("$", "a sanctions list is a JSON object");
  const auto entries = document.find("entries");
  if (entries == document.end() || !entries->is_array()) bad("$.entries", "must be an array of entries");
  SanctionsList list;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    list.entries_.push_back(entry_from_json((*entries)[i], "$.entries[" + std::to_string(i) + "]"));
  }
  return list;
}

ScreeningMatch SanctionsList::screen(std::string_view normalized_query) const {
  ScreeningMatch best;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    for (const std::string& name : entries_[i].names) {
      const std::uint32_t score = name_similarity(normalized_query, name);
      if (score > best.score) best = {score, i};
    }
  }
  return best;
}

}  // namespace savm::runtime
