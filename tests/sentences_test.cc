// SentenceStage: ICU sentence breaks with abbreviation suppression, byte
// offsets of non-ASCII text, paragraphs and titles.
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/rule_file.h"
#include "pipeline/sentence_windows.h"
#include "pipeline/sentences.h"

namespace newsevents {
namespace {

const SentenceStage& Stage() {
  static const SentenceStage* stage = new SentenceStage(StageOptions());
  return *stage;
}

std::vector<std::string> Sentences(const std::string& text, const std::string& lang) {
  std::vector<std::string> out;
  for (const Span& s : Stage().Split(text, {0, text.size()}, lang))
    out.push_back(text.substr(s.begin, s.size()));
  return out;
}

using Strings = std::vector<std::string>;

TEST(Sentences, EnglishAbbreviationsDoNotEndSentences) {
  EXPECT_EQ(Sentences("ICPC met with Ms. Caroline Bourgeois and Dr. Diop. They discussed "
                      "safety on St. Catherine Street. Thank you!",
                      "en"),
            (Strings{"ICPC met with Ms. Caroline Bourgeois and Dr. Diop.",
                     "They discussed safety on St. Catherine Street.", "Thank you!"}));
}

TEST(Sentences, FrenchAndSpanishAbbreviations) {
  EXPECT_EQ(Sentences("Le CIPC a rencontré M. Tremblay et Mme. Roy. La réunion a eu lieu à Montréal.", "fr"),
            (Strings{"Le CIPC a rencontré M. Tremblay et Mme. Roy.", "La réunion a eu lieu à Montréal."}));
  EXPECT_EQ(Sentences("La Sra. López y el Dr. Pérez asistieron. ¿Quién más participó? Nadie.", "es"),
            (Strings{"La Sra. López y el Dr. Pérez asistieron.", "¿Quién más participó?", "Nadie."}));
}

TEST(Sentences, AbbreviationsMatchWholeWordsOnly) {
  // "M." is an abbreviation in French, "IBM." is not; "Dr." is, "Diop." is not.
  EXPECT_EQ(Sentences("Le CIPC travaille avec IBM. Le projet commence en mai.", "fr").size(), 2u);
  EXPECT_EQ(Sentences("We met Dr. Diop. He spoke first.", "en").size(), 2u);
}

TEST(Sentences, OffsetsAreUtf8BytesEvenAfterAstralCharacters) {
  const std::string text = "Montréal 🎉 célèbre. Ça marche très bien.";
  const auto spans = Stage().Split(text, {0, text.size()}, "fr");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(text.substr(spans[0].begin, spans[0].size()), "Montréal 🎉 célèbre.");
  EXPECT_EQ(text.substr(spans[1].begin, spans[1].size()), "Ça marche très bien.");
}

TEST(Sentences, SpanInsideALargerText) {
  const std::string text = "Title line\n\nFirst one. Second one.\n";
  const size_t b = text.find("First");
  const auto spans = Stage().Split(text, {b, text.size() - 1}, "en");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].begin, b);
  EXPECT_EQ(text.substr(spans[1].begin, spans[1].size()), "Second one.");
}

TEST(Sentences, UnknownLanguageFallsBackToEnglish) {
  EXPECT_EQ(Sentences("One sentence here. Another one there.", "und").size(), 2u);
}

TEST(SentenceStage, TitleParagraphsAndWrappedLines) {
  Document doc;
  doc.text = "Job offer. Analyst\n\nThe ICPC is hiring. Apply by\nJuly 30.\n\nMore info.\n";
  doc.folded = FoldText(doc.text, &doc.folded_to_text);
  Item item;
  item.lang = "en";
  item.title = {0, 18};
  const size_t p1 = doc.text.find("The ICPC"), p1e = doc.text.find("July 30.") + 8;
  const size_t p2 = doc.text.find("More info.");
  item.paragraphs = {{p1, p1e}, {p2, p2 + 10}};
  item.body = {p1, p2 + 10};
  item.span = {0, p2 + 10};
  doc.items.push_back(item);
  Stage().Apply(doc);
  Strings got;
  for (const Span& s : doc.items[0].sentences) got.emplace_back(doc.Slice(s));
  EXPECT_EQ(got, (Strings{"Job offer. Analyst", "The ICPC is hiring.", "Apply by\nJuly 30.",
                          "More info."}));
}

