#include "pipeline/sqlite_sink.h"

#include <cstring>
#include <utility>

#include <sqlite3.h>
#include <xxhash.h>

#include "pipeline/dedup_state.h"  // UtcNowIso

namespace newsevents {

// A prepared statement, reset after every use.
class SqliteSink::Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& where) : db_(db), where_(where) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
      throw SinkError(where + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }

  Statement& Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& Bind(int i, const std::optional<std::string>& s) {
    return s ? Bind(i, *s) : BindNull(i);
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }
  Statement& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }

  // Runs a statement that returns no row; returns the rows it changed.
  int Run() {
    const int rc = sqlite3_step(stmt_);
    const int changed = rc == SQLITE_DONE ? sqlite3_changes(db_) : 0;
    Reset();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw SinkError(where_ + ": " + sqlite3_errmsg(db_));
    return changed;
  }

  // Runs a one-row query; false if it returned no row. `text` gets column 0.
  bool Text(std::string* text) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, 0));
      text->assign(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt_, 0)));
    }
    Reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw SinkError(where_ + ": " + sqlite3_errmsg(db_));
    return rc == SQLITE_ROW;
  }

 private:
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3* db_;
  std::string where_;
  sqlite3_stmt* stmt_ = nullptr;
};

namespace {

// In the order of the Stmt enum.
constexpr const char* kStatements[] = {
    "SELECT record FROM events WHERE id = ?1",
    "INSERT INTO events (id, run_id, source_file, item_index, span_begin, span_end, title, lang,"
    " lang_confidence, event_type, event_type_confidence, event_start, event_end, first_day,"
    " last_day, participants, nationalities, online, role, duplicate_of, record)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21)"
    " ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id,"
    " source_file = excluded.source_file, item_index = excluded.item_index,"
    " span_begin = excluded.span_begin, span_end = excluded.span_end, title = excluded.title,"
    " lang = excluded.lang, lang_confidence = excluded.lang_confidence,"
    " event_type = excluded.event_type, event_type_confidence = excluded.event_type_confidence,"
    " event_start = excluded.event_start, event_end = excluded.event_end,"
    " first_day = excluded.first_day, last_day = excluded.last_day,"
    " participants = excluded.participants, nationalities = excluded.nationalities,"
    " online = excluded.online, role = excluded.role, duplicate_of = excluded.duplicate_of,"
    " record = excluded.record",
    "DELETE FROM event_dates WHERE event_id = ?1",
    "DELETE FROM event_organizations WHERE event_id = ?1",
    "DELETE FROM event_places WHERE event_id = ?1",
    "DELETE FROM event_people WHERE event_id = ?1",
    "DELETE FROM duplicates WHERE event_id = ?1",
    "INSERT INTO event_dates (event_id, position, text, value, end_value, precision, first_day,"
    " last_day, span_begin, span_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "INSERT INTO organizations (org_id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    "INSERT INTO organization_aliases (org_id, alias) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    "INSERT INTO event_organizations (event_id, org_id, position, mentions, first_begin,"
    " first_end, is_organizer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO places (place_id, canonical, kind, country) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT DO NOTHING",
    "INSERT INTO place_aliases (place_id, alias) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    "INSERT INTO event_places (event_id, place_id, position, name, mentions, first_begin,"
    " first_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO event_people (event_id, name, position, mentions, first_begin, first_end)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO duplicates (event_id, duplicate_of) VALUES (?1, ?2)",
};
static_assert(sizeof kStatements / sizeof kStatements[0] == 16);

// Key of an alias in the per-drop "already inserted" set.
uint64_t AliasKey(char table, int64_t entity, const std::string& alias) {
  std::string key(1, table);
  key.append(reinterpret_cast<const char*>(&entity), sizeof entity);
  key.append(alias);
  return XXH3_64bits(key.data(), key.size());
}

uint64_t Unsigned(int64_t v) {
  uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

}  // namespace

SqliteSink::SqliteSink(std::string path, std::string schema_dir)
    : path_(std::move(path)), schema_dir_(std::move(schema_dir)) {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw SinkError(path_ + ": " + message);
  }
  sqlite3_busy_timeout(db_, 60000);
  try {
    // Before anything changes the file (journal_mode is a property of the
    // file): refuse a database that is not ours.
    if (!QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                  " AND name = 'schema_version'") &&
        QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
      throw SinkError(path_ + ": has tables but no schema_version: not a newsevents feed database");
    }
    // WAL: analysts read while a drop loads. One fsync'd commit per drop
    // makes synchronous=FULL cheap. A big cache keeps the indexes of a large
    // drop in memory while it loads.
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = FULL");
    Exec("PRAGMA foreign_keys = ON");
    Exec("PRAGMA cache_size = -131072");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteSink::~SqliteSink() {
  Rollback();
  statements_.clear();
  sqlite3_close(db_);
}

void SqliteSink::Rollback() noexcept {
  if (in_drop_) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_drop_ = false;
  }
}

void SqliteSink::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw SinkError(path_ + ": " + message);
  }
}

int64_t SqliteSink::QueryInt(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK)
    throw SinkError(path_ + ": " + sqlite3_errmsg(db_));
  const int rc = sqlite3_step(stmt);
  const int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw SinkError(path_ + ": " + sqlite3_errmsg(db_));
  return v;
}

