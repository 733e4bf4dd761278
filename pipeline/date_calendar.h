// CalendarDate: a date as a rule reads it, before the reader's context fills
// in what the text left out.
//
// Date rules build their values as small ISO-like strings (the `value:` and
// `end:` templates of rules/<lang>/dates.rules):
//
//   "2023-03-07"   a full date            "2023-03", "2023"  coarser ones
//   "XXXX-06-08"   the year is not written (TIMEX3 style): resolved later
//   "REF-1"        a year relative to "now" ("last year"); "REF+1-09" is
//                  "next fall" (a relative year with a month)
//
// ParseCalendarValue reads those strings; FormatIso writes the resolved value
// back at the precision the text gave.
#ifndef NEWSEVENTS_DATE_CALENDAR_H_
#define NEWSEVENTS_DATE_CALENDAR_H_

#include <optional>
#include <string>
#include <string_view>

namespace newsevents {

struct CalendarDate {
  int year = 0;            // 0 when the text does not give it
  bool relative = false;   // year = (the reader's "now" year) + year_offset
  int year_offset = 0;
  int month = 0;           // 1..12, 0 when absent
  int day = 0;             // 1..31, 0 when absent

  bool has_year() const { return year != 0; }
  // Comparable key, missing parts counting as their earliest value.
  int Key() const { return year * 10000 + month * 100 + day; }
  friend bool operator==(const CalendarDate&, const CalendarDate&) = default;
};

// "2023-03-07", "XXXX-06", "REF+0", "REF-1-09"... nullopt if malformed or if a
// month/day is out of range (a day beyond the month's length included, when
// the year is known; Feb 29 is accepted without a year).
std::optional<CalendarDate> ParseCalendarValue(std::string_view value);

// ISO 8601 at the date's precision; an unknown year prints as "XXXX".
std::string FormatIso(const CalendarDate& date);

// Appends `value` as printf's "%0<width>d" does (values are printed per date
// found: no printf call for them).
void AppendPadded(std::string* out, int value, int width);

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);  // year 0: 29 for February
// ISO weekday of a full date: 1 = Monday ... 7 = Sunday.
int DayOfWeek(int year, int month, int day);

}  // namespace newsevents

#endif  // NEWSEVENTS_DATE_CALENDAR_H_
