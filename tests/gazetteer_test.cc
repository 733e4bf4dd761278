#include "pipeline/gazetteer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace newsevents
