#include "pipeline/gazetteer.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

std::vector<std::string> Tokens(const std::string& folded) {
  std::vector<FoldedToken> tokens;
  TokenizeFolded(folded, 0, folded.size(), &tokens);
  std::vector<std::string> out;
  for (const FoldedToken& t : tokens) out.push_back(folded.substr(t.begin, t.end - t.begin));
  return out;
}

// Ids of the words of `text`, folded as the pipeline folds documents.
std::vector<uint32_t> Ids(const Gazetteer& g, const std::string& text) {
  std::vector<uint32_t> ids;
  for (const std::string& t : Tokens(FoldText(text))) ids.push_back(g.TokenId(t));
  return ids;
}

TEST(TokenizeFoldedTest, SplitsOnPunctuationAndKeepsLetters) {
  EXPECT_EQ(Tokens("riviere-des-prairies, l'ile (quebec)"),
            (std::vector<std::string>{"riviere", "des", "prairies", "l", "ile", "quebec"}));
  EXPECT_EQ(Tokens("u.s. 2024"), (std::vector<std::string>{"u", "s", "2024"}));
  EXPECT_EQ(Tokens("  "), std::vector<std::string>{});
  EXPECT_EQ(Tokens("ørsta «oslo»"), (std::vector<std::string>{"ørsta", "oslo"}));
}

TEST(TokenizeFoldedTest, HonoursTheRange) {
  std::vector<FoldedToken> tokens;
  TokenizeFolded("abc def ghi", 4, 9, &tokens);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].begin, 4u);
  EXPECT_EQ(tokens[0].end, 7u);
  EXPECT_EQ(tokens[1].begin, 8u);
  EXPECT_EQ(tokens[1].end, 9u);  // "g": cut at the range's end
}

TEST(GazetteerTest, CaseAndAccentInsensitive) {
  Gazetteer g;
  ASSERT_TRUE(g.Add("Montréal", 1));
  ASSERT_TRUE(g.Add("Querétaro", 2));
  for (const char* text : {"Montreal", "MONTRÉAL", "montréal"}) {
    auto ids = Ids(g, text);
    Gazetteer::Match m = g.LongestAt(ids.data(), ids.size());
    ASSERT_EQ(m.length, 1u) << text;
    EXPECT_EQ((*m.values)[0], 1u);
  }
  auto ids = Ids(g, "Queretaro");
  EXPECT_EQ(g.LongestAt(ids.data(), ids.size()).length, 1u);
}

TEST(GazetteerTest, LongestMatchFirst) {
  Gazetteer g;
  g.Add("Montréal", 1);
  g.Add("Montréal-Nord", 2);
  g.Add("Latin America", 3);
  g.Add("Latin America and the Caribbean", 4);
  auto ids = Ids(g, "Montréal Nord borough");
  Gazetteer::Match m = g.LongestAt(ids.data(), ids.size());
  EXPECT_EQ(m.length, 2u);
  EXPECT_EQ((*m.values)[0], 2u);

  ids = Ids(g, "Latin America and the Caribbean region");
  std::vector<Gazetteer::Match> all;
  g.MatchesAt(ids.data(), ids.size(), &all);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].length, 5u);
  EXPECT_EQ((*all[0].values)[0], 4u);
  EXPECT_EQ(all[1].length, 2u);

  // A partial path ("Latin America and") is no match of its own.
  ids = Ids(g, "Latin America and Europe");
  EXPECT_EQ(g.LongestAt(ids.data(), ids.size()).length, 2u);
}

TEST(GazetteerTest, MatchesWholeTokensOnly) {
  Gazetteer g;
  g.Add("Latin America", 1);
  g.Add("Nice", 2);
  auto ids = Ids(g, "Latin American Institute");
  EXPECT_EQ(g.LongestAt(ids.data(), ids.size()).length, 0u);
  ids = Ids(g, "Nicest");
  EXPECT_EQ(g.LongestAt(ids.data(), ids.size()).length, 0u);
  EXPECT_EQ(g.TokenId("americ"), Gazetteer::kNoToken);
}

TEST(GazetteerTest, RespectsCountAndKeepsValuesOfEqualNames) {
  Gazetteer g;
  g.Add("New York", 1);
  g.Add("NEW-YORK", 2);  // same tokens, second value
  g.Add("New York", 1);  // repeated: counted once
  EXPECT_EQ(g.name_count(), 2u);
  EXPECT_EQ(g.max_tokens(), 2u);
  auto ids = Ids(g, "New York");
  EXPECT_EQ(g.LongestAt(ids.data(), 1).length, 0u);  // only "new" in range
  Gazetteer::Match m = g.LongestAt(ids.data(), 2);
  ASSERT_EQ(m.length, 2u);
  EXPECT_EQ(*m.values, (std::vector<uint32_t>{1, 2}));
  EXPECT_FALSE(g.Add(" - ", 3));
}

