// DedupState: the SQLite file that remembers the items of earlier runs, so a
// later drop's repeats link to records already published.
//
// The schema is models/dedup/state.sql. A run reads the file when it starts
// and writes to it once, in AppendRun: one BEGIN IMMEDIATE ... COMMIT
// transaction, in WAL mode with synchronous=FULL. Nothing a run does is
// visible before that commit, and a process killed at any moment leaves the
// file as after the previous commit. A missing file is an empty state; it is
// created by the first commit, so a run that never commits leaves no file.
#ifndef NEWSEVENTS_DEDUP_STATE_H_
#define NEWSEVENTS_DEDUP_STATE_H_

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace newsevents {

// A state file that cannot be used: not SQLite, damaged, built with other
// sketch settings, or changed by another run in the meantime.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One row of the items table.
struct StoredItem {
  int64_t seq = 0;
  std::string id;
  std::string source_file;
  int64_t item_index = 0;
  uint64_t fingerprint = 0;
  std::string duplicate_of;
  std::string link;
  uint32_t shingles = 0;
  std::vector<uint8_t> signature;
  std::string facts;  // JSON
};

class DedupState {
 public:
  // `schema_sql` is the text of state.sql. Opens `path` if it exists (throws
  // StateError if it is not a usable state file).
  DedupState(std::string path, std::string schema_sql);
  ~DedupState();
  DedupState(const DedupState&) = delete;
  DedupState& operator=(const DedupState&) = delete;

  const std::string& path() const { return path_; }

  struct Snapshot {
    std::string sketch_key;  // settings the signatures were made with, "" if none yet
    int64_t last_seq = 0;    // largest seq, 0 for an empty state
  };
  // Calls fn for every stored item in seq order, all read in one read
  // transaction, and returns what that transaction saw.
  Snapshot Load(const std::function<void(StoredItem&&)>& fn) const;

  // Items stored by earlier runs for this position of this file with this
  // text, in seq order (more than one only when a run read two files of the
  // same name). Only id and duplicate_of are filled.
  std::vector<StoredItem> FindAt(const std::string& source_file, int64_t item_index,
                                 uint64_t fingerprint) const;

  // Appends one run's items (their seq must follow the last_seq that Load
  // saw, `expected_last_seq`) in one transaction. Throws
  // StateError, leaving the file unchanged, if another process committed in
  // the meantime or the file was made with another `sketch_key`.
  // `before_commit`, if set, runs inside the transaction after every row is
  // written (tests use it to die there).
  void AppendRun(const std::string& sketch_key, const std::string& tool_version,
                 const std::string& started_at, int64_t expected_last_seq,
                 const std::vector<StoredItem>& items,
                 const std::function<void()>& before_commit = nullptr);

 private:
  void Open(bool create);
  bool HasItemsTable() const;
  void Exec(const char* sql) const;

  std::string path_;
  std::string schema_sql_;
  sqlite3* db_ = nullptr;
  mutable sqlite3_stmt* find_at_ = nullptr;
};

// Current UTC time as ISO 8601 ("2024-05-01T12:00:00Z").
std::string UtcNowIso();

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_STATE_H_
