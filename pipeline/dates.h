// DateStage: finds the dates of each item, resolves them to ISO 8601 values,
// and picks the date of the event the item reports.
//
// Finding (pipeline/date_grammar.h): per language, the rules of
// rules/<lang>/dates.rules over the vocabularies of rules/<lang>/vocab/
// (month names, weekdays, seasons, ordinal days, relative years...). One
// RE2::Set per language screens an item, then only the rules that can match
// run; overlapping matches keep the longest. A new language is a new folder
// rules/<lang>/ with dates.rules, event_date.rules and vocab/, not new code.
//
// Spans are the shortest text that carries the date, as the gold writes it:
// "From March 7 to 9, 2023" -> "March 7 to 9, 2023" (2023-03-07 .. 2023-03-09),
// "On the 21st of May" -> "21st of May", "on Monday 20 November" ->
// "20 November", "between 2019 and 2020" -> "2019 and 2020" (2019 .. 2020),
// "during the fall of 2022" -> "the fall of 2022" (2022-09 .. 2022-11).
// Values have the precision the text gives: "2023", "2023-03", "2023-03-07";
// a season is the year-month of its first month with `end` its last.
//
// Resolution (pipeline/date_resolve.h): a date without a year takes it as a
// reader does, first hit wins: (1) the item's nearest earlier date that
// writes its year (a bare year only from earlier in the same sentence); (2)
// the archive's year heading (Item::heading_year), else the item's nearest
// later date that writes its year; (3) the
// neighbouring items' dated stories (the year that puts the date between
// them when they disagree); (4) "now": StageOptions::reference_date, else the
// document's newest dated story, with tense as the tie-breaker (a month after
// now's in a past-tense sentence is last year's, one before now's in a
// future-tense sentence next year's); (5) else the year stays unknown
// ("XXXX-06-08"). A weekday written with the date moves the year to one
// where the day has that weekday. "this year"/"last year"/"next spring" take
// the chain's year plus their offset, and are dropped when nothing anchors
// them. A range's end takes its start's year (+1 when it wraps past December).
//
// Event date (pipeline/event_date.h): weighted cues of
// rules/<lang>/event_date.rules score every date of the item (deadline, "on
// DATE", event verbs, publication, precision, title, first sentence; against:
// "since", "founded in", future tense, originally scheduled dates); the best
// above the threshold wins, else the item has no event date. EventDate::reason
// names the cues.
//
// Language of an item: Item::lang, else Document::lang, else English; "und"
// and languages without rules are read as English.
#ifndef NEWSEVENTS_DATES_H_
#define NEWSEVENTS_DATES_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/date_calendar.h"
#include "pipeline/document.h"
#include "pipeline/stage.h"

namespace newsevents {

class DateGrammar;
class EventDateRules;

class DateStage {
 public:
  // Loads every rules/<lang>/ folder holding a dates.rules (and its
  // event_date.rules). Throws ConfigError on a broken rule file or a malformed
  // reference date.
  explicit DateStage(const StageOptions& options);
  ~DateStage();

  // Fills item.dates and item.event_date of every item. Thread-safe.
  void Apply(Document& doc) const;

  std::vector<std::string> languages() const;

  // Runs the example and counter lines of every dates.rules and the examples
  // of every event_date.rules; one message per failure ("file:line: ...").
  std::vector<std::string> CheckExamples() const;
  size_t example_count() const;

 private:
  struct Language;
  const Language& For(const Document& doc, const Item& item) const;

  std::map<std::string, std::unique_ptr<Language>, std::less<>> languages_;
  std::optional<CalendarDate> reference_;
  bool explain_ = false;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DATES_H_
