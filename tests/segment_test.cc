// SegmentStage: item segmentation scored against the gold of corpus/gold
// (files 000, 001, 002, 004), the yearly archive (003, no gold) checked for
// its headings, and small newsletters and archives in English, French and
// Spanish written for these tests.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/normalize.h"
#include "pipeline/reader.h"
#include "pipeline/rule_file.h"
#include "pipeline/segment.h"
#include "pipeline/text_blocks.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const SegmentStage& Stage() {
  static const SegmentStage* stage = new SegmentStage(StageOptions());
  return *stage;
}

Document FromText(const std::string& text) {
  Document doc;
  doc.text = text;
  doc.folded = FoldText(doc.text, &doc.folded_to_text);
  return doc;
}

Document FromFile(const fs::path& path) {
  ReadResult r = ReadSourceFile(path.string(), ReadOptions());
  EXPECT_EQ(r.status, ReadStatus::kOk) << path;
  Document doc;
  doc.original = std::move(r.text);
  NormalizeDocument(doc);
  return doc;
}

std::vector<std::string> Titles(const Document& doc) {
  std::vector<std::string> out;
  for (const Item& item : doc.items) out.emplace_back(doc.Slice(item.title));
  return out;
}

// Spans are well formed: inside the text, in order, paragraphs in the body.
void ExpectWellFormed(const Document& doc) {
  size_t last_end = 0;
  for (size_t i = 0; i < doc.items.size(); ++i) {
    const Item& item = doc.items[i];
    EXPECT_EQ(item.index, i);
    EXPECT_LE(item.span.end, doc.text.size());
    EXPECT_GE(item.span.begin, last_end) << "items overlap at " << i;
    EXPECT_FALSE(item.span.empty());
    if (!item.title.empty()) {
      EXPECT_EQ(item.span.begin, item.title.begin);
      EXPECT_LE(item.title.end, item.body.begin);
    } else {
      EXPECT_EQ(item.span.begin, item.body.begin);
    }
    EXPECT_TRUE(item.span.Contains(item.body));
    for (const Span& p : item.paragraphs) {
      EXPECT_TRUE(item.body.Contains(p));
      EXPECT_FALSE(p.empty());
      const std::string_view text = doc.Slice(p);
      EXPECT_NE(text.front(), ' ');
      EXPECT_NE(text.back(), ' ');
    }
    last_end = item.span.end;
  }
}

// ------------------------------------------------------------------ gold

