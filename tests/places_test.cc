#include "pipeline/places.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/normalize.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

const PlaceStage& Stage() {
  static const PlaceStage* stage = [] {
    StageOptions options;
    options.root = DataRoot();
    return new PlaceStage(options);
  }();
  return *stage;
}

// A document of one item holding `text`, in `lang`; `orgs` are organization
// names whose every occurrence is an organization mention.
Document Make(const std::string& text, const std::string& lang = "en",
              const std::vector<std::string>& orgs = {}) {
  Document doc;
  doc.original = text;
  NormalizeDocument(doc);
  doc.lang = lang;
  Item item;
  item.span = {0, doc.text.size()};
  item.lang = lang;
  for (const std::string& name : orgs) {
    Organization org;
    org.name = name;
    for (size_t at = doc.text.find(name); at != std::string::npos; at = doc.text.find(name, at + 1))
      org.mentions.push_back({at, at + name.size()});
    item.organizations.push_back(org);
  }
  doc.items.push_back(item);
  return doc;
}

std::vector<std::string> Names(const std::string& text, const std::string& lang = "en",
                               const std::vector<std::string>& orgs = {}) {
  Document doc = Make(text, lang, orgs);
  Stage().Apply(doc);
  std::vector<std::string> out;
  for (const Place& p : doc.items[0].places) out.push_back(p.name);
  return out;
}

const Place* Find(const Document& doc, const std::string& name) {
  for (const Place& p : doc.items[0].places)
    if (p.name == name) return &p;
  return nullptr;
}

using Strings = std::vector<std::string>;

TEST(PlaceStageTest, LoadsTheGazetteer) {
  EXPECT_GT(Stage().place_count(), 20000u);
  EXPECT_GT(Stage().name_count(), Stage().place_count());
  EXPECT_GT(Stage().load_ms(), 0.0);
}

TEST(PlaceStageTest, CaseAndAccentInsensitiveWithNameAsWritten) {
  Document doc = Make("The meeting in Montreal followed one in Queretaro, and MONTRÉAL hosted the next.");
  Stage().Apply(doc);
  ASSERT_EQ(doc.items[0].places.size(), 2u);
  const Place& montreal = doc.items[0].places[0];
  EXPECT_EQ(montreal.name, "Montreal");
  EXPECT_EQ(montreal.canonical, "Montréal");
  EXPECT_EQ(montreal.kind, "city");
  EXPECT_EQ(montreal.country, "CA");
  ASSERT_EQ(montreal.mentions.size(), 2u);
  EXPECT_EQ(doc.Slice(montreal.mentions[1]), "MONTRÉAL");
  EXPECT_EQ(doc.items[0].places[1].canonical, "Querétaro");
}

TEST(PlaceStageTest, LongestMatchAndKinds) {
  Document doc = Make(
      "A session in the borough of Montréal-Nord, then visits to Latin America and the "
      "Caribbean, Southern Africa and Mexico City.");
  Stage().Apply(doc);
  EXPECT_EQ(Names(doc.original), (Strings{"Montréal-Nord", "Latin America and the Caribbean",
                                          "Southern Africa", "Mexico City"}));
  ASSERT_NE(Find(doc, "Montréal-Nord"), nullptr);
  EXPECT_EQ(Find(doc, "Montréal-Nord")->kind, "district");
  EXPECT_EQ(Find(doc, "Southern Africa")->kind, "world_region");
  EXPECT_EQ(Find(doc, "Mexico City")->country, "MX");
}

TEST(PlaceStageTest, TokenBoundaries) {
  // "Latin America" is not inside "Latin American"; "Nice" not inside "Nicest".
  EXPECT_EQ(Names("The Latin American Institute for Security met the Nicest team."), Strings{});
  EXPECT_EQ(Names("Crime in Latin America."), Strings{"Latin America"});
}

TEST(PlaceStageTest, LowerCaseArticleOfAName) {
  Document doc = Make("The court sits in the Hague, not in The Hague's suburbs.");
  Stage().Apply(doc);
  ASSERT_EQ(doc.items[0].places.size(), 1u);
  EXPECT_EQ(doc.items[0].places[0].name, "Hague");
  EXPECT_EQ(doc.items[0].places[0].canonical, "The Hague");
  EXPECT_EQ(doc.items[0].places[0].mentions.size(), 2u);
  EXPECT_EQ(Names("They met in the Americas."), Strings{"Americas"});
}

