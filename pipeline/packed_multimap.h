// PackedMultiMap: a multimap from 32-bit keys to values below 2^26 (item
// numbers) for millions of pairs, at about 5 bytes a pair.
//
// The de-duplication index holds ~20 pairs per item (LSH bands, blocking
// keys, ids, fingerprints). In an open-addressing table (FlatMultiMap) each
// pair takes 8 bytes at a load of 0.35 to 0.7: 300 MB at a million items.
// Here most pairs are packed: sorted by key, with a directory of the top
// kDirectoryBits bits of the key giving each bucket's first pair, so a pair
// keeps only the rest of its key (14 bits) and its value (26 bits): the key
// bits and the value's low 18 bits in one 32-bit word, the value's high 8
// bits in a byte beside it (6 bytes a pair before session 4, a 16-bit key
// rest and a 32-bit value: 20 MB more at 1.1 M items). 2^26 values are 67
// million items, more than one machine's index holds (README, "Where it
// stops scaling"); a larger value is refused (std::length_error). New pairs
// go to a small FlatMultiMap (8 bytes a slot, at most 0.7 full); when it
// holds a sixty-fourth of the packed ones it is merged in, in place from the
// end (the packed arrays are chunked and grow without moving: no second copy
// while merging). The merges move each pair about 65 times over a run, in
// runs of some 64 pairs between two new ones (one memmove a run): 20 million
// random pairs take 2.3 CPU-s to insert (4.5 when merging placed pair by
// pair and sorted the new pairs with std::sort, session 8). Merging at a
// sixteenth would copy less, but holds 5 MB more at 10 million pairs (an
// eighth: 14 MB more at 1.1 M items of the index, session 3). The index is
// at its largest at the end of a run, where its peak memory is.
//
// Like FlatMultiMap, keys are hashes: callers verify what they find, and
// values of one key come back in no particular order.
#ifndef NEWSEVENTS_PACKED_MULTIMAP_H_
#define NEWSEVENTS_PACKED_MULTIMAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "pipeline/chunked_array.h"
#include "pipeline/flat_multimap.h"
#include "pipeline/radix_sort.h"

namespace newsevents {

class PackedMultiMap {
 public:
  static constexpr uint32_t kValueLimit = uint32_t{1} << 26;

  PackedMultiMap() : words_(kChunk), highs_(kChunk), directory_(kBuckets + 1, 0) {}

  void Insert(uint32_t key, uint32_t value) {
    if (value >= kValueLimit)
      throw std::length_error("PackedMultiMap: a value of 2^26 or more (67 million items)");
    recent_.Insert(key, value);
    if (recent_.size() >= std::max(kMinRecent, packed_ / 64)) Pack();
  }

  // Calls fn(value) for every value stored under `key`.
  template <typename Fn>
  void ForEach(uint32_t key, Fn&& fn) const {
    recent_.ForEach(key, fn);
    if (packed_ == 0) return;
    const uint32_t k = Stored(key);
    const uint32_t low = k & kLowMask;
    const size_t end = directory_[(k >> kLowBits) + 1];
    for (size_t i = FirstWithLowAtLeast(directory_[k >> kLowBits], end, low);
         i < end && (words_[i] >> kValueLowBits) == low; ++i)
      fn(static_cast<uint32_t>(highs_[i]) << kValueLowBits | (words_[i] & kValueLowMask));
  }

  size_t size() const { return packed_ + recent_.size(); }
  size_t MemoryBytes() const {
    return words_.MemoryBytes() + highs_.MemoryBytes() + directory_.capacity() * sizeof(uint32_t) +
           recent_.MemoryBytes();
  }

 private:
  static constexpr int kDirectoryBits = 18;
  static constexpr int kLowBits = 32 - kDirectoryBits;
  static constexpr uint32_t kLowMask = (1u << kLowBits) - 1;
  static constexpr int kValueLowBits = 32 - kLowBits;  // beside the key bits in a word
  static constexpr uint32_t kValueLowMask = (1u << kValueLowBits) - 1;
  static constexpr size_t kBuckets = size_t{1} << kDirectoryBits;
  static constexpr size_t kChunk = size_t{1} << 16;
  static constexpr size_t kMinRecent = size_t{1} << 16;

