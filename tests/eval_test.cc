// Tests for `newsevents eval`: anchors, item matching, field scores, the
// report formats and the command line. Fixtures are written to a temporary
// directory by each test, so every expectation can be read next to its data.
#include "pipeline/eval.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/eval_command.h"
#include "pipeline/eval_report.h"
#include "pipeline/eval_text.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------
// Fixture: two small newsletter drops, their gold, and records built from the
// gold (a perfect run) that each test then damages in one way.

constexpr char kDropA[] =
    "Conference on urban safety in Montréal\n"
    "\n"
    "The ICPC took part in a conference in Montréal from March 7 to 9, 2023, with the "
    "Organization of American States (OAS). Ann Champoux spoke on the first day.\n"
    "\n"
    "Job offer: analyst\n"
    "\n"
    "The ICPC is hiring an analyst. Apply before June 30, 2023.\n"
    "\n"
    "Workshop in Lima\n"
    "\n"
    "A workshop was held in Lima, Peru, in the fall of 2022 with the ICPC.\n";

constexpr char kDropB[] =
    "Montréal hosts a conference on urban safety\n"
    "\n"
    "From March 7 to 9, 2023, the ICPC attended a conference in Montréal.\n"
    "\n"
    "Workshop in Lima\n"
    "\n"
    "A second workshop took place in Lima in 2023.\n";

json GoldItem(const char* title, const char* starts_with, const char* type, json event_date,
              json dates, json orgs, json places, json people, json duplicate_of = nullptr) {
  return {{"title", title ? json(title) : json(nullptr)},
          {"starts_with", starts_with},
          {"event_type", type},
          {"event_date", event_date},
          {"dates", dates},
          {"organizations", orgs},
          {"places", places},
          {"people", people},
          {"duplicate_of", duplicate_of}};
}

json Date(const char* text, const char* value, json end = nullptr) {
  return {{"text", text}, {"value", value}, {"end", end}};
}

json Org(const char* name, std::vector<std::string> aliases = {}) {
  return {{"name", name}, {"aliases", aliases}};
}

json GoldA() {
  json items = json::array();
  items.push_back(GoldItem(
      "Conference on urban safety in Montréal", "The ICPC took part in a conference",
      "conference", {{"start", "2023-03-07"}, {"end", "2023-03-09"}},
      {Date("March 7 to 9, 2023", "2023-03-07", "2023-03-09")},
      {Org("International Centre for the Prevention of Crime", {"ICPC"}),
       Org("Organization of American States", {"OAS"})},
      {"Montréal"}, {"Ann Champoux"}));
  items.push_back(GoldItem("Job offer: analyst", "The ICPC is hiring an analyst", "job_offer",
                           {{"start", "2023-06-30"}, {"end", nullptr}},
                           {Date("June 30, 2023", "2023-06-30")},
                           {Org("International Centre for the Prevention of Crime", {"ICPC"})},
                           json::array(), json::array()));
  items.push_back(GoldItem("Workshop in Lima", "A workshop was held in Lima", "workshop",
                           {{"start", "2022-09"}, {"end", "2022-11"}},
                           {Date("the fall of 2022", "2022-09", "2022-11")},
                           {Org("International Centre for the Prevention of Crime", {"ICPC"})},
                           {"Lima", "Peru"}, json::array()));
  return {{"source", "a.txt"}, {"reference_year", 2023}, {"items", items}};
}

json GoldB() {
  json items = json::array();
  items.push_back(GoldItem("Montréal hosts a conference on urban safety",
                           "From March 7 to 9, 2023, the ICPC", "conference",
                           {{"start", "2023-03-07"}, {"end", "2023-03-09"}},
                           {Date("March 7 to 9, 2023", "2023-03-07", "2023-03-09")},
                           {Org("International Centre for the Prevention of Crime", {"ICPC"})},
                           {"Montréal"}, json::array(), "a.txt#0"));
  // Same headline as a.txt#2: found after the previous anchor, in this file.
  items.push_back(GoldItem("Workshop in Lima", "A second workshop took place", "workshop",
                           {{"start", "2023"}, {"end", nullptr}}, {Date("2023", "2023")},
                           json::array(), {"Lima"}, json::array()));
  return {{"source", "b.txt"}, {"reference_year", 2023}, {"items", items}};
}

class EvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("newsevents_eval_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "gold");
    Write("a.txt", kDropA);
    Write("b.txt", kDropB);
    Write("unannotated.txt", "No gold for this file.\n");
    gold_a_ = GoldA();
    gold_b_ = GoldB();
    WriteGold();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  void WriteGold() {
    Write("gold/a.txt.gold.json", gold_a_.dump(2));
    Write("gold/b.txt.gold.json", gold_b_.dump(2));
  }
  std::string gold_dir() const { return (dir_ / "gold").string(); }
  std::string corpus_dir() const { return dir_.string(); }

  // A record for each gold item: the span runs from the item's headline to
  // the next item's headline (or the end of the file), fields copied from
  // the gold in the record format.
  std::vector<json> PerfectRecords() {
    std::vector<json> records;
    for (const auto& [gold, text] : {std::pair{gold_a_, std::string(kDropA)},
                                     std::pair{gold_b_, std::string(kDropB)}}) {
      const std::string file = gold["source"];
      std::vector<size_t> starts;
      size_t from = 0;
      for (const json& item : gold["items"]) {
        size_t at = text.find(item["title"].get<std::string>(), from);
        EXPECT_NE(at, std::string::npos);
        starts.push_back(at);
        from = at + 1;
      }
      for (size_t i = 0; i < starts.size(); ++i) {
        const json& item = gold["items"][i];
        const size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
        json places = json::array(), people = json::array();
        for (const json& p : item["places"]) {
          places.push_back({{"name", p}, {"canonical", p}, {"kind", "city"}, {"country", ""},
                            {"mentions", json::array()}});
        }
        for (const json& p : item["people"]) {
          people.push_back({{"name", p}, {"mentions", json::array()}});
        }
        json dup = nullptr;
        if (!item["duplicate_of"].is_null()) {
          std::string target = item["duplicate_of"];
          dup = "ev-" + target;
        }
        records.push_back({{"id", "ev-" + file + "#" + std::to_string(i)},
                           {"source", {{"file", file}, {"item", i}, {"span", {starts[i], end}}}},
                           {"title", item["title"]},
                           {"lang", "en"},
                           {"event_type", item["event_type"]},
                           {"event_date", item["event_date"]},
                           {"dates", item["dates"]},
                           {"organizations", item["organizations"]},
                           {"places", places},
                           {"people", people},
                           {"duplicate_of", dup},
                           {"warnings", json::array()}});
      }
    }
    // A record of a file without gold: ignored, whatever it says.
    records.push_back({{"id", "ev-unannotated"},
                       {"source", {{"file", "unannotated.txt"}, {"span", {0, 22}}}},
                       {"title", nullptr},
                       {"event_type", "other"}});
    return records;
  }

  EvalReport Score(const std::vector<json>& records) {
    return Evaluate(gold_dir(), corpus_dir(), records);
  }

  // Index of the record for gold item `key` ("a.txt#1") in PerfectRecords().
  static size_t At(const std::vector<json>& records, const std::string& key) {
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i]["id"] == "ev-" + key) return i;
    }
    ADD_FAILURE() << "no record " << key;
    return 0;
  }

  static bool HasDiff(const EvalReport& r, const std::string& where, const std::string& field,
                      const std::string& kind) {
    for (const EvalDiff& d : r.diffs) {
      if (d.where == where && d.field == field && d.kind == kind) return true;
    }
    return false;
  }

  fs::path dir_;
  json gold_a_, gold_b_;
};

// ---------------------------------------------------------------------------

