#include "pipeline/organizations.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/normalize.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

const OrganizationStage& Stage() {
  static const OrganizationStage* stage = [] {
    StageOptions options;
    options.root = DataRoot();
    return new OrganizationStage(options);
  }();
  return *stage;
}

// A document with one item per text, organizations extracted.
Document Extract(const std::vector<std::string>& items, const std::string& lang = "en") {
  Document doc;
  std::string joined;
  std::vector<Span> spans;
  for (const std::string& text : items) {
    if (!joined.empty()) joined += "\n\n";
    const size_t begin = joined.size();
    joined += text;
    spans.push_back({begin, joined.size()});
  }
  doc.original = joined;
  NormalizeDocument(doc);
  EXPECT_EQ(doc.text.size(), joined.size()) << "test texts should not change in normalization";
  for (size_t i = 0; i < spans.size(); ++i) {
    Item item;
    item.index = i;
    item.span = spans[i];
    item.lang = lang;
    doc.items.push_back(item);
  }
  Stage().Apply(doc);
  return doc;
}

std::vector<Organization> Orgs(const std::string& text, const std::string& lang = "en") {
  return Extract({text}, lang).items[0].organizations;
}

const Organization* Find(const std::vector<Organization>& orgs, const std::string& name) {
  for (const Organization& o : orgs)
    if (o.name == name) return &o;
  return nullptr;
}

std::string Names(const std::vector<Organization>& orgs) {
  std::string s;
  for (const Organization& o : orgs) {
    s += o.name + " [";
    for (const std::string& a : o.aliases) s += a + ";";
    s += "] ";
  }
  return s;
}

bool HasAlias(const Organization* o, const std::string& alias) {
  return o && std::find(o->aliases.begin(), o->aliases.end(), alias) != o->aliases.end();
}

TEST(Organizations, LongFormThenAcronym) {
  auto orgs = Orgs("The team met its partner, the Organization of American States (OAS), in June.");
  const Organization* oas = Find(orgs, "Organization of American States");
  ASSERT_NE(oas, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(oas, "OAS"));
  EXPECT_EQ(oas->mentions.size(), 2u);
  EXPECT_EQ(orgs.size(), 1u) << Names(orgs);
}

TEST(Organizations, AcronymThenLongForm) {
  auto orgs = Orgs("We joined the RAPS network (Research and Action on Social Polarizations) last year.");
  const Organization* raps = Find(orgs, "Research and Action on Social Polarizations");
  ASSERT_NE(raps, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(raps, "RAPS"));
}

TEST(Organizations, OtherLanguageLongFormInBrackets) {
  auto orgs = Orgs("We were mandated by the Montreal Transit Corporation (Société de transport de Montréal, STM) "
                   "for a pilot. The STM project team agreed.");
  const Organization* stm = Find(orgs, "Montreal Transit Corporation");
  ASSERT_NE(stm, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(stm, "Société de transport de Montréal"));
  EXPECT_TRUE(HasAlias(stm, "STM"));
  EXPECT_EQ(orgs.size(), 1u) << Names(orgs);
}

TEST(Organizations, SlashedAcronymNamesBothBodies) {
  auto orgs = Orgs("Organized by the Department of Public Security of the Organization of American States "
                   "(DSP/OAS) and others.");
  const Organization* dsp = Find(orgs, "Department of Public Security of the Organization of American States");
  ASSERT_NE(dsp, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(dsp, "DSP/OAS"));
  const Organization* oas = Find(orgs, "Organization of American States");
  ASSERT_NE(oas, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(oas, "OAS"));
}

TEST(Organizations, AcronymResolvesToDefinitionInAnotherItem) {
  Document doc = Extract({"The CMNCP invited us to a conversation.",
                      "A talk with the Canadian Municipal Network on Crime Prevention (CMNCP) took place."});
  const auto& first = doc.items[0].organizations;
  ASSERT_EQ(first.size(), 1u) << Names(first);
  EXPECT_EQ(first[0].name, "Canadian Municipal Network on Crime Prevention");
  EXPECT_TRUE(HasAlias(&first[0], "CMNCP"));
}

