#include "pipeline/date_calendar.h"


namespace newsevents {
namespace {

// Reads exactly `n` digits at `s`, advancing it.
std::optional<int> TakeDigits(std::string_view& s, size_t n) {
  if (s.size() < n) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  s.remove_prefix(n);
  return v;
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && (year == 0 || IsLeapYear(year))) return 29;
  return kDays[month - 1];
}

int DayOfWeek(int year, int month, int day) {
  // Sakamoto's method: 0 = Sunday.
  static constexpr int kT[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (month < 3) year -= 1;
  int w = (year + year / 4 - year / 100 + year / 400 + kT[month - 1] + day) % 7;
  return w == 0 ? 7 : w;
}

std::optional<CalendarDate> ParseCalendarValue(std::string_view s) {
  CalendarDate d;
  if (s.substr(0, 4) == "XXXX") {
    s.remove_prefix(4);
  } else if (s.substr(0, 3) == "REF") {
    s.remove_prefix(3);
    if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
    int sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    if (n == 0 || n > 2) return std::nullopt;
    auto off = TakeDigits(s, n);
    d.relative = true;
    d.year_offset = sign * *off;
  } else {
    auto y = TakeDigits(s, 4);
    if (!y || *y == 0) return std::nullopt;
    d.year = *y;
  }
  if (!s.empty()) {
    if (s[0] != '-') return std::nullopt;
    s.remove_prefix(1);
    auto m = TakeDigits(s, 2);
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    d.month = *m;
  }
  if (!s.empty()) {
    if (s[0] != '-') return std::nullopt;
    s.remove_prefix(1);
    auto day = TakeDigits(s, 2);
    if (!day || *day < 1 || *day > DaysInMonth(d.year, d.month)) return std::nullopt;
    d.day = *day;
  }
  if (!s.empty()) return std::nullopt;
  if (!d.has_year() && !d.relative && d.month == 0) return std::nullopt;  // "XXXX"
  return d;
}

void AppendPadded(std::string* out, int value, int width) {
  char buf[16];
  char* end = buf + sizeof buf;
  char* p = end;
  unsigned v = value < 0 ? 0u - static_cast<unsigned>(value) : static_cast<unsigned>(value);
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  // printf pads the digits, after the sign, to width minus the sign.
  const int digits = static_cast<int>(end - p);
  const int pad = width - digits - (value < 0 ? 1 : 0);
  if (value < 0) out->push_back('-');
  if (pad > 0) out->append(static_cast<size_t>(pad), '0');
  out->append(p, end);
}

std::string FormatIso(const CalendarDate& d) {
  std::string out;
  if (d.has_year())
    AppendPadded(&out, d.year, 4);
  else
    out = "XXXX";
  if (d.month) {
    out += '-';
    AppendPadded(&out, d.month, 2);
    if (d.day) {
      out += '-';
      AppendPadded(&out, d.day, 2);
    }
  }
  return out;
}

}  // namespace newsevents
