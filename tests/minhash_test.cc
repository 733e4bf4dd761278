#include "pipeline/minhash.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xxhash.h>

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

// The sketch as it was first written (a byte test per byte, a sorted list of
// shingle hashes): the faster one must give the same bytes, or every state
// file and shard made before would no longer match.
uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

MinHashSketch ReferenceSketch(const MinHashParams& p, std::string_view folded) {
  const uint64_t word_seed = Mix64(p.seed ^ 0x776f7264ull), walk_seed = Mix64(p.seed ^ 0x77616c6bull);
  auto is_word = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; };
  const size_t k = static_cast<size_t>(p.shingle_words), bins = static_cast<size_t>(p.bins);
  std::vector<uint64_t> words, shingles;
  const auto* s = reinterpret_cast<const unsigned char*>(folded.data());
  for (size_t i = 0; i < folded.size();) {
    if (!is_word(s[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < folded.size() && is_word(s[j])) ++j;
    words.push_back(XXH3_64bits_withSeed(s + i, j - i, word_seed));
    i = j;
  }
  if (!words.empty()) {
    const size_t count = words.size() >= k ? words.size() - k + 1 : 1;
    const size_t width = std::min(words.size(), k);
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
  constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> mins(bins, kEmpty);
  for (uint64_t h : shingles) {
    const size_t bin = static_cast<size_t>(((h >> 32) * bins) >> 32);
    mins[bin] = std::min<uint64_t>(mins[bin], static_cast<uint32_t>(h));
  }
  for (size_t bin = 0; bin < bins; ++bin) {
    uint64_t value = mins[bin];
    for (uint64_t attempt = 1; value == kEmpty; ++attempt) {
      const uint64_t r = Mix64(walk_seed + ((static_cast<uint64_t>(bin) << 32) | attempt));
      value = mins[static_cast<size_t>(((r >> 32) * bins) >> 32)];
    }
    sketch.signature[bin] = static_cast<uint8_t>(value);
  }
  return sketch;
}

// Text of every kind a sketch meets and some it should not: folded words,
// capitals and punctuation (separators), runs of white space, accented and
// other-script words, words longer than XXH3's short paths and than a 64-byte
// block, repeated words (shingles that come twice), NUL bytes.
std::string RandomText(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {
      "the", "icpc", "2023", "saint-laurent", "montreal", "québec", "москва", "東京", "😀", "a",
      "b", ",", ". ", "  ", "\n", "\n\n", "\t", " ", "UN", "Habitat", "—", std::string(1, '\0'),
      std::string(17, 'x'), std::string(70, 'y') + "z", std::string(130, 'w'), "é" + std::string(40, 'e')};
  const size_t pieces = std::uniform_int_distribution<size_t>(0, 600)(rng);
  std::string text;
  for (size_t i = 0; i < pieces; ++i) {
    text += kPieces[std::uniform_int_distribution<size_t>(0, kPieces.size() - 1)(rng)];
    if (rng() % 3) text += ' ';
  }
  // Cut anywhere, even inside a character: the sketch reads bytes.
  return text.substr(0, std::uniform_int_distribution<size_t>(0, text.size())(rng));
}

TEST(MinHashTest, SameBytesAsTheReferenceSketch) {
  std::mt19937 rng(20261125);
  for (const MinHashParams& p : {MinHashParams{2, 128, 1}, MinHashParams{1, 128, 7},
                                 MinHashParams{3, 100, 2}, MinHashParams{2, 64, 3}}) {
    MinHasher h(p);
    for (int i = 0; i < 3000; ++i) {
      const std::string text = RandomText(rng);
      const MinHashSketch fast = h.Sketch(text), ref = ReferenceSketch(p, text);
      ASSERT_EQ(fast.shingles, ref.shingles) << "k=" << p.shingle_words << " text #" << i;
      ASSERT_EQ(fast.signature, ref.signature) << "k=" << p.shingle_words << " text #" << i;
    }
    // Every length around the 64-byte blocks, a word ending at each byte.
    for (size_t n = 0; n < 200; ++n) {
      const std::string text = std::string(n, 'q') + " end";
      ASSERT_EQ(h.Sketch(text).signature, ReferenceSketch(p, text).signature) << n;
      ASSERT_EQ(h.Sketch(text.substr(0, n)).shingles, ReferenceSketch(p, text.substr(0, n)).shingles) << n;
    }
  }
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
