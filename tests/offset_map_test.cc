#include "pipeline/offset_map.h"

#include <gtest/gtest.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

TEST(OffsetMapTest, IdentityWithoutEdits) {
  OffsetMap map;
  EXPECT_EQ(map.ToSource(0), 0u);
  EXPECT_EQ(map.ToSource(123), 123u);
}

TEST(OffsetMapTest, ShrinkingEditMapsInsideToStartAndAfterToShiftedOffset) {
  // "a’b" (’ is 3 bytes) normalized to "a'b".
  OffsetMap map;
  map.Add(1, 1, 1, 3);
  EXPECT_EQ(map.ToSource(0), 0u);
  EXPECT_EQ(map.ToSource(1), 1u);
  EXPECT_EQ(map.ToSource(2), 4u);  // 'b'
  EXPECT_EQ(map.ToSource(3), 5u);  // end
  EXPECT_EQ(map.anchor_count(), 1u);
}

TEST(OffsetMapTest, AlignedRunsWithUnchangedDeltaAddNoAnchor) {
  OffsetMap map;
  map.Add(0, 1, 0, 1);
  map.Add(5, 2, 5, 2);
  EXPECT_EQ(map.anchor_count(), 0u);
}

TEST(OffsetMapTest, WalkerGivesWhatToSourceGivesForIncreasingOffsets) {
  OffsetMap map;
  const std::string text = "Œuvre à Montréal, ÉTÉ: straße ﬁn";  // ligatures, accents
  const std::string folded = FoldText(text, &map);
  ASSERT_GT(map.anchor_count(), 2u);
  OffsetMap::Walker walker(map);
  for (size_t dst = 0; dst <= folded.size() + 2; ++dst) EXPECT_EQ(walker.ToSource(dst), map.ToSource(dst)) << dst;
  // Skipping ahead, and asking the same offset twice.
  OffsetMap::Walker skipping(map);
  for (size_t dst : {0u, 0u, 3u, 9u, 9u, 20u, 31u})
    EXPECT_EQ(skipping.ToSource(dst), map.ToSource(dst)) << dst;
  OffsetMap identity;
  OffsetMap::Walker none(identity);
  EXPECT_EQ(none.ToSource(7), 7u);
}

// FirstAtOrAfter must answer what a binary search calling ToSource would,
// for every original offset (and past the end).
void ExpectInverseAgreesWithSearch(const OffsetMap& map, size_t size, size_t source_size) {
  for (size_t src = 0; src <= source_size + 2; ++src) {
    size_t lo = 0, hi = size;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (map.ToSource(mid) < src) lo = mid + 1;
      else hi = mid;
    }
    EXPECT_EQ(map.FirstAtOrAfter(src, size), lo) << "src " << src;
  }
}

TEST(OffsetMapTest, FirstAtOrAfterInvertsToSource) {
  ExpectInverseAgreesWithSearch(OffsetMap(), 10, 10);
  OffsetMap shrink;  // "a’b" -> "a'b"
  shrink.Add(1, 1, 1, 3);
  ExpectInverseAgreesWithSearch(shrink, 3, 5);
  OffsetMap gone;  // a dropped byte, then an inserted one
  gone.Add(2, 0, 2, 1);
  gone.Add(4, 1, 5, 0);
  ExpectInverseAgreesWithSearch(gone, 8, 8);
  for (const char* text : {"Montréal Nord", "Œuvre ﬁnale — « Niño » São Tomé", "ÉÉÉ aaa Ö",
                           "plain ascii only", "\xEF\xBB\xBF" "BOM then text", "ß straße ǅ"}) {
    OffsetMap map;
    const std::string folded = FoldText(text, &map);
    ExpectInverseAgreesWithSearch(map, folded.size(), std::string(text).size());
  }
}

TEST(FoldTest, FoldsCaseAccentsAndLigatures) {
  EXPECT_EQ(FoldText("Montréal"), "montreal");
  EXPECT_EQ(FoldText("QUERÉTARO"), "queretaro");
  EXPECT_EQ(FoldText("Œuvre"), "oeuvre");
  EXPECT_EQ(FoldText("Niño"), "nino");
}

TEST(FoldTest, MapLeadsBackToOriginalBytes) {
  OffsetMap map;
  std::string text = "Montréal Nord";  // é is 2 bytes
  std::string folded = FoldText(text, &map);
  ASSERT_EQ(folded, "montreal nord");
  size_t nord = folded.find("nord");
  EXPECT_EQ(text.substr(map.ToSource(nord), 4), "Nord");
  EXPECT_EQ(map.ToSource(folded.size()), text.size());
}

}  // namespace
}  // namespace newsevents
