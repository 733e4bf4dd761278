#include "pipeline/dedup_facts.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

Organization Org(const std::string& name, std::vector<std::string> aliases = {}) {
  Organization o;
  o.name = name;
  o.aliases = std::move(aliases);
  return o;
}

Place MakePlace(const std::string& name, const std::string& kind, const std::string& country) {
  Place p;
  p.name = p.canonical = name;
  p.kind = kind;
  p.country = country;
  return p;
}

Item DatedItem(const std::string& start, const std::string& end = "") {
  Item item;
  if (!start.empty()) item.event_date = EventDate{start, end, "test"};
  return item;
}

// Compares two items' facts through the compact form, as the index does.
FactVerdict Compare(const Item& a, const Item& b) {
  static const DedupConfig config;
  FactInterner interner;
  const StoryFacts fa = FactsOfItem(a, config), fb = FactsOfItem(b, config);
  std::vector<uint32_t> la, lb;
  const FactCounts ca = CompactFacts(fa, interner, &la);
  const FactCounts cb = CompactFacts(fb, interner, &lb);
  return CompareFacts(ViewFacts(RangeOfIso(fa.event_start, fa.event_end), la.data(), ca),
                      ViewFacts(RangeOfIso(fb.event_start, fb.event_end), lb.data(), cb));
}

// Fact keys are folded, their white space (carriage returns too) collapsed
// and trimmed; ASCII names take a shorter way than others, to the same keys.
TEST(DedupFactsTest, KeysAreFoldedAndCollapsed) {
  Item item;
  item.places = {MakePlace("  Saint-MICHEL\r\n ", "district", "  CA "),
                 MakePlace("Montr\u00e9al\t\tNord", "district", "Ca"), MakePlace(" \t ", "city", "")};
  item.organizations = {Org("UN  Habitat", {"\u00c9FUS ", "un-habitat"})};
  item.organizers = {"un \n habitat", "Other\u00a0Org"};
  const StoryFacts f = FactsOfItem(item, DedupConfig());
  EXPECT_EQ(f.specific_places, (std::vector<std::string>{"montreal nord", "saint-michel"}));
  EXPECT_EQ(f.countries, (std::vector<std::string>{"ca"}));
  ASSERT_EQ(f.organizations.size(), 1u);
  EXPECT_EQ(f.organizations[0], (std::vector<std::string>{"efus", "un habitat", "un-habitat"}));
  // An organizer named like an organization stands for all its names.
  EXPECT_EQ(f.organizers, (std::vector<std::string>{"efus", "other\u00a0org", "un habitat", "un-habitat"}));
}

TEST(DedupFactsTest, DayNumbersAndRanges) {
  EXPECT_EQ(DayNumber("2021-06-09") - DayNumber("2021-06-08"), 1);
  EXPECT_EQ(DayNumber("2021-03-01") - DayNumber("2021-02-28"), 1);
  EXPECT_EQ(DayNumber("2024-03-01") - DayNumber("2024-02-28"), 2);  // leap year
  EXPECT_EQ(DayNumber("2021-02-29"), 0);
  EXPECT_EQ(DayNumber("2021-06"), 0);
  EXPECT_EQ(DayNumber("June 8"), 0);
  const DayRange year = RangeOfIso("2021", "");
  EXPECT_EQ(year.first, DayNumber("2021-01-01"));
  EXPECT_EQ(year.last, DayNumber("2021-12-31"));
  const DayRange fall = RangeOfIso("2022-09", "2022-11");
  EXPECT_EQ(fall.first, DayNumber("2022-09-01"));
  EXPECT_EQ(fall.last, DayNumber("2022-11-30"));
  EXPECT_TRUE(RangeOfIso("", "").empty());
  EXPECT_TRUE(RangeOfIso("soon", "").empty());
}

TEST(DedupFactsTest, EventDatesContradictOnlyWhenTheyCannotOverlap) {
  EXPECT_TRUE(Compare(DatedItem("2021-06-08"), DatedItem("2021-06-10")).contradiction);
  EXPECT_STREQ(Compare(DatedItem("2022"), DatedItem("2023")).why, "event dates");
  EXPECT_FALSE(Compare(DatedItem("2021-06-08"), DatedItem("2021-06")).contradiction);
  EXPECT_FALSE(Compare(DatedItem("2021-06-08"), DatedItem("2021-06-07", "2021-06-09")).contradiction);
  EXPECT_TRUE(Compare(DatedItem("2022-05-27"), DatedItem("2022-09", "2022-11")).contradiction);
  EXPECT_FALSE(Compare(DatedItem("2021-06-08"), DatedItem("")).contradiction);
}