struct Score {
  size_t matched = 0, predicted = 0, gold = 0;
  double F1() const {
    if (predicted == 0 || gold == 0) return 0;
    const double p = double(matched) / predicted, r = double(matched) / gold;
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
};

// An item matches a gold item when its title is the gold title, or its body
// starts with the gold `starts_with` text. Each gold item matches once.
Score ScoreAgainstGold(const Document& doc, const Json& gold) {
  Score s;
  s.predicted = doc.items.size();
  s.gold = gold["items"].size();
  std::vector<bool> used(s.gold, false);
  for (const Item& item : doc.items) {
    const std::string_view title = doc.Slice(item.title);
    const std::string_view body = doc.Slice(item.body);
    for (size_t g = 0; g < s.gold; ++g) {
      if (used[g]) continue;
      const Json& gi = gold["items"][g];
      const bool title_match =
          !gi["title"].is_null() && !title.empty() && NormalizeText(gi["title"].get<std::string>()) == title;
      const std::string start = NormalizeText(gi["starts_with"].get<std::string>());
      const bool body_match = body.substr(0, start.size()) == start;
      if (title_match || body_match) {
        used[g] = true;
        ++s.matched;
        break;
      }
    }
  }
  return s;
}

class GoldFile : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldFile, ItemSegmentationF1) {
  const fs::path root = DataRoot();
  const fs::path gold_path = root / "corpus" / "gold" / (GetParam() + ".gold.json");
  std::ifstream in(gold_path);
  ASSERT_TRUE(in) << gold_path;
  const Json gold = Json::parse(in);
  Document doc = FromFile(root / "corpus" / GetParam());
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  const Score s = ScoreAgainstGold(doc, gold);
  std::cout << "segmentation " << GetParam() << ": " << s.matched << " matched, " << s.predicted
            << " predicted, " << s.gold << " gold, F1 " << s.F1() << "\n";
  EXPECT_GE(s.F1(), 0.95);
  // The bodies start where the gold says (titled items too).
  for (size_t i = 0; i < doc.items.size() && i < gold["items"].size(); ++i) {
    const std::string start = NormalizeText(gold["items"][i]["starts_with"].get<std::string>());
    EXPECT_EQ(doc.Slice(doc.items[i].body).substr(0, start.size()), start) << "item " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldFile,
                         ::testing::Values("000_78c7679de6ac89fd.txt", "001_a22d4db156905556.txt",
                                           "002_83f399e61256ff96.txt", "004_65a57300fe52ad30.txt"),
                         [](const auto& info) { return info.param.substr(0, 3); });

TEST(Archive, YearAndPlaceHeadingsAreNotItems) {
  Document doc = FromFile(fs::path(DataRoot()) / "corpus" / "003_46e20e7174aa3055.txt");
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  ASSERT_GE(doc.items.size(), 30u);
  for (const Item& item : doc.items) {
    EXPECT_TRUE(item.title.empty()) << doc.Slice(item.title);
    EXPECT_EQ(item.heading_year.size(), 4u);
    const std::string_view first = doc.Slice(item.paragraphs.front());
    EXPECT_GT(first.size(), 40u) << "item starts with a heading: " << first;
  }
  // Every year line is outside every item, and items under it carry it.
  for (size_t at = 0; (at = doc.text.find("\n20", at)) != std::string::npos; ++at) {
    const size_t eol = doc.text.find('\n', at + 1);
    if (eol != at + 5) continue;
    const Span year{at + 1, at + 5};
    for (const Item& item : doc.items) EXPECT_FALSE(item.span.Overlaps(year)) << doc.Slice(year);
  }
  EXPECT_EQ(doc.items.front().heading_year, "2023");
  EXPECT_EQ(doc.items.back().heading_year, "2014");
}

// ------------------------------------------------------------------ synthetic

TEST(Newsletter, EnglishClosingLinesCaptionsAndListsStayInside) {
  Document doc = FromText(
      "City of Lyon hosts a forum on night-time safety\n\n"
      "On March 3, the City of Lyon hosted a forum on night-time safety that brought together "
      "bar owners, police officers and residents to discuss noise, harassment and transport.\n\n"
      "Participants of the forum on night-time safety in Lyon.\n\n"
      "The discussions covered three themes:\n\n"
      "- Harassment in bars and on public transport at night\n\n"
      "- Noise and neighbourhood relations\n\n"
      "Thank you for the invitation!\n\n"
      "New report on youth violence prevention released\n\n"
      "The centre has published a report on youth violence prevention that reviews forty "
      "programmes carried out in ten countries over the last decade.\n\n"
      "Read the full report here\n");
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  EXPECT_EQ(Titles(doc), (std::vector<std::string>{
                             "City of Lyon hosts a forum on night-time safety",
                             "New report on youth violence prevention released"}));
  EXPECT_EQ(doc.items[0].paragraphs.size(), 6u);
  EXPECT_EQ(doc.items[1].paragraphs.size(), 2u);
}

TEST(Newsletter, French) {
  Document doc = FromText(
      "Le CIPC participe au Forum mondial sur la sécurité urbaine\n\n"
      "Le 12 mai, le CIPC a pris part au Forum mondial sur la sécurité urbaine, organisé à "
      "Bogotá par ONU-Habitat, qui a réuni plus de 300 participants de 40 pays.\n\n"
      "Ces échanges ont permis de présenter les travaux du Laboratoire de sécurité urbaine.\n\n"
      "Merci pour l'invitation !\n\n"
      "Offre d'emploi : analyste en prévention de la criminalité\n\n"
      "Le CIPC recherche un ou une analyste pour se joindre à son équipe de recherche à "
      "Montréal. Les candidatures sont reçues jusqu'au 30 juin.\n\n"
      "Pour plus d'informations, cliquez ici\n");
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  EXPECT_EQ(Titles(doc), (std::vector<std::string>{
                             "Le CIPC participe au Forum mondial sur la sécurité urbaine",
                             "Offre d'emploi : analyste en prévention de la criminalité"}));
  EXPECT_EQ(doc.items[0].paragraphs.size(), 3u);
}

TEST(Newsletter, Spanish) {
  Document doc = FromText(
      "El CIPC presenta su informe sobre la seguridad en el transporte público\n\n"
      "El 4 de octubre, el CIPC presentó en Santiago su informe sobre la seguridad en el "
      "transporte público, elaborado con los operadores de seis ciudades de América Latina.\n\n"
      "Presentación del informe en Santiago de Chile.\n\n"
      "Gracias por la invitación\n\n"
      "Nuevo miembro de la red del CIPC\n\n"
      "La Universidad de Córdoba se une a la red del CIPC para fortalecer el intercambio de "
      "conocimientos sobre la prevención del delito y la seguridad comunitaria.\n\n"
      "Más información\n");
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  EXPECT_EQ(Titles(doc), (std::vector<std::string>{
                             "El CIPC presenta su informe sobre la seguridad en el transporte público",
                             "Nuevo miembro de la red del CIPC"}));
}

TEST(Newsletter, ParagraphsBeforeTheFirstHeadlineMakeAnUntitledItem) {
  Document doc = FromText(
      "Welcome to this issue of our newsletter, which looks back on a busy spring for the "
      "centre and its partners in Canada and abroad.\n\n"
      "Training on local safety audits in Dakar\n\n"
      "From May 2 to 4, the centre trained thirty municipal officers of Dakar in local safety "
      "audits, with the support of the city's prevention department.\n");
  Stage().Apply(doc);
  ASSERT_EQ(doc.items.size(), 2u);
  EXPECT_TRUE(doc.items[0].title.empty());
  EXPECT_EQ(doc.Slice(doc.items[1].title), "Training on local safety audits in Dakar");
}

TEST(Archive, ContinuationsStayWithTheirStory) {
  Document doc = FromText(
      "2021\n"
      "On June 8, 2021, the centre took part in a conference on urban safety organized by the "
      "European Forum for Urban Safety in Nice, with mayors from twelve countries.\n"
      "The conference also included a visit of the Nice urban supervision centre.\n"
      "Finally, the delegation met the Nice municipal police to discuss night patrols.\n"
      "On April 14, 2021, the centre published a guide on exploratory walks for women, written "
      "with community organizations of three Montreal boroughs.\n"
      "2020\n"
      "Le 3 mars 2020, le centre a organisé un séminaire sur la prévention de la radicalisation "
      "à Bordeaux avec ses partenaires français.\n"
      "Ce séminaire a réuni une centaine de praticiens de la prévention.\n"
      "El 10 de febrero de 2020, el centro participó en un taller sobre observatorios del delito "
      "en Bogotá con representantes de diez ciudades.\n"
      "Por último, el centro se reunió con la alcaldía de Bogotá.\n");
  Stage().Apply(doc);
  ExpectWellFormed(doc);
  ASSERT_EQ(doc.items.size(), 4u);
  EXPECT_EQ(doc.items[0].paragraphs.size(), 3u);
  EXPECT_EQ(doc.items[1].paragraphs.size(), 1u);
  EXPECT_EQ(doc.items[2].paragraphs.size(), 2u);
  EXPECT_EQ(doc.items[3].paragraphs.size(), 2u);
  EXPECT_EQ(doc.items[0].heading_year, "2021");
  EXPECT_EQ(doc.items[1].heading_year, "2021");
  EXPECT_EQ(doc.items[2].heading_year, "2020");
}

TEST(Segment, EmptyAndBlankDocuments) {
  for (const char* text : {"", "\n\n  \n", "2023\n"}) {
    Document doc = FromText(text);
    Stage().Apply(doc);
    EXPECT_TRUE(doc.items.empty()) << text;
  }
}

TEST(Segment, WorksWithoutFoldedText) {
  Document doc;
  doc.text = "Workshop on school safety in Quito\n\n"
             "On May 5, the centre ran a workshop on school safety in Quito with teachers, "
             "parents and the municipal police, and presented its guide.\n";
  Stage().Apply(doc);
  ASSERT_EQ(doc.items.size(), 1u);
  EXPECT_EQ(doc.Slice(doc.items[0].title), "Workshop on school safety in Quito");
}

TEST(Segment, HardWrappedLinesAreOneParagraph) {
  Document doc = FromText(
      "Training on community policing\n\n"
      "A training offered by the centre to municipal officers\n"
      "and police officers of the region, over two days, with case studies and visits.\n");
  Stage().Apply(doc);
  ASSERT_EQ(doc.items.size(), 1u);
  EXPECT_EQ(doc.items[0].paragraphs.size(), 1u);
}

// ------------------------------------------------------------------ reading

// Apply reads cues and features only as far as each headline decision needs
// them; the decisions must be those of reading everything.
TEST(Segment, ReadingAsNeededDecidesAsReadingEverything) {
  std::vector<fs::path> files;
  for (const char* dir : {"corpus", "tests/data/multilingual/en", "tests/data/multilingual/fr",
                          "tests/data/multilingual/es"})
    for (const auto& e : fs::directory_iterator(DataRoot() + "/" + dir))
      if (e.path().extension() == ".txt") files.push_back(e.path());
  int headlines = 0, candidates = 0;
  for (const fs::path& path : files) {
    const Document doc = FromFile(path);
    const auto all = Stage().Analyze(doc, SegmentStage::Reading::kEverything);
    const auto needed = Stage().Analyze(doc, SegmentStage::Reading::kAsNeeded);
    ASSERT_EQ(all.size(), needed.size());
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].candidate, needed[i].candidate);
      EXPECT_EQ(all[i].headline, needed[i].headline)
          << path << " block " << i << ": " << doc.Slice(all[i].block.span);
      headlines += all[i].headline;
      candidates += all[i].candidate;
    }
  }
  EXPECT_GT(headlines, 20);
  EXPECT_GT(candidates, headlines);
}

