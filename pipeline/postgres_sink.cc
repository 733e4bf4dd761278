#include "pipeline/postgres_sink.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include <libpq-fe.h>
#include <xxhash.h>

#include "pipeline/dedup_state.h"  // UtcNowIso

namespace newsevents {
namespace {

// Key of the advisory lock that makes loaders of one database take turns
// ("newsevents" in ASCII, truncated to 8 bytes).
constexpr char kLoaderLock[] = "7365074917416153390";

struct StagingTable {
  const char* name;     // the database table it stages
  const char* columns;  // in the order rows are written
};

// In the order of PostgresSink::Table.
constexpr StagingTable kStaging[] = {
    {"events",
     "id, run_id, source_file, item_index, span_begin, span_end, title, lang, lang_confidence,"
     " event_type, event_type_confidence, event_start, event_end, first_day, last_day,"
     " participants, nationalities, online, role, duplicate_of, record"},
    {"event_dates",
     "event_id, position, text, value, end_value, precision, first_day, last_day, span_begin,"
     " span_end"},
    {"organizations", "org_id, name"},
    {"organization_aliases", "org_id, alias"},
    {"event_organizations",
     "event_id, org_id, position, mentions, first_begin, first_end, is_organizer"},
    {"places", "place_id, canonical, kind, country"},
    {"place_aliases", "place_id, alias"},
    {"event_places", "event_id, place_id, position, name, mentions, first_begin, first_end"},
    {"event_people", "event_id, name, position, mentions, first_begin, first_end"},
    {"duplicates", "event_id, duplicate_of"},
};

// Staged rows are flushed to the server past this many bytes.
constexpr size_t kFlushBytes = 8 << 20;

// Rows in COPY's text format: tab-separated, \N for NULL, backslash escapes.
class CopyRow {
 public:
  explicit CopyRow(std::string& out) : out_(out) {}
  ~CopyRow() { out_.push_back('\n'); }