TEST(DedupFactsTest, PlacesContradictWhenNeitherSetHoldsTheOther) {
  Item a, b;
  a.places = {MakePlace("Montreal", "city", "CA"), MakePlace("Saint-Michel", "city", "CA")};
  b.places = {MakePlace("Montreal", "city", "CA"), MakePlace("Lachine", "city", "CA")};
  EXPECT_STREQ(Compare(a, b).why, "places");
  b.places = {MakePlace("Montr\u00e9al", "city", "CA")};  // folded: a subset of a's
  EXPECT_FALSE(Compare(a, b).contradiction);
  EXPECT_EQ(Compare(a, b).shared_places, 1);
  // A country is compared through its code only.
  b.places = {MakePlace("Canada", "country", "CA")};
  EXPECT_FALSE(Compare(a, b).contradiction);
  b.places = {MakePlace("Chile", "country", "CL")};
  EXPECT_STREQ(Compare(a, b).why, "countries");
}

TEST(DedupFactsTest, OrganizationsMeetThroughAnyNameAndCountOnce) {
  Item a, b;
  a.organizations = {Org("European Forum for Urban Safety", {"Efus"}),
                     Org("International Centre for the Prevention of Crime", {"ICPC"})};
  b.organizations = {Org("EFUS"), Org("ICPC"), Org("UNODC")};
  const FactVerdict v = Compare(a, b);
  EXPECT_EQ(v.shared_organizations, 2);
  EXPECT_FALSE(v.contradiction);
  b.organizations = {Org("International Centre for the Prevention of Crime", {"ICPC"})};
  EXPECT_EQ(Compare(a, b).shared_organizations, 1);  // two names, one organization
}

TEST(DedupFactsTest, OrganizersMustShareOne) {
  Item a, b;
  a.organizations = {Org("European Forum for Urban Safety", {"Efus"})};
  a.organizers = {"Efus"};
  b.organizers = {"European Forum for Urban Safety"};
  EXPECT_FALSE(Compare(a, b).contradiction);
  b.organizers = {"Dubai Police"};
  EXPECT_STREQ(Compare(a, b).why, "organizers");
}

TEST(DedupFactsTest, DaysComeFromTheEventFirstThenTheText) {
  DedupConfig config;
  config.max_days_per_item = 2;
  Item item = DatedItem("2021-06-08");
  for (const char* v : {"2021-05-01", "2021-06-08", "2021-07", "2021-08-02"}) {
    DateMention m;
    m.value = v;
    item.dates.push_back(m);
  }
  EXPECT_EQ(FactsOfItem(item, config).days, (std::vector<std::string>{"2021-06-08", "2021-05-01"}));
}

TEST(DedupFactsTest, JsonRoundTrip) {
  Item item = DatedItem("2021-06-08", "2021-06-09");
  DateMention m;
  m.value = "2021-06-08";
  item.dates.push_back(m);
  item.places = {MakePlace("Montr\u00e9al-Nord", "city", "CA"), MakePlace("Canada", "country", "CA")};
  item.organizations = {Org("European Forum for Urban Safety", {"Efus"}), Org("UNODC")};
  item.organizers = {"Efus", "City of Lille"};
  const StoryFacts facts = FactsOfItem(item, DedupConfig());
  EXPECT_EQ(facts.specific_places, (std::vector<std::string>{"montreal-nord"}));
  EXPECT_EQ(facts.countries, (std::vector<std::string>{"ca"}));
  EXPECT_EQ(FactsFromJson(nlohmann::json::parse(FactsToJson(facts).dump())), facts);
  EXPECT_EQ(FactsFromJson(nlohmann::json::parse("{}")), StoryFacts());
  EXPECT_THROW(FactsFromJson(nlohmann::json::parse(R"({"orgs": ["flat"]})")), std::runtime_error);
  EXPECT_THROW(FactsFromJson(nlohmann::json::parse(R"({"weather": []})")), std::runtime_error);
}

}  // namespace
}  // namespace newsevents
