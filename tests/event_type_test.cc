#include "pipeline/event_type.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "tests/event_test_util.h"
#include "tests/event_type_gold.h"

namespace newsevents {
namespace {

using testing::OneItemDocument;
using testing::TempRoot;

StageOptions Options() {
  StageOptions o;
  o.root = DataRoot();
  return o;
}

const EventTypeStage& Stage() {
  static const EventTypeStage* stage = new EventTypeStage(Options());
  return *stage;
}

Item Classify(const std::string& lang, const std::string& title, const std::string& body) {
  Document doc = OneItemDocument(lang, title, body);
  Stage().Apply(doc);
  return doc.items.front();
}

// ------------------------------------------------------- every type, en/fr/es

struct TypeCase {
  const char* lang;
  const char* type;
  const char* title;
  const char* body;
};

// Headlines and first sentences written for these tests, in the style of a
// crime-prevention newsletter, not taken from the corpus.
const TypeCase kTypeCases[] = {
    // English
    {"en", "conference", "Crime prevention at the heart of the Montreal summit",
     "Over three days, mayors and researchers gathered for the annual summit on urban "
     "safety. Several panels addressed youth violence."},
    {"en", "webinar", "Webinar: data for safer neighbourhoods",
     "Join us online on March 3 for a webinar on using local data to prevent crime."},
    {"en", "meeting", "Meeting with the Ministry of Justice",
     "Our team met with representatives of the ministry to discuss the next steps of the "
     "project."},
    {"en", "workshop", "A workshop for municipal practitioners in Lyon",
     "Some twenty practitioners took part in a two-day workshop on preventing school "
     "dropout."},
    {"en", "training", "New training course on restorative justice",
     "Registrations are open for our training course for police officers and social "
     "workers."},
    {"en", "consultation", "Exploratory walks with residents of the Old Port",
     "Residents joined exploratory walks to identify places where they feel unsafe."},
    {"en", "publication", "New report on violence against women",
     "The Centre has published a report on the prevention of intimate partner violence in "
     "rural areas."},
    {"en", "job_offer", "Job offer: communications coordinator",
     "We are hiring a communications coordinator. The deadline for applications is May 15."},
    {"en", "partnership", "Signing of a cooperation agreement with the University of Liege",
     "The two institutions signed a cooperation agreement to develop joint research."},
    {"en", "appointment", "Maria Lopez appointed executive director",
     "The Board is pleased to announce that Maria Lopez has been appointed executive "
     "director."},
    {"en", "competition", "And the winners are...",
     "The jury awarded the first prize to a team of students from Quebec City for their "
     "hackathon project."},
    {"en", "mission", "A week in Colombia and Peru",
     "On mission in South America, the director general met with several city councils and "
     "police services."},
    {"en", "media", "Our director interviewed on national radio",
     "In an interview with the national radio, our director discussed the causes of the rise "
     "in youth violence."},
    {"en", "other", "Annual general meeting postponed",
     "Owing to the strike, the annual general meeting has been postponed to a later date."},

    // Français
    {"fr", "conference", "Le colloque international sur la sécurité des aînés",
     "Plus de 300 personnes ont assisté au colloque tenu à Québec. Plusieurs tables rondes "
     "ont porté sur la maltraitance."},
    {"fr", "webinar", "Webinaire : les données au service de la prévention",
     "Le CIPC vous invite à un webinaire sur l'utilisation des données locales."},
    {"fr", "meeting", "Rencontre avec la ministre de la Sécurité publique",
     "Notre équipe a rencontré la ministre afin de discuter des priorités de l'année."},
    {"fr", "workshop", "Atelier sur la prévention du décrochage scolaire",
     "Une vingtaine d'intervenants ont participé à un atelier de deux jours à Lyon."},
    {"fr", "training", "Nouvelle formation sur la justice réparatrice",
     "Les inscriptions sont ouvertes pour notre formation destinée aux policiers."},
    {"fr", "consultation", "Marches exploratoires avec les résidentes du quartier",
     "Des résidentes ont participé à des marches exploratoires pour repérer les lieux où "
     "elles se sentent en insécurité."},
    {"fr", "publication", "Un nouveau rapport sur la violence conjugale",
     "Le Centre publie un rapport sur la prévention de la violence conjugale en milieu "
     "rural."},
    {"fr", "job_offer", "Offre d'emploi : coordonnateur ou coordonnatrice des communications",
     "Nous recrutons! La date limite pour postuler est le 15 mai."},
    {"fr", "partnership", "Signature d'une entente de collaboration avec l'Université de Liège",
     "Les deux établissements ont signé une entente de collaboration pour développer des "
     "recherches conjointes."},
    {"fr", "appointment", "Marie Tremblay nommée directrice générale",
     "Le conseil d'administration est heureux d'annoncer la nomination de Marie Tremblay."},
    {"fr", "competition", "Les lauréats du concours 2024",
     "Le jury a remis le premier prix à une équipe d'étudiants de Québec."},
    {"fr", "mission", "Une semaine en Colombie et au Pérou",
     "En mission en Amérique du Sud, la directrice générale a rencontré plusieurs "
     "municipalités."},
    {"fr", "media", "Notre directrice en entrevue à Radio-Canada",
     "Dans une entrevue accordée à Radio-Canada, notre directrice a commenté la hausse de la "
     "violence chez les jeunes."},
    {"fr", "other", "Assemblée générale annuelle reportée",
     "En raison de la grève, l'assemblée générale est reportée à une date ultérieure."},

    // Español
    {"es", "conference", "Cumbre regional sobre seguridad ciudadana",
     "Más de 300 personas asistieron a la cumbre celebrada en Bogotá, con varias mesas "
     "redondas sobre violencia juvenil."},
    {"es", "webinar", "Seminario web: datos para barrios más seguros",
     "Le invitamos a nuestro seminario web sobre el uso de datos locales para prevenir el "
     "delito."},
    {"es", "meeting", "Reunión con el Ministerio de Justicia",
     "Nuestro equipo se reunió con representantes del ministerio para conversar sobre las "
     "próximas etapas del proyecto."},
    {"es", "workshop", "Taller para profesionales municipales en Lima",
     "Una veintena de profesionales participaron en un taller de dos días sobre la deserción "
     "escolar."},
    {"es", "training", "Nuevo curso de capacitación sobre justicia restaurativa",
     "Están abiertas las inscripciones para nuestro curso de capacitación dirigido a "
     "policías."},
    {"es", "consultation", "Grupo focal con jóvenes del barrio",
     "Jóvenes del barrio participaron en un grupo focal para identificar los lugares donde se "
     "sienten inseguros."},
    {"es", "publication", "Nuevo informe sobre la violencia contra las mujeres",
     "El Centro publicó un informe sobre la prevención de la violencia de pareja en zonas "
     "rurales."},
    {"es", "job_offer", "Oferta de empleo: coordinador(a) de comunicaciones",
     "Estamos contratando. La fecha límite para postular es el 15 de mayo."},
    {"es", "partnership", "Firma de un convenio de colaboración con la Universidad de Chile",
     "Ambas instituciones firmaron un convenio de colaboración para desarrollar "
     "investigaciones conjuntas."},
    {"es", "appointment", "María López, nombrada directora general",
     "El Consejo Directivo se complace en anunciar el nombramiento de María López."},
    {"es", "competition", "Los ganadores del concurso 2024",
     "El jurado otorgó el primer premio a un equipo de estudiantes de Quito."},
    {"es", "mission", "Una semana en Colombia y Perú",
     "En misión en América del Sur, la directora general se reunió con varios municipios."},
    {"es", "media", "Nuestra directora, entrevistada en la radio nacional",
     "En una entrevista con la radio nacional, nuestra directora habló del aumento de la "
     "violencia juvenil."},
    {"es", "other", "Asamblea general anual aplazada",
     "Debido a la huelga, la asamblea general ha sido aplazada hasta nueva fecha."},
};

TEST(EventTypeTest, EveryTypeInEveryLanguage) {
  std::set<std::pair<std::string, std::string>> covered;
  for (const TypeCase& c : kTypeCases) {
    SCOPED_TRACE(std::string(c.lang) + ": " + c.title);
    const Item item = Classify(c.lang, c.title, c.body);
    EXPECT_EQ(item.event_type, c.type);
    EXPECT_GT(item.event_type_confidence, 0.5);
    EXPECT_LE(item.event_type_confidence, 1.0);
    covered.insert({c.lang, c.type});
  }
  // The table really covers each declared type in each language.
  for (const char* lang : {"en", "fr", "es"})
    for (const auto& type : Stage().taxonomy().types)
      EXPECT_TRUE(covered.count({lang, type.name})) << lang << " " << type.name;
}

TEST(EventTypeTest, TypesAndLanguagesComeFromTheRuleFiles) {
  std::vector<std::string> names;
  for (const auto& t : Stage().taxonomy().types) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "conference", "webinar", "meeting", "workshop", "training",
                       "consultation", "publication", "job_offer", "partnership",
                       "appointment", "competition", "mission", "media", "other"}));
  EXPECT_EQ(Stage().taxonomy().types[Stage().taxonomy().fallback].name, "other");
  const auto langs = Stage().languages();
  for (const char* lang : {"en", "fr", "es"})
    EXPECT_NE(std::find(langs.begin(), langs.end(), lang), langs.end()) << lang;
}

