// JSON paths in error messages ("$.receipts[3].amount"), shared by the MCF parser and the
// canonicalizer so that a bad value is reported the same way wherever it is found.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace savm::runtime {

// One step down from the root: an object member (by key) or an array element (by index).
struct PathStep {
  bool is_key = false;
  std::string_view key;
  std::size_t index = 0;
};

// "$" for the root; ".name" for keys that look like identifiers, ["..."] (JSON-escaped, bytes of
// invalid UTF-8 as \xNN) for any other key; "[i]" for array elements.
std::string format_path(const std::vector<PathStep>& steps);

}  // namespace savm::runtime
