// The PostgreSQL feed database, against a real server: a throwaway cluster
// (tests/pg_cluster.sh: initdb in a temporary folder, listening on 127.0.0.1
// only) started by the first test that needs it and stopped at exit. If the
// server cannot be started, every test here FAILS: none is skipped.
//
// The corpus loads into the same rows as in SQLite (extract and load), a drop
// loaded twice changes nothing, a changed record replaces its rows, an
// abandoned or broken drop leaves nothing, schemas migrate, concurrent
// loaders take turns, and the README's queries give the README's tables.
#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "pipeline/drop_loader.h"
#include "pipeline/postgres_sink.h"
#include "tests/feed_db_test_util.h"

namespace newsevents {
namespace {

using namespace feed_test;

// The server of this test process.
struct Server {
  fs::path dir;
  std::string url;    // of the `postgres` database
  std::string error;  // why it did not start

  Server() {
    dir = fs::temp_directory_path() / ("newsevents-pg-" + std::to_string(getpid()));
    fs::remove_all(dir);
    const Command c = Shell("tests/pg_cluster.sh start '" + dir.string() + "'");
    if (c.exit_code != 0 || c.out.empty()) {
      error = "exit " + std::to_string(c.exit_code) + ": " + c.err;
      return;
    }
    url = c.out.substr(0, c.out.find('\n'));
  }
  ~Server() { Shell("tests/pg_cluster.sh stop '" + dir.string() + "'"); }
};

const Server& TheServer() {
  static const Server server;
  return server;
}

// Runs SQL on a connection; rows as text (NULL as ""), header first.
Rows PgRows(const std::string& url, const std::string& sql) {
  Rows rows;
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to " << url << ": " << PQerrorMessage(conn);
    PQfinish(conn);
    return rows;
  }
  PGresult* r = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_TUPLES_OK) {
    rows.emplace_back();
    for (int c = 0; c < PQnfields(r); ++c) rows[0].push_back(PQfname(r, c));
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(r); ++c)
        row.push_back(PQgetisnull(r, i, c) ? "" : PQgetvalue(r, i, c));
      rows.push_back(std::move(row));
    }
  } else if (status != PGRES_COMMAND_OK) {
    ADD_FAILURE() << PQresultErrorMessage(r) << "\n" << sql;
  }
  PQclear(r);
  PQfinish(conn);
  return rows;
}

int64_t PgCount(const std::string& url, const std::string& table) {
  Rows r = PgRows(url, "SELECT count(*) FROM " + table);
  return r.size() == 2 ? std::stoll(r[1][0]) : -1;
}