TEST_F(EvalTest, PerfectRunScoresOneEverywhere) {
  EvalReport r = Score(PerfectRecords());
  EXPECT_EQ(r.items.gold, 5u);
  EXPECT_EQ(r.items.predicted, 5u);  // the unannotated file's record is ignored
  EXPECT_EQ(r.items.matched, 5u);
  EXPECT_EQ(r.dates.gold, 5u);
  EXPECT_EQ(r.dates.matched, 5u);
  EXPECT_EQ(r.date_values.correct, 5u);
  EXPECT_EQ(r.event_date.correct, 5u);
  EXPECT_EQ(r.organizations.gold, 5u);
  EXPECT_EQ(r.organizations.matched, 5u);
  EXPECT_EQ(r.places.matched, 5u);
  EXPECT_EQ(r.people.matched, 1u);
  EXPECT_EQ(r.duplicates.gold, 1u);
  EXPECT_EQ(r.duplicates.matched, 1u);
  EXPECT_EQ(r.event_type.correct, 5u);
  EXPECT_DOUBLE_EQ(r.items.f1(), 1.0);
  EXPECT_DOUBLE_EQ(r.duplicates.precision(), 1.0);
  EXPECT_TRUE(r.diffs.empty()) << FormatDiffs(r);
}

TEST_F(EvalTest, MergedItemsLeaveTheSecondGoldItemMissed) {
  std::vector<json> records = PerfectRecords();
  // The segmenter missed the "Job offer" headline: item 0 runs on over it.
  const size_t first = At(records, "a.txt#0"), second = At(records, "a.txt#1");
  records[first]["source"]["span"][1] = records[second]["source"]["span"][1];
  records.erase(records.begin() + second);
  EvalReport r = Score(records);
  EXPECT_EQ(r.items.gold, 5u);
  EXPECT_EQ(r.items.predicted, 4u);
  EXPECT_EQ(r.items.matched, 4u);
  EXPECT_DOUBLE_EQ(r.items.precision(), 1.0);
  EXPECT_DOUBLE_EQ(r.items.recall(), 0.8);
  EXPECT_TRUE(HasDiff(r, "a.txt#1", "item", "missed"));
  // Its fields are not scored: a segmentation error is counted once.
  EXPECT_EQ(r.event_type.n, 4u);
  EXPECT_EQ(r.dates.gold, 4u);
  const std::string diffs = FormatDiffs(r);
  EXPECT_NE(diffs.find("already matched to a.txt#0"), std::string::npos) << diffs;
}

TEST_F(EvalTest, SplitItemGivesAFalsePositiveRecord) {
  std::vector<json> records = PerfectRecords();
  // The body of a.txt#2 split off into a record of its own.
  const size_t i = At(records, "a.txt#2");
  const size_t begin = records[i]["source"]["span"][0];
  const size_t end = records[i]["source"]["span"][1];
  const size_t body = std::string(kDropA).find("A workshop was held");
  records[i]["source"]["span"][1] = body;
  json extra = records[i];
  extra["id"] = "ev-extra";
  extra["title"] = nullptr;
  extra["source"]["span"] = {body, end};
  records.push_back(extra);
  ASSERT_LT(begin, body);
  EvalReport r = Score(records);
  EXPECT_EQ(r.items.predicted, 6u);
  EXPECT_EQ(r.items.matched, 5u);
  EXPECT_NEAR(r.items.precision(), 5.0 / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.items.recall(), 1.0);
  EXPECT_TRUE(HasDiff(r, "a.txt@" + std::to_string(body), "item", "spurious"));
}

TEST_F(EvalTest, RecordFilesNamedByPathMatchGoldByFileName) {
  std::vector<json> records = PerfectRecords();
  for (json& r : records) {
    r["source"]["file"] = "drops/2023/" + r["source"]["file"].get<std::string>();
  }
  EvalReport r = Score(records);
  EXPECT_EQ(r.items.predicted, 5u);
  EXPECT_EQ(r.items.matched, 5u);
  EXPECT_EQ(r.duplicates.matched, 1u);
}

