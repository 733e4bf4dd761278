// Year resolution: fills in the year a date leaves out, the way a reader of
// the newsletter does. Policy (also in /work/notes/dates-readme.md):
//
//  1. The item itself: the nearest date before it in the item that writes
//     its year and names a month or day ("On March 7, 2023 ... on March 9").
//     A bare year ("2023") counts only earlier in the same sentence ("the
//     2023 session ... was held on April 26"), because a bare year elsewhere
//     is often background ("implemented in 2020").
//  2. The year heading above the item in a yearly archive (Item::heading_year),
//     then the nearest such date after it in the item: under "2016", "From
//     September 12 to 15 ... after the attacks of January 2015" is 2016.
//     A story runs forward, so a date later in the calendar than that
//     anchor takes the year before it, except in a future-tense sentence.
//  3. The neighbouring items: the nearest item holding a date with a written
//     year and a month or day. A drop tells its stories in order, so a
//     story's year is its neighbours'; when the nearest dated items before
//     and after disagree, the year that puts the date between them wins,
//     else the nearer item's (the previous at equal distance), taking the
//     year that puts the date nearest to that story ("February 4" next to
//     "December 10, 2024" is 2025), but not past a story still to come for a
//     date told in the past tense.
//  4. "Now": StageOptions::reference_date, else the newest date of the
//     document that writes its year and names a month or day. Tense breaks
//     the tie: a month later than now's in a past-tense sentence is last
//     year's ("On December 14, we attended" read in February 2024 -> 2023),
//     one earlier than now's in a future-tense sentence is next year's.
//  5. Otherwise the year stays unknown (XXXX).
//
// A weekday written with the date ("Friday June 4th") then moves the year to
// the nearest one, past first, where that day has that weekday. Relative years
// ("last year", "next spring") take the same chain's year plus their offset.
// The end of a range takes its start's year (plus one when it wraps past
// December: "December 28 to January 3").
#ifndef NEWSEVENTS_DATE_RESOLVE_H_
#define NEWSEVENTS_DATE_RESOLVE_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/date_calendar.h"
#include "pipeline/date_grammar.h"

namespace newsevents {

// A date of an item, with what the reader knows around it.
struct ItemDate {
  FoundDate found;        // spans in Document::text coordinates
  size_t sentence = 0;    // index into the item's sentences
  Tense tense = Tense::kUnknown;  // of its sentence
  bool in_title = false;

  // Filled by ResolveYears.
  CalendarDate start;
  std::optional<CalendarDate> end;
  std::string year_from;  // "text", "item", "heading", "neighbour", "now", "" if unknown

  bool has_written_year() const { return found.start.has_year(); }
};

struct ItemDates {
  std::vector<ItemDate> dates;  // in text order
  int heading_year = 0;         // 0 when none
};

// Resolves every date of a document's items. `reference` is the reader's now
// when the caller knows it (--reference-date), else nullopt.
void ResolveYears(std::vector<ItemDates>& items, const std::optional<CalendarDate>& reference);

}  // namespace newsevents

#endif  // NEWSEVENTS_DATE_RESOLVE_H_