TEST(Organizations, AcronymNeverExpandedIsItsOwnName) {
  auto orgs = Orgs("Trains of the SNCF were late again.");
  ASSERT_EQ(orgs.size(), 1u) << Names(orgs);
  EXPECT_EQ(orgs[0].name, "SNCF");
  EXPECT_TRUE(orgs[0].aliases.empty());
}

TEST(Organizations, LexiconResolvesShortFormsInEachLanguage) {
  auto en = Orgs("We took part in a webinar organized by UN-Habitat on safer cities.");
  const Organization* habitat = Find(en, "United Nations Human Settlements Programme");
  ASSERT_NE(habitat, nullptr) << Names(en);
  EXPECT_TRUE(HasAlias(habitat, "UN-Habitat"));

  auto fr = Orgs("Le rapport de l'ONUDC est paru hier.", "fr");
  const Organization* onudc = Find(fr, "Office des Nations Unies contre la drogue et le crime");
  ASSERT_NE(onudc, nullptr) << Names(fr);
  EXPECT_TRUE(HasAlias(onudc, "ONUDC"));

  // The text's own wording of the name wins; the lexicon still links the short form.
  auto worded = Orgs("Among them was the United Nations Human Settlement Programme (UN-Habitat), a member.");
  const Organization* w = Find(worded, "United Nations Human Settlement Programme");
  ASSERT_NE(w, nullptr) << Names(worded);
  EXPECT_TRUE(HasAlias(w, "UN-Habitat"));
  EXPECT_EQ(worded.size(), 1u) << Names(worded);
}

TEST(Organizations, OneOrganizationWithAllItsMentions) {
  auto orgs = Orgs("The ICPC met partners. ICPC staff spoke. The International Centre for the Prevention "
                   "of Crime is based in Montreal.");
  ASSERT_EQ(orgs.size(), 1u) << Names(orgs);
  EXPECT_EQ(orgs[0].name, "International Centre for the Prevention of Crime");
  EXPECT_TRUE(HasAlias(&orgs[0], "ICPC"));
  EXPECT_EQ(orgs[0].mentions.size(), 3u);
}

TEST(Organizations, HeadWordsInEnglish) {
  auto orgs = Orgs("She taught at the University of Montreal and the Montreal Institute of Learning "
                   "Algorithms before joining the Quebec Ministry of Public Safety.");
  EXPECT_NE(Find(orgs, "University of Montreal"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Montreal Institute of Learning Algorithms"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Quebec Ministry of Public Safety"), nullptr) << Names(orgs);
}

TEST(Organizations, HeadWordsInFrenchAndSpanish) {
  auto fr = Orgs("Des représentants du Réseau Virage et de la Ville de Montréal étaient présents.", "fr");
  EXPECT_NE(Find(fr, "Réseau Virage"), nullptr) << Names(fr);
  EXPECT_NE(Find(fr, "Ville de Montréal"), nullptr) << Names(fr);
  auto es = Orgs("Participaron la Fundación Pasos Libres y la Universidad Blas Pascal.", "es");
  EXPECT_NE(Find(es, "Fundación Pasos Libres"), nullptr) << Names(es);
  EXPECT_NE(Find(es, "Universidad Blas Pascal"), nullptr) << Names(es);
}

