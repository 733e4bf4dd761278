#include "pipeline/rule_file.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <string>
#include <vector>

namespace newsevents {
namespace {

TEST(AnchoredAtStart, EveryTopLevelBranchMustStartWithACaret) {
  EXPECT_TRUE(AnchoredAtStart("^(?:thanks|merci)\\b"));
  EXPECT_TRUE(AnchoredAtStart("^(?:https?://|www\\.)\\S+$|^\\S+@\\S+\\.\\w+$"));
  EXPECT_FALSE(AnchoredAtStart("\\b(?:here|ici)\\s*[.:!]?$"));
  EXPECT_FALSE(AnchoredAtStart("^a|b"));   // b matches anywhere
  EXPECT_FALSE(AnchoredAtStart("^a|"));    // so does the empty branch
  EXPECT_FALSE(AnchoredAtStart("(?:^a)"));  // anchored, but not read that deep: left unanchored
  EXPECT_FALSE(AnchoredAtStart(""));
}

TEST(AnchoredAtStart, BarsInsideGroupsClassesAndEscapesAreNotBranches) {
  EXPECT_TRUE(AnchoredAtStart("^(?:a|b)c"));
  EXPECT_TRUE(AnchoredAtStart("^[|(]x|^y"));
  EXPECT_TRUE(AnchoredAtStart("^[]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^[^]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^[[:alpha:]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^a\\|b"));
  EXPECT_TRUE(AnchoredAtStart("^a\\)|^b"));
  EXPECT_FALSE(AnchoredAtStart("^\\Qa|b\\E"));  // quoted text is not read: left unanchored
}

// What the split relies on: a set anchored at the start finds exactly the
// patterns an unanchored one finds, when each of them is AnchoredAtStart.
TEST(AnchoredAtStart, AStartAnchoredSetAgreesWithAnUnanchoredOne) {
  const std::vector<std::string> patterns = {"^(?:thanks|merci)\\b", "^\\d{4}\\s*:?$",
                                             "^(?:\\S+\\s+){0,2}(?:may|june)\\b"};
  RE2::Set anchored(RulePatternOptions(), RE2::ANCHOR_START);
  RE2::Set unanchored(RulePatternOptions(), RE2::UNANCHORED);
  for (const std::string& p : patterns) {
    ASSERT_TRUE(AnchoredAtStart(p)) << p;
    ASSERT_GE(anchored.Add(p, nullptr), 0);
    ASSERT_GE(unanchored.Add(p, nullptr), 0);
  }
  ASSERT_TRUE(anchored.Compile());
  ASSERT_TRUE(unanchored.Compile());
  for (const char* text : {"thanks to all", "2023", "2023 in review", "in early may we met",
                           "we met in may", "say thanks", "merci"}) {
    std::vector<int> a, u;
    anchored.Match(text, &a);
    unanchored.Match(text, &u);
    std::sort(a.begin(), a.end());
    std::sort(u.begin(), u.end());
    EXPECT_EQ(a, u) << text;
  }
}

}  // namespace
}  // namespace newsevents