TEST_F(EvalTest, RecordWithTheGoldTitleIsPreferredWhenSpansOverlap) {
  std::vector<json> records = PerfectRecords();
  // A sloppy record covering the whole file, listed first, and the right one.
  json wide = records[At(records, "a.txt#0")];
  wide["id"] = "ev-wide";
  wide["title"] = "Everything";
  wide["source"]["span"] = {0, std::string(kDropA).size()};
  records.insert(records.begin(), wide);
  EvalReport r = Score(records);
  EXPECT_EQ(r.items.matched, 5u);
  size_t spurious = 0;
  for (const EvalDiff& d : r.diffs) {
    if (d.kind != "spurious" || d.field != "item") continue;
    ++spurious;
    EXPECT_EQ(d.got.rfind("ev-wide ", 0), 0u) << d.got;
  }
  EXPECT_EQ(spurious, 1u);
}

TEST_F(EvalTest, OrganizationsMatchThroughAliasesArticlesCaseAndAccents) {
  std::vector<json> records = PerfectRecords();
  json& rec = records[At(records, "a.txt#0")];
  rec["organizations"] = {
      Org("ICPC"),                                                 // alias only
      Org("the ORGANISATION of American States", {"O.A.S."}),      // article, case, dots
      Org("Ministry of Nothing")};                                 // not in gold
  rec["places"] = {{{"name", "Montreal"}, {"canonical", "Montréal"}}};
  rec["people"] = {{{"name", "ann champoux"}}};
  EvalReport r = Score(records);
  EXPECT_EQ(r.organizations.gold, 5u);
  EXPECT_EQ(r.organizations.predicted, 6u);
  EXPECT_EQ(r.organizations.matched, 5u);
  EXPECT_TRUE(HasDiff(r, "a.txt#0", "organizations", "spurious"));
  EXPECT_EQ(r.places.matched, 5u);
  EXPECT_EQ(r.people.matched, 1u);
}

TEST_F(EvalTest, OneToOneOrganizationMatchingMaximizesMatches) {
  // Both gold entities answer to "OAS". Taking the first candidate for the
  // first gold entity (the bare "OAS") would starve the second one; the
  // matching must move it to the prediction that names it in an alias.
  gold_a_["items"][0]["organizations"] = {Org("Organization of American States", {"OAS"}),
                                          Org("OAS")};
  WriteGold();
  std::vector<json> records = PerfectRecords();
  records[At(records, "a.txt#0")]["organizations"] = {
      Org("OAS"), Org("OEA", {"Organization of American States"})};
  EvalReport r = Score(records);
  EXPECT_EQ(r.organizations.gold, 5u);
  EXPECT_EQ(r.organizations.predicted, 5u);
  EXPECT_EQ(r.organizations.matched, 5u) << FormatDiffs(r);
}

TEST_F(EvalTest, DuplicateLinksMapThroughRecordsToGoldItems) {
  std::vector<json> records = PerfectRecords();
  {
    // A wrong target, and a spurious link on a gold item that is no repeat.
    records[At(records, "b.txt#0")]["duplicate_of"] = "ev-a.txt#1";
    records[At(records, "b.txt#1")]["duplicate_of"] = "ev-a.txt#2";
    EvalReport r = Score(records);
    EXPECT_EQ(r.duplicates.gold, 1u);
    EXPECT_EQ(r.duplicates.predicted, 2u);
    EXPECT_EQ(r.duplicates.matched, 0u);
    EXPECT_TRUE(HasDiff(r, "b.txt#0", "duplicate_of", "wrong"));
    EXPECT_TRUE(HasDiff(r, "b.txt#1", "duplicate_of", "spurious"));
  }
  {
    // An id no record has, and a missed link.
    records[At(records, "b.txt#0")]["duplicate_of"] = nullptr;
    records[At(records, "b.txt#1")]["duplicate_of"] = "ev-nowhere";
    EvalReport r = Score(records);
    EXPECT_EQ(r.duplicates.predicted, 1u);
    EXPECT_EQ(r.duplicates.matched, 0u);
    EXPECT_TRUE(HasDiff(r, "b.txt#0", "duplicate_of", "missed"));
    EXPECT_DOUBLE_EQ(r.duplicates.recall(), 0.0);
  }
}