// ------------------------------------------------------------------ scoring

TEST(EventTypeTest, NoCueGivesOtherWithLowConfidence) {
  const Item item = Classify("en", "Spring news", "The garden behind the office is in bloom.");
  EXPECT_EQ(item.event_type, "other");
  EXPECT_LT(item.event_type_confidence, 0.2);
  EXPECT_TRUE(item.type_cues.empty());
}

TEST(EventTypeTest, TitleOutweighsBody) {
  // The body mentions workshops twice; the headline says webinar.
  const Item item = Classify("en", "Webinar on safer schools",
                             "Speakers will present the results of two workshops held last "
                             "year. The workshops gathered teachers.");
  EXPECT_EQ(item.event_type, "webinar");
}

TEST(EventTypeTest, HeadlessItemLeansOnItsFirstSentence) {
  const Item item = Classify("en", "",
                             "On May 4, the Centre held a workshop for youth workers in "
                             "Lyon. The day ended with a short meeting of the partners.");
  EXPECT_EQ(item.event_type, "workshop");
}

TEST(EventTypeTest, WordsInsideAnOrganizationNameDoNotCount) {
  Document doc = OneItemDocument("en", "A visit from the European Forum for Urban Safety",
                                 "Delegates of the European Forum for Urban Safety visited "
                                 "our offices.");
  {
    Document plain = doc;
    Stage().Apply(plain);
    EXPECT_EQ(plain.items[0].event_type, "conference");  // "Forum" taken as the event
  }
  testing::AddOrganization(doc, {"European Forum for Urban Safety", "Efus"});
  Stage().Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, "meeting");
  for (const TypeCue& c : doc.items[0].type_cues) EXPECT_NE(c.cue, "forum_word");
}

