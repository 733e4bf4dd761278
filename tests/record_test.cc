#include "pipeline/record.h"

#include <gtest/gtest.h>

#include "pipeline/dedup_config.h"
#include "pipeline/dedup_key.h"
#include "pipeline/normalize.h"
#include "pipeline/story_text.h"

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

// AssignItemIds keeps each item's story text for the story keys: the ids are
// ItemId's, the texts StoryTextOf's, and a story key made from the kept text
// is the one made without it.
TEST(RecordTest, AssignedIdsKeepTheStoryTextsOfTheItems) {
  Document doc = MakeDoc("A Title\n\u00c9t\u00e9  \u201cquoted\u201d\n\ntext, wrapped\nhere\nSecond\nitem");
  const size_t second = doc.text.find("Second");
  doc.items[0].span = {0, second};
  Item other;
  other.span = {second, doc.text.size()};
  doc.items.push_back(other);
  Item empty;
  empty.span = {second, second};
  doc.items.push_back(empty);
  AssignItemIds(doc);
  DedupConfig config;
  StoryKeyMaker keys(config);
  for (Item& item : doc.items) {
    EXPECT_EQ(item.id, ItemId(doc, item));
    EXPECT_EQ(std::string_view(doc.story_texts).substr(item.story_text.begin, item.story_text.size()),
              StoryTextOf(doc, item.span));
    const StoryKey kept = keys.KeyOf(doc, item);
    Item alone = item;
    alone.story_text = {};
    const StoryKey made = keys.KeyOf(doc, alone);
    EXPECT_EQ(kept.id, made.id);
    EXPECT_EQ(kept.fingerprint, made.fingerprint);
    EXPECT_EQ(kept.sketch.signature, made.sketch.signature);
    EXPECT_EQ(kept.sketch.shingles, made.sketch.shingles);
  }
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
