// The SQLite feed database: every table holds what the records say, extract
// and load write the same rows, loading twice changes nothing, a changed
// record replaces its rows, a failed or abandoned drop leaves the database as
// it was, older databases are migrated and foreign or newer ones refused, and
// the README's example queries give the README's tables.
#include <memory>

#include <gtest/gtest.h>

#include "pipeline/data_version.h"
#include "pipeline/drop_loader.h"
#include "pipeline/feed_schema.h"
#include "pipeline/rule_file.h"
#include "pipeline/sqlite_sink.h"
#include "tests/feed_db_test_util.h"

namespace newsevents {
namespace {

using namespace feed_test;

class SqliteSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir(std::string("sqlite-") +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Command Load(const fs::path& db, const fs::path& jsonl, const std::string& more = "") {
    return Shell(Binary() + " load --sqlite '" + db.string() + "' '" + jsonl.string() + "' " + more);
  }

  // Every table's rows, as sorted text, runs aside (times differ by design).
  std::map<std::string, std::vector<std::string>> Snapshot(const fs::path& db) {
    std::map<std::string, std::vector<std::string>> s;
    for (const std::string& t : kTables) {
      if (t == "runs" || t == "schema_version") continue;
      s[t] = SortedLines(SqliteRows(db, "SELECT * FROM " + t));
    }
    return s;
  }

  std::vector<std::string> CorpusLines() {
    std::vector<std::string> lines;
    std::istringstream in(ReadFile(ExtractedCorpus().jsonl));
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
  }

  void WriteLines(const fs::path& p, const std::vector<std::string>& lines) {
    std::ofstream out(p, std::ios::binary);
    for (const std::string& l : lines) out << l << "\n";
  }

  DropInfo Info() {
    DropInfo info;
    info.command = "load";
    info.source = "test";
    info.data_version = "xxh3-0000000000000000";
    info.tool_version = "test";
    info.started_at = "2024-01-01T00:00:00Z";
    return info;
  }

  fs::path dir_;
};

TEST_F(SqliteSinkTest, ExtractFillsEveryTableAsTheRecordsSay) {
  const Corpus& c = ExtractedCorpus();
  const auto expected = ExpectedCounts(c.jsonl);
  ASSERT_GT(expected.at("events"), 50);
  ASSERT_GT(expected.at("duplicates"), 0);
  for (const std::string& t : kTables) {
    EXPECT_EQ(SqliteCount(c.sqlite, t), expected.at(t)) << t;
  }
  const Rows runs = SqliteRows(c.sqlite,
                               "SELECT run_id, command, source, records, events_added,"
                               " events_changed, events_unchanged, data_version, drop_digest FROM runs");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1][0], "1");
  EXPECT_EQ(runs[1][1], "extract");
  EXPECT_EQ(runs[1][2], "corpus");
  EXPECT_EQ(runs[1][3], std::to_string(expected.at("events")));
  EXPECT_EQ(runs[1][4], std::to_string(expected.at("events")));
  EXPECT_EQ(runs[1][5], "0");
  EXPECT_EQ(runs[1][6], "0");
  EXPECT_EQ(runs[1][7], DataVersion(DataRoot()));
  EXPECT_EQ(runs[1][8].rfind("xxh3-", 0), 0u);

  // The JSON is kept as written, and the columns agree with it.
  const Rows events = SqliteRows(c.sqlite, "SELECT id, event_type, record FROM events");
  for (size_t i = 1; i < events.size(); ++i) {
    const nlohmann::json r = nlohmann::json::parse(events[i][2]);
    EXPECT_EQ(r["id"], events[i][0]);
    EXPECT_EQ(r["event_type"], events[i][1]);
  }
}

TEST_F(SqliteSinkTest, LoadWritesTheSameRowsAsExtract) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "load.db";
  const Command r = Load(db, c.jsonl);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("run 1"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(db), Snapshot(c.sqlite));
  // The digest names the drop: the same lines, the same digest.
  EXPECT_EQ(SqliteRows(db, "SELECT drop_digest, records FROM runs"),
            SqliteRows(c.sqlite, "SELECT drop_digest, records FROM runs"));
}

