// RuleSearch: every match of a stage's rule patterns in a text, rule by rule,
// each rule's matches left to right: what searching the text for each rule
// from its start, and again after each match, gives (RE2, leftmost-first).
//
// It costs much less than that. RE2 reads the whole text for each search;
// its DFAs, built lazily, keep adding states on new text for patterns made of
// \p{L} and long word lists. Most rules are built around a word (RuleCue):
//   - the start of every word (one pass over the item, shared by the stages:
//     ItemWordStarts) is looked up in a trie of the rules' cue words;
//   - a rule whose match starts with its cue word is matched, anchored, only
//     where one of its cue words starts (no search, no reverse DFA to find
//     where a match starts), and there only when the bytes that follow may
//     start a match (StartBytes, rule_cue.h);
//   - a rule whose cue word lies inside its match is searched for only in a
//     text holding one of its cue words; when its groups all lie before the
//     cue (RuleCue::head_bytes) and a match holds one cue word, they are read
//     over the part before it with the pattern's elements before the cue,
//     a much smaller program than the whole (role words: thousands of
//     instructions), so that RE2 reads them with BitState, not its NFA;
//     and each search for such a rule starts after the last byte before
//     the next cue word that those elements cannot match (RuleCue::head_chars:
//     a period, a digit, a bracket) instead of at the text's start;
//   - a rule without a cue, as before; the rules left to search go through
//     one RE2::Set first when there are two or more, which tells those
//     that match somewhere.
// A text holding U+212A or U+017F (which (?i:k) and (?i:s) match) is
// searched rule by rule, as the cue look-up compares ASCII only.
//
// Rules are kept by language; a text is searched with its language's rules,
// or with every language's ("*") when its language has none.
#ifndef NEWSEVENTS_RULE_SEARCH_H_
#define NEWSEVENTS_RULE_SEARCH_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/cue_trie.h"
#include "pipeline/document.h"
#include "pipeline/rule_cue.h"
#include "pipeline/rule_matcher.h"

namespace newsevents {

// Where the runs of RE2 word characters ([0-9A-Za-z_]) of an item's text
// start: each stage's cue look-up starts there. Found once per item.
struct ItemWordStarts {
  Span span;                 // the item span they were found in
  std::vector<uint32_t> at;  // offsets in the item's text
  // No U+212A or U+017F in the text: (?i:k) and (?i:s) match those, which
  // the ASCII look-up does not see.
  bool cues_hold = true;
};

ItemWordStarts FindWordStarts(std::string_view text, Span span = {});
// FindWordStarts of the item's text, found on the first call and kept in
// item.word_starts for the stages after.
const ItemWordStarts& WordStartsOf(const Document& doc, Item& item);

class RuleSearch {
 public:
  // Rule number `rule` of the caller (ascending from one call to the next
  // within a language), from `lang`, matched by `matcher` (which must outlive
  // the search); `pattern` is what `matcher` was built from. Throws
  // ConfigError at file:line when RE2 rejects it.
  void Add(const std::string& lang, const std::string& pattern, const RuleMatcher* matcher,
           size_t rule, const std::string& file, int line);
  // Throws ConfigError when a screen does not fit in memory.
  void Compile(const std::string& what);
  bool empty() const { return sets_.empty(); }

  // Calls found(rule, groups) for each match, rule by rule in the order they
  // were added, each rule's matches in text order; groups[0] is the whole
  // match, then the rule's groups.
  using Found = std::function<void(size_t rule, const re2::StringPiece* groups)>;
  // `words`: FindWordStarts(text).
  void ForEachMatch(std::string_view lang, std::string_view text, const ItemWordStarts& words,
                    const Found& found) const;
  void ForEachMatch(std::string_view lang, std::string_view text, const Found& found) const {
    ForEachMatch(lang, text, FindWordStarts(text), found);
  }

 private:
  struct Rule {
    size_t rule = 0;
    const RuleMatcher* matcher = nullptr;
    std::optional<RuleCue> cue;
    // With a cue that opens the match: what a match may hold at its first
    // offsets (FindStartBytes), checked at a cue word before RE2 is asked
    // (RE2::Match costs hundreds of instructions a call before it reads a
    // byte, and most cue words start no match: "police" for "Policía de").
    StartBytes start;
    // The pattern's elements before its cue (RuleCue::head_bytes), when they
    // hold all its groups: a match with one cue inside has them there.
    std::shared_ptr<const RuleMatcher> head;
    // The rule's one group opens it, up to a byte it cannot hold
    // (OpeningGroupEnd): read for the byte instead of by RE2.
    std::optional<char> group_end;
    // cue->head_chars as a table (a bitset's test checks its bounds).
    std::array<bool, 256> head_table;
  };
  static constexpr size_t kMaxCueRules = CueTrie::kMaxBits;  // one bit each
  struct Set {
    std::vector<Rule> rules;
    CueTrie trie;  // bit k: rules[k]'s cue
    std::unique_ptr<RE2::Set> screen;
    std::vector<size_t> screened;  // screen index -> index in rules
  };
  Set& Get(const std::string& lang);

  std::map<std::string, Set, std::less<>> sets_;  // "*" holds every language's rules
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_SEARCH_H_
