// The Levenshtein distance of two byte strings (insertions, deletions and substitutions, each 1).
// Generic text, no Mizan or JSON: the Mizan checker ranks its "did you mean" suggestions by it and
// the zone's sanctions screening turns it into an integer similarity score.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace savm::vm {

// O(|a| · |b|) time, O(|b|) space: one row of the table at a time.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace savm::vm