TEST(Organizations, FrenchAndSpanishNamesWithLowerCaseWords) {
  auto fr = Orgs("Le projet est financé par le ministère de la Sécurité publique du Québec. "
                    "L'École de criminologie de l'Université de Montréal, organisée par ONU-Habitat à Nairobi.",
                    "fr");
  EXPECT_NE(Find(fr, "ministère de la Sécurité publique du Québec"), nullptr) << Names(fr);
  EXPECT_NE(Find(fr, "École de criminologie de l'Université de Montréal"), nullptr) << Names(fr);
  EXPECT_NE(Find(fr, "Université de Montréal"), nullptr) << Names(fr);
  const Organization* habitat = Find(fr, "Programme des Nations Unies pour les établissements humains");
  ASSERT_NE(habitat, nullptr) << Names(fr);
  EXPECT_TRUE(HasAlias(habitat, "ONU-Habitat"));
  // "à Nairobi" is where, not part of the name; "au centre de Montréal" is downtown.
  EXPECT_EQ(fr.size(), 4u) << Names(fr);
  EXPECT_TRUE(Orgs("Nous étions au centre de Montréal.", "fr").empty());

  auto es = Orgs("Participaron la Oficina de las Naciones Unidas contra la Droga y el Delito (UNODC) y "
                    "la Secretaría de Seguridad Ciudadana de Chile y de Carabineros de Chile.",
                    "es");
  const Organization* unodc = Find(es, "Oficina de las Naciones Unidas contra la Droga y el Delito");
  ASSERT_NE(unodc, nullptr) << Names(es);
  EXPECT_TRUE(HasAlias(unodc, "UNODC"));
  EXPECT_NE(Find(es, "Secretaría de Seguridad Ciudadana de Chile"), nullptr) << Names(es);
  EXPECT_NE(Find(es, "Carabineros de Chile"), nullptr) << Names(es);
}