// A body's head word used alone after an article refers to the body: "du
// Centre" is the organization, not the French region; "el Centro" not El
// Centro, California. A title after a place opens the next name.
TEST(PlaceStageTest, HeadWordOfABodyAfterAnArticleIsNoPlace) {
  EXPECT_EQ(Names("Deux chercheuses du Centre ont présenté l'enquête.", "fr"), Strings{});
  EXPECT_EQ(Names("El programa que el Centro desarrolla en Lima.", "es"), Strings{"Lima"});
  EXPECT_EQ(Names("Mme Diallo a rencontré à Paris M. Thomas Leroux.", "fr"), Strings{"Paris"});
}

TEST(PlaceStageTest, HyphensAndSpacesAreOneName) {
  EXPECT_EQ(Names("Work session in the borough of Montréal Nord."), Strings{"Montréal Nord"});
  EXPECT_EQ(Names("Stakeholders from Rivière-des-Prairies–Pointe-aux-Trembles met."),
            Strings{"Rivière-des-Prairies-Pointe-aux-Trembles"});
  EXPECT_EQ(Names("Workers in the borough of Montreal North."), Strings{"Montreal North"});
}

TEST(PlaceStageTest, CommonWordsNeedContext) {
  EXPECT_EQ(Names("It was a nice meeting."), Strings{});
  EXPECT_EQ(Names("Nice work was done by the team."), Strings{});
  EXPECT_EQ(Names("The team then travelled to Nice for a conference."), Strings{"Nice"});
  EXPECT_EQ(Names("Reading the report takes time."), Strings{});
  EXPECT_EQ(Names("Reading is a town near London."), Strings{"London"});
  EXPECT_EQ(Names("The conference took place in Reading last year."), Strings{"Reading"});
  EXPECT_EQ(Names("They visited Lyon, Grenoble and Nice."), (Strings{"Lyon", "Grenoble", "Nice"}));
  EXPECT_EQ(Names("Our mobile unit and the Mobile Crisis Team."), Strings{});
}

TEST(PlaceStageTest, NotInsideLongerProperNouns) {
  EXPECT_EQ(Names("We met Caroline Bourgeois and Victor Armony."), Strings{});
  EXPECT_EQ(Names("Partners include Concordia University."), Strings{});
  EXPECT_EQ(Names("On March 7, Ms. Florence Martin and Dr. Jordan Lincoln met Victoria Lopez and "
                  "Paris Hilton."),
            Strings{});
  EXPECT_EQ(Names("Mme Florence Martin était présente.", "fr"), Strings{});
  // A large place may modify a noun.
  EXPECT_EQ(Names("Exploratory walks near the Montreal Metro stations."), Strings{"Montreal"});
}

TEST(PlaceStageTest, AcronymsAreNotPlaces) {
  // "LIMA" would be Lima; in capitals in running text it reads as an acronym.
  EXPECT_EQ(Names("The LIMA programme met partners in the US, the UK and Lima."),
            (Strings{"US", "UK", "Lima"}));
}

TEST(PlaceStageTest, HeadlinesInTitleCase) {
  // Every word is capitalized: an ordinary word needs more than its capital.
  EXPECT_EQ(Names("ICPC Signs Partnership With Mobile Crisis Teams And Toronto\nBody text."),
            Strings{"Toronto"});
  // A sentence full of names is not a headline: "met" is lower case.
  EXPECT_EQ(Names("Montreal met Toronto, Ottawa and Nice."), (Strings{"Montreal", "Toronto", "Ottawa", "Nice"}));
}