// ------------------------------------------------------------------ blocks

// SplitTextBlocks counts eight ASCII bytes at a time; these are the counts a
// plain reading, code point by code point, gives (text_blocks.h).
void PlainCounts(std::string_view text, const TextBlock& b, int& words, int& letters, int& upper) {
  words = letters = upper = 0;
  bool counts = false;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  for (int32_t i = static_cast<int32_t>(b.span.begin), end = static_cast<int32_t>(b.span.end); i < end;) {
    UChar32 c;
    U8_NEXT(s, i, end, c);
    if (c == ' ' || c == '\n' || c == '\t') {
      words += counts;
      counts = false;
    } else if (c >= 0 && (u_isalpha(c) || (c >= '0' && c <= '9'))) {
      counts = true;
      if (u_isalpha(c)) ++letters, upper += u_isupper(c) != 0;
    }
  }
  words += counts;
}

TEST(TextBlocks, CountsAreThoseOfAPlainReading) {
  const std::vector<std::string> pieces = {
      "a", "Z", "q", "M", "7", " ", " ", " ", "\n", "\n\n", "\t", "\r", "\f", "-", ".", "\"", ")",
      "@", "[", "`", "{", "/", ":", "\xc3\xa9", "\xc3\x89", "\xc3\x9f", "\xe6\x97\xa5", "\xc2\xa0",
      "\xf0\x9f\x8e\x89", "\xff", "\xc3", "word", "Word", "WORD", "x1y2", "   ", "\x01"};
  uint32_t seed = 99;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
  };
  int blocks = 0;
  for (int t = 0; t < 3000; ++t) {
    std::string text;
    const int length = static_cast<int>(next() % 80);
    for (int k = 0; k < length; ++k) text += pieces[next() % pieces.size()];
    for (const TextBlock& b : SplitTextBlocks(text)) {
      // A joined line is measured on its own: count each line of the block.
      int words = 0, letters = 0, upper = 0;
      size_t from = b.span.begin;
      while (from < b.span.end) {
        size_t eol = text.find('\n', from);
        if (eol == std::string::npos || eol > b.span.end) eol = b.span.end;
        TextBlock line = b;
        line.span = {from, eol};
        int w, l, u;
        PlainCounts(text, line, w, l, u);
        words += w, letters += l, upper += u;
        from = eol + 1;
      }
      EXPECT_EQ(b.words, words) << "'" << text.substr(b.span.begin, b.span.size()) << "'";
      EXPECT_EQ(b.letters, letters) << "'" << text.substr(b.span.begin, b.span.size()) << "'";
      EXPECT_EQ(b.upper, upper) << "'" << text.substr(b.span.begin, b.span.size()) << "'";
      ++blocks;
    }
  }
  EXPECT_GT(blocks, 3000);
}

