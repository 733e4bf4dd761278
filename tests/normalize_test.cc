#include "pipeline/normalize.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <random>

#include "pipeline/ascii_run.h"
#include "pipeline/fold.h"
#include "pipeline/reader.h"

namespace newsevents {
namespace {

Document Make(std::string bytes) {
  ReadResult r = DecodeBytes(std::move(bytes));
  Document doc;
  doc.original = std::move(r.text);
  doc.original_to_file = std::move(r.to_file);
  doc.warnings = std::move(r.warnings);
  NormalizeDocument(doc);
  return doc;
}

// NormalizeText as it was before its runs were found 16 bytes at a time and
// its two-byte code points looked up in a table (session 8): the reference
// the fast paths must match, text and offset map.
const char* ReferenceUnified(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
    case 0x00AB: case 0x00BB:
      return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return "-";
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
      return " ";
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
      return "";
    case 0x2028: case 0x2029:
      return "\n";
    default:
      if (c >= 0x2000 && c <= 0x200A) return " ";
      return nullptr;
  }
}

std::string ReferenceNormalize(std::string_view original, OffsetMap* map) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::string out;
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t n = static_cast<int32_t>(original.size());
  int32_t i = 0;
  auto edit = [&](size_t dst, int32_t from, int32_t to) {
    if (map) map->Add(dst, out.size() - dst, from, to - from);
  };
  while (i < n) {
    const uint8_t b = s[i];
    if (b == '\r') {
      const size_t dst = out.size();
      out.push_back('\n');
      const int32_t from = i;
      i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      edit(dst, from, i);
      continue;
    }
    if (b < 0x80) {
      int32_t j = i + 1;
      while (j < n && s[j] < 0x80 && s[j] != '\r') ++j;
      int32_t copy_end = j;
      if (j < n && s[j] >= 0x80) {
        UChar32 next;
        int32_t k = j;
        U8_NEXT(s, k, n, next);
        if (next >= 0 && !nfc->hasBoundaryBefore(next)) copy_end = j - 1;
      }
      for (int32_t k = i; k < copy_end; ++k)
        out.push_back((s[k] < 0x20 && s[k] != '\n') ? ' ' : static_cast<char>(s[k]));
      i = copy_end;
      if (i == j) continue;
    }
    const int32_t from = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) c = 0xFFFD;
    if (const char* u = ReferenceUnified(c)) {
      const size_t dst = out.size();
      out.append(u);
      edit(dst, from, i);
      continue;
    }
    int32_t end = i;
    while (end < n) {
      int32_t j = end;
      UChar32 next;
      U8_NEXT(s, j, n, next);
      if (next < 0 || nfc->hasBoundaryBefore(next)) break;
      end = j;
    }
    if (end == i && u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES) {
      out.append(reinterpret_cast<const char*>(s + from), i - from);
      continue;
    }
    icu::UnicodeString segment = icu::UnicodeString::fromUTF8(
        icu::StringPiece(reinterpret_cast<const char*>(s + from), end - from));
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString composed = nfc->normalize(segment, st);
    const size_t dst = out.size();
    if (U_SUCCESS(st)) {
      composed.toUTF8String(out);
    } else {
      out.append(reinterpret_cast<const char*>(s + from), end - from);
    }
    i = end;
    edit(dst, from, i);
  }
  return out;
}

// Random text from pieces that meet every path: plain ASCII, controls, line
// ends, accented letters, combining marks of two and three bytes after
// letters, controls and other marks, unified punctuation, characters NFC
// changes (U+0344, U+0958, Hangul jamo), four-byte ones, and invalid bytes.
std::string RandomText(std::mt19937& rng, size_t pieces) {
  static const char* const kPieces[] = {
      "a", "Z", " ", "word ", "The quick brown fox ", "\n", "\r", "\r\n", "\t", "\x01", "\x7f",
      "\u00e9", "\u00c9", "\u00df", "\u00f1", "\u00e7", "\u0153", "\u00a0", "\u00ad", "\u00ab",
      "\u00bb", "\u02bc", "\u0301", "\u0327", "\u0308", "\u0344", "\u0340", "\u0374", "\u0958",
      "\u20d7", "\u2019", "\u201c", "\u2013", "\u2028", "\u200b", "\u2003", "\u20ac",
      "\u1100", "\u1161", "\u11a8", "\uac00", "\U0001F600", "\U0001D15E", "\u05d0\u05b8",
      "\x80", "\xc3", "\xe2\x80", "\xff", "\xc0\xaf", "e\u0301", "\t\u0301", "\n\u0308"};
  constexpr size_t kCount = sizeof(kPieces) / sizeof(kPieces[0]);
  std::uniform_int_distribution<size_t> pick(0, kCount - 1);
  std::geometric_distribution<int> ascii(0.05);
  std::string text;
  for (size_t k = 0; k < pieces; ++k) {
    if (rng() % 3 == 0) {  // a long plain run, so the 16-byte blocks are met
      for (int a = ascii(rng); a > 0; --a) text.push_back(static_cast<char>('a' + rng() % 26));
    }
    text += kPieces[pick(rng)];
  }
  return text;
}