void SqliteSink::Migrate() {
  const std::vector<SchemaStep> steps = LoadFeedSchema(schema_dir_);
  int64_t version = 0;
  if (QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
    version = QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  } else if (QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
    throw SinkError(path_ + ": has tables but no schema_version: not a newsevents feed database");
  }
  if (version > steps.back().version) {
    throw SinkError(path_ + ": schema version " + std::to_string(version) +
                    " is newer than this newsevents knows (" +
                    std::to_string(steps.back().version) + "): use a newer newsevents");
  }
  for (const SchemaStep& step : steps) {
    if (step.version <= version) continue;
    try {
      Exec(step.sql);
    } catch (const SinkError& e) {
      throw SinkError(step.path + ": " + e.what());
    }
    Exec("INSERT INTO schema_version (version, applied_at) VALUES (" +
         std::to_string(step.version) + ", '" + UtcNowIso() + "')");
  }
}

void SqliteSink::Begin(const DropInfo& info) {
  if (in_drop_) throw SinkError(path_ + ": a drop is already open");
  info_ = info;
  counts_ = DropCounts();
  Exec("BEGIN IMMEDIATE");
  in_drop_ = true;
  try {
    Migrate();
    statements_.clear();
    for (const char* sql : kStatements) {
      statements_.push_back(std::make_unique<Statement>(db_, sql, path_));
    }
    counts_.run_id = QueryInt("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs");
    // Written now for the events' foreign key, completed (or removed, if the
    // drop changes nothing) by Commit.
    Statement run(db_,
                  "INSERT INTO runs (run_id, command, source, drop_digest, data_version,"
                  " tool_version, started_at, committed_at, records, events_added,"
                  " events_changed, events_unchanged)"
                  " VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, '', 0, 0, 0, 0)",
                  path_);
    run.Bind(1, counts_.run_id)
        .Bind(2, info_.command)
        .Bind(3, info_.source)
        .Bind(4, info_.data_version)
        .Bind(5, info_.tool_version)
        .Bind(6, info_.started_at)
        .Run();
  } catch (...) {
    Rollback();
    throw;
  }
}

