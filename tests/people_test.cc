#include "pipeline/people.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/normalize.h"
#include "pipeline/organizations.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

StageOptions Options() {
  StageOptions options;
  options.root = DataRoot();
  return options;
}

const OrganizationStage& Orgs() {
  static const OrganizationStage* stage = new OrganizationStage(Options());
  return *stage;
}
const PersonStage& People() {
  static const PersonStage* stage = new PersonStage(Options());
  return *stage;
}

// One item; `places` are given as the place stage would (every occurrence).
Item Extract(const std::string& text, const std::string& lang = "en",
         const std::vector<std::string>& places = {}) {
  Document doc;
  doc.original = text;
  NormalizeDocument(doc);
  Item item;
  item.span = {0, doc.text.size()};
  item.lang = lang;
  for (const std::string& name : places) {
    Place p;
    p.name = name;
    for (size_t at = doc.text.find(name); at != std::string::npos; at = doc.text.find(name, at + 1))
      p.mentions.push_back({at, at + name.size()});
    item.places.push_back(p);
  }
  doc.items.push_back(item);
  Orgs().Apply(doc);
  People().Apply(doc);
  return doc.items[0];
}

std::vector<std::string> Names(const Item& item) {
  std::vector<std::string> out;
  for (const Person& p : item.people) out.push_back(p.name);
  return out;
}

using Strings = std::vector<std::string>;

TEST(People, TitlesAreDroppedFromNames) {
  auto item = Extract("ICPC was delighted to meet with Ms. Caroline Bourgeois, Mayor of the borough, and "
                  "Ms. Julie Demers, who is responsible for elected officials.");
  EXPECT_EQ(Names(item), (Strings{"Caroline Bourgeois", "Julie Demers"}));
  EXPECT_EQ(Names(Extract("They were praised by Mayor Valérie Plante.")), (Strings{"Valérie Plante"}));
}

TEST(People, RolesAfterTheName) {
  EXPECT_EQ(Names(Extract("For more information, please contact Kassa Bourne, Director of Administration "
                      "and Finance.")),
            (Strings{"Kassa Bourne"}));
  EXPECT_EQ(Names(Extract("A meeting was attended by Teresa Beatriz Olivia, the university's Rector, and "
                      "Pamela del Valle Caceres, Vice-Rector for Research.")),
            (Strings{"Teresa Beatriz Olivia", "Pamela del Valle Caceres"}));
}

TEST(People, SeveralPeopleAfterAPluralTitle) {
  auto item = Extract("The ICPC, in collaboration with professors Mariam Hassaoui (TELUQ) and Victor Armony "
                  "(UQAM), held its first meeting.");
  EXPECT_EQ(Names(item), (Strings{"Mariam Hassaoui", "Victor Armony"}));
}

TEST(People, GivenNameAndSurnameAlone) {
  EXPECT_EQ(Names(Extract("In this context, Michelle Côté highlights the progress made.")),
            (Strings{"Michelle Côté"}));
  EXPECT_EQ(Names(Extract("To watch Oscar Figueroa's intervention, click here.")), (Strings{"Oscar Figueroa"}));
  // A capital inside the surname.
  EXPECT_EQ(Names(Extract("It was represented by its co-founder, Karyn McCluskey.")),
            (Strings{"Karyn McCluskey"}));
}

TEST(People, SurnameAloneIsALaterMention) {
  auto item = Extract("Djibril Diop has been a professor since 2007. Previously, Dr Diop was a research manager.");
  ASSERT_EQ(item.people.size(), 1u);
  EXPECT_EQ(item.people[0].name, "Djibril Diop");
  EXPECT_EQ(item.people[0].mentions.size(), 2u);
}

TEST(People, FrenchAndSpanishTitles) {
  EXPECT_EQ(Names(Extract("Le projet a été salué par la mairesse Valérie Plante.", "fr")),
            (Strings{"Valérie Plante"}));
  EXPECT_EQ(Names(Extract("Ann Champoux, directrice générale du Centre, a ouvert la séance.", "fr")),
            (Strings{"Ann Champoux"}));
  EXPECT_EQ(Names(Extract("Estuvo presente la alcaldesa Claudia López.", "es")), (Strings{"Claudia López"}));
}

TEST(People, NeverAnOrganizationOrAPlace) {
  // A body named after people, and places named like people.
  EXPECT_TRUE(Extract("A new collaboration with the Blas Pascal University was announced.").people.empty());
  EXPECT_TRUE(Extract("The Alberto Hurtado University hosted it.").people.empty());
  EXPECT_TRUE(Extract("They travelled to Victoria Falls last year.", "en", {"Victoria Falls"}).people.empty());
  EXPECT_EQ(Names(Extract("Oscar Figueroa, our consultant for Latin America, spoke.", "en", {"Latin America"})),
            (Strings{"Oscar Figueroa"}));
  // Words of an event or a place's direction are no surname.
  EXPECT_TRUE(Extract("We attended the German Crime Congress in Berlin.").people.empty());
  EXPECT_TRUE(Extract("Work session in the borough of Montréal Nord").people.empty());
}

}  // namespace
}  // namespace newsevents
