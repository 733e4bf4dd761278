#include "pipeline/record.h"

#include <gtest/gtest.h>

#include "pipeline/normalize.h"

namespace newsevents {
namespace {

Document MakeDoc(const std::string& text) {
  Document doc;
  doc.name = "drop.txt";
  doc.original = text;
  NormalizeDocument(doc);
  Item item;
  item.span = {0, doc.text.size()};
  item.title = {0, doc.text.find('\n')};
  item.body = {doc.text.find('\n') + 1, doc.text.size()};
  doc.items.push_back(item);
  return doc;
}

TEST(RecordTest, IdIsStableAcrossReflowAndQuotes) {
  Document a = MakeDoc("A title\nSome \u201cquoted\u201d text\nwrapped here");
  Document b = MakeDoc("A  title\nSome \"quoted\" text wrapped here");
  EXPECT_EQ(ItemId(a, a.items[0]), ItemId(b, b.items[0]));
  Document c = MakeDoc("Another title\nOther text");
  EXPECT_NE(ItemId(a, a.items[0]), ItemId(c, c.items[0]));
}

TEST(RecordTest, FillRecordGivesTheBytesRecordLineWouldWrite) {
  // A title that itself holds the key's text must not confuse the splice.
  Document doc = MakeDoc("Why \"duplicate_of\": null and {\"id\":\"x\"} matter\nBody text.");
  Item& item = doc.items[0];
  const std::string rendered = RecordLine(doc, item);
  item.id = "ev-0123456789abcdef";
  item.duplicate_of = "ev-fedcba9876543210";
  EXPECT_EQ(FillRecord(rendered, item.id, item.duplicate_of), RecordLine(doc, item));
  item.duplicate_of.clear();
  EXPECT_EQ(FillRecord(rendered, item.id, ""), RecordLine(doc, item));
  // Filling an already filled line replaces, not appends.
  item.duplicate_of = "ev-1111111111111111";
  EXPECT_EQ(FillRecord(FillRecord(rendered, "ev-2222222222222222", "ev-3333333333333333"),
                       item.id, item.duplicate_of),
            RecordLine(doc, item));
}

TEST(RecordTest, FillRecordFindsTheLinkBeforeWarningsAndExplain) {
  // FillRecord looks for the link from the end: warnings and --explain's
  // member come after it, and may quote its key.
  Document doc = MakeDoc("A title\nBody text.");
  Item& item = doc.items[0];
  item.warnings.push_back({"note", ",\"duplicate_of\":\"ev-0000000000000000\"", 12});
  item.type_cues.push_back({"webinar", ",\"duplicate_of\":null", 1.5});
  const std::string rendered = RecordLine(doc, item, true);
  item.id = "ev-0123456789abcdef";
  item.duplicate_of = "ev-fedcba9876543210";
  EXPECT_EQ(FillRecord(rendered, item.id, item.duplicate_of), RecordLine(doc, item, true));
}

TEST(RecordTest, SpansAreFileBytesAndTitleIsAsWritten) {
  Document doc = MakeDoc("\u201cQuoted\u201d title\nBody.");
  auto r = ItemRecord(doc, doc.items[0]);
  EXPECT_EQ(r["title"], "\u201cQuoted\u201d title");
  EXPECT_EQ(r["source"]["title_span"][1], std::string("\u201cQuoted\u201d title").size());
}

}  // namespace
}  // namespace newsevents
