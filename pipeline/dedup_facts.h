// The facts of a news item that tell two tellings of one event from two
// events that merely read alike: when it happened, where, and who was there.
//
// StoryFacts is the plain form (folded strings, ISO dates): what an item
// yields and what the state file stores as JSON. FactView is the compact form
// the index compares: day numbers and interned ids in sorted arrays, so a
// comparison is a few merges of short integer lists.
#ifndef NEWSEVENTS_DEDUP_FACTS_H_
#define NEWSEVENTS_DEDUP_FACTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/dedup_config.h"
#include "pipeline/document.h"

namespace newsevents {

struct StoryFacts {
  std::string event_start;  // ISO 8601 at the text's precision, "" if none
  std::string event_end;    // "" for a single date
  std::vector<std::string> days;             // YYYY-MM-DD: event date, then mentions
  std::vector<std::string> specific_places;  // folded names, sorted, unique
  std::vector<std::string> countries;        // ISO 3166 codes of all places
  // One list per organization: its folded name and aliases, sorted; the
  // lists sorted. Two items share an organization when two of their lists
  // share a name ("Efus" meets "European Forum for Urban Safety" when
  // either item spells the acronym out).
  std::vector<std::vector<std::string>> organizations;
  std::vector<std::string> organizers;       // folded names and aliases of organizers

  friend bool operator==(const StoryFacts&, const StoryFacts&) = default;
};

// The facts of one item as extracted by the earlier stages.
StoryFacts FactsOfItem(const Item& item, const DedupConfig& config);

nlohmann::json FactsToJson(const StoryFacts& facts);
// Throws std::runtime_error when `json` does not have FactsToJson's shape.
StoryFacts FactsFromJson(const nlohmann::json& json);
StoryFacts FactsFromJson(const nlohmann::ordered_json& json);

// Days since 0000-03-01 (proleptic Gregorian), plus one so that 0 means "no
// day"; 0 for anything that is not a valid YYYY-MM-DD.
int32_t DayNumber(std::string_view iso_day);

// An inclusive range of day numbers. "2021" covers the year, "2021-06" the
// month; an `end` widens the range to the end of its own period.
struct DayRange {
  int32_t first = 0;
  int32_t last = 0;
  bool empty() const { return first == 0; }
};
DayRange RangeOfIso(std::string_view start, std::string_view end);
// The year, month and day of a DayNumber.
void DayToCivil(int32_t day_number, int* year, int* month, int* day);

// Whether `r` is one whole calendar month, as "2021-06" reads: what an item
// dated by its month only ("In June, ...") gives.
bool IsCalendarMonth(const DayRange& r);

// Interns strings to small numbers, so facts compare as integers.
class FactInterner {
 public:
  uint32_t Id(const std::string& s);
  size_t size() const { return ids_.size(); }
  size_t MemoryBytes() const;

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

// The compact facts of one item. Every list is sorted and unique.
struct FactView {
  DayRange event;
  std::span<const uint32_t> days;
  std::span<const uint32_t> specific_places;
  std::span<const uint32_t> countries;
  // (name id, organization number) pairs, flattened, sorted by name id.
  std::span<const uint32_t> organizations;
  std::span<const uint32_t> organizers;
};

// Appends the compact lists of `facts` to `arena` (days, specific places,
// countries, organizations, organizers, each sorted) and returns their sizes
// (for organizations, the number of names).
struct FactCounts {
  uint8_t days = 0, specific_places = 0, countries = 0, organizations = 0, organizers = 0;
};
FactCounts CompactFacts(const StoryFacts& facts, FactInterner& interner,
                        std::vector<uint32_t>* arena);
FactView ViewFacts(const DayRange& event, const uint32_t* lists, const FactCounts& counts);

struct FactVerdict {
  bool contradiction = false;
  const char* why = "";       // which fact contradicts, for tests and --explain
  bool same_day = false;      // a calendar day in common
  int shared_places = 0;        // specific places in common
  int shared_organizations = 0; // organizations in common (by name or alias)
};
FactVerdict CompareFacts(const FactView& a, const FactView& b);

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_FACTS_H_