  CopyRow& Text(std::string_view s) {
    Separate();
    for (char c : s) {
      switch (c) {
        case '\\': out_ += "\\\\"; break;
        case '\t': out_ += "\\t"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        default: out_.push_back(c);
      }
    }
    return *this;
  }
  CopyRow& Text(const std::string& s) { return Text(std::string_view(s)); }
  CopyRow& Text(const std::optional<std::string>& s) { return s ? Text(*s) : Null(); }
  CopyRow& Int(int64_t v) {
    Separate();
    out_ += std::to_string(v);
    return *this;
  }
  CopyRow& Int(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  CopyRow& Double(double v) {
    Separate();
    out_ += FormatDouble(v);
    return *this;
  }
  CopyRow& Null() {
    Separate();
    out_ += "\\N";
    return *this;
  }

 private:
  void Separate() {
    if (!first_) out_.push_back('\t');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Key of an entity or alias in the per-drop "already staged" set.
uint64_t StagedKey(char table, int64_t entity, std::string_view alias = {}) {
  std::string key(1, table);
  key.append(reinterpret_cast<const char*>(&entity), sizeof entity);
  key.append(alias);
  return XXH3_64bits(key.data(), key.size());
}

}  // namespace

PostgresSink::PostgresSink(const std::string& url, std::string schema_dir)
    : schema_dir_(std::move(schema_dir)), buffers_(kTableCount) {
  conn_ = PQconnectdb(url.c_str());
  if (!conn_) throw SinkError("postgres: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw SinkError("postgres: cannot connect: " + message);
  }
  const char* host = PQhost(conn_);
  where_ = std::string(host ? host : "") + ":" + PQport(conn_) + "/" + PQdb(conn_);
  try {
    // Notices ("skipping...") are not for the user of a command line tool.
    Exec("SET client_min_messages = warning");
    Exec("SET client_encoding = 'UTF8'");
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

PostgresSink::~PostgresSink() {
  Rollback();
  PQfinish(conn_);
}

void PostgresSink::Rollback() noexcept {
  if (in_drop_) {
    PGresult* r = PQexec(conn_, "ROLLBACK");
    PQclear(r);
    in_drop_ = false;
  }
}

void PostgresSink::Exec(const std::string& sql, int64_t* rows) {
  PGresult* r = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = Trimmed(PQresultErrorMessage(r));
    if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
    PQclear(r);
    throw SinkError("postgres " + where_ + ": " + message);
  }
  if (rows) *rows += std::atoll(PQcmdTuples(r));
  PQclear(r);
}

int64_t PostgresSink::QueryInt(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    std::string message = Trimmed(PQresultErrorMessage(r));
    PQclear(r);
    throw SinkError("postgres " + where_ + ": " + message);
  }
  const int64_t v = PQgetisnull(r, 0, 0) ? 0 : std::atoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  return v;
}

void PostgresSink::Migrate() {
  const std::vector<SchemaStep> steps = LoadFeedSchema(schema_dir_);
  int64_t version = 0;
  if (QueryInt("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
               " AND tablename = 'schema_version'")) {
    version = QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  } else if (QueryInt("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")) {
    throw SinkError("postgres " + where_ + ": schema " +
                    "has tables but no schema_version: not a newsevents feed database");
  }
  if (version > steps.back().version) {
    throw SinkError("postgres " + where_ + ": schema version " + std::to_string(version) +
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

void PostgresSink::Begin(const DropInfo& info) {
  if (in_drop_) throw SinkError(Describe() + ": a drop is already open");
  info_ = info;
  counts_ = DropCounts();
  Exec("BEGIN");
  in_drop_ = true;
  try {
    Exec(std::string("SELECT pg_advisory_xact_lock(") + kLoaderLock + ")");
    Migrate();
    for (const StagingTable& t : kStaging) {
      // Temporary tables are not WAL-logged and vanish with the transaction.
      Exec(std::string("CREATE TEMP TABLE stage_") + t.name + " (LIKE " + t.name +
           ") ON COMMIT DROP");
    }
    counts_.run_id = QueryInt("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs");
    // Written now, completed (or removed, if the drop changes nothing) by
    // Commit.
    const std::string run_id = std::to_string(counts_.run_id);
    const char* params[] = {run_id.c_str(),           info_.command.c_str(),
                            info_.source.c_str(),     info_.data_version.c_str(),
                            info_.tool_version.c_str(), info_.started_at.c_str()};
    PGresult* r = PQexecParams(
        conn_,
        "INSERT INTO runs (run_id, command, source, drop_digest, data_version, tool_version,"
        " started_at, committed_at, records, events_added, events_changed, events_unchanged)"
        " VALUES ($1, $2, $3, '', $4, $5, $6, '', 0, 0, 0, 0)",
        6, nullptr, params, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string message = ok ? "" : Trimmed(PQresultErrorMessage(r));
    PQclear(r);
    if (!ok) throw SinkError(Describe() + ": " + message);
  } catch (...) {
    Rollback();
    throw;
  }
}

void PostgresSink::Add(const EventRows& e) {
  if (!in_drop_) throw SinkError(Describe() + ": Add outside a drop");
  ++counts_.records;
  const size_t before = [&] {
    size_t n = 0;
    for (const std::string& b : buffers_) n += b.size();
    return n;
  }();
  CopyRow(buffers_[kEvents])
      .Text(e.id)
      .Int(counts_.run_id)
      .Text(e.source_file)
      .Int(e.item_index)
      .Int(e.span_begin)
      .Int(e.span_end)
      .Text(e.title)
      .Text(e.lang)
      .Double(e.lang_confidence)
      .Text(e.event_type)
      .Double(e.event_type_confidence)
      .Text(e.event_start)
      .Text(e.event_end)
      .Text(e.first_day)
      .Text(e.last_day)
      .Int(e.participants)
      .Int(e.nationalities)
      .Text(e.online)
      .Text(e.role)
      .Text(e.duplicate_of)
      .Text(e.record);
  for (const DateRow& d : e.dates) {
    CopyRow(buffers_[kDates])
        .Text(e.id)
        .Int(d.position)
        .Text(d.text)
        .Text(d.value)
        .Text(d.end)
        .Text(d.precision)
        .Text(d.first_day)
        .Text(d.last_day)
        .Int(d.span_begin)
        .Int(d.span_end);
  }
  for (const OrganizationRow& o : e.organizations) {
    if (entities_done_.insert(StagedKey('o', o.org_id)).second) {
      CopyRow(buffers_[kOrganizations]).Int(o.org_id).Text(o.name);
    }
    for (const std::string& alias : o.aliases) {
      if (entities_done_.insert(StagedKey('a', o.org_id, alias)).second) {
        CopyRow(buffers_[kOrganizationAliases]).Int(o.org_id).Text(alias);
      }
    }
    CopyRow(buffers_[kEventOrganizations])
        .Text(e.id)
        .Int(o.org_id)
        .Int(o.position)
        .Int(o.mentions)
        .Int(o.first_begin)
        .Int(o.first_end)
        .Int(o.is_organizer ? 1 : 0);
  }
  for (const PlaceRow& p : e.places) {
    if (entities_done_.insert(StagedKey('p', p.place_id)).second) {
      CopyRow(buffers_[kPlaces]).Int(p.place_id).Text(p.canonical).Text(p.kind).Text(p.country);
    }
    for (const std::string& name : p.names) {
      if (entities_done_.insert(StagedKey('n', p.place_id, name)).second) {
        CopyRow(buffers_[kPlaceAliases]).Int(p.place_id).Text(name);
      }
    }
    CopyRow(buffers_[kEventPlaces])
        .Text(e.id)
        .Int(p.place_id)
        .Int(p.position)
        .Text(p.names.front())
        .Int(p.mentions)
        .Int(p.first_begin)
        .Int(p.first_end);
  }
  for (const PersonRow& p : e.people) {
    CopyRow(buffers_[kPeople])
        .Text(e.id)
        .Text(p.name)
        .Int(p.position)
        .Int(p.mentions)
        .Int(p.first_begin)
        .Int(p.first_end);
  }
  if (e.duplicate_of) CopyRow(buffers_[kDuplicates]).Text(e.id).Text(*e.duplicate_of);

  size_t after = 0;
  for (const std::string& b : buffers_) after += b.size();
  buffered_ += after - before;
  if (buffered_ >= kFlushBytes) Flush();
}

void PostgresSink::Flush() {
  for (int t = 0; t < kTableCount; ++t) {
    std::string& rows = buffers_[t];
    if (rows.empty()) continue;
    const std::string copy = std::string("COPY stage_") + kStaging[t].name + " (" +
                             kStaging[t].columns + ") FROM STDIN";
    PGresult* r = PQexec(conn_, copy.c_str());
    const bool copying = PQresultStatus(r) == PGRES_COPY_IN;
    std::string message = copying ? "" : Trimmed(PQresultErrorMessage(r));
    PQclear(r);
    if (!copying) throw SinkError(Describe() + ": " + message);
    bool sent = PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) == 1;
    sent = PQputCopyEnd(conn_, sent ? nullptr : "client failed to send") == 1 && sent;
    std::string error = sent ? "" : Trimmed(PQerrorMessage(conn_));
    while ((r = PQgetResult(conn_)) != nullptr) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && error.empty())
        error = Trimmed(PQresultErrorMessage(r));
      PQclear(r);
    }
    if (!error.empty()) throw SinkError(Describe() + ": COPY into " + kStaging[t].name + ": " + error);
    rows.clear();
  }
  buffered_ = 0;
}

DropCounts PostgresSink::Commit(const std::string& drop_digest) {
  if (!in_drop_) throw SinkError(Describe() + ": Commit outside a drop");
  try {
    Flush();
    // The planner knows nothing of freshly filled temporary tables.
    Exec("ANALYZE stage_events");
    // Ids new to the database, or stored with another record line.
    Exec("CREATE TEMP TABLE stage_changed ON COMMIT DROP AS"
         " SELECT s.id, e.id IS NULL AS added FROM stage_events s"
         " LEFT JOIN events e ON e.id = s.id"
         " WHERE e.id IS NULL OR e.record::text <> s.record::text");
    Exec("ANALYZE stage_changed");
    for (const char* table :
         {"event_dates", "event_organizations", "event_places", "event_people", "duplicates"}) {
      Exec(std::string("DELETE FROM ") + table + " t USING stage_changed c" +
           " WHERE t.event_id = c.id AND NOT c.added");
    }
    int64_t rows = 0;
    for (int t : {kOrganizations, kOrganizationAliases, kPlaces, kPlaceAliases}) {
      Exec(std::string("INSERT INTO ") + kStaging[t].name + " SELECT * FROM stage_" +
               kStaging[t].name + " ON CONFLICT DO NOTHING",
           &rows);
    }
    Exec("INSERT INTO events SELECT s.* FROM stage_events s JOIN stage_changed c ON c.id = s.id"
         " ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id,"
         " source_file = EXCLUDED.source_file, item_index = EXCLUDED.item_index,"
         " span_begin = EXCLUDED.span_begin, span_end = EXCLUDED.span_end,"
         " title = EXCLUDED.title, lang = EXCLUDED.lang,"
         " lang_confidence = EXCLUDED.lang_confidence, event_type = EXCLUDED.event_type,"
         " event_type_confidence = EXCLUDED.event_type_confidence,"
         " event_start = EXCLUDED.event_start, event_end = EXCLUDED.event_end,"
         " first_day = EXCLUDED.first_day, last_day = EXCLUDED.last_day,"
         " participants = EXCLUDED.participants, nationalities = EXCLUDED.nationalities,"
         " online = EXCLUDED.online, role = EXCLUDED.role,"
         " duplicate_of = EXCLUDED.duplicate_of, record = EXCLUDED.record",
         &rows);
    for (int t : {kDates, kEventOrganizations, kEventPlaces, kPeople, kDuplicates}) {
      Exec(std::string("INSERT INTO ") + kStaging[t].name + " SELECT s.* FROM stage_" +
               kStaging[t].name + " s JOIN stage_changed c ON c.id = s.event_id",
           &rows);
    }
    counts_.rows = rows;
    counts_.added = QueryInt("SELECT count(*) FROM stage_changed WHERE added");
    counts_.changed = QueryInt("SELECT count(*) FROM stage_changed WHERE NOT added");
    counts_.unchanged = counts_.records - counts_.added - counts_.changed;

    const std::string run_id = std::to_string(counts_.run_id);
    if (counts_.added + counts_.changed == 0) {
      Exec("DELETE FROM runs WHERE run_id = " + run_id);
      counts_.run_id = 0;
    } else {
      const std::string now = UtcNowIso();
      const std::string records = std::to_string(counts_.records);
      const std::string added = std::to_string(counts_.added);
      const std::string changed = std::to_string(counts_.changed);
      const std::string unchanged = std::to_string(counts_.unchanged);
      const char* params[] = {drop_digest.c_str(), now.c_str(),       records.c_str(),
                              added.c_str(),       changed.c_str(),   unchanged.c_str(),
                              run_id.c_str()};
      PGresult* r = PQexecParams(
          conn_,
          "UPDATE runs SET drop_digest = $1, committed_at = $2, records = $3,"
          " events_added = $4, events_changed = $5, events_unchanged = $6 WHERE run_id = $7",
          7, nullptr, params, nullptr, nullptr, 0);
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      std::string message = ok ? "" : Trimmed(PQresultErrorMessage(r));
      PQclear(r);
      if (!ok) throw SinkError(Describe() + ": " + message);
    }
    Exec("COMMIT");
    in_drop_ = false;
  } catch (...) {
    Rollback();
    throw;
  }
  entities_done_.clear();
  return counts_;
}

}  // namespace newsevents