TEST_F(SqliteSinkTest, LoadingTwiceChangesNothing) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "twice.db";
  ASSERT_EQ(Load(db, c.jsonl).exit_code, 0);
  const auto before = Snapshot(db);
  const Rows runs_before = SqliteRows(db, "SELECT * FROM runs");
  const Command again = Load(db, c.jsonl);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("no run recorded (nothing changed)"), std::string::npos) << again.err;
  EXPECT_EQ(Snapshot(db), before);
  EXPECT_EQ(SqliteRows(db, "SELECT * FROM runs"), runs_before);
  for (const std::string& t : kTables) {
    EXPECT_EQ(SqliteCount(db, t), ExpectedCounts(c.jsonl).at(t)) << t;
  }
}

TEST_F(SqliteSinkTest, AChangedRecordReplacesItsRows) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "changed.db";
  ASSERT_EQ(Load(db, c.jsonl).exit_code, 0);

  // The first record with dates and organizations, re-extracted differently.
  std::vector<std::string> lines = CorpusLines();
  std::string id;
  for (std::string& line : lines) {
    nlohmann::ordered_json r = nlohmann::ordered_json::parse(line);
    if (r["dates"].empty() || r["organizations"].size() < 2) continue;
    id = r["id"];
    r["event_type"] = "workshop";
    r["dates"] = nlohmann::ordered_json::array();
    r["organizations"].erase(r["organizations"].begin());
    r["organizers"] = nlohmann::ordered_json::array();
    line = r.dump();
    break;
  }
  ASSERT_FALSE(id.empty());
  const fs::path changed = dir_ / "changed.jsonl";
  WriteLines(changed, lines);
  const Command r = Load(db, changed);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(SqliteRows(db, "SELECT run_id, event_type FROM events WHERE id = '" + id + "'"),
            (Rows{{"run_id", "event_type"}, {"2", "workshop"}}));
  EXPECT_EQ(SqliteCount(db, "event_dates WHERE event_id = '" + id + "'"), 0);
  const auto expected = ExpectedCounts(changed);
  for (const char* t : {"events", "event_dates", "event_organizations", "event_places",
                               "event_people", "duplicates"}) {
    EXPECT_EQ(SqliteCount(db, t), expected.at(t)) << t;
  }
  const Rows runs = SqliteRows(db, "SELECT run_id, events_added, events_changed, events_unchanged"
                                   " FROM runs ORDER BY run_id");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2], (std::vector<std::string>{"2", "0", "1",
                                               std::to_string(lines.size() - 1)}));
  // Entities are kept: other records may name them, and an analyst's
  // history of names does not shrink.
  EXPECT_EQ(SqliteCount(db, "organizations"), ExpectedCounts(c.jsonl).at("organizations"));
}

TEST_F(SqliteSinkTest, AnAbandonedDropLeavesTheDatabaseAsItWas) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "abandoned.db";
  ASSERT_EQ(Load(db, c.jsonl).exit_code, 0);
  const auto before = Snapshot(db);
  {
    std::vector<std::unique_ptr<RecordSink>> sinks;
    sinks.push_back(std::make_unique<SqliteSink>(db.string()));
    DropLoader loader(std::move(sinks), Info());
    std::vector<std::string> lines = CorpusLines();
    for (std::string& line : lines) {
      nlohmann::ordered_json r = nlohmann::ordered_json::parse(line);
      r["title"] = "changed";
      r["id"] = std::string(r["id"]).substr(0, 18) + "ff";  // new ids too
      std::string error;
      ASSERT_TRUE(loader.AddLine(r.dump(), &error)) << error;
    }
    // No Commit(): the process dies, or an error unwinds.
  }
  EXPECT_EQ(Snapshot(db), before);
  EXPECT_EQ(SqliteCount(db, "runs"), 1);
}

