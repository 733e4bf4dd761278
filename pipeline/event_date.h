// EventDateRules: which of an item's dates is the date of the event it
// reports, from weighted cues in rules/<lang>/event_date.rules.
//
// Every date of the item is a candidate; each cue whose conditions all hold
// adds its weight to the candidate's score. The best candidate wins if its
// score reaches the decision threshold; else the item has no event date
// (background years, plans, undated stories). Day-precision candidates of
// other sentences that also score at least `combine` widen the winner into a
// span ("On July 24 we spoke in Querétaro ... on August 21, in Nuevo León").
//
//   rule: deadline
//   before: \b(?i:deadline)\b.*$      # sentence text before the date ends so
//   weight: 4
//
// Cue fields (all optional but weight; a cue holds when all given hold):
//   before     the sentence text before the date ends with this regex
//   after      the sentence text after the date starts with this regex
//   sentence   this regex occurs in the date's sentence
//   where      title | first_sentence (first sentence of the body) | body
//   precision  day | month | season | year
//   tense      past | future | unknown (tense cues of dates.rules)
//   other_tense  another date of the item's body is in a sentence of this
//              tense (a plan counts against the event only beside a past)
//   weight     a number, negative for cues against
//   example    `text => value`, `text => start/end` or `text => none`: the
//              date stage run on `text` as a one-item document must choose
//              that event date ("Title || body" gives the item a headline)
// Patterns may use the language's %defines and %vocabularies.
//
// The block `rule: decision` holds `threshold:` and `combine:` instead.
#ifndef NEWSEVENTS_EVENT_DATE_H_
#define NEWSEVENTS_EVENT_DATE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/set.h>

#include "pipeline/date_grammar.h"
#include "pipeline/date_resolve.h"
#include "pipeline/document.h"
#include "pipeline/rule_cue.h"

namespace newsevents {

struct EventDateExample {
  std::string file;
  int line = 0;
  std::string text;      // "Title || body" or body
  std::string expected;  // "2021-06-08", "2023-11-21/2023-11-22" or "none"
};

class EventDateRules {
 public:
  // Loads rules/<lang>/event_date.rules; patterns expand through `grammar`.
  // Throws ConfigError.
  EventDateRules(const std::string& root, const std::string& lang, const DateGrammar& grammar);
  ~EventDateRules();

  // Reads a sentence for its `sentence:` cues (into `hits`, a slot a cue)
  // and its tense (DateGrammar::SentenceTense): one pass of one set for
  // both, where the date stage once read a dated sentence three times.
  Tense ReadSentence(std::string_view sentence, std::vector<char>* hits) const;

  // The event date of `item` among its resolved `dates`; `sentences` are the
  // item's sentence spans (ItemDate::sentence indexes them) and
  // `first_body_sentence` the index of the body's first one. `sentence_hits`
  // holds, by sentence, what ReadSentence found there (empty: not read).
  std::optional<EventDate> Choose(const Document& doc, const Item& item,
                                  const std::vector<ItemDate>& dates,
                                  const std::vector<Span>& sentences,
                                  size_t first_body_sentence,
                                  const std::vector<std::vector<char>>& sentence_hits) const;

  const std::vector<EventDateExample>& examples() const { return examples_; }

 private:
  struct Cue;
  // One pass of a set tells which cues' patterns of one kind hold; `cue`
  // maps the set's index back to the cue. Empty sets are left null.
  struct CueSet {
    std::unique_ptr<RE2::Set> set;
    std::vector<size_t> cue;
    int future = -1, past = -1;  // set indices of the tense cues (sentence set)
    // The set holds the patterns reversed (ReversePattern), anchored at the
    // start: it reads the text backwards from its end (`before:` cues).
    bool reversed = false;
    // Anchored sets: what a match of any of their patterns starts with
    // (rule_cue.h); a text starting otherwise holds none ("March 7 in"
    // holds no `after:` cue, which open with a comma or a verb).
    bool anchored = false;
    StartBytes start;
  };
  // Marks in `hit` (one slot a cue) the cues of `s` whose pattern matches
  // `text`; asks each pattern alone if the set gives up (or, reversed,
  // if the text is not valid UTF-8).
  void MarkHits(const CueSet& s, std::unique_ptr<RE2> Cue::*field, re2::StringPiece text,
                std::vector<char>& hit) const;
  // Whether a `before:` cue read as head and gap (Cue::gap_head) holds at
  // the end of `text`, valid UTF-8: a match of the head ends where at most
  // gap_max characters, none of gap_excluded, remain.
  static bool GapHolds(const Cue& cue, re2::StringPiece text);

  const DateGrammar& grammar_;
  std::vector<std::unique_ptr<Cue>> cues_;
  CueSet before_set_, after_set_, sentence_set_;
  double threshold_ = 1;
  double combine_ = 1e9;
  std::vector<EventDateExample> examples_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_EVENT_DATE_H_
