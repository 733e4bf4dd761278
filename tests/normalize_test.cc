#include "pipeline/normalize.h"

#include <gtest/gtest.h>

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

TEST(ReaderTest, MissingFileIsAnError) {
  ReadResult r = ReadSourceFile("/nonexistent/file.txt", ReadOptions());
  EXPECT_EQ(r.status, ReadStatus::kError);
  EXPECT_NE(r.message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace newsevents