TEST(EventTypeTest, ACueInsideALongerCueOfAnotherTypeIsDropped) {
  // "meeting" lies inside "meeting of the steering committee".
  const Item item = Classify("en", "",
                             "The Centre chaired the first meeting of the steering committee "
                             "of the local diagnosis.");
  EXPECT_EQ(item.event_type, "consultation");
  for (const TypeCue& c : item.type_cues) EXPECT_NE(c.cue, "meeting_word");
}

TEST(EventTypeTest, PresentedThingIsATopicNotTheEvent) {
  const Item item = Classify("en", "The Centre presents its hackathon at a conference",
                             "At a conference on cybersecurity, the Centre presented its "
                             "hackathon to 40 experts.");
  EXPECT_EQ(item.event_type, "conference");
}

TEST(EventTypeTest, ACueThatMustStandBeforeAPlace) {
  Document trip = OneItemDocument("en", "",
                                  "As part of its mission to Peru, the Centre held talks with "
                                  "two city councils.");
  testing::AddPlace(trip, "Peru");
  Stage().Apply(trip);
  EXPECT_EQ(trip.items[0].event_type, "mission");

  Document purpose = OneItemDocument("en", "",
                                     "As part of its mission to promote safety, the Centre "
                                     "held talks with two city councils.");
  Stage().Apply(purpose);
  EXPECT_NE(purpose.items[0].event_type, "mission");
}