TEST(NormalizeTest, FastPathsMatchTheReferenceOnRandomText) {
  std::mt19937 rng(8);
  for (int t = 0; t < 20000; ++t) {
    const std::string text = RandomText(rng, 1 + rng() % 40);
    OffsetMap got_map, want_map;
    const std::string got = NormalizeText(text, &got_map);
    const std::string want = ReferenceNormalize(text, &want_map);
    ASSERT_EQ(got, want) << "text #" << t;
    for (size_t d = 0; d <= got.size(); ++d)
      ASSERT_EQ(got_map.ToSource(d), want_map.ToSource(d)) << "text #" << t << " offset " << d;
  }
}

TEST(AsciiRunTest, PrefixesMatchAByteAtATime) {
  std::mt19937 rng(16);
  const uint8_t kBytes[] = {'a', ' ', '\n', '\r', '\t', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff};
  for (int t = 0; t < 5000; ++t) {
    std::vector<uint8_t> text(rng() % 70);
    for (uint8_t& b : text) b = rng() % 4 ? 'a' : kBytes[rng() % sizeof(kBytes)];
    for (size_t from = 0; from <= text.size(); ++from) {
      size_t ascii = from, plain = from;
      while (ascii < text.size() && text[ascii] < 0x80) ++ascii;
      while (plain < text.size() && IsPlainAscii(text[plain])) ++plain;
      ASSERT_EQ(from + AsciiPrefix(text.data() + from, text.size() - from), ascii);
      ASSERT_EQ(from + PlainAsciiPrefix(text.data() + from, text.size() - from), plain);
    }
  }
}

TEST(NormalizeTest, UnifiesQuotesDashesSpacesAndLineEnds) {
  EXPECT_EQ(NormalizeText("ICPC\u2019s \u201cChange\u201d \u2013 a\u00a0b\r\nc\rd"),
            "ICPC's \"Change\" - a b\nc\nd");
  EXPECT_EQ(NormalizeText("co\u00adop\u200bera"), "coopera");
}

TEST(NormalizeTest, ComposesToNfc) {
  // "Montre" + COMBINING ACUTE ACCENT + "al" -> precomposed é.
  EXPECT_EQ(NormalizeText("Montre\u0301al"), "Montr\u00e9al");
  EXPECT_EQ(NormalizeText("e\u0301"), "\u00e9");        // the mark after a one-letter run
  EXPECT_EQ(NormalizeText("\u00e9e\u0301e"), "\u00e9\u00e9e");
}

TEST(NormalizeTest, ControlCharactersBecomeSpacesButLineFeedsStay) {
  EXPECT_EQ(NormalizeText("a\tb\x01" "c\nd\x7f"), "a b c\nd\x7f");
}

TEST(NormalizeTest, SpansLeadBackToTheTextAsWritten) {
  Document doc = Make("The \u201cChange the World\u201d series \u2013 Montre\u0301al\r\n");
  size_t at = doc.text.find("Change");
  Span span{at - 1, at + std::string("Change the World").size() + 1};
  EXPECT_EQ(doc.Slice(span), "\"Change the World\"");
  EXPECT_EQ(doc.AsWritten(span), "\u201cChange the World\u201d");
  size_t m = doc.text.find("Montr");
  EXPECT_EQ(doc.AsWritten({m, m + std::string("Montr\u00e9al").size()}), "Montre\u0301al");
}

TEST(NormalizeTest, FoldedSpansMapToText) {
  Document doc = Make("Visit to MONTRÉAL-Nord");
  size_t f = doc.folded.find("montreal-nord");
  ASSERT_NE(f, std::string::npos);
  Span t = doc.FoldedToText({f, f + 13});
  EXPECT_EQ(doc.Slice(t), "MONTRÉAL-Nord");
}

