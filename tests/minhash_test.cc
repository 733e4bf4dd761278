#include "pipeline/minhash.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace newsevents {
namespace {

// A text of distinct made-up words w<from> .. w<to - 1>.
std::string Words(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += "w" + std::to_string(i) + " ";
  return s;
}

double Estimate(const MinHasher& h, const std::string& a, const std::string& b) {
  const MinHashSketch sa = h.Sketch(a), sb = h.Sketch(b);
  return EstimateJaccard(sa.signature.data(), sb.signature.data(), h.params().bins);
}

TEST(MinHashTest, SameTextSameSignature) {
  MinHasher h({2, 128, 1});
  const std::string text = "the icpc organizes a focus group of local saint-laurent stakeholders";
  EXPECT_EQ(h.Sketch(text).signature, h.Sketch(text).signature);
  EXPECT_DOUBLE_EQ(Estimate(h, text, text), 1.0);
  // Punctuation and spacing are not words.
  EXPECT_EQ(h.Sketch(text).signature, h.Sketch("  the icpc, organizes a focus group of local "
                                                "saint laurent -- stakeholders.").signature);
}

TEST(MinHashTest, CountsDistinctShingles) {
  MinHasher h({2, 64, 1});
  EXPECT_EQ(h.Sketch("a b c d").shingles, 3u);          // ab bc cd
  EXPECT_EQ(h.Sketch("a b a b a b").shingles, 2u);      // ab ba
  EXPECT_EQ(h.Sketch("single").shingles, 1u);           // shorter than a shingle
  EXPECT_EQ(h.Sketch("").shingles, 0u);
  EXPECT_EQ(h.Sketch(" ,.;- ").shingles, 0u);
  // Non-ASCII bytes are letters: a Cyrillic word is one word, not a gap.
  EXPECT_EQ(h.Sketch("москва и париж").shingles, 2u);
}

TEST(MinHashTest, WordOrderMattersForShingles) {
  MinHasher h({2, 128, 1});
  const std::string a = Words(0, 60);
  std::string reversed;
  for (int i = 59; i >= 0; --i) reversed += "w" + std::to_string(i) + " ";
  EXPECT_LT(Estimate(h, a, reversed), 0.1);
  MinHasher unigrams({1, 128, 1});
  EXPECT_DOUBLE_EQ(Estimate(unigrams, a, reversed), 1.0);
}

TEST(MinHashTest, UnrelatedTextsScoreNearZero) {
  MinHasher h({2, 128, 1});
  EXPECT_LT(Estimate(h, Words(0, 100), Words(1000, 1100)), 0.05);
}

// With k = 1 the shingle sets are the word sets, so the true Jaccard
// similarity is known exactly: |A n B| / |A u B|.
TEST(MinHashTest, EstimatesKnownJaccardWithinThreeSigma) {
  MinHasher h({1, 128, 7});
  for (const auto& [shared, own] : std::vector<std::pair<int, int>>{
           {100, 0}, {90, 10}, {75, 25}, {50, 50}, {20, 80}, {10, 90}, {5, 200}}) {
    const std::string a = Words(0, shared + own);
    const std::string b = Words(0, shared) + Words(5000, 5000 + own);
    const double truth = static_cast<double>(shared) / (shared + 2 * own);
    const double sigma = std::sqrt(truth * (1 - truth) / 128) + 1.0 / 256;
    EXPECT_NEAR(Estimate(h, a, b), truth, 3 * sigma + 1e-9) << shared << "/" << own;
  }
}

TEST(MinHashTest, EstimateIsUnbiasedOverSeeds) {
  // J = 1/3 (50 shared words, 50 own each); densification must not bias it.
  const std::string a = Words(0, 100);
  const std::string b = Words(50, 150);
  double sum = 0;
  const int trials = 200;
  for (int seed = 0; seed < trials; ++seed) sum += Estimate(MinHasher({1, 128, uint64_t(seed)}), a, b);
  EXPECT_NEAR(sum / trials, 1.0 / 3, 0.01);
}

TEST(MinHashTest, SmallSetsAreDensifiedConsistently) {
  // 10 shingles in 128 bins: most bins borrow. Equal texts still agree
  // everywhere, and a one-word change still lowers the estimate.
  MinHasher h({1, 128, 3});
  const std::string a = Words(0, 10);
  std::string b = Words(0, 9) + "other";
  EXPECT_DOUBLE_EQ(Estimate(h, a, a), 1.0);
  const double j = Estimate(h, a, b);  // truth 9/11
  EXPECT_GT(j, 0.5);
  EXPECT_LT(j, 1.0);
}

TEST(MinHashTest, SeedChangesSignature) {
  const std::string text = Words(0, 50);
  EXPECT_NE(MinHasher({2, 128, 1}).Sketch(text).signature,
            MinHasher({2, 128, 2}).Sketch(text).signature);
}

TEST(MinHashTest, ContainmentFromJaccard) {
  // A (50) inside B (100): J = 50/100.
  EXPECT_NEAR(ContainmentFromJaccard(0.5, 50, 100), 1.0, 1e-9);
  // 25 of A's 50 in B (100): J = 25 / 125.
  EXPECT_NEAR(ContainmentFromJaccard(0.2, 50, 100), 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(ContainmentFromJaccard(0.0, 50, 100), 0.0);
  EXPECT_DOUBLE_EQ(ContainmentFromJaccard(0.5, 0, 100), 0.0);
}

TEST(MinHashTest, EstimateCorrectsChanceAgreement) {
  std::vector<uint8_t> a(128), b(128);
  for (int i = 0; i < 128; ++i) {
    a[i] = static_cast<uint8_t>(i);
    b[i] = static_cast<uint8_t>(i + 1);
  }
  EXPECT_DOUBLE_EQ(EstimateJaccard(a.data(), b.data(), 128), 0.0);
  EXPECT_DOUBLE_EQ(EstimateJaccard(a.data(), a.data(), 128), 1.0);
}

}  // namespace
}  // namespace newsevents
