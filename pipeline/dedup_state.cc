#include "pipeline/dedup_state.h"

#include <ctime>
#include <filesystem>
#include <utility>

#include <sqlite3.h>

namespace newsevents {

namespace {

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw StateError(path + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() { return stmt_; }
  // True while a row is available; throws on errors.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StateError(path_ + ": " + sqlite3_errmsg(db_));
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindBlob(int i, const std::vector<uint8_t>& b) {
    sqlite3_bind_blob(stmt_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
  std::string Text(int i) {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  int64_t Int(int i) { return sqlite3_column_int64(stmt_, i); }
  std::vector<uint8_t> Blob(int i) {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, i));
    const int n = sqlite3_column_bytes(stmt_, i);
    return p ? std::vector<uint8_t>(p, p + n) : std::vector<uint8_t>();
  }

 private:
  sqlite3* db_;
  std::string path_;
  sqlite3_stmt* stmt_ = nullptr;
};

// SQLite integers are signed; fingerprints are stored bit for bit.
int64_t ToSigned(uint64_t v) {
  int64_t s;
  static_assert(sizeof s == sizeof v);
  __builtin_memcpy(&s, &v, sizeof s);
  return s;
}
uint64_t ToUnsigned(int64_t v) {
  uint64_t u;
  __builtin_memcpy(&u, &v, sizeof u);
  return u;
}

}  // namespace

std::string UtcNowIso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

DedupState::DedupState(std::string path, std::string schema_sql)
    : path_(std::move(path)), schema_sql_(std::move(schema_sql)) {
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) Open(/*create=*/false);
}

DedupState::~DedupState() {
  if (find_at_) sqlite3_finalize(find_at_);
  if (db_) sqlite3_close_v2(db_);
}

void DedupState::Open(bool create) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StateError(path_ + ": cannot open state file: " + message);
  }
  // Another run committing holds the write lock for a moment; wait for it
  // rather than fail.
  sqlite3_busy_timeout(db_, 10000);
  // Reading the schema also checks that the file is SQLite at all.
  try {
    HasItemsTable();
  } catch (const StateError& e) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StateError(path_ + ": not a state file (" + e.what() + ")");
  }
}

void DedupState::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StateError(path_ + ": " + message);
  }
}

bool DedupState::HasItemsTable() const {
  Statement s(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'items'",
              path_);
  return s.Step() && s.Int(0) > 0;
}