TEST_F(SqliteSinkTest, AnInterruptedLoadCommitsNothing) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "interrupted.db";
  ASSERT_EQ(Load(db, c.jsonl).exit_code, 0);
  const auto before = Snapshot(db);
  std::vector<std::string> lines = CorpusLines();
  for (std::string& line : lines) {
    nlohmann::ordered_json r = nlohmann::ordered_json::parse(line);
    r["title"] = "changed";
    line = r.dump();
  }
  const fs::path jsonl = dir_ / "changed.jsonl", fifo = dir_ / "fifo";
  WriteLines(jsonl, lines);
  // The loader reads a pipe; SIGINT arrives while it waits for the rest.
  ASSERT_EQ(Shell("mkfifo '" + fifo.string() + "'").exit_code, 0);
  const Command r = Shell(Binary() + " load --sqlite '" +
                          db.string() + "' '" + fifo.string() + "' & pid=$!; exec 3>'" +
                          fifo.string() + "'; head -n 5 '" + jsonl.string() +
                          "' >&3; sleep 1; kill -INT $pid; cat '" + jsonl.string() +
                          "' >&3; exec 3>&-; wait $pid; exit $?");
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted by signal 2: nothing committed"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(db), before);
  EXPECT_EQ(SqliteCount(db, "runs"), 1);
}

TEST_F(SqliteSinkTest, BadLinesAreReportedAndSkipped) {
  std::vector<std::string> lines = CorpusLines();
  ASSERT_GE(lines.size(), 3u);
  nlohmann::json no_id = nlohmann::json::parse(lines[1]);
  no_id.erase("id");
  nlohmann::json bad_date = nlohmann::json::parse(lines[2]);
  bad_date["event_date"] = {{"start", "June 2021"}, {"end", nullptr}};
  const std::vector<std::string> input = {lines[0], "{not json", no_id.dump(), bad_date.dump(),
                                          lines[0], "", lines[3]};
  const fs::path jsonl = dir_ / "bad.jsonl";
  WriteLines(jsonl, input);
  const fs::path db = dir_ / "bad.db";
  const Command r = Load(db, jsonl);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:2: not loaded: not valid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:3: not loaded: field 'id': missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:4: not loaded: field 'event_date'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:5: not loaded: id ev-"), std::string::npos) << r.err;
  EXPECT_EQ(SqliteCount(db, "events"), 2);
}

TEST_F(SqliteSinkTest, ADateThatIsNoCalendarDayIsKeptWithoutDays) {
  // The shape of the schema's dates, but no such day (it happened: a
  // "twenty-ninth of Feb" resolved into 2011). The record loads.
  nlohmann::ordered_json r = nlohmann::ordered_json::parse(CorpusLines()[0]);
  r["event_date"] = {{"start", "2011-02-29"}, {"end", nullptr}};
  r["dates"] = nlohmann::ordered_json::array(
      {{{"text", "29 Feb"}, {"value", "2011-02-29"}, {"end", nullptr}, {"precision", "day"},
        {"span", {1, 7}}}});
  const fs::path jsonl = dir_ / "feb29.jsonl";
  WriteLines(jsonl, {r.dump()});
  const fs::path db = dir_ / "feb29.db";
  const Command c = Load(db, jsonl);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(SqliteRows(db, "SELECT event_start, first_day, last_day FROM events"),
            (Rows{{"event_start", "first_day", "last_day"}, {"2011-02-29", "", ""}}));
  EXPECT_EQ(SqliteRows(db, "SELECT value, first_day FROM event_dates"),
            (Rows{{"value", "first_day"}, {"2011-02-29", ""}}));
}

