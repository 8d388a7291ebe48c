// Fuzzes the MCF parser and canonicalizer. Properties checked on every input:
//  - no crash, hang or sanitizer report, whatever the bytes; rejection is only ever runtime::Error;
//  - canonicalizing an accepted value never fails, and gives the same bytes twice;
//  - the canonical bytes parse back (a fixed point): same value, and the same bytes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/error.h"
#include "runtime/mcf.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace savm::runtime;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json value;
  try {
    value = parse_json(text);
  } catch (const Error&) {
    return 0;  // rejected with a located, coded error: the expected outcome for most inputs
  }
  const CanonicalBytes first = canonicalize(value);  // must not throw: parse_json accepted it
  check(canonicalize(value) == first);
  const Json reparsed = parse_json(first.view());
  const CanonicalBytes second = canonicalize(reparsed);
  check(second == first);
  check(parse_json(second.view()) == reparsed);
  return 0;
}
