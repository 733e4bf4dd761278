// MinHash sketches of texts, for finding reworded repeats of a story.
//
// A text is cut into words (runs of letters and digits of the folded text,
// any non-ASCII byte counting as a letter, so every script works) and into
// shingles of `shingle_words` consecutive words. The sketch is a one-
// permutation MinHash (Li, Owen & Zhang 2012) with optimal densification
// (Shrivastava 2017): each shingle is hashed once, its hash picks a bin and a
// value, each bin keeps its smallest value, and empty bins borrow the value of
// a non-empty bin chosen by a fixed pseudo-random walk. The share of bins on
// which two sketches agree estimates the Jaccard similarity of their shingle
// sets, at the cost of one hash per shingle instead of one per shingle and bin.
//
// Only the low 8 bits of each bin are kept ("b-bit MinHash", Li & König
// 2010): 128 bins fit in 128 bytes. Two unrelated bins then agree by chance
// with probability 1/256, which EstimateJaccard corrects for; the estimate's
// spread is the same as with full values for the similarities that matter.
#ifndef NEWSEVENTS_MINHASH_H_
#define NEWSEVENTS_MINHASH_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace newsevents {

struct MinHashParams {
  int shingle_words = 2;
  int bins = 128;
  uint64_t seed = 1;
};

struct MinHashSketch {
  std::vector<uint8_t> signature;  // `bins` bytes; all zero when shingles == 0
  uint32_t shingles = 0;           // distinct shingles of the text
};

class MinHasher {
 public:
  explicit MinHasher(const MinHashParams& params);

  // Sketch of an already folded text (FoldText): words are [a-z0-9] runs
  // and non-ASCII bytes; everything else separates words. A text of fewer
  // words than a shingle is one shingle of all its words.
  MinHashSketch Sketch(std::string_view folded) const;

  const MinHashParams& params() const { return params_; }

 private:
  // Where the densification walk of an empty bin looks at its attempt-th
  // step (1, 2, ...).
  size_t WalkStep(size_t bin, uint64_t attempt) const;

  static constexpr uint64_t kWalkSteps = 8;  // steps of each bin's walk kept in walk_

  MinHashParams params_;
  uint64_t word_seed_;  // hashes words
  uint64_t walk_seed_;  // drives the densification walk
  std::vector<uint32_t> walk_;  // WalkStep(bin, a) at bin * kWalkSteps + a - 1
};

// Jaccard similarity of the shingle sets of two sketches of `bins` bytes,
// corrected for chance agreement of 8-bit values, clamped to [0, 1].
double EstimateJaccard(const uint8_t* a, const uint8_t* b, int bins);

// Share of the smaller set that lies in the larger one, from a Jaccard
// similarity and the two set sizes: |A n B| = J (|A| + |B|) / (1 + J).
double ContainmentFromJaccard(double jaccard, uint32_t size_a, uint32_t size_b);

}  // namespace newsevents

#endif  // NEWSEVENTS_MINHASH_H_
