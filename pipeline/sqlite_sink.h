// SqliteSink: the feed database in one SQLite file (`--sqlite FILE`), the
// embedded default: nothing to install or run beside newsevents.
//
// A drop is one BEGIN IMMEDIATE ... COMMIT transaction in WAL mode (readers
// keep reading the previous state while a drop loads; a second loader waits
// up to a minute for the first). Records are written as they come, with
// prepared statements: an id already stored with the same record line is
// skipped after one index lookup, so loading a drop again costs little.
#ifndef NEWSEVENTS_SQLITE_SINK_H_
#define NEWSEVENTS_SQLITE_SINK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "pipeline/feed_schema.h"
#include "pipeline/record_sink.h"

struct sqlite3;

namespace newsevents {

class SqliteSink : public RecordSink {
 public:
  // Opens the database at `path`, creating the file if it is missing.
  // Throws SinkError.
  explicit SqliteSink(std::string path, std::string schema_dir = FeedSchemaDir());
  ~SqliteSink() override;
  SqliteSink(const SqliteSink&) = delete;
  SqliteSink& operator=(const SqliteSink&) = delete;

  std::string Describe() const override { return "sqlite " + path_; }
  void Begin(const DropInfo& info) override;
  void Add(const EventRows& event) override;
  DropCounts Commit(const std::string& drop_digest) override;

 private:
  class Statement;
  enum Stmt {
    kFindEvent,
    kUpsertEvent,
    kDeleteDates,
    kDeleteOrganizations,
    kDeletePlaces,
    kDeletePeople,
    kDeleteDuplicate,
    kInsertDate,
    kInsertOrganization,
    kInsertOrganizationAlias,
    kInsertEventOrganization,
    kInsertPlace,
    kInsertPlaceAlias,
    kInsertEventPlace,
    kInsertPerson,
    kInsertDuplicate,
    kStatementCount
  };

  void Exec(const std::string& sql);
  void Migrate();
  int64_t QueryInt(const char* sql);
  void Rollback() noexcept;
  Statement& S(Stmt s) { return *statements_[s]; }

  std::string path_;
  std::string schema_dir_;
  sqlite3* db_ = nullptr;
  bool in_drop_ = false;
  DropInfo info_;
  DropCounts counts_;
  std::vector<std::unique_ptr<Statement>> statements_;
  // Entities and aliases written in this drop (or found there): each is
  // inserted once per drop, not once per record naming it.
  std::unordered_set<uint64_t> organizations_done_;
  std::unordered_set<uint64_t> places_done_;
  std::unordered_set<uint64_t> aliases_done_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SQLITE_SINK_H_