TEST_F(SqliteSinkTest, LoadNeedsADatabaseAndReadableFiles) {
  EXPECT_EQ(Shell(Binary() + " load corpus.jsonl").exit_code, 2);
  EXPECT_EQ(Shell(Binary() + " load --sqlite x.db").exit_code, 2);
  EXPECT_EQ(Shell(Binary() + " load --sqlite x.db --bogus a.jsonl").exit_code, 2);
  const fs::path db = dir_ / "missing.db";
  const Command r = Load(db, dir_ / "does-not-exist.jsonl");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  // A directory where the database should be: a database failure.
  const Command d = Load(dir_, ExtractedCorpus().jsonl);
  EXPECT_EQ(d.exit_code, 3) << d.err;
}

TEST_F(SqliteSinkTest, ExtractCommitsNothingWhenTheOutputFails) {
  const fs::path db = dir_ / "fail.db";
  // A simulated full disk after 3000 bytes of output.
  const Command r = Shell("NEWSEVENTS_TEST_WRITE_LIMIT=3000 " + Binary() + " extract corpus -q -o '" +
                        (dir_ / "out.jsonl").string() + "' --sqlite '" + db.string() + "'");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(SqliteCount(db, "sqlite_master"), 0) << "the drop's transaction made the tables";
}

TEST_F(SqliteSinkTest, ExtractRefusesMisusedDatabaseOptions) {
  const fs::path same = dir_ / "same.db";
  Command r = Shell(Binary() + " extract corpus -q -o - --state '" + same.string() + "' --sqlite '" +
                  same.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Shell(Binary() + " extract corpus -q -o - --shard --sqlite '" + same.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(same));
}

TEST_F(SqliteSinkTest, ExtractWithStateLoadsOnlyWhatItWrites) {
  const fs::path state = dir_ / "state.db", db = dir_ / "feed.db";
  const std::string cmd = Binary() + " extract corpus -q -o '" + (dir_ / "out.jsonl").string() +
                          "' --state '" + state.string() + "' --new-only --sqlite '" +
                          db.string() + "'";
  ASSERT_EQ(Shell(cmd).exit_code, 0);
  const auto first = Snapshot(db);
  EXPECT_EQ(first.at("events").size(), CorpusLines().size());
  // The second run writes no record: the database is left alone.
  const Command again = Shell(cmd);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Snapshot(db), first);
  EXPECT_EQ(SqliteCount(db, "runs"), 1);
}

TEST_F(SqliteSinkTest, MigratesAnOlderDatabaseAndRefusesANewerOne) {
  const fs::path v1 = dir_ / "sql-v1", v2 = dir_ / "sql-v2";
  fs::create_directories(v1);
  fs::create_directories(v2);
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), v1 / "schema_v1.sql");
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), v2 / "schema_v1.sql");
  std::ofstream(v2 / "migrate_v2.sql")
      << "-- a test migration\nALTER TABLE events ADD COLUMN reviewed INTEGER;\n"
         "CREATE TABLE reviews (event_id TEXT NOT NULL REFERENCES events(id), note TEXT);\n";

  const fs::path db = dir_ / "migrate.db";
  auto load = [&](const fs::path& schema, const std::vector<std::string>& lines) {
    std::vector<std::unique_ptr<RecordSink>> sinks;
    sinks.push_back(std::make_unique<SqliteSink>(db.string(), schema.string()));
    DropLoader loader(std::move(sinks), Info());
    std::string error;
    for (const std::string& l : lines) EXPECT_TRUE(loader.AddLine(l, &error)) << error;
    return loader.Commit();
  };
  std::vector<std::string> lines = CorpusLines();
  load(v1, lines);
  EXPECT_EQ(SqliteRows(db, "SELECT version FROM schema_version"), (Rows{{"version"}, {"1"}}));

  // Version 2 arrives with the next drop: the rows are kept.
  nlohmann::ordered_json extra = nlohmann::ordered_json::parse(lines[0]);
  extra["id"] = "ev-00000000000000aa";
  const auto counts = load(v2, {extra.dump()});
  EXPECT_EQ(counts[0].added, 1);
  EXPECT_EQ(SqliteRows(db, "SELECT version FROM schema_version ORDER BY version"),
            (Rows{{"version"}, {"1"}, {"2"}}));
  EXPECT_EQ(SqliteCount(db, "events"), static_cast<int64_t>(lines.size()) + 1);
  EXPECT_EQ(SqliteCount(db, "reviews"), 0);
  EXPECT_EQ(SqliteCount(db, "events WHERE reviewed IS NULL"), static_cast<int64_t>(lines.size()) + 1);

  // An older newsevents refuses the newer database, and changes nothing.
  EXPECT_THROW(
      {
        try {
          load(v1, {lines[0]});
        } catch (const SinkError& e) {
          EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
          throw;
        }
      },
      SinkError);
  EXPECT_EQ(SqliteCount(db, "events"), static_cast<int64_t>(lines.size()) + 1);
}

