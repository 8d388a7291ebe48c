// A sanctions list as regpack data bound to a zone (docs/operating-a-zone.md "Regpack data and
// host intrinsics"), and the screening behind the `sanctions.screen` host intrinsic.
//
// The list is the reference format (`reference/sanctions-sample.json`: {"entries": [{"list",
// "reference", "primary_name", "aliases", ...}]}); unknown fields are kept out of the screening
// but stay in the bound bytes, so the digest commits to the whole document.
//
// Screening is integer-only and deterministic: a name is normalized to its ASCII letters
// (lowercased) and digits, exactly as `pk.sanctions` normalizes party keys; the score of a query
// against a name is 100 × (L − edit distance) / L rounded down, L the longer length (100 only for
// an exact match); an entry scores its best name; ties go to the earlier entry. The module decides
// what score is a hit: the host only measures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mcf.h"

namespace savm::runtime {

// Longest normalized name a list entry may carry; longer ones are rejected when the list is bound
// (the edit distance is quadratic in the lengths, so its cost stays bounded per call).
inline constexpr std::size_t kMaxScreeningName = 128;

struct SanctionsEntry {
  std::string list;
  std::string reference;          // "" when the list gives none
  std::vector<std::string> names;  // normalized primary name, then normalized aliases
};

struct ScreeningMatch {
  std::uint32_t score = 0;  // 0..100
  std::size_t entry = 0;    // index of the best entry (meaningful when score > 0)
};

// ASCII letters lowercased and digits kept; everything else (spaces, punctuation, other bytes)
// dropped: "Lashkar-e-Taiba" -> "lashkaretaiba".
std::string normalize_party_name(std::string_view name);

// 100 × (L − levenshtein(a, b)) / L, rounded down, L = max(|a|, |b|); 0 when either is empty.
std::uint32_t name_similarity(std::string_view a, std::string_view b);

class SanctionsList {
 public:
  // Throws Error "regpack.sanctions" naming the JSON path of the first bad field.
  static SanctionsList from_json(const Json& document);

  const std::vector<SanctionsEntry>& entries() const { return entries_; }

  // The best entry for an already normalized query.
  ScreeningMatch screen(std::string_view normalized_query) const;

 private:
  std::vector<SanctionsEntry> entries_;
};

}  // namespace savm::runtime
