// FlatMultiMap: a multimap from 32-bit keys to 32-bit values (item numbers),
// stored as one flat open-addressing array of 8-byte slots.
//
// The de-duplication index keeps millions of (key, item) pairs: band keys of
// MinHash signatures, fingerprints, days. A node-based std::unordered_multimap
// spends ~50 bytes and one allocation per pair; this spends 8 bytes per slot
// at a load factor between 0.35 and 0.7, and never allocates per insert.
//
// Keys are hashes or dense numbers, so several distinct "real" keys may share
// one 32-bit key: callers verify what they find (a false match costs a check,
// never a wrong answer). Values of one key come back in no particular order;
// callers sort them when order matters (determinism).
#ifndef NEWSEVENTS_FLAT_MULTIMAP_H_
#define NEWSEVENTS_FLAT_MULTIMAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsevents {

class FlatMultiMap {
 public:
  FlatMultiMap() = default;

  void Insert(uint32_t key, uint32_t value) {
    if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
    Place(Stored(key), value);
    ++size_;
  }

  // Calls fn(value) for every value stored under `key`.
  template <typename Fn>
  void ForEach(uint32_t key, Fn&& fn) const {
    if (slots_.empty()) return;
    const uint32_t k = Stored(key);
    for (size_t i = Home(k);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == kEmpty) return;
      if (s.key == k) fn(s.value);
    }
  }

  // Calls fn(key, value) for every pair, in no particular order (a key 0
  // comes back as 1, see Stored).
  template <typename Fn>
  void ForEachPair(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.key != kEmpty) fn(s.key, s.value);
  }

  // Forgets every pair, keeping the slots for the next ones.
  void Clear() {
    std::fill(slots_.begin(), slots_.end(), Slot{kEmpty, 0});
    size_ = 0;
  }

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint32_t key;
    uint32_t value;
  };
  static constexpr uint32_t kEmpty = 0;

  // Key 0 marks an empty slot; it shares its slot key with 1 (a harmless
  // false match, see above).
  static uint32_t Stored(uint32_t key) { return key == kEmpty ? 1 : key; }

  // Dense keys (day numbers) would cluster under an identity hash; a
  // multiplicative mix spreads them over the table.
  size_t Home(uint32_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }

  void Place(uint32_t key, uint32_t value) {
    size_t i = Home(key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
    slots_[i] = {key, value};
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    const size_t capacity = old.empty() ? 64 : old.size() * 2;
    slots_.assign(capacity, Slot{kEmpty, 0});
    mask_ = capacity - 1;
    for (const Slot& s : old)
      if (s.key != kEmpty) Place(s.key, s.value);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_FLAT_MULTIMAP_H_
