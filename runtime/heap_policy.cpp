#include "runtime/heap_policy.h"

#include <malloc.h>

namespace savm::runtime {

void retain_freed_heap() {
  constexpr int kTrimThreshold = 64 << 20;
  constexpr int kTopPad = 16 << 20;
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  ::mallopt(M_TOP_PAD, kTopPad);
}

}  // namespace savm::runtime
