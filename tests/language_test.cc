// LanguageIdentifier and LanguageStage: news-like sentences in English,
// French and Spanish, short and mixed texts, forcing, and loading errors.
#include <cstring>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/language.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

const LanguageIdentifier& Identifier() {
  static const LanguageIdentifier* id =
      new LanguageIdentifier(LanguageIdentifier::Load(DataRoot() + "/models/lang"));
  return *id;
}

LanguageGuess Guess(const std::string& text) { return Identifier().Identify(FoldText(text)); }

const char* const kEnglish[] = {
    "The city council approved a new plan on Tuesday to reduce violence in public transport.",
    "Police officers and community workers met with residents to discuss safety in the park.",
    "The report, published last week, shows that burglaries fell by twelve percent in 2022.",
    "More than two hundred participants attended the conference, which was held online.",
    "The organization is looking for a project officer to join its research team in Montreal.",
    "The mayor said the programme would be extended to three more neighbourhoods next year.",
    "Experts warned that young people are increasingly recruited through social media.",
    "The workshop brought together researchers, practitioners and elected officials.",
    "Thank you to all our partners for their support throughout this difficult year.",
    "The government announced funding for crime prevention projects in rural areas.",
    "During the visit, the delegation presented its work on the prevention of radicalization.",
    "A training course on local safety audits will be offered in the spring.",
};

const char* const kFrench[] = {
    "Le conseil municipal a adopté mardi un nouveau plan pour réduire la violence dans les transports.",
    "Les policiers et les intervenants communautaires ont rencontré les résidents du quartier.",
    "Le rapport, publié la semaine dernière, montre que les cambriolages ont baissé de douze pour cent.",
    "Plus de deux cents participants ont assisté à la conférence, qui s'est tenue en ligne.",
    "L'organisme recherche un chargé de projet pour se joindre à son équipe de recherche à Montréal.",
    "La mairesse a déclaré que le programme serait étendu à trois autres quartiers l'an prochain.",
    "Les experts ont averti que les jeunes sont de plus en plus recrutés par les réseaux sociaux.",
    "L'atelier a réuni des chercheurs, des praticiens et des élus de plusieurs villes.",
    "Merci à tous nos partenaires pour leur soutien tout au long de cette année difficile.",
    "Le gouvernement a annoncé un financement pour des projets de prévention de la criminalité.",
    "Lors de la visite, la délégation a présenté ses travaux sur la prévention de la radicalisation.",
    "Une formation sur les diagnostics locaux de sécurité sera offerte au printemps.",
};

const char* const kSpanish[] = {
    "El concejo municipal aprobó el martes un nuevo plan para reducir la violencia en el transporte.",
    "Los policías y los trabajadores comunitarios se reunieron con los vecinos del barrio.",
    "El informe, publicado la semana pasada, muestra que los robos bajaron un doce por ciento.",
    "Más de doscientos participantes asistieron a la conferencia, que se realizó en línea.",
    "La organización busca un oficial de proyectos para unirse a su equipo de investigación.",
    "La alcaldesa dijo que el programa se extenderá a otros tres barrios el próximo año.",
    "Los expertos advirtieron que los jóvenes son cada vez más reclutados por las redes sociales.",
    "El taller reunió a investigadores, profesionales y funcionarios electos de varias ciudades.",
    "Gracias a todos nuestros socios por su apoyo a lo largo de este año tan difícil.",
    "El gobierno anunció financiamiento para proyectos de prevención del delito en zonas rurales.",
    "Durante la visita, la delegación presentó su trabajo sobre la prevención de la radicalización.",
    "Un curso de formación sobre auditorías locales de seguridad se ofrecerá en la primavera.",
};

void ExpectAll(const char* const* texts, size_t n, const std::string& lang) {
  for (size_t i = 0; i < n; ++i) {
    const LanguageGuess g = Guess(texts[i]);
    EXPECT_EQ(g.lang, lang) << texts[i] << " (best " << g.best << ", " << g.confidence << ")";
    EXPECT_GE(g.confidence, Identifier().params().min_confidence) << texts[i];
  }
}

TEST(LanguageIdentifier, LoadsTheThreeProfiles) {
  const auto& langs = Identifier().languages();
  for (const char* l : {"en", "es", "fr"})
    EXPECT_NE(std::find(langs.begin(), langs.end(), l), langs.end()) << l;
}

TEST(LanguageIdentifier, English) { ExpectAll(kEnglish, std::size(kEnglish), "en"); }
TEST(LanguageIdentifier, French) { ExpectAll(kFrench, std::size(kFrench), "fr"); }
TEST(LanguageIdentifier, Spanish) { ExpectAll(kSpanish, std::size(kSpanish), "es"); }

TEST(LanguageIdentifier, UnaccentedAndUpperCaseTextStillWorks) {
  EXPECT_EQ(Guess("LE CONSEIL MUNICIPAL A ADOPTE UN NOUVEAU PLAN DE PREVENTION").lang, "fr");
  EXPECT_EQ(Guess("EL GOBIERNO ANUNCIO UN NUEVO PROGRAMA DE PREVENCION DEL DELITO").lang, "es");
}

