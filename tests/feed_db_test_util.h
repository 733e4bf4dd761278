// Helpers of the feed database tests (sqlite_sink_test.cc, postgres_test.cc):
// the corpus extracted once per test binary, table contents read back as
// text, what the tables must hold computed straight from the JSON Lines, and
// the README's example queries with their tables.
#ifndef NEWSEVENTS_TESTS_FEED_DB_TEST_UTIL_H_
#define NEWSEVENTS_TESTS_FEED_DB_TEST_UTIL_H_

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace newsevents::feed_test {

namespace fs = std::filesystem;

// Every table of schema_v1.sql.
inline const std::vector<std::string> kTables = {
    "schema_version", "runs",          "events",       "event_dates",
    "organizations",  "organization_aliases",           "event_organizations",
    "places",         "place_aliases", "event_places", "event_people",
    "duplicates"};

using Rows = std::vector<std::vector<std::string>>;  // first row: column names

inline fs::path Source(const std::string& rel) { return fs::path(NEWSEVENTS_SOURCE_DIR) / rel; }

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh folder under the system temp dir, removed by the caller.
inline fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("newsevents-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct Command {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs a shell command from the source tree.
inline Command Shell(const std::string& command) {
  const fs::path dir = fs::temp_directory_path();
  const std::string tag = std::to_string(getpid()) + "-" + std::to_string(std::rand());
  const fs::path out = dir / ("newsevents-cmd-out-" + tag);
  const fs::path err = dir / ("newsevents-cmd-err-" + tag);
  const std::string full = "cd '" + std::string(NEWSEVENTS_SOURCE_DIR) + "' && (" + command +
                           ") >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(full.c_str());
  Command c;
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.out = ReadFile(out);
  c.err = ReadFile(err);
  fs::remove(out);
  fs::remove(err);
  return c;
}

inline std::string Binary() { return NEWSEVENTS_BINARY; }

// Query results as text: NULL is "", numbers as the database prints them.
inline Rows SqliteRows(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  Rows rows;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << "\n" << sql;
    sqlite3_close(db);
    return rows;
  }
  const int n = sqlite3_column_count(stmt);
  rows.emplace_back();
  for (int i = 0; i < n; ++i) rows[0].push_back(sqlite3_column_name(stmt, i));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < n; ++i) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      row.emplace_back(t ? std::string(t, static_cast<size_t>(sqlite3_column_bytes(stmt, i))) : "");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sqlite3_errmsg(db) << "\n" << sql;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

inline int64_t SqliteCount(const fs::path& db, const std::string& table) {
  Rows r = SqliteRows(db, "SELECT count(*) FROM " + table);
  return r.size() == 2 ? std::stoll(r[1][0]) : -1;
}

// Every row of a table, each as its columns joined by tabs, sorted: two
// databases hold the same rows when these are equal.
inline std::vector<std::string> SortedLines(const Rows& rows) {
  std::vector<std::string> lines;
  for (size_t i = 1; i < rows.size(); ++i) {
    std::string line;
    for (const std::string& cell : rows[i]) line += cell + "\t";
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// What each table must hold after loading these records into an empty
// database, computed from the JSON itself (independently of the loader).
inline std::map<std::string, int64_t> ExpectedCounts(const fs::path& jsonl) {
  std::map<std::string, int64_t> n;
  for (const std::string& t : kTables) n[t] = 0;
  std::set<std::string> orgs, places;
  std::set<std::pair<std::string, std::string>> org_aliases, place_aliases;
  std::istringstream in(ReadFile(jsonl));
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json r = nlohmann::json::parse(line);
    ++n["events"];
    n["event_dates"] += static_cast<int64_t>(r["dates"].size());
    std::set<std::string> event_orgs, event_places, event_people;
    for (const auto& o : r["organizations"]) {
      const std::string name = o["name"].get<std::string>();
      event_orgs.insert(name);
      for (const auto& a : o["aliases"]) org_aliases.insert({name, a.get<std::string>()});
    }
    for (const auto& o : r["organizers"]) event_orgs.insert(o.get<std::string>());
    for (const auto& p : r["places"]) {
      const std::string key = p["canonical"].get<std::string>() + "|" + p["kind"].get<std::string>() +
                              "|" + (p["country"].is_null() ? "" : p["country"].get<std::string>());
      event_places.insert(key);
      place_aliases.insert({key, p["name"].get<std::string>()});
    }
    for (const auto& p : r["people"]) event_people.insert(p["name"].get<std::string>());
    n["event_organizations"] += static_cast<int64_t>(event_orgs.size());
    n["event_places"] += static_cast<int64_t>(event_places.size());
    n["event_people"] += static_cast<int64_t>(event_people.size());
    orgs.insert(event_orgs.begin(), event_orgs.end());
    places.insert(event_places.begin(), event_places.end());
    if (!r["duplicate_of"].is_null()) ++n["duplicates"];
  }
  n["organizations"] = static_cast<int64_t>(orgs.size());
  n["organization_aliases"] = static_cast<int64_t>(org_aliases.size());
  n["places"] = static_cast<int64_t>(places.size());
  n["place_aliases"] = static_cast<int64_t>(place_aliases.size());
  n["runs"] = 1;
  n["schema_version"] = 1;
  return n;
}

// An example of README "Databases": its SQL and the table shown after it.
struct ReadmeQuery {
  int line = 0;  // of the ```sql fence
  std::string sql;
  Rows expected;  // header first
};

// Cells of a markdown table row ("| a | b \| c |"), trimmed, "\|" unescaped.
inline std::vector<std::string> MarkdownCells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {  // past the leading '|'
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      const size_t b = cell.find_first_not_of(' ');
      const size_t e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

inline std::vector<ReadmeQuery> ReadmeQueries() {
  std::istringstream in(ReadFile(Source("README.md")));
  std::vector<ReadmeQuery> queries;
  std::string line;
  int number = 0;
  bool in_section = false, in_sql = false, in_table = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("## ", 0) == 0) in_section = line == "## Databases";
    if (!in_section) continue;
    if (in_sql) {
      if (line == "```") {
        in_sql = false;
      } else {
        queries.back().sql += line + "\n";
      }
    } else if (line == "```sql") {
      queries.push_back({number, "", {}});
      in_sql = true;
      in_table = false;
    } else if (!queries.empty() && line.rfind("|", 0) == 0) {
      if (!in_table && !queries.back().expected.empty()) continue;  // a later, other table
      in_table = true;
      if (line.rfind("|---", 0) == 0 || line.rfind("|:--", 0) == 0) continue;
      queries.back().expected.push_back(MarkdownCells(line));
    } else if (in_table) {
      in_table = false;
    }
  }
  return queries;
}

inline std::string AsMarkdown(const Rows& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out += "|";
    for (const std::string& c : rows[i]) {
      std::string cell;
      for (char ch : c) cell += ch == '|' ? std::string("\\|") : std::string(1, ch);
      out += " " + cell + " |";
    }
    out += "\n";
    if (i == 0) {
      out += "|";
      for (size_t j = 0; j < rows[0].size(); ++j) out += "---|";
      out += "\n";
    }
  }
  return out;
}

