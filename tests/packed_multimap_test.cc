#include "pipeline/packed_multimap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

namespace newsevents {
namespace {

std::vector<uint32_t> ValuesOf(const PackedMultiMap& m, uint32_t key) {
  std::vector<uint32_t> v;
  m.ForEach(key, [&](uint32_t value) { v.push_back(value); });
  std::sort(v.begin(), v.end());
  return v;
}

TEST(PackedMultiMapTest, FindsWhatAStdMultimapFindsAcrossManyPacks) {
  // Keys of every kind the index makes: random hashes, a few hot keys with
  // many values, the ends of directory buckets, 0 and 0xFFFFFFFF. Lookups
  // run between inserts, so packed and recent pairs are both met.
  std::mt19937 rng(7);
  std::map<uint32_t, std::vector<uint32_t>> want;
  PackedMultiMap m;
  const std::vector<uint32_t> special = {0, 1, 0xFFFFFFFFu, 0x3FFFu, 0x4000u, 0xFFFFC000u,
                                         0x12344000u, 0x12347FFFu};
  std::vector<uint32_t> keys;
  for (uint32_t value = 0; value < 600000; ++value) {
    uint32_t key;
    const uint32_t r = rng() % 100;
    if (r < 3) key = special[rng() % special.size()];
    else if (r < 10) key = 0xABCD0000u + rng() % 16;  // hot keys in one bucket
    else key = static_cast<uint32_t>(rng());
    m.Insert(key, value);
    want[key == 0 ? 1 : key].push_back(value);  // 0 shares its slot key with 1
    keys.push_back(key);
    if (value % 9973 == 0) {
      for (int probe = 0; probe < 20; ++probe) {
        const uint32_t k = keys[rng() % keys.size()];
        ASSERT_EQ(ValuesOf(m, k), want[k == 0 ? 1 : k]) << "key " << k << " after " << value;
      }
    }
  }
  EXPECT_EQ(m.size(), 600000u);
  for (const auto& [key, values] : want) ASSERT_EQ(ValuesOf(m, key), values) << key;
  for (int probe = 0; probe < 10000; ++probe) {  // keys never inserted find nothing
    const uint32_t k = static_cast<uint32_t>(rng());
    if (!want.count(k == 0 ? 1 : k)) {
      ASSERT_TRUE(ValuesOf(m, k).empty()) << k;
    }
  }
  // About 5 bytes a pair, plus the directory and the recent pairs' table.
  EXPECT_LT(m.MemoryBytes(), 600000u * 5 + (1u << 20) + (1u << 21) * 8 + (1u << 18));
}

TEST(PackedMultiMapTest, ValuesKeepAllTheirBitsUpToTheLimit) {
  // A value's low 18 bits share a word with the key's rest, its high 8 bits
  // are a byte apart: values whose every bit is set must come back whole,
  // packed or not, and a value past 2^26 is refused, not cut.
  PackedMultiMap m;
  const uint32_t top = PackedMultiMap::kValueLimit - 1;
  auto key_of = [](uint32_t i) { return i * 2654435761u; };
  auto value_of = [&](uint32_t i) { return top - i * 331; };  // every high byte
  for (uint32_t i = 0; i < 200000; ++i) m.Insert(key_of(i), value_of(i));
  for (uint32_t i = 0; i < 200000; ++i)
    ASSERT_EQ(ValuesOf(m, key_of(i)), std::vector<uint32_t>{value_of(i)}) << i;
  EXPECT_THROW(m.Insert(7, PackedMultiMap::kValueLimit), std::length_error);
  EXPECT_TRUE(ValuesOf(m, 7).empty());
}

TEST(PackedMultiMapTest, EmptyMapFindsNothing) {
  PackedMultiMap m;
  EXPECT_TRUE(ValuesOf(m, 0).empty());
  EXPECT_TRUE(ValuesOf(m, 12345).empty());
  EXPECT_EQ(m.size(), 0u);
}

}  // namespace
}  // namespace newsevents
