// EventRows: one record line taken apart into the rows of the feed database
// (pipeline/sql/schema_v1.sql). Both sinks write exactly these rows, computed
// once here, so an SQLite and a PostgreSQL database loaded with the same drop
// hold the same rows.
#ifndef NEWSEVENTS_EVENT_ROWS_H_
#define NEWSEVENTS_EVENT_ROWS_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace newsevents {

// A line that is not a record of record.schema.json (bad JSON, a missing or
// mistyped field, a date that is not ISO 8601).
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DateRow {
  int64_t position = 0;
  std::string text;
  std::string value;
  std::optional<std::string> end;
  std::string precision;
  // YYYY-MM-DD; none when `value` (or `end`) is not a calendar date, as
  // 2011-02-29 would be: the text is kept, no day is invented.
  std::optional<std::string> first_day;
  std::optional<std::string> last_day;
  int64_t span_begin = 0;
  int64_t span_end = 0;
};

struct OrganizationRow {
  int64_t org_id = 0;
  std::string name;
  std::vector<std::string> aliases;
  int64_t position = 0;
  int64_t mentions = 0;
  std::optional<int64_t> first_begin;  // none for a name found only among organizers
  std::optional<int64_t> first_end;
  bool is_organizer = false;
};

struct PlaceRow {
  int64_t place_id = 0;
  std::string canonical;
  std::string kind;
  std::optional<std::string> country;
  std::vector<std::string> names;  // as written in this record (the first is `name`)
  int64_t position = 0;
  int64_t mentions = 0;
  int64_t first_begin = 0;
  int64_t first_end = 0;
};

struct PersonRow {
  std::string name;
  int64_t position = 0;
  int64_t mentions = 0;
  int64_t first_begin = 0;
  int64_t first_end = 0;
};

struct EventRows {
  std::string id;
  std::string source_file;
  int64_t item_index = 0;
  int64_t span_begin = 0;
  int64_t span_end = 0;
  std::optional<std::string> title;
  std::string lang;
  double lang_confidence = 0;
  std::string event_type;
  double event_type_confidence = 0;
  std::optional<std::string> event_start;
  std::optional<std::string> event_end;
  std::optional<std::string> first_day;
  std::optional<std::string> last_day;
  std::optional<int64_t> participants;
  std::optional<int64_t> nationalities;
  std::optional<std::string> online;
  std::optional<std::string> role;
  std::optional<std::string> duplicate_of;
  std::string record;  // the line, without its '\n'

  std::vector<DateRow> dates;
  // One row per distinct organization, place (place_id) and person name: a
  // name a record lists twice is merged (mentions added up), so the
  // (event, entity) keys of the link tables are unique.
  std::vector<OrganizationRow> organizations;
  std::vector<PlaceRow> places;
  std::vector<PersonRow> people;

  // Rows of the event itself and its link tables (events, event_dates,
  // event_organizations, event_places, event_people, duplicates).
  int64_t RowCount() const;
};

// Parses one JSON Lines record (with or without its '\n'). Throws RecordError.
// Dates must have the shape of record.schema.json (YYYY[-MM[-DD]]); one that
// has it but names no real day (2011-02-29) is kept without day range.
EventRows ParseRecord(std::string_view line);

// The days an ISO 8601 date or range covers: "2021-06" -> 2021-06-01 ..
// 2021-06-30; "2021" -> 2021-01-01 .. 2021-12-31; with `end` (may be empty)
// the last day is the end of `end`. False if a value is not YYYY[-MM[-DD]]
// with a real month and day.
bool DayRange(std::string_view start, std::string_view end, std::string* first_day,
              std::string* last_day);

// Entity keys: XXH3-64 as a signed 64-bit integer (what SQL integers hold),
// the same in every database and every run.
int64_t OrganizationId(std::string_view name);
int64_t PlaceId(std::string_view canonical, std::string_view kind,
                const std::optional<std::string>& country);

// Shortest text that reads back as the same double ("0.998").
std::string FormatDouble(double v);

}  // namespace newsevents

#endif  // NEWSEVENTS_EVENT_ROWS_H_