TEST_F(EvalTest, DuplicateLinkToAnyEarlierTellingIsRight) {
  // Three tellings: a.txt#0, b.txt#0 (dup of a#0), and a third in c.txt.
  Write("c.txt", "Conference on urban safety in Montréal\n\nThe ICPC was there again.\n");
  json gold_c = {{"source", "c.txt"},
                 {"reference_year", nullptr},
                 {"items",
                  {GoldItem("Conference on urban safety in Montréal", "The ICPC was there again",
                            "conference", nullptr, json::array(),
                            {Org("International Centre for the Prevention of Crime", {"ICPC"})},
                            json::array(), json::array(), "a.txt#0")}}};
  Write("gold/c.txt.gold.json", gold_c.dump());
  std::vector<json> records = PerfectRecords();
  json rec = records[At(records, "a.txt#0")];
  rec["id"] = "ev-c";
  rec["source"] = {{"file", "c.txt"}, {"span", {0, 66}}};
  rec["dates"] = json::array();
  rec["event_date"] = nullptr;
  rec["places"] = json::array();
  rec["people"] = json::array();
  rec["organizations"] = {Org("ICPC")};
  rec["duplicate_of"] = "ev-b.txt#0";  // the second telling, not the first
  records.push_back(rec);
  EvalReport r = Score(records);
  EXPECT_EQ(r.items.matched, 6u);
  EXPECT_EQ(r.duplicates.gold, 2u);
  EXPECT_EQ(r.duplicates.matched, 2u) << FormatDiffs(r);
  EXPECT_EQ(r.event_date.correct, 6u);  // null == null
}

TEST_F(EvalTest, EventTypeAccuracyAndConfusion) {
  std::vector<json> records = PerfectRecords();
  records[At(records, "a.txt#2")]["event_type"] = "training";
  records[At(records, "b.txt#1")]["event_type"] = "training";
  records[At(records, "b.txt#0")]["event_type"] = nullptr;
  EvalReport r = Score(records);
  EXPECT_EQ(r.event_type.n, 5u);
  EXPECT_EQ(r.event_type.correct, 2u);
  EXPECT_EQ(r.type_confusion["workshop"]["training"], 2u);
  EXPECT_EQ(r.type_confusion["conference"]["conference"], 1u);
  EXPECT_EQ(r.type_confusion["conference"]["(none)"], 1u);
  EXPECT_EQ(r.type_confusion["job_offer"]["job_offer"], 1u);
  auto j = ReportToJson(r);
  EXPECT_EQ(j["event_type"]["confusion"]["workshop"]["training"], 2);
  EXPECT_DOUBLE_EQ(j["event_type"]["accuracy"].get<double>(), 0.4);
  const std::string table = FormatReportTable(r);
  EXPECT_NE(table.find("event type confusion"), std::string::npos);
  EXPECT_NE(table.find("training"), std::string::npos);
}