TEST(LanguageIdentifier, ShortOrEmptyTextIsUndetermined) {
  for (const char* text : {"", "2023", "Montreal", "ICPC - UNODC", "Merci!", "12, 34 56."}) {
    const LanguageGuess g = Guess(text);
    EXPECT_EQ(g.lang, "und") << text;
    EXPECT_LT(g.letters, Identifier().params().min_letters) << text;
  }
}

TEST(LanguageIdentifier, HalfAndHalfIsLessSureThanEitherHalf) {
  // The same statement in two languages: the mix is judged less surely
  // than each half, although it has twice the letters.
  const LanguageGuess en = Guess("Thank you very much for the invitation and for your hospitality.");
  const LanguageGuess fr = Guess("Merci beaucoup pour l'invitation et pour votre accueil chaleureux.");
  const LanguageGuess mix = Guess(
      "Thank you very much for the invitation and for your hospitality. "
      "Merci beaucoup pour l'invitation et pour votre accueil chaleureux.");
  EXPECT_EQ(en.lang, "en");
  EXPECT_EQ(fr.lang, "fr");
  EXPECT_LT(mix.confidence, std::max(en.confidence, fr.confidence));
}

TEST(LanguageIdentifier, LongerMixedTextGoesToTheMajority) {
  const std::string text = std::string(kFrench[0]) + " " + kFrench[1] + " " + kFrench[2] +
                           " Thank you for the invitation.";
  EXPECT_EQ(Guess(text).lang, "fr");
}

// Accumulate adds a word's scores at once (remembered per thread);
// AccumulateNgrams adds each n-gram in turn. The scores must be the same
// double, bit for bit, on any text: first and second sight of a word, words
// longer than the memo keeps, letters outside ASCII, broken UTF-8, and a text
// fed in pieces as LanguageStage feeds it.
void ExpectSameScores(const std::string& text) {
  const LanguageIdentifier& id = Identifier();
  for (int pass = 0; pass < 2; ++pass) {
    LanguageIdentifier::Tally words, ngrams;
    id.Accumulate(text, words);
    id.AccumulateNgrams(text, ngrams);
    ASSERT_EQ(words.score.size(), ngrams.score.size());
    for (size_t l = 0; l < words.score.size(); ++l)
      EXPECT_EQ(std::memcmp(&words.score[l], &ngrams.score[l], sizeof(double)), 0)
          << "'" << text << "' " << id.languages()[l] << ": " << words.score[l] << " vs "
          << ngrams.score[l];
    EXPECT_EQ(words.letters, ngrams.letters) << text;
  }
  // In pieces of 7 bytes, into one tally.
  LanguageIdentifier::Tally words, ngrams;
  for (size_t at = 0; at < text.size(); at += 7) {
    id.Accumulate(std::string_view(text).substr(at, 7), words);
    id.AccumulateNgrams(std::string_view(text).substr(at, 7), ngrams);
  }
  EXPECT_EQ(words.score, ngrams.score) << text;
  EXPECT_EQ(words.letters, ngrams.letters) << text;
}

TEST(LanguageIdentifier, WordByWordScoresAreTheNgramByNgramScores) {
  std::string all;
  for (const auto* texts : {kEnglish, kFrench, kSpanish})
    for (size_t i = 0; i < std::size(kEnglish); ++i) {
      ExpectSameScores(FoldText(texts[i]));
      all += std::string(texts[i]) + " ";
    }
  ExpectSameScores(FoldText(all));
  ExpectSameScores(all);  // not folded: upper case, accents
  for (const char* text : {
           "", "a", " a ", "x", "anticonstitutionnellement", "sixteen-letters: abcdefghijklmnop",
           "seventeen abcdefghijklmnopq abcdefghijklmnopq", "l'organisation d'aujourd'hui",
           "abc123def 4x4 x-ray e.g. i.e.", "\xc2\xab" "Bonjour\xc2\xbb, dit-il.",
           "\xce\xb1\xce\xb2\xce\xb3 \xd0\xbc\xd0\xb8\xd1\x80 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
           "broken \xff\xfe utf \xc3 8 \xe6\x97 end\xc3", "\x80\x80 a\x80" "b \xf0\x9f\x98\x80 emoji",
           "MiXeD CaSe WoRdS", "tab\tand\nnewlines\r\nhere"})
    ExpectSameScores(text);
  // Random texts over letters, accents, digits, punctuation and stray bytes.
  const std::vector<std::string> alphabet = {
      "a", "e", "t", "s", "n", "q", "z", "E", "T", " ", " ", ".", ",", "'", "-", "1",
      "\xc3\xa9", "\xc3\xb1", "\xc3\xa7", "\xce\xb1", "\xe2\x80\x99", "\xc2\xa0", "\xff", "\x80"};
  uint32_t seed = 12345;
  for (int t = 0; t < 300; ++t) {
    std::string text;
    seed = seed * 1103515245 + 12345;
    const int length = static_cast<int>(seed >> 16) % 120;
    for (int k = 0; k < length; ++k) {
      seed = seed * 1103515245 + 12345;
      text += alphabet[(seed >> 16) % alphabet.size()];
    }
    ExpectSameScores(text);
  }
}

