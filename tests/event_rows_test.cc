// A record taken apart into feed database rows: day ranges of partial ISO
// dates, entities merged within a record, organizers that are not among the
// organizations, errors that name the field; and the rules/models version.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pipeline/data_version.h"
#include "pipeline/event_rows.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

TEST(DayRangeTest, CoversTheDaysOfEachPrecision) {
  std::string first, last;
  ASSERT_TRUE(DayRange("2021", "", &first, &last));
  EXPECT_EQ(first + " " + last, "2021-01-01 2021-12-31");
  ASSERT_TRUE(DayRange("2024-02", "", &first, &last));
  EXPECT_EQ(first + " " + last, "2024-02-01 2024-02-29");
  ASSERT_TRUE(DayRange("2023-02", "", &first, &last));
  EXPECT_EQ(last, "2023-02-28");
  ASSERT_TRUE(DayRange("2021-06-08", "", &first, &last));
  EXPECT_EQ(first + " " + last, "2021-06-08 2021-06-08");
  // Ranges end at the end of their end: a season is three months.
  ASSERT_TRUE(DayRange("2021-09", "2021-11", &first, &last));
  EXPECT_EQ(first + " " + last, "2021-09-01 2021-11-30");
  ASSERT_TRUE(DayRange("2023-11-21", "2023-11-22", &first, &last));
  EXPECT_EQ(first + " " + last, "2023-11-21 2023-11-22");
}

TEST(DayRangeTest, RefusesWhatIsNotADate) {
  std::string first, last;
  for (const char* bad : {"", "21", "2021-13", "2021-00", "2023-02-29", "2021-6", "2021-06-8",
                          "2021/06", "2021-06-08T10", "abcd"}) {
    EXPECT_FALSE(DayRange(bad, "", &first, &last)) << bad;
  }
  EXPECT_FALSE(DayRange("2021-06", "2021-05", &first, &last)) << "ends before it starts";
  EXPECT_FALSE(DayRange("2021-06", "June", &first, &last));
}

constexpr char kRecord[] =
    R"({"id":"ev-0123456789abcdef","source":{"file":"a.txt","item":3,"span":[10,500],)"
    R"("title_span":[10,40]},"title":"A title","lang":"en","lang_confidence":1.0,)"
    R"("event_type":"conference","event_type_confidence":0.75,)"
    R"("event_date":{"start":"2021-06","end":null},)"
    R"("dates":[{"text":"June 2021","value":"2021-06","end":null,"precision":"month","span":[50,59]}],)"
    R"("organizations":[{"name":"United Nations","aliases":["UN"],"mentions":[[60,74],[90,92]]},)"
    R"({"name":"United Nations","aliases":["UNO","UN"],"mentions":[[30,44]]}],)"
    R"("places":[{"name":"Montreal","canonical":"Montréal","kind":"city","country":"CA","mentions":[[100,108]]},)"
    R"({"name":"Montréal","canonical":"Montréal","kind":"city","country":"CA","mentions":[[20,28]]},)"
    R"({"name":"Latin America","canonical":"Latin America","kind":"world_region","country":null,"mentions":[[200,213]]}],)"
    R"("people":[{"name":"Ann Smith","mentions":[[300,309]]}],)"
    R"("participants":75,"nationalities":null,"online":"hybrid",)"
    R"("organizers":["United Nations","City of Montreal"],"role":"organizer",)"
    R"("duplicate_of":"ev-fedcba9876543210","warnings":[]})";

TEST(ParseRecordTest, TakesARecordApart) {
  const EventRows e = ParseRecord(std::string(kRecord) + "\n");
  EXPECT_EQ(e.record, kRecord);
  EXPECT_EQ(e.id, "ev-0123456789abcdef");
  EXPECT_EQ(e.source_file, "a.txt");
  EXPECT_EQ(e.item_index, 3);
  EXPECT_EQ(e.span_begin, 10);
  EXPECT_EQ(e.span_end, 500);
  EXPECT_EQ(*e.title, "A title");
  EXPECT_EQ(*e.first_day, "2021-06-01");
  EXPECT_EQ(*e.last_day, "2021-06-30");
  EXPECT_FALSE(e.event_end.has_value());
  EXPECT_EQ(*e.participants, 75);
  EXPECT_FALSE(e.nationalities.has_value());
  EXPECT_EQ(*e.duplicate_of, "ev-fedcba9876543210");
  ASSERT_EQ(e.dates.size(), 1u);
  EXPECT_EQ(*e.dates[0].last_day, "2021-06-30");

  // The organization named twice is one row: mentions added up, aliases
  // merged, the first mention the earliest; the organizer not among the
  // organizations gets a row without mention.
  ASSERT_EQ(e.organizations.size(), 2u);
  EXPECT_EQ(e.organizations[0].name, "United Nations");
  EXPECT_EQ(e.organizations[0].mentions, 3);
  EXPECT_EQ(*e.organizations[0].first_begin, 30);
  EXPECT_EQ(e.organizations[0].aliases, (std::vector<std::string>{"UN", "UNO"}));
  EXPECT_TRUE(e.organizations[0].is_organizer);
  EXPECT_EQ(e.organizations[0].org_id, OrganizationId("United Nations"));
  EXPECT_EQ(e.organizations[1].name, "City of Montreal");
  EXPECT_EQ(e.organizations[1].mentions, 0);
  EXPECT_FALSE(e.organizations[1].first_begin.has_value());
  EXPECT_TRUE(e.organizations[1].is_organizer);
  EXPECT_EQ(e.organizations[1].position, 1);

  // Two spellings of one gazetteer place: one row, both names kept.
  ASSERT_EQ(e.places.size(), 2u);
  EXPECT_EQ(e.places[0].names, (std::vector<std::string>{"Montreal", "Montréal"}));
  EXPECT_EQ(e.places[0].mentions, 2);
  EXPECT_EQ(e.places[0].first_begin, 20);
  EXPECT_FALSE(e.places[1].country.has_value());
  EXPECT_NE(e.places[0].place_id, e.places[1].place_id);
  ASSERT_EQ(e.people.size(), 1u);

  // events + 1 date + 2 organizations + 2 places + 1 person + duplicate.
  EXPECT_EQ(e.RowCount(), 8);
}

