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

#include "pipeline/byte_class.h"
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

// Cue sets are matched only on blocks that may start one of their anchored
// patterns (their start bytes, rule_cue.h), and a candidate's four cues in
// one set: the cues must be those of matching every cue's set alone. Blocks: every line of the sample drops, folded, its
// beginnings, and random runs of the cue vocabularies' words with other
// words, digits and punctuation.
TEST(Segment, CueStartBytesMissNoCue) {
  std::vector<std::string> texts;
  for (const char* dir : {"corpus", "tests/data/multilingual/en", "tests/data/multilingual/fr",
                          "tests/data/multilingual/es"})
    for (const auto& e : fs::directory_iterator(DataRoot() + "/" + dir)) {
      if (e.path().extension() != ".txt") continue;
      const Document doc = FromFile(e.path());
      for (const TextBlock& b : SplitTextBlocks(doc.text)) {
        const std::string folded = FoldText(doc.Slice(b.span));
        for (size_t n : {folded.size(), size_t{1}, size_t{3}, size_t{6}, size_t{12}, size_t{25}})
          if (n <= folded.size()) texts.push_back(folded.substr(0, n));
      }
    }
  std::vector<std::string> words = {"1", "12", "2019", "-", "*", "(a)", "b.", "iv.", ":", ",", ".",
                                    "http://x.org", "www.a.b", "a@b.cd", "the", "le", "word", "\u00e9t\u00e9"};
  for (const char* lang : {"en", "fr", "es", "common"})
    for (const auto& e : fs::directory_iterator(DataRoot() + "/rules/" + lang + "/vocab")) {
      const std::string name = e.path().filename().string();
      if (name.rfind("segment_", 0) != 0 && name.rfind("month", 0) != 0) continue;
      std::ifstream in(e.path());
      for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        words.push_back(FoldText(line.substr(0, line.find('\t'))));
      }
    }
  uint32_t seed = 5;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
  };
  for (int t = 0; t < 20000; ++t) {
    std::string text;
    for (int w = static_cast<int>(next() % 9); w >= 0; --w) {
      if (!text.empty()) text += next() % 6 ? " " : (next() % 2 ? "  " : "");
      text += words[next() % words.size()];
    }
    texts.push_back(text);
  }
  std::array<int, kSegmentCueCount> seen{};
  for (const std::string& text : texts) {
    const auto fast = Stage().CuesOf(text);
    const auto all = Stage().CuesOf(text, false);
    for (int c = 0; c < kSegmentCueCount; ++c) {
      EXPECT_EQ(fast[c], all[c]) << "cue " << c << " of '" << text << "'";
      seen[c] += all[c];
    }
  }
  for (int c = 0; c < kSegmentCueCount; ++c) EXPECT_GT(seen[c], 10) << "cue " << c;
}

// The closing pattern "\b(?:%segment_here)\s*[.:!]?$" is one RE2 of every
// language's words (SegmentStage: a pattern not anchored at the start with
// one vocabulary): each language's word still closes, nowhere else.
TEST(Cues, OneLanguagesWordsMatchInTheJoinedPattern) {
  const int closing = static_cast<int>(SegmentCue::kClosing);
  for (const char* text : {"more details here.", "voir les photos ici :", "las fotos aqui!",
                           "register here"})
    EXPECT_TRUE(Stage().CuesOf(text)[closing]) << text;
  for (const char* text : {"the man from nowhere.", "here we are in the hall", "aquiles y la tortuga"})
    EXPECT_FALSE(Stage().CuesOf(text)[closing]) << text;
}

// ForEachByteRun finds runs of word bytes 64 at a time: the runs must be
// those of a byte-by-byte reading, across block edges and at the text's end.
TEST(ByteRuns, AreThoseOfAPlainReading) {
  auto word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
  };
  const std::string bytes = std::string("aZ09 .-_\n\t@`[{/:") + "\x80\xc3\xff" + std::string(1, '\0');
  uint32_t seed = 3;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
  };
  for (int t = 0; t < 5000; ++t) {
    std::string text;
    const size_t length = next() % 300;
    const bool long_words = next() % 2;
    while (text.size() < length)
      text += long_words && next() % 4 ? std::string(next() % 70, 'x') : std::string(1, bytes[next() % bytes.size()]);
    std::vector<std::pair<size_t, size_t>> want, got;
    for (size_t i = 0; i < text.size();) {
      if (!word(static_cast<unsigned char>(text[i]))) { ++i; continue; }
      size_t j = i;
      while (j < text.size() && word(static_cast<unsigned char>(text[j]))) ++j;
      want.emplace_back(i, j);
      i = j;
    }
    ForEachByteRun(text, AlnumOrHighMask64, [&](size_t b, size_t e) { got.emplace_back(b, e); });
    ASSERT_EQ(got, want) << t;
  }
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