  // The first packed pair in [lo, hi), pairs of one bucket, whose key's low
  // bits are >= low (hi if none).
  size_t FirstWithLowAtLeast(size_t lo, size_t hi, uint32_t low) const {
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if ((words_[mid] >> kValueLowBits) < low) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // FlatMultiMap stores key 0 as 1; so does the packed part.
  static uint32_t Stored(uint32_t key) { return key == 0 ? 1 : key; }

  // Merges the recent pairs into the packed ones.
  void Pack() {
    // Each fresh pair as one number, key above value, sorted by key. Values
    // of one key stay in the table's order (ForEach promises none).
    std::vector<uint64_t> fresh;
    fresh.reserve(recent_.size());
    recent_.ForEachPair([&](uint32_t key, uint32_t value) {
      fresh.push_back(static_cast<uint64_t>(key) << 32 | value);
    });
    {
      std::vector<uint64_t> scratch;
      RadixSort(&fresh, 32, 32, &scratch);
    }
    recent_.Clear();
    auto key_of = [](uint64_t pair) { return static_cast<uint32_t>(pair >> 32); };

    const size_t old = packed_;
    for (size_t left = fresh.size(); left > 0;) {  // room for them, a chunk at a time
      const size_t n = std::min(left, kChunk - words_.end() % kChunk);
      words_.AppendRun(n);
      highs_.AppendRun(n);
      left -= n;
    }
    packed_ += fresh.size();
    // From the end, a fresh pair at a time (largest first): the old pairs of
    // larger keys not yet moved move up as one run, and the fresh pair goes
    // below them. A fresh pair lands among some 64 old ones (a sixty-fourth
    // are fresh), so the old pairs move in runs, not one by one: placing
    // pair by pair, comparing every old key, made merging a quarter of the
    // serial sink's instructions on a 50 MB drop. Old pairs [0, i) have not
    // moved, so the directory still finds them; an equal old key stays below.
    size_t i = old, k = packed_;
    for (size_t j = fresh.size(); j > 0; --j) {
      const uint32_t key = key_of(fresh[j - 1]);
      const size_t b = key >> kLowBits;
      const uint32_t low = key & kLowMask;
      // The first old pair of the bucket whose low bits are > low (no
      // stored low bits reach kLowMask + 1).
      const size_t lo = FirstWithLowAtLeast(std::min<size_t>(directory_[b], i),
                                            std::min<size_t>(directory_[b + 1], i), low + 1);
      const size_t moved = i - lo;
      if (moved > 0) {
        words_.MoveUp(lo, i, k - moved);
        highs_.MoveUp(lo, i, k - moved);
        k -= moved;
        i = lo;
      }
      --k;
      const uint32_t value = static_cast<uint32_t>(fresh[j - 1]);
      words_[k] = low << kValueLowBits | (value & kValueLowMask);
      highs_[k] = static_cast<uint8_t>(value >> kValueLowBits);
    }
    // Each bucket now starts later by the fresh pairs of earlier buckets.
    size_t added = 0, f = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      while (f < fresh.size() && (key_of(fresh[f]) >> kLowBits) < b) ++f, ++added;
      directory_[b] += static_cast<uint32_t>(added);
    }
  }

  FlatMultiMap recent_;
  // Packed pair p: words_[p] holds the key's low kLowBits bits (sorted within
  // a bucket) above the value's low kValueLowBits bits; highs_[p] the rest
  // of the value.
  ChunkedArray<uint32_t> words_;
  ChunkedArray<uint8_t> highs_;
  std::vector<uint32_t> directory_;  // bucket b: packed pairs [directory_[b], directory_[b + 1])
  size_t packed_ = 0;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PACKED_MULTIMAP_H_
