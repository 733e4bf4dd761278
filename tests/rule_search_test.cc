// RuleCue and RuleSearch: the cue read from a pattern, and every rule's
// matches found through the cues exactly as RE2 finds them searching the
// whole text for each rule, match after match.
#include "pipeline/rule_search.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/rule_cue.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_scanner.h"
#include "tests/xorshift.h"

namespace newsevents {
namespace {

std::string Cue(const std::string& pattern, const CueReading& reading = {}) {
  const RuleCues cues = FindRuleCues(pattern, reading);
  const std::optional<RuleCue>& cue = cues.opening ? cues.opening : cues.rarest;
  if (!cue) return "none";
  std::string out = cue->at_start ? "start:" : "inside:";
  for (const std::string& p : cue->prefixes) out += " [" + p + "]";
  return out;
}

TEST(RuleCueTest, ReadsTheWordAMatchStartsWithOrHolds) {
  EXPECT_EQ(Cue(R"(\b(?:Ms|Dr|Mayor)\.?\s+(?P<name>\p{Lu}\p{Ll}+))"),
            "start: [dr] [dr.] [mayor] [mayor.] [ms] [ms.]");
  EXPECT_EQ(Cue(R"(\b(?:[Ii]n partnership with|[Ff]unded by)(?: the)? (?P<list>\p{Lu}[^.]*))"),
            "start: [funded by ] [funded by the ] [in partnership with]");
  EXPECT_EQ(Cue(R"(\b(?:l'organisation|la ONG) (?P<name>\p{Lu}\w+))"), "start: [l'organisation ] [la ong ]");
  // The role after a name: inside the match, after a space.
  EXPECT_EQ(Cue(R"((?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,3}),\s+(?:(?:the|a)\s+)?(?i:director|rector)\b)"),
            "inside: [director] [rector]");
  // Inside a group: "police" after a literal space.
  EXPECT_EQ(Cue(R"((?:\p{Ll}|,) (?P<name>\p{Lu}\p{Ll}+ police)\b)"), "inside: [police]");
  // The longest shortest prefix wins among the candidates inside.
  EXPECT_EQ(Cue(R"((?:\p{Ll}+) en (?:el|la) (?P<name>(?:Foro|Cumbre) \p{Lu}))"), "inside: [cumbre ] [foro ]");
}

std::string Tail(const std::string& pattern) {
  const std::optional<RuleCue> cue = FindRuleCue(pattern);
  if (!cue) return "no cue";
  return cue->tail_bytes ? std::to_string(*cue->tail_bytes) : "unbounded";
}

TEST(RuleCueTest, TailBytesBoundWhereAMatchEndsAfterItsCue) {
  // The role ends the match: its longest spelling, \b taking no byte.
  EXPECT_EQ(Tail(R"((?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,3}),\s+(?:(?:the|a)\s+)?(?i:director|rector)\b)"),
            "8");
  // A character beyond ASCII counts as 4 bytes; a bounded repeat as its most.
  EXPECT_EQ(Tail("\\p{Lu}\\p{Ll}+, (?i:directrice|secr\xC3\xA9taire)\\b"), "13");
  // "polic" 5, [ií] 4, "a" 1, the period 1, two of [ ,] 2.
  EXPECT_EQ(Tail(R"(\p{Lu}\p{Ll}+ (?:police|polic[ií]a)\.?[ ,]{0,2})"), "13");
  // What follows the cue may go on without bound, or assert the end.
  EXPECT_EQ(Tail(R"(\p{Lu}\p{Ll}+, (?i:director) \p{L}+)"), "unbounded");
  EXPECT_EQ(Tail(R"(\p{Lu}\p{Ll}+, (?i:director)$)"), "unbounded");
  EXPECT_EQ(Tail(R"(\p{Lu}\p{Ll}+, (?i:director)\z)"), "unbounded");
  // A cue that opens the match is matched where it is: no bound is needed.
  EXPECT_EQ(Tail(R"(\b(?:Ms|Dr)\.?\s+\p{Lu}\p{Ll}+)"), "unbounded");
}

std::string Head(const std::string& pattern) {
  const std::optional<RuleCue> cue = FindRuleCue(pattern);
  if (!cue) return "no cue";
  return cue->head_bytes ? pattern.substr(0, *cue->head_bytes) : "none";
}

TEST(RuleCueTest, HeadBytesAreThePatternBeforeATopLevelCue) {
  // The role: a top-level element, in a flag group around a group.
  EXPECT_EQ(Head(R"((?P<name>\p{Lu}\p{Ll}+),\s+(?:the\s+)?(?i:(?:director|rector))\b)"),
            R"((?P<name>\p{Lu}\p{Ll}+),\s+(?:the\s+)?)");
  // A cue inside a group is no place to cut the pattern.
  EXPECT_EQ(Head(R"((?:\p{Ll}|,) (?P<name>\p{Lu}\p{Ll}+ police)\b)"), "none");
  // What follows the cue does not matter; a cue that opens the match has
  // no part before it.
  EXPECT_EQ(Head(R"(\p{Lu}\p{Ll}+, (?i:director|rector) \p{L}+)"), R"(\p{Lu}\p{Ll}+, )");
  EXPECT_EQ(Head(R"(\b(?:Ms|Dr)\.?\s+\p{Lu}\p{Ll}+)"), "none");
}

TEST(RuleCueTest, HeadCharsAreTheBytesBeforeTheCue) {
  const std::optional<RuleCue> cue =
      FindRuleCue(R"((?P<name>\p{Lu}[\p{L}'-]+),\s+(?:the\s+)?(?i:(?:director|rector))\b)");
  ASSERT_TRUE(cue && cue->head_bytes);
  for (char c : std::string("aZ'-, \t\n\xC3\xA9")) EXPECT_TRUE(cue->head_chars.test(static_cast<unsigned char>(c))) << c;
  // \p{L} holds no digit nor punctuation of ASCII.
  for (char c : std::string(".;:()3_\"")) EXPECT_FALSE(cue->head_chars.test(static_cast<unsigned char>(c))) << c;
  // \P{L} may hold any of them; letters in both cases under (?i).
  const std::optional<RuleCue> other = FindRuleCue(R"(\P{L}(?i:x), (?:director|rector)\b)");
  ASSERT_TRUE(other && other->head_bytes);
  for (char c : std::string(".3xX")) EXPECT_TRUE(other->head_chars.test(static_cast<unsigned char>(c))) << c;
}

TEST(RuleCueTest, NoCueWhereAWordCharacterMayComeBefore) {
  // No \b: "Mr" may end a longer word.
  EXPECT_EQ(Cue(R"((?:Mr|Dr)\s+\p{Lu})"), "none");
  // "Marie\s*directrice": the role may follow a word character.
  EXPECT_EQ(Cue(R"(\p{Lu}\p{Ll}+\s*(?i:directrice|directeur)\b)"), "none");
  // After ",\s+", a word starts: an optional article or the role itself.
  EXPECT_EQ(Cue(R"(\p{Lu}\p{Ll}+,\s+(?:(?:la|le)\s*)?(?i:directrice|directeur)\b)"),
            "inside: [directeur] [directrice] [la] [le]");
  // "an?": "a" or "an", each going on with what follows.
  EXPECT_EQ(Cue(R"(\b(?:the|an?) (?:charity|NGO) (?P<name>\p{Lu}))"),
            "start: [a charity ] [a ngo ] [an charity ] [an ngo ] [the charity ] [the ngo ]");
  // A class that may start with anything, an optional word, a top-level
  // alternation (unless the caller reads them), a syntax the reader does not
  // know.
  EXPECT_EQ(Cue(R"(\b\p{Lu}\p{Ll}+ \d+)"), "none");
  EXPECT_EQ(Cue(R"(\b(?:Mr)?\s*\p{Lu})"), "none");
  EXPECT_EQ(Cue(R"(\bMr \p{Lu}|\bDr \p{Lu})"), "none");
  EXPECT_EQ(Cue(R"(\bMr\056 \p{Lu})"), "none");  // octal
  // A word starting with a letter beyond ASCII: never a word start for \b.
  EXPECT_EQ(Cue(R"(\b(?:École|Mr) \p{Lu})"), "none");
}

TEST(RuleCueTest, ATopLevelAlternationHasTheCuesOfAllItsBranchesWhenAskedFor) {
  const CueReading branches{.alternation = true};
  EXPECT_EQ(Cue(R"(\bvisits?\b|\bvisited\b|\bwelcom(?:ed|ing) (?:a|the) delegation\b)", branches),
            "start: [visit] [visited] [visits] [welcomed a delegation] [welcomed the delegation] "
            "[welcoming a delegation] [welcoming the delegation]");
  EXPECT_EQ(Cue(R"(\bvisits?\b|\bvisited\b)"), "none");
  // One branch's cue lies inside its match: the whole's cue is not at the start.
  EXPECT_EQ(Cue(R"(\bMr \p{Lu}|\p{Lu}\p{Ll}+, (?:director|mayor)\b)", branches),
            "inside: [director] [mayor] [mr ]");
  // A branch without a cue: none for the whole.
  EXPECT_EQ(Cue(R"(\bMr \p{Lu}|\p{Lu}\p{Ll}+ \d+)", branches), "none");
}

TEST(RuleCueTest, ADigitClassIsACueWhenAskedFor) {
  EXPECT_EQ(Cue(R"(\b\d+ participants\b)"), "inside: [participants]");
  EXPECT_EQ(Cue(R"(\b\d+ participants\b)", CueReading{.digits = true}),
            "start: [0] [1] [2] [3] [4] [5] [6] [7] [8] [9]");
}

TEST(RuleCueTest, ReadsHexEscapes) {
  // The spaces of date rules ([ \t\x{00A0}]) end a cue word like a space.
  EXPECT_EQ(Cue(R"(\b(?:Jan|Feb)\b\.?[ \t\x{00A0}\x{202F}]+\d)"), "start: [feb] [feb.] [jan] [jan.]");
  EXPECT_EQ(Cue(R"(\b\x41pril\x20\d)"), "start: [april ]");
  // A class ranging between escapes: beyond ASCII, it ends a word; holding
  // digits, it may not.
  EXPECT_EQ(Cue(R"([\x{2010}-\x{2015}]May\b)"), "inside: [may]");
  EXPECT_EQ(Cue(R"([\x{30}-\x{39}]May\b)"), "none");
  EXPECT_EQ(Cue(R"([\x{30}-\x39]+ May\b)"), "inside: [may]");
  EXPECT_EQ(Cue(R"(\b\x{41)"), "none");
}

std::string HeadWords(const std::string& pattern) {
  const RuleCues cues = FindRuleCues(pattern, CueReading{.alternation = true, .digits = true});
  if (!cues.rarest) return "no cue";
  return cues.rarest->head_words ? std::to_string(*cues.rarest->head_words) : "unbounded";
}

TEST(RuleCueTest, HeadWordsBoundTheWordsBeforeTheRarestCue) {
  EXPECT_EQ(HeadWords(R"(\b(?:(?:a|de|ont)\s+){0,2}organise)"), "2");
  // "a été" starts two words ("é" is no word byte), "l'honneur d'" three.
  EXPECT_EQ(HeadWords("\\b(?:(?:a \xC3\xA9t\xC3\xA9|l'honneur d')\\s*){0,2}organise"), "6");
  EXPECT_EQ(HeadWords(R"(\b\d+ participants)"), "1");
  EXPECT_EQ(HeadWords(R"(\b\d+(?:[,.]\d{3})* participants)"), "unbounded");
  EXPECT_EQ(HeadWords(R"(\bwe (?:[^\s.;]+ ){0,3}hosted)"), "unbounded");
  EXPECT_EQ(HeadWords(R"(\bwe (?:\w+ ){0,3}hosted)"), "4");
  EXPECT_EQ(HeadWords(R"(\bworkshops?\b)"), "0");
  // A top-level alternation: the most of its branches.
  EXPECT_EQ(HeadWords(R"(\bin (?:a )?hybrid format\b|\bhybrid\b)"), "2");
}

bool WholeWords(const std::string& pattern) {
  const RuleCues cues = FindRuleCues(pattern, CueReading{.alternation = true, .digits = true});
  return cues.opening && cues.opening->whole_words;
}

TEST(RuleCueTest, WholeWordsAreMatchesTheOpeningCueSpells) {
  EXPECT_TRUE(WholeWords(R"(\bmeetings?\b)"));
  EXPECT_TRUE(WholeWords(R"(\b(?:round ?tables?|panels?)\b)"));
  EXPECT_TRUE(WholeWords(R"(\b[Mm]eeting\b)"));
  EXPECT_FALSE(WholeWords(R"(\bin[- ]person\b)"));  // [- ] is read as a stop, not two joiners
  EXPECT_TRUE(WholeWords(R"(\bvisits?\b|\bvisited\b)"));
  EXPECT_FALSE(WholeWords(R"(\bmeetings?)"));             // may go on as a longer word
  EXPECT_FALSE(WholeWords(R"(\bonline\s+talks?\b)"));     // \s+: more than the prefixes
  EXPECT_FALSE(WholeWords(R"(\bMeeting\b)"));            // folded text has no "M"
  EXPECT_FALSE(WholeWords(R"(\bmeet\b(?:ing)?\b)"));      // an assertion inside
  EXPECT_FALSE(WholeWords(R"(\b\d+ participants\b)"));
  EXPECT_FALSE(WholeWords(R"(\bvisits?\b|\bvisit\w+)"));  // one branch is not
}

TEST(RuleCueTest, TheOpeningCueAndTheRarestOne) {
  // "the" opens the match; the season names are rarer (longer).
  const RuleCues cues = FindRuleCues(R"(\b(?i:the)[ \x{00A0}]+(?P<season>(?i:spring|summer))\b)");
  ASSERT_TRUE(cues.opening && cues.rarest);
  EXPECT_TRUE(cues.opening->at_start);
  EXPECT_EQ(cues.opening->prefixes, std::vector<std::string>({"the"}));
  EXPECT_FALSE(cues.rarest->at_start);
  EXPECT_EQ(cues.rarest->prefixes, std::vector<std::string>({"spring", "summer"}));
  // FindRuleCue keeps the opening one.
  EXPECT_EQ(Cue(R"(\b(?i:the)[ \x{00A0}]+(?P<season>(?i:spring|summer))\b)"), "start: [the]");
  // When the opening cue is the rarest, both are it.
  const RuleCues year = FindRuleCues(R"(\b(?:19[0-9]{2}|20[0-9]{2})\b)");
  ASSERT_TRUE(year.opening && year.rarest);
  EXPECT_TRUE(year.rarest->at_start);
  EXPECT_EQ(year.rarest->prefixes, year.opening->prefixes);
}

// A match as "rule:begin-size:begin-size...", "-" for a group not taken.
std::string Describe(size_t rule, std::string_view text, const re2::StringPiece* g, int n) {
  std::string m = std::to_string(rule);
  for (int k = 0; k < n; ++k) {
    m += ':';
    if (!g[k].data()) {
      m += '-';
      continue;
    }
    m += std::to_string(g[k].data() - text.data());
    m += '-';
    m += std::to_string(g[k].size());
  }
  return m;
}

// Every match of each rule, searched for from the text's start and again
// after each match.
std::vector<std::string> Naive(const std::vector<std::unique_ptr<RuleMatcher>>& rules,
                               std::string_view text) {
  std::vector<std::string> out;
  for (size_t r = 0; r < rules.size(); ++r) {
    const RE2& re = rules[r]->re();
    const int n = re.NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> g(static_cast<size_t>(n));
    size_t pos = 0;
    while (pos <= text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, g.data(), n)) {
      out.push_back(Describe(r, text, g.data(), n));
      pos = static_cast<size_t>(g[0].data() - text.data()) + std::max<size_t>(g[0].size(), 1);
    }
  }
  return out;
}

std::vector<std::string> Searched(const RuleSearch& search,
                                  const std::vector<std::unique_ptr<RuleMatcher>>& rules,
                                  std::string_view text) {
  std::vector<std::string> out;
  search.ForEachMatch("en", text, [&](size_t r, const re2::StringPiece* g) {
    out.push_back(Describe(r, text, g, rules[r]->re().NumberOfCapturingGroups() + 1));
  });
  return out;
}

TEST(OpeningGroupEndTest, TheByteAfterAnOpeningGroupThatCannotHoldIt) {
  EXPECT_EQ(OpeningGroupEnd(R"((?P<name>\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,3}),\s+(?i:director)\b)"),
            std::optional<char>(','));
  EXPECT_EQ(OpeningGroupEnd(R"(([A-Z]\w+);x)"), std::optional<char>(';'));
  EXPECT_EQ(OpeningGroupEnd(R"((?P<name>[^;]+);)"), std::optional<char>(';'));
  EXPECT_EQ(OpeningGroupEnd(R"((?P<name>[\w,]+),x)"), std::nullopt);  // the group may hold a comma
  EXPECT_EQ(OpeningGroupEnd(R"((?P<name>.+),x)"), std::nullopt);
  EXPECT_EQ(OpeningGroupEnd(R"((?:\w+),x)"), std::nullopt);   // captures nothing
  EXPECT_EQ(OpeningGroupEnd(R"((?i:\w+),x)"), std::nullopt);
  EXPECT_EQ(OpeningGroupEnd(R"((?P<a>\d+)x)"), std::nullopt);  // a letter: (?i) could make it two
  EXPECT_EQ(OpeningGroupEnd(R"((?P<a>\d+)[,;])"), std::nullopt);
  EXPECT_EQ(OpeningGroupEnd(R"(\b(?P<a>\d+),)"), std::nullopt);  // the group does not open it
  EXPECT_EQ(OpeningGroupEnd(R"((?P<a>\d+)+,)"), std::nullopt);
  EXPECT_EQ(OpeningGroupEnd(R"((?P<a>\d+))"), std::nullopt);
}

TEST(AnchoredAtStartTest, EveryTopLevelBranchMustStartWithACaret) {
  EXPECT_TRUE(AnchoredAtStart("^(?:thanks|merci)\\b"));
  EXPECT_TRUE(AnchoredAtStart("^(?:https?://|www\\.)\\S+$|^\\S+@\\S+\\.\\w+$"));
  EXPECT_FALSE(AnchoredAtStart("\\b(?:here|ici)\\s*[.:!]?$"));
  EXPECT_FALSE(AnchoredAtStart("^a|b"));   // b matches anywhere
  EXPECT_FALSE(AnchoredAtStart("^a|"));    // so does the empty branch
  EXPECT_TRUE(AnchoredAtStart("(?:^a)"));
  EXPECT_TRUE(AnchoredAtStart("\\Aabc"));
  EXPECT_FALSE(AnchoredAtStart("(?m)^a"));  // multi-line: ^ also starts lines
  EXPECT_FALSE(AnchoredAtStart(""));
}

TEST(AnchoredAtStartTest, BarsInsideGroupsClassesAndEscapesAreNotBranches) {
  EXPECT_TRUE(AnchoredAtStart("^(?:a|b)c"));
  EXPECT_TRUE(AnchoredAtStart("^[|(]x|^y"));
  EXPECT_TRUE(AnchoredAtStart("^[]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^[^]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^[[:alpha:]|]x"));
  EXPECT_TRUE(AnchoredAtStart("^a\\|b"));
  EXPECT_TRUE(AnchoredAtStart("^a\\)|^b"));
  EXPECT_TRUE(AnchoredAtStart("^\\Qa|b\\E"));  // a quoted bar is a character
  EXPECT_FALSE(AnchoredAtStart("^\\Qa\\E|b"));
}

// What the split relies on: a set anchored at the start finds exactly the
// patterns an unanchored one finds, when each of them is AnchoredAtStart.
TEST(AnchoredAtStartTest, AStartAnchoredSetAgreesWithAnUnanchoredOne) {
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

TEST(RuleSearchTest, SameMatchesAsSearchingForEachRule) {
  const std::vector<std::string> patterns = {
      R"(\b(?:Ms|Mr|Mrs|Dr|Mayor)\.?\s+(?P<name>\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}))",
      R"((?P<name>\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){1,3}),\s+(?:(?:the|our)\s+)?(?:[\p{L}'-]+\s+){0,3}?(?i:director|keynote speaker|spokesperson)\b)",
      R"(\b(?:[Ii]n partnership with|[Hh]osted by)(?: the)? (?P<list>\p{Lu}[^.;:()\n]*))",
      R"((?:\p{Ll}|,) (?P<name>\p{Lu}\p{Ll}+ police)\b)",
      R"(\b(?:l'organisation|the company) (?P<name>\p{Lu}[\p{L}&'-]+))",
      R"(\p{Lu}{2,}\b)",  // no cue: searched as before
  };
  std::vector<std::unique_ptr<RuleMatcher>> rules;
  RuleSearch search;
  for (size_t r = 0; r < patterns.size(); ++r) {
    rules.push_back(std::make_unique<RuleMatcher>(patterns[r], "test", 1));
    search.Add("en", patterns[r], rules.back().get(), r, "test", 1);
  }
  search.Compile("test");
  const std::vector<std::string> texts = {
      "Mayor Valerie Plante and Dr. Jane Doe met Mrs Ann Lee and ex-Mayor Bob Ray. "
      "Kassa Bourne, the Director of Admin; Eve Lee, our keynote speaker.",
      "In partnership with United Cities and Habitat Norway, hosted by the ICPC. "
      "according to Montreal police, 33; l'organisation Fixed and the company AT&T",
      "MrX Dr.Jane Ms\nJane Doe, SPOKESPERSON; MAYOR Bob Lee, director",
      // U+212A KELVIN SIGN and U+017F LONG S, which (?i:k) and (?i:s) match.
      "Ann Lee, \u212Aeynote speaker; Bo Li, \u017Fpokesperson; Mr Jo Mo",
      "Mme Zoé Cáceres—l’organisation Élan, the company Æon; Québec police, x",
      // Roles early and late, a role word going on as a longer word, a name
      // after the last role: the search for the role rule stops at the last
      // role word and must find what searching the whole text finds.
      "Ann Lee, director, and Bob Ray, the keynote speaker at Habitat, met Carl Moe, directorate "
      "staff; Dee Fay Gee, our spokesperson. Then Eve Lee, spokespersons and Fay Gee, director",
      "Ann Lee, director\nBob Ray, Director of Plans, and later Kim Lo and Jo Ma, directors",
      // Two role words inside one match (the name holds one): its groups are
      // read over the whole match.
      "Director Lee Ray, director; Ann Spokesperson Lee, the new spokesperson. Zoé Lée, director",
      // A search starts after the last byte before a role that a name cannot
      // hold: digits, brackets, periods.
      "In 2020 (Ann Lee, director) met 3Bob Ray, director.Kim Lo, spokesperson",
      "",
  };
  size_t matches = 0;
  for (const std::string& t : texts) {
    const std::vector<std::string> expected = Naive(rules, t);
    matches += expected.size();
    EXPECT_EQ(Searched(search, rules, t), expected) << t;
  }
  EXPECT_GE(matches, 15u);  // the texts exercise the rules
}

// The organization rules of every language (most of them matched anchored
// at their cue words, where their start bytes are checked first) on their
// examples and on random texts of their words, near misses ("police" for
// "Policía", "in the city" for "in the Gazette article") and capitals:
// the same matches as searching the whole text for each rule.
TEST(RuleSearchTest, OrganizationRulesFindWhatTheSearchFinds) {
  std::vector<std::unique_ptr<RuleMatcher>> rules;
  RuleSearch search;
  std::vector<std::string> texts;
  size_t anchored = 0;
  for (const char* lang : {"en", "fr", "es"}) {
    std::ifstream in(std::string("rules/") + lang + "/organizations.rules");
    ASSERT_TRUE(in) << lang;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("example: ", 0) == 0) texts.push_back(line.substr(9, line.find(" => ") - 9));
      if (line.rfind("pattern: ", 0) != 0) continue;
      const std::string pattern = line.substr(9);
      const RuleCues cues = FindRuleCues(pattern);
      anchored += cues.opening && cues.opening->at_start;
      rules.push_back(std::make_unique<RuleMatcher>(pattern, "test", 1));
      search.Add("en", pattern, rules.back().get(), rules.size() - 1, "test", 1);
    }
  }
  search.Compile("test");
  ASSERT_GE(rules.size(), 25u);
  EXPECT_GE(anchored, 15u);
  const std::vector<std::string> words = {
      "Policía", "police", "Police", "policía", "de", "del", "Nacional", "Municipal", "Bogotá", "the",
      "The", "daily", "newspaper", "in", "on", "a", "an", "Gazette", "Le", "Monde", "article",
      "city", "municipality", "municipio", "of", "Querétaro", "l'association", "la", "fondation",
      "association", "Lumière", "des", "Quartiers", "In", "partnership", "with", "en", "partenariat",
      "avec", "En", "alianza", "con", "ICPC", "UN-Habitat", "&", "AT&T", "service", "Ville",
      "quotidien", "journal", "gobierno", "government", "took", "part", "at", "Forum", "Summit",
      "organization", "company", "Fixed", "Caribbean", "services", "interviewed", "CBC", "Radio's",
      ",", ".", ";", "(", ")", "\n", "'s", "2023", "é", "É"};
  Xorshift64 next(0x2545F4914F6CDD1Dull);
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    const int parts = static_cast<int>(next() % 30);
    for (int k = 0; k < parts; ++k) {
      const uint64_t r = next();
      text += words[(r >> 8) % words.size()];
      if (r & 3) text += ' ';
    }
    texts.push_back(text);
  }
  size_t matches = 0;
  for (const std::string& t : texts) {
    const std::vector<std::string> expected = Naive(rules, t);
    matches += expected.size();
    ASSERT_EQ(Searched(search, rules, t), expected) << t;
  }
  EXPECT_GE(matches, 500u);  // the texts exercise the rules
}

