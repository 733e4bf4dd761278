// `newsevents report` without a browser: snippets cut from source files, the
// data blob the page renders, reading records from JSON Lines and SQLite,
// the page template, and the command's exit codes. The page itself is tested
// in Chromium by report_browser_test.
#include "pipeline/report.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/config_error.h"
#include "pipeline/record_stream.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The data blob inside a written page.
json PageData(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const size_t b = html.find(open);
  if (b == std::string::npos) return nullptr;
  const size_t e = html.find("</script>", b);
  return json::parse(html.substr(b + open.size(), e - b - open.size()));
}

// --------------------------------------------------------------- snippets

TEST(MakeSnippetTest, ContextTitleBodyAndAfter) {
  const std::string file =
      "the end of the story before.\n\nHeadline here\n\nBody text of the item.\n\nNext story starts";
  const size_t begin = file.find("Headline");
  const size_t title_end = begin + std::string("Headline here").size();
  const size_t end = file.find("item.") + 5;
  auto s = MakeSnippet(file, begin, end, title_end, 360, 12);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->before, "before.") << "starts after a space, whitespace collapsed";
  EXPECT_EQ(s->title, "Headline here");
  EXPECT_EQ(s->body, "Body text of the item.");
  EXPECT_FALSE(s->cut);
  EXPECT_EQ(s->after, "Next") << "ends on a whole word";
}

TEST(MakeSnippetTest, CutsLongItemsOnAWordAndAUtf8Boundary) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "été ";  // 6 bytes a word: 'é' is 2 bytes
  auto s = MakeSnippet(body, 0, body.size(), 0, 33, 10);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->cut);
  EXPECT_EQ(s->title, "");
  EXPECT_EQ(s->body, "été été été été été") << "whole words only";
  EXPECT_EQ(s->after, "") << "nothing after a cut body";
  // Cut in the middle of a character with no space to fall back on.
  const std::string word = "ééééééééééé";
  auto w = MakeSnippet(word, 0, word.size(), 0, 5, 0);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->body, "éé") << "never half a character";
}

TEST(MakeSnippetTest, SpansOutsideTheFileHaveNoSnippet) {
  EXPECT_FALSE(MakeSnippet("short", 2, 10, 2, 100, 10));
  EXPECT_FALSE(MakeSnippet("short", 4, 3, 4, 100, 10));
  auto whole = MakeSnippet("short", 0, 5, 0, 100, 10);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->body, "short");
  EXPECT_EQ(whole->before, "");
  EXPECT_EQ(whole->after, "");
}

// ------------------------------------------------------------- the builder

class ReportBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("newsevents-report-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "drop");
    std::ofstream(dir_ / "drop" / "a.txt", std::ios::binary) << kFile;
    options_.corpus_dir = (dir_ / "drop").string();
    options_.data_root = DataRoot();
    options_.source = "records.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static json Record(const std::string& id, const std::string& file, size_t begin, size_t end,
                     const std::string& title) {
    return {
        {"id", id},
        {"source", {{"file", file}, {"item", 0}, {"span", {begin, end}},
                    {"title_span", title.empty() ? json(nullptr) : json({begin, begin + title.size()})}}},
        {"title", title.empty() ? json(nullptr) : json(title)},
        {"lang", "en"},
        {"event_type", "conference"},
        {"event_type_confidence", 0.9},
        {"event_date", {{"start", "2023-03-07"}, {"end", nullptr}}},
        {"dates", json::array({{{"text", "March 7, 2023"}, {"value", "2023-03-07"}, {"end", nullptr},
                                {"precision", "day"}, {"span", {10, 23}}}})},
        {"organizations", json::array({{{"name", "International Centre for the Prevention of Crime"},
                                        {"aliases", {"ICPC"}}, {"mentions", json::array()}}})},
        {"places", json::array({{{"name", "Montreal"}, {"canonical", "Montréal"}, {"kind", "city"},
                                 {"country", "CA"}, {"mentions", json::array()}}})},
        {"people", json::array()},
        {"participants", 200},
        {"nationalities", nullptr},
        {"online", "in_person"},
        {"organizers", json::array()},
        {"role", "participant"},
        {"duplicate_of", nullptr},
        {"warnings", json::array()},
    };
  }

  static constexpr char kFile[] =
      "Urban safety conference in Montreal\n\nOn March 7, 2023, the ICPC took part in a "
      "conference on urban safety. Nearly 200 people attended.\n";
  fs::path dir_;
  ReportOptions options_;
};

