// Scoring a run against gold annotations (corpus/gold/*.gold.json, format in
// corpus/gold/SCHEMA.md): how many news items were found, and for the items
// found, how well each field was extracted.
//
// Items are matched through text anchors: a gold item's headline (or, without
// one, its first words) is located in the corpus file, and the record whose
// byte span contains that offset is its match. Fields are then compared on
// matched pairs only, so a segmentation error costs item recall once instead
// of also failing every field of the item.
//
//   EvalReport report = Evaluate("corpus/gold", "corpus", records);
//   std::cout << FormatReportTable(report);
#ifndef NEWSEVENTS_EVAL_H_
#define NEWSEVENTS_EVAL_H_

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace newsevents {

// Input that cannot be scored: a missing file, invalid JSON, a field of the
// wrong type. Names the file and, when known, the line (or the JSON path).
class EvalInputError : public std::runtime_error {
 public:
  EvalInputError(const std::string& file, int line, const std::string& message)
      : std::runtime_error(line > 0 ? file + ":" + std::to_string(line) + ": " + message
                                    : file + ": " + message) {}
};

// Counts for a precision/recall measure. A ratio with a zero denominator is
// undefined: NaN here, null in JSON, "-" in the table (never a made-up 1).
// F1 is 0 whenever nothing matched out of something.
struct PrfCounts {
  size_t gold = 0;
  size_t predicted = 0;
  size_t matched = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

struct AccuracyCounts {
  size_t n = 0;
  size_t correct = 0;
  double accuracy() const;  // NaN when n == 0
};

// One difference between a record and the gold, for --verbose.
struct EvalDiff {
  std::string where;     // "000_x.txt#3" (gold item) or the record id
  std::string field;     // "item", "dates", "date_value", "organizations"...
  std::string kind;      // "missed", "spurious" or "wrong"
  std::string expected;  // gold side, "" for spurious
  std::string got;       // predicted side, "" for missed
  std::string context;   // the gold item's headline and its record's id
};

struct EvalReport {
  PrfCounts items;
  PrfCounts dates;  // mentions, matched on their text
  AccuracyCounts date_values;  // over matched mentions: value and end
  AccuracyCounts event_date;   // over matched items
  PrfCounts organizations;
  PrfCounts places;
  PrfCounts people;
  PrfCounts duplicates;  // duplicate_of links of matched items
  AccuracyCounts event_type;  // over matched items
  // gold type -> predicted type -> count, over matched items.
  std::map<std::string, std::map<std::string, size_t>> type_confusion;
  // File by file (name order): gold items in order, then the file's records
  // that match no gold item, by offset.
  std::vector<EvalDiff> diffs;
};

// Reads a JSON Lines file of records (blank lines skipped; "-" is stdin).
// Throws EvalInputError naming file:line for invalid JSON or a record whose
// fields have the wrong shape.
std::vector<nlohmann::json> ReadRecordsFile(const std::string& path);

// Scores `records` against every *.gold.json in `gold_dir`; the corpus files
// the gold names are read from `corpus_dir` (to locate anchors). Records of
// files without gold are ignored. Throws EvalInputError on unreadable or
// malformed gold, a missing corpus file, or a malformed record ("record N",
// 1-based).
EvalReport Evaluate(const std::string& gold_dir, const std::string& corpus_dir,
                    const std::vector<nlohmann::json>& records);

// Checks one record's shape; throws EvalInputError(file, line, ...) if wrong.
void ValidateRecord(const nlohmann::json& record, const std::string& file, int line);

}  // namespace newsevents

#endif  // NEWSEVENTS_EVAL_H_
