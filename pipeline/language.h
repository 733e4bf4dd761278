// Language identification: which language (en, fr, es, ...) an item is in.
//
// LanguageIdentifier compares the character n-grams of a folded text with the
// TextCat fingerprints in models/lang/<lang>.profile (one file per language:
// a new language is a new file). Each word is padded with '_' ("_the_") and
// cut into its 1- to 5-grams, as TextCat does. The score of a language is a
// Naive-Bayes log-likelihood: the sum over the text's n-grams of log P(g|L),
// P estimated from the profile counts, an n-gram missing from a profile
// getting half the smallest count the profile lists (it was below the
// profile's cut-off). Profiles are folded like the text at load time, so the
// classifier reads Document::folded directly.
//
// Overlapping n-grams are far from independent (each letter is in up to five
// of them), so the scores are divided by `ngrams_per_letter` before the
// softmax that gives the confidence. Too few letters, or a top language whose
// probability stays under `min_confidence`, gives "und".
//
// The tunables live in models/lang/identifier.params (rule-file format).
//
// LanguageStage sets Item::lang / lang_confidence and Document::lang (the
// language covering most letters). An item left "und" because it is short
// inherits the document language when the decided items agree on it; a
// forced StageOptions::lang (not "auto") is taken as is, confidence 1.
#ifndef NEWSEVENTS_LANGUAGE_H_
#define NEWSEVENTS_LANGUAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/stage.h"

namespace newsevents {

struct LanguageGuess {
  std::string lang = "und";
  double confidence = 0;  // probability of `lang` (of the best one when "und")
  std::string best;       // best-scoring language even when the answer is "und"
  size_t letters = 0;     // letters the decision was based on
};

class LanguageIdentifier {
 public:
  struct Params {
    size_t min_letters = 20;         // fewer: "und"
    double min_confidence = 0.80;    // lower top probability: "und"
    double ngrams_per_letter = 5.0;  // dependence correction of the scores
    double inherit_share = 0.80;     // share of decided letters a document
                                     // language needs before short items inherit it
    double inherit_confidence = 0.5; // confidence an inherited language gets
    size_t max_bytes = 2000;         // LanguageStage reads at most this much of an item (0: all)
    double settled_margin = 12;      // ... and stops once the top two are this far apart
                                     // (log-odds, after the dependence correction)
  };

  // Loads every <dir>/*.profile and <dir>/identifier.params (optional).
  // Throws ConfigError for a missing folder, no profile, or a malformed line.
  static LanguageIdentifier Load(const std::string& dir);

  // Identifies the language of a folded text (FoldText output).
  LanguageGuess Identify(std::string_view folded) const;

  // The same in two steps, for a text in several pieces: scores accumulated
  // over the pieces (one log-likelihood per language), then the decision.
  struct Tally {
    std::vector<double> score;
    size_t letters = 0;
  };
  void Accumulate(std::string_view folded, Tally& tally) const;
  // What Accumulate computes, n-gram by n-gram: each one looked up and its
  // row added in turn. Accumulate adds a word's n-grams at once, remembered
  // from the last time the thread met the word; the scores are the same to
  // the bit (tests compare them), because the model's sums are exact (below).
  void AccumulateNgrams(std::string_view folded, Tally& tally) const;
  LanguageGuess Decide(const Tally& tally) const;
  // True when enough letters were read and the best language leads the
  // second by settled_margin: reading on cannot change the answer.
  bool Settled(const Tally& tally) const;

  const std::vector<std::string>& languages() const { return languages_; }
  const Params& params() const { return params_; }

 private:

  // Open-addressing table: n-gram hash -> row of per-language log P.
  int64_t Find(uint64_t hash) const;
  void Insert(uint64_t hash, size_t row);

  std::vector<std::string> languages_;
  std::vector<uint64_t> slot_hash_;  // 0 = empty
  std::vector<uint32_t> slot_row_;
  uint64_t slot_mask_ = 0;
  std::vector<float> rows_;          // row * languages_.size() + lang
  Params params_;

  // Every value of rows_ is a multiple of 2^q for the model's smallest q
  // (a float has 24 significant bits), so a sum of them is exact in double
  // while its magnitude stays within 2^(53+q): then the order of the
  // additions does not matter, and a word's n-grams may be added as one
  // number. Accumulate takes that path only when no score can pass the bound.
  double exact_limit_ = 0;
  double max_weight_ = 0;  // the largest |value| of rows_
  uint64_t memo_owner_ = 0;  // keys this model's thread-local word memo
};

class LanguageStage {
 public:
  explicit LanguageStage(const StageOptions& options);
  void Apply(Document& doc) const;

  const LanguageIdentifier& identifier() const { return identifier_; }

 private:
  StageOptions options_;
  LanguageIdentifier identifier_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_LANGUAGE_H_
