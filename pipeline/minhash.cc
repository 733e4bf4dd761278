#include "pipeline/minhash.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#define XXH_INLINE_ALL  // words are short: inlining saves a call per word
#include <xxhash.h>

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

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
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
}

MinHashSketch MinHasher::Sketch(std::string_view folded) const {
  const int k = params_.shingle_words;
  const size_t bins = static_cast<size_t>(params_.bins);
  // Scratch kept by each thread: a sketch per item must not cost four
  // allocations.
  thread_local std::vector<uint64_t> words, shingles, mins;

  // Word hashes, in order.
  words.clear();
  const auto* s = reinterpret_cast<const unsigned char*>(folded.data());
  const size_t n = folded.size();
  for (size_t i = 0; i < n;) {
    if (!IsWordByte(s[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && IsWordByte(s[j])) ++j;
    words.push_back(XXH3_64bits_withSeed(s + i, j - i, word_seed_));
    i = j;
  }

  // Shingle hashes: an order-sensitive combination of k word hashes.
  shingles.clear();
  if (!words.empty()) {
    const size_t count = words.size() >= static_cast<size_t>(k) ? words.size() - k + 1 : 1;
    const size_t width = std::min(words.size(), static_cast<size_t>(k));
    for (size_t i = 0; i < count; ++i) {
      uint64_t h = words[i];
      for (size_t w = 1; w < width; ++w) h = Mix64(h * 0x9E3779B97F4A7C15ull + words[i + w]);
      shingles.push_back(h);
    }
    std::sort(shingles.begin(), shingles.end());
    shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  }

  MinHashSketch sketch;
  sketch.signature.assign(bins, 0);
  sketch.shingles = static_cast<uint32_t>(shingles.size());
  if (shingles.empty()) return sketch;

  // One permutation: the high half of a shingle's hash picks its bin, the
  // low half is its value in that bin. Values are 32-bit, so a 64-bit
  // minimum above any of them marks a bin no shingle fell in.
  constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  mins.assign(bins, kEmpty);
  for (uint64_t h : shingles) {
    const size_t bin = static_cast<size_t>(((h >> 32) * bins) >> 32);
    mins[bin] = std::min<uint64_t>(mins[bin], static_cast<uint32_t>(h));
  }
  // Optimal densification: an empty bin takes the value of the first filled
  // bin on its own pseudo-random walk. The walk depends only on the bin
  // number and the seed, so two texts borrow alike where they agree.
  for (size_t bin = 0; bin < bins; ++bin) {
    uint64_t value = mins[bin];
    if (value == kEmpty) {
      for (uint64_t attempt = 1;; ++attempt) {
        const uint64_t r = Mix64(walk_seed_ + ((static_cast<uint64_t>(bin) << 32) | attempt));
        const size_t from = static_cast<size_t>(((r >> 32) * bins) >> 32);
        if (mins[from] != kEmpty) {
          value = mins[from];
          break;
        }
      }
    }
    sketch.signature[bin] = static_cast<uint8_t>(value);
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
