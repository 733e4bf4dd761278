#include "pipeline/minhash.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#define XXH_INLINE_ALL  // words are short: inlining saves a call per word
#include <xxhash.h>

#include "pipeline/byte_class.h"

namespace newsevents {

namespace {

uint64_t Mix64(uint64_t x) {  // MurmurHash3 finalizer
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

// Nearby seeds (1, 2, 3) must give unrelated hash functions: XXH3 with
// seeds that differ in a few low bits hashes short words alike enough to
// correlate the sketches, so seeds are spread first.
MinHasher::MinHasher(const MinHashParams& params)
    : params_(params),
      word_seed_(Mix64(params.seed ^ 0x776f7264ull)),   // 'word'
      walk_seed_(Mix64(params.seed ^ 0x77616c6bull)) {  // 'walk'
  if (params_.shingle_words < 1) throw std::invalid_argument("shingle_words must be >= 1");
  if (params_.bins < 1) throw std::invalid_argument("bins must be >= 1");
  const size_t bins = static_cast<size_t>(params_.bins);
  walk_.resize(bins * kWalkSteps);
  for (size_t bin = 0; bin < bins; ++bin)
    for (uint64_t attempt = 1; attempt <= kWalkSteps; ++attempt)
      walk_[bin * kWalkSteps + attempt - 1] = static_cast<uint32_t>(WalkStep(bin, attempt));
}

size_t MinHasher::WalkStep(size_t bin, uint64_t attempt) const {
  const uint64_t r = Mix64(walk_seed_ + ((static_cast<uint64_t>(bin) << 32) | attempt));
  return static_cast<size_t>(((r >> 32) * static_cast<uint64_t>(params_.bins)) >> 32);
}

MinHashSketch MinHasher::Sketch(std::string_view folded) const {
  const size_t k = static_cast<size_t>(params_.shingle_words);
  const size_t bins = static_cast<size_t>(params_.bins);
  // Scratch kept by each thread: a sketch per item must not cost an
  // allocation per list. `seen` is all zero between calls.
  thread_local std::vector<uint64_t> tl_words, tl_seen, tl_mins;
  thread_local std::vector<uint32_t> tl_filled, tl_empty_bins;
  std::vector<uint64_t>& words = tl_words;
  std::vector<uint64_t>& seen = tl_seen;
  std::vector<uint64_t>& mins = tl_mins;
  std::vector<uint32_t>& filled = tl_filled;
  std::vector<uint32_t>& empty_bins = tl_empty_bins;

  // Word hashes, in order; words are found 64 bytes at a time from the mask
  // of their bytes.
  const char* const s = folded.data();
  const size_t n = folded.size();
  if (words.size() < n / 2 + 1) words.resize(n / 2 + 1);  // words are 1 byte and a gap at least
  size_t word_count = 0;
  ForEachByteRun(folded, WordByteMask64, [&](size_t begin, size_t end) {
    words[word_count++] = XXH3_64bits_withSeed(s + begin, end - begin, word_seed_);
  });

  MinHashSketch sketch;
  sketch.signature.assign(bins, 0);
  if (word_count == 0) return sketch;

  // Shingle hashes, an order-sensitive combination of k word hashes, each
  // put in its bin as it comes and counted once: one permutation, the high
  // half of a shingle's hash picks its bin, the low half is its value in
  // that bin. Values are 32-bit, so a 64-bit minimum above any of them marks
  // a bin no shingle fell in. A minimum does not care how often a shingle
  // comes; the count of distinct shingles is kept by an open-addressing set
  // of their hashes (0 marks a free slot, so a hash of 0 is counted aside),
  // whose filled slots are cleared afterwards rather than the whole table.
  constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  mins.assign(bins, kEmpty);
  const size_t count = word_count >= k ? word_count - k + 1 : 1;
  const size_t width = std::min(word_count, k);
  size_t slots = 64;
  while (slots < count + count / 2) slots *= 2;
  if (seen.size() < slots) seen.resize(slots, 0);
  if (filled.size() < count) filled.resize(count);
  uint32_t distinct = 0;
  bool zero = false;
  auto add = [&](uint64_t h) {
    const size_t bin = static_cast<size_t>(((h >> 32) * bins) >> 32);
    mins[bin] = std::min<uint64_t>(mins[bin], static_cast<uint32_t>(h));
    if (h == 0) {
      zero = true;
      return;
    }
    for (size_t slot = h & (slots - 1);; slot = (slot + 1) & (slots - 1)) {
      if (seen[slot] == h) return;
      if (seen[slot] == 0) {
        seen[slot] = h;
        filled[distinct++] = static_cast<uint32_t>(slot);
        return;
      }
    }
  };
  constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;
  if (width == 2) {  // the configured shingle: no inner loop
    for (size_t i = 0; i < count; ++i) add(Mix64(words[i] * kGolden + words[i + 1]));
  } else {
    for (size_t i = 0; i < count; ++i) {
      uint64_t h = words[i];
      for (size_t w = 1; w < width; ++w) h = Mix64(h * kGolden + words[i + w]);
      add(h);
    }
  }
  sketch.shingles = distinct + (zero ? 1 : 0);
  for (size_t i = 0; i < distinct; ++i) seen[filled[i]] = 0;

  // Optimal densification: an empty bin takes the value of the first filled
  // bin on its own pseudo-random walk. The walk depends only on the bin
  // number and the seed, so two texts borrow alike where they agree; its
  // first steps are in a table made once. Filled bins first, in one loop
  // without branches that also lists the empty ones, then their walks.
  uint8_t* const signature = sketch.signature.data();
  if (empty_bins.size() < bins) empty_bins.resize(bins);
  size_t empty = 0;
  for (size_t bin = 0; bin < bins; ++bin) {
    signature[bin] = static_cast<uint8_t>(mins[bin]);
    empty_bins[empty] = static_cast<uint32_t>(bin);
    empty += mins[bin] == kEmpty;
  }
  for (size_t e = 0; e < empty; ++e) {
    const size_t bin = empty_bins[e];
    const uint32_t* const walk = &walk_[bin * kWalkSteps];
    uint64_t value = kEmpty;
    for (uint64_t attempt = 1; value == kEmpty; ++attempt)
      value = mins[attempt <= kWalkSteps ? walk[attempt - 1] : WalkStep(bin, attempt)];
    signature[bin] = static_cast<uint8_t>(value);
  }
  return sketch;
}

double EstimateJaccard(const uint8_t* a, const uint8_t* b, int bins) {
  if (bins <= 0) return 0;
  int equal = 0;
  for (int i = 0; i < bins; ++i) equal += a[i] == b[i];
  constexpr double kChance = 1.0 / 256;  // two unrelated 8-bit values agree
  const double raw = static_cast<double>(equal) / bins;
  return std::clamp((raw - kChance) / (1 - kChance), 0.0, 1.0);
}

double ContainmentFromJaccard(double jaccard, uint32_t size_a, uint32_t size_b) {
  const uint32_t smaller = std::min(size_a, size_b);
  if (smaller == 0) return 0;
  const double common = jaccard * (static_cast<double>(size_a) + size_b) / (1 + jaccard);
  return std::min(1.0, common / smaller);
}

}  // namespace newsevents
