#include "pipeline/acronyms.h"

#include <string>

#include <gtest/gtest.h>

#include "pipeline/name_tokens.h"

namespace newsevents {
namespace {

// The long form MatchAcronym finds in `long_form`, or "<none>".
std::string Long(std::string_view sf, std::string_view long_form) {
  size_t at = MatchAcronym(sf, long_form);
  return at == std::string_view::npos ? "<none>" : std::string(long_form.substr(at));
}

TEST(MatchAcronym, EnglishInitials) {
  EXPECT_EQ(Long("OAS", "its partner, the Organization of American States"),
            "Organization of American States");
  EXPECT_EQ(Long("UNODC", "our member the United Nations Office on Drugs and Crime"),
            "United Nations Office on Drugs and Crime");
  EXPECT_EQ(Long("CMNCP", "by the Canadian Municipal Network on Crime Prevention"),
            "Canadian Municipal Network on Crime Prevention");
}

TEST(MatchAcronym, SlashAndInnerLetters) {
  EXPECT_EQ(Long("DSP/OAS", "by the Department of Public Security of the Organization of American States"),
            "Department of Public Security of the Organization of American States");
  EXPECT_EQ(Long("USLab", "the Montreal Urban Safety Laboratory"), "Urban Safety Laboratory");
}

TEST(MatchAcronym, FrenchAndSpanish) {
  EXPECT_EQ(Long("ONUDC", "l'Office des Nations Unies contre la drogue et le crime"),
            "Office des Nations Unies contre la drogue et le crime");
  EXPECT_EQ(Long("CIPC", "el Centro Internacional para la Prevención de la Criminalidad"),
            "Centro Internacional para la Prevención de la Criminalidad");
  EXPECT_EQ(Long("CAPRI", "le Centre d'Action et de Prévention contre la Radicalisation des Individus"),
            "Centre d'Action et de Prévention contre la Radicalisation des Individus");
  EXPECT_EQ(Long("STM", "Société de transport de Montréal"), "Société de transport de Montréal");
}

TEST(MatchAcronym, WordLikeShortFormsNeedEveryInitial) {
  EXPECT_EQ(Long("Efus", "by the European Forum for Urban Safety"), "European Forum for Urban Safety");
  EXPECT_EQ(Long("Mila", "with Montreal Institute of Learning Algorithms"),
            "Montreal Institute of Learning Algorithms");
  EXPECT_EQ(Long("Chile", "the municipality of Peñalolén"), "<none>");
  EXPECT_EQ(Long("Mexico", "the municipality of Nezahualcóyotl"), "<none>");
}

TEST(MatchAcronym, RejectsPhrasesThatRunOnOrDoNotMatch) {
  // The last letter must land in the last word.
  EXPECT_EQ(Long("STM", "Montreal Transit Corporation"), "<none>");
  EXPECT_EQ(Long("UN-Habitat", "United Nations Human Settlement Programme"), "<none>");
  EXPECT_EQ(Long("TELUQ", "professors Mariam Hassaoui"), "<none>");
  EXPECT_EQ(Long("ICPC", "a long list of words that has nothing to do with it at all"), "<none>");
}

TEST(LooksLikeShortForm, Shapes) {
  EXPECT_TRUE(LooksLikeShortForm("OAS"));
  EXPECT_TRUE(LooksLikeShortForm("UN-Habitat"));
  EXPECT_TRUE(LooksLikeShortForm("DSP/OAS"));
  EXPECT_TRUE(LooksLikeShortForm("Efus"));
  EXPECT_FALSE(LooksLikeShortForm("2021"));
  EXPECT_FALSE(LooksLikeShortForm("see"));
  EXPECT_FALSE(LooksLikeShortForm("a"));
  EXPECT_FALSE(LooksLikeShortForm("Organization"));
}

struct Found {
  std::string short_form, long_form, alternate;
  bool short_first;
};

std::vector<Found> Defs(const std::string& text) {
  const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
  std::vector<Found> out;
  for (const AcronymDefinition& d : FindAcronymDefinitions(text, cut.tokens)) {
    out.push_back({text.substr(d.short_form.begin, d.short_form.size()),
                   text.substr(d.long_form.begin, d.long_form.size()),
                   text.substr(d.alternate.begin, d.alternate.size()), d.short_first});
  }
  return out;
}

TEST(FindAcronymDefinitions, LongThenShort) {
  auto d = Defs("The ICPC met the Organization of American States (OAS) in June.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].short_form, "OAS");
  EXPECT_EQ(d[0].long_form, "Organization of American States");
  EXPECT_FALSE(d[0].short_first);
}

TEST(FindAcronymDefinitions, ShortThenLong) {
  auto d = Defs("We met the OAS (Organization of American States) and the RAPS network "
                "(Research and Action on Social Polarizations).");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].short_form, "OAS");
  EXPECT_EQ(d[0].long_form, "Organization of American States");
  EXPECT_TRUE(d[0].short_first);
  EXPECT_EQ(d[1].short_form, "RAPS");
  EXPECT_EQ(d[1].long_form, "Research and Action on Social Polarizations");
}

TEST(FindAcronymDefinitions, AlternateLongFormInBrackets) {
  auto d = Defs("mandated by the Montreal Transit Corporation (Société de transport de Montréal, STM) for");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].short_form, "STM");
  EXPECT_EQ(d[0].long_form, "Société de transport de Montréal");
}

