// FeedSchema: the versioned SQL of the feed database (pipeline/sql/), shared
// by the SQLite and PostgreSQL sinks.
//
// schema_v1.sql makes version 1; migrate_vN.sql takes a version N-1 database
// to version N. The files are read at run time, in version order; a gap in
// the numbering is an error. Every sink applies the steps a database lacks
// inside the transaction of the drop it loads, so a failed load leaves the
// database at its old version, and refuses a database newer than the files.
#ifndef NEWSEVENTS_FEED_SCHEMA_H_
#define NEWSEVENTS_FEED_SCHEMA_H_

#include <string>
#include <vector>

namespace newsevents {

struct SchemaStep {
  int version = 0;  // the version the database has after this step
  std::string path;
  std::string sql;
};

// The folder of the schema files: $NEWSEVENTS_HOME/pipeline/sql when it
// exists, else pipeline/sql in the source tree this binary was built from.
std::string FeedSchemaDir();

// Every step in `dir`, version 1 first. Throws SinkError if schema_v1.sql is
// missing, a file cannot be read, or a version is missing between two others.
std::vector<SchemaStep> LoadFeedSchema(const std::string& dir);

}  // namespace newsevents

#endif  // NEWSEVENTS_FEED_SCHEMA_H_