TEST(ParseRecordTest, ADateThatIsNoDayKeepsItsTextWithoutDays) {
  std::string r = kRecord;
  r.replace(r.find("\"value\":\"2021-06\""), 17, "\"value\":\"2011-02-29\"");
  r.replace(r.find("\"start\":\"2021-06\""), 17, "\"start\":\"2021-13\"");
  const EventRows e = ParseRecord(r);
  ASSERT_EQ(e.dates.size(), 1u);
  EXPECT_EQ(e.dates[0].value, "2011-02-29");
  EXPECT_FALSE(e.dates[0].first_day.has_value());
  EXPECT_FALSE(e.dates[0].last_day.has_value());
  EXPECT_EQ(*e.event_start, "2021-13");
  EXPECT_FALSE(e.first_day.has_value());
}

TEST(ParseRecordTest, ErrorsNameTheField) {
  auto error_of = [](const std::string& line) -> std::string {
    try {
      ParseRecord(line);
    } catch (const RecordError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("{\"id\": "), "not valid JSON");
  EXPECT_EQ(error_of("[1, 2]"), "not a JSON object");
  std::string r = kRecord;
  EXPECT_EQ(error_of(std::string(r).replace(r.find("\"lang\":\"en\""), 11, "\"lang\":7")),
            "field 'lang': not a string");
  EXPECT_EQ(error_of(std::string(r).replace(r.find("\"value\":\"2021-06\""), 17,
                                            "\"value\":\"2021-6\"")),
            "field 'dates': not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)");
  EXPECT_EQ(error_of(std::string(r).replace(r.find("\"participants\":75,"), 18, "")),
            "field 'participants': missing");
}

TEST(EntityIdTest, StableAndDistinct) {
  EXPECT_EQ(OrganizationId("ICPC"), OrganizationId("ICPC"));
  EXPECT_NE(OrganizationId("ICPC"), OrganizationId("ICPC "));
  EXPECT_NE(PlaceId("Paris", "city", "FR"), PlaceId("Paris", "city", "US"));
  EXPECT_NE(PlaceId("Paris", "city", std::nullopt), PlaceId("Paris", "city", "FR"));
  // The key of a database row: it must never change between versions.
  EXPECT_EQ(OrganizationId("International Centre for the Prevention of Crime"),
            OrganizationId(std::string("International Centre for the Prevention of Crime")));
}

TEST(FormatDoubleTest, ShortestTextThatReadsBack) {
  EXPECT_EQ(FormatDouble(0.998), "0.998");
  EXPECT_EQ(FormatDouble(1.0), "1");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
}

TEST(DataVersionTest, ChangesWithTheFilesOnly) {
  const fs::path root = fs::temp_directory_path() / ("newsevents-dv-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "rules" / "en");
  fs::create_directories(root / "models");
  std::ofstream(root / "rules" / "en" / "a.rules") << "rule: a\n";
  std::ofstream(root / "models" / "m.tsv") << "x\t1\n";
  const std::string v1 = DataVersion(root.string());
  EXPECT_EQ(v1.rfind("xxh3-", 0), 0u);
  EXPECT_EQ(v1.size(), 21u);
  EXPECT_EQ(DataVersion(root.string()), v1);
  // Files elsewhere do not count.
  std::ofstream(root / "notes.txt") << "hello\n";
  EXPECT_EQ(DataVersion(root.string()), v1);
  // An edit, a rename and an addition each give another version.
  std::ofstream(root / "models" / "m.tsv") << "x\t2\n";
  const std::string v2 = DataVersion(root.string());
  EXPECT_NE(v2, v1);
  fs::rename(root / "models" / "m.tsv", root / "models" / "n.tsv");
  const std::string v3 = DataVersion(root.string());
  EXPECT_NE(v3, v2);
  std::ofstream(root / "rules" / "en" / "b.rules") << "";
  EXPECT_NE(DataVersion(root.string()), v3);
  fs::remove_all(root);
}

}  // namespace
}  // namespace newsevents
