#include "pipeline/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace newsevents {
namespace {

std::vector<uint64_t> RadixSorted(std::vector<uint64_t> v, int first_bit, int bits) {
  std::vector<uint64_t> scratch;
  RadixSort(&v, first_bit, bits, &scratch);
  return v;
}

// The reference: std::stable_sort on the same field.
std::vector<uint64_t> StableSorted(std::vector<uint64_t> v, int first_bit, int bits) {
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  std::stable_sort(v.begin(), v.end(), [&](uint64_t a, uint64_t b) {
    return ((a >> first_bit) & mask) < ((b >> first_bit) & mask);
  });
  return v;
}

TEST(RadixSortTest, SortsAsStableSortForEveryField) {
  std::mt19937_64 rng(11);
  const std::vector<std::pair<int, int>> fields = {{0, 1},  {0, 11}, {0, 12}, {0, 33}, {0, 64},
                                                   {32, 32}, {5, 22}, {40, 24}, {63, 1}};
  for (const auto& [first_bit, bits] : fields) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{1000}, size_t{70000}}) {
      std::vector<uint64_t> v(n);
      // Few distinct values in the field half the time, so stability shows.
      const bool narrow = rng() % 2 == 0;
      for (uint64_t& x : v) x = narrow ? (rng() % 7) << first_bit ^ (rng() & 0xFF) : rng();
      ASSERT_EQ(RadixSorted(v, first_bit, bits), StableSorted(v, first_bit, bits))
          << "bits [" << first_bit << ", " << first_bit + bits << "), " << n << " numbers";
    }
  }
}

TEST(RadixSortTest, SortsPairsByKeyKeepingTheOrderOfValues) {
  // How the packed multimap uses it: key << 32 | value, many values under a
  // few hot keys, and digits that every number shares (skipped passes).
  std::mt19937 rng(5);
  std::vector<uint64_t> v;
  for (uint32_t value = 0; value < 50000; ++value) {
    const uint32_t key = rng() % 4 == 0 ? 0xABCD0000u + rng() % 3 : static_cast<uint32_t>(rng());
    v.push_back(uint64_t{key} << 32 | rng());
  }
  EXPECT_EQ(RadixSorted(v, 32, 32), StableSorted(v, 32, 32));
  std::vector<uint64_t> same(5000, uint64_t{0x12345678} << 32);
  for (size_t i = 0; i < same.size(); ++i) same[i] |= same.size() - i;  // values descending
  EXPECT_EQ(RadixSorted(same, 32, 32), same);  // one key: nothing moves
}

TEST(RadixSortTest, ReusesScratchAcrossCalls) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> scratch;
  for (int round = 0; round < 5; ++round) {
    std::vector<uint64_t> v(1000 + round * 777);
    for (uint64_t& x : v) x = rng() >> 20;
    const std::vector<uint64_t> want = StableSorted(v, 0, 44);
    RadixSort(&v, 0, 44, &scratch);
    ASSERT_EQ(v, want) << round;
  }
}

}  // namespace
}  // namespace newsevents
