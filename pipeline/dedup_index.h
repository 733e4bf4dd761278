// DedupIndex: every item remembered so far (earlier runs and this one) and
// the lookups that find the first telling of a new item's story.
//
// Items are numbered in the order they were added (item number = seq - 1 of
// the state file). In memory the index keeps for each its event dates, the
// number of its first telling and where its cold part starts (16 bytes);
// the rest goes to a SpillStore, a temporary file read back with pread: the
// 64-bit id and text fingerprint (read only when a hashed lookup of them hits,
// or to print a link's target), and what only judging a candidate needs
// (MinHash signature, shingle count, file, compact facts: about 220 bytes),
// read after the event dates in memory have not already ruled it out.
// Multimaps of about 5 bytes a pair (packed_multimap.h) lead to
// candidates: text fingerprint -> item, LSH band key -> item, and blocking
// key (day, organization or place) -> item. A band or blocking key takes a bounded number of items, so the
// candidates of an item are bounded however large the index.
//
// Decisions depend only on what the index holds, never on the text of
// earlier items, so an item judged against an index loaded from a state file
// gets the same answer as in a single run over all the files. Candidates are
// examined in item-number order, so the answer does not depend on hash-table
// layout either.
#ifndef NEWSEVENTS_DEDUP_INDEX_H_
#define NEWSEVENTS_DEDUP_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/chunked_array.h"
#include "pipeline/dedup_block_keys.h"
#include "pipeline/dedup_config.h"
#include "pipeline/dedup_facts.h"
#include "pipeline/packed_multimap.h"
#include "pipeline/minhash.h"
#include "pipeline/spill_store.h"

namespace newsevents {

enum class LinkKind : uint8_t { kNone, kExact, kNear, kContainment, kDated };
const char* LinkKindName(LinkKind kind);  // "", "exact", "near", "containment", "dated"
std::optional<LinkKind> ParseLinkKind(const std::string& name);

// A new item, ready to be judged and added.
struct IndexCandidate {
  uint32_t source = 0;  // hash of the file name: weak links need two files
  uint64_t fingerprint = 0;
  MinHashSketch sketch;
  DayRange event;
  FactCounts counts;
  std::vector<uint32_t> facts;  // compact lists (CompactFacts)
  BlockKeys block_keys;
};

struct FirstTelling {
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  uint32_t item = kNone;  // item number of the first telling
  LinkKind kind = LinkKind::kNone;
  uint32_t via = kNone;   // the item the new one was matched with
  double jaccard = 0;     // estimated, with `via`
  uint32_t candidates = 0;  // items the lookups proposed (the cost of Find)
  bool found() const { return item != kNone; }
};

class DedupIndex {
 public:
  explicit DedupIndex(const DedupConfig& config);

  // Compacts an item's facts (interning its strings). `block_keys` are
  // BlockKeysOf(facts, config) when the caller made them already.
  IndexCandidate Prepare(const std::string& source_file, uint64_t fingerprint,
                         MinHashSketch sketch, const StoryFacts& facts,
                         std::optional<BlockKeys> block_keys = std::nullopt);

  // The first telling of the candidate's story among the items added so
  // far, or none. Not for two threads at once: it reads the spill file
  // through one scratch buffer (the de-duplicator judges serially).
  FirstTelling Find(const IndexCandidate& c) const;

  // Adds the candidate as item number size(); `first` is Find's answer (or,
  // for an item loaded from the state, the stored link). Returns its number.
  uint32_t Add(const IndexCandidate& c, uint64_t id, const FirstTelling& first);

  // The item holding this id, if any.
  std::optional<uint32_t> FindId(uint64_t id) const;
  uint64_t IdOf(uint32_t item) const { return ReadKeys(item).id; }
  uint32_t FirstTellingOf(uint32_t item) const { return entries_[item].first(); }
  LinkKind LinkOf(uint32_t item) const { return entries_[item].link(); }

  size_t size() const { return entries_.end(); }
  // Bytes held by the index in memory (capacities, not just sizes); the
  // spilled part is in SpilledBytes.
  size_t MemoryBytes() const;
  size_t SpilledBytes() const;

 private:
  // Item numbers take kItemBits bits (the multimaps hold no more), so an
  // entry's link fits beside its first telling.
  static constexpr int kItemBits = 26;
  static_assert(PackedMultiMap::kValueLimit == uint32_t{1} << kItemBits);
  // An item's words in cold_ start at a multiple of kSpillAlign words, so
  // 32 bits say where (64 GB of spill file); they end where the next item's
  // start (or at the end of cold_): no length kept in memory.
  static constexpr size_t kSpillAlign = 4;
  struct Entry {
    DayRange event;
    uint32_t spilled;     // its words in cold_ / kSpillAlign: Keys, then (if it can be a candidate) Cold
    uint32_t first_link;  // item number of the first telling (itself for an original), LinkKind above
    uint32_t first() const { return first_link & ((uint32_t{1} << kItemBits) - 1); }
    LinkKind link() const { return static_cast<LinkKind>(first_link >> kItemBits); }
  };
  // The first kKeyWords words of every item in cold_: [id (2 words),
  // fingerprint (2 words)], low word first. 16 bytes an item out of memory:
  // 18 MB at a million items, for a pread where a 32-bit hash of them hits.
  static constexpr size_t kKeyWords = 4;
  struct Keys {
    uint64_t id = 0;
    uint64_t fingerprint = 0;
  };
  // What only judging needs, read back from cold_ after the keys: words
  // [shingles, source, counts (2 words), signature (bins_ bytes, padded to
  // whole words), fact lists (CompactFacts), zeros up to kSpillAlign].
  struct Cold {
    uint32_t shingles = 0;
    uint32_t source = 0;
    FactCounts counts;
    const uint8_t* signature = nullptr;
    const uint32_t* facts = nullptr;
  };

  uint32_t BandKey(const uint8_t* signature, int band) const;
  Keys ReadKeys(uint32_t item) const;
  uint64_t SpilledAt(uint32_t item) const;  // in words
  // Reads item's cold words into *words (which the result points into).
  Cold ReadCold(uint32_t item, std::vector<uint32_t>* words) const;
  // Which rule, if any, makes `item` a telling of the candidate's story.
  LinkKind Judge(const IndexCandidate& c, const FactView& facts, uint32_t item,
                 double* jaccard) const;

  DedupConfig config_;
  size_t bins_;
  size_t signature_words_;
  // Chunked (chunked_array.h): a doubling vector of a million entries would
  // need its 40 MB twice over while it grows.
  ChunkedArray<Entry> entries_;
  SpillStore cold_;
  mutable std::vector<uint32_t> cold_words_;  // scratch for ReadCold
  mutable std::vector<uint32_t> met_scratch_;  // scratch for Find: items met by probed keys
  mutable std::vector<uint32_t> candidates_scratch_;  // scratch for Find: items to judge
  mutable std::vector<uint32_t> block_scratch_;  // scratch for Find: the items of one key
  // year * 12 + month - 1 -> a bit for each day of it some item's keys were
  // stored under (bit 0: the 1st), and kMonthItemBit if a month item's were:
  // which probed keys can meet anything.
  static constexpr uint32_t kMonthItemBit = uint32_t{1} << 31;
  std::unordered_map<int32_t, uint32_t> days_of_month_;
  FactInterner interner_;
  PackedMultiMap by_fingerprint_;
  PackedMultiMap by_id_;
  PackedMultiMap by_band_;
  PackedMultiMap by_block_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_INDEX_H_