TEST(PlaceStageTest, PlaceInsideOrganizationIsPartOfIt) {
  EXPECT_EQ(Names("A meeting with the City of Montreal on safety.", "en", {"City of Montreal"}),
            Strings{});
  EXPECT_EQ(Names("The Dubai Police organized the summit.", "en", {"Dubai Police"}), Strings{});
  // People found before this stage count the same way.
  EXPECT_EQ(Names("We thank Paris for her help."), Strings{"Paris"});  // alone, a place
  Document person = Make("We thank Paris for her help.");
  Person p;
  p.name = "Paris";
  p.mentions.push_back({person.text.find("Paris"), person.text.find("Paris") + 5});
  person.items[0].people.push_back(p);
  Stage().Apply(person);
  EXPECT_TRUE(person.items[0].places.empty());
  EXPECT_EQ(Names("The Société de transport de Montréal agreed.", "en",
                  {"Société de transport de Montréal"}),
            Strings{});
  // An organization found inside the place's own name does not claim it.
  EXPECT_EQ(Names("Socios de EE.UU. y de Chile.", "es", {"EE"}), (Strings{"EE.UU.", "Chile"}));
  // Named on its own elsewhere in the item: a place, with only that mention.
  Document doc = Make("The Government of Quebec funds projects across Quebec.", "en",
                      {"Government of Quebec"});
  Stage().Apply(doc);
  ASSERT_EQ(doc.items[0].places.size(), 1u);
  EXPECT_EQ(doc.items[0].places[0].mentions.size(), 1u);
  EXPECT_EQ(doc.Slice(doc.items[0].places[0].mentions[0]), "Quebec");
}

TEST(PlaceStageTest, DisambiguatesByTheItemsCountries) {
  Document doc = Make("A new member in Córdoba, Argentina.");
  Stage().Apply(doc);
  ASSERT_NE(Find(doc, "Córdoba"), nullptr);
  EXPECT_EQ(Find(doc, "Córdoba")->country, "AR");
  doc = Make("The congress was held in Córdoba, Spain.");
  Stage().Apply(doc);
  ASSERT_NE(Find(doc, "Córdoba"), nullptr);
  EXPECT_EQ(Find(doc, "Córdoba")->country, "ES");
  doc = Make("Partners from Montreal, London and Berlin.");
  Stage().Apply(doc);
  ASSERT_NE(Find(doc, "London"), nullptr);
  EXPECT_EQ(Find(doc, "London")->country, "GB");  // the capital, not London, Ontario
}

TEST(PlaceStageTest, NeighbourhoodsNeedTheirCityOrACue) {
  EXPECT_EQ(Names("A walk in the Saint-Michel neighbourhood."), Strings{"Saint-Michel"});
  EXPECT_EQ(Names("Exploratory walks were held in the Mile End."), Strings{"Mile End"});
  EXPECT_EQ(Names("The Mile End was quiet."), Strings{});
  EXPECT_EQ(Names("Montreal youth from Villeray-Saint-Michel-Parc-Extension."),
            (Strings{"Montreal", "Villeray-Saint-Michel-Parc-Extension"}));
}

TEST(PlaceStageTest, RulesMakeLongerAndNewPlaces) {
  Document doc = Make("She is in charge of the East End of Montreal. The Montreal borough of Lachine.");
  Stage().Apply(doc);
  EXPECT_EQ(Names(doc.original), (Strings{"East End of Montreal", "Montreal", "Lachine"}));
  const Place* east = Find(doc, "East End of Montreal");
  ASSERT_NE(east, nullptr);
  EXPECT_EQ(east->kind, "district");
  EXPECT_EQ(east->country, "CA");
  // Two wordings of one rule's place are one place.
  EXPECT_EQ(Names("The Urban Agglomeration of Montreal, or Agglomeration of Montreal, grows."),
            Strings{"Urban Agglomeration of Montreal"});
  // The rules' last words are checked backwards from the place, over the
  // spaces before it; other words before a place make no longer place.
  EXPECT_EQ(Names("Jobs across Greater   Montreal and the East End of  Halifax."),
            (Strings{"Greater   Montreal", "East End of  Halifax"}));
  EXPECT_EQ(Names("Jobs across the greater Montreal area and at the west end of Halifax."),
            (Strings{"Montreal", "Halifax"}));
}

TEST(PlaceStageTest, French) {
  EXPECT_EQ(Names("Le CIPC était à Montréal puis en Bolivie et au Mexique.", "fr"),
            (Strings{"Montréal", "Bolivie", "Mexique"}));
  EXPECT_EQ(Names("Une rencontre en Amérique latine et à Londres.", "fr"),
            (Strings{"Amérique latine", "Londres"}));
  EXPECT_EQ(Names("Les partenaires de l'arrondissement de Lachine et du Grand Montréal.", "fr"),
            (Strings{"Lachine", "Grand Montréal"}));
  // "Canada" written in a French text: the country, whatever French words say.
  EXPECT_EQ(Names("Le gouvernement fédéral du Canada a soutenu le projet.", "fr"), Strings{"Canada"});
}