TEST(GazetteerTest, EmptyGazetteerMatchesNothing) {
  Gazetteer g;
  std::vector<uint32_t> ids = {Gazetteer::kNoToken};
  EXPECT_EQ(g.LongestAt(ids.data(), ids.size()).length, 0u);
  std::vector<Gazetteer::Match> all;
  g.MatchesAt(ids.data(), ids.size(), &all);
  EXPECT_TRUE(all.empty());
}

TEST(GazetteerTest, OpensTellsTheWordsANameStartsWith) {
  Gazetteer g;
  ASSERT_TRUE(g.Add("La Paz", 1));
  ASSERT_TRUE(g.Add("Rivière-des-Prairies", 2));
  EXPECT_TRUE(g.Opens(g.TokenId("la")));
  EXPECT_TRUE(g.Opens(g.TokenId("riviere")));
  EXPECT_FALSE(g.Opens(g.TokenId("paz")));  // in a name, opening none
  EXPECT_FALSE(g.Opens(g.TokenId("des")));
  EXPECT_FALSE(g.Opens(g.TokenId("lima")));  // in none
  EXPECT_FALSE(g.Opens(Gazetteer::kNoToken));
}

// TokenizeFolded as it was before ForEachFoldedToken read sixteen bytes at a
// time: a code point at a time, ICU deciding for those not ASCII.
std::vector<FoldedToken> TokensByCodePoint(std::string_view folded, size_t begin, size_t end) {
  std::vector<FoldedToken> out;
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const int32_t n = static_cast<int32_t>(std::min(end, folded.size()));
  int32_t i = static_cast<int32_t>(begin);
  auto word_at = [&](int32_t& at) {
    if (s[at] < 0x80) {
      const uint8_t c = s[at++];
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    }
    UChar32 c;
    U8_NEXT(s, at, n, c);
    return c >= 0 && (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK);
  };
  while (i < n) {
    const int32_t token_begin = i;
    if (!word_at(i)) continue;
    for (;;) {
      if (i >= n) {
        out.push_back({static_cast<size_t>(token_begin), static_cast<size_t>(n)});
        return out;
      }
      const int32_t at = i;
      if (!word_at(i)) {
        out.push_back({static_cast<size_t>(token_begin), static_cast<size_t>(at)});
        break;
      }
    }
  }
  return out;
}

bool SameTokens(const std::vector<FoldedToken>& a, const std::vector<FoldedToken>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k].begin != b[k].begin || a[k].end != b[k].end) return false;
  return true;
}

TEST(TokenizeFoldedTest, SixteenBytesAtATimeCutsAsCodePointByCodePoint) {
  // Pieces that make runs of every length across the sixteen-byte blocks:
  // ASCII words and separators, accented and other scripts' letters, marks,
  // punctuation beyond ASCII, digits, invalid bytes.
  const std::vector<std::string> pieces = {
      "a", "Z", "9", " ", "-", "'", ".", "\n", "word", "Montreal", "12345", "  ", "é", "ü", "ß",
      "\xC3", "\x80", "\xFF", "\xCC\x81", "«", "…", "\xE2\x80\x99", "ж", "中", "٣",
      "\xF0\x9F\x98\x80", "abcdefghijklmnopq", "________________", "x\xC3\xA9y"};
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int count = static_cast<int>(rng() % 40);
    for (int k = 0; k < count; ++k) text += pieces[rng() % pieces.size()];
    const std::string folded = round % 2 ? FoldText(text) : text;  // (raw: any bytes)
    size_t begin = 0, end = folded.size();
    if (round % 3 == 0 && !folded.empty()) {
      begin = rng() % folded.size();
      end = begin + rng() % (folded.size() - begin + 1);
    }
    std::vector<FoldedToken> got;
    TokenizeFolded(folded, begin, end, &got);
    ASSERT_TRUE(SameTokens(got, TokensByCodePoint(folded, begin, end)))
        << "text: " << folded << " [" << begin << ", " << end << ")";
  }
  // A whole document.
  std::string doc;
  for (int k = 0; k < 20000; ++k) doc += pieces[rng() % pieces.size()];
  const std::string folded = FoldText(doc);
  std::vector<FoldedToken> got;
  TokenizeFolded(folded, 0, folded.size(), &got);
  EXPECT_TRUE(SameTokens(got, TokensByCodePoint(folded, 0, folded.size())));
}

}  // namespace
}  // namespace newsevents
