#include "pipeline/spill_store.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace newsevents {
namespace {

TEST(SpillStoreTest, ReadsBackEveryRunFromTheFileAndFromTheBuffer) {
  SpillStore store(100);  // words kept in memory before they go to the file
  std::vector<std::pair<uint64_t, std::vector<uint32_t>>> runs;
  uint32_t next = 1;
  for (int r = 0; r < 500; ++r) {
    std::vector<uint32_t> words(static_cast<size_t>(r % 37));
    for (uint32_t& w : words) w = next++ * 2654435761u;
    runs.emplace_back(store.Append(words.data(), words.size()), words);
  }
  EXPECT_GT(store.spilled_words(), 0u);         // most went to the file
  EXPECT_LE(store.MemoryBytes(), 100 * 4 + 64);  // the buffer, no more
  for (const auto& [at, words] : runs) {
    std::vector<uint32_t> got(words.size());
    store.Read(at, got.size(), got.data());
    ASSERT_EQ(got, words) << "run at " << at;
  }
}

TEST(SpillStoreTest, RunsLongerThanTheBufferAreRefused) {
  SpillStore store(8);
  std::vector<uint32_t> words(9, 1);
  EXPECT_THROW(store.Append(words.data(), words.size()), std::length_error);
}

}  // namespace
}  // namespace newsevents
