#include "pipeline/dedup_index.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <xxhash.h>

namespace newsevents {

namespace {

uint32_t Fold64(uint64_t v) { return static_cast<uint32_t>(v ^ (v >> 32)); }

// One event dated by its month only, the other to days inside that month
// ("In February" and "February 6 to 10"). Two months are not: that would
// join any two notes of one month about the same partners.
bool MonthHoldsDays(const DayRange& a, const DayRange& b) {
  const bool a_month = IsCalendarMonth(a), b_month = IsCalendarMonth(b);
  if (a_month == b_month) return false;
  const DayRange& month = a_month ? a : b;
  const DayRange& days = a_month ? b : a;
  return !days.empty() && month.first <= days.first && days.last <= month.last;
}

}  // namespace

const char* LinkKindName(LinkKind kind) {
  switch (kind) {
    case LinkKind::kNone: return "";
    case LinkKind::kExact: return "exact";
    case LinkKind::kNear: return "near";
    case LinkKind::kContainment: return "containment";
    case LinkKind::kDated: return "dated";
  }
  return "";
}

std::optional<LinkKind> ParseLinkKind(const std::string& name) {
  for (LinkKind k : {LinkKind::kNone, LinkKind::kExact, LinkKind::kNear, LinkKind::kContainment,
                     LinkKind::kDated})
    if (name == LinkKindName(k)) return k;
  return std::nullopt;
}

// Chunks of 4,096 entries of 16 bytes: a small fraction of a large index.
DedupIndex::DedupIndex(const DedupConfig& config)
    : config_(config),
      bins_(static_cast<size_t>(config.minhash.bins)),
      signature_words_((bins_ + 3) / 4),
      entries_(4096) {}

IndexCandidate DedupIndex::Prepare(const std::string& source_file, uint64_t fingerprint,
                                   MinHashSketch sketch, const StoryFacts& facts,
                                   std::optional<BlockKeys> block_keys) {
  IndexCandidate c;
  c.source = Fold64(XXH3_64bits(source_file.data(), source_file.size()));
  c.fingerprint = fingerprint;
  c.sketch = std::move(sketch);
  c.event = RangeOfIso(facts.event_start, facts.event_end);
  c.counts = CompactFacts(facts, interner_, &c.facts);
  c.block_keys = block_keys ? std::move(*block_keys) : BlockKeysOf(facts, config_);
  return c;
}

uint32_t DedupIndex::BandKey(const uint8_t* signature, int band) const {
  const size_t rows = static_cast<size_t>(config_.lsh_rows);
  return Fold64(XXH3_64bits_withSeed(signature + band * rows, rows, static_cast<uint64_t>(band)));
}

uint64_t DedupIndex::SpilledAt(uint32_t item) const {
  return uint64_t{entries_[item].spilled} * kSpillAlign;
}

DedupIndex::Keys DedupIndex::ReadKeys(uint32_t item) const {
  uint32_t w[kKeyWords];
  cold_.Read(SpilledAt(item), kKeyWords, w);
  Keys k;
  k.id = w[0] | static_cast<uint64_t>(w[1]) << 32;
  k.fingerprint = w[2] | static_cast<uint64_t>(w[3]) << 32;
  return k;
}

DedupIndex::Cold DedupIndex::ReadCold(uint32_t item, std::vector<uint32_t>* words) const {
  const uint64_t begin = SpilledAt(item) + kKeyWords;
  const uint64_t end = item + 1 < size() ? SpilledAt(item + 1) : cold_.size();
  const size_t n = static_cast<size_t>(end - begin);  // the fact lists end in up to 3 zeros
  words->resize(n);
  cold_.Read(begin, n, words->data());
  const uint32_t* w = words->data();
  Cold c;
  c.shingles = w[0];
  c.source = w[1];
  c.counts = {static_cast<uint8_t>(w[2]), static_cast<uint8_t>(w[2] >> 8),
              static_cast<uint8_t>(w[2] >> 16), static_cast<uint8_t>(w[2] >> 24),
              static_cast<uint8_t>(w[3])};
  c.signature = reinterpret_cast<const uint8_t*>(w + 4);
  c.facts = w + 4 + signature_words_;
  return c;
}

std::optional<uint32_t> DedupIndex::FindId(uint64_t id) const {
  std::optional<uint32_t> found;
  by_id_.ForEach(Fold64(id), [&](uint32_t item) {
    if ((!found || item < *found) && ReadKeys(item).id == id) found = item;
  });
  return found;
}

LinkKind DedupIndex::Judge(const IndexCandidate& c, const FactView& facts, uint32_t item,
                           double* jaccard) const {
  // Event dates that cannot be the same days contradict (CompareFacts) and
  // rule out every link; they are in memory, so most candidates of
  // templated text are turned down before their cold part is read.
  const Entry& entry = entries_[item];
  if (!facts.event.empty() && !entry.event.empty() &&
      (facts.event.last < entry.event.first || entry.event.last < facts.event.first))
    return LinkKind::kNone;
  const Cold e = ReadCold(item, &cold_words_);
  const double j = EstimateJaccard(c.sketch.signature.data(), e.signature,
                                   static_cast<int>(bins_));
  *jaccard = j;
  const double containment = ContainmentFromJaccard(j, c.sketch.shingles, e.shingles);
  const bool near = j >= config_.near_jaccard;
  const bool contained = containment >= config_.containment &&
                         std::min(c.sketch.shingles, e.shingles) >=
                             static_cast<uint32_t>(config_.containment_min_shingles);
  const bool dated_text = j >= config_.dated_jaccard;
  if (!near && !contained && !dated_text) return LinkKind::kNone;  // facts not needed
  // Two items of one file are two stories to whoever cut the file into
  // items; only a close copy overrules that.
  if (!near && config_.weak_links_across_files_only && c.source == e.source) return LinkKind::kNone;

  const FactVerdict v = CompareFacts(facts, ViewFacts(entry.event, e.facts, e.counts));
  if (v.contradiction) return LinkKind::kNone;
  if (near) return LinkKind::kNear;
  // One organization in common proves little (the newsletter's own is in
  // every item); a day, a specific place, or several organizations do.
  if (contained && (v.same_day || v.shared_places > 0)) return LinkKind::kContainment;
  const int shared = v.shared_organizations + v.shared_places;
  if (dated_text && v.same_day && shared >= config_.min_shared_entities) return LinkKind::kDated;
  if (dated_text && config_.month_min_shared_entities > 0 &&
      shared >= config_.month_min_shared_entities && MonthHoldsDays(facts.event, entry.event))
    return LinkKind::kDated;
  return LinkKind::kNone;
}

FirstTelling DedupIndex::Find(const IndexCandidate& c) const {
  FirstTelling best;
  // Exact repeat: same fingerprint; the earliest such item leads to the
  // first telling. A text without a word (an empty item) repeats nothing.
  if (c.sketch.shingles == 0) return best;
  // The full fingerprint is in the spill file: read only for an item that
  // would be earlier than the best so far.
  by_fingerprint_.ForEach(Fold64(c.fingerprint), [&](uint32_t item) {
    if (best.via != FirstTelling::kNone && item > best.via) return;
    if (ReadKeys(item).fingerprint != c.fingerprint) return;
    best.via = item;
    best.item = entries_[item].first();
    best.kind = LinkKind::kExact;
    best.jaccard = 1;
  });
  if (best.found()) return best;
  if (c.sketch.shingles < static_cast<uint32_t>(config_.min_shingles)) return best;

  // Near repeats: LSH bands and shared days propose, Judge decides.
  // A key that holds its maximum of items is saturated (boilerplate, see
  // Add) and proposes none: that bounds the candidates of an item.
  std::vector<uint32_t>& candidates = candidates_scratch_;
  std::vector<uint32_t>& block = block_scratch_;
  candidates.clear();
  const uint8_t* signature = c.sketch.signature.data();
  for (int band = 0; band < config_.lsh_bands; ++band) {
    block.clear();
    by_band_.ForEach(BandKey(signature, band), [&](uint32_t item) { block.push_back(item); });
    if (block.size() < static_cast<size_t>(config_.max_items_per_band))
      candidates.insert(candidates.end(), block.begin(), block.end());
  }
  // A month item's month keys meet other items of its month too: a
  // containment (a specific place in common) that the bands missed.
  for (const std::vector<uint32_t>* keys : {&c.block_keys.days, &c.block_keys.months}) {
    for (uint32_t key : *keys) {
      block.clear();
      by_block_.ForEach(key, [&](uint32_t item) { block.push_back(item); });
      if (block.size() < static_cast<size_t>(config_.max_items_per_key))  // else saturated
        candidates.insert(candidates.end(), block.begin(), block.end());
    }
  }
  // Probed keys serve rule `dated` for a month and a day inside it only, so
  // an item they meet is judged only if it is dated so, and if it met
  // enough of them: the pair needs month_min_shared_entities names in
  // common, and the keys of one day either met the item or were saturated
  // (in a drop of one organization, its own name is on every item of a busy
  // day). Counted day by day: a saturated key of one day says nothing of
  // another's items.
  if (!c.block_keys.probed.empty()) {
    std::vector<uint32_t>& met = met_scratch_;
    auto probe = [&](const uint32_t* keys, size_t n) {
      met.clear();
      int saturated = 0;
      for (size_t k = 0; k < n; ++k) {
        block.clear();
        by_block_.ForEach(keys[k], [&](uint32_t item) { block.push_back(item); });
        if (block.size() < static_cast<size_t>(config_.max_items_per_key))
          met.insert(met.end(), block.begin(), block.end());
        else
          ++saturated;
      }
      std::sort(met.begin(), met.end());
      const int needed = config_.month_min_shared_entities - saturated;
      for (size_t i = 0, j = 0; i < met.size(); i = j) {
        while (j < met.size() && met[j] == met[i]) ++j;
        if (static_cast<int>(j - i) >= needed && MonthHoldsDays(c.event, entries_[met[i]].event))
          candidates.push_back(met[i]);
      }
    };
    const BlockKeys& keys = c.block_keys;
    const auto month = days_of_month_.find(keys.month);
    const uint32_t seen = month == days_of_month_.end() ? 0 : month->second;
    if (keys.names_per_day > 0) {
      // Only the days of the month some item was stored under.
      for (uint32_t mask = seen & ~kMonthItemBit; mask != 0; mask &= mask - 1) {
        const size_t at = static_cast<size_t>(__builtin_ctz(mask)) * keys.names_per_day;
        if (at + keys.names_per_day <= keys.probed.size())
          probe(keys.probed.data() + at, keys.names_per_day);
      }
    } else if (seen & kMonthItemBit) {  // a day item: its month's keys, if any month item has them
      probe(keys.probed.data(), keys.probed.size());
    }
  }
  const FactView facts = ViewFacts(c.event, c.facts.data(), c.counts);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  best.candidates = static_cast<uint32_t>(candidates.size());

  // Candidates are scattered over the whole index; asking for the entry of
  // a candidate a few places ahead overlaps the cache misses.
  constexpr size_t kAhead = 6;
  for (size_t k = 0; k < candidates.size(); ++k) {
    if (k + kAhead < candidates.size()) __builtin_prefetch(&entries_[candidates[k + kAhead]]);
    const uint32_t item = candidates[k];
    const uint32_t first = entries_[item].first();
    // A match can only improve on the best if it leads to an earlier first
    // telling; candidates ascend, so ties keep the earliest match.
    if (best.found() && first >= best.item) continue;
    double j = 0;
    const LinkKind kind = Judge(c, facts, item, &j);
    if (kind == LinkKind::kNone) continue;
    best.item = first;
    best.kind = kind;
    best.via = item;
    best.jaccard = j;
  }
  return best;
}

uint32_t DedupIndex::Add(const IndexCandidate& c, uint64_t id, const FirstTelling& first) {
  const uint32_t item = static_cast<uint32_t>(size());
  if (item >= PackedMultiMap::kValueLimit)
    throw std::length_error("de-duplication index: more than 2^26 (67 million) items");
  const LinkKind link = first.found() ? first.kind : LinkKind::kNone;
  Entry e{};
  e.event = c.event;
  e.first_link = (first.found() ? first.item : item) | static_cast<uint32_t>(link) << kItemBits;
  // Every item's id and fingerprint go to the spill file; only an item the
  // bands or blocking keys can propose is ever judged (below), so only its
  // words for judging (Cold) follow them.
  const bool candidate = link != LinkKind::kExact &&
                         c.sketch.shingles >= static_cast<uint32_t>(config_.min_shingles);
  std::vector<uint32_t> words = {static_cast<uint32_t>(id), static_cast<uint32_t>(id >> 32),
                                 static_cast<uint32_t>(c.fingerprint),
                                 static_cast<uint32_t>(c.fingerprint >> 32)};
  if (candidate) {
    // A stored signature of the wrong size is cut or padded with zeros.
    words.resize(kKeyWords + 4 + signature_words_, 0);
    uint32_t* w = words.data() + kKeyWords;
    w[0] = c.sketch.shingles;
    w[1] = c.source;
    w[2] = c.counts.days | c.counts.specific_places << 8 | c.counts.countries << 16 |
           static_cast<uint32_t>(c.counts.organizations) << 24;
    w[3] = c.counts.organizers;
    std::memcpy(w + 4, c.sketch.signature.data(), std::min(bins_, c.sketch.signature.size()));
    words.insert(words.end(), c.facts.begin(), c.facts.end());
  }
  words.resize((words.size() + kSpillAlign - 1) / kSpillAlign * kSpillAlign, 0);
  const uint64_t at = cold_.Append(words.data(), words.size()) / kSpillAlign;
  if (at > UINT32_MAX) throw std::length_error("de-duplication index: spill file beyond 64 GB");
  e.spilled = static_cast<uint32_t>(at);
  entries_.push_back(e);
  by_id_.Insert(Fold64(id), item);

  // An exact repeat adds nothing a lookup could use: its text, signature
  // and facts lead to its first telling already.
  if (link == LinkKind::kExact) return item;
  by_fingerprint_.Insert(Fold64(c.fingerprint), item);
  if (!candidate) return item;
  // A band key or blocking key met by its maximum of items takes no more:
  // a band shared by that many texts is boilerplate (a masthead, a sentence
  // of a template), a day and organization that many items have is the
  // newsletter's own on a busy day. Neither tells one story from another.
  auto insert_bounded = [](PackedMultiMap& map, uint32_t key, uint32_t item, int max_items) {
    size_t count = 0;
    map.ForEach(key, [&](uint32_t) { ++count; });
    if (count < static_cast<size_t>(max_items)) map.Insert(key, item);
  };
  const uint8_t* signature = reinterpret_cast<const uint8_t*>(words.data() + kKeyWords + 4);
  for (int band = 0; band < config_.lsh_bands; ++band)
    insert_bounded(by_band_, BandKey(signature, band), item, config_.max_items_per_band);
  for (const std::vector<uint32_t>* keys : {&c.block_keys.days, &c.block_keys.months})
    for (uint32_t key : *keys) insert_bounded(by_block_, key, item, config_.max_items_per_key);
  // The days its keys were stored under (its first days: a superset), for
  // the month items that look them up.
  if (!c.block_keys.months.empty()) days_of_month_[c.block_keys.month] |= kMonthItemBit;
  if (config_.month_min_shared_entities > 0 && !c.block_keys.days.empty()) {
    const FactView facts = ViewFacts(c.event, c.facts.data(), c.counts);
    for (uint32_t day : facts.days) {
      int year = 0, month = 0, day_of_month = 0;
      DayToCivil(static_cast<int32_t>(day), &year, &month, &day_of_month);
      days_of_month_[year * 12 + month - 1] |= uint32_t{1} << (day_of_month - 1);
    }
  }
  return item;
}

size_t DedupIndex::SpilledBytes() const {
  return cold_.spilled_words() * sizeof(uint32_t);
}

size_t DedupIndex::MemoryBytes() const {
  return entries_.MemoryBytes() + cold_.MemoryBytes() + interner_.MemoryBytes() +
         by_fingerprint_.MemoryBytes() + by_id_.MemoryBytes() + by_band_.MemoryBytes() +
         by_block_.MemoryBytes() +
         days_of_month_.bucket_count() * sizeof(void*) +
         days_of_month_.size() * (sizeof(std::pair<const int32_t, uint32_t>) + 2 * sizeof(void*));
}

}  // namespace newsevents
