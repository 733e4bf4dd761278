#include "pipeline/dedup_facts.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/dedup_block_keys.h"
#include "pipeline/fold.h"

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

// FactsOfItem as it was before its keys went through one buffer per thread
// (session 7): each key its own string, the lists vectors of strings.
namespace reference {

std::string Collapsed(std::string_view text, bool lower) {
  std::string out(text.size(), '\0');
  char* o = out.data();
  bool space = true;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!space) *o++ = ' ';
      space = true;
    } else {
      *o++ = lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      space = false;
    }
  }
  size_t length = static_cast<size_t>(o - out.data());
  if (length > 0 && out[length - 1] == ' ') --length;
  out.resize(length);
  return out;
}

std::string Key(std::string_view name) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return ascii ? Collapsed(name, true) : Collapsed(FoldText(name), false);
}

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
  if (v->size() > 255) v->resize(255);
}

StoryFacts FactsOfItem(const Item& item, const DedupConfig& config) {
  StoryFacts f;
  if (item.event_date) {
    f.event_start = item.event_date->start;
    f.event_end = item.event_date->end;
  }
  auto add_day = [&](const std::string& iso) {
    if (DayNumber(iso) == 0) return;
    if (static_cast<int>(f.days.size()) >= config.max_days_per_item) return;
    if (std::find(f.days.begin(), f.days.end(), iso) == f.days.end()) f.days.push_back(iso);
  };
  add_day(f.event_start);
  add_day(f.event_end);
  for (const DateMention& d : item.dates) {
    add_day(d.value);
    add_day(d.end);
  }
  for (const Place& p : item.places) {
    const std::string key = Key(p.canonical.empty() ? p.name : p.canonical);
    const bool broad = std::find(config.broad_place_kinds.begin(), config.broad_place_kinds.end(),
                                 p.kind) != config.broad_place_kinds.end();
    if (!broad && !key.empty()) f.specific_places.push_back(key);
    if (!p.country.empty()) f.countries.push_back(Key(p.country));
  }
  SortUnique(&f.specific_places);
  SortUnique(&f.countries);
  auto keys_of = [](const Organization& o) {
    std::vector<std::string> keys;
    if (std::string k = Key(o.name); !k.empty()) keys.push_back(k);
    for (const std::string& a : o.aliases)
      if (std::string k = Key(a); !k.empty()) keys.push_back(k);
    SortUnique(&keys);
    return keys;
  };
  for (const Organization& o : item.organizations)
    if (std::vector<std::string> keys = keys_of(o); !keys.empty())
      f.organizations.push_back(std::move(keys));
  std::sort(f.organizations.begin(), f.organizations.end());
  f.organizations.erase(std::unique(f.organizations.begin(), f.organizations.end()),
                        f.organizations.end());
  size_t names = 0, keep = 0;
  while (keep < f.organizations.size() && names + f.organizations[keep].size() <= 255)
    names += f.organizations[keep++].size();
  f.organizations.resize(keep);
  for (const std::string& name : item.organizers) {
    const std::string key = Key(name);
    if (key.empty()) continue;
    bool found = false;
    for (const std::vector<std::string>& keys : f.organizations) {
      if (std::binary_search(keys.begin(), keys.end(), key)) {
        f.organizers.insert(f.organizers.end(), keys.begin(), keys.end());
        found = true;
        break;
      }
    }
    if (!found) f.organizers.push_back(key);
  }
  SortUnique(&f.organizers);
  return f;
}