TEST(EventTypeTest, PostponementMakesAnAnnouncement) {
  const Item item = Classify("es", "Congreso internacional de prevención",
                             "El congreso, previsto en abril, fue aplazado al mes de "
                             "septiembre.");
  EXPECT_EQ(item.event_type, "other");
}

TEST(EventTypeTest, UndeterminedLanguageFallsBackToEnglish) {
  const Item item = Classify("und", "Job offer: analyst", "Send your resume before June 1.");
  EXPECT_EQ(item.event_type, "job_offer");
}

TEST(EventTypeTest, ForcedLanguageWins) {
  StageOptions options = Options();
  options.lang = "fr";
  const EventTypeStage stage(options);
  Document doc = OneItemDocument("en", "Atelier sur la sécurité",
                                 "Un atelier a réuni des intervenants.");
  stage.Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, "workshop");
}

TEST(EventTypeTest, CuesOfTheChosenTypePointAtTheirText) {
  Document doc = OneItemDocument("fr", "Webinaire sur la prévention",
                                 "Le CIPC a organisé un webinaire sur la sécurité.");
  Stage().Apply(doc);
  const Item& item = doc.items[0];
  ASSERT_EQ(item.event_type, "webinar");
  ASSERT_FALSE(item.type_cues.empty());
  double sum = 0;
  for (const TypeCue& c : item.type_cues) {
    EXPECT_EQ(c.type, "webinar");
    EXPECT_EQ(FoldText(doc.Slice(c.span)), "webinaire");
    sum += c.weight;
  }
  // The kept cues add up to the type's score.
  const auto scores = Stage().Scores(doc, item);
  EXPECT_DOUBLE_EQ(sum, scores[Stage().taxonomy().Find("webinar")]);
}

TEST(EventTypeTest, ExplainKeepsTheCuesOfEveryType) {
  StageOptions options = Options();
  options.explain = true;
  const EventTypeStage stage(options);
  Document doc = OneItemDocument("en", "Webinar on safer schools",
                                 "Two workshops were held last year.");
  stage.Apply(doc);
  std::set<std::string> types;
  for (const TypeCue& c : doc.items[0].type_cues) types.insert(c.type);
  EXPECT_TRUE(types.count("webinar"));
  EXPECT_TRUE(types.count("workshop"));
}

TEST(EventTypeTest, ApplyIsIdempotent) {
  Document doc = OneItemDocument("en", "Webinar on safer schools", "A webinar for teachers.");
  Stage().Apply(doc);
  const Item first = doc.items[0];
  Stage().Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, first.event_type);
  EXPECT_EQ(doc.items[0].type_cues.size(), first.type_cues.size());
  EXPECT_DOUBLE_EQ(doc.items[0].event_type_confidence, first.event_type_confidence);
}

TEST(EventTypeTest, ApplyFromSeveralThreadsGivesTheSameResults) {
  auto golds = testing::LoadGoldDocuments(DataRoot());
  std::vector<Document> expected;
  for (auto& g : golds) {
    expected.push_back(g.doc);
    Stage().Apply(expected.back());
  }
  std::vector<std::thread> threads;
  std::vector<std::vector<Document>> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round)
        for (auto& g : golds) {
          Document d = g.doc;
          Stage().Apply(d);
          if (round == 2) results[t].push_back(std::move(d));
        }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& run : results) {
    ASSERT_EQ(run.size(), expected.size());
    for (size_t d = 0; d < run.size(); ++d)
      for (size_t i = 0; i < run[d].items.size(); ++i) {
        const Item& a = run[d].items[i];
        const Item& b = expected[d].items[i];
        EXPECT_EQ(a.event_type, b.event_type);
        EXPECT_EQ(a.event_type_confidence, b.event_type_confidence);
        EXPECT_EQ(a.participants, b.participants);
        EXPECT_EQ(a.attendance, b.attendance);
        EXPECT_EQ(a.organizers, b.organizers);
        EXPECT_EQ(a.role, b.role);
      }
  }
}

TEST(EventTypeTest, EmptyDocumentAndEmptyItem) {
  Document empty;
  Stage().Apply(empty);  // no items: nothing to do
  Document doc;
  doc.items.push_back(Item{});
  Stage().Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, "other");
  EXPECT_FALSE(doc.items[0].participants.has_value());
}