// The people and place rules of every language, whose role and district
// words lie inside their matches (searched for one cluster of cue words at a
// time, from where a name may start before them up to tail_bytes after the
// last), on random texts of names, role words, particles, punctuation and
// sentence ends: the same matches as searching the whole text for each rule.
TEST(RuleSearchTest, PeopleAndPlaceRulesFindWhatTheSearchFinds) {
  std::vector<std::unique_ptr<RuleMatcher>> rules;
  RuleSearch search;
  size_t inside = 0;
  for (const char* lang : {"en", "fr", "es"}) {
    Vocabulary vocab;
    vocab.LoadDir(std::string("rules/") + lang + "/vocab");
    vocab.LoadDir("rules/common/vocab");
    for (const char* file : {"/people.rules", "/places.rules"}) {
      std::ifstream in(std::string("rules/") + lang + file);
      ASSERT_TRUE(in) << lang << file;
      for (std::string line; std::getline(in, line);) {
        if (line.rfind("pattern: ", 0) != 0) continue;
        const std::string pattern = vocab.Expand(line.substr(9), "test", 1);
        const std::optional<RuleCue> cue = FindRuleCue(pattern);
        inside += cue && !cue->at_start && cue->tail_bytes && cue->head_bytes;
        rules.push_back(std::make_unique<RuleMatcher>(pattern, "test", 1));
        search.Add("en", pattern, rules.back().get(), rules.size() - 1, "test", 1);
      }
    }
  }
  search.Compile("test");
  ASSERT_GE(rules.size(), 10u);
  EXPECT_GE(inside, 3u);
  const std::vector<std::string> words = {
      "Ann", "Lee", "Bob", "Ray", "Zoé", "Lée", "Jean-Paul", "O'Brien", "de", "del", "van", "la",
      "director", "Director", "president", "of", "the", "our", "its", "a", "mayor", "Mayor", "Ms.",
      "Dr", "Mme", "Sra.", "directora", "directeur", "porte-parole", "le", "professors", "experts",
      "borough", "neighbourhood", "district", "quartier", "barrio", "arrondissement", "Lachine",
      "Montreal", "Sidi", "Moumen", "Comuna", "13", "d'", "l'", "y", "et", "and", ",", ", ", ".",
      ". ", ";", "(", ")", "\n", "2023", "said", "met", "É"};
  Xorshift64 next(0x9E3779B97F4A7C15ull);
  size_t matches = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    const int parts = static_cast<int>(next() % 40);
    for (int k = 0; k < parts; ++k) {
      const uint64_t r = next();
      text += words[(r >> 8) % words.size()];
      if (r & 3) text += ' ';
    }
    const std::vector<std::string> expected = Naive(rules, text);
    matches += expected.size();
    ASSERT_EQ(Searched(search, rules, text), expected) << text;
  }
  EXPECT_GE(matches, 500u);  // the texts exercise the rules
}