// BlockKeysOf's day keys written plainly: the names (organizations' names
// and aliases, then specific places) each once, at most max_keys_per_item of
// them, each day with each name until there are max_keys_per_item keys.
std::vector<uint32_t> DayKeysOf(const StoryFacts& facts, const DedupConfig& config) {
  const size_t max_keys = static_cast<size_t>(config.max_keys_per_item);
  std::vector<std::string> names;
  auto add = [&](const std::string& name) {
    if (names.size() < max_keys && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  };
  for (const std::vector<std::string>& org : facts.organizations)
    for (const std::string& name : org) add(name);
  for (const std::string& p : facts.specific_places) add(p);
  std::vector<uint32_t> keys;
  const size_t days = std::min(facts.days.size(), static_cast<size_t>(config.max_days_per_item));
  for (size_t d = 0; d < days; ++d)
    for (const std::string& name : names)
      if (keys.size() < max_keys) keys.push_back(BlockKey(facts.days[d], name));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace reference

// Names of a few words from a small vocabulary (so that keys repeat and
// organizers meet organizations), in mixed case, with runs of white space,
// carriage returns, non-ASCII letters and no-break spaces.
std::string RandomName(std::mt19937& rng) {
  static const char* kWords[] = {"Un",     "HABITAT", "efus",   "Montr\u00e9al", "Nord",
                                 "Stra\u00dfe", "City",  "of",     "Lille",   "Forum",
                                 "\u00c9FUS", "x",    "Saint-Michel", "ICPC", "Lachine"};
  static const char* kGaps[] = {" ", "  ", "\t", "\r\n", " \n ", "\u00a0", "-"};
  std::string s;
  if (rng() % 8 == 0) s += kGaps[rng() % 7];
  const int words = static_cast<int>(rng() % 7);
  for (int w = 0; w < words; ++w) {
    if (w) s += rng() % 3 ? " " : kGaps[rng() % 7];
    s += kWords[rng() % 15];
  }
  if (rng() % 8 == 0) s += kGaps[rng() % 7];
  return s;
}

TEST(DedupFactsTest, FactsAndBlockKeysAreThoseOfTheReferenceCodeOnRandomItems) {
  std::mt19937 rng(7);
  static const char* kDays[] = {"2021-06-08", "2021-06-09", "2021-02-29", "2022", "2022-09",
                                "", "June", "2020-02-29", "2021-13-01"};
  static const char* kKinds[] = {"city", "country", "district", "world_region", "region"};
  static const char* kCountries[] = {"CA", "ca", "", " FR ", "De", "\u00c9s"};
  for (int round = 0; round < 20000; ++round) {
    DedupConfig config;
    config.max_days_per_item = 1 + static_cast<int>(rng() % 4);
    Item item;
    if (rng() % 2) item.event_date = EventDate{kDays[rng() % 9], kDays[rng() % 9], "test"};
    for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
      DateMention m;
      m.value = kDays[rng() % 9];
      m.end = kDays[rng() % 9];
      item.dates.push_back(m);
    }
    for (int i = static_cast<int>(rng() % 6); i > 0; --i) {
      Place p;
      p.name = RandomName(rng);
      if (rng() % 2) p.canonical = RandomName(rng);
      p.kind = kKinds[rng() % 5];
      p.country = kCountries[rng() % 6];
      item.places.push_back(p);
    }
    for (int i = static_cast<int>(rng() % 7); i > 0; --i) {
      Organization o;
      o.name = RandomName(rng);
      for (int a = static_cast<int>(rng() % 4); a > 0; --a) o.aliases.push_back(RandomName(rng));
      item.organizations.push_back(o);
    }
    for (int i = static_cast<int>(rng() % 4); i > 0; --i) item.organizers.push_back(RandomName(rng));
    if (round % 500 == 0) {  // the cuts at 255 facts of a kind
      for (int i = 0; i < 300; ++i) {
        item.places.push_back(MakePlace("Place " + std::to_string(i), "city", std::to_string(i)));
        item.organizations.push_back(Org("Org " + std::to_string(i), {"O" + std::to_string(i)}));
        item.organizers.push_back("Org " + std::to_string(i));
      }
    }
    ASSERT_EQ(FactsOfItem(item, config), reference::FactsOfItem(item, config)) << "round " << round;
    config.max_keys_per_item = static_cast<int>(rng() % 40);
    const StoryFacts facts = FactsOfItem(item, config);
    ASSERT_EQ(BlockKeysOf(facts, config).days, reference::DayKeysOf(facts, config))
        << "round " << round;
  }
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
