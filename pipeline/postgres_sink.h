// PostgresSink: the feed database in PostgreSQL (`--postgres URL`), for teams
// that share one server.
//
// A drop is one transaction. Rows go with COPY (libpq, text format) into
// temporary staging tables, a few MB at a time as records come; Commit()
// then merges them in a handful of set-based statements: rows whose id is
// stored with the same record line are left alone, others are upserted on
// the id (their dates, organizations, places, people and duplicate link
// replaced), new organizations, places and aliases inserted, and the drop
// committed. A transaction-scoped advisory lock makes concurrent loaders
// (and schema migrations) take turns.
//
// URL: any libpq connection string, e.g. postgresql://user@host:5432/db or
// "host=/run/postgresql dbname=news".
#ifndef NEWSEVENTS_POSTGRES_SINK_H_
#define NEWSEVENTS_POSTGRES_SINK_H_

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "pipeline/feed_schema.h"
#include "pipeline/record_sink.h"

struct pg_conn;

namespace newsevents {

class PostgresSink : public RecordSink {
 public:
  // Connects. Throws SinkError (the message names the server, never the
  // password).
  explicit PostgresSink(const std::string& url, std::string schema_dir = FeedSchemaDir());
  ~PostgresSink() override;
  PostgresSink(const PostgresSink&) = delete;
  PostgresSink& operator=(const PostgresSink&) = delete;

  std::string Describe() const override { return "postgres " + where_; }
  void Begin(const DropInfo& info) override;
  void Add(const EventRows& event) override;
  DropCounts Commit(const std::string& drop_digest) override;

 private:
  // The staging tables, in the order they are copied and merged.
  enum Table {
    kEvents,
    kDates,
    kOrganizations,
    kOrganizationAliases,
    kEventOrganizations,
    kPlaces,
    kPlaceAliases,
    kEventPlaces,
    kPeople,
    kDuplicates,
    kTableCount
  };

  void Exec(const std::string& sql, int64_t* rows = nullptr);
  int64_t QueryInt(const std::string& sql);
  void Migrate();
  void Flush();
  void Rollback() noexcept;

  pg_conn* conn_ = nullptr;
  std::string where_;
  std::string schema_dir_;
  bool in_drop_ = false;
  DropInfo info_;
  DropCounts counts_;
  std::vector<std::string> buffers_;  // COPY text rows per staging table
  size_t buffered_ = 0;
  std::unordered_set<uint64_t> entities_done_;  // staged in this drop already
};

}  // namespace newsevents

#endif  // NEWSEVENTS_POSTGRES_SINK_H_