// Word starts are read 64 bytes at a time: the same as a byte at a time, at
// every length and alignment, on texts with the Kelvin sign and long s (which
// make the ASCII cue look-up untrustworthy) and with other characters whose
// lead bytes they share (U+2019, U+2014, U+0153) or not.
TEST(FindWordStartsTest, SameAsAByteAtATime) {
  const auto reference = [](std::string_view text) {
    ItemWordStarts words;
    const auto word = [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; };
    for (size_t i = 0; i < text.size(); ++i)
      if (word(static_cast<unsigned char>(text[i])) && (i == 0 || !word(static_cast<unsigned char>(text[i - 1]))))
        words.at.push_back(static_cast<uint32_t>(i));
    words.cues_hold = text.find("\u212A") == std::string_view::npos && text.find("\u017F") == std::string_view::npos;
    return words;
  };
  const std::vector<std::string> pieces = {"Mr", " ", "Jo_e", ", ", "\u212A", "elvin", "\u017F", "peaker",
                                           "\u2019", "\u2014", "\u0153uvre", "9", "\n", "caf\u00E9", "Z", "__",
                                           "\xE2", "\xC5", "\xE2\x84", "a\xC5"};
  uint32_t seed = 7;
  size_t untrusted = 0, trusted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t count = round % 90;
    for (size_t k = 0; k < count; ++k) {
      seed = seed * 1664525 + 1013904223;
      // Mostly ASCII pieces, so that many texts hold neither character.
      const size_t ascii[] = {0, 1, 2, 3, 11, 12, 14, 15};
      const size_t pick = seed >> 16 & 255;
      text += pieces[pick < 232 ? ascii[pick % 8] : pick % pieces.size()];
    }
    const ItemWordStarts got = FindWordStarts(text);
    const ItemWordStarts want = reference(text);
    ASSERT_EQ(got.at, want.at) << text;
    ASSERT_EQ(got.cues_hold, want.cues_hold) << text;
    (want.cues_hold ? trusted : untrusted) += 1;
  }
  EXPECT_GE(trusted, 300u);  // the texts exercise both answers
  EXPECT_GE(untrusted, 300u);
}

