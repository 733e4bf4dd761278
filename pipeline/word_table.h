// WordTable: words (folded) with a value each, found by the word and its
// WordHash in an open-addressing array: a probe or two and one compare per
// look-up. Name finders look up nearly every word of the text, and a token
// carries its hash (NameToken::hash), so the hash is not computed twice.
//
// Filled at load time (operator[]), read concurrently afterwards (Find).
#ifndef NEWSEVENTS_WORD_TABLE_H_
#define NEWSEVENTS_WORD_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsevents {

// 32-bit FNV-1a: cheap enough to compute while a word is folded.
inline uint32_t WordHash(std::string_view word) {
  uint32_t h = 2166136261u;
  for (char ch : word) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

// WordHash of a word without its last byte `last`, from the word's hash: each
// FNV-1a step is undone by the prime's inverse modulo 2^32, so a suffix
// dropped ("offices" -> "office") needs no second pass over the word.
inline uint32_t WordHashWithoutLast(uint32_t hash, char last) {
  constexpr uint32_t kPrimeInverse = 899433627u;  // 16777619 * 899433627 = 1 (mod 2^32)
  static_assert(uint32_t{16777619u} * kPrimeInverse == 1u);
  return (hash * kPrimeInverse) ^ static_cast<unsigned char>(last);
}

// Whether a word may be in a small set of words, from its WordHash alone: a
// bit per value of the hash's top 15 bits (4 KB). Most words looked up in a
// small table are not there; this says so before the table is probed (its
// slots are picked by the hash's low bits).
class WordHashFilter {
 public:
  void Add(uint32_t hash) {
    const uint32_t f = hash >> kShift;
    bits_[f / 64] |= uint64_t{1} << (f % 64);
  }
  bool MayHold(uint32_t hash) const {
    const uint32_t f = hash >> kShift;
    return bits_[f / 64] >> (f % 64) & 1;
  }

 private:
  static constexpr int kBits = 15;
  static constexpr int kShift = 32 - kBits;
  uint64_t bits_[(size_t{1} << kBits) / 64] = {};
};

template <typename V>
class WordTable {
 public:
  // The value of `word`, added (value-initialized) if missing. The reference
  // holds until the next word is added.
  V& operator[](std::string_view word) {
    const uint32_t hash = WordHash(word);
    if (const int32_t at = Slot(word, hash); at >= 0) return entries_[static_cast<size_t>(at)].value;
    if (2 * (entries_.size() + 1) > slots_.size()) Grow();
    entries_.push_back(Entry{std::string(word), hash, V()});
    Place(static_cast<int32_t>(entries_.size() - 1));
    return entries_.back().value;
  }

  // The value of `word` (hash: WordHash(word)), or nullptr.
  const V* Find(std::string_view word, uint32_t hash) const {
    const int32_t at = Slot(word, hash);
    return at < 0 ? nullptr : &entries_[static_cast<size_t>(at)].value;
  }
  const V* Find(std::string_view word) const { return Find(word, WordHash(word)); }

  size_t size() const { return entries_.size(); }
  void Reserve(size_t words) {
    entries_.reserve(words);
    size_t n = 16;
    while (n < 2 * words) n *= 2;
    if (n > slots_.size()) Rehash(n);
  }

  // Every word and value, in the order added.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Entry& e : entries_) fn(std::string_view(e.word), e.value);
  }

 private:
  struct Entry {
    std::string word;
    uint32_t hash;
    V value;
  };

  // Index of the entry for `word`, or -1.
  int32_t Slot(std::string_view word, uint32_t hash) const {
    if (slots_.empty()) return -1;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask; slots_[i] >= 0; i = (i + 1) & mask) {
      const Entry& e = entries_[static_cast<size_t>(slots_[i])];
      if (e.hash == hash && e.word == word) return slots_[i];
    }
    return -1;
  }
  void Place(int32_t entry) {
    const size_t mask = slots_.size() - 1;
    size_t i = entries_[static_cast<size_t>(entry)].hash & mask;
    while (slots_[i] >= 0) i = (i + 1) & mask;
    slots_[i] = entry;
  }
  void Grow() { Rehash(slots_.empty() ? 16 : 2 * slots_.size()); }
  void Rehash(size_t n) {  // n: a power of two
    slots_.assign(n, -1);
    for (size_t e = 0; e < entries_.size(); ++e) Place(static_cast<int32_t>(e));
  }

  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;  // entry index, -1: empty; at most half full
};

}  // namespace newsevents

#endif  // NEWSEVENTS_WORD_TABLE_H_