TEST_F(SqliteSinkTest, AFailedMigrationLeavesTheDatabaseAtItsVersion) {
  const fs::path broken = dir_ / "sql-broken";
  fs::create_directories(broken);
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), broken / "schema_v1.sql");
  std::ofstream(broken / "migrate_v2.sql") << "ALTER TABLE no_such_table ADD COLUMN x INTEGER;\n";
  const fs::path db = dir_ / "broken.db";
  ASSERT_EQ(Load(db, ExtractedCorpus().jsonl).exit_code, 0);
  const auto before = Snapshot(db);
  SqliteSink sink(db.string(), broken.string());
  try {
    sink.Begin(Info());
    FAIL() << "a broken migration was applied";
  } catch (const SinkError& e) {
    EXPECT_NE(std::string(e.what()).find("migrate_v2.sql"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Snapshot(db), before);
  EXPECT_EQ(SqliteRows(db, "SELECT max(version) FROM schema_version")[1][0], "1");
}

TEST_F(SqliteSinkTest, RefusesADatabaseItDidNotMake) {
  // The de-duplication state is SQLite too, with a `runs` table of its own.
  const fs::path state = dir_ / "state.db";
  ASSERT_EQ(Shell(Binary() + " extract corpus -q -o /dev/null --state '" + state.string() + "'").exit_code, 0);
  const Command r = Load(state, ExtractedCorpus().jsonl);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not a newsevents feed database"), std::string::npos) << r.err;
}

TEST(FeedSchemaTest, StepsAreNumberedWithoutGaps) {
  const std::vector<SchemaStep> steps = LoadFeedSchema(FeedSchemaDir());
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps[0].version, 1);
  EXPECT_NE(steps[0].sql.find("CREATE TABLE events"), std::string::npos);

  const fs::path dir = FreshDir("schema-gap");
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), dir / "schema_v1.sql");
  std::ofstream(dir / "migrate_v3.sql") << "SELECT 1;\n";
  EXPECT_THROW(LoadFeedSchema(dir.string()), SinkError);
  fs::remove(dir / "schema_v1.sql");
  fs::remove(dir / "migrate_v3.sql");
  // A version too large for a number is an error, not a file passed over.
  std::ofstream(dir / "migrate_v99999999999.sql") << "SELECT 1;\n";
  try {
    LoadFeedSchema(dir.string());
    ADD_FAILURE() << "a migration numbered beyond int was accepted";
  } catch (const SinkError& e) {
    EXPECT_NE(std::string(e.what()).find("migrate_v99999999999.sql"), std::string::npos) << e.what();
  }
  fs::remove(dir / "migrate_v99999999999.sql");
  EXPECT_THROW(LoadFeedSchema(dir.string()), SinkError);
  fs::remove_all(dir);
}

TEST(SqliteReadmeTest, ExampleQueriesGiveTheReadmeTables) {
  const fs::path db = ExtractedCorpus().sqlite;
  ExpectReadmeResults("SQLite", [&](const std::string& sql) { return SqliteRows(db, sql); });
}

}  // namespace
}  // namespace newsevents