TEST_F(ReportBuilderTest, PacksEventsWithSharedNameTables) {
  ReportBuilder builder(options_);
  const std::string text = kFile;
  const std::string title = "Urban safety conference in Montreal";
  json first = Record("ev-0000000000000001", "a.txt", 0, text.size() - 1, title);
  json second = first;
  second["id"] = "ev-0000000000000002";
  second["duplicate_of"] = "ev-0000000000000001";
  second["event_type"] = "webinar";
  second["organizations"][0]["aliases"] = {"CIPC"};
  second["places"][0]["name"] = "Montréal";
  ASSERT_TRUE(builder.Add(first));
  ASSERT_TRUE(builder.Add(second));
  const json data = json::parse(builder.Finish());

  EXPECT_EQ(data["meta"]["records"], 2);
  EXPECT_EQ(data["meta"]["source"], "records.jsonl");
  ASSERT_EQ(data["events"].size(), 2u);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < data["columns"].size(); ++i) col[data["columns"][i]] = i;
  const json& e0 = data["events"][0];
  const json& e1 = data["events"][1];
  EXPECT_EQ(e0[col["id"]], "ev-0000000000000001");
  EXPECT_EQ(e0[col["title"]], title);
  EXPECT_EQ(e0[col["start"]], "2023-03-07");
  EXPECT_EQ(e0[col["participants"]], 200);
  EXPECT_EQ(e1[col["duplicate_of"]], "ev-0000000000000001");

  // One organization, its aliases united; one place, the written names kept.
  ASSERT_EQ(data["orgs"].size(), 1u);
  EXPECT_EQ(data["orgs"][0], json({"International Centre for the Prevention of Crime", {"CIPC", "ICPC"}}));
  EXPECT_EQ(e0[col["orgs"]], json({0}));
  ASSERT_EQ(data["places"].size(), 1u);
  EXPECT_EQ(data["places"][0], json({"Montréal", "city", "CA", {"Montreal"}}));
  EXPECT_EQ(data["countries"]["CA"], "Canada") << "named from the place gazetteer";

  // Types keep their taxonomy rank (their colour) whatever order they come in.
  ASSERT_EQ(data["types"].size(), 2u);
  EXPECT_EQ(data["types"][0]["name"], "conference");
  EXPECT_EQ(data["types"][0]["slot"], 0);
  EXPECT_EQ(data["types"][1]["name"], "webinar");
  EXPECT_EQ(data["types"][1]["slot"], 1);
  EXPECT_NE(data["types"][1]["description"].get<std::string>().find("online"), std::string::npos);

  // The snippet: the body after the title, from the file itself.
  const json& snippet = e0[col["snippet"]];
  ASSERT_TRUE(snippet.is_array());
  EXPECT_EQ(snippet[1], title);
  EXPECT_EQ(snippet[2].get<std::string>().rfind("On March 7, 2023, the ICPC", 0), 0u);
  EXPECT_TRUE(data["meta"]["notes"].empty());
}

TEST_F(ReportBuilderTest, MissingFilesAndChangedFilesAreNotedNotFatal) {
  ReportBuilder builder(options_);
  const std::string title = "Urban safety conference in Montreal";
  ASSERT_TRUE(builder.Add(Record("ev-0000000000000001", "gone.txt", 0, 40, title)));
  ASSERT_TRUE(builder.Add(Record("ev-0000000000000002", "a.txt", 0, 40, "Another headline entirely!!")));
  ASSERT_TRUE(builder.Add(Record("ev-0000000000000003", "a.txt", 50, 5000, "")));
  ASSERT_TRUE(builder.Add(Record("ev-0000000000000004", "../drop/a.txt", 0, 40, title)));
  EXPECT_EQ(builder.missing_files(), (std::set<std::string>{"../drop/a.txt", "gone.txt"}))
      << "a name leading out of the corpus folder is not followed";
  EXPECT_EQ(builder.span_mismatches(), 2u);
  const json data = json::parse(builder.Finish());
  for (const json& e : data["events"]) EXPECT_TRUE(e.back().is_null()) << e;
  const std::string notes = data["meta"]["notes"].dump();
  EXPECT_NE(notes.find("2 of 3 source files are not in"), std::string::npos) << notes;
  EXPECT_NE(notes.find("gone.txt"), std::string::npos) << notes;
  EXPECT_NE(notes.find("2 events point at text"), std::string::npos) << notes;
  EXPECT_TRUE(data["files"][0]["missing"].get<bool>());
  EXPECT_FALSE(data["files"][1]["missing"].get<bool>());
}