// ------------------------------------------------ rules: user-defined and broken

const char kTaxonomy[] =
    "rule: type_conference\ntype: conference\n\n"
    "rule: type_fundraiser\ntype: fundraiser\ndescription: galas and benefit dinners\n\n"
    "rule: type_other\ntype: other\nfallback: yes\n\n"
    "rule: zone_title\nzone: title\nfactor: 2\n\n"
    "rule: scoring\ntemperature: 1\n";

TEST(EventTypeRulesTest, ANewTypeNeedsOnlyRuleFiles) {
  TempRoot root;
  root.Write("rules/common/event_taxonomy.rules", kTaxonomy);
  root.Write("rules/en/event_types.rules",
             "rule: gala\ntype: fundraiser\nzone: title,first_sentence,body\nweight: 4\n"
             "pattern: \\b(?:gala|benefit dinner)s?\\b\nexample: our annual Gala\n\n"
             "rule: conference_word\ntype: conference\nzone: title,body\nweight: 3\n"
             "pattern: \\bconferences?\\b\n");
  StageOptions options;
  options.root = root.path();
  const EventTypeStage stage(options);
  Document doc = OneItemDocument("en", "Our annual gala", "The gala raised funds.");
  stage.Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, "fundraiser");
}

TEST(EventTypeRulesTest, TieAtTheTopGivesTheFallback) {
  TempRoot root;
  root.Write("rules/common/event_taxonomy.rules", kTaxonomy);
  root.Write("rules/en/event_types.rules",
             "rule: gala\ntype: fundraiser\nzone: title\nweight: 3\npattern: \\bgala\\b\n\n"
             "rule: conference_word\ntype: conference\nzone: title\nweight: 3\n"
             "pattern: \\bconference\\b\n");
  StageOptions options;
  options.root = root.path();
  const EventTypeStage stage(options);
  Document doc = OneItemDocument("en", "Conference and gala", "Details soon.");
  stage.Apply(doc);
  EXPECT_EQ(doc.items[0].event_type, "other");
}

// Loads a stage whose English cue file is `cues`; returns the ConfigError.
ConfigError CueError(const std::string& cues) {
  TempRoot root;
  root.Write("rules/common/event_taxonomy.rules", kTaxonomy);
  root.Write("rules/en/event_types.rules", cues);
  StageOptions options;
  options.root = root.path();
  try {
    EventTypeStage stage(options);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no ConfigError for:\n" << cues;
  return ConfigError("", 0, "");
}

TEST(EventTypeRulesTest, UnknownFieldIsAnErrorWithItsLine) {
  const ConfigError e = CueError(
      "# a comment\n"
      "rule: gala\ntype: fundraiser\nzone: title\nweight: 3\npattern: gala\n"
      "wieght: 2\n");
  EXPECT_EQ(e.line(), 7);
  EXPECT_NE(std::string(e.what()).find("unknown field 'wieght'"), std::string::npos);
  EXPECT_NE(e.file().find("event_types.rules"), std::string::npos);
}

TEST(EventTypeRulesTest, UndeclaredTypeIsAnErrorWithItsLine) {
  const ConfigError e =
      CueError("rule: gala\ntype: fundraising\nzone: title\nweight: 3\npattern: gala\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(std::string(e.what()).find("unknown event type 'fundraising'"), std::string::npos);
}

TEST(EventTypeRulesTest, BrokenCueBlocksAreErrorsWithTheirLine) {
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: headline\nweight: 1\npattern: x\n").line(), 3);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: heavy\npattern: x\n").line(), 4);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\npattern: (x\n").line(), 5);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\npattern: x?\n").line(), 5);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\npattern: %nope\n").line(),
            5);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\npattern: gala\n"
                     "example: a benefit dinner\n")
                .line(),
            6);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\npattern: gala\n"
                     "counterexample: the gala\n")
                .line(),
            6);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\npattern: gala\n").line(), 1);
  EXPECT_EQ(CueError("rule: a\ntype: other\nzone: title\nweight: 1\nbefore: person\n"
                     "pattern: gala\n")
                .line(),
            5);
}

