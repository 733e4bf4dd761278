// DateGrammar's cue gating: finding dates through the rules' cue words
// (matched anchored at a cue, or searched for only in stretches holding one)
// must find exactly what searching every stretch for every rule finds.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/date_grammar.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

std::string Describe(std::string_view text, const std::vector<FoundDate>& found) {
  std::string out;
  for (const FoundDate& f : found) {
    out += std::to_string(f.span.begin) + "-" + std::to_string(f.span.end) + "/" +
           std::to_string(f.match.begin) + "-" + std::to_string(f.match.end) + " '" +
           std::string(text.substr(f.span.begin, f.span.size())) + "' " + FormatRuleValue(f.start) +
           (f.end ? "/" + FormatRuleValue(*f.end) : "") + " " + f.precision + " w" +
           std::to_string(f.weekday) + " " + std::string(f.rule) + "\n";
  }
  return out;
}

// The example and counter texts of a language's date rules, and the
// multilingual test items: dates in every form the rules read, and near misses.
std::vector<std::string> Samples(const std::string& lang) {
  std::vector<std::string> out;
  for (const RuleBlock& b : ParseRuleFile("rules/" + lang + "/dates.rules")) {
    for (const char* key : {"example", "counter"})
      for (const RuleField* f : b.GetAll(key)) {
        std::string text = f->value;
        if (std::string(key) == "example") {
          text = text.substr(0, text.rfind(" => "));
          text.erase(std::remove(text.begin(), text.end(), '['), text.end());
          text.erase(std::remove(text.begin(), text.end(), ']'), text.end());
        }
        out.push_back(text);
      }
  }
  const fs::path data = fs::path("tests/data/multilingual") / lang;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(data))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

class DateCueTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DateCueTest, SameDatesAsSearchingEveryStretchForEveryRule) {
  const std::string lang = GetParam();
  DateGrammar grammar(".", lang);
  // Most rules of the language have a cue: gating is in effect.
  EXPECT_GE(2 * grammar.cued_rule_count(), grammar.rule_count()) << lang;

  std::vector<std::string> samples = Samples(lang);
  ASSERT_GE(samples.size(), 40u);
  std::vector<std::string> texts = samples;
  // Samples run together (a date's context is the text around it), cut at
  // odd places, in upper case, with spaces that are not ASCII.
  std::mt19937 rng(7);
  for (int round = 0; round < 60; ++round) {
    std::string text;
    for (int k = 0; k < 6; ++k) {
      const std::string& s = samples[rng() % samples.size()];
      const size_t from = rng() % 3 == 0 ? rng() % (s.size() + 1) : 0;
      text += s.substr(from);
      static const char* const kJoins[] = {" ", "\n", ". ", ", ", "; ", " \xC2\xA0", "-", ""};
      text += kJoins[rng() % 8];
    }
    if (round % 7 == 3)
      std::transform(text.begin(), text.end(), text.begin(),
                     [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
    texts.push_back(std::move(text));
  }
  size_t dates = 0;
  for (const std::string& text : texts) {
    const std::string expected = Describe(text, grammar.FindUncued(text));
    dates += static_cast<size_t>(std::count(expected.begin(), expected.end(), '\n'));
    EXPECT_EQ(Describe(text, grammar.Find(text)), expected) << text;
  }
  EXPECT_GE(dates, 200u);  // the texts hold dates of many rules
}

TEST_P(DateCueTest, ATextTheCueLookUpCannotReadIsSearchedWhole) {
  // U+212A KELVIN SIGN: the ASCII look-up does not see what (?i:k) matches.
  DateGrammar grammar(".", GetParam());
  const std::string text = "\xE2\x84\xAA 12 March 2023, 2024-05-06 and 1999.";
  EXPECT_EQ(Describe(text, grammar.Find(text)), Describe(text, grammar.FindUncued(text)));
}

TEST_P(DateCueTest, ManyCandidatesResolveAsAFewDo) {
  // Resolve checks an item's few candidates (64 or fewer) against the kept
  // dates in turn and a text's many through a map: a sample alone and the
  // same sample copied 70 times must give each copy the same dates. The
  // copies stand between runs of 100 line breaks, longer than any context a
  // rule reads, so that every copy sees what the sample alone sees.
  DateGrammar grammar(".", GetParam());
  const std::string breaks(100, '\n');
  size_t compared = 0;
  for (const std::string& sample : Samples(GetParam())) {
    if (sample.size() > 400) continue;  // the test items: many dates already
    const std::string alone = breaks + sample + breaks;
    const std::vector<FoundDate> one = grammar.Find(alone);
    if (one.empty()) continue;
    std::string joined = breaks;
    for (int k = 0; k < 70; ++k) joined += sample + breaks;
    const std::vector<FoundDate> many = grammar.Find(joined);
    ASSERT_EQ(many.size(), 70 * one.size()) << sample;
    const size_t stride = sample.size() + breaks.size();
    for (size_t k = 0; k < 70; ++k) {
      std::vector<FoundDate> copy(many.begin() + static_cast<long>(k * one.size()),
                                  many.begin() + static_cast<long>((k + 1) * one.size()));
      for (FoundDate& f : copy) {
        f.span.begin -= k * stride;
        f.span.end -= k * stride;
        f.match.begin -= k * stride;
        f.match.end -= k * stride;
      }
      ASSERT_EQ(Describe(alone, copy), Describe(alone, one)) << sample << " copy " << k;
    }
    ++compared;
  }
  EXPECT_GE(compared, 30u);
}

INSTANTIATE_TEST_SUITE_P(Languages, DateCueTest, ::testing::Values("en", "fr", "es"));

}  // namespace
}  // namespace newsevents
