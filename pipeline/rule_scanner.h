// RuleScanner: finds where any of many rule patterns match in a text, in one
// pass, and which rules match there.
//
// Running each of N patterns over a text costs N passes. The scanner instead
// joins the patterns into one regex; a leftmost-first search for it finds
// where the next match of some rule starts, and an anchored RE2::Set says
// which rules match from there, which is cheap since the stretch is short.
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
#ifndef NEWSEVENTS_RULE_SCANNER_H_
#define NEWSEVENTS_RULE_SCANNER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/document.h"

namespace newsevents {

class RuleScanner {
 public:
  RuleScanner();
  ~RuleScanner();
  RuleScanner(RuleScanner&&) noexcept;
  RuleScanner& operator=(RuleScanner&&) noexcept;

  // Adds a pattern (already expanded and folded, known to compile, matching
  // no empty string); returns its index.
  int Add(const std::string& pattern);
  // Builds the matchers; ConfigError (at `file`) when RE2 cannot.
  void Compile(const std::string& file);
  bool empty() const { return patterns_.empty(); }

  // Calls `found(match, rules)` for each match in text[range), in order;
  // `rules` lists (ascending) the patterns that match exactly `match`.
  void ScanLongest(std::string_view text, Span range,
                   const std::function<void(Span match, const std::vector<int>& rules)>&
                       found) const;
  // Calls `found(start, rules)` for each position of text[range) where some
  // pattern's match starts; `rules` lists (ascending) the patterns matching
  // from `start` (within range).
  void ScanStarts(std::string_view text, Span range,
                  const std::function<void(size_t start, const std::vector<int>& rules)>&
                      found) const;

 private:
  // Patterns matching text[begin, end) (exactly, or from its start), into
  // `rules`.
  void Which(const RE2::Set& set, RE2::Anchor anchor, std::string_view text, size_t begin,
             size_t end, std::vector<int>* rules) const;

  std::vector<std::string> patterns_;
  std::unique_ptr<RE2> first_;        // all patterns, leftmost-first: where next
  std::unique_ptr<RE2> longest_;      // all patterns, longest: how far
  std::unique_ptr<RE2::Set> exact_;   // all patterns, anchored at both ends
  std::unique_ptr<RE2::Set> starts_;  // all patterns, anchored at the start
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_SCANNER_H_
