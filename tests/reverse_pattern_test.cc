// ReversePattern and ReverseText: a pattern that ends where a text ends
// matches it exactly when the reversed pattern, anchored, matches the
// reversed text (the event-date `before:` cues are read this way).
#include "pipeline/reverse_pattern.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <re2/set.h>

namespace newsevents {
namespace {

std::string Rev(const std::string& pattern) {
  std::optional<std::string> r = ReversePattern(pattern);
  return r ? *r : "none";
}

TEST(ReversePatternTest, ReadsSequencesBackwards) {
  EXPECT_EQ(Rev(R"(\b(?i:on)\s+(?:the\s+)?$)"), R"(^(?:\s+eht)?\s+(?i:no)\b)");
  EXPECT_EQ(Rev("tenue?s?"), "s?e?unet");
  EXPECT_EQ(Rev("a|bc|(?P<year>\\d{4})x"), "a|cb|x(?:\\d{4})");
  EXPECT_EQ(Rev(R"(\Adé[^.;]{0,40}\z)"), R"(\A[^.;]{0,40}éd\z)");
  EXPECT_EQ(Rev(R"((?:^|\P{L})(?i:à partir de)[ \t\x{00A0}]+\(?$)"),
            R"(^\(?[ \t\x{00A0}]+(?i:ed ritrap à)(?:$|\P{L}))");
  EXPECT_EQ(Rev(R"([]a-c\]]+?x)"), R"(x[]a-c\]]+?)");
  EXPECT_EQ(Rev(R"((?:ab)+?c{2,}(?i:d|ef)[\x{2010}-\x{2015}]$)"),
            R"(^[\x{2010}-\x{2015}](?i:d|fe)c{2,}(?:ba)+?)");
  EXPECT_EQ(Rev(R"(a\{\.(b|)\z)"), R"(\A(?:b|)\.\{a)");
}

TEST(ReversePatternTest, RefusesWhatItCannotReverse) {
  EXPECT_EQ(Rev("(?i)on$"), "none");     // a flag's scope would move
  EXPECT_EQ(Rev("(?m:^on)$"), "none");   // ^ would read line starts
  EXPECT_EQ(Rev(R"(\Qa.b\E$)"), "none");
  EXPECT_EQ(Rev(R"(\C$)"), "none");
  EXPECT_EQ(Rev("a{x$"), "none");
}

TEST(ReverseTextTest, ReversesCodePoints) {
  std::string out;
  ASSERT_TRUE(ReverseText("le 3 déc. à", &out));
  EXPECT_EQ(out, "à .céd 3 el");
  ASSERT_TRUE(ReverseText("", &out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(ReverseText("a\x80" "b", &out));     // a lone continuation byte
  EXPECT_FALSE(ReverseText("a\xC3", &out));         // a cut sequence
  EXPECT_FALSE(ReverseText("\xC3" "a\xA9", &out));  // would pair up reversed
}

// Every window of the multilingual drops that ends at a character: the
// `$`-anchored patterns (forwards, as RE2 reads them) and their reversals
// (one anchored set over the reversed window) agree.
TEST(ReversePatternTest, AgreesWithTheForwardPatternsOnText) {
  const std::vector<std::string> patterns = {
      R"((?:\b(?i:held|took place|met)\b[^.;]{0,40}$)$)",
      R"((?:^(?:(?:Monday|Friday|Mon),?(?:[ \t\x{00A0}])+)?$)$)",
      R"((?:(?:^|\P{L})(?i:depuis|dès|de|à partir de)(?:[ \t\x{00A0}\x{202F}])+$)$)",
      R"((?:\b(?i:on)(?:[ \t])+(?:the(?:[ \t])+)?$)$)",
      R"((?:^(?i:en|durante|del|entre|a fines de)[ \t]+(?:(?i:el|la|los)[ \t]+)?$)$)",
      R"((?:(?:^|\P{L})(?i:publiée?s?|parue?s?|communiqué de presse)(?:[ \t]+(?i:le|en))?[ \t]*\(?$)$)",
      R"((?:\d{4}\)?,?\s*$)$)",
  };
  RE2::Options options;
  options.set_log_errors(false);
  RE2::Set set(options, RE2::ANCHOR_START);
  std::vector<std::unique_ptr<RE2>> forward;
  for (const std::string& p : patterns) {
    std::optional<std::string> r = ReversePattern(p);
    ASSERT_TRUE(r) << p;
    ASSERT_GE(set.Add(*r, nullptr), 0) << *r;
    forward.push_back(std::make_unique<RE2>(p, options));
    ASSERT_TRUE(forward.back()->ok()) << p;
  }
  ASSERT_TRUE(set.Compile());
  size_t windows = 0, hits = 0;
  for (const char* lang : {"en", "fr", "es"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string("tests/data/multilingual/") + lang)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      const std::string text = buf.str();
      std::string backwards;
      for (size_t end = 0; end <= text.size(); end += 3) {
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        size_t begin = end > 120 ? end - 120 : 0;
        while (begin < end && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
        const std::string_view window(text.data() + begin, end - begin);
        ASSERT_TRUE(ReverseText(window, &backwards));
        std::vector<int> which;
        set.Match(backwards, &which);
        std::vector<bool> reversed(patterns.size(), false);
        for (int w : which) reversed[static_cast<size_t>(w)] = true;
        for (size_t k = 0; k < patterns.size(); ++k) {
          const bool matches = RE2::PartialMatch(re2::StringPiece(window.data(), window.size()),
                                                 *forward[k]);
          ASSERT_EQ(matches, reversed[k]) << patterns[k] << " on '" << window << "'";
          hits += matches;
        }
        ++windows;
      }
    }
  }
  EXPECT_GT(windows, 1000u);
  EXPECT_GT(hits, 100u);  // the patterns do match: the test compares something
}

}  // namespace
}  // namespace newsevents
