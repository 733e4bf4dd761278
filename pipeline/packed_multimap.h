// PackedMultiMap: a multimap from 32-bit keys to 32-bit values (item numbers)
// for millions of pairs, at about 6 bytes a pair.
//
// The de-duplication index holds ~20 pairs per item (LSH bands, blocking
// keys, ids, fingerprints). In an open-addressing table (FlatMultiMap) each
// pair takes 8 bytes at a load of 0.35 to 0.7: 300 MB at a million items.
// Here most pairs are packed: sorted by key, with a directory of the top
// kDirectoryBits bits of the key giving each bucket's first pair, so a pair
// keeps only the rest of its key (2 bytes) and its value (4 bytes). New pairs
// go to a small FlatMultiMap; when it holds a sixteenth of the packed ones
// it is merged in, in place from the end (the packed arrays are chunked and
// grow without moving: no second copy while merging). The merges copy each
// pair about 17 times over a run, a few seconds at a million items; an
// eighth would halve that and hold 14 MB more at 1.1 M items.
//
// Like FlatMultiMap, keys are hashes: callers verify what they find, and
// values of one key come back in no particular order.
#ifndef NEWSEVENTS_PACKED_MULTIMAP_H_
#define NEWSEVENTS_PACKED_MULTIMAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "pipeline/chunked_array.h"
#include "pipeline/flat_multimap.h"

namespace newsevents {

class PackedMultiMap {
 public:
  PackedMultiMap() : lows_(kChunk), values_(kChunk), directory_(kBuckets + 1, 0) {}

  void Insert(uint32_t key, uint32_t value) {
    recent_.Insert(key, value);
    if (recent_.size() >= std::max(kMinRecent, packed_ / 16)) Pack();
  }

  // Calls fn(value) for every value stored under `key`.
  template <typename Fn>
  void ForEach(uint32_t key, Fn&& fn) const {
    recent_.ForEach(key, fn);
    if (packed_ == 0) return;
    const uint32_t k = Stored(key);
    const uint16_t low = static_cast<uint16_t>(k & kLowMask);
    size_t lo = directory_[k >> kLowBits], hi = directory_[(k >> kLowBits) + 1];
    while (lo < hi) {  // first pair of the bucket whose low bits are >= low
      const size_t mid = lo + (hi - lo) / 2;
      if (lows_[mid] < low) lo = mid + 1;
      else hi = mid;
    }
    const size_t end = directory_[(k >> kLowBits) + 1];
    for (size_t i = lo; i < end && lows_[i] == low; ++i) fn(values_[i]);
  }

  size_t size() const { return packed_ + recent_.size(); }
  size_t MemoryBytes() const {
    return lows_.MemoryBytes() + values_.MemoryBytes() + directory_.capacity() * sizeof(uint32_t) +
           recent_.MemoryBytes();
  }

 private:
  static constexpr int kDirectoryBits = 18;
  static constexpr int kLowBits = 32 - kDirectoryBits;
  static constexpr uint32_t kLowMask = (1u << kLowBits) - 1;
  static constexpr size_t kBuckets = size_t{1} << kDirectoryBits;
  static constexpr size_t kChunk = size_t{1} << 16;
  static constexpr size_t kMinRecent = size_t{1} << 16;

  // FlatMultiMap stores key 0 as 1; so does the packed part.
  static uint32_t Stored(uint32_t key) { return key == 0 ? 1 : key; }

  // Merges the recent pairs into the packed ones.
  void Pack() {
    std::vector<std::pair<uint32_t, uint32_t>> fresh;
    fresh.reserve(recent_.size());
    recent_.ForEachPair([&](uint32_t key, uint32_t value) { fresh.emplace_back(key, value); });
    std::sort(fresh.begin(), fresh.end());
    recent_.Clear();

    const size_t old = packed_;
    for (size_t left = fresh.size(); left > 0;) {  // room for them, a chunk at a time
      const size_t n = std::min(left, kChunk - lows_.end() % kChunk);
      lows_.AppendRun(n);
      values_.AppendRun(n);
      left -= n;
    }
    packed_ += fresh.size();
    // From the end: the largest of the remaining old and fresh pairs goes to
    // the last free place. `bucket` is the bucket of old pair i - 1.
    size_t i = old, j = fresh.size(), k = packed_;
    size_t bucket = kBuckets - 1;
    while (j > 0) {
      while (i > 0 && directory_[bucket] >= i) --bucket;  // bucket of pair i - 1
      const uint64_t old_key =
          i > 0 ? (static_cast<uint64_t>(bucket) << kLowBits) | lows_[i - 1] : 0;
      const bool take_old = i > 0 && old_key > fresh[j - 1].first;
      --k;
      if (take_old) {
        lows_[k] = lows_[i - 1];
        values_[k] = values_[i - 1];
        --i;
      } else {
        lows_[k] = static_cast<uint16_t>(fresh[j - 1].first & kLowMask);
        values_[k] = fresh[j - 1].second;
        --j;
      }
    }
    // Each bucket now starts later by the fresh pairs of earlier buckets.
    size_t added = 0, f = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      while (f < fresh.size() && (fresh[f].first >> kLowBits) < b) ++f, ++added;
      directory_[b] += static_cast<uint32_t>(added);
    }
  }

  FlatMultiMap recent_;
  ChunkedArray<uint16_t> lows_;    // low bits of the packed keys, sorted within a bucket
  ChunkedArray<uint32_t> values_;  // their values
  std::vector<uint32_t> directory_;  // bucket b: packed pairs [directory_[b], directory_[b + 1])
  size_t packed_ = 0;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PACKED_MULTIMAP_H_
