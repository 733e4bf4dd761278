// SegmentStage: cuts a document into news items (title, body, paragraphs).
//
// The document is first cut into blocks (text_blocks.h: trimmed lines, with
// hard-wrapped lines joined). Then:
//
// 1. Headlines. Every block of at most `kMaxHeadlineWords` words gets a
//    probability of being a news headline from a logistic model over layout
//    features (length, closing punctuation, list markers, all caps, ...),
//    cue features (closing / call-to-action lines, section labels; patterns in
//    rules/common/segment.rules over rules/<lang>/vocab/segment_*.tsv) and
//    context features (is the next block a real body paragraph? does it refer
//    back? do the candidate's words come back in the paragraph below, or do
//    they repeat the one above, as a photo caption does?). The weights are in
//    models/segment/headline.weights, learned from the gold titles by
//    models/segment/train_headline.py (see models/segment/README.md).
//
// 2. Items. With blank-line layout (a newsletter, a brochure) and at least
//    one headline, each headline opens an item holding every block up to the
//    next headline; short section headings, captions, closing lines and lists
//    stay inside. Before the first headline, an all-caps letterhead or a few
//    short lines make no item; real paragraphs make an untitled one.
//    Otherwise (an archive, one paragraph a line, or no headline at all) items
//    are runs of paragraphs telling one story: a year alone on its line and a
//    short heading line ("Paris, France") close the current item and are part
//    of none (the year is kept in Item::heading_year); a paragraph joins the
//    current item when its continuation score is positive: it refers back
//    ("This", "Finally,", "The conference ..." after a paragraph about a
//    conference), says "also" early, follows a line ending with ':', shares
//    rare names with the story, or is short; a paragraph opening on a date
//    starts a new story. Weights: models/segment/continuation.weights.
#ifndef NEWSEVENTS_SEGMENT_H_
#define NEWSEVENTS_SEGMENT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/document.h"
#include "pipeline/rule_cue.h"
#include "pipeline/stage.h"
#include "pipeline/text_blocks.h"

namespace newsevents {

// The cues rules/common/segment.rules may feed.
enum class SegmentCue {
  kClosing, kSectionLabel, kListItem, kYearHeading, kContinuation, kAlso,
  kDefinite, kNewStory, kLink, kCount
};
constexpr int kSegmentCueCount = static_cast<int>(SegmentCue::kCount);

// Features of the headline model, in the order of HeadlineFeatureNames().
enum class HeadlineFeature {
  kBias, kWords1to3, kWords4to8, kWords9to16, kWords17Plus, kEndsPeriod,
  kEndsColon, kEndsExclamation, kTwoSentences, kStartsLower, kAllCaps,
  kListItem, kLink, kClosing, kSectionLabel, kRefersBack, kNextIsBody, kNextContinues,
  kPrevEndsColon, kOverlapNext, kOverlapPrev, kFirstContent, kCapitalizedShare,
  kCount
};
constexpr int kHeadlineFeatureCount = static_cast<int>(HeadlineFeature::kCount);
const std::array<const char*, kHeadlineFeatureCount>& HeadlineFeatureNames();

// Features of the continuation score (archive layout).
enum class ContinuationFeature {
  kBias, kRefersBack, kAlsoEarly, kDefiniteBackReference, kPrevEndsColon,
  kListItem, kInList, kNewStory, kShortParagraph, kSharedNames, kClosing, kCount
};
constexpr int kContinuationFeatureCount = static_cast<int>(ContinuationFeature::kCount);
const std::array<const char*, kContinuationFeatureCount>& ContinuationFeatureNames();

// What the stage saw in one block (for training, tests and --explain).
struct BlockAnalysis {
  TextBlock block;
  // Analyze fills every cue; Apply reads a cue set only for the blocks whose
  // cues it asks for (SegmentStage::Cue): a body paragraph of a newsletter
  // needs few of them, and the unanchored set reads the whole block.
  std::array<bool, kSegmentCueCount> cues{};
  uint32_t cue_sets_read = 0;  // bit s: cue set s was matched (SegmentStage)
  std::string definite_head;  // noun after a leading definite article, folded
  size_t definite_at = 0;     // its offset in Document::text
  bool definite_read = false; // definite_head was looked for (Apply: on demand)
  std::string_view folded;    // the block in Document::folded ("" without one)
  // The 4- and 5-letter beginnings of the block's folded words, as a hash
  // table of their keys: is a word of another block (stem) found here,
  // without scanning the text. Filled on first use (Stems()).
  mutable std::vector<uint64_t> stems;
  mutable bool stems_ready = false;
  const std::vector<uint64_t>& Stems() const;
  bool candidate = false;     // short enough to be a headline
  // Analyze(kEverything) fills every feature and the probability;
  // kAsNeeded reads only as many features as the decision needs, so a line
  // settled by its layout costs no cue match (the probability stays 0 when
  // the decision came first). headline: probability >= the model's threshold.
  std::array<double, kHeadlineFeatureCount> features{};
  double headline_probability = 0;
  bool headline = false;
};

class SegmentStage {
 public:
  static constexpr int kMaxHeadlineWords = 30;

  explicit SegmentStage(const StageOptions& options);
  ~SegmentStage();
  SegmentStage(const SegmentStage&) = delete;
  SegmentStage& operator=(const SegmentStage&) = delete;

  // Fills doc.items (index, span, title, body, paragraphs, heading_year).
  void Apply(Document& doc) const;