// A table's rows in the same text from both databases: the two double
// columns as thousandths (SQLite prints 1.0 where PostgreSQL prints 1).
std::string DumpQuery(const std::string& table) {
  if (table != "events") return "SELECT * FROM " + table;
  return "SELECT id, run_id, source_file, item_index, span_begin, span_end, title, lang,"
         " CAST(round(lang_confidence * 1000) AS INTEGER), event_type,"
         " CAST(round(event_type_confidence * 1000) AS INTEGER), event_start, event_end,"
         " first_day, last_day, participants, nationalities, online, role, duplicate_of, record"
         " FROM events";
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Server& server = TheServer();
    ASSERT_FALSE(server.url.empty())
        << "the PostgreSQL test server did not start (tests/pg_cluster.sh): " << server.error;
    static int databases = 0;
    const std::string name = "feed" + std::to_string(++databases);
    PgRows(server.url, "CREATE DATABASE " + name);
    url_ = server.url.substr(0, server.url.rfind('/') + 1) + name;
    dir_ = FreshDir(std::string("pg-") +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Command Load(const fs::path& jsonl) {
    return Shell(Binary() + " load --postgres '" + url_ + "' '" + jsonl.string() + "'");
  }

  std::map<std::string, std::vector<std::string>> PgSnapshot() {
    std::map<std::string, std::vector<std::string>> s;
    for (const std::string& t : kTables) {
      if (t == "runs" || t == "schema_version") continue;
      s[t] = SortedLines(PgRows(url_, DumpQuery(t)));
    }
    return s;
  }
  std::map<std::string, std::vector<std::string>> SqliteSnapshot(const fs::path& db) {
    std::map<std::string, std::vector<std::string>> s;
    for (const std::string& t : kTables) {
      if (t == "runs" || t == "schema_version") continue;
      s[t] = SortedLines(SqliteRows(db, DumpQuery(t)));
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

  DropInfo Info() {
    DropInfo info;
    info.command = "load";
    info.source = "test";
    info.data_version = "xxh3-0000000000000000";
    info.tool_version = "test";
    info.started_at = "2024-01-01T00:00:00Z";
    return info;
  }

  std::string url_;
  fs::path dir_;
};

TEST_F(PostgresTest, ServerListensOnLoopbackOnly) {
  EXPECT_EQ(PgRows(url_, "SHOW listen_addresses"), (Rows{{"listen_addresses"}, {"127.0.0.1"}}));
}

TEST_F(PostgresTest, ExtractWritesTheSameRowsAsIntoSqlite) {
  const Corpus& c = ExtractedCorpus();
  const fs::path db = dir_ / "both.db";
  const Command r = Shell(Binary() + " extract corpus -o '" + (dir_ / "out.jsonl").string() +
                          "' --sqlite '" + db.string() + "' --postgres '" + url_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("database: postgres 127.0.0.1:"), std::string::npos) << r.err;
  const auto expected = ExpectedCounts(c.jsonl);
  for (const std::string& t : kTables) {
    EXPECT_EQ(PgCount(url_, t), SqliteCount(db, t)) << t;
    EXPECT_EQ(PgCount(url_, t), expected.at(t)) << t;
  }
  EXPECT_EQ(PgSnapshot(), SqliteSnapshot(db));
  EXPECT_EQ(PgSnapshot(), SqliteSnapshot(c.sqlite));
  EXPECT_EQ(PgRows(url_, "SELECT run_id, command, source, drop_digest, data_version, records,"
                         " events_added, events_changed, events_unchanged FROM runs"),
            SqliteRows(db, "SELECT run_id, command, source, drop_digest, data_version, records,"
                           " events_added, events_changed, events_unchanged FROM runs"));
}

TEST_F(PostgresTest, LoadingTwiceChangesNothing) {
  const Corpus& c = ExtractedCorpus();
  const Command first = Load(c.jsonl);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(PgSnapshot(), SqliteSnapshot(c.sqlite));
  const auto before = PgSnapshot();
  const Rows runs = PgRows(url_, "SELECT * FROM runs");
  const Command again = Load(c.jsonl);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("no run recorded (nothing changed)"), std::string::npos) << again.err;
  EXPECT_EQ(PgSnapshot(), before);
  EXPECT_EQ(PgRows(url_, "SELECT * FROM runs"), runs);
  const auto expected = ExpectedCounts(c.jsonl);
  for (const std::string& t : kTables) EXPECT_EQ(PgCount(url_, t), expected.at(t)) << t;
}

TEST_F(PostgresTest, AChangedRecordReplacesItsRows) {
  ASSERT_EQ(Load(ExtractedCorpus().jsonl).exit_code, 0);
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
  {
    std::ofstream out(changed);
    for (const std::string& l : lines) out << l << "\n";
  }
  const Command r = Load(changed);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(PgRows(url_, "SELECT run_id, event_type FROM events WHERE id = '" + id + "'"),
            (Rows{{"run_id", "event_type"}, {"2", "workshop"}}));
  EXPECT_EQ(PgCount(url_, "event_dates WHERE event_id = '" + id + "'"), 0);
  const auto expected = ExpectedCounts(changed);
  for (const char* t : {"events", "event_dates", "event_organizations", "event_places",
                               "event_people", "duplicates"}) {
    EXPECT_EQ(PgCount(url_, t), expected.at(t)) << t;
  }
  EXPECT_EQ(PgRows(url_, "SELECT events_added, events_changed, events_unchanged FROM runs"
                         " WHERE run_id = 2"),
            (Rows{{"events_added", "events_changed", "events_unchanged"},
                  {"0", "1", std::to_string(lines.size() - 1)}}));

  // The same change into SQLite gives the same rows.
  const fs::path db = dir_ / "changed.db";
  ASSERT_EQ(Shell(Binary() + " load --sqlite '" + db.string() + "' '" +
                  ExtractedCorpus().jsonl.string() + "'").exit_code, 0);
  ASSERT_EQ(Shell(Binary() + " load --sqlite '" + db.string() + "' '" + changed.string() + "'")
                .exit_code, 0);
  EXPECT_EQ(PgSnapshot(), SqliteSnapshot(db));
}

TEST_F(PostgresTest, AnAbandonedDropLeavesNothing) {
  {
    std::vector<std::unique_ptr<RecordSink>> sinks;
    sinks.push_back(std::make_unique<PostgresSink>(url_));
    DropLoader loader(std::move(sinks), Info());
    std::string error;
    for (const std::string& l : CorpusLines()) ASSERT_TRUE(loader.AddLine(l, &error)) << error;
  }
  // Not even the schema: it was made inside the drop's transaction.
  EXPECT_EQ(PgCount(url_, "pg_tables WHERE schemaname = 'public'"), 0);
}

TEST_F(PostgresTest, ALostConnectionCommitsNothing) {
  ASSERT_EQ(Load(ExtractedCorpus().jsonl).exit_code, 0);
  const auto before = PgSnapshot();
  std::vector<std::unique_ptr<RecordSink>> sinks;
  sinks.push_back(std::make_unique<PostgresSink>(url_));
  DropLoader loader(std::move(sinks), Info());
  std::string error;
  for (const std::string& l : CorpusLines()) {
    nlohmann::ordered_json r = nlohmann::ordered_json::parse(l);
    r["title"] = "changed";
    ASSERT_TRUE(loader.AddLine(r.dump(), &error)) << error;
  }
  // The server ends the loader's session (an administrator, a restart...).
  PgRows(url_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
               " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  EXPECT_THROW(loader.Commit(), SinkError);
  EXPECT_EQ(PgSnapshot(), before);
  EXPECT_EQ(PgCount(url_, "runs"), 1);
}

TEST_F(PostgresTest, ConcurrentLoadersTakeTurns) {
  const std::vector<std::string> lines = CorpusLines();
  const size_t half = lines.size() / 2;
  auto make_loader = [&] {
    std::vector<std::unique_ptr<RecordSink>> sinks;
    sinks.push_back(std::make_unique<PostgresSink>(url_));
    return std::make_unique<DropLoader>(std::move(sinks), Info());
  };
  auto first = make_loader();  // holds the lock from here to its commit
  std::atomic<bool> second_began{false};
  std::vector<DropCounts> second_counts;
  std::thread second([&] {
    auto loader = make_loader();
    second_began = true;
    std::string error;
    for (size_t i = half; i < lines.size(); ++i) loader->AddLine(lines[i], &error);
    second_counts = loader->Commit();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(second_began.load()) << "the second loader did not wait for the first";
  std::string error;
  for (size_t i = 0; i < half; ++i) ASSERT_TRUE(first->AddLine(lines[i], &error)) << error;
  const std::vector<DropCounts> first_counts = first->Commit();
  second.join();
  EXPECT_EQ(first_counts[0].run_id, 1);
  ASSERT_EQ(second_counts.size(), 1u);
  EXPECT_EQ(second_counts[0].run_id, 2);
  EXPECT_EQ(PgCount(url_, "events WHERE run_id = 1"), static_cast<int64_t>(half));
  const auto expected = ExpectedCounts(ExtractedCorpus().jsonl);
  for (const std::string& t : kTables) {
    EXPECT_EQ(PgCount(url_, t), t == "runs" ? 2 : expected.at(t)) << t;
  }
}

TEST_F(PostgresTest, MigratesAnOlderDatabaseAndRefusesANewerOne) {
  const fs::path v1 = dir_ / "sql-v1", v2 = dir_ / "sql-v2";
  fs::create_directories(v1);
  fs::create_directories(v2);
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), v1 / "schema_v1.sql");
  fs::copy_file(Source("pipeline/sql/schema_v1.sql"), v2 / "schema_v1.sql");
  std::ofstream(v2 / "migrate_v2.sql")
      << "ALTER TABLE events ADD COLUMN reviewed INTEGER;\n"
         "CREATE TABLE reviews (event_id TEXT NOT NULL REFERENCES events(id), note TEXT);\n";
  auto load = [&](const fs::path& schema, const std::vector<std::string>& lines) {
    std::vector<std::unique_ptr<RecordSink>> sinks;
    sinks.push_back(std::make_unique<PostgresSink>(url_, schema.string()));
    DropLoader loader(std::move(sinks), Info());
    std::string error;
    for (const std::string& l : lines) EXPECT_TRUE(loader.AddLine(l, &error)) << error;
    return loader.Commit();
  };
  const std::vector<std::string> lines = CorpusLines();
  load(v1, lines);
  nlohmann::ordered_json extra = nlohmann::ordered_json::parse(lines[0]);
  extra["id"] = "ev-00000000000000aa";
  EXPECT_EQ(load(v2, {extra.dump()})[0].added, 1);
  EXPECT_EQ(PgRows(url_, "SELECT version FROM schema_version ORDER BY version"),
            (Rows{{"version"}, {"1"}, {"2"}}));
  EXPECT_EQ(PgCount(url_, "events WHERE reviewed IS NULL"), static_cast<int64_t>(lines.size()) + 1);
  EXPECT_THROW(load(v1, {lines[0]}), SinkError);
  EXPECT_EQ(PgCount(url_, "events"), static_cast<int64_t>(lines.size()) + 1);
}

TEST_F(PostgresTest, AnUnreachableServerIsADatabaseFailure) {
  // Port 1 on loopback: nothing listens there.
  const Command r = Shell(Binary() + " load --postgres 'postgresql://me:s3cret@127.0.0.1:1/x' '" +
                          ExtractedCorpus().jsonl.string() + "'");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << "the password was printed: " << r.err;
}

TEST_F(PostgresTest, ReadmeQueriesGiveTheReadmeTables) {
  ASSERT_EQ(Load(ExtractedCorpus().jsonl).exit_code, 0);
  ExpectReadmeResults("PostgreSQL", [&](const std::string& sql) { return PgRows(url_, sql); });
}

}  // namespace
}  // namespace newsevents
