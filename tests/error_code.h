// The stable error code (runtime::Error, docs/errors.md) an action throws, or "no error": what a
// test of bad input asserts.
#pragma once

#include <string>

#include "runtime/error.h"

namespace savm::testing {

template <typename Fn>
std::string error_code(Fn&& fn) {
  try {
    fn();
  } catch (const runtime::Error& e) {
    return e.code();
  }
  return "no error";
}

}  // namespace savm::testing