void SqliteSink::Add(const EventRows& e) {
  if (!in_drop_) throw SinkError(path_ + ": Add outside a drop");
  ++counts_.records;
  std::string stored;
  if (S(kFindEvent).Bind(1, e.id).Text(&stored)) {
    if (stored == e.record) {
      ++counts_.unchanged;
      return;
    }
    ++counts_.changed;
    for (Stmt s : {kDeleteDates, kDeleteOrganizations, kDeletePlaces, kDeletePeople,
                   kDeleteDuplicate}) {
      S(s).Bind(1, e.id).Run();
    }
  } else {
    ++counts_.added;
  }

  S(kUpsertEvent)
      .Bind(1, e.id)
      .Bind(2, counts_.run_id)
      .Bind(3, e.source_file)
      .Bind(4, e.item_index)
      .Bind(5, e.span_begin)
      .Bind(6, e.span_end)
      .Bind(7, e.title)
      .Bind(8, e.lang)
      .Bind(9, e.lang_confidence)
      .Bind(10, e.event_type)
      .Bind(11, e.event_type_confidence)
      .Bind(12, e.event_start)
      .Bind(13, e.event_end)
      .Bind(14, e.first_day)
      .Bind(15, e.last_day)
      .Bind(16, e.participants)
      .Bind(17, e.nationalities)
      .Bind(18, e.online)
      .Bind(19, e.role)
      .Bind(20, e.duplicate_of)
      .Bind(21, e.record);
  counts_.rows += S(kUpsertEvent).Run();

  for (const DateRow& d : e.dates) {
    counts_.rows += S(kInsertDate)
                        .Bind(1, e.id)
                        .Bind(2, d.position)
                        .Bind(3, d.text)
                        .Bind(4, d.value)
                        .Bind(5, d.end)
                        .Bind(6, d.precision)
                        .Bind(7, d.first_day)
                        .Bind(8, d.last_day)
                        .Bind(9, d.span_begin)
                        .Bind(10, d.span_end)
                        .Run();
  }
  for (const OrganizationRow& o : e.organizations) {
    if (organizations_done_.insert(Unsigned(o.org_id)).second) {
      counts_.rows += S(kInsertOrganization).Bind(1, o.org_id).Bind(2, o.name).Run();
    }
    for (const std::string& alias : o.aliases) {
      if (aliases_done_.insert(AliasKey('o', o.org_id, alias)).second) {
        counts_.rows += S(kInsertOrganizationAlias).Bind(1, o.org_id).Bind(2, alias).Run();
      }
    }
    counts_.rows += S(kInsertEventOrganization)
                        .Bind(1, e.id)
                        .Bind(2, o.org_id)
                        .Bind(3, o.position)
                        .Bind(4, o.mentions)
                        .Bind(5, o.first_begin)
                        .Bind(6, o.first_end)
                        .Bind(7, int64_t{o.is_organizer ? 1 : 0})
                        .Run();
  }
  for (const PlaceRow& p : e.places) {
    if (places_done_.insert(Unsigned(p.place_id)).second) {
      counts_.rows += S(kInsertPlace)
                          .Bind(1, p.place_id)
                          .Bind(2, p.canonical)
                          .Bind(3, p.kind)
                          .Bind(4, p.country)
                          .Run();
    }
    for (const std::string& name : p.names) {
      if (aliases_done_.insert(AliasKey('p', p.place_id, name)).second) {
        counts_.rows += S(kInsertPlaceAlias).Bind(1, p.place_id).Bind(2, name).Run();
      }
    }
    counts_.rows += S(kInsertEventPlace)
                        .Bind(1, e.id)
                        .Bind(2, p.place_id)
                        .Bind(3, p.position)
                        .Bind(4, p.names.front())
                        .Bind(5, p.mentions)
                        .Bind(6, p.first_begin)
                        .Bind(7, p.first_end)
                        .Run();
  }
  for (const PersonRow& p : e.people) {
    counts_.rows += S(kInsertPerson)
                        .Bind(1, e.id)
                        .Bind(2, p.name)
                        .Bind(3, p.position)
                        .Bind(4, p.mentions)
                        .Bind(5, p.first_begin)
                        .Bind(6, p.first_end)
                        .Run();
  }
  if (e.duplicate_of) {
    counts_.rows += S(kInsertDuplicate).Bind(1, e.id).Bind(2, *e.duplicate_of).Run();
  }
}

DropCounts SqliteSink::Commit(const std::string& drop_digest) {
  if (!in_drop_) throw SinkError(path_ + ": Commit outside a drop");
  try {
    if (counts_.added + counts_.changed == 0) {
      Statement(db_, "DELETE FROM runs WHERE run_id = ?1", path_).Bind(1, counts_.run_id).Run();
      counts_.run_id = 0;
    } else {
      const std::string now = UtcNowIso();
      Statement(db_,
                "UPDATE runs SET drop_digest = ?1, committed_at = ?2, records = ?3,"
                " events_added = ?4, events_changed = ?5, events_unchanged = ?6"
                " WHERE run_id = ?7",
                path_)
          .Bind(1, drop_digest)
          .Bind(2, now)
          .Bind(3, counts_.records)
          .Bind(4, counts_.added)
          .Bind(5, counts_.changed)
          .Bind(6, counts_.unchanged)
          .Bind(7, counts_.run_id)
          .Run();
    }
    statements_.clear();
    Exec("COMMIT");
    in_drop_ = false;
  } catch (...) {
    Rollback();
    throw;
  }
  organizations_done_.clear();
  places_done_.clear();
  aliases_done_.clear();
  return counts_;
}

}  // namespace newsevents
