// DateGrammar: the date rules of one language (rules/<lang>/dates.rules and
// the vocabularies of rules/<lang>/vocab/), compiled, and the finder that runs
// them over a text. HeidelTime-like: data says what a date looks like, code
// only knows how to read groups and build ISO values.
//
// A dates.rules file holds three kinds of blocks (rule_file.h format):
//
//   # a named sub-pattern, used as %sp in patterns (rules/common/dates.rules
//   # holds the ones every language shares)
//   rule: sp
//   define: [ \t\x{00A0}\x{202F}]
//
//   # a date rule
//   rule: month_day_range
//   pattern: (?P<month>%month)%sp+(?P<day>%day_num)(?:%sp+to%sp+)(?P<day2>%day_num),?%sp+(?P<year>%year4)
//   value: {year}-{month}-{day}
//   end: {year}-{month}-{day2}
//   example: From [March 7 to 9, 2023] => 2023-03-07/2023-03-09
//   counter: for almost 30 years
//
//   # a tense cue, for the reader's tie-breaker and the event-date rules
//   rule: future_will
//   tense: future
//   pattern: \bwill\b
//
// Date rule fields:
//   pattern     RE2 syntax; %NAME is a define or a vocabulary (alternation of
//               its surfaces). Named groups carry the parts of the date; the
//               part a group holds is its name without trailing digits:
//                 day, month, year     numbers, or words of the %ordinal_day
//                                      and %month vocabularies
//                 season               a %season word (value "09-11")
//                 yearshift            a %relative_year phrase ("next year")
//                                      or %year_shift_word ("next"): "+1"
//                 weekday              a %weekday word: checked, not printed
//                 text                 the span reported (else the whole match),
//                                      so a pattern can demand context
//   value, end  templates of the ISO value: {group}, {a|b} (first group that
//               matched), {season.end} (the season's last month); a {year...}
//               placeholder whose groups did not match prints XXXX, any other
//               missing group drops the match. "XXXX-{month}" and
//               "REF{yearshift}" are literal forms (date_calendar.h).
//   before, not_before   the text just before the match must (not) end with
//                        this regex (RE2 has no look-behind)
//   after, not_after     the text just after the match must (not) start with it
//   example     `text => value` or `text => value/end`; [brackets] in text
//               mark the expected span (else the whole text). Finding dates in
//               the text must give that date, from this rule, and no other
//               date over it (no other date at all without brackets).
//   counter     a text in which the whole grammar must find no date at all.
//
// Overlapping matches: the longest reported span wins (then the longest whole
// match, then the earlier rule in the file), as TIMEX taggers do.
//
// Finding dates does not run the rules over the whole text. Every match of a
// date rule holds a cue word (RuleCue: a year's first digits, a month or
// season name, "mid-", "the"...) read from the rule's pattern, so the cue
// words are looked up at the text's word starts (ItemWordStarts, one trie
// look-up a word) and a stretch of text holding none of a rule's rarest cue
// is not searched for that rule. A rule that opens with a cue is matched
// anchored where that cue starts (RE2 reads a few bytes there), the other
// rules are searched for in the stretches holding their cue; a rule without
// a cue is searched everywhere, as is every rule in a text where the ASCII
// look-up cannot be trusted (ItemWordStarts::cues_hold).
#ifndef NEWSEVENTS_DATE_GRAMMAR_H_
#define NEWSEVENTS_DATE_GRAMMAR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/cue_trie.h"
#include "pipeline/date_calendar.h"
#include "pipeline/document.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_search.h"

namespace newsevents {

enum class Tense { kUnknown, kPast, kFuture };

// A date found by a rule, before the reader's context fills in the year.
struct FoundDate {
  Span span;   // reported span, in the coordinates of the text searched
  Span match;  // the whole match (context included)
  CalendarDate start;
  std::optional<CalendarDate> end;  // ranges
  bool end_wraps_year = false;  // "December 28 to January 3": end is a year later
  std::string precision;        // "day", "month", "season", "year"
  int weekday = 0;              // weekday written with the date, 1..7, or 0
  std::string_view rule;        // rule name (owned by the grammar)
};

// Prints a value as rules write it: "2023-03-07", "XXXX-06", "REF-1".
std::string FormatRuleValue(const CalendarDate& date);

class DateGrammar {
 public:
  // Loads rules/common/dates.rules (shared defines, optional) then
  // rules/<lang>/dates.rules, with vocabularies from rules/<lang>/vocab and
  // rules/common/vocab. Throws ConfigError naming file and line.
  DateGrammar(const std::string& root, const std::string& lang);
  ~DateGrammar();
  DateGrammar(const DateGrammar&) = delete;
  DateGrammar& operator=(const DateGrammar&) = delete;