// Layers of cues (a pattern's opening and rarest words) come out of one
// walk, each as At would give it alone.
TEST(CueTrieTest, LayersInOneWalk) {
  CueTrie trie;
  trie.Insert("in", 0, /*ends_word=*/true, 0);
  trie.Insert("in the premises of", 1, false, 0);
  trie.Insert("person", 0, false, 1);
  trie.Insert("in", 2, false, 1);
  trie.Insert("informa", 5, false, 3);
  const std::string text = "in person, information; in the premises of";
  const std::vector<std::pair<size_t, std::pair<uint64_t, uint64_t>>> expected = {
      {0, {1, 4}}, {3, {0, 1}}, {11, {0, 4}}, {24, {3, 4}}, {27, {0, 0}}};
  for (const auto& [at, bits] : expected) {
    uint64_t layers[4];
    trie.AtLayers(text, at, layers);
    EXPECT_EQ(layers[0], bits.first) << at;
    EXPECT_EQ(layers[1], bits.second) << at;
    EXPECT_EQ(layers[2], 0u) << at;
    EXPECT_EQ(layers[3], at == 11 ? 32u : 0u) << at;
    EXPECT_EQ(trie.At(text, at), bits.first) << at;
  }
}

// A scanner given the text's word starts tries its patterns at their cue
// words only: it must find what the search over the range finds, for every
// group, walk and range, on texts where cue words go on as longer words,
// numbers open matches and the range starts or ends inside a word.
TEST(RuleScannerTest, CueWordsFindWhatTheSearchFinds) {
  const std::vector<std::pair<std::string, uint32_t>> patterns = {
      {R"(\b(?:conferences?|congress(?:es)?|summits?)\b)", 7},
      {R"(\bvisits?\b|\bvisited\b|\bwelcom(?:ed|ing) (?:a|the) delegation\b)", 5},
      {R"(\b\d+ participants\b)", 6},
      {R"(\bin[- ]person\b)", 4},
      {R"(\bonline\b|\bvia zoom\b)", 1},
      {R"(\bround[- ]tables?\b)", 7},
      {R"(\bround\b)", 1},  // whole words inside another's longer match
      {R"(\bworkshops?\b)", 3},
      {R"(\btraining(?: courses?)?\b)", 6},
      {R"(\b[0-9]{1,2}(?:st|nd|rd|th) edition\b)", 7},
      {R"(\bconference (?:on|about) \w+)", 2},
      // Walls: "." and ";" stop these, not the first's number.
      {R"(\b\d{1,3}(?:[.,]\d{3})* delegates\b)", 5},
      {R"(\bwe (?:[^\s.;]+ ){0,3}hosted\b)", 3},
      // Gap words before the rarest cue: at most 4 word starts before
      // "hosted", "hosting" or "organized".
      {R"(\b(?:(?:a|we|has been|the)\s*){0,2}(?:hosted|organized)\b)", 6},
      {R"(\b(?:a|we)\s+(?:(?:has been|x)\s+)?hosting\b|\bthe\s+hosting\b)", 1},
  };
  const std::vector<std::string> words = {
      "conference", "conferences", "conferencing", "congress", "summit", "summitry", "visit",
      "visited", "visitors", "welcomed", "welcoming", "a", "the", "delegation", "12", "3",
      "participants", "participantsx", "in", "information", "person", "in-person", "online",
      "via", "zoom", "round", "table", "tables", "round-table", "workshop", "workshops",
      "training", "course", "courses", "1st", "22nd", "edition", "on", "about", "x", "and",
      ",", ".", "-", "  ", "\n", "_", "9th", "100th", "on-line", "1.500", "2,000", "delegates",
      "we", "hosted", "our", ";", "1.", "has", "been", "organized", "hosting", "a", "we", "the"};
  std::vector<std::string> texts = {
      "the conference on safety, a 3rd edition: 12 participants in-person and online via zoom",
      "conferencing visitors welcomed the delegation, round tables, round-table, workshops",
      "information in person; training courses 1st edition 2nd editions 100th edition",
      "",
  };
  uint64_t seed = 5;
  for (int t = 0; t < 60; ++t) {
    std::string text;
    for (int w = 0; w < 30; ++w) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      text += words[(seed >> 33) % words.size()];
      if ((seed >> 20) % 3) text += ' ';
    }
    texts.push_back(text);
  }

  RuleScanner scanner;
  for (const auto& [pattern, groups] : patterns) scanner.Add(pattern, groups);
  scanner.Compile("test", RuleScanner::kLongest | RuleScanner::kStarts);
  size_t found = 0;
  // The cue words found beforehand, in a trie shared with another scanner's
  // (layers 2, 3 here), as EventTypeStage does for its cues and the facts.
  RuleScanner other;
  other.Add(R"(\bthe (?:conference|workshop)\b)");
  other.Compile("test", RuleScanner::kStarts);
  ASSERT_TRUE(scanner.cued() && other.cued());
  CueTrie joint;
  other.AddCues(&joint, 0);
  scanner.AddCues(&joint, 2);
  for (const std::string& text : texts) {
    const ItemWordStarts starts = FindWordStarts(text);
    std::vector<RuleScanner::CueWord> cue_words;
    for (uint32_t word = 0; word < starts.at.size(); ++word) {
      uint64_t bits[4];
      joint.AtLayers(text, starts.at[word], bits);
      if (bits[2] | bits[3]) cue_words.push_back({starts.at[word], word, bits[2], bits[3]});
    }
    const std::vector<Span> ranges = {{0, text.size()},
                                      {text.size() / 3, text.size()},
                                      {1, text.size() * 2 / 3},
                                      {text.size() / 2, text.size() / 2}};
    for (const Span range : ranges) {
      if (range.begin > range.end) continue;
      for (int group = 0; group < 3; ++group) {
        std::vector<std::pair<Span, std::vector<int>>> searched, cued;
        scanner.ScanLongest(text, range, group,
                            [&](Span m, const std::vector<int>& r) { searched.emplace_back(m, r); });
        scanner.ScanLongest(text, range, group,
                            [&](Span m, const std::vector<int>& r) { cued.emplace_back(m, r); },
                            &starts);
        EXPECT_EQ(searched, cued) << "longest, group " << group << ": " << text;
        std::vector<std::pair<Span, std::vector<int>>> given;
        scanner.ScanLongest(text, range, group,
                            [&](Span m, const std::vector<int>& r) { given.emplace_back(m, r); },
                            &starts, &cue_words);
        EXPECT_EQ(searched, given) << "longest, cue words given, group " << group << ": " << text;
        found += searched.size();
        // A start said `matched` is one where each rule's own regex, asked
        // as a caller asks it, matches.
        auto check = [&](size_t at, const std::vector<int>& r, bool matched) {
          if (!matched) return;
          for (int rule : r) {
            const RE2 re(patterns[static_cast<size_t>(rule)].first);
            EXPECT_TRUE(re.Match(text, at, range.end, RE2::ANCHOR_START, nullptr, 0))
                << rule << " at " << at << ": " << text;
          }
        };
        std::vector<std::pair<size_t, std::vector<int>>> searched_at, cued_at;
        scanner.ScanStarts(text, range, group, [&](size_t at, const std::vector<int>& r, bool matched) {
          EXPECT_FALSE(matched);
          searched_at.emplace_back(at, r);
        });
        scanner.ScanStarts(text, range, group,
                           [&](size_t at, const std::vector<int>& r, bool matched) {
                             check(at, r, matched);
                             cued_at.emplace_back(at, r);
                           },
                           &starts);
        EXPECT_EQ(searched_at, cued_at) << "starts, group " << group << ": " << text;
        std::vector<std::pair<size_t, std::vector<int>>> given_at;
        scanner.ScanStarts(text, range, group,
                           [&](size_t at, const std::vector<int>& r, bool matched) {
                             check(at, r, matched);
                             given_at.emplace_back(at, r);
                           },
                           &starts, &cue_words);
        EXPECT_EQ(searched_at, given_at) << "starts, cue words given, group " << group << ": " << text;
        found += searched_at.size();
      }
    }
  }
  EXPECT_GE(found, 200u);  // the texts exercise the patterns
}

