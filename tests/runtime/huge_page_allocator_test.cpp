// HugePageAllocator changes only where large arrays live (2 MiB-aligned from 1 MiB up), never
// what they hold.
#include "runtime/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace savm::runtime {
namespace {

TEST(HugePageAllocator, LargeArraysAreHugePageAlignedSmallOnesOrdinary) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  HugePageAllocator<std::uint64_t> allocator;
  for (const std::size_t bytes : {std::size_t{8}, kMiB - 8, kMiB, 2 * kMiB, 3 * kMiB + 8}) {
    const std::size_t count = bytes / sizeof(std::uint64_t);
    std::uint64_t* array = allocator.allocate(count);
    if (bytes >= kMiB) {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(array) % (2 * kMiB), 0U) << bytes;
    }
    for (std::size_t i = 0; i < count; i += 512) array[i] = i;  // every 4 KiB page is usable
    array[count - 1] = 7;
    for (std::size_t i = 0; i < count - 1; i += 512) ASSERT_EQ(array[i], i);
    EXPECT_EQ(array[count - 1], 7U);
    allocator.deallocate(array, count);
  }
}

TEST(HugePageAllocator, AVectorGrowingPastTheThresholdKeepsItsElements) {
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> grown;
  for (std::uint32_t i = 0; i < 600'000; ++i) grown.push_back(i * 2654435761U);  // 2.4 MB: crosses 1 MiB
  for (std::uint32_t i = 0; i < 600'000; i += 997) ASSERT_EQ(grown[i], i * 2654435761U);
  auto moved = std::move(grown);
  EXPECT_EQ(moved.size(), 600'000U);
  EXPECT_EQ(moved.back(), 599'999U * 2654435761U);
}

}  // namespace
}  // namespace savm::runtime