// ------------------------------------------------------------------ errors

class SegmentConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("segment_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    const fs::path src = DataRoot();
    fs::create_directories(root_ / "models");
    fs::copy(src / "rules", root_ / "rules", fs::copy_options::recursive);
    fs::copy(src / "models" / "segment", root_ / "models" / "segment", fs::copy_options::recursive);
    options_.root = root_.string();
  }
  void TearDown() override { fs::remove_all(root_); }
  void Append(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel, std::ios::app) << text;
  }
  fs::path root_;
  StageOptions options_;
};

TEST_F(SegmentConfig, CopyLoads) { EXPECT_NO_THROW(SegmentStage stage(options_)); }

TEST_F(SegmentConfig, MissingWeightsFile) {
  fs::remove(root_ / "models" / "segment" / "headline.weights");
  EXPECT_THROW(SegmentStage stage(options_), ConfigError);
}

TEST_F(SegmentConfig, UnknownFeatureNamesTheLine) {
  Append("models/segment/continuation.weights", "no_such_feature 1.0\n");
  try {
    SegmentStage stage(options_);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_GT(e.line(), 0);
    EXPECT_NE(std::string(e.what()).find("no_such_feature"), std::string::npos);
  }
}

TEST_F(SegmentConfig, UnknownCue) {
  Append("rules/common/segment.rules", "\nrule: x\ncue: nonsense\npattern: abc\n");
  EXPECT_THROW(SegmentStage stage(options_), ConfigError);
}

TEST_F(SegmentConfig, FailingExample) {
  Append("rules/common/segment.rules",
         "\nrule: x\ncue: closing\npattern: ^see you\nexample: Goodbye\n");
  EXPECT_THROW(SegmentStage stage(options_), ConfigError);
}

TEST_F(SegmentConfig, UnknownVocabulary) {
  Append("rules/common/segment.rules", "\nrule: x\ncue: closing\npattern: ^(?:%no_such_list)\n");
  EXPECT_THROW(SegmentStage stage(options_), ConfigError);
}

}  // namespace
}  // namespace newsevents
