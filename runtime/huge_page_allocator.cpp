#include "runtime/huge_page_allocator.h"

#include <cstdlib>
#include <limits>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace savm::runtime::huge_pages {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Smaller arrays take ordinary pages: rounding them up to a huge page would waste more than half.
constexpr std::size_t kThreshold = std::size_t{1} << 20;

static_assert(alignof(std::max_align_t) <= kHugePage);

}  // namespace

void* allocate(std::size_t bytes) {
  if (bytes < kThreshold) return ::operator new(bytes);
  if (bytes > std::numeric_limits<std::size_t>::max() - kHugePage) throw std::bad_alloc();
  const std::size_t size = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* pointer = std::aligned_alloc(kHugePage, size);
  if (pointer == nullptr) throw std::bad_alloc();
#if defined(__linux__)
  // Advice only: if it is refused, the memory is ordinary pages.
  (void)madvise(pointer, size, MADV_HUGEPAGE);
#endif
  return pointer;
}

void deallocate(void* pointer, std::size_t bytes) {
  if (bytes < kThreshold) {
    ::operator delete(pointer);
  } else {
    std::free(pointer);
  }
}

}  // namespace savm::runtime::huge_pages