TEST(FindAcronymDefinitions, SpanishAndMixedCase) {
  auto d = Defs("el Centro Internacional para la Prevención de la Criminalidad (CIPC) y el "
                "European Forum for Urban Safety (Efus).");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].long_form, "Centro Internacional para la Prevención de la Criminalidad");
  EXPECT_EQ(d[1].short_form, "Efus");
  EXPECT_EQ(d[1].long_form, "European Forum for Urban Safety");
}

TEST(FindAcronymDefinitions, NotDefinitions) {
  EXPECT_TRUE(Defs("The report (2021) is out.").empty());
  EXPECT_TRUE(Defs("More on this (see below).").empty());
  EXPECT_TRUE(Defs("Representatives of the municipality of Peñalolén (Chile) came.").empty());
  EXPECT_TRUE(Defs("(a) Evidence-based crime prevention").empty());
}

TEST(FindAcronymDefinitions, BracketsBrokenAcrossLines) {
  // A line break is the only white space in the brackets (wrapped text):
  // this threw std::out_of_range and killed the whole run (found by fuzzing).
  EXPECT_TRUE(Defs("More on this (see\nbelow).").empty());
  auto d = Defs("It follows the Uniform Crime Reporting (UCR\n2.2) rules.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].short_form, "UCR");
}

TEST(FindAcronymDefinitions, UnmatchedShortFormIsKeptWithoutLongForm) {
  auto d = Defs("professors Mariam Hassaoui (TELUQ) and Victor Armony (UQAM)");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].short_form, "TELUQ");
  EXPECT_EQ(d[0].long_form, "");
}

TEST(NameTokens, ShapesAndPieces) {
  std::string text = "Alberto Hurtado University's Faculty, d'Action, UN-Habitat, CentroGeo, ICPC.";
  const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
  const std::vector<NameToken>& t = cut.tokens;
  std::vector<std::string> words;
  for (auto& x : t) words.push_back(text.substr(x.span.begin, x.span.size()));
  ASSERT_GE(words.size(), 12u);
  EXPECT_EQ(words[2], "University");
  EXPECT_EQ(words[3], "'s");
  EXPECT_EQ(words[6], "d'");
  EXPECT_EQ(words[7], "Action");
  EXPECT_EQ(WordShape("UN-Habitat"), TokenShape::kMixed);
  EXPECT_EQ(WordShape("CentroGeo"), TokenShape::kMixed);
  EXPECT_EQ(WordShape("USLab"), TokenShape::kMixed);
  EXPECT_EQ(WordShape("ICPC"), TokenShape::kAllCaps);
  EXPECT_EQ(WordShape("Saint-Laurent"), TokenShape::kCapitalized);
  EXPECT_EQ(WordShape("Efus"), TokenShape::kCapitalized);
  EXPECT_EQ(WordShape("of"), TokenShape::kLower);
  EXPECT_TRUE(t[0].sentence_start);
  EXPECT_FALSE(t[1].sentence_start);
}

}  // namespace
}  // namespace newsevents
