#include "pipeline/word_table.h"

#include <string>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

TEST(WordTableTest, FindsWhatWasAddedAndNothingElse) {
  WordTable<int> table;
  EXPECT_EQ(table.Find("montreal"), nullptr);  // empty
  table["montreal"] = 1;
  table["de"] |= 2;
  table["de"] |= 4;
  ASSERT_NE(table.Find("de"), nullptr);
  EXPECT_EQ(*table.Find("de"), 6);
  EXPECT_EQ(*table.Find("montreal", WordHash("montreal")), 1);
  EXPECT_EQ(table.Find("mont"), nullptr);
  EXPECT_EQ(table.Find(""), nullptr);
  EXPECT_EQ(table.size(), 2u);
}

TEST(WordTableTest, KeepsEveryWordAcrossGrowth) {
  WordTable<size_t> table;
  for (size_t i = 0; i < 5000; ++i) table["w" + std::to_string(i)] = i;
  EXPECT_EQ(table.size(), 5000u);
  for (size_t i = 0; i < 5000; ++i) {
    const size_t* v = table.Find("w" + std::to_string(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, i);
  }
  EXPECT_EQ(table.Find("w5000"), nullptr);
  size_t seen = 0;
  table.ForEach([&](std::string_view word, size_t v) {
    EXPECT_EQ(word, "w" + std::to_string(v));
    ++seen;
  });
  EXPECT_EQ(seen, 5000u);
}

TEST(WordTableTest, HashIsFnv1a) {
  EXPECT_EQ(WordHash(""), 2166136261u);
  EXPECT_EQ(WordHash("a"), 0xe40c292cu);
}

TEST(WordTableTest, HashWithoutLastByteUndoesTheLastStep) {
  for (const std::string w : {"offices", "a", "universidades", "sécurités", "x\xff"}) {
    const std::string shorter = w.substr(0, w.size() - 1);
    EXPECT_EQ(WordHashWithoutLast(WordHash(w), w.back()), WordHash(shorter)) << w;
  }
}

TEST(WordTableTest, FilterHoldsEveryHashAddedAndFewOthers) {
  WordHashFilter filter;
  for (int i = 0; i < 500; ++i) filter.Add(WordHash("w" + std::to_string(i)));
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(filter.MayHold(WordHash("w" + std::to_string(i)))) << i;
  int others = 0;
  for (int i = 0; i < 10000; ++i) others += filter.MayHold(WordHash("v" + std::to_string(i)));
  EXPECT_LT(others, 500);  // 500 of 32,768 bits set: about 1.5%
}

}  // namespace
}  // namespace newsevents
