#include "pipeline/item_zones.h"

#include <string>

#include <gtest/gtest.h>

#include "pipeline/folded_pattern.h"
#include "tests/event_test_util.h"

namespace newsevents {
namespace {

using testing::OneItemDocument;

TEST(ItemZonesTest, CutsTitleFirstSentenceAndRest) {
  const Document doc = OneItemDocument(
      "fr", "Réunion à Montréal",
      "Le CIPC a rencontré Mme. Dupont à l'Hôtel de ville. Elle dirige la sécurité.");
  const ItemZones zones(doc, doc.items[0]);
  EXPECT_TRUE(zones.has_title());
  EXPECT_EQ(zones.ZoneText(Zone::kTitle), "reunion a montreal");
  EXPECT_EQ(zones.ZoneText(Zone::kFirstSentence),
            "le cipc a rencontre mme. dupont a l'hotel de ville.");
  EXPECT_EQ(zones.ZoneText(Zone::kBody), "elle dirige la securite.");
  // Back to the normalized text, accents and case as written.
  EXPECT_EQ(doc.Slice(zones.ToText(zones.zone(Zone::kTitle))), "Réunion à Montréal");
}

TEST(ItemZonesTest, FoldsTheItemItselfWhenTheDocumentHasNoFoldedText) {
  Document doc;
  doc.text = "Intro line\n\nAtelier à Québec\n\nUn atelier a réuni 20 personnes. Merci!";
  Item item;
  item.title = {12, 12 + std::string("Atelier à Québec").size()};
  item.body = {item.title.end + 2, doc.text.size()};
  item.span = {item.title.begin, doc.text.size()};
  const ItemZones zones(doc, item);
  EXPECT_EQ(zones.ZoneText(Zone::kTitle), "atelier a quebec");
  EXPECT_EQ(zones.ZoneText(Zone::kFirstSentence), "un atelier a reuni 20 personnes.");
  EXPECT_EQ(zones.ZoneText(Zone::kBody), "merci!");
  EXPECT_EQ(doc.Slice(zones.ToText(zones.zone(Zone::kTitle))), "Atelier à Québec");
}

TEST(ItemZonesTest, HeadlessItemAndSentencesFromTheSentenceStage) {
  Document doc = OneItemDocument("en", "", "First part, still first. Second part.");
  doc.items[0].sentences = {{0, 11}, {11, doc.text.size()}};  // an odd but given cut
  const ItemZones zones(doc, doc.items[0]);
  EXPECT_FALSE(zones.has_title());
  EXPECT_EQ(zones.ZoneText(Zone::kFirstSentence), "first part,");
}

TEST(ItemZonesTest, ZoneNames) {
  for (int z = 0; z < kZoneCount; ++z)
    EXPECT_EQ(ParseZone(ZoneName(static_cast<Zone>(z))), static_cast<Zone>(z));
  EXPECT_FALSE(ParseZone("headline"));
}

TEST(FoldPatternTest, FoldsLiteralsKeepsEscapesAndGroupSyntax) {
  EXPECT_EQ(FoldPattern("\\bRéunions?\\b"), "\\breunions?\\b");
  EXPECT_EQ(FoldPattern("\\S+\\B\\W"), "\\S+\\B\\W");
  EXPECT_EQ(FoldPattern("(?P<Count>\\d+) Participants"), "(?P<Count>\\d+) participants");
  EXPECT_EQ(FoldPattern("\\p{Lu}É"), "\\p{Lu}e");
  EXPECT_EQ(FoldPattern("(?i)Œuvre"), "(?i)oeuvre");
}

}  // namespace
}  // namespace newsevents