// ---------------------------------------------------------------- windows

// Split hands ICU only the windows around terminators (sentence_windows.h);
// SplitWhole hands it the whole span. They must agree on every text.
// Each sentence as "offset:text", so a failure shows where they part.
Strings Shown(const std::string& text, const std::vector<Span>& spans) {
  Strings out;
  for (const Span& s : spans) out.push_back(std::to_string(s.begin) + ":" + text.substr(s.begin, s.size()));
  return out;
}

void ExpectWindowsAgree(const std::string& text, const std::string& lang) {
  // The text alone, and inside a larger one (spans not starting at 0).
  const std::string framed = "Before. " + text + " After.";
  const Span whole{0, text.size()}, inner{8, 8 + text.size()};
  EXPECT_EQ(Shown(text, Stage().Split(text, whole, lang)),
            Shown(text, Stage().SplitWhole(text, whole, lang)))
      << lang;
  EXPECT_EQ(Shown(framed, Stage().Split(framed, inner, lang)),
            Shown(framed, Stage().SplitWhole(framed, inner, lang)))
      << lang;
}

const char* const kTricky[] = {
    "", " ", "...", "!!!", "?", ".", "a", "a.", ". a", "A. b", "a .B",
    "ICPC met with Ms. Caroline Bourgeois and Dr. Diop. They discussed safety.",
    "He said \"Stop.\" Then he left. (See p. 5.) Next one.", "She asked: \"Why?\" nobody knew.",
    "Wait... what? Yes...No. Maybe..", "It grew 3.5 percent in 2.0 years. Then 4.",
    "The U.S. Army met the U.K. team. e.g. the mayor. i.e. Paris.",
    "etc. 5, 6, and 7 more. etc. - and so on. etc., then", "end.Start end.start end. start",
    "1. First item 2. Second item 3. Third", "Visit www.example.org now. Version v1.2.3 is out.",
    "\"Yes.\" \"No.\" 'Maybe.' (Sure.) [Right.] {Ok.}", "Really?! Yes!? No?? ... ?!.",
    "\xc2\xbf" "Qu\xc3\xa9? \xc2\xa1S\xc3\xad! Vale.", "\xc3\x87" "a va. \xc3\x89lan. \xc3\xa9t\xc3\xa9.",
    "\xc2\xab" "Bonjour.\xc2\xbb Il part. \xc2\xab" "Non !\xc2\xbb dit-elle.",
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x80\x82\xe6\xac\xa1\xe3\x81\xae\xe6\x96\x87\xe3\x80\x82 End.",
    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82\xe0\xa4\xa6\xe0\xa5\x80\xe0\xa5\xa4 \xe0\xa4\x85\xe0\xa4\xac\xe0\xa5\xa4",
    "\xd9\x84\xd9\x85\xd8\xa7\xd8\x9f \xd9\x86\xd8\xb9\xd9\x85. Ok", "x\xe2\x80\xa4y one\xef\xbc\x8e Two\xef\xbd\xa1 three",
    "a.\xe2\x80\xa9" "b. C", "a.\xe2\x80\xa8" "B", "one\xc2\x85two. Three\xe2\x80\xa9" "four",
    "\xcc\x81" "abc. Def", "\xc2\xad" "Soft\xc2\xadhyphen. Next", "e\xcc\x81t\xcc\x81" "e. E\xcc\x81te\xcc\x81.",
    "2023. The year. 2024? Yes.", "-- dash. 'quote' start. \"Quoted start.\" Next",
    "Line one\nline two. Line\r\nthree.\tTab. x", "A.\xc2\xa0" "B. c.\xc2\xa0" "d",
    "\xf0\x9f\x8e\x89 Party. \xf0\x9f\x8e\x89. \xf0\x9f\x8e\x89 End", "broken \xff. A \xc3. B\xe6\x97 . c \x80",
    "Mr. Smith (Jr.) arrived.) Then. (A.) b.", "No terminator at all here, just commas, and; colons: fine",
    "M. Dupont et Mme. Roy. Sra. L\xc3\xb3pez. Sr. P\xc3\xa9rez.", "a. 5. b. 6.7. c.8. D.9 E",
};

