#include "runtime/corridor_fields.h"

#include <algorithm>

#include "runtime/civil_calendar.h"
#include "runtime/error.h"

namespace savm::runtime::corridor_fields {
namespace {

bool is_lower_hex64(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

int digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "YYYY-MM-DDTHH:MM:SSZ" naming a real calendar instant (second 60 allowed, as RFC 3339 does).
bool is_utc_seconds(std::string_view t) {
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  const int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
  const int hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return false;
  }
  return static_cast<unsigned>(day) <= civil::days_in_month(year, static_cast<unsigned>(month));
}

}  // namespace

void FieldChecker::fail(std::string_view kind, const std::string& path,
                        const std::string& why) const {
  throw Error(std::string(domain_) + "." + std::string(kind), path + ": " + why);
}

void FieldChecker::only_known(const Json& object, std::initializer_list<std::string_view> known,
                              const std::string& path) const {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      fail("field", member(path, key), "unknown field");
    }
    if (value.is_null()) fail("field", member(path, key), "null is not allowed (omit the field)");
  }
}

const Json& FieldChecker::required(const Json& object, std::string_view key,
                                   const std::string& path) const {
  const auto it = object.find(key);
  if (it == object.end()) fail("field", member(path, key), "missing field");
  return *it;
}

const Json& FieldChecker::object(const Json& value, const std::string& path) const {
  if (!value.is_object()) fail("field", path, "expected an object");
  return value;
}

Digest FieldChecker::hex(const Json& value, const std::string& path) const {
  if (!value.is_string()) fail("field", path, "expected a string of 64 hex digits");
  const auto& text = value.get_ref<const std::string&>();
  if (!is_lower_hex64(text)) fail("hex", path, "expected 64 lowercase hex digits");
  return *Digest::from_hex(text);
}

const std::string& FieldChecker::nonempty_string(const Json& value,
                                                 const std::string& path) const {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    fail("field", path, "expected a non-empty string");
  }
  return value.get_ref<const std::string&>();
}

std::uint64_t FieldChecker::unsigned_integer(const Json& value, const std::string& path) const {
  // Parsed text yields unsigned for non-negative numbers; values built in C++ may be signed.
  const bool non_negative = value.is_number_unsigned() ||
                            (value.is_number_integer() && value.get<std::int64_t>() >= 0);
  if (!non_negative) fail("field", path, "expected a non-negative integer");
  return value.get<std::uint64_t>();
}

std::string FieldChecker::timestamp(const Json& value, const std::string& path) const {
  if (!value.is_string()) fail("field", path, "expected an RFC 3339 date-time string");
  // MCF rewrites every RFC 3339 date-time to UTC seconds; a string it leaves in any other shape
  // is no date-time.
  return timestamp(std::string_view(value.get_ref<const std::string&>()), path);
}

std::string FieldChecker::timestamp(std::string_view text, const std::string& path) const {
  std::string normalized = normalize_datetime(text);
  if (!is_utc_seconds(normalized)) fail("timestamp", path, "not an RFC 3339 date-time");
  return normalized;
}

void FieldChecker::digest_set(const Json& set, const std::string& path) const {
  if (!set.is_array()) fail("field", path, "expected an array of digests");
  for (std::size_t i = 0; i < set.size(); ++i) {
    const std::string entry_path = path + "[" + std::to_string(i) + "]";
    const Json& entry = set[i];
    if (entry.is_string()) {
      hex(entry, entry_path);
    } else if (entry.is_object()) {
      // An ArtifactRef as the MEZ receipt schema allows it in a digest set.
      only_known(entry, {"digest_sha256", "artifact_type", "uri"}, entry_path);
      hex(required(entry, "digest_sha256", entry_path), member(entry_path, "digest_sha256"));
      nonempty_string(required(entry, "artifact_type", entry_path),
                      member(entry_path, "artifact_type"));
      if (entry.contains("uri") && !entry["uri"].is_string()) {
        fail("field", member(entry_path, "uri"), "expected a string");
      }
    } else {
      fail("field", entry_path, "expected a hex digest or an ArtifactRef object");
    }
  }
}

}  // namespace savm::runtime::corridor_fields