TEST(EventTypeRulesTest, BrokenTaxonomyIsAnError) {
  auto error = [](const std::string& taxonomy) {
    TempRoot root;
    root.Write("rules/common/event_taxonomy.rules", taxonomy);
    root.Write("rules/en/event_types.rules",
               "rule: a\ntype: other\nzone: title\nweight: 1\npattern: x\n");
    StageOptions options;
    options.root = root.path();
    try {
      EventTypeStage stage(options);
    } catch (const ConfigError& e) {
      return e.line();
    }
    return -1;
  };
  EXPECT_EQ(error("rule: t\ntype: other\n"), 0);  // no fallback
  EXPECT_EQ(error("rule: t\ntype: other\nfallback: yes\n\nrule: u\ntype: other\n"), 6);
  EXPECT_EQ(error("rule: t\ntype: Other!\nfallback: yes\n"), 2);
  EXPECT_EQ(error("rule: t\ntype: other\nfallback: yes\n\nrule: z\nzone: footer\nfactor: 1\n"),
            6);
  EXPECT_EQ(error("rule: t\ntype: other\nfallback: yes\n\nrule: z\nzone: title\nfactor: 1\n"
                  "colour: red\n"),
            8);
  EXPECT_EQ(error("rule: t\ntype: other\nfallback: yes\n\nrule: s\ntemperature: 0\n"), 6);
  EXPECT_EQ(error("rule: t\nfallback: yes\n"), 1);  // neither type, zone nor scoring
}

TEST(EventTypeRulesTest, MissingTaxonomyIsAnError) {
  TempRoot root;
  root.Write("rules/en/event_types.rules",
             "rule: a\ntype: other\nzone: title\nweight: 1\npattern: x\n");
  StageOptions options;
  options.root = root.path();
  EXPECT_THROW(EventTypeStage stage(options), ConfigError);
}

// --------------------------------------------------------------------- gold

TEST(EventTypeGoldTest, AccuracyOnGoldAtLeast90Percent) {
  const EventTypeStage stage(Options());
  auto golds = testing::LoadGoldDocuments(DataRoot());
  int total = 0, right = 0;
  std::map<std::string, std::map<std::string, int>> confusion;  // gold -> predicted
  for (auto& gd : golds) {
    stage.Apply(gd.doc);
    for (size_t i = 0; i < gd.doc.items.size(); ++i) {
      const Item& item = gd.doc.items[i];
      ++total;
      const bool ok = item.event_type == gd.types[i];
      right += ok;
      ++confusion[gd.types[i]][item.event_type];
      if (!ok || std::getenv("EVENT_TYPE_VERBOSE")) {
        std::string cues;
        for (const TypeCue& c : item.type_cues) cues += " " + c.cue;
        const auto scores = stage.Scores(gd.doc, item);
        std::string all;
        for (size_t t = 0; t < scores.size(); ++t)
          if (scores[t] > 0)
            all += " " + stage.taxonomy().types[t].name + "=" + std::to_string(scores[t]).substr(0, 5);
        std::printf("%s %s#%zu gold=%s got=%s (%.2f) [%s ] {%s } %s\n", ok ? "  " : "XX",
                    gd.doc.name.substr(0, 3).c_str(), i, gd.types[i].c_str(),
                    item.event_type.c_str(), item.event_type_confidence, cues.c_str(),
                    all.c_str(), std::string(gd.doc.Slice(item.title)).substr(0, 60).c_str());
        std::string organizers;
        for (const std::string& o : item.organizers) organizers += o + "; ";
        std::printf("     facts: participants=%d nationalities=%d attendance=%s role=%s "
                    "organizers=%s\n",
                    item.participants.value_or(-1), item.nationalities.value_or(-1),
                    item.attendance.c_str(), item.role.c_str(), organizers.c_str());
      }
    }
  }
  for (const auto& [gold, row] : confusion) {
    std::string line;
    for (const auto& [pred, n] : row) line += " " + pred + ":" + std::to_string(n);
    std::printf("confusion %-13s%s\n", gold.c_str(), line.c_str());
  }
  std::printf("event type accuracy: %d/%d = %.3f\n", right, total,
              total ? static_cast<double>(right) / total : 0.0);
  ASSERT_EQ(total, 31);
  EXPECT_GE(static_cast<double>(right) / total, 0.90);
}


}  // namespace
}  // namespace newsevents
