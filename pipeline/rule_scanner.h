// RuleScanner: finds where any of many rule patterns match in a text, in one
// pass, and which rules match there.
//
// Running each of N patterns over a text costs N passes. The scanner instead
// joins the patterns into one regex; a leftmost-first search for it finds
// where the next match of some rule starts, and an anchored RE2::Set says
// which rules match from there, which is cheap since the stretch is short.
//
// A pattern belongs to one or more groups (the zones where an event cue
// counts); a walk takes the patterns of one group. The joined regex that
// finds where the next match starts holds every pattern, so that all groups
// share it: RE2 builds a regex's DFA lazily, state by state, and one regex per
// group made that warm-up, the first pages' main cost, once per group. A start
// found there is a group's when the group's own anchored regex matches from
// it, which also tells how far the match reaches.
//
// Two ways to walk the text:
//
//   ScanLongest  matches do not overlap: at each place the longest match is
//                taken (anchored leftmost-longest; an unanchored longest-match
//                search would run to the end of the text at every call) and
//                the scan goes on after it. A rule whose match lies inside a
//                longer one is not reported; rules matching the very same
//                stretch all are. For cues, where the longer phrase decides.
//   ScanStarts   every position where some rule's match starts, with every
//                rule matching from there (each to its own end, which the
//                caller finds with that rule's anchored match). For facts,
//                where overlapping matches of different rules all count.
//
// Given the text's word starts, a walk need not search at all: when every
// pattern opens with a cue word (RuleCue: "workshop", "round table", a
// number), a match can only start where one of them does, and the group's
// anchored regex is tried at those word starts only (a trie look-up a word),
// not run over the text; and only for the patterns whose rarest cue word
// ("participants" of "\b\d+ participants") stands there or further on,
// before the next wall of the pattern: a character it cannot match
// (pattern_bytes.h), which none of its matches crosses, and no more words on
// than a match holds before that cue (RuleCue::head_words). The patterns left
// at a start are asked one by one, each its own small regex.
#ifndef NEWSEVENTS_RULE_SCANNER_H_
#define NEWSEVENTS_RULE_SCANNER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/cue_trie.h"
#include "pipeline/document.h"
#include "pipeline/rule_cue.h"
#include "pipeline/rule_search.h"

namespace newsevents {

class RuleScanner {
 public:
  RuleScanner();
  ~RuleScanner();
  RuleScanner(RuleScanner&&) noexcept;
  RuleScanner& operator=(RuleScanner&&) noexcept;

  // Adds a pattern (already expanded and folded, known to compile, matching
  // no empty string) to the groups whose bits (1 << group) `groups` sets;
  // returns its index.
  int Add(const std::string& pattern, uint32_t groups = 1);
  // The walks a scanner is built for (a bit each): matchers only the other
  // walk needs are not compiled, which loading a stage pays for.
  enum Walk : unsigned { kLongest = 1, kStarts = 2 };
  // Builds the matchers of `walks`; ConfigError (at `file`) when RE2 cannot.
  void Compile(const std::string& file, unsigned walks);
  bool empty() const { return patterns_.empty(); }

  // A word start holding cue words of the patterns (bits: patterns).
  struct CueWord {
    uint32_t at;
    uint32_t word;  // its index in the word starts (ItemWordStarts::at)
    uint64_t opening, rarest;
  };
  // Whether the walks can go by cue words: every pattern has an opening one.
  bool cued() const { return cued_; }
  // Adds the patterns' cue words to `trie`, the opening ones in `layer` and
  // the rarest in layer + 1, so that one walk (CueTrie::AtLayers) finds the
  // cue words of several scanners.
  void AddCues(CueTrie* trie, int layer) const;

  // Calls `found(match, rules)` for each match of the patterns of `group` in
  // text[range), in order; `rules` lists (ascending) the patterns of the
  // group that match exactly `match`.
  // `words`, if given: the word starts of `text` (those inside range at
  // least), where the patterns' cue words are looked up (CueTrie::AtLayers:
  // the byte after `text` is read, a std::string's NUL).
  // `cues`, if given with `words`: the cue words at those word starts
  // (ascending, those holding some), found already.
  void ScanLongest(std::string_view text, Span range, int group,
                   const std::function<void(Span match, const std::vector<int>& rules)>&
                       found,
                   const ItemWordStarts* words = nullptr,
                   const std::vector<CueWord>* cues = nullptr) const;
  // Calls `found(start, rules)` for each position of text[range) where the
  // match of some pattern of `group` starts; `rules` lists (ascending) the
  // patterns of the group matching from `start` (within range). `matched`:
  // each was matched as RE2::Match(text, start, range.end, ANCHOR_START)
  // matches it (the walk by cue words), so that a caller's own match of the
  // same pattern there would succeed; false when they were read from
  // text[start, range.end) alone, without the text around it.
  void ScanStarts(std::string_view text, Span range, int group,
                  const std::function<void(size_t start, const std::vector<int>& rules,
                                           bool matched)>&
                      found,
                  const ItemWordStarts* words = nullptr,
                  const std::vector<CueWord>* cues = nullptr) const;