TEST(SentenceWindows, AgreeWithIcuOverWholeParagraphs) {
  for (const char* lang : {"en", "fr", "es"})
    for (const char* text : kTricky) ExpectWindowsAgree(text, lang);
}

TEST(SentenceWindows, AgreeOnRandomText) {
  // Pieces chosen for what the rules look at: letters of each case and
  // script, terminators, closing punctuation, spaces, separators, digits,
  // continuations (, ; : -), marks, and broken bytes.
  const std::vector<std::string> pieces = {
      "a", "b", "Z", "Mr", "e", "\xc3\xa9", "\xc3\x89", "\xce\xb1", "\xe6\x97\xa5", "5", "42",
      " ", " ", " ", "\n", "\t", "\xc2\xa0", ".", ".", ".", "!", "?", "...", "\xe2\x80\xa6",
      "\xe3\x80\x82", "\xef\xbc\x8e", "\"", "'", ")", "(", "]", "\xc2\xbb", "\xc2\xab",
      "\xe2\x80\x9d", ",", ";", ":", "-", "\xe2\x80\xa9", "\xe2\x80\xa8", "\xc2\x85",
      "\xcc\x81", "\xc2\xad", "\xf0\x9f\x8e\x89", "\xff", "\xc3", "\x80"};
  uint32_t seed = 2024;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
  };
  for (int t = 0; t < 4000; ++t) {
    std::string text;
    const int length = static_cast<int>(next() % 40);
    for (int k = 0; k < length; ++k) text += pieces[next() % pieces.size()];
    ExpectWindowsAgree(text, t % 3 == 0 ? "en" : t % 3 == 1 ? "fr" : "es");
  }
}

TEST(SentenceWindows, AgreeOnTheTestNewsletters) {
  // Every line of the multilingual test drops, split both ways.
  int lines = 0;
  for (const char* lang : {"en", "fr", "es"}) {
    const std::string dir = DataRoot() + "/tests/data/multilingual/" + lang;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        ExpectWindowsAgree(line, lang);
        ++lines;
      }
    }
  }
  EXPECT_GT(lines, 100);
}

TEST(SentenceWindows, OnlyForTheStandardRules) {
  // Greek reads ';' as a question mark: its own rules, no windows.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> greek(
      icu::BreakIterator::createSentenceInstance(icu::Locale("el"), status));
  ASSERT_TRUE(U_SUCCESS(status));
  EXPECT_EQ(SentenceWindows::For(*greek), nullptr);
  std::unique_ptr<icu::BreakIterator> french(
      icu::BreakIterator::createSentenceInstance(icu::Locale("fr"), status));
  ASSERT_NE(SentenceWindows::For(*french), nullptr);
  // Windows: around the terminators only, from the letter before to the
  // letter after; none in a paragraph without one.
  const std::string text = "Le projet avance bien. Il finira en mai";
  std::vector<Span> windows;
  SentenceWindows::For(*french)->Find(text, {0, text.size()}, windows);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(text.substr(windows[0].begin, windows[0].size()), "n. I");
  SentenceWindows::For(*french)->Find("Sans point final", {0, 16}, windows);
  EXPECT_TRUE(windows.empty());
}

TEST(SentenceStage, MissingRulesFolderIsAConfigError) {
  StageOptions options;
  options.root = "/nonexistent/newsevents";
  EXPECT_THROW(SentenceStage stage(options), ConfigError);
}

}  // namespace
}  // namespace newsevents