// StartBytes: the bytes a match holds at its first offsets, as a filter
// that never refuses a place where RE2 finds a match.
TEST(StartBytesTest, RefusesPlacesNoMatchStartsAt) {
  const StartBytes iso = FindStartBytes(R"(\b(?P<year>(?:19[0-9]{2}|20[0-9]{2}))-(?P<month>0[1-9]|1[0-2])\b)");
  EXPECT_EQ(iso.bytes.size(), 7u);
  EXPECT_TRUE(iso.MayStart("in 2016-03.", 3, 11));
  EXPECT_FALSE(iso.MayStart("in 2016 in", 3, 10));
  EXPECT_FALSE(iso.MayStart("in 2016-0", 3, 9));  // the text ends before a match could
  EXPECT_FALSE(iso.MayStart("in 2016-03.", 3, 8));  // so does the stretch searched

  const StartBytes on = FindStartBytes(R"((?i:on)\s+)");
  EXPECT_EQ(on.bytes.size(), 3u);
  EXPECT_TRUE(on.MayStart("ON Monday", 0, 9));
  EXPECT_FALSE(on.MayStart("one", 0, 3));

  // A character beyond ASCII takes two to four bytes: offsets go on after it.
  const StartBytes accent = FindStartBytes("(?:é|e)t");
  EXPECT_EQ(accent.bytes.size(), 2u);
  EXPECT_TRUE(accent.MayStart("ét", 0, 3));
  EXPECT_TRUE(accent.MayStart("Et", 0, 2));
  EXPECT_FALSE(accent.MayStart("xt", 0, 2));
  // Under (?i), k also matches U+212A.
  EXPECT_TRUE(FindStartBytes("(?i:ka)").MayStart("\xE2\x84\xAA" "a", 0, 4));
  EXPECT_FALSE(FindStartBytes("ka").MayStart("\xE2\x84\xAA" "a", 0, 4));

  // May match empty, or not read: no filter.
  EXPECT_TRUE(FindStartBytes("a*").bytes.empty());
  EXPECT_TRUE(FindStartBytes(R"(a\141)").bytes.empty());  // octal
  // Quoted text is its characters; \S is all but the five spaces.
  const StartBytes quoted = FindStartBytes(R"(\Qa.\E\S)");
  EXPECT_EQ(quoted.bytes.size(), 3u);
  EXPECT_TRUE(quoted.MayStart("A.x", 0, 3));
  EXPECT_FALSE(quoted.MayStart("a. ", 0, 3));
  EXPECT_FALSE(quoted.MayStart("ab.", 0, 3));
}