 private:
  static constexpr int kMaxGroups = 32;
  // A place where a match of some patterns of a group may start.
  struct CueStart {
    size_t at;          // a word start holding an opening cue
    uint64_t patterns;  // the patterns (bits) that may match from there
  };
  // The word starts of `words` inside `range` where a match of the
  // patterns of `group` may start, when the group's matches can only start
  // at their opening cue words; false when not (a pattern without an opening
  // cue, a text the look-up cannot read). A pattern may match from a start
  // only if its rarest cue word stands at or after it, before the next wall
  // of the pattern (a character it cannot match, pattern_bytes.h: a period
  // or semicolon for most fact and cue patterns), which no match of it
  // crosses, and no more words on than a match holds before that cue
  // (RuleCue::head_words).
  bool CueStarts(std::string_view text, Span range, int group, const ItemWordStarts* words,
                 const std::vector<CueWord>* cues, std::vector<CueStart>* starts) const;
  // Bit i of (*walls)[i / 64]: text[range.begin + i] may be a wall (an ASCII
  // character that is not a letter; a space only if spaces_wall_), for i
  // below range.size().
  void ReadWalls(std::string_view text, Span range, std::vector<uint64_t>* walls) const;
  // Patterns of `group` matching text[begin, end) (exactly, or from its
  // start), into `rules`.
  void Which(const RE2::Set& set, RE2::Anchor anchor, int group, std::string_view text,
             size_t begin, size_t end, std::vector<int>* rules) const;
  // Which(exact_) for text[match), remembered per thread (thread_memo.h).
  void ExactRules(int group, std::string_view text, Span match, std::vector<int>* rules) const;

  uint64_t id_ = 0;                   // ThreadMemo owner, new at each Compile
  std::vector<std::string> patterns_;
  std::vector<uint32_t> groups_;      // by pattern
  std::unique_ptr<RE2> first_;        // all patterns, leftmost-first: where next
  // Per group: its patterns, longest match, run anchored: whether the group
  // has a match from a start, and how far it reaches (null: no pattern, or
  // a group holding every pattern walked by ScanStarts only, where first_
  // answers).
  std::vector<std::unique_ptr<RE2>> longest_;
  std::vector<bool> used_;            // per group: it holds a pattern
  std::vector<bool> whole_;           // per group: it holds every pattern
  std::unique_ptr<RE2::Set> exact_;   // all patterns, anchored at both ends (kLongest)
  std::unique_ptr<RE2::Set> starts_;  // all patterns, anchored at the start (kStarts)
  // The patterns' cue words (bit: pattern), when every pattern has an opening
  // one: where a match may start (layer 0), and the rarest, which a text
  // holding a match of the pattern holds (layer 1); one walk finds both.
  CueTrie cues_;
  struct CuePrefix {
    std::string prefix;
    size_t pattern;
    bool ends_word;
    int layer;  // 0: opening, 1: rarest
  };
  std::vector<CuePrefix> cue_prefixes_;  // what cues_ holds, for AddCues
  bool cued_ = false;
  // By character: the patterns (bits) that may match it (pattern_bytes.h),
  // and whether some pattern cannot (a wall that pattern's matches do not
  // cross).
  // (Walls are read for the inner patterns only: `inner_`, those whose
  // rarest cue is not where their matches start. The others need their
  // rarest cue at the start itself.)
  std::array<uint64_t, 256> keep_{};
  uint64_t inner_ = 0;
  bool spaces_wall_ = false;  // a space is a wall of some inner pattern
  // By pattern: the most word starts a match holds before its rarest cue
  // word (RuleCue::head_words; UINT32_MAX when unbounded). After an opening
  // "de" or "a", a gap of role words (at most 2 or 3 of them) then the verb:
  // the verb further on than that is no match from there.
  std::vector<uint32_t> head_words_;
  // The patterns whose matches are whole words their opening cue spells
  // (RuleCue::whole_words): at a start where only they may match, the
  // longest match is read from cues_, not asked of RE2.
  uint64_t whole_words_ = 0;
  // Each pattern alone, anchored, for the starts the cue words leave
  // (kStarts): a small regex whose DFA soon knows the text's states, where
  // the joined one keeps building new ones.
  std::vector<std::unique_ptr<RE2>> single_;
  // Each pattern's bytes at its first offsets (rule_cue.h), checked before
  // its single regex is asked: a try that fails a few bytes after its
  // opening cue then skips RE2's start (~700 instructions). It refuses a
  // quarter of the tries; after an opening "de" or "a" and a gap of words
  // the offsets blur, and most failed tries pass it (bench/README.md).
  static constexpr size_t kStartBytes = 8;
  std::vector<StartBytes> start_bytes_;
  std::vector<uint64_t> group_patterns_;  // per group: its patterns (bits)
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_SCANNER_H_
