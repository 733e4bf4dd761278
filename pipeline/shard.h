// Shard: what the map step of a split run writes, and the reduce reads.
//
// `newsevents extract --shard` runs every stage on its files but does not
// de-duplicate: it writes each item's record as extract would (id and
// duplicate_of not final yet) with the item's StoryKey (dedup_key.h).
// `newsevents dedup SHARD...` then judges the keys of all shards in order,
// one process, and writes the final records: each record's bytes as the map
// step wrote them, with the values of "id" and "duplicate_of" replaced in
// place. The record is never re-parsed nor re-dumped (parsing and dumping
// cost three times what judging does), so both steps together write exactly
// what one `newsevents extract` writes. (Re-dumping would give the same
// bytes too: tests/shard_test.cc checks that nlohmann round-trips a record.)
//
// Format (JSON Lines, version 1):
//   {"newsevents_shard":1,"tool":"0.1.0","key_settings":"...",
//    "options":{"lang":"auto","reference_date":null,"explain":false}}
//   {"record":{...the record...},"dedup":{...StoryKeyToJson...}}   one per item
//   {"end":{"files":3,"files_with_items":3,"errors":0,"items":42,"bytes":123456}}
// The end line is written only by a run that finished: a shard without it
// (its writer was killed or interrupted) is refused, never half used. A
// reduce refuses keys made with other key settings than its own dedup.conf,
// and shards made with different extraction options.
#ifndef NEWSEVENTS_SHARD_H_
#define NEWSEVENTS_SHARD_H_

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/dedup_key.h"
#include "pipeline/stage.h"

namespace newsevents {

constexpr int kShardFormatVersion = 1;

// A shard that cannot be used; the message names the file and line.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the map step did, from its end line.
struct ShardTotals {
  uint64_t files = 0;
  uint64_t files_with_items = 0;
  uint64_t errors = 0;  // files (and paths) with errors
  uint64_t items = 0;
  uint64_t bytes = 0;   // of the input files
};

// The lines of a shard, each ending in "\n". An item line holds the record's
// JSON text (RecordLine without its "\n") and the item's story key.
std::string ShardHeaderLine(const StageOptions& options, const std::string& key_settings);
std::string ShardItemLine(std::string_view record, const StoryKey& key);
std::string ShardEndLine(const ShardTotals& totals);


class ShardReader {
 public:
  // Opens `path` and reads its header. Throws ShardError if it is not a shard
  // of this version or its keys were made with other settings than `keys`'.
  ShardReader(const std::string& path, const StoryKeyMaker& keys);

  struct Entry {
    std::string line;  // the shard's line
    // Byte ranges in `line`: the record, and the values of its top-level
    // "id" and "duplicate_of".
    size_t record_begin = 0, record_end = 0;
    size_t id_begin = 0, id_end = 0;
    size_t duplicate_of_begin = 0, duplicate_of_end = 0;
    StoryKey key;

    // Appends the record with its final id and duplicate_of ("" = null) and
    // a line feed: one line of the final output.
    void AppendFinalRecord(const std::string& id, const std::string& duplicate_of,
                           std::string* out) const;
  };
  // The next item; false once the end line is read (totals() is then set).
  // Throws ShardError for a malformed line or a shard without its end line.
  bool Next(Entry* entry);

  const ShardTotals& totals() const { return totals_; }
  // The header's "options" object, to check that shards agree.
  const nlohmann::ordered_json& options() const { return options_; }
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void Fail(const std::string& what) const;
  void ReadEnd(const std::string& line);

  std::string path_;
  std::string key_settings_;
  int bins_;
  std::ifstream in_;
  std::string line_;  // header and end lines
  uint64_t line_number_ = 0;
  uint64_t items_ = 0;
  bool ended_ = false;
  nlohmann::ordered_json options_;
  ShardTotals totals_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SHARD_H_