  // The blocks of a document with their cues, features, headline
  // probabilities and decisions: all of them (training, --explain), or only
  // those the decisions need (Apply: Cue() reads the other cues when asked
  // for). The decisions are the same. Uses doc.folded (Apply fills it when
  // it is missing).
  enum class Reading { kEverything, kAsNeeded };
  std::vector<BlockAnalysis> Analyze(const Document& doc,
                                     Reading reading = Reading::kEverything) const;

  // Every cue of a block's folded text, as Analyze reads them for a
  // headline candidate. With check_start_bytes false, every cue's set is
  // matched alone, even where its patterns' start bytes rule it out (tests
  // compare the two).
  std::array<bool, kSegmentCueCount> CuesOf(std::string_view folded,
                                            bool check_start_bytes = true) const;

 private:
  // Whether block `a` has cue `c`, matching the cue sets that feed `c` on
  // a.folded if not done yet.
  bool Cue(BlockAnalysis& a, SegmentCue c) const;
  // 1 (a headline) or 0 (not one) when the features known so far settle the
  // decision whatever the unknown ones are (each in [features[k], 1]), -1
  // when they do not.
  int Decided(const std::array<double, kHeadlineFeatureCount>& features,
              const std::array<bool, kHeadlineFeatureCount>& unknown) const;
  // The noun after the block's leading definite article (the capture of the
  // definite pattern that matches), "" without one; looked for on first use.
  const std::string& DefiniteHead(const Document& doc, BlockAnalysis& a) const;
  // The cue patterns (one per rule and language) of each cue: those
  // anchored at the block's start (most of them: openings) in a
  // start-anchored RE2::Set, whose DFA stops after the few words they look
  // at, the others (endings, links) one RE2 each: RE2 reads a pattern
  // anchored at the text's end ("... here.$") backwards from the end, where
  // a set would read the whole block. A set feeds one cue, so a match need
  // only say whether (RE2::Set::Match without a list costs no allocation
  // and stops at the first match). RE2 costs ~600 instructions a call before
  // it reads a byte, and many blocks cannot start any opening of a cue: the
  // bytes each anchored pattern may start with (rule_cue.h) are checked
  // first.
  struct CueSet {
    bool anchored = false;
    int patterns = 0;
    std::unique_ptr<RE2::Set> set;           // anchored
    std::vector<StartBytes> starts;          // anchored: of each pattern
    // Anchored: the words one of which opens every match of each pattern
    // (RuleCue::prefixes of its opening cue, "this", "finally", ...), sorted;
    // empty when the pattern has none (or may fold case).
    struct Opening {
      std::vector<std::string> prefixes;
      std::vector<bool> ends_word;  // no word character may follow it
      // prefixes[first[c], first[c + 1]) start with byte c.
      std::array<uint16_t, 257> first{};
      bool Opens(std::string_view folded) const;  // true without any
    };
    std::vector<Opening> openings;
    std::vector<std::unique_ptr<RE2>> others;  // not anchored
    bool MayMatch(std::string_view folded) const;
  };
  static CueSet::Opening OpeningOf(const std::string& pattern);
  // [c]: the start-anchored patterns of cue c; [kSegmentCueCount + c]: its
  // other patterns.
  static constexpr int kCueSets = 2 * kSegmentCueCount;
  static constexpr uint32_t kEverySet = (1u << kCueSets) - 1;
  std::array<CueSet, kCueSets> cue_sets_;
  // The sets feeding each cue (bit s: cue_sets_[s]).
  std::array<uint32_t, kSegmentCueCount> feeding_{};
  // The anchored patterns of the cues a headline candidate is asked for
  // together (list item, closing, section label, refers back) once more in
  // one set, matched with its list of hits: one RE2 call for the four
  // instead of four. (The patterns that count words before a word, "also"
  // and dates, stay out: with them the DFA keeps building states.)
  static constexpr uint32_t kCandidateCues =
      1u << static_cast<int>(SegmentCue::kListItem) | 1u << static_cast<int>(SegmentCue::kClosing) |
      1u << static_cast<int>(SegmentCue::kSectionLabel) |
      1u << static_cast<int>(SegmentCue::kContinuation);
  std::unique_ptr<RE2::Set> candidate_set_;
  std::vector<int> candidate_cue_;  // pattern i of candidate_set_ feeds this cue
  // Reads the anchored patterns of kCandidateCues on the block, if any is
  // not read yet.
  void MatchCandidateCues(BlockAnalysis& a) const;
  // The `definite` patterns again, to read the noun they capture.
  std::vector<std::unique_ptr<RE2>> definite_;
  void LoadRules(const std::string& root);
  // Matches the cue sets of `sets` not matched yet on `folded` (the block's
  // folded text).
  void MatchCues(std::string_view folded, uint32_t sets, BlockAnalysis& a,
                 bool check_start_bytes = true) const;
  // Sets a.definite_head when the block has the definite cue; returns the
  // noun's offset in `folded`, or SIZE_MAX.
  size_t MatchDefiniteHead(std::string_view folded, BlockAnalysis& a) const;
  bool IsStopword(std::string_view folded_word) const;

  std::vector<std::string> stopwords_;  // folded, sorted
  // Those of at most kShortWord bytes as numbers (WordKey in segment.cc),
  // sorted: most words are looked up without comparing strings.
  static constexpr size_t kShortWord = 7;
  std::vector<uint64_t> short_stopwords_;
  std::array<double, kHeadlineFeatureCount> headline_weights_{};
  double headline_threshold_ = 0.5;
  std::array<double, kContinuationFeatureCount> continuation_weights_{};
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SEGMENT_H_