TEST(ReaderTest, Utf8BomIsDroppedAndOffsetsPointIntoTheFile) {
  Document doc = Make("\xEF\xBB\xBFHello world");
  EXPECT_EQ(doc.text, "Hello world");
  ASSERT_FALSE(doc.warnings.empty());
  EXPECT_EQ(doc.warnings[0].code, "bom");
  Span file = doc.ToFile({6, 11});
  EXPECT_EQ(file.begin, 9u);
  EXPECT_EQ(file.end, 14u);
}

TEST(ReaderTest, InvalidUtf8IsReplacedAndReportedWithItsOffset) {
  ReadResult r = DecodeBytes(std::string("abc\xC3\x28xyz"));
  EXPECT_EQ(r.status, ReadStatus::kOk);
  EXPECT_EQ(r.text, "abc\xEF\xBF\xBD(xyz");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].code, "invalid-utf8");
  EXPECT_EQ(r.warnings[0].source_offset, 3u);
  EXPECT_EQ(r.to_file.ToSource(r.text.find('x')), 5u);
}

TEST(ReaderTest, Utf16WithBomIsDecoded) {
  std::string le("\xFF\xFE", 2);
  for (char c : std::string("Caf")) { le.push_back(c); le.push_back('\0'); }
  le += std::string("\xE9\x00", 2);  // é
  ReadResult r = DecodeBytes(le);
  EXPECT_EQ(r.status, ReadStatus::kOk);
  EXPECT_EQ(r.text, "Caf\u00e9");
  EXPECT_EQ(r.to_file.ToSource(3), 8u);  // é starts at file byte 8
  EXPECT_EQ(r.to_file.ToSource(r.text.size()), 10u);
}

TEST(ReaderTest, Utf16BigEndianWithoutBomIsRecognized) {
  std::string be;
  for (char c : std::string("Hello, this is UTF-16")) { be.push_back('\0'); be.push_back(c); }
  ReadResult r = DecodeBytes(be);
  EXPECT_EQ(r.status, ReadStatus::kOk);
  EXPECT_EQ(r.text, "Hello, this is UTF-16");
}

TEST(ReaderTest, EmptyAndBinaryFilesAreNotText) {
  EXPECT_EQ(DecodeBytes("").status, ReadStatus::kEmpty);
  EXPECT_EQ(DecodeBytes(" \n\r\n").status, ReadStatus::kEmpty);
  std::string binary("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 20);
  EXPECT_EQ(DecodeBytes(binary).status, ReadStatus::kSkipped);
}

// The reader's checks as they were before they skipped runs 16 bytes at a
// time (session 8): whether bytes look binary, and the first invalid UTF-8
// sequence (-1 when none).
bool ReferenceLooksBinary(const std::string& bytes) {
  size_t n = std::min<size_t>(bytes.size(), 8192);
  size_t control = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = bytes[i];
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return control * 20 > n;
}

int32_t ReferenceFirstBadUtf8(const std::string& bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return at;
  }
  return -1;
}

TEST(ReaderTest, ChecksMatchTheReferenceOnRandomBytes) {
  std::mt19937 rng(32);
  const char* const kPieces[] = {"text ", "\n", "\r\n", "\t", "\f", "\x01", "\x1b", "\u00e9",
                                 "\u2019", "\U0001F600", "\x80", "\xc3", "\xed\xa0\x80", "\xff"};
  for (int t = 0; t < 20000; ++t) {
    std::string bytes;
    for (int k = 1 + rng() % 60; k > 0; --k) {
      for (int a = rng() % 20; a > 0; --a) bytes.push_back(static_cast<char>('a' + rng() % 26));
      bytes += kPieces[rng() % (sizeof(kPieces) / sizeof(kPieces[0]))];
    }
    const ReadResult r = DecodeBytes(bytes);
    const bool binary = ReferenceLooksBinary(bytes);
    ASSERT_EQ(r.status == ReadStatus::kSkipped, binary) << "bytes #" << t;
    if (binary) continue;
    const int32_t bad = ReferenceFirstBadUtf8(bytes);
    if (bad < 0) {
      ASSERT_EQ(r.text, bytes);
      ASSERT_TRUE(r.warnings.empty());
    } else {
      ASSERT_EQ(r.warnings.size(), 1u);
      ASSERT_EQ(r.warnings[0].source_offset, static_cast<size_t>(bad)) << "bytes #" << t;
    }
  }
}

TEST(ReaderTest, MissingFileIsAnError) {
  ReadResult r = ReadSourceFile("/nonexistent/file.txt", ReadOptions());
  EXPECT_EQ(r.status, ReadStatus::kError);
  EXPECT_NE(r.message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace newsevents
