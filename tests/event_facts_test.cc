#include "pipeline/event_facts.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/event_type.h"
#include "tests/event_test_util.h"

namespace newsevents {
namespace {

using testing::AddOrganization;
using testing::OneItemDocument;
using testing::TempRoot;

const EventTypeStage& Stage() {
  static const EventTypeStage* stage = [] {
    StageOptions o;
    o.root = DataRoot();
    return new EventTypeStage(o);
  }();
  return *stage;
}

// Runs the stage (types, then facts) on a one-item document.
Item Facts(Document doc) {
  Stage().Apply(doc);
  return doc.items.front();
}
Item Facts(const std::string& lang, const std::string& title, const std::string& body) {
  return Facts(OneItemDocument(lang, title, body));
}

// -------------------------------------------------------------- head counts

TEST(EventFactsTest, ParticipantsWithNationalities) {
  Item en = Facts("en", "Winners of the hackathon",
                  "The hackathon brought together 75 participants of 16 different "
                  "nationalities.");
  EXPECT_EQ(en.participants, 75);
  EXPECT_EQ(en.nationalities, 16);

  Item fr = Facts("fr", "", "Le forum a réuni 120 participants de 14 nationalités.");
  EXPECT_EQ(fr.participants, 120);
  EXPECT_EQ(fr.nationalities, 14);

  Item es = Facts("es", "", "El foro reunió a 90 participantes de 12 nacionalidades distintas.");
  EXPECT_EQ(es.participants, 90);
  EXPECT_EQ(es.nationalities, 12);
}

TEST(EventFactsTest, ParticipantsWithoutNationalities) {
  Item en = Facts("en", "", "The conference attracted more than 180 participants from Europe.");
  EXPECT_EQ(en.participants, 180);
  EXPECT_FALSE(en.nationalities.has_value());

  EXPECT_EQ(Facts("en", "", "Ann shared with nearly 200 people the work of the Centre.")
                .participants,
            200);
  EXPECT_EQ(Facts("fr", "", "Le colloque a attiré plus de 150 participants.").participants, 150);
  EXPECT_EQ(Facts("fr", "", "Une centaine de participantes étaient présentes.").participants,
            100);
  EXPECT_EQ(Facts("es", "", "El congreso contó con más de 200 asistentes.").participants, 200);
  EXPECT_EQ(Facts("es", "", "Asistieron unos 1.500 participantes.").participants, 1500);
}

TEST(EventFactsTest, NumberWords) {
  EXPECT_EQ(Facts("en", "", "Two hundred participants joined the forum.").participants, 200);
  EXPECT_EQ(Facts("fr", "", "Deux cents participants ont pris part au forum.").participants, 200);
  EXPECT_EQ(Facts("es", "", "Doscientos asistentes participaron en el foro.").participants, 200);
}

TEST(EventFactsTest, SeparateNationalitiesAndParticipantsPreferredOverSpeakers) {
  Item item = Facts("en", "",
                    "The conference brought together about 10 different nationalities and "
                    "about 50 speakers. It attracted more than 180 participants.");
  EXPECT_EQ(item.participants, 180);
  EXPECT_EQ(item.nationalities, 10);
}

TEST(EventFactsTest, AgesYearsAndOtherNumbersAreNotHeadCounts) {
  EXPECT_FALSE(Facts("en", "", "A project for youth aged 12 to 25 in 2023.").participants);
  EXPECT_FALSE(Facts("en", "", "In 2023, 33 homicides were recorded.").participants);
  EXPECT_FALSE(Facts("en", "", "The 2019 participants received a certificate.").participants);
  EXPECT_FALSE(Facts("fr", "", "52 projets financés par 11 membres du comité.").participants);
  EXPECT_FALSE(Facts("es", "", "Jóvenes de 15 a 29 años en 2021.").participants);
}

TEST(EventFactsTest, ParseCount) {
  Vocabulary vocab;
  vocab.Add("event_number_word", "two hundred", "200");
  EXPECT_EQ(EventFacts::ParseCount("1,500", vocab), 1500);
  EXPECT_EQ(EventFacts::ParseCount("1 500", vocab), 1500);
  EXPECT_EQ(EventFacts::ParseCount("1.500", vocab), 1500);
  EXPECT_EQ(EventFacts::ParseCount("75", vocab), 75);
  EXPECT_EQ(EventFacts::ParseCount("two hundred", vocab), 200);
  EXPECT_EQ(EventFacts::ParseCount("Two Hundred", vocab), 200);
  EXPECT_FALSE(EventFacts::ParseCount("2021", vocab));    // a year
  EXPECT_FALSE(EventFacts::ParseCount("1,50", vocab));    // not a thousands group
  EXPECT_FALSE(EventFacts::ParseCount("0", vocab));
  EXPECT_FALSE(EventFacts::ParseCount("many", vocab));
  EXPECT_EQ(EventFacts::ParseCount("3000", vocab), 3000);  // not in the years' range
}

// --------------------------------------------------------------- attendance

TEST(EventFactsTest, Attendance) {
  EXPECT_EQ(Facts("en", "", "The ICPC attended online the meeting of the network.").attendance,
            "online");
  EXPECT_EQ(Facts("en", "Webinar on data", "A webinar for analysts.").attendance, "online");
  EXPECT_EQ(Facts("en", "", "This hybrid event was attended by 150 people.").attendance,
            "hybrid");
  EXPECT_EQ(Facts("en", "", "An in-person meeting was held in Paris.").attendance, "in_person");
  EXPECT_EQ(Facts("en", "", "The forum met in person this year, and was also streamed live.")
                .attendance,
            "hybrid");  // online and in-person cues together
  EXPECT_EQ(Facts("en", "", "The forum was held in Paris.").attendance, "");
  // "online" that says nothing about the event.
  EXPECT_EQ(Facts("en", "", "Victims are recruited online by criminal networks.").attendance, "");

  EXPECT_EQ(Facts("fr", "", "La conférence s'est tenue en ligne du 21 au 22 novembre.").attendance,
            "online");
  EXPECT_EQ(Facts("fr", "", "Une rencontre virtuelle a réuni les membres.").attendance, "online");
  EXPECT_EQ(Facts("fr", "", "Cet événement hybride a réuni 80 personnes.").attendance, "hybrid");
  EXPECT_EQ(Facts("fr", "", "La formation est offerte en présentiel à Montréal.").attendance,
            "in_person");

  EXPECT_EQ(Facts("es", "", "La conferencia se celebró en línea el 3 de mayo.").attendance,
            "online");
  EXPECT_EQ(Facts("es", "", "El encuentro virtual reunió a los miembros.").attendance, "online");
  EXPECT_EQ(Facts("es", "", "El taller se realizó en modalidad híbrida.").attendance, "hybrid");
  EXPECT_EQ(Facts("es", "", "La capacitación es presencial en Lima.").attendance, "in_person");
}

// --------------------------------------------------------------- organizers

TEST(EventFactsTest, OrganizedByNamesTheOrganizers) {
  Document doc = OneItemDocument(
      "en", "",
      "The webinar was organized by the Alliance of NGOs and the City of Lyon, which "
      "invited UNODC to speak.");
  AddOrganization(doc, {"Alliance of NGOs"});
  AddOrganization(doc, {"City of Lyon"});
  AddOrganization(doc, {"United Nations Office on Drugs and Crime", "UNODC"});
  const Item item = Facts(doc);
  EXPECT_EQ(item.organizers, (std::vector<std::string>{"Alliance of NGOs", "City of Lyon"}));
}

TEST(EventFactsTest, SubjectThatOrganizesAndCollaborators) {
  Document doc = OneItemDocument(
      "en", "",
      "The Observatory organized its 5th conference in collaboration with Safe Cities "
      "Network. The Ministry sent a delegate.");
  AddOrganization(doc, {"Observatory"});
  AddOrganization(doc, {"Safe Cities Network"});
  AddOrganization(doc, {"Ministry"});
  const Item item = Facts(doc);
  EXPECT_EQ(item.organizers, (std::vector<std::string>{"Observatory", "Safe Cities Network"}));
}

TEST(EventFactsTest, HostedByInFrenchAndSpanish) {
  Document fr = OneItemDocument(
      "fr", "", "Le colloque, organisé par l'Université de Liège en collaboration avec la "
                "Ville de Namur, a réuni 200 personnes.");
  AddOrganization(fr, {"Université de Liège"});
  AddOrganization(fr, {"Ville de Namur"});
  EXPECT_EQ(Facts(fr).organizers,
            (std::vector<std::string>{"Université de Liège", "Ville de Namur"}));

  Document es = OneItemDocument(
      "es", "", "El foro, organizado por la Alcaldía de Medellín, contó con la presencia de "
                "la Policía Nacional.");
  AddOrganization(es, {"Alcaldía de Medellín"});
  AddOrganization(es, {"Policía Nacional"});
  EXPECT_EQ(Facts(es).organizers, (std::vector<std::string>{"Alcaldía de Medellín"}));
}

TEST(EventFactsTest, ACommaListHoldsOnlyIfItClosesWithAConjunction) {
  Document list = OneItemDocument(
      "en", "", "The forum was organized by UNODC, UN-Habitat and the City of Lyon.");
  AddOrganization(list, {"UNODC"});
  AddOrganization(list, {"UN-Habitat"});
  AddOrganization(list, {"City of Lyon"});
  EXPECT_EQ(Facts(list).organizers,
            (std::vector<std::string>{"UNODC", "UN-Habitat", "City of Lyon"}));

  Document clause = OneItemDocument(
      "en", "", "At the summit hosted by SERENE-RISC, the ICPC presented its project.");
  AddOrganization(clause, {"SERENE-RISC"});
  AddOrganization(clause, {"International Centre for the Prevention of Crime", "ICPC"});
  const Item item = Facts(clause);
  EXPECT_EQ(item.organizers, (std::vector<std::string>{"SERENE-RISC"}));
  EXPECT_EQ(item.role, "speaker");
}

TEST(EventFactsTest, NoOrganizerPhraseNoOrganizers) {
  Document doc = OneItemDocument("en", "", "The ICPC met with the City of Lyon.");
  AddOrganization(doc, {"City of Lyon"});
  EXPECT_TRUE(Facts(doc).organizers.empty());
}

// ---------------------------------------------------------------------- role

Item RoleItem(const std::string& lang, const std::string& title, const std::string& body) {
  Document doc = OneItemDocument(lang, title, body);
  AddOrganization(doc, {"International Centre for the Prevention of Crime", "ICPC"});
  return Facts(doc);
}

TEST(EventFactsTest, RoleInEnglish) {
  EXPECT_EQ(RoleItem("en", "The ICPC organizes a focus group", "Residents met.").role,
            "organizer");
  EXPECT_EQ(RoleItem("en", "", "The ICPC is co-organizing a webinar series this year.").role,
            "organizer");
  EXPECT_EQ(RoleItem("en", "", "The forum was jointly organized by the City and the ICPC.").role,
            "organizer");
  EXPECT_EQ(RoleItem("en", "ICPC shares its expertise at the Forum", "A forum on safety.").role,
            "speaker");
  EXPECT_EQ(RoleItem("en", "", "On May 3, ICPC participated as a panelist in the webinar.").role,
            "panelist");
  EXPECT_EQ(RoleItem("en", "", "The ICPC took part in the last meeting of the network.").role,
            "participant");
  EXPECT_EQ(RoleItem("en", "", "We had the pleasure of attending the launch.").role,
            "participant");
  EXPECT_EQ(RoleItem("en", "", "The ICPC team had the pleasure of welcoming to its Montreal "
                               "offices the Deputy Mayor of Lyon.")
                .role,
            "host");
  EXPECT_EQ(RoleItem("en", "", "The City of Lyon held a forum on safety.").role, "");
}

TEST(EventFactsTest, RoleInFrench) {
  EXPECT_EQ(RoleItem("fr", "", "Le CIPC organise un groupe de discussion à Montréal.").role,
            "organizer");
  EXPECT_EQ(RoleItem("fr", "", "Le CIPC a présenté ses travaux au congrès.").role, "speaker");
  EXPECT_EQ(RoleItem("fr", "", "Le CIPC a participé à titre de panéliste au colloque.").role,
            "panelist");
  EXPECT_EQ(RoleItem("fr", "Participation du CIPC au forum", "Un forum sur la sécurité.").role,
            "participant");
  EXPECT_EQ(RoleItem("fr", "", "Le CIPC a accueilli une délégation de la police chilienne.").role,
            "host");
}

TEST(EventFactsTest, RoleInSpanish) {
  EXPECT_EQ(RoleItem("es", "", "El CIPC organizó un taller en Bogotá.").role, "organizer");
  EXPECT_EQ(RoleItem("es", "", "El CIPC compartió su experiencia en el congreso.").role,
            "speaker");
  EXPECT_EQ(RoleItem("es", "", "El CIPC participó como panelista en el foro.").role, "panelist");
  EXPECT_EQ(RoleItem("es", "", "Tuvimos el placer de asistir al lanzamiento del informe.").role,
            "participant");
  EXPECT_EQ(RoleItem("es", "", "El CIPC recibió a una delegación de Carabineros.").role, "host");
}

TEST(EventFactsTest, OwnOrganizationComesFromAFile) {
  const Organization icpc{"International Centre for the Prevention of Crime", {"ICPC"}, {}};
  const Organization cipc{"CIPC", {}, {}};
  const Organization efus{"European Forum for Urban Safety", {"Efus"}, {}};
  StageOptions options;
  options.root = DataRoot();
  const EventFacts facts(options);
  EXPECT_TRUE(facts.IsOwnOrganization(icpc, "en"));
  EXPECT_TRUE(facts.IsOwnOrganization(cipc, "fr"));
  EXPECT_FALSE(facts.IsOwnOrganization(efus, "en"));

  // Another newsletter: another own organization, no code change.
  TempRoot root;
  root.Write("rules/common/vocab/own_organization.tsv",
             "European Forum for Urban Safety\nEfus\n");
  root.Write("rules/en/event_facts.rules",
             "rule: own_organizes\nfact: role\nvalue: organizer\npriority: 5\n"
             "pattern: \\b%own_organization\\s+organi[sz]es\\b\n"
             "example: Efus organizes a conference\n");
  options.root = root.path();
  const EventFacts other(options);
  EXPECT_TRUE(other.IsOwnOrganization(efus, "en"));
  EXPECT_FALSE(other.IsOwnOrganization(icpc, "en"));
}

// ----------------------------------------------------------- broken rules

int FactsErrorLine(const std::string& rules) {
  TempRoot root;
  root.Write("rules/en/event_facts.rules", rules);
  StageOptions options;
  options.root = root.path();
  try {
    EventFacts facts(options);
  } catch (const ConfigError& e) {
    return e.line();
  }
  return -1;
}

TEST(EventFactsRulesTest, BrokenRulesAreErrorsWithTheirLine) {
  // Unknown field.
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: attendance\nvalue: online\npattern: x\nzone: body\n"),
            5);
  // Unknown fact, attendance value, role, own_role.
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: budget\npattern: x\n"), 2);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: attendance\nvalue: remote\npattern: x\n"), 3);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: role\nvalue: sponsor\npattern: x\n"), 3);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: organizer\nown_role: boss\npattern: by\n"), 3);
  // A head count without its group; a side that is neither.
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: participants\npattern: \\d+ people\n"), 3);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: organizer\nside: left\npattern: organized by\n"),
            3);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: role\nvalue: host\nside: before\npattern: x\n"),
            4);
  // Examples that do not hold.
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: participants\npattern: (?P<count>\\d+) people\n"
                           "example: 40 people => 41\n"),
            4);
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: attendance\nvalue: online\npattern: online\n"
                           "counterexample: online platforms\n"),
            5);
  // A bad priority.
  EXPECT_EQ(FactsErrorLine("rule: a\nfact: role\nvalue: host\npriority: high\npattern: x\n"), 4);
}

}  // namespace
}  // namespace newsevents