DedupState::Snapshot DedupState::Load(const std::function<void(StoredItem&&)>& fn) const {
  Snapshot snap;
  if (!db_ || !HasItemsTable()) return snap;
  // One read transaction: the items and the last seq belong together even
  // if another run commits meanwhile.
  Exec("BEGIN");
  try {
    {
      Statement meta(db_, "SELECT value FROM meta WHERE key = 'sketch'", path_);
      if (meta.Step()) snap.sketch_key = meta.Text(0);
    }
    Statement rows(db_,
                   "SELECT seq, id, source_file, item_index, fingerprint, duplicate_of, link, "
                   "shingles, signature, facts FROM items ORDER BY seq",
                   path_);
    while (rows.Step()) {
      StoredItem item;
      item.seq = rows.Int(0);
      item.id = rows.Text(1);
      item.source_file = rows.Text(2);
      item.item_index = rows.Int(3);
      item.fingerprint = ToUnsigned(rows.Int(4));
      item.duplicate_of = rows.Text(5);
      item.link = rows.Text(6);
      item.shingles = static_cast<uint32_t>(rows.Int(7));
      item.signature = rows.Blob(8);
      item.facts = rows.Text(9);
      snap.last_seq = item.seq;
      fn(std::move(item));
    }
    Exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return snap;
}

std::vector<StoredItem> DedupState::FindAt(const std::string& source_file, int64_t item_index,
                                           uint64_t fingerprint) const {
  std::vector<StoredItem> found;
  if (!db_) return found;
  if (!find_at_) {
    if (!HasItemsTable()) return found;
    const char* sql =
        "SELECT seq, id, duplicate_of FROM items "
        "WHERE source_file = ?1 AND item_index = ?2 AND fingerprint = ?3 ORDER BY seq";
    if (sqlite3_prepare_v2(db_, sql, -1, &find_at_, nullptr) != SQLITE_OK)
      throw StateError(path_ + ": " + sqlite3_errmsg(db_));
  }
  sqlite3_reset(find_at_);
  sqlite3_bind_text(find_at_, 1, source_file.data(), static_cast<int>(source_file.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(find_at_, 2, item_index);
  sqlite3_bind_int64(find_at_, 3, ToSigned(fingerprint));
  int rc;
  while ((rc = sqlite3_step(find_at_)) == SQLITE_ROW) {
    StoredItem item;
    item.seq = sqlite3_column_int64(find_at_, 0);
    item.id = reinterpret_cast<const char*>(sqlite3_column_text(find_at_, 1));
    item.duplicate_of = reinterpret_cast<const char*>(sqlite3_column_text(find_at_, 2));
    found.push_back(std::move(item));
  }
  if (rc != SQLITE_DONE) throw StateError(path_ + ": " + sqlite3_errmsg(db_));
  sqlite3_reset(find_at_);
  return found;
}

void DedupState::AppendRun(const std::string& sketch_key, const std::string& tool_version,
                           const std::string& started_at, int64_t expected_last_seq,
                           const std::vector<StoredItem>& items,
                           const std::function<void()>& before_commit) {
  if (!db_) Open(/*create=*/true);
  // WAL: readers never block the commit nor see it half done; FULL: the
  // commit is on disk when COMMIT returns. Both must be set outside a
  // transaction; journal_mode is remembered by the file.
  Exec("PRAGMA journal_mode = WAL");
  Exec("PRAGMA synchronous = FULL");
  Exec("BEGIN IMMEDIATE");
  try {
    Exec(schema_sql_.c_str());
    {
      Statement meta(db_, "SELECT value FROM meta WHERE key = 'sketch'", path_);
      if (meta.Step() && meta.Text(0) != sketch_key)
        throw StateError(path_ + ": state was built with other sketch settings (" + meta.Text(0) +
                         ") than models/dedup/dedup.conf (" + sketch_key +
                         "); use a new state file or restore the old settings");
    }
    {
      Statement last(db_, "SELECT COALESCE(MAX(seq), 0) FROM items", path_);
      last.Step();
      if (last.Int(0) != expected_last_seq)
        throw StateError(path_ + ": another run committed to this state file while this run was "
                                 "working; run again to link against its items");
    }
    {
      Statement meta(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('sketch', ?1)", path_);
      meta.Bind(1, sketch_key);
      meta.Step();
    }
    int64_t run = 0;
    {
      Statement r(db_,
                  "INSERT INTO runs(started_at, committed_at, items_added, tool_version) "
                  "VALUES (?1, ?2, ?3, ?4)",
                  path_);
      r.Bind(1, started_at);
      r.Bind(2, UtcNowIso());
      r.Bind(3, static_cast<int64_t>(items.size()));
      r.Bind(4, tool_version);
      r.Step();
      run = sqlite3_last_insert_rowid(db_);
    }
    Statement insert(db_,
                     "INSERT INTO items(seq, id, source_file, item_index, fingerprint, "
                     "duplicate_of, link, shingles, signature, facts, run) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                     path_);
    for (const StoredItem& item : items) {
      insert.Reset();
      insert.Bind(1, item.seq);
      insert.Bind(2, item.id);
      insert.Bind(3, item.source_file);
      insert.Bind(4, item.item_index);
      insert.Bind(5, ToSigned(item.fingerprint));
      insert.Bind(6, item.duplicate_of);
      insert.Bind(7, item.link);
      insert.Bind(8, static_cast<int64_t>(item.shingles));
      insert.BindBlob(9, item.signature);
      insert.Bind(10, item.facts);
      insert.Bind(11, run);
      insert.Step();
    }
    if (before_commit) before_commit();
    Exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace newsevents