  const std::string& lang() const { return lang_; }
  const Vocabulary& vocabulary() const { return vocab_; }

  // Dates in `text`, in text order, non-overlapping. Spans are offsets into
  // `text`. Thread-safe. `words`: FindWordStarts(text) (rule_search.h).
  std::vector<FoundDate> Find(std::string_view text, const ItemWordStarts& words) const;
  std::vector<FoundDate> Find(std::string_view text) const;
  // Find with every rule searched for in every stretch, cues not used: what
  // Find must give (tests).
  std::vector<FoundDate> FindUncued(std::string_view text) const;

  // The tense of a sentence from the tense cues: future if a future cue
  // matches, else past if a past cue does, else unknown.
  Tense SentenceTense(std::string_view sentence) const;
  // The tense cues of each kind joined into one regex (null when none), for
  // a caller that reads sentences with a set of its own (event_date.h).
  const RE2* future_cues() const { return future_.get(); }
  const RE2* past_cues() const { return past_.get(); }

  // Expands %NAME (defines of this grammar, then vocabularies). For other
  // rule files of the language (event_date.rules) that share the vocabulary.
  std::string Expand(std::string_view pattern, const std::string& file, int line) const;

  // Runs every example and counter line; returns one message per failure
  // ("file:line: ..."), empty when all pass. A date rule without any example
  // is a failure too: every rule shows what it reads.
  std::vector<std::string> CheckExamples() const;
  size_t example_count() const;
  size_t rule_count() const;
  // Rules with a cue: tried only where their cue word is.
  size_t cued_rule_count() const;

 private:
  struct Rule;
  struct TenseCue;
  void LoadFile(const std::string& path, bool defines_only);
  void AddDateRule(const RuleBlock& block);
  void AddRuleCues();
  // Whether text[begin, end) holds a byte that can start a match of the rule.
  static bool MayStart(const Rule& rule, std::string_view text, size_t begin, size_t end);
  struct Scratch;
  // Searches text[begin, end) for `rule` (the whole text is the context),
  // adding the dates its matches give; `screened`: the rule is known to
  // match there.
  void SearchChunk(const Rule& rule, std::string_view text, size_t begin, size_t end,
                   bool screened, Scratch* scratch) const;
  // Tries `rule` anchored at text[at, end) for each cue start `at` holding
  // its anchor cue, left to right as a search would find them.
  void MatchAtCues(const Rule& rule, std::string_view text, size_t end,
                   const std::pair<size_t, uint64_t>* cue, const std::pair<size_t, uint64_t>* last,
                   Scratch* scratch) const;
  // The date a match [mb, me) of `rule` gives, kept in scratch, if its
  // context holds and it builds; `defer`: its context is checked, its groups
  // read and its date built only when Resolve reaches it (true then).
  bool TakeMatch(const Rule& rule, std::string_view text, size_t mb, size_t me,
                 Scratch* scratch, bool defer = false) const;
  // The date of a match whose context holds, if it builds.
  std::optional<FoundDate> BuildMatch(const Rule& rule, std::string_view text, size_t mb,
                                      size_t me, Scratch* scratch) const;
  // The candidates kept: longest spans first, none overlapping.
  std::vector<FoundDate> Resolve(std::string_view text, Scratch* scratch) const;
  // Whether the rule's before/after context holds around text[mb, me).
  bool ContextHolds(const Rule& rule, std::string_view text, size_t mb, size_t me) const;
  // The date a match (groups[0]) whose context holds gives, if any.
  std::optional<FoundDate> Build(const Rule& rule, std::string_view text,
                                 const re2::StringPiece* groups) const;

  std::string lang_;
  Vocabulary vocab_;
  std::vector<std::pair<std::string, std::string>> defines_;  // name, raw regex
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<std::unique_ptr<TenseCue>> tense_cues_;
  std::unique_ptr<RE2> past_, future_;
  std::unique_ptr<RE2::Set> screen_;  // every rule, for FindUncued
  // The cue words of the rules (bit: a distinct set of prefixes), and the
  // rules searched for rather than matched at a cue, screened as one set.
  CueTrie cues_;
  bool uncued_ = false;            // a rule without a cue: every stretch is searched
  uint64_t searched_gates_ = 0;    // the gate cue bits of searched rules
  uint64_t anchored_gates_ = 0;    // those of rules matched at a cue
  std::unique_ptr<RE2::Set> search_screen_;
  std::vector<size_t> search_screened_;  // search_screen_ index -> rule index
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DATE_GRAMMAR_H_
