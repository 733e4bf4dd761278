// BlockKeys: the keys under which the de-duplicator finds the candidates of
// rule `dated` (a retelling in other words, anchored by when and who).
#ifndef NEWSEVENTS_DEDUP_BLOCK_KEYS_H_
#define NEWSEVENTS_DEDUP_BLOCK_KEYS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/dedup_config.h"
#include "pipeline/dedup_facts.h"

namespace newsevents {

// An item's keys for rule `dated`: (period, organization name or specific
// place), hashed. Stored in the index with the item and looked up: `days`,
// each of its first days (up to max_days_per_item) with each name and place,
// at most max_keys_per_item; and when month_min_shared_entities > 0, for an
// item dated by its month only, `months`, its month with each of its first
// max_keys_per_item names and places. Only looked up: `probed`, for that
// month item every day of its month with the same names, for an item whose
// event starts on a day its month's keys. So a month meets the days inside
// it whichever telling comes first, and nothing is stored for a day's month.
struct BlockKeys {
  std::vector<uint32_t> days;    // sorted, unique
  std::vector<uint32_t> months;  // sorted, unique
  std::vector<uint32_t> probed;
  // The month the probed keys are about (year * 12 + month - 1, MonthOfDay):
  // a month item's own, or the month of a day item's event. A month item's
  // probed keys come a day at a time from the 1st, `names_per_day` each (0
  // for a day item), so the index asks only for days some item was stored
  // under, and a day item asks only if a month item was stored under its month.
  int32_t month = -1;
  uint32_t names_per_day = 0;
  friend bool operator==(const BlockKeys&, const BlockKeys&) = default;
};

// The key of (period, name): a day ("2021-06-08") or a month ("2021-06")
// with a folded name or place, as StoryFacts hold them.
uint32_t BlockKey(std::string_view period, std::string_view name);

// year * 12 + month - 1 of a DayNumber: BlockKeys::month.
int32_t MonthOfDay(int32_t day_number);

// The blocking keys of an item's facts. They depend on the facts and the
// settings only, so story keys bring them made in parallel (StoryKey).
BlockKeys BlockKeysOf(const StoryFacts& facts, const DedupConfig& config);

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_BLOCK_KEYS_H_
