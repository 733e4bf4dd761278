#include "pipeline/story_text.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "pipeline/byte_class.h"
#include "pipeline/fold.h"
#include "pipeline/normalize.h"

namespace newsevents {
namespace {

// White space collapsed as it was first written, a byte at a time: the
// blockwise copy must give the same bytes (ids and fingerprints hash them).
std::string ReferenceCollapse(std::string_view folded) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  std::string out;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && space(folded[i])) ++i;
    if (i == folded.size()) break;
    if (!out.empty()) out.push_back(' ');
    while (i < folded.size() && !space(folded[i])) out.push_back(folded[i++]);
  }
  return out;
}

std::string Collapse(std::string_view text) {
  std::string out(text.size(), '#');
  out.resize(CollapseStorySpaces(text, out.data()));
  return out;
}

// Words and white space of every shape: single spaces (copied whole), runs
// across a 16-byte block's edge, leading and trailing runs, tabs, line feeds,
// carriage returns (not white space here), non-ASCII bytes.
std::string RandomSpacedText(std::mt19937& rng) {
  static const std::string kPieces[] = {"a", "word", "québec", "2023", "x-y", " ", " ", " ", "  ",
                                        "\n", "\n\n", "\t", " \t\n ", "\r", "—", "ABC"};
  std::string text;
  const int pieces = std::uniform_int_distribution<int>(0, 120)(rng);
  for (int i = 0; i < pieces; ++i) text += kPieces[rng() % std::size(kPieces)];
  return text;
}

TEST(StoryTextTest, CollapsesLikeTheReference) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = RandomSpacedText(rng);
    ASSERT_EQ(Collapse(text), ReferenceCollapse(text)) << "text #" << i << ": [" << text << "]";
  }
  // A run of white space at every offset of a block, of every length.
  for (size_t at = 0; at < 40; ++at)
    for (size_t run = 1; run < 20; ++run) {
      const std::string text = std::string(at, 'a') + std::string(run, ' ') + std::string(30, 'b');
      ASSERT_EQ(Collapse(text), ReferenceCollapse(text)) << at << " " << run;
      const std::string lf = std::string(at, 'a') + std::string(run, '\n');
      ASSERT_EQ(Collapse(lf), ReferenceCollapse(lf)) << at << " " << run;
    }
}

TEST(StoryTextTest, SpanOfADocumentIntoAKeptBuffer) {
  Document doc;
  doc.original = "  First  Item\nof the  Drop.\n\nSecond item,\tMontréal  \n";
  NormalizeDocument(doc);
  std::string scratch;
  const std::vector<Span> spans = {{0, doc.text.size()}, {2, 13}, {29, doc.text.size()}, {5, 5}};
  for (const Span& span : spans) {
    const std::string expected = NormalizedStoryText(doc.Slice(span));
    EXPECT_EQ(StoryTextOf(doc, span), expected);
    EXPECT_EQ(StoryTextOf(doc, span, &scratch), expected);  // the buffer shrinks and grows
  }
  EXPECT_EQ(StoryTextOf(doc, {0, doc.text.size()}, &scratch),
            "first item of the drop. second item, montreal");
  // Without a folded copy the span is folded on its own.
  doc.folded.clear();
  EXPECT_EQ(StoryTextOf(doc, {29, doc.text.size()}, &scratch), "second item, montreal");
}

TEST(ByteClassTest, WordByteMaskMatchesTheByteTest) {
  for (int first = 0; first < 256; first += 64) {
    char block[64];
    for (int i = 0; i < 64; ++i) block[i] = static_cast<char>(first + i);
    const uint64_t mask = WordByteMask64(block);
    for (int i = 0; i < 64; ++i)
      EXPECT_EQ((mask >> i) & 1, IsSketchWordByte(static_cast<unsigned char>(first + i)) ? 1u : 0u)
          << first + i;
  }
}

// RuleScanner's wall candidates: every ASCII byte but the letters (and the
// space, unless asked for), whatever the other bytes of the block.
TEST(ByteClassTest, AsciiNonLetterMaskMatchesTheByteTest) {
  for (const bool spaces : {false, true}) {
    for (int first = 0; first < 256; first += 64) {
      char block[64];
      for (int i = 0; i < 64; ++i) block[i] = static_cast<char>(first + i);
      const uint64_t mask = AsciiNonLetterMask64(block, spaces);
      for (int i = 0; i < 64; ++i) {
        const int c = first + i;
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool expected = c < 0x80 && !letter && (spaces || c != ' ');
        EXPECT_EQ((mask >> i) & 1, expected ? 1u : 0u) << c << " spaces " << spaces;
      }
    }
  }
}

}  // namespace
}  // namespace newsevents
