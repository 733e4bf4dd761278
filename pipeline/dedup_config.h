// DedupConfig: the thresholds of the de-duplicator, read from
// models/dedup/dedup.conf (rule-file format, pipeline/rule_file.h). Each value
// is explained next to it in that file.
#ifndef NEWSEVENTS_DEDUP_CONFIG_H_
#define NEWSEVENTS_DEDUP_CONFIG_H_

#include <string>
#include <vector>

#include "pipeline/minhash.h"

namespace newsevents {

struct DedupConfig {
  // How texts are sketched. A state file records these and refuses to be
  // used with others (its stored signatures would no longer compare).
  MinHashParams minhash;
  // How sketches are looked up; free to change between runs.
  int lsh_bands = 10;
  int lsh_rows = 4;
  // A band key met by this many items is saturated (boilerplate that many
  // texts share): it takes no more items and proposes none, like a blocking
  // key below. Without a bound, templated text makes every new item examine
  // more candidates than the one before.
  int max_items_per_band = 64;
  int min_shingles = 8;  // shorter texts are only ever exact repeats

  // Near repeat: estimated Jaccard similarity of shingle sets, no fact
  // contradicting.
  double near_jaccard = 0.85;

  // Short retelling inside a longer text: estimated share of the smaller
  // shingle set found in the larger, with a day or a specific place in
  // common.
  double containment = 0.85;
  int containment_min_shingles = 20;

  // Reworded retelling anchored by its facts: same calendar day, at least
  // `min_shared_entities` organizations and specific places in common, and
  // a lower text similarity.
  double dated_jaccard = 0.10;
  int min_shared_entities = 2;
  // An item dated by its month only ("In February, ..."), as yearly archives
  // retell, stands for any day of that month: it may retell an item dated to
  // a day (or days) inside it, under the same conditions but with this many
  // organizations and specific places in common (a month is weaker evidence
  // than a day). 0: such items are only linked by a day they mention.
  int month_min_shared_entities = 3;
  // Candidates for it come from blocking keys (day, organization or place):
  // the first `max_days_per_item` days of an item (event date first) times
  // its organizations' names and aliases and its specific places, at most
  // `max_keys_per_item` keys. A key met by `max_items_per_key` items is
  // saturated (a busy day of the newsletter's own organization): it takes
  // no more items and proposes none.
  int max_days_per_item = 3;
  int max_keys_per_item = 16;
  int max_items_per_key = 32;

  // Containment and dated links (weak text evidence) only join items of
  // different files.
  bool weak_links_across_files_only = true;

  // Place kinds too broad to tell two events apart ("Canada", "Latin
  // America"); they are compared through their country codes only.
  std::vector<std::string> broad_place_kinds = {"country", "world_region"};

  // The sketch parameters as one string, stored in the state file.
  std::string SketchKey() const;
};

// Loads `path`. Throws ConfigError (file, line) on unknown blocks or keys,
// missing keys, or values out of range.
DedupConfig LoadDedupConfig(const std::string& path);

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_CONFIG_H_