// The blocks as SplitTextBlocks made them before session 7: each line
// measured as it is read, code point by code point (every count exact).
std::vector<TextBlock> PlainBlocks(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; };
  auto ends_sentence = [](char c) { return c == '.' || c == '!' || c == '?' || c == ':' || c == ';'; };
  auto measure = [&](TextBlock& block, size_t from) {
    TextBlock line = block;
    line.span.begin = from;
    int w, l, u;
    PlainCounts(text, line, w, l, u);
    block.words += w, block.letters += l, block.upper += u;
    for (size_t k = block.span.end; k > block.span.begin; --k) {
      const char c = text[k - 1];
      if (c == '"' || c == '\'' || c == ')' || c == ']' || is_space(c)) continue;
      block.last = c;
      break;
    }
  };
  std::vector<TextBlock> blocks;
  int blanks = 0;
  bool joinable = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    size_t b = pos, e = eol;
    while (b < e && is_space(text[b])) ++b;
    while (e > b && is_space(text[e - 1])) --e;
    pos = eol + 1;
    if (b == e) {
      ++blanks;
      joinable = false;
      continue;
    }
    const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t at = static_cast<int32_t>(b);
    UChar32 first;
    U8_NEXT(s, at, static_cast<int32_t>(text.size()), first);
    if (joinable && blanks == 0 && first >= 0 && u_islower(first)) {
      blocks.back().span.end = e;
      measure(blocks.back(), b);
    } else {
      TextBlock block;
      block.span = {b, e};
      block.blank_lines_before = blanks;
      measure(block, b);
      blocks.push_back(block);
    }
    joinable = !ends_sentence(blocks.back().last) && blocks.back().letters > 0;
    blanks = 0;
  }
  return blocks;
}

bool AllCapitals(int letters, int upper) { return letters >= 4 && upper * 10 >= letters * 9; }

// SplitTextBlocks counts eight ASCII bytes at a time, two-byte characters
// from a table, and stops counting a long block early: its blocks are those
// of a plain reading, with the same counts, or, for a block counted only in
// part, counts that tell the same (TextBlock::kWordsCounted).
TEST(TextBlocks, CountsAreThoseOfAPlainReading) {
  const std::vector<std::string> pieces = {
      "a", "Z", "q", "M", "7", " ", " ", " ", "\n", "\n\n", "\t", "\r", "\f", "-", ".", "\"", ")",
      "@", "[", "`", "{", "/", ":", "\xc3\xa9", "\xc3\x89", "\xc3\x9f", "\xe6\x97\xa5", "\xc2\xa0",
      "\xf0\x9f\x8e\x89", "\xff", "\xc3", "word", "Word", "WORD", "x1y2", "   ", "\x01",
      "\xd0\x96", "\xd0\xb6", "\xc3\x97", "\xcd\xb0", "\xc2", "\xdf\xbf"};
  // Long lines in capitals or not: the early stop near its bounds.
  const std::vector<std::string> long_pieces = {"WORD ", "Word ", "word ", "A ", "b ", "\xc3\x89 ", "\xc3\xa9", "7 ", ". ", "\n"};
  uint32_t seed = 99;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
  };
  int blocks = 0, partly = 0;
  for (int t = 0; t < 6000; ++t) {
    std::string text;
    if (t % 2 == 0) {
      const int length = static_cast<int>(next() % 80);
      for (int k = 0; k < length; ++k) text += pieces[next() % pieces.size()];
    } else {
      // Mostly one kind of word, so that some blocks are near 9 in 10 capitals.
      const int length = static_cast<int>(next() % 400);
      const size_t usual = next() % long_pieces.size();
      for (int k = 0; k < length; ++k)
        text += next() % 8 ? long_pieces[usual]
                           : (next() % 3 ? long_pieces[next() % long_pieces.size()] : pieces[next() % pieces.size()]);
    }
    const std::vector<TextBlock> got = SplitTextBlocks(text);
    const std::vector<TextBlock> want = PlainBlocks(text);
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t i = 0; i < got.size(); ++i) {
      const TextBlock& b = got[i];
      const TextBlock& w = want[i];
      const std::string_view where = std::string_view(text).substr(b.span.begin, b.span.size());
      ASSERT_EQ(b.span.begin, w.span.begin) << where;
      ASSERT_EQ(b.span.end, w.span.end) << where;
      EXPECT_EQ(b.blank_lines_before, w.blank_lines_before) << where;
      EXPECT_EQ(b.last, w.last) << where;
      if (b.words == w.words && b.letters == w.letters && b.upper == w.upper) {
        ++blocks;
        continue;
      }
      // Counted in part: enough words and letters, no capitals either way.
      ++partly;
      EXPECT_GE(b.words, TextBlock::kWordsCounted) << where;
      EXPECT_LE(b.words, w.words) << where;
      EXPECT_GE(b.letters, 4) << where;
      EXPECT_LE(b.letters, w.letters) << where;
      EXPECT_FALSE(AllCapitals(b.letters, b.upper)) << where;
      EXPECT_FALSE(AllCapitals(w.letters, w.upper)) << where;
    }
  }
  EXPECT_GT(blocks, 3000);
  EXPECT_GT(partly, 300);
}

// Every two-byte character alone and between ASCII letters, against ICU.
TEST(TextBlocks, TwoByteCharactersAreCountedAsIcuClassesThem) {
  for (UChar32 c = 0x80; c < 0x800; ++c) {
    char utf8[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(utf8), n, c);
    const std::string one(utf8, static_cast<size_t>(n));
    std::string lower_before = "abc", upper_before = "ABCDEFG";
    lower_before.append(one).append("DEFGHIJ");
    upper_before.append(one).append(" x");
    for (const std::string& text : {one, lower_before, upper_before}) {
      const std::vector<TextBlock> got = SplitTextBlocks(text);
      const std::vector<TextBlock> want = PlainBlocks(text);
      ASSERT_EQ(got.size(), want.size()) << c;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].letters, want[i].letters) << c;
        EXPECT_EQ(got[i].upper, want[i].upper) << c;
        EXPECT_EQ(got[i].words, want[i].words) << c;
      }
    }
  }
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