TEST(PlaceStageTest, Spanish) {
  Document doc = Make("Un nuevo miembro en Córdoba, Argentina, y un taller en América Latina.", "es");
  Stage().Apply(doc);
  EXPECT_EQ(Names(doc.original, "es"), (Strings{"Córdoba", "Argentina", "América Latina"}));
  EXPECT_EQ(Find(doc, "Córdoba")->country, "AR");
  EXPECT_EQ(Find(doc, "América Latina")->kind, "world_region");
  EXPECT_EQ(Names("Se reunieron en Ciudad de México y en Nuevo León, Estados Unidos y Ginebra.", "es"),
            (Strings{"Ciudad de México", "Nuevo León", "Estados Unidos", "Ginebra"}));
}

TEST(PlaceStageTest, EachPlaceOncePerItemAndItemsApart) {
  Document doc;
  doc.original = "Montreal and Toronto.\nMontreal again, Montreal.";
  NormalizeDocument(doc);
  const size_t cut = doc.text.find('\n');
  Item a, b;
  a.span = {0, cut};
  b.span = {cut + 1, doc.text.size()};
  a.lang = b.lang = "en";
  doc.items = {a, b};
  Stage().Apply(doc);
  ASSERT_EQ(doc.items[0].places.size(), 2u);
  ASSERT_EQ(doc.items[1].places.size(), 1u);
  EXPECT_EQ(doc.items[1].places[0].mentions.size(), 2u);
  EXPECT_GT(doc.items[1].places[0].mentions[0].begin, cut);
}

TEST(PlaceStageTest, ApplyFromManyThreads) {
  const std::string text = "From Montreal to Córdoba, Argentina, and to Nice, then to the Hague.";
  const Strings want = Names(text);
  ASSERT_EQ(want.size(), 5u);
  std::vector<std::thread> threads;
  std::vector<Strings> got(4);
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < 50; ++r) got[t] = Names(text);
    });
  for (std::thread& t : threads) t.join();
  for (const Strings& g : got) EXPECT_EQ(g, want);
}

// Every example of rules/<lang>/places.rules: "TEXT => PLACE".
TEST(PlaceStageTest, RuleExamples) {
  size_t checked = 0;
  for (const char* lang : {"en", "fr", "es"}) {
    const std::string path = DataRoot() + "/rules/" + lang + "/places.rules";
    if (!fs::exists(path)) continue;
    for (const RuleBlock& block : ParseRuleFile(path)) {
      for (const RuleField* f : block.GetAll("example")) {
        const size_t arrow = f->value.find(" => ");
        ASSERT_NE(arrow, std::string::npos) << path << ":" << f->line;
        const std::string text = f->value.substr(0, arrow), want = f->value.substr(arrow + 4);
        const Strings got = Names(text, lang);
        EXPECT_NE(std::find(got.begin(), got.end(), want), got.end())
            << path << ":" << f->line << " " << block.name() << ": no '" << want << "' in '" << text << "'";
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 8u);
}

TEST(PlaceStageTest, BrokenFilesAreConfigErrors) {
  const fs::path root = fs::temp_directory_path() / "places_test_root";
  fs::remove_all(root);
  fs::create_directories(root / "models/places");
  fs::create_directories(root / "rules/en");
  StageOptions options;
  options.root = root.string();
  EXPECT_THROW(PlaceStage{options}, ConfigError);  // no gazetteer
  {
    std::ofstream out(root / "models/places/places.tsv");
    out << "# header\niso:CA\tCanada\tcountry\t\tCA\t0\t\tCanada\t\n";
  }
  EXPECT_NO_THROW(PlaceStage{options});
  {
    std::ofstream out(root / "rules/en/places.rules");
    out << "rule: bad\nbefore: (unclosed\nkind: region\n";
  }
  try {
    PlaceStage stage(options);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 2);
  }
  {
    std::ofstream out(root / "rules/en/places.rules");
    out << "rule: bad\npattern: borough of \\w+\nkind: region\n";
  }
  EXPECT_THROW(PlaceStage{options}, ConfigError);  // no (?P<place>...)
  {
    std::ofstream out(root / "models/places/places.tsv");
    out << "iso:CA\tCanada\tnation\t\tCA\t0\t\tCanada\t\n";
  }
  EXPECT_THROW(PlaceStage{options}, ConfigError);  // unknown kind
  fs::remove_all(root);
}

}  // namespace
}  // namespace newsevents
