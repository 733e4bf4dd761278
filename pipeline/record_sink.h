// RecordSink: a database that takes the records of a drop, all or nothing.
//
// A drop is what one `extract` or `load` writes: Begin() opens one
// transaction, Add() writes a record's rows (upserting on its id), Commit()
// makes the drop durable and visible at once. A sink destroyed without
// Commit() rolls back: the database stays as it was before the drop.
//
// Loading is idempotent: an id already stored with the same record line is
// left alone, one stored with another line is replaced (with its dates,
// organizations, places, people and duplicate link), so loading a drop twice
// leaves the same rows. A drop that changes nothing records no run.
#ifndef NEWSEVENTS_RECORD_SINK_H_
#define NEWSEVENTS_RECORD_SINK_H_

#include <cstdint>
#include <stdexcept>
#include <string>

#include "pipeline/event_rows.h"

namespace newsevents {

// The database cannot be opened, migrated or written; the drop is not
// committed.
class SinkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the runs table records about a drop.
struct DropInfo {
  std::string command;       // "extract" or "load"
  std::string source;        // input paths or JSONL files, space-separated
  std::string data_version;  // DataVersion() of the rules and models
  std::string tool_version;  // newsevents version
  std::string started_at;    // UTC, ISO 8601
};

struct DropCounts {
  int64_t run_id = 0;  // the runs row written, 0 when the drop changed nothing
  int64_t records = 0;
  int64_t added = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
  int64_t rows = 0;  // rows inserted, all tables (runs and schema_version aside)
  double seconds = 0;  // time spent in this sink (filled by DropLoader)
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // "sqlite FILE" or "postgres HOST/DB": for messages.
  virtual std::string Describe() const = 0;

  // Opens the drop's transaction, bringing the schema up to date inside it.
  virtual void Begin(const DropInfo& info) = 0;

  // Writes one record. Ids within a drop are unique (DropLoader sees to it).
  virtual void Add(const EventRows& event) = 0;

  // Commits the drop. `drop_digest` identifies its record lines.
  virtual DropCounts Commit(const std::string& drop_digest) = 0;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RECORD_SINK_H_
