#include "pipeline/chunked_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

namespace newsevents {
namespace {

TEST(ChunkedArrayTest, ElementsKeepTheirIndexAndAddressAsItGrows) {
  ChunkedArray<uint32_t> a(4);
  std::vector<const uint32_t*> addresses;
  for (uint32_t i = 0; i < 10; ++i) {
    a.push_back(i * 7);
    addresses.push_back(&a[i]);
  }
  EXPECT_EQ(a.end(), 10u);
  for (uint32_t i = 0; i < 10; ++i) {
    EXPECT_EQ(a[i], i * 7);
    EXPECT_EQ(&a[i], addresses[i]);  // never moved
  }
  EXPECT_GE(a.MemoryBytes(), 3 * 4 * sizeof(uint32_t));  // 3 chunks, no more
  EXPECT_LT(a.MemoryBytes(), 4 * 4 * sizeof(uint32_t) + 64);
}

TEST(ChunkedArrayTest, RunsAreContiguousAndNeverStraddleChunks) {
  ChunkedArray<uint8_t> a(8);
  EXPECT_EQ(a.AppendRun(5), 0u);
  EXPECT_EQ(a.AppendRun(5), 8u);  // 3 left in the first chunk: skipped
  EXPECT_EQ(a.AppendRun(3), 13u);
  EXPECT_EQ(a.AppendRun(8), 16u);
  for (size_t i = 16; i < 24; ++i) EXPECT_EQ(a[i], 0);  // value-initialized
  EXPECT_EQ(&a[23] - &a[16], 7);
  EXPECT_EQ(a.AppendRun(0), 24u);  // nothing appended
  EXPECT_EQ(a.end(), 24u);
  EXPECT_THROW(a.AppendRun(9), std::length_error);
}

TEST(ChunkedArrayTest, MoveUpMovesAsMemmoveAcrossChunks) {
  // Chunks of 8 (shifts) and of 7 (divisions); runs within a chunk, across
  // several, overlapping their destination or not, of length 0.
  std::mt19937 rng(9);
  for (size_t chunk : {size_t{7}, size_t{8}}) {
    for (int round = 0; round < 2000; ++round) {
      const size_t size = 1 + rng() % 60;
      ChunkedArray<uint16_t> a(chunk);
      std::vector<uint16_t> want(size);
      for (size_t i = 0; i < size; ++i) {
        want[i] = static_cast<uint16_t>(rng());
        a.push_back(want[i]);
      }
      const size_t from = rng() % size;
      const size_t to = from + rng() % (size - from + 1);
      const size_t dest = from + rng() % (size - to + 1);
      std::memmove(want.data() + dest, want.data() + from, (to - from) * sizeof(uint16_t));
      a.MoveUp(from, to, dest);
      for (size_t i = 0; i < size; ++i)
        ASSERT_EQ(a[i], want[i]) << "chunk " << chunk << " size " << size << " [" << from << ", "
                                 << to << ") to " << dest << " at " << i;
    }
  }
}

}  // namespace
}  // namespace newsevents
