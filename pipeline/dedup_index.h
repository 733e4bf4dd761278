// DedupIndex: every item remembered so far (earlier runs and this one) and
// the lookups that find the first telling of a new item's story.
//
// Items are numbered in the order they were added (item number = seq - 1 of
// the state file). For each the index keeps its id, text fingerprint,
// MinHash signature (in chunks of whole signatures), shingle count, compact
// facts, and the number of its first telling. Multimaps of 8-byte slots lead to
// candidates: text fingerprint -> item, LSH band key -> item, and blocking
// key (day, organization or place) -> item. About 490 bytes per item in all
// (bench/dedup_bench.cc). A band or blocking key takes a bounded number of
// items, so the candidates of an item are bounded however large the index.
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
#include <vector>

#include "pipeline/chunked_array.h"
#include "pipeline/dedup_config.h"
#include "pipeline/dedup_facts.h"
#include "pipeline/flat_multimap.h"
#include "pipeline/minhash.h"

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
  std::vector<uint32_t> block_keys;  // (day, organization or place) keys
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

  // Compacts an item's facts (interning its strings).
  IndexCandidate Prepare(const std::string& source_file, uint64_t fingerprint,
                         MinHashSketch sketch, const StoryFacts& facts);

  // The first telling of the candidate's story among the items added so
  // far, or none.
  FirstTelling Find(const IndexCandidate& c) const;

  // Adds the candidate as item number size(); `first` is Find's answer (or,
  // for an item loaded from the state, the stored link). Returns its number.
  uint32_t Add(const IndexCandidate& c, uint64_t id, const FirstTelling& first);

  // The item holding this id, if any.
  std::optional<uint32_t> FindId(uint64_t id) const;
  uint64_t IdOf(uint32_t item) const { return entries_[item].id; }
  uint32_t FirstTellingOf(uint32_t item) const { return entries_[item].first; }
  LinkKind LinkOf(uint32_t item) const { return entries_[item].link; }

  size_t size() const { return entries_.end(); }
  // Bytes held by the index (capacities, not just sizes).
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint64_t id;
    uint64_t fingerprint;
    uint32_t first;     // item number of the first telling (itself for an original)
    uint32_t shingles;
    DayRange event;
    uint32_t facts_at;  // offset of its lists in facts_
    uint32_t source;    // IndexCandidate::source
    FactCounts counts;
    LinkKind link;
  };

  uint32_t BandKey(const uint8_t* signature, int band) const;
  FactView ViewOf(uint32_t item) const;
  const uint8_t* SignatureOf(uint32_t item) const {
    return &signatures_[static_cast<size_t>(item) * bins_];
  }
  // Which rule, if any, makes `item` a telling of the candidate's story.
  LinkKind Judge(const IndexCandidate& c, const FactView& facts, uint32_t item,
                 double* jaccard) const;

  DedupConfig config_;
  size_t bins_;
  // Chunked (chunked_array.h): an index of a million items holds 300 MB
  // in these, which a doubling vector would need twice over while it grows.
  ChunkedArray<Entry> entries_;
  ChunkedArray<uint8_t> signatures_;  // bins_ bytes per item
  ChunkedArray<uint32_t> facts_;      // compact fact lists of every item
  FactInterner interner_;
  FlatMultiMap by_fingerprint_;
  FlatMultiMap by_id_;
  FlatMultiMap by_band_;
  FlatMultiMap by_block_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_INDEX_H_
