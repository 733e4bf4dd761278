// ForEachRecord: reads the records of an earlier run one at a time, from a
// JSON Lines file (what `extract -o` writes) or from a SQLite database whose
// `events` table keeps each record line (the feed database's `record`
// column, or a `json` column).
//
// One record at a time, because a parsed nlohmann::json costs several times
// its text: a drop of 100,000 records stays a few hundred MB of text on disk
// instead of gigabytes in memory.
#ifndef NEWSEVENTS_RECORD_STREAM_H_
#define NEWSEVENTS_RECORD_STREAM_H_

#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace newsevents {

// The records cannot be read at all (missing file, not a records file).
class RecordInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RecordStreamStats {
  size_t records = 0;
  size_t bad_lines = 0;  // lines that are not a JSON object, skipped
  std::string first_bad;  // "path:line: reason" of the first of them
};

// Calls `visit` for every record of `path` ("-" = standard input, JSON Lines),
// in file order (SQLite: by source_file and item_index when the table has
// them, else in the order written). A file starting with the SQLite header is
// read as a database. Throws RecordInputError when the file cannot be opened
// or is a database without such a table.
RecordStreamStats ForEachRecord(const std::string& path,
                                const std::function<void(nlohmann::json&&)>& visit);

}  // namespace newsevents

#endif  // NEWSEVENTS_RECORD_STREAM_H_
