// SentenceStage: ICU sentence breaks with abbreviation suppression, byte
// offsets of non-ASCII text, paragraphs and titles.
#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
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

TEST(SentenceStage, MissingRulesFolderIsAConfigError) {
  StageOptions options;
  options.root = "/nonexistent/newsevents";
  EXPECT_THROW(SentenceStage stage(options), ConfigError);
}

}  // namespace
}  // namespace newsevents
