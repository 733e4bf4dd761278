// MatchableAscii: the characters a pattern's matches may hold. Wrongly
// saying "cannot match" would make RuleScanner skip real matches, so every
// character RE2 is seen to match must be reported.
#include "pipeline/pattern_bytes.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace newsevents {
namespace {

std::string Unmatchable(const std::string& pattern, const std::string& of) {
  const std::bitset<128> b = MatchableAscii(pattern);
  std::string out;
  for (char c : of)
    if (!b[static_cast<unsigned char>(c)]) out += c;
  return out;
}

TEST(PatternBytesTest, ReadsLiteralsClassesAndEscapes) {
  const std::string punct = ".;,:!?-' \n";
  EXPECT_EQ(Unmatchable(R"(\bin[- ]person\b)", punct), ".;,:!?'\n");
  EXPECT_EQ(Unmatchable(R"(by\s+[^.;\n]{1,120}?\s+to)", punct), ".;");
  EXPECT_EQ(Unmatchable(R"(\d{1,3}(?:[.,]\d{3})+)", punct), ";:!?-' \n");
  EXPECT_EQ(Unmatchable(R"((?:[^\s.,;]+\s+){0,6}?as)", punct), ".;,");
  EXPECT_EQ(Unmatchable(R"(x\.y\ z\-w)", punct), ";,:!?'\n");
  EXPECT_EQ(Unmatchable(R"(\Q.;\E)", ".;,"), ",");
  EXPECT_EQ(Unmatchable(R"(\x{2E}\x3B)", ".;,"), ",");
  EXPECT_EQ(Unmatchable(R"((?P<n>a)(?i:b)(?i)c)", "<>:?()"), "<>:?()");
  EXPECT_EQ(Unmatchable(R"(a{2,3})", "{},23"), "{},23");
  EXPECT_EQ(Unmatchable(R"(a{,3})", "{},3"), "");  // not a repetition: literal
  EXPECT_EQ(Unmatchable(R"([]a][a-c-])", "]-."), ".");
  EXPECT_EQ(Unmatchable(R"([^a-z])", ".;"), "");
}

TEST(PatternBytesTest, WhatItDoesNotReadMatchesEverything) {
  // Not read (octal, a back-reference): every character.
  for (const char* p : {R"(\123)", R"((a)\1)"}) EXPECT_EQ(Unmatchable(p, ".;,\n"), "") << p;
  // Read, and able to match them all.
  for (const char* p : {R"(a.b)", R"([[:alpha:]])", R"(\P{L})", R"(\C)", R"(\W)", R"(\D)", R"([\W])"})
    EXPECT_EQ(Unmatchable(p, ".;,\n"), "") << p;
}

// The complements of \s, \d, \w and the letters of \p{L} (the tree of
// pattern_tree.h, as RuleCue reads it).
TEST(PatternBytesTest, ReadsComplementsAndLetterClasses) {
  EXPECT_EQ(Unmatchable(R"(\S+)", ".;,\n "), "\n ");  // \s is [\t\n\f\r ]
  EXPECT_EQ(Unmatchable(R"(\W)", "a_9. "), "_9");  // letters always count
  EXPECT_EQ(Unmatchable(R"(\D)", "_9. "), "9");
  EXPECT_EQ(Unmatchable(R"([^\D])", "_9. "), "_. ");
  EXPECT_EQ(Unmatchable(R"(\pL\p{Lu})", ".;,\n"), ".;,\n");
  EXPECT_EQ(Unmatchable(R"(\Qa.b\E+c)", ".;+\\"), ";+\\");
}

TEST(PatternBytesTest, LettersAlwaysCount) {
  EXPECT_EQ(Unmatchable("x", "aAkKsSzZ"), "");
}

// Every character of every match RE2 finds on random texts is reported.
TEST(PatternBytesTest, CoversWhatRe2Matches) {
  const std::vector<std::string> patterns = {
      R"(\bin[- ]person\b)",
      R"(\b\d{1,3}(?:[.,]\d{3})+\b)",
      R"(\bby\s+[^.;\n]{1,12}?\s+to\b)",
      R"((?:[^\s.,;]+\s+){0,3}as\b)",
      R"([]a-c-]+)",
      R"([^\w\s]+)",
      R"(\Q.;\E|\x{2C})",
      R"(a{,2}|b{1,2})",
      R"((?i)k\x{212A}?s)",
      R"(\W\D+\S)",
      R"(\pL+[^\d\s]|\P{L}\Q;.\E?)",
  };
  const std::string alphabet = "ab cdeinprsotyk,.;:-]{}\n1234";
  uint64_t seed = 11;
  for (const std::string& pattern : patterns) {
    const RE2 re("(" + pattern + ")");
    ASSERT_TRUE(re.ok()) << pattern;
    const std::bitset<128> matchable = MatchableAscii(pattern);
    for (int t = 0; t < 3000; ++t) {
      std::string text;
      for (int i = 0; i < 16; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        text += alphabet[(seed >> 33) % alphabet.size()];
      }
      re2::StringPiece input(text), m;
      while (RE2::FindAndConsume(&input, re, &m)) {
        for (char c : m)
          EXPECT_TRUE(matchable[static_cast<unsigned char>(c)])
              << pattern << " matched '" << c << "' in " << text;
        if (m.empty()) break;
      }
    }
  }
}

}  // namespace
}  // namespace newsevents