// $ ends a match only where the text ends; several patterns' filters unite.
TEST(StartBytesTest, ReadsTheTextEndAndUnites) {
  const StartBytes alone = FindStartBytes("^(?:ab)?$");
  EXPECT_TRUE(alone.MayStart("", 0, 0));
  EXPECT_TRUE(alone.MayStart("ab", 0, 2));
  EXPECT_FALSE(alone.MayStart("abc", 0, 3));
  EXPECT_FALSE(alone.MayStart("x", 0, 1));

  StartBytes after = FindStartBytes("^,");
  after.Unite(FindStartBytes("^ +(?i:had)"));
  EXPECT_TRUE(after.MayStart(", the", 0, 5));
  EXPECT_TRUE(after.MayStart(" had", 0, 4));
  EXPECT_FALSE(after.MayStart("x", 0, 1));
  after.Unite(FindStartBytes("^x*"));  // may match empty: no filter left
  EXPECT_TRUE(after.MayStart("y", 0, 1));
}

// On the rules' own kind of text: wherever RE2 finds a match anchored at a
// word start, the filter lets it through.
TEST(StartBytesTest, NeverRefusesAMatch) {
  const std::vector<std::string> patterns = {
      R"(\b(?P<month>(?:January|Jan\.?|Sept\.?|September))\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4}))",
      R"(\b(?P<day>\d{1,2})(?:er)?[ \x{00A0}](?P<month>(?i:janvier|février|déc\.?|décembre))(?:[ \x{00A0}]+(?P<year>\d{4}))?)",
      R"((?i:mid|early|late)[-\x{2010}\s]+(?P<season>(?i:spring|summer|fall|été))\b)",
      R"(\b(?P<year>\d{4})(?:[ \t\x{00A0}]*[-\x{2013}][ \t\x{00A0}]*)(?P<year2>\d{2,4})\b)",
  };
  const std::string text =
      "On January 5, 2023 and Sept. 12 2024; le 1er février 2025, le 3 déc. 2021, "
      "le 3\xC2\xA0décembre. Mid-summer, early\xE2\x80\x90spring, late été; "
      "2019\xE2\x80\x93" "20, 2019 - 2021, 2020-21, 2022 in Jan 7 2023.";
  size_t matches = 0;
  for (const std::string& p : patterns) {
    RE2 re(p);
    ASSERT_TRUE(re.ok()) << p;
    const StartBytes start = FindStartBytes(p);
    EXPECT_FALSE(start.bytes.empty()) << p;
    for (size_t at = 0; at < text.size(); ++at) {
      re2::StringPiece m;
      if (!re.Match(text, at, text.size(), RE2::ANCHOR_START, &m, 1)) continue;
      ++matches;
      EXPECT_TRUE(start.MayStart(text, at, at + m.size())) << p << " at " << text.substr(at);
    }
  }
  EXPECT_GE(matches, 10u);
}

}  // namespace
}  // namespace newsevents
