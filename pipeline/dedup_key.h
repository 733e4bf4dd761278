// StoryKey: everything the de-duplicator needs to know of one news item, and
// nothing more: its id candidate, where it is (file name, item index), the
// fingerprint of its normalized text, the MinHash sketch of that text, and
// the facts that confirm or refute a link (dedup_facts.h).
//
// A key depends only on its own document, so keys can be computed anywhere
// (any thread, any machine) and judged later, serially, by a Deduplicator.
// That split is what `newsevents extract --shard` / `newsevents dedup`
// build on: shards carry keys as JSON (StoryKeyToJson), the reduce judges
// them in order. Settings() names everything a key's bytes depend on, so a
// reduce can refuse keys made with other settings.
//
//   StoryKeyMaker maker(LoadDedupConfig(".../dedup.conf"));
//   StoryKey key = maker.KeyOf(doc, doc.items[0]);  // thread-safe
//   auto json = StoryKeyToJson(key);                 // ... and back:
//   StoryKey again = StoryKeyFromJson(json, maker.config().minhash.bins);
#ifndef NEWSEVENTS_DEDUP_KEY_H_
#define NEWSEVENTS_DEDUP_KEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/dedup_block_keys.h"
#include "pipeline/dedup_config.h"
#include "pipeline/dedup_facts.h"
#include "pipeline/document.h"
#include "pipeline/minhash.h"
#include "pipeline/story_text.h"  // the text a key is made of

namespace newsevents {

struct StoryKey {
  std::string id;           // id candidate: "ev-" + 16 hex digits (record.h ItemId)
  std::string source_file;  // file name, as in records
  uint64_t item_index = 0;  // the item's position in its file
  uint64_t fingerprint = 0; // XXH3-64 (seeded) of the normalized text
  MinHashSketch sketch;     // of the normalized text
  StoryFacts facts;
  // BlockKeysOf(facts, config), made by KeyOf in the parallel part so that
  // the serial judge need not; not in the key's JSON (a key read back from a
  // shard has none, and the index makes them). Derived: == ignores them.
  std::optional<BlockKeys> block_keys;

  friend bool operator==(const StoryKey& a, const StoryKey& b) {
    return a.id == b.id && a.source_file == b.source_file && a.item_index == b.item_index &&
           a.fingerprint == b.fingerprint && a.sketch.signature == b.sketch.signature &&
           a.sketch.shingles == b.sketch.shingles && a.facts == b.facts;
  }
};

class StoryKeyMaker {
 public:
  explicit StoryKeyMaker(const DedupConfig& config);

  // The key of one item of `doc`. An item with an empty id gets "ev-" + 16
  // hex digits of XXH3-64 over its normalized text (the pipeline's ItemId).
  // Const and thread-safe.
  StoryKey KeyOf(const Document& doc, const Item& item) const;

  // Everything a key's bytes depend on besides the document: the sketch
  // settings, the fact settings, the normalization and fingerprint scheme.
  std::string Settings() const;

  const DedupConfig& config() const { return config_; }

 private:
  DedupConfig config_;
  MinHasher hasher_;
};

// "ev-" + 16 lower-case hex digits, and back (nullopt for anything else).
std::string FormatItemId(uint64_t v);
std::optional<uint64_t> ParseItemId(const std::string& id);

// {"id","file","item","fingerprint" (16 hex digits),"shingles","signature"
// (hex, 2 digits per bin),"facts" (FactsToJson)}, in that order.
nlohmann::ordered_json StoryKeyToJson(const StoryKey& key);
// Throws std::runtime_error naming the field when `json` does not have
// StoryKeyToJson's shape or the signature is not `bins` bytes.
StoryKey StoryKeyFromJson(const nlohmann::ordered_json& json, int bins);

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_KEY_H_