TEST_F(ReportBuilderTest, MalformedRecordsAreCountedAndLeftOut) {
  ReportBuilder builder(options_);
  EXPECT_FALSE(builder.Add(json{{"title", "no id"}}));
  json wrong = Record("ev-0000000000000001", "a.txt", 0, 10, "");
  wrong["organizations"] = "ICPC";
  EXPECT_FALSE(builder.Add(wrong));
  // Older records without the newer fields still count.
  EXPECT_TRUE(builder.Add(json{{"id", "ev-0000000000000002"}, {"source", {{"file", "a.txt"}}}}));
  EXPECT_EQ(builder.rejected(), 2u);
  EXPECT_EQ(builder.records(), 1u);
  const json data = json::parse(builder.Finish());
  EXPECT_EQ(data["types"][0]["name"], "other");
  EXPECT_EQ(data["langs"][0], "und");
  EXPECT_NE(data["meta"]["notes"].dump().find("2 records lacked an id"), std::string::npos);
}

// --------------------------------------------------------------- the page

TEST_F(ReportBuilderTest, PageEmbedsDataThatCannotCloseItsScript) {
  ReportBuilder builder(options_);
  json r = Record("ev-0000000000000001", "a.txt", 0, 40, "");
  r["title"] = "</script><script>alert(1)</script> <!-- & \"quotes\"";
  ASSERT_TRUE(builder.Add(r));
  options_.title = "Drop <42> & co";
  const std::string html = RenderReportPage(builder.Finish(), options_);
  EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
  EXPECT_EQ(html.find("<!-- &"), std::string::npos);
  EXPECT_NE(html.find("<title>Drop &lt;42&gt; &amp; co</title>"), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos) << "every placeholder filled";
  EXPECT_EQ(html.find("/*{{"), std::string::npos);
  EXPECT_NE(html.find("function renderTimeline"), std::string::npos) << "script inline";
  EXPECT_NE(html.find("--span-bg"), std::string::npos) << "style inline";
  // Nothing is fetched: no external script, style or image.
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  const json data = PageData(html);
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["events"][0][1], r["title"]) << "the title comes back intact";
}

TEST_F(ReportBuilderTest, BrokenAssetsAreConfigurationErrors) {
  const fs::path root = dir_ / "data";
  fs::create_directories(root / "report");
  for (const char* name : {"template.html", "style.css", "report.js"}) {
    fs::copy_file(fs::path(DataRoot()) / "report" / name, root / "report" / name);
  }
  options_.data_root = root.string();
  ReportBuilder builder(options_);
  const std::string data = builder.Finish();
  EXPECT_NO_THROW(RenderReportPage(data, options_));
  std::ofstream(root / "report" / "report.js", std::ios::app) << "\n// </script>\n";
  EXPECT_THROW(RenderReportPage(data, options_), ConfigError);
  fs::remove(root / "report" / "report.js");
  try {
    RenderReportPage(data, options_);
    FAIL() << "a missing asset must throw";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("report.js"), std::string::npos) << e.what();
  }
  std::ofstream(root / "report" / "report.js") << "// fine";
  std::ofstream(root / "report" / "template.html") << "<html>{{TITLE}}</html>\n";
  EXPECT_THROW(RenderReportPage(data, options_), ConfigError) << "placeholders missing";
}

// ------------------------------------------------------------ record input

TEST_F(ReportBuilderTest, ReadsJsonLinesSkippingBadLines) {
  const fs::path path = dir_ / "records.jsonl";
  std::ofstream(path, std::ios::binary)
      << "{\"id\":\"ev-1\"}\r\n\n   \n{not json}\n[1,2]\n{\"id\":\"ev-2\"}";
  std::vector<std::string> ids;
  const RecordStreamStats stats =
      ForEachRecord(path.string(), [&](json&& r) { ids.push_back(r["id"]); });
  EXPECT_EQ(ids, (std::vector<std::string>{"ev-1", "ev-2"}));
  EXPECT_EQ(stats.records, 2u);
  EXPECT_EQ(stats.bad_lines, 2u);
  EXPECT_EQ(stats.first_bad, path.string() + ":4: not a JSON object");
  EXPECT_THROW(ForEachRecord((dir_ / "none.jsonl").string(), [](json&&) {}), RecordInputError);
  EXPECT_THROW(ForEachRecord(dir_.string(), [](json&&) {}), RecordInputError);
}

