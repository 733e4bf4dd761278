// TokenizeForNames: every token's span, folded form, hash, shape and place
// among spaces, line breaks and sentences, on text with accents, elisions,
// possessives, hyphens and punctuation; the folded forms are views into one
// folded text shared by copies of the list. Digests of every token field over
// random strings and over the sample drops pin the tokens exactly, so a change
// of how bytes are classed (byte_class.h) that alters any token fails here.
#include "pipeline/name_tokens.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/fold.h"
#include "pipeline/word_table.h"
#include "tests/xorshift.h"

namespace newsevents {
namespace {

struct Expected {
  std::string written, folded;
  TokenShape shape;
  bool sentence_start;
  int breaks_before;
  bool space_before;
};

void ExpectTokens(const std::string& text, const std::vector<Expected>& want) {
  const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
  const std::vector<NameToken>& t = cut.tokens;
  ASSERT_EQ(t.size(), want.size()) << text;
  for (size_t i = 0; i < t.size(); ++i) {
    SCOPED_TRACE(text + " / token " + std::to_string(i));
    EXPECT_EQ(text.substr(t[i].span.begin, t[i].span.size()), want[i].written);
    EXPECT_EQ(t[i].folded, want[i].folded);
    EXPECT_EQ(t[i].folded, FoldText(want[i].written));
    EXPECT_EQ(t[i].hash, WordHash(t[i].folded));
    EXPECT_EQ(t[i].shape, want[i].shape);
    EXPECT_EQ(t[i].sentence_start, want[i].sentence_start);
    EXPECT_EQ(t[i].breaks_before, want[i].breaks_before);
    EXPECT_EQ(t[i].space_before, want[i].space_before);
    // Each view lies in the list's folded text.
    ASSERT_NE(cut.folded, nullptr);
    EXPECT_GE(t[i].folded.data(), cut.folded->data());
    EXPECT_LE(t[i].folded.data() + t[i].folded.size(), cut.folded->data() + cut.folded->size());
  }
}

constexpr auto kLower = TokenShape::kLower;
constexpr auto kCap = TokenShape::kCapitalized;
constexpr auto kCaps = TokenShape::kAllCaps;
constexpr auto kMixed = TokenShape::kMixed;
constexpr auto kNumber = TokenShape::kNumber;
constexpr auto kPunct = TokenShape::kPunct;

TEST(NameTokens, EnglishWordsPossessivesAndPunctuation) {
  ExpectTokens("The USLab's O'Brien met UN-Habitat, AT&T.\nIn 2023",
               {{"The", "the", kCap, true, 0, false},
                {"USLab", "uslab", kMixed, false, 0, true},
                {"'s", "'s", kLower, false, 0, false},
                {"O'Brien", "o'brien", kCap, false, 0, true},
                {"met", "met", kLower, false, 0, true},
                {"UN-Habitat", "un-habitat", kMixed, false, 0, true},
                {",", ",", kPunct, false, 0, false},
                {"AT&T", "at&t", kCaps, false, 0, true},
                {".", ".", kPunct, false, 0, false},
                {"In", "in", kCap, true, 1, true},
                {"2023", "2023", kNumber, false, 0, true}});
}

TEST(NameTokens, FrenchElisionsAndAccents) {
  ExpectTokens("l\xE2\x80\x99\xC3\x89" "cole d'Action de Montr\xC3\xA9" "al-Nord \xE2\x80\xA2 R\xC3\xA9seau",
               {{"l\xE2\x80\x99", "l\xE2\x80\x99", kLower, true, 0, false},
                {"\xC3\x89" "cole", "ecole", kCap, false, 0, false},
                {"d'", "d'", kLower, false, 0, true},
                {"Action", "action", kCap, false, 0, false},
                {"de", "de", kLower, false, 0, true},
                {"Montr\xC3\xA9" "al-Nord", "montreal-nord", kCap, false, 0, true},
                {"\xE2\x80\xA2", "\xE2\x80\xA2", kPunct, false, 0, true},
                {"R\xC3\xA9seau", "reseau", kCap, true, 0, true}});
}

TEST(NameTokens, SpanishDecimalsAndSpaces) {
  ExpectTokens("Fundaci\xC3\xB3n  ICPC\t2.2 \xC2\xA0" "Espa\xC3\xB1" "a:\n\nx",
               {{"Fundaci\xC3\xB3n", "fundacion", kCap, true, 0, false},
                {"ICPC", "icpc", kCaps, false, 0, true},
                {"2.2", "2.2", kNumber, false, 0, true},
                {"Espa\xC3\xB1" "a", "espana", kCap, false, 0, true},
                {":", ":", kPunct, false, 0, false},
                {"x", "x", kLower, true, 2, true}});
}

TEST(NameTokens, FoldedTextGrowsWhenFoldingLengthens) {
  // An invalid byte is a token of its own that folds to U+FFFD, three bytes
  // for one: the folded text outgrows the span, and the views made before
  // must follow it.
  std::string text;
  for (int k = 0; k < 100; ++k) text += "Ab \xFF\xFF\xFF\xFF ";
  const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
  ASSERT_EQ(cut.tokens.size(), 500u);
  EXPECT_GT(cut.folded->size(), text.size() + 64);
  for (size_t i = 0; i < cut.tokens.size(); i += 5) {
    EXPECT_EQ(cut.tokens[i].folded, "ab");
    for (size_t k = 1; k < 5; ++k) {
      EXPECT_EQ(cut.tokens[i + k].folded, "\xEF\xBF\xBD");
      EXPECT_EQ(cut.tokens[i + k].hash, WordHash("\xEF\xBF\xBD"));
      EXPECT_EQ(cut.tokens[i + k].shape, TokenShape::kPunct);
    }
  }
}

TEST(NameTokens, CopiesShareTheFoldedText) {
  const std::string text = "Montr\xC3\xA9" "al police";
  ItemNameTokens copy;
  {
    const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
    copy = cut;
  }
  ASSERT_EQ(copy.tokens.size(), 2u);
  EXPECT_EQ(copy.tokens[0].folded, "montreal");
  EXPECT_EQ(copy.tokens[1].folded, "police");
}

TEST(NameTokens, SpanInsideText) {
  const std::string text = "xx Red Cross yy";
  const ItemNameTokens cut = TokenizeForNames(text, {3, 12});
  ASSERT_EQ(cut.tokens.size(), 2u);
  EXPECT_EQ(cut.tokens[0].span.begin, 3u);
  EXPECT_EQ(cut.tokens[1].folded, "cross");
  EXPECT_TRUE(cut.tokens[0].sentence_start);
}

TEST(NameTokens, FoldNameIntoIsFoldWordOfCollapsedSpaces) {
  std::string out = "left over from an earlier, longer name";
  for (const std::string name :
       {"Organization of American States", "Organization of\n  American\tStates ", " Ville de Montr\xC3\xA9" "al",
        "\xC3\x89" "COLE  NATIONALE", "", "  ", "Caf\xC3\xA9\r\nCentral"}) {
    FoldNameInto(name, &out);
    EXPECT_EQ(out, FoldWord(CollapseNameSpaces(name))) << name;
    FoldWordInto(name, &out);
    EXPECT_EQ(out, FoldWord(name)) << name;
  }
}


// Every field of every token, hashed (FNV-1a 64) in order.
uint64_t TokenDigest(const std::string& text, uint64_t h = 14695981039346656037ull) {
  auto mix = [&h](uint64_t v) {
    for (int k = 0; k < 8; ++k) h = (h ^ ((v >> (8 * k)) & 0xFF)) * 1099511628211ull;
  };
  const ItemNameTokens cut = TokenizeForNames(text, {0, text.size()});
  mix(cut.tokens.size());
  for (const NameToken& t : cut.tokens) {
    mix(t.span.begin);
    mix(t.span.end);
    for (char ch : t.folded) mix(static_cast<unsigned char>(ch));
    mix(t.hash);
    mix(static_cast<uint64_t>(t.breaks_before));
    mix(static_cast<uint64_t>(t.shape));
    mix(t.sentence_start);
    mix(t.space_before);
  }
  return h;
}

// Random text: half the bytes any byte at all (every entry of a byte table,
// broken UTF-8 too), half pieces a name tokenizer treats specially.
TEST(NameTokens, DigestOfRandomStringsIsPinned) {
  const std::vector<std::string> pieces = {
      "a", "Z", "q", "M", "0", "7", "-", "&", "'", ".", ",", " ", "  ", "\n", "\t", "\r",
      "s", "L", "d", "O", "\xC3\xA9", "\xC3\x89", "\xE2\x80\x99", "\xC2\xA0", "\xE2\x80\xA2",
      "\xCC\x81", "Montr\xC3\xA9" "al", "ICPC", "UN-Habitat", "2.2", "d'", "'s", "USLab", "!", "?", ":"};
  Xorshift64 next(88172645463325252ull);  // xorshift64: the same strings everywhere
  uint64_t digest = 14695981039346656037ull;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const int parts = static_cast<int>(next() % 24);
    for (int k = 0; k < parts; ++k) {
      const uint64_t r = next();
      if (r & 1)
        text += static_cast<char>(1 + (r >> 8) % 255);
      else
        text += pieces[(r >> 8) % pieces.size()];
    }
    digest = TokenDigest(text, digest);
  }
  EXPECT_EQ(digest, 1585213673608031362ull);
}

// The fast paths (ASCII words and punctuation, words of two-byte Latin
// letters) against the general case alone, field by field.
void ExpectSameAsGeneralCase(const std::string& text) {
  const ItemNameTokens fast = TokenizeForNames(text, {0, text.size()});
  const ItemNameTokens general = TokenizeForNamesInGeneral(text, {0, text.size()});
  ASSERT_EQ(fast.tokens.size(), general.tokens.size()) << text;
  for (size_t i = 0; i < fast.tokens.size(); ++i) {
    const NameToken& a = fast.tokens[i];
    const NameToken& b = general.tokens[i];
    SCOPED_TRACE(text + " / token " + std::to_string(i));
    ASSERT_EQ(a.span.begin, b.span.begin);
    ASSERT_EQ(a.span.end, b.span.end);
    ASSERT_EQ(a.folded, b.folded);
    ASSERT_EQ(a.hash, b.hash);
    ASSERT_EQ(a.shape, b.shape);
    ASSERT_EQ(a.sentence_start, b.sentence_start);
    ASSERT_EQ(a.breaks_before, b.breaks_before);
    ASSERT_EQ(a.space_before, b.space_before);
  }
}

TEST(NameTokens, FastPathsCutWhatTheGeneralCaseCuts) {
  // Every two-byte code point (Latin letters that fold to one, two or three
  // bytes, symbols, the no-break space, code points past the fold table),
  // among ASCII words, digits, the bytes that end or join words, and broken
  // UTF-8.
  std::vector<std::string> pieces = {"a", "Z", "q", "M", "0", "7", "-", "&", "'", ".", ",", " ", "  ",
                                     "\n", "\t", "\r", "s", "L", "d", "O", "\xE2\x80\x99", "\xE2\x80\xA2",
                                     "\xCC\x81", "Montreal", "ICPC", "UN", "abc", "Abc", "2023", "!", ":",
                                     "\xC3", "\xA9", "\x80"};
  for (int c = 0x80; c < 0x800; ++c) {
    std::string piece;
    piece += static_cast<char>(0xC0 | (c >> 6));
    piece += static_cast<char>(0x80 | (c & 0x3F));
    pieces.push_back(piece);
  }
  Xorshift64 next(0x9E3779B97F4A7C15ull);
  for (int n = 0; n < 30000; ++n) {
    std::string text;
    const int parts = static_cast<int>(next() % 20);
    for (int k = 0; k < parts; ++k) {
      const uint64_t r = next();
      // Mostly the first pieces (ASCII) and the Latin letters below U+0250.
      const size_t at = (r & 3) == 0 ? (r >> 8) % pieces.size() : (r >> 8) % (34 + 0x1D0);
      text += pieces[at];
    }
    ExpectSameAsGeneralCase(text);
  }
  for (const char* dir : {"corpus", "tests/data/multilingual/en", "tests/data/multilingual/fr",
                          "tests/data/multilingual/es"})
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      ExpectSameAsGeneralCase(
          std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
}

TEST(NameTokens, IntoReusesItsBuffersAndCutsTheSame) {
  // Phrases one after another in one list: longer and shorter ones, one
  // whose folding outgrows the text, and a copy holding the folded text
  // (which must not be written over).
  ItemNameTokens into;
  ItemNameTokens kept;
  std::string long_one;
  for (int k = 0; k < 50; ++k) long_one += "Ab \xFF ";
  const std::vector<std::string> phrases = {
      "Organization of American States", "ONU", "", long_one, "Montr\xC3\xA9" "al police",
      "l'\xC3\x89" "cole nationale d'administration publique", "AT&T's UN-Habitat, 2.2"};
  for (int round = 0; round < 3; ++round)
    for (const std::string& p : phrases) {
      TokenizeForNamesInto(p, {0, p.size()}, &into);
      if (round == 1 && p == phrases[0]) kept = into;
      const ItemNameTokens cut = TokenizeForNames(p, {0, p.size()});
      ASSERT_EQ(into.tokens.size(), cut.tokens.size()) << p;
      for (size_t i = 0; i < cut.tokens.size(); ++i) {
        EXPECT_EQ(into.tokens[i].span.begin, cut.tokens[i].span.begin);
        EXPECT_EQ(into.tokens[i].span.end, cut.tokens[i].span.end);
        EXPECT_EQ(into.tokens[i].folded, cut.tokens[i].folded);
        EXPECT_EQ(into.tokens[i].hash, cut.tokens[i].hash);
        EXPECT_EQ(into.tokens[i].shape, cut.tokens[i].shape);
      }
    }
  ASSERT_EQ(kept.tokens.size(), 4u);
  EXPECT_EQ(kept.tokens[3].folded, "states");
}

// The sample drops (corpus/, tests/data/multilingual/): every file whole.
TEST(NameTokens, DigestOfSampleDropsIsPinned) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {"corpus", "tests/data/multilingual/en", "tests/data/multilingual/fr",
                          "tests/data/multilingual/es"})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 15u);
  uint64_t digest = 14695981039346656037ull;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    digest = TokenDigest(text, digest);
  }
  EXPECT_EQ(digest, 13771033034379663988ull);
}

}  // namespace
}  // namespace newsevents