TEST_F(EvalTest, DatesMatchOnNormalizedTextThenValuesAreChecked) {
  std::vector<json> records = PerfectRecords();
  // Curly quotes, another dash and extra spaces do not make another mention.
  gold_a_["items"][0]["dates"] = {Date("March 7–9, 2023", "2023-03-07", "2023-03-09"),
                                  Date("2023", "2023"), Date("2023", "2023")};
  WriteGold();
  records[At(records, "a.txt#0")]["dates"] = {
      Date("March 7-9,  2023", "2023-03-07", "2023-03-09"),
      Date("2023", "2024"),   // right text, wrong value
      Date("first day", "2023-03-07")};  // not a date in the gold
  records[At(records, "a.txt#1")]["event_date"] = {{"start", "2023-06"}, {"end", nullptr}};
  EvalReport r = Score(records);
  EXPECT_EQ(r.dates.gold, 7u);
  EXPECT_EQ(r.dates.predicted, 7u);
  EXPECT_EQ(r.dates.matched, 6u);
  EXPECT_EQ(r.date_values.n, 6u);
  EXPECT_EQ(r.date_values.correct, 5u);
  EXPECT_EQ(r.event_date.correct, 4u);
  EXPECT_TRUE(HasDiff(r, "a.txt#0", "dates", "missed"));     // the second "2023"
  EXPECT_TRUE(HasDiff(r, "a.txt#0", "dates", "spurious"));   // "first day"
  EXPECT_TRUE(HasDiff(r, "a.txt#0", "date_value", "wrong"));
  EXPECT_TRUE(HasDiff(r, "a.txt#1", "event_date", "wrong"));
}

TEST_F(EvalTest, AnchorIsFoundDespiteQuotesDashesAndLineBreaks) {
  // The file wraps the headline and uses a curly apostrophe; gold does not.
  Write("a.txt", std::string("Conference on urban\nsafety in Montr\xC3\xA9"
                             "al\n\nThe ICPC\xE2\x80\x99s team took part in a conference.\n"));
  json item = gold_a_["items"][0];
  item["starts_with"] = "The ICPC's team took part";
  gold_a_["items"] = {item};
  WriteGold();
  json rec = PerfectRecords()[0];
  rec["source"]["span"] = {0, 90};
  EvalReport r = Score({rec});
  EXPECT_EQ(r.items.matched, 1u) << FormatDiffs(r);

  // An anchor that is not in the file is reported, not matched by accident.
  gold_a_["items"][0]["title"] = "A headline nobody wrote";
  gold_a_["items"][0]["starts_with"] = "Words nobody wrote";
  WriteGold();
  r = Score({rec});
  EXPECT_EQ(r.items.matched, 0u);
  EXPECT_NE(FormatDiffs(r).find("anchor not found"), std::string::npos);
}

TEST_F(EvalTest, AnchorFinderMapsLooseMatchesBackToFileBytes) {
  // Windows-1252 quote byte, CRLF and NBSP around the words.
  std::string file = "x\r\n\x93Hello\xC2\xA0  world\x94 and more";
  AnchorFinder finder(file);
  size_t end = 0;
  size_t at = finder.Find("\xE2\x80\x9CHello world\xE2\x80\x9D", 0, &end);
  EXPECT_EQ(at, 3u);
  EXPECT_EQ(end, file.find(" and"));
  EXPECT_EQ(finder.Find("hello", 4), 4u);
  EXPECT_EQ(finder.Find("hello", 5), std::string::npos);
  EXPECT_EQ(finder.Find("and more", 0), file.find("and more"));  // exact path
}

TEST(EvalTextTest, Keys) {
  EXPECT_EQ(MentionKey("  March\t7\xE2\x80\x93" "9,\n2023 "), "March 7-9, 2023");
  EXPECT_EQ(MentionKey("l\xE2\x80\x99\xC3\xA9t\xC3\xA9"), "l'\xC3\xA9t\xC3\xA9");
  // NFC: "e" + combining acute equals precomposed "é".
  EXPECT_EQ(MentionKey("e\xCC\x81t\xC3\xA9"), MentionKey("\xC3\xA9t\xC3\xA9"));
  EXPECT_EQ(NameKey("The International Centre"), "international centre");
  EXPECT_EQ(NameKey("U.N.-Habitat"), "un habitat");
  EXPECT_EQ(NameKey("UN Habitat"), "un habitat");
  EXPECT_EQ(NameKey("Montr\xC3\xA9" "al"), "montreal");
  EXPECT_EQ(NameKey("l\xE2\x80\x99Organisation des \xC3\x89tats am\xC3\xA9ricains"),
            "organisation des etats americains");
  EXPECT_EQ(NameKey("Los Angeles"), "angeles");  // both sides lose it alike
  EXPECT_EQ(NameKey("The"), "the");              // an article alone stays
  EXPECT_EQ(NameKey("Smith & Sons, Inc."), "smith & sons inc");
}