// Runs every README query through `query` and compares with the README.
template <typename QueryFn>
void ExpectReadmeResults(const std::string& database, QueryFn&& query) {
  const std::vector<ReadmeQuery> queries = ReadmeQueries();
  ASSERT_EQ(queries.size(), 3u) << "README \"Databases\" should show three ```sql examples";
  for (const ReadmeQuery& q : queries) {
    ASSERT_FALSE(q.expected.empty()) << "README line " << q.line << ": no table after the query";
    const Rows got = query(q.sql);
    EXPECT_EQ(got, q.expected) << "README.md line " << q.line << ", on " << database
                               << ": the query gives\n\n"
                               << AsMarkdown(got) << "\n(update the README if this is right)";
  }
}

// The corpus extracted once per test binary: records and the SQLite
// database `extract --sqlite` wrote beside them.
struct Corpus {
  fs::path dir;
  fs::path jsonl;
  fs::path sqlite;
};

inline const Corpus& ExtractedCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    c.dir = FreshDir("feed-corpus");
    c.jsonl = c.dir / "events.jsonl";
    c.sqlite = c.dir / "extract.db";
    const Command r = Shell(Binary() + " extract corpus -q -o '" + c.jsonl.string() +
                          "' --sqlite '" + c.sqlite.string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return c;
  }();
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(corpus.dir, ec);
    }
  } cleanup;
  return corpus;
}

}  // namespace newsevents::feed_test

#endif  // NEWSEVENTS_TESTS_FEED_DB_TEST_UTIL_H_