TEST_F(ReportBuilderTest, ReadsTheEventsTableOfASqliteDatabase) {
  const fs::path path = dir_ / "records.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE events(id TEXT PRIMARY KEY, json TEXT NOT NULL);"
                         "INSERT INTO events VALUES('ev-b', '{\"id\":\"ev-b\"}');"
                         "INSERT INTO events VALUES('ev-a', '{\"id\":\"ev-a\"}');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::vector<std::string> ids;
  ForEachRecord(path.string(), [&](json&& r) { ids.push_back(r["id"]); });
  EXPECT_EQ(ids, (std::vector<std::string>{"ev-b", "ev-a"})) << "in the order written";

  // The feed database's shape: the line in `record`, read in drop order.
  const fs::path feed = dir_ / "feed.sqlite";
  ASSERT_EQ(sqlite3_open(feed.string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE events(id TEXT PRIMARY KEY, source_file TEXT NOT NULL,"
                         " item_index INTEGER NOT NULL, title TEXT, record JSON NOT NULL);"
                         "INSERT INTO events VALUES('ev-3', 'b.txt', 0, 'x', '{\"id\":\"ev-3\"}');"
                         "INSERT INTO events VALUES('ev-2', 'a.txt', 1, 'x', '{\"id\":\"ev-2\"}');"
                         "INSERT INTO events VALUES('ev-1', 'a.txt', 0, 'x', '{\"id\":\"ev-1\"}');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ids.clear();
  ForEachRecord(feed.string(), [&](json&& r) { ids.push_back(r["id"]); });
  EXPECT_EQ(ids, (std::vector<std::string>{"ev-1", "ev-2", "ev-3"})) << "by file and item";

  const fs::path other = dir_ / "other.sqlite";
  ASSERT_EQ(sqlite3_open(other.string().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  try {
    ForEachRecord(other.string(), [](json&&) {});
    FAIL() << "a database without an events table must be refused";
  } catch (const RecordInputError& e) {
    EXPECT_NE(std::string(e.what()).find("events"), std::string::npos) << e.what();
  }
}

// ------------------------------------------------------------ the command

int Shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ReportBuilderTest, CommandReportsTheCorpus) {
  const std::string bin = NEWSEVENTS_BINARY;
  const std::string records = (dir_ / "events.jsonl").string();
  const std::string page = (dir_ / "report.html").string();
  const std::string err = (dir_ / "err.txt").string();
  ASSERT_EQ(Shell(bin + " extract corpus/ -q -o " + records), 0);
  ASSERT_EQ(Shell(bin + " report " + records + " -o " + page + " 2>" + err), 0) << ReadFile(err);
  size_t lines = 0;
  {
    std::ifstream in(records);
    std::string line;
    while (std::getline(in, line)) lines += !line.empty();
  }
  EXPECT_NE(ReadFile(err).find(std::to_string(lines) + " events -> " + page), std::string::npos)
      << ReadFile(err);
  const json data = PageData(ReadFile(page));
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["events"].size(), lines);
  EXPECT_TRUE(data["meta"]["notes"].empty()) << data["meta"]["notes"];
  size_t with_snippet = 0;
  for (const json& e : data["events"]) with_snippet += e.back().is_array();
  EXPECT_EQ(with_snippet, lines) << "every corpus file is found, every span matches";

  // The source files elsewhere: the page says so, and it is no error.
  ASSERT_EQ(Shell(bin + " report " + records + " --corpus " + (dir_ / "nowhere").string() + " -o " +
                page + " 2>" + err),
            0);
  EXPECT_NE(ReadFile(err).find("source files not found"), std::string::npos) << ReadFile(err);
  EXPECT_NE(PageData(ReadFile(page))["meta"]["notes"].dump().find("are not in"), std::string::npos);
}

TEST_F(ReportBuilderTest, CommandExitCodes) {
  const std::string bin = NEWSEVENTS_BINARY;
  const std::string quiet = " >/dev/null 2>&1";
  const std::string page = (dir_ / "report.html").string();
  EXPECT_EQ(Shell(bin + " report" + quiet), 2) << "no records";
  EXPECT_EQ(Shell(bin + " report a b" + quiet), 2) << "two records files";
  EXPECT_EQ(Shell(bin + " report x --bogus" + quiet), 2);
  EXPECT_EQ(Shell(bin + " report --help" + quiet), 0);
  EXPECT_EQ(Shell(bin + " report " + (dir_ / "missing.jsonl").string() + " -o " + page + quiet), 1);
  EXPECT_FALSE(fs::exists(page)) << "nothing written without records";

  std::ofstream(dir_ / "mixed.jsonl") << "{\"id\":\"ev-0000000000000001\"}\nnot json\n";
  EXPECT_EQ(Shell(bin + " report " + (dir_ / "mixed.jsonl").string() + " -o " + page + quiet), 1);
  EXPECT_TRUE(fs::exists(page)) << "the rest is reported";
  EXPECT_EQ(PageData(ReadFile(page))["events"].size(), 1u);

  std::ofstream(dir_ / "ok.jsonl") << "{\"id\":\"ev-0000000000000001\"}\n";
  // Below a regular file no folder can be made.
  EXPECT_EQ(Shell(bin + " report " + (dir_ / "ok.jsonl").string() + " -o " +
                  (dir_ / "ok.jsonl" / "r.html").string() + quiet),
            3);
  EXPECT_EQ(Shell(bin + " report " + (dir_ / "ok.jsonl").string() + " --data " + dir_.string() +
                " -o " + page + quiet),
            2)
      << "no page template under --data";
}

}  // namespace
}  // namespace newsevents
