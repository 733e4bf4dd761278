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
  int lsh_bands = 12;
  int lsh_rows = 4;
  int min_shingles = 8;  // shorter texts are only ever exact repeats

  // Near repeat: estimated Jaccard similarity of shingle sets, no fact
  // contradicting.
  double near_jaccard = 0.85;

  // Short retelling inside a longer text: estimated share of the smaller
  // shingle set found in the larger, with a day or a specific place in
  // common.
  double containment = 0.85;
  int containment_min_shingles = 20;

  // Reworded retelling anchored by its facts: same calendar day, a shared
  // organization or place, and a lower text similarity.
  double dated_jaccard = 0.10;
  bool dated_needs_shared_entity = true;

  // Place kinds too broad to tell two events apart ("Canada", "Latin
  // America"); they are compared through their country codes only.
  std::vector<std::string> broad_place_kinds = {"country", "world_region"};
  // Cap on the calendar days indexed per item (a long chronology would
  // otherwise make every item with one of its days a candidate).
  int max_days_per_item = 8;

  // The sketch parameters as one string, stored in the state file.
  std::string SketchKey() const;
};

// Loads `path`. Throws ConfigError (file, line) on unknown blocks or keys,
// missing keys, or values out of range.
DedupConfig LoadDedupConfig(const std::string& path);

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_CONFIG_H_