// ---------------------------------------------------------------- stage

Document MakeDocument(const std::vector<std::string>& items) {
  Document doc;
  for (const std::string& t : items) {
    Item item;
    item.index = doc.items.size();
    const size_t begin = doc.text.size();
    doc.text += t;
    item.span = item.body = {begin, doc.text.size()};
    doc.text += "\n\n";
    doc.items.push_back(item);
  }
  doc.folded = FoldText(doc.text, &doc.folded_to_text);
  return doc;
}

TEST(LanguageStage, ItemsAndDocument) {
  StageOptions options;
  LanguageStage stage(options);
  Document doc = MakeDocument({kSpanish[0], kSpanish[3], kEnglish[4], kSpanish[7]});
  stage.Apply(doc);
  EXPECT_EQ(doc.lang, "es");
  EXPECT_EQ(doc.items[0].lang, "es");
  EXPECT_EQ(doc.items[1].lang, "es");
  EXPECT_EQ(doc.items[2].lang, "en");
  EXPECT_EQ(doc.items[3].lang, "es");
  for (const Item& item : doc.items) EXPECT_GT(item.lang_confidence, 0.8);
}

TEST(LanguageStage, ShortItemInheritsTheDocumentLanguage) {
  StageOptions options;
  LanguageStage stage(options);
  Document doc = MakeDocument({kFrench[0], kFrench[5], "Merci!", kFrench[9]});
  stage.Apply(doc);
  EXPECT_EQ(doc.lang, "fr");
  EXPECT_EQ(doc.items[2].lang, "fr");
  EXPECT_LT(doc.items[2].lang_confidence, doc.items[0].lang_confidence);
}

TEST(LanguageStage, ShortItemInAMixedDocumentStaysUndetermined) {
  StageOptions options;
  LanguageStage stage(options);
  Document doc = MakeDocument({kFrench[0], kEnglish[5], "2023", kSpanish[9]});
  stage.Apply(doc);
  EXPECT_EQ(doc.items[2].lang, "und");
  EXPECT_EQ(doc.items[2].lang_confidence, 0);
}

TEST(LanguageStage, DocumentOfShortItemsIsJudgedWhole) {
  StageOptions options;
  LanguageStage stage(options);
  Document doc = MakeDocument({"Rapport annuel", "Merci pour", "la participation", "de tous"});
  stage.Apply(doc);
  EXPECT_EQ(doc.lang, "fr");
}

TEST(LanguageStage, ForcedLanguageWins) {
  StageOptions options;
  options.lang = "fr";
  LanguageStage stage(options);
  Document doc = MakeDocument({kEnglish[0], kSpanish[1]});
  stage.Apply(doc);
  EXPECT_EQ(doc.lang, "fr");
  for (const Item& item : doc.items) {
    EXPECT_EQ(item.lang, "fr");
    EXPECT_EQ(item.lang_confidence, 1.0);
  }
}

TEST(LanguageStage, WorksWithoutFoldedText) {
  StageOptions options;
  LanguageStage stage(options);
  Document doc = MakeDocument({kEnglish[1]});
  doc.folded.clear();
  doc.folded_to_text = OffsetMap();
  stage.Apply(doc);
  EXPECT_EQ(doc.items[0].lang, "en");
}

// ---------------------------------------------------------------- errors

class TempRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("language_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(TempRoot, MissingModelsFolderIsAConfigError) {
  StageOptions options;
  options.root = root_.string();
  EXPECT_THROW(LanguageStage stage(options), ConfigError);
}

TEST_F(TempRoot, EmptyModelsFolderIsAConfigError) {
  fs::create_directories(root_ / "models" / "lang");
  StageOptions options;
  options.root = root_.string();
  EXPECT_THROW(LanguageStage stage(options), ConfigError);
}

TEST_F(TempRoot, MalformedProfileLineNamesTheLine) {
  Write("models/lang/xx.profile", "# comment\n_\t100\ne 50\n");
  try {
    LanguageIdentifier::Load((root_ / "models" / "lang").string());
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 3);
  }
}

TEST_F(TempRoot, BadParameterIsAConfigError) {
  Write("models/lang/xx.profile", "_\t100\n");
  Write("models/lang/identifier.params", "rule: identifier\nmin_letters: many\n");
  EXPECT_THROW(LanguageIdentifier::Load((root_ / "models" / "lang").string()), ConfigError);
}

TEST_F(TempRoot, LanguagesAreTheProfilesPresent) {
  Write("models/lang/aa.profile", "_\t100\na\t50\n");
  Write("models/lang/bb.profile", "_\t100\nb\t50\n");
  const LanguageIdentifier id = LanguageIdentifier::Load((root_ / "models" / "lang").string());
  EXPECT_EQ(id.languages(), (std::vector<std::string>{"aa", "bb"}));
  EXPECT_EQ(id.Identify("abba bab bbb bab abbb babb bbbb bbab bbba").best, "bb");
}

}  // namespace
}  // namespace newsevents
