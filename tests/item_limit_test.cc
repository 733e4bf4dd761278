// SplitOversizedItem: an item over the size limit becomes consecutive pieces
// that lose no text, cut where a sentence ends when one is near.
#include "pipeline/item_limit.h"

#include <string>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

Item WholeText(const std::string& text, Span title = {}) {
  Item item;
  item.title = title;
  const size_t body_begin = title.empty() ? 0 : title.end + 1;
  item.paragraphs.push_back({body_begin, text.size()});
  item.body = item.paragraphs.back();
  item.span = {title.empty() ? body_begin : title.begin, text.size()};
  item.heading_year = "2019";
  return item;
}

// The non-space bytes of `text` in `spans`, in order.
std::string Letters(const std::string& text, const std::vector<Span>& spans) {
  std::string out;
  for (const Span& s : spans)
    for (size_t i = s.begin; i < s.end; ++i)
      if (text[i] != ' ' && text[i] != '\n') out += text[i];
  return out;
}

TEST(ItemLimitTest, AnItemWithinTheLimitIsLeftWhole) {
  const std::string text = "A short story. It ends here.";
  const auto pieces = SplitOversizedItem(text, WholeText(text), 1000);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].span, (Span{0, text.size()}));
}

TEST(ItemLimitTest, PiecesStayUnderTheLimitLoseNoTextAndEndAtSentences) {
  std::string text = "HEADLINE\n";
  while (text.size() < 5000) text += "The council met in Paris on 7 March 2023. ";
  const Item item = WholeText(text, Span{0, 8});
  const auto pieces = SplitOversizedItem(text, item, 400);
  ASSERT_GT(pieces.size(), 10u);
  EXPECT_EQ(pieces[0].title, (Span{0, 8}));
  std::vector<Span> covered = {pieces[0].title};
  size_t previous_end = 0;
  for (const Item& p : pieces) {
    EXPECT_LE(p.span.size(), 400u);
    EXPECT_GE(p.span.begin, previous_end);
    previous_end = p.span.end;
    EXPECT_EQ(p.heading_year, "2019");
    if (&p != &pieces[0]) {
      EXPECT_TRUE(p.title.empty());
    }
    ASSERT_FALSE(p.paragraphs.empty());
    // Each piece but the last ends with a whole sentence.
    if (&p != &pieces.back()) {
      EXPECT_EQ(text[p.body.end - 1], '.') << p.body.end;
    }
    covered.insert(covered.end(), p.paragraphs.begin(), p.paragraphs.end());
  }
  EXPECT_EQ(Letters(text, covered), Letters(text, {Span{0, text.size()}}));
}

TEST(ItemLimitTest, TextWithoutSpacesIsCutBetweenCodePoints) {
  std::string text;
  while (text.size() < 3000) text += "\xC3\xA9";  // é é é ... in one word
  const auto pieces = SplitOversizedItem(text, WholeText(text), 301);
  ASSERT_GT(pieces.size(), 9u);
  size_t total = 0;
  for (const Item& p : pieces) {
    EXPECT_LE(p.span.size(), 301u);
    EXPECT_EQ(p.span.size() % 2, 0u) << "a piece cuts an é";
    total += p.span.size();
  }
  EXPECT_EQ(total, text.size());
}

TEST(ItemLimitTest, ATitleOverTheLimitIsCutUpAsText) {
  // One long line taken for a headline: its text must still be in pieces.
  std::string text(900, 'x');
  for (size_t i = 50; i < text.size(); i += 50) text[i] = ' ';
  text += "\nA body sentence follows.";
  const Item item = WholeText(text, Span{0, 900});
  const auto pieces = SplitOversizedItem(text, item, 200);
  ASSERT_GT(pieces.size(), 4u);
  std::vector<Span> covered;
  for (const Item& p : pieces) {
    EXPECT_TRUE(p.title.empty());
    EXPECT_LE(p.span.size(), 200u);
    covered.insert(covered.end(), p.paragraphs.begin(), p.paragraphs.end());
  }
  EXPECT_EQ(Letters(text, covered), Letters(text, {Span{0, text.size()}}));
}

}  // namespace
}  // namespace newsevents
