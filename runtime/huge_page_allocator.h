// Storage for large arrays that grow by appending into fresh memory (the MMR's nodes, which are
// all kept for inclusion proofs): on Linux, an allocation of at least 1 MiB is 2 MiB-aligned,
// rounded up to whole 2 MiB and advised as transparent huge pages (MADV_HUGEPAGE), so that
// appending faults once per 2 MiB instead of once per 4 KiB page. On the benchmark VM a fault per
// ~40 MMR appends was a fifth of a sealed receipt's time (docs/PERFORMANCE.md "Corridor
// receipts"). Only where the memory comes from changes; contents and behaviour are
// std::allocator's. Without THP (or off Linux) the advice does nothing.
#pragma once

#include <cstddef>

namespace savm::runtime {
namespace huge_pages {

void* allocate(std::size_t bytes);
void deallocate(void* pointer, std::size_t bytes);

}  // namespace huge_pages

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(std::size_t count) { return static_cast<T*>(huge_pages::allocate(count * sizeof(T))); }
  void deallocate(T* pointer, std::size_t count) { huge_pages::deallocate(pointer, count * sizeof(T)); }

  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

}  // namespace savm::runtime