TEST(Organizations, ParentsOfNestedNames) {
  auto orgs = Orgs("The partners are Alberto Hurtado University's Faculty of Law and others.");
  EXPECT_NE(Find(orgs, "Alberto Hurtado University's Faculty of Law"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Alberto Hurtado University"), nullptr) << Names(orgs);
}

TEST(Organizations, EventsDocumentsAndGenericPhrasesAreNot) {
  EXPECT_TRUE(Orgs("We spoke at the First Inter-American Conference of Crime Observatories and "
                   "Analysis Centres in May.").empty());
  EXPECT_TRUE(Orgs("This is part of the mandate of an Urban Safety Lab.").empty());
  EXPECT_TRUE(Orgs("Program Objectives").empty());
  // A defined short form of a survey or an event is no body either.
  EXPECT_TRUE(Orgs("Data follow the Uniform Crime Reporting Survey (UCR 2.2) rules. The UCR data.").empty());
  EXPECT_TRUE(Orgs("At The Cybersecurity Revolution 2021 event (SECREV) we spoke. SECREV is free.").empty());
}

TEST(Organizations, BracketsThatDefineNothing) {
  EXPECT_TRUE(Orgs("The report (2021) is out, more on this (see below).").empty());
}

TEST(Organizations, PartnerListsAreSplit) {
  auto orgs = Orgs("In partnership with United Cities and Local Governments, Habitat Norway and Vibe Lab "
                   "Germany, the webinar brought together 50 participants.");
  EXPECT_NE(Find(orgs, "United Cities and Local Governments"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Habitat Norway"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Vibe Lab Germany"), nullptr) << Names(orgs);
  EXPECT_EQ(orgs.size(), 3u) << Names(orgs);
}

// A short form kept from another language names the body before its brackets,
// the last of a list, not the list ("UN Women and the ..."), nor "UN" alone.
TEST(Organizations, OtherLanguageShortFormNamesTheListsLastBody) {
  auto orgs = Orgs("Prepared with UN Women and the International Association of Public Transport "
                   "(UITP), the report is out.");
  const Organization* uitp = Find(orgs, "International Association of Public Transport");
  ASSERT_NE(uitp, nullptr) << Names(orgs);
  EXPECT_TRUE(HasAlias(uitp, "UITP"));
  EXPECT_NE(Find(orgs, "UN Women"), nullptr) << Names(orgs);
  EXPECT_EQ(orgs.size(), 2u) << Names(orgs);
  auto es = Orgs("Organizado por la Alcaldía Mayor de Bogotá y el Banco de Desarrollo de América "
                 "Latina y el Caribe (CAF). Asistieron 300 personas.", "es");
  EXPECT_NE(Find(es, "Alcaldía Mayor de Bogotá"), nullptr) << Names(es);
  EXPECT_NE(Find(es, "Banco de Desarrollo de América Latina y el Caribe"), nullptr) << Names(es);
  EXPECT_EQ(es.size(), 2u) << Names(es);
}

// A body's organ named with the body is that body (rules/<lang>/vocab/org_organs.tsv);
// a city inside another body's name only says whose body it is.
TEST(Organizations, OrgansAndCitiesInsideNamesAreNotBodies) {
  auto en = Orgs("The ICPC Board of Directors elected a chair. The Toronto Police Services Board met.");
  EXPECT_EQ(Find(en, "ICPC Board of Directors"), nullptr) << Names(en);
  EXPECT_NE(Find(en, "Toronto Police Services Board"), nullptr) << Names(en);
  auto es = Orgs("El Consejo de Administración del CIPC eligió como presidenta a la Dra. Ortiz.", "es");
  EXPECT_EQ(Find(es, "Consejo de Administración del CIPC"), nullptr) << Names(es);
  EXPECT_EQ(es.size(), 1u) << Names(es);
  auto fr = Orgs("Le CIPC a rencontré le Service de police de la Ville de Montréal.", "fr");
  EXPECT_NE(Find(fr, "Service de police de la Ville de Montréal"), nullptr) << Names(fr);
  EXPECT_EQ(Find(fr, "Ville de Montréal"), nullptr) << Names(fr);
}

TEST(Organizations, GovernmentsOfEachPlace) {
  auto orgs = Orgs("Founded in 1994 by the governments of Canada, Quebec, and France, the centre grew.");
  EXPECT_NE(Find(orgs, "Government of Canada"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Government of Quebec"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "Government of France"), nullptr) << Names(orgs);
}

TEST(Organizations, LowerCaseNamesAndPlaceReadings) {
  auto orgs = Orgs("According to Montreal police, crime fell. It was organized with the municipality of "
                   "Querétaro. Then we spoke in the Municipality of Nuevo León.");
  EXPECT_NE(Find(orgs, "Montreal police"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "municipality of Querétaro"), nullptr) << Names(orgs);
  EXPECT_EQ(Find(orgs, "Municipality of Nuevo León"), nullptr) << Names(orgs);
}

TEST(Organizations, ShortFormsStandingAlone) {
  auto orgs = Orgs("The panel featured CentroGeo, as well as the Director of CrimiPol. COVID-19 and "
                   "a PhD are not bodies. A FIRST NATION-WIDE COMPETITION IS LAUNCHED.");
  EXPECT_NE(Find(orgs, "CentroGeo"), nullptr) << Names(orgs);
  EXPECT_NE(Find(orgs, "CrimiPol"), nullptr) << Names(orgs);
  EXPECT_EQ(orgs.size(), 2u) << Names(orgs);
}

TEST(OrgLexicon, KeysIgnoreArticlesPluralsAndSpelling) {
  const OrgLexicon& lex = Stage().lexicon();
  EXPECT_EQ(lex.PhraseKey("the United Nations Development Program"),
            lex.PhraseKey("United Nations Development Programme"));
  const int undp = lex.FindByKey(lex.PhraseKey("United Nations Development Program"));
  ASSERT_GE(undp, 0);
  EXPECT_EQ(lex.AcronymIn(undp, "fr"), "PNUD");
  EXPECT_EQ(lex.FindAcronym("WHO"), lex.FindByKey(lex.PhraseKey("World Health Organization")));
  EXPECT_EQ(lex.FindAcronym("who"), -1);
}

TEST(OrgLexicon, BrokenLinesNameTheirFileAndLine) {
  const std::string dir = ::testing::TempDir();
  const std::string entries = dir + "/orgs_bad.tsv", variants = dir + "/variants.tsv";
  std::ofstream(variants) << "program\tprogramme\n";
  std::ofstream(entries) << "# comment\nun\ten\tname\tUnited Nations\nun\ten\tnickname\tUN\n";
  try {
    OrgLexicon::Load(entries, variants);
    FAIL() << "an unknown kind must be refused";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 3);
  }
  std::ofstream(entries) << "un\ten\tname\tUnited Nations\nun\ten\tname\tThe UN\n";
  EXPECT_THROW(OrgLexicon::Load(entries, variants), ConfigError);
  std::remove(entries.c_str());
  std::remove(variants.c_str());
}

}  // namespace
}  // namespace newsevents
