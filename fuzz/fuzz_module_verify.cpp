// read_module + verify on arbitrary bytes: never a crash or UB, a located error or a module, and
// verifier work linear in the input (the Move/eBPF lesson: the verifier must not be a DoS).
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <span>
#include <variant>

#include "vm/module.h"
#include "vm/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace savm::vm;
  Module module;
  try {
    module = read_module(std::span<const std::uint8_t>(data, size));
  } catch (const ModuleError& e) {
    if (e.code.empty() || e.offset > size + kMaxModuleBytes) std::abort();
    return 0;
  }
  // Canonical form: an accepted input re-encodes to itself.
  const auto bytes = write_module(module);
  if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data)) std::abort();

  Module bounded = module;
  std::uint64_t work = 0;
  const auto bound_errors = compute_bounds(bounded, &work);
  constexpr std::uint64_t kWorkPerByte = 8;
  if (work > kWorkPerByte * (size + 1)) std::abort();

  auto result = verify(std::move(module));
  if (auto* errors = std::get_if<std::vector<VerifyError>>(&result)) {
    for (const VerifyError& e : *errors) {
      if (e.code.rfind("verify.", 0) != 0 && e.code.rfind("module.", 0) != 0) std::abort();
    }
  } else if (!bound_errors.empty()) {
    std::abort();  // verify accepted what the analysis rejected
  }
  return 0;
}
