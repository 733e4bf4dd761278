#include "pipeline/dedup_block_keys.h"

#include <algorithm>
#include <string>
#include <string_view>

#include <xxhash.h>

namespace newsevents {

namespace {

uint64_t HashOf(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// The key of (period, name) from the two strings' hashes: each string is
// hashed once however many keys it is part of (a month item probes every day
// of its month with each name). Strings, not interned ids, so a key means the
// same in every run and needs no index.
uint32_t KeyOf(uint64_t period_hash, uint64_t name_hash) {
  uint64_t k = period_hash ^ (name_hash * 0x9E3779B97F4A7C15ull);
  k ^= k >> 33;  // MurmurHash3's fmix64: every input bit reaches every output bit
  k *= 0xFF51AFD7ED558CCDull;
  k ^= k >> 33;
  k *= 0xC4CEB9FE1A85EC53ull;
  k ^= k >> 33;
  return static_cast<uint32_t>(k ^ (k >> 32));
}

void SortUnique(std::vector<uint32_t>* keys) {
  std::sort(keys->begin(), keys->end());
  keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

// "YYYY-MM" of an event dated by its month only (a month range is not one).
bool IsMonthOnly(const StoryFacts& facts) {
  return facts.event_start.size() == 7 &&
         (facts.event_end.empty() || facts.event_end == facts.event_start) &&
         IsCalendarMonth(RangeOfIso(facts.event_start, ""));
}

}  // namespace

uint32_t BlockKey(std::string_view period, std::string_view name) {
  return KeyOf(HashOf(period), HashOf(name));
}

int32_t MonthOfDay(int32_t day_number) {
  int year = 0, month = 0, day = 0;
  DayToCivil(day_number, &year, &month, &day);
  return year * 12 + month - 1;
}

BlockKeys BlockKeysOf(const StoryFacts& facts, const DedupConfig& config) {
  const size_t max_keys = static_cast<size_t>(config.max_keys_per_item);
  // Hashed, each once: organizations' names and aliases, then specific
  // places. Once, so that a probed key stands for one (period, name) and a
  // candidate's count of probed keys met counts names in common.
  thread_local std::vector<uint64_t> names;  // no allocation per item
  names.clear();
  // No key uses more than the first max_keys of them.
  auto add_name = [&](const std::string& name) {
    if (names.size() >= max_keys) return;
    const uint64_t h = HashOf(name);
    if (std::find(names.begin(), names.end(), h) == names.end()) names.push_back(h);
  };
  for (const std::vector<std::string>& org : facts.organizations)
    for (const std::string& name : org) add_name(name);
  for (const std::string& p : facts.specific_places) add_name(p);

  BlockKeys keys;
  const size_t days = std::min(facts.days.size(), static_cast<size_t>(config.max_days_per_item));
  // Each list sized once (push_back from empty grows a list four or five
  // times for an item's keys).
  keys.days.reserve(std::min(days * names.size(), max_keys));
  for (size_t d = 0; d < days && keys.days.size() < max_keys; ++d) {
    const uint64_t day = HashOf(facts.days[d]);
    for (size_t i = 0; i < names.size() && keys.days.size() < max_keys; ++i)
      keys.days.push_back(KeyOf(day, names[i]));
  }

  // A month meets a day inside it through the names of each: the month item
  // is stored under its month, the day item under its days (above), and each
  // looks up the other's. Both list their first max_keys names (a day item's
  // first day has them all).
  if (config.month_min_shared_entities > 0 && !names.empty()) {
    const size_t listed = std::min(names.size(), max_keys);
    if (IsMonthOnly(facts)) {
      const std::string_view month = facts.event_start;
      const uint64_t month_hash = HashOf(month);
      keys.months.reserve(listed);
      for (size_t i = 0; i < listed; ++i) keys.months.push_back(KeyOf(month_hash, names[i]));
      const DayRange range = RangeOfIso(month, "");
      keys.month = MonthOfDay(range.first);
      keys.names_per_day = static_cast<uint32_t>(listed);
      keys.probed.reserve(static_cast<size_t>(range.last - range.first + 1) * listed);
      std::string day(month);
      day += "-00";
      for (int32_t d = 1; d <= range.last - range.first + 1; ++d) {
        day[8] = static_cast<char>('0' + d / 10);
        day[9] = static_cast<char>('0' + d % 10);
        const uint64_t day_hash = HashOf(day);
        for (size_t i = 0; i < listed; ++i) keys.probed.push_back(KeyOf(day_hash, names[i]));
      }
    } else if (DayNumber(facts.event_start) != 0) {
      const uint64_t month_hash = HashOf(std::string_view(facts.event_start).substr(0, 7));
      keys.month = MonthOfDay(DayNumber(facts.event_start));
      keys.probed.reserve(listed);
      for (size_t i = 0; i < listed; ++i) keys.probed.push_back(KeyOf(month_hash, names[i]));
    }
  }
  SortUnique(&keys.days);
  SortUnique(&keys.months);
  return keys;
}

}  // namespace newsevents
