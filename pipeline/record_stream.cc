#include "pipeline/record_stream.h"

#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

namespace newsevents {
namespace {

using json = nlohmann::json;

bool LooksLikeSqlite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && std::memcmp(header, "SQLite format 3", 16) == 0;
}

// A line that is not a record is counted, not fatal: the rest still makes a report.
void Visit(const std::string& text, const std::string& where, RecordStreamStats& stats,
           const std::function<void(json&&)>& visit) {
  json record = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) {
    if (stats.bad_lines++ == 0) stats.first_bad = where + ": not a JSON object";
    return;
  }
  ++stats.records;
  visit(std::move(record));
}

RecordStreamStats ReadJsonLines(std::istream& in, const std::string& name,
                                const std::function<void(json&&)>& visit) {
  RecordStreamStats stats;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Visit(line, name + ":" + std::to_string(line_no), stats, visit);
  }
  if (in.bad()) throw RecordInputError(name + ": read error after line " + std::to_string(line_no));
  return stats;
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// The SELECT that gives the record lines of `db` in drop order, or "" when
// it has none. The feed schema (pipeline/sql/schema_v1.sql) keeps the line in
// events.record beside source_file and item_index; a plain sink table may
// call it json, and then rowid is the order it was written in.
std::string RecordQuery(sqlite3* db) {
  std::set<std::string> columns;
  sqlite3_stmt* info = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA table_info(events)", -1, &info, nullptr) == SQLITE_OK) {
    while (sqlite3_step(info) == SQLITE_ROW) {
      columns.insert(reinterpret_cast<const char*>(sqlite3_column_text(info, 1)));
    }
  }
  sqlite3_finalize(info);
  const char* line = columns.count("record") ? "record" : columns.count("json") ? "json" : nullptr;
  if (line == nullptr) return "";
  std::string query = std::string("SELECT ") + line + " FROM events";
  if (columns.count("source_file") && columns.count("item_index")) {
    query += " ORDER BY source_file, item_index";
  } else {
    sqlite3_stmt* probe = nullptr;
    const std::string by_rowid = query + " ORDER BY rowid";
    // A WITHOUT ROWID table has no order of its own: read as SQLite gives it.
    if (sqlite3_prepare_v2(db, by_rowid.c_str(), -1, &probe, nullptr) == SQLITE_OK) query = by_rowid;
    sqlite3_finalize(probe);
  }
  return query;
}

RecordStreamStats ReadSqlite(const std::string& path, const std::function<void(json&&)>& visit) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  if (rc != SQLITE_OK) {
    throw RecordInputError(path + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open database"));
  }
  const std::string query = RecordQuery(db.get());
  if (query.empty()) {
    throw RecordInputError(path + ": not a records database (needs a table events with a record "
                           "or json column)");
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), query.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw RecordInputError(path + ": " + sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> select(stmt);
  RecordStreamStats stats;
  size_t row = 0;
  int step;
  while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++row;
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const std::string where = path + ": row " + std::to_string(row);
    if (text == nullptr) {
      if (stats.bad_lines++ == 0) stats.first_bad = where + ": json is null";
      continue;
    }
    Visit(std::string(text, sqlite3_column_bytes(stmt, 0)), where, stats, visit);
  }
  if (step != SQLITE_DONE) throw RecordInputError(path + ": " + sqlite3_errmsg(db.get()));
  return stats;
}

}  // namespace

RecordStreamStats ForEachRecord(const std::string& path,
                                const std::function<void(json&&)>& visit) {
  if (path == "-") return ReadJsonLines(std::cin, "<stdin>", visit);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw RecordInputError(path + ": is a directory, not a records file");
  }
  if (!std::filesystem::exists(path, ec)) throw RecordInputError(path + ": no such file");
  if (LooksLikeSqlite(path)) return ReadSqlite(path, visit);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordInputError(path + ": cannot read records file");
  return ReadJsonLines(in, path, visit);
}

}  // namespace newsevents
