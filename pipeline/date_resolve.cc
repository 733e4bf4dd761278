#include "pipeline/date_resolve.h"

#include <algorithm>

namespace newsevents {
namespace {

// A date that writes its year and names a month or day: it tells the reader
// which year the story is in.
bool IsFullAnchor(const ItemDate& d) {
  const CalendarDate& s = d.found.start;
  return s.has_year() && !s.relative && s.month != 0;
}

// A single written year ("2023", not "2023-2025").
bool IsYearAnchor(const ItemDate& d) {
  const CalendarDate& s = d.found.start;
  return s.has_year() && !s.relative && s.month == 0 && !d.found.end;
}

struct YearChoice {
  int year = 0;
  const char* from = "";
  bool is_now = false;  // tense tie-breaker applies
};

// The nearest date of the item before date k that tells its year (a full
// date, or a bare year earlier in the same sentence). A relative year ("last
// year") counts from the story's time, not from a year it names ("the 2024
// annual report presents the projects of last year").
std::optional<YearChoice> FromItemBefore(const ItemDates& item, size_t k) {
  const ItemDate& d = item.dates[k];
  for (size_t j = k; j-- > 0;) {
    const ItemDate& e = item.dates[j];
    if (IsFullAnchor(e) ||
        (IsYearAnchor(e) && e.sentence == d.sentence && !d.found.start.relative))
      return YearChoice{e.found.start.year, "item"};
  }
  return std::nullopt;
}

// The nearest full date of the item after date k. An item tells its story
// forward (the event, then what follows: "planned for November 18 to 22, the
// week is postponed to spring 2025", "On December 14 ... results in March
// 2025"), so a yearless date later in the calendar than that anchor is read
// as the year before it. Not in a future-tense sentence: what is still to
// come may follow the anchor ("The post starts in late August. Applications
// close on 30 June 2025" is August 2025).
std::optional<YearChoice> FromItemAfter(const ItemDates& item, size_t k) {
  const CalendarDate& date = item.dates[k].found.start;
  const bool future = item.dates[k].tense == Tense::kFuture;
  for (size_t j = k + 1; j < item.dates.size(); ++j) {
    if (!IsFullAnchor(item.dates[j])) continue;
    CalendarDate c = date;
    c.year = item.dates[j].found.start.year;
    const bool later = !future && date.month && c.Key() > item.dates[j].found.start.Key() &&
                       date.month != item.dates[j].found.start.month;
    return YearChoice{later ? c.year - 1 : c.year, "item"};
  }
  return std::nullopt;
}

// The last (or first) full anchor of an item.
const ItemDate* EdgeAnchor(const ItemDates& item, bool last) {
  const ItemDate* found = nullptr;
  for (const ItemDate& e : item.dates) {
    if (!IsFullAnchor(e)) continue;
    found = &e;
    if (!last) break;
  }
  return found;
}

// The nearest dated story on each side (items without a full date are
// skipped: an undated story between two dated ones says nothing of its year).
std::optional<YearChoice> FromNeighbours(const std::vector<ItemDates>& items, size_t i,
                                         const CalendarDate& date, Tense tense) {
  const ItemDate* before = nullptr;
  const ItemDate* after = nullptr;
  size_t before_dist = 0, after_dist = 0;
  for (size_t j = i; j-- > 0 && !before;) {
    before = EdgeAnchor(items[j], true);
    before_dist = i - j;
  }
  for (size_t j = i + 1; j < items.size() && !after; ++j) {
    after = EdgeAnchor(items[j], false);
    after_dist = j - i;
  }
  if (before && after && before->found.start.year != after->found.start.year) {
    // Stories in order: take the year that puts the date between its
    // neighbours ("December 14" between April 2024 and November 2023 is
    // December 2023).
    int lo = std::min(before->found.start.Key(), after->found.start.Key());
    int hi = std::max(before->found.start.Key(), after->found.start.Key());
    for (const ItemDate* n : {before, after}) {
      CalendarDate c = date;
      c.year = n->found.start.year;
      if (lo <= c.Key() && c.Key() <= hi) return YearChoice{c.year, "neighbour"};
    }
  }
  // One dated story near (or two that agree): its year, unless the date
  // falls far from it in that year and near it across the new year
  // ("February 4" next to a story of December 10, 2024 is February 2025): a
  // drop's stories lie months apart, not most of a year.
  const ItemDate* n = before && (!after || before_dist <= after_dist) ? before : after;
  if (!n) return std::nullopt;
  const int year = n->found.start.year;
  int best = year;
  if (date.month && !date.relative) {
    const int from = n->found.start.year * 12 + n->found.start.month;
    const CalendarDate& e = n->found.end && n->found.end->has_year() ? *n->found.end : n->found.start;
    const int to = std::max(from, e.year * 12 + e.month);
    auto months = [&](int y) {
      const int m = y * 12 + date.month;
      return m < from ? from - m : (m > to ? m - to : 0);
    };
    constexpr int kFarInTheYear = 8;  // months
    // What the past tense tells does not come after a story still to come
    // ("En febrero, ... participaron" next to "asumirá el 1.º de diciembre
    // de 2025" is February 2025).
    const bool not_later = tense == Tense::kPast && n->tense == Tense::kFuture;
    if (months(year) > kFarInTheYear)
      for (int y : {year - 1, year + 1})
        if (months(y) < months(best) && !(not_later && y > year)) best = y;
  }
  return YearChoice{best, "neighbour"};
}

// The year of a yearless month/day read against "now", with the tense
// tie-breaker.
int YearAgainstNow(const CalendarDate& date, Tense tense, const CalendarDate& now) {
  int year = now.year;
  if (date.month == 0 || now.month == 0) return year;
  bool later = date.month > now.month ||
               (date.month == now.month && date.day && now.day && date.day > now.day);
  bool earlier = date.month < now.month ||
                 (date.month == now.month && date.day && now.day && date.day < now.day);
  if (later && tense == Tense::kPast) return year - 1;
  if (earlier && tense == Tense::kFuture) return year + 1;
  return year;
}

// The year nearest to `year` (past first, unless the sentence speaks of the
// future) in which month/day falls on `weekday`; `year` if none within 7.
int YearForWeekday(int year, int month, int day, int weekday, Tense tense) {
  int sign = tense == Tense::kFuture ? 1 : -1;
  for (int step = 0; step <= 7; ++step) {
    for (int candidate : {year + sign * step, year - sign * step}) {
      if (day > DaysInMonth(candidate, month)) continue;
      if (DayOfWeek(candidate, month, day) == weekday) return candidate;
    }
  }
  return year;
}

}  // namespace

void ResolveYears(std::vector<ItemDates>& items, const std::optional<CalendarDate>& reference) {
  std::optional<CalendarDate> now = reference;
  if (!now) {
    for (const ItemDates& item : items)
      for (const ItemDate& d : item.dates)
        if (IsFullAnchor(d) && (!now || d.found.start.Key() > now->Key())) now = d.found.start;
  }

  for (size_t i = 0; i < items.size(); ++i) {
    ItemDates& item = items[i];
    for (size_t k = 0; k < item.dates.size(); ++k) {
      ItemDate& d = item.dates[k];
      d.start = d.found.start;
      d.end = d.found.end;
      if (d.found.start.has_year()) {
        d.year_from = "text";
      } else {
        std::optional<YearChoice> choice = FromItemBefore(item, k);
        if (!choice && item.heading_year) choice = YearChoice{item.heading_year, "heading"};
        if (!choice) choice = FromItemAfter(item, k);
        if (!choice) choice = FromNeighbours(items, i, d.found.start, d.tense);
        if (!choice && now) choice = YearChoice{now->year, "now", true};
        if (choice) {
          const CalendarDate& f = d.found.start;
          int year = choice->year;
          if (f.relative)
            year += f.year_offset;
          else if (choice->is_now)
            year = YearAgainstNow(f, d.tense, *now);
          if (!f.relative && d.found.weekday && f.day)
            year = YearForWeekday(year, f.month, f.day, d.found.weekday, d.tense);
          d.start.year = year;
          d.start.relative = false;
          d.start.year_offset = 0;
          d.year_from = choice->from;
        }
      }
      if (d.end && !d.end->has_year() && d.start.has_year()) {
        int year = d.start.year;
        if (d.end->relative && d.found.start.relative)
          year += d.end->year_offset - d.found.start.year_offset;
        if (d.found.end_wraps_year) year += 1;
        d.end->year = year;
        d.end->relative = false;
        d.end->year_offset = 0;
      }
    }
  }
}

}  // namespace newsevents