// ---------------------------------------------------------------------------
// Malformed input: every error names the file and the line.

TEST_F(EvalTest, BadRecordJsonNamesFileAndLine) {
  std::vector<json> records = PerfectRecords();
  const std::string path = (dir_ / "run.jsonl").string();
  Write("run.jsonl", records[0].dump() + "\n\n" + "{\"id\": \"x\", \"source\": \n" +
                         records[1].dump() + "\n");
  try {
    ReadRecordsFile(path);
    FAIL() << "no error";
  } catch (const EvalInputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3: invalid JSON"), std::string::npos)
        << e.what();
  }
  Write("run.jsonl", records[0].dump() + "\n{\"id\": \"x\", \"source\": {\"file\": \"a.txt\"}}\n");
  try {
    ReadRecordsFile(path);
    FAIL() << "no error";
  } catch (const EvalInputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2: source/span: missing"), std::string::npos)
        << e.what();
  }
  json bad = records[0];
  bad["organizations"] = {{{"name", 3}}};
  Write("run.jsonl", records[0].dump() + "\n" + bad.dump() + "\n");
  try {
    ReadRecordsFile(path);
    FAIL() << "no error";
  } catch (const EvalInputError& e) {
    EXPECT_NE(std::string(e.what()).find(":2: organizations/0/name: expected a string"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(EvalTest, BadGoldNamesFileAndLine) {
  Write("gold/b.txt.gold.json", "{\n  \"source\": \"b.txt\",\n  \"items\": [,]\n}\n");
  try {
    Score(PerfectRecords());
    FAIL() << "no error";
  } catch (const EvalInputError& e) {
    EXPECT_NE(std::string(e.what()).find("b.txt.gold.json:3: invalid JSON"), std::string::npos)
        << e.what();
  }
  gold_b_["items"][1]["places"] = {{{"name", "Lima"}}};
  WriteGold();
  try {
    Score(PerfectRecords());
    FAIL() << "no error";
  } catch (const EvalInputError& e) {
    EXPECT_NE(std::string(e.what()).find("b.txt.gold.json: items/1/places/0: expected a string"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(EvalTest, MissingCorpusFileIsAnError) {
  fs::remove(dir_ / "b.txt");
  EXPECT_THROW(Score(PerfectRecords()), EvalInputError);
}

// ---------------------------------------------------------------------------
// The command line.

TEST_F(EvalTest, CommandPrintsTableJsonAndVerboseDiffs) {
  std::vector<json> records = PerfectRecords();
  records[At(records, "a.txt#1")]["event_type"] = "appointment";
  std::string lines;
  for (const json& r : records) lines += r.dump() + "\n";
  Write("run.jsonl", lines);
  const std::string run = (dir_ / "run.jsonl").string();

  std::ostringstream out, err;
  // --corpus defaults to the gold dir's parent.
  ASSERT_EQ(RunEvalCommand({"--gold", gold_dir() + "/", run, "--verbose"}, out, err), 0)
      << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("field"), std::string::npos);
  EXPECT_NE(text.find("items"), std::string::npos);
  EXPECT_NE(text.find("a.txt#1: event_type:"), std::string::npos) << text;
  EXPECT_NE(text.find("expected job_offer, got appointment"), std::string::npos) << text;

  std::ostringstream jout;
  ASSERT_EQ(RunEvalCommand({"--json", "--gold=" + gold_dir(), "--corpus", corpus_dir(), run},
                           jout, err),
            0);
  json j = json::parse(jout.str());
  for (const char* key : {"items", "dates", "organizations", "places", "people", "duplicates"}) {
    ASSERT_TRUE(j.contains(key)) << key;
    for (const char* m : {"precision", "recall", "f1", "gold", "predicted", "matched"}) {
      EXPECT_TRUE(j[key].contains(m)) << key << "." << m;
    }
  }
  EXPECT_DOUBLE_EQ(j["items"]["f1"].get<double>(), 1.0);
  EXPECT_EQ(j["date_values"]["n"], 5);
  EXPECT_DOUBLE_EQ(j["event_type"]["accuracy"].get<double>(), 0.8);
  EXPECT_EQ(j["event_type"]["confusion"]["job_offer"]["appointment"], 1);
  EXPECT_FALSE(j.contains("diffs"));
}

TEST_F(EvalTest, CommandUsageErrorsExitTwo) {
  std::ostringstream out, err;
  EXPECT_EQ(RunEvalCommand({"--help"}, out, err), 0);
  EXPECT_NE(out.str().find("usage: newsevents eval"), std::string::npos);
  EXPECT_EQ(RunEvalCommand({"run.jsonl"}, out, err), 2);  // no --gold
  EXPECT_EQ(RunEvalCommand({"--gold", gold_dir()}, out, err), 2);  // no records
  EXPECT_EQ(RunEvalCommand({"--gold", gold_dir(), "--bogus", "x"}, out, err), 2);
  EXPECT_EQ(RunEvalCommand({"--gold", gold_dir(), (dir_ / "none.jsonl").string()}, out, err), 2);
  EXPECT_EQ(RunEvalCommand({"--gold", (dir_ / "nogold").string(), "-"}, out, err), 2);
  Write("run.jsonl", "{\"id\":\n");
  err.str("");
  EXPECT_EQ(RunEvalCommand({"--gold", gold_dir(), (dir_ / "run.jsonl").string()}, out, err), 2);
  EXPECT_NE(err.str().find("run.jsonl:1:"), std::string::npos) << err.str();
}

// The shipped gold locates every one of its items in the shipped corpus, so
// item scores on the sample corpus measure the segmenter, not the anchors.
TEST(EvalCorpusTest, EveryShippedGoldAnchorIsFoundInOrder) {
  const fs::path gold_dir = "corpus/gold";
  ASSERT_TRUE(fs::is_directory(gold_dir)) << "run from the project root";
  std::vector<json> records;
  for (const auto& entry : fs::directory_iterator(gold_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 10 || name.substr(name.size() - 10) != ".gold.json") continue;
    json gold = json::parse(std::ifstream(entry.path()));
    std::ifstream in(fs::path("corpus") / gold["source"].get<std::string>(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    AnchorFinder finder(text);
    std::vector<size_t> anchors;
    size_t cursor = 0;
    for (const json& item : gold["items"]) {
      const std::string anchor =
          item["title"].is_null() ? item["starts_with"] : item["title"];
      size_t end = 0;
      size_t at = finder.Find(anchor, cursor, &end);
      ASSERT_NE(at, std::string::npos) << name << ": " << anchor;
      anchors.push_back(at);
      cursor = end;
    }
    // One record per gold item, from its anchor to the next: all match.
    for (size_t i = 0; i < anchors.size(); ++i) {
      const json& item = gold["items"][i];
      records.push_back(
          {{"id", gold["source"].get<std::string>() + std::to_string(i)},
           {"source",
            {{"file", gold["source"]},
             {"span", {anchors[i], i + 1 < anchors.size() ? anchors[i + 1] : text.size()}}}},
           {"title", item["title"]},
           {"event_type", item["event_type"]}});
    }
  }
  EvalReport r = Evaluate(gold_dir.string(), "corpus", records);
  EXPECT_GT(r.items.gold, 0u);
  EXPECT_EQ(r.items.matched, r.items.gold);
  EXPECT_EQ(r.event_type.correct, r.event_type.n);
}

}  // namespace
}  // namespace newsevents
