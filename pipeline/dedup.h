// Deduplicator: links each news item that retells a story already told — in
// this drop or in an earlier one — to its first telling (Item::duplicate_of),
// and makes record ids unique.
//
// A story is retold when the item's text is the same (folded, whitespace-
// collapsed), or when it reads alike (MinHash of word shingles, banded for
// lookup) and its facts do not disagree (dates, places, organizers), or when
// it is worded differently but tells of the same day with the same actors.
// Thresholds are in models/dedup/dedup.conf; the index is pipeline/
// dedup_index.h, the state file pipeline/dedup_state.h.
//
// Unlike the stages, a Deduplicator has memory: the pipeline calls Process
// serially, in document name order, after every stage ran on the document.
// Processing the files of a drop one run at a time with a state file gives
// the same ids and links as one run over all of them.
//
//   Deduplicator dedup(options, "state.db");
//   for (Document& doc : docs) { auto seen = dedup.Process(doc); ... }
//   // ... write and rename the output ...
//   dedup.Commit();  // only now does state.db change
//
// What it judges of an item is its StoryKey (dedup_key.h), which depends on
// the item's own document only: KeyOf may run anywhere, Process(StoryKey)
// must see the keys in order. `newsevents extract --shard` computes keys,
// `newsevents dedup` judges them (pipeline/shard.h).
#ifndef NEWSEVENTS_DEDUP_H_
#define NEWSEVENTS_DEDUP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/dedup_config.h"
#include "pipeline/dedup_index.h"
#include "pipeline/dedup_key.h"
#include "pipeline/dedup_state.h"
#include "pipeline/document.h"
#include "pipeline/minhash.h"
#include "pipeline/stage.h"

namespace newsevents {

class Deduplicator {
 public:
  // state_path "" keeps everything in memory. Loads thresholds from
  // options.root + "/models/dedup/dedup.conf" (ConfigError on bad lines) and
  // the state's schema from models/dedup/state.sql; loads the state file if
  // it exists (StateError if it cannot be used).
  Deduplicator(const StageOptions& options, const std::string& state_path);
  ~Deduplicator();

  // For each item of doc, in order: makes item.id unique (an exact repeat
  // of an earlier item gets an id derived from the first one's id, the file
  // name and the item index), sets item.duplicate_of to the id of the first
  // telling ("" if none), and remembers the item. An item left empty-id by
  // the caller gets "ev-" + 16 hex digits of XXH3-64 over its folded,
  // whitespace-collapsed text. Returns, per item, whether an earlier
  // (committed) run already recorded this very item (same file name, index
  // and text); such an item gets back its recorded id and duplicate_of.
  std::vector<bool> Process(Document& doc);
  // The same with the items' keys already made (KeyOf, one per item, in
  // item order), so that the costly part (folding, sketching) runs in
  // parallel and only the judging is serial.
  std::vector<bool> Process(Document& doc, std::vector<StoryKey> keys);
  // The same leaving the keys to the caller to free (their sketches and
  // blocking keys are taken): freeing a key's strings and lists is a tenth
  // of judging it, and extract frees them outside its serial sink.
  std::vector<bool> Process(Document& doc, std::vector<StoryKey>* keys);

  // The key of one item (thread-safe; see StoryKeyMaker::KeyOf).
  StoryKey KeyOf(const Document& doc, const Item& item) const { return keys_.KeyOf(doc, item); }
  // What keys depend on (Settings()): keys made with other settings must
  // not be judged.
  const StoryKeyMaker& key_maker() const { return keys_; }

  // The judgement of one item, given as its key, keys in document order and
  // item order: Process(Document&) is KeyOf and this for each item.
  struct Verdict {
    std::string id;            // unique record id
    std::string duplicate_of;  // id of the first telling, "" if none
    bool seen = false;         // recorded by an earlier run (see above)
    LinkKind link = LinkKind::kNone;
  };
  // Throws std::invalid_argument for an id that is not "ev-" + 16 hex digits.
  Verdict Process(StoryKey key) { return Judge(key); }

  // Makes this run's new items durable: one SQLite transaction. Nothing is
  // written before. Throws StateError if another run committed to the same
  // file meanwhile (nothing is written then). No-op without a state file.
  void Commit();

  struct Stats {
    size_t items = 0;        // items processed this run
    size_t seen = 0;         // of which recorded by an earlier run
    size_t exact = 0;        // new items linked as exact repeats
    size_t near = 0;         // ... as near repeats (near + containment)
    size_t dated = 0;        // ... as retellings anchored by their date
    size_t candidates = 0;   // items proposed by the index to this run's new items
    size_t indexed = 0;      // items in the index (all runs)
    size_t index_bytes = 0;  // memory held by the index
    size_t spilled_bytes = 0;  // what the index keeps in its temporary file
  };
  Stats stats() const;

  // For tests: runs inside Commit's transaction after every row is written.
  void SetBeforeCommitHookForTesting(std::function<void()> hook) { before_commit_ = std::move(hook); }

 private:
  void LoadState();
  // Process(StoryKey), taking from `key` what it keeps (sketch, blocking
  // keys, file name) and leaving the rest.
  Verdict Judge(StoryKey& key);
  uint64_t UniqueId(uint64_t wanted, const StoryKey& key) const;

  DedupConfig config_;
  StoryKeyMaker keys_;
  DedupIndex index_;
  std::unique_ptr<DedupState> state_;
  std::string started_at_;
  int64_t committed_seq_ = 0;    // last seq in the state file as this run knows it
  int64_t loaded_last_seq_ = 0;  // last seq of the earlier runs (read at start)
  size_t loaded_items_ = 0;      // items of earlier runs in the index
  std::vector<StoredItem> pending_;
  // How many times this run met each (file, index, fingerprint) recorded by
  // an earlier run, so that two files of one name each get their own row.
  std::unordered_map<uint64_t, uint32_t> seen_times_;
  std::function<void()> before_commit_;
  Stats stats_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DEDUP_H_
