#include "pipeline/event_rows.h"

#include <charconv>
#include <cstring>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <xxhash.h>

namespace newsevents {
namespace {

using Json = nlohmann::json;

[[noreturn]] void Bad(const std::string& field, const char* what) {
  throw RecordError("field '" + field + "': " + what);
}

const Json& Field(const Json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end()) Bad(name, "missing");
  return *it;
}

std::string String(const Json& obj, const char* name) {
  const Json& v = Field(obj, name);
  if (!v.is_string()) Bad(name, "not a string");
  return v.get<std::string>();
}

std::optional<std::string> StringOrNull(const Json& obj, const char* name) {
  const Json& v = Field(obj, name);
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) Bad(name, "not a string or null");
  return v.get<std::string>();
}

int64_t Integer(const Json& v, const char* name) {
  if (!v.is_number_integer()) Bad(name, "not an integer");
  return v.get<int64_t>();
}

std::optional<int64_t> IntegerOrNull(const Json& obj, const char* name) {
  const Json& v = Field(obj, name);
  if (v.is_null()) return std::nullopt;
  return Integer(v, name);
}

double Number(const Json& obj, const char* name) {
  const Json& v = Field(obj, name);
  if (!v.is_number()) Bad(name, "not a number");
  return v.get<double>();
}

const Json& Array(const Json& obj, const char* name) {
  const Json& v = Field(obj, name);
  if (!v.is_array()) Bad(name, "not an array");
  return v;
}

struct SpanValue {
  int64_t begin = 0;
  int64_t end = 0;
};

SpanValue Span(const Json& v, const char* name) {
  if (!v.is_array() || v.size() != 2) Bad(name, "not a [begin, end] span");
  return {Integer(v[0], name), Integer(v[1], name)};
}

// Number of mentions and the first one.
int64_t Mentions(const Json& obj, const char* name, SpanValue* first) {
  const Json& m = Array(obj, "mentions");
  for (size_t i = 0; i < m.size(); ++i) {
    SpanValue s = Span(m[i], name);
    if (i == 0) *first = s;
  }
  return static_cast<int64_t>(m.size());
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads YYYY[-MM[-DD]]; month/day 0 when absent.
bool ParseIso(std::string_view s, int* y, int* m, int* d) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (s.size() < pos + n) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  *m = *d = 0;
  if (!digits(0, 4, y)) return false;
  if (s.size() == 4) return true;
  if (s.size() < 7 || s[4] != '-' || !digits(5, 2, m) || *m < 1 || *m > 12) return false;
  if (s.size() == 7) return true;
  if (s.size() != 10 || s[7] != '-' || !digits(8, 2, d) || *d < 1 ||
      *d > DaysInMonth(*y, *m))
    return false;
  return true;
}

// YYYY, YYYY-MM or YYYY-MM-DD, digits: the schema's "iso" pattern.
bool IsoShaped(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// The day range of a date mention or event date, or none (see DateRow).
void Days(const std::string& field, const std::string& start,
          const std::optional<std::string>& end, std::optional<std::string>* first_day,
          std::optional<std::string>* last_day) {
  if (!IsoShaped(start) || (end && !IsoShaped(*end)))
    Bad(field, "not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)");
  std::string first, last;
  if (DayRange(start, end ? *end : "", &first, &last)) {
    *first_day = std::move(first);
    *last_day = std::move(last);
  }
}

std::string Day(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int64_t Signed(uint64_t h) {
  int64_t s;
  std::memcpy(&s, &h, sizeof s);
  return s;
}

// XXH3-64 over the parts, each followed by a NUL, so ("ab", "c") and
// ("a", "bc") differ.
int64_t KeyHash(std::initializer_list<std::string_view> parts) {
  std::string buf;
  for (std::string_view p : parts) {
    buf.append(p);
    buf.push_back('\0');
  }
  return Signed(XXH3_64bits(buf.data(), buf.size()));
}

}  // namespace

int64_t EventRows::RowCount() const {
  return 1 + static_cast<int64_t>(dates.size() + organizations.size() + places.size() +
                                  people.size()) +
         (duplicate_of ? 1 : 0);
}

bool DayRange(std::string_view start, std::string_view end, std::string* first_day,
              std::string* last_day) {
  int y, m, d;
  if (!ParseIso(start, &y, &m, &d)) return false;
  *first_day = Day(y, m ? m : 1, d ? d : 1);
  if (!end.empty() && !ParseIso(end, &y, &m, &d)) return false;
  if (!m) m = 12;
  if (!d) d = DaysInMonth(y, m);
  *last_day = Day(y, m, d);
  return *last_day >= *first_day;
}

int64_t OrganizationId(std::string_view name) { return KeyHash({"org", name}); }

int64_t PlaceId(std::string_view canonical, std::string_view kind,
                const std::optional<std::string>& country) {
  return KeyHash({"place", canonical, kind, country ? std::string_view(*country) : ""});
}

std::string FormatDouble(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

EventRows ParseRecord(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Json r = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (r.is_discarded()) throw RecordError("not valid JSON");
  if (!r.is_object()) throw RecordError("not a JSON object");

  EventRows e;
  e.record.assign(line);
  e.id = String(r, "id");
  if (e.id.empty()) Bad("id", "empty");
  const Json& source = Field(r, "source");
  if (!source.is_object()) Bad("source", "not an object");
  e.source_file = String(source, "file");
  e.item_index = Integer(Field(source, "item"), "source.item");
  SpanValue span = Span(Field(source, "span"), "source.span");
  e.span_begin = span.begin;
  e.span_end = span.end;
  e.title = StringOrNull(r, "title");
  e.lang = String(r, "lang");
  e.lang_confidence = Number(r, "lang_confidence");
  e.event_type = String(r, "event_type");
  e.event_type_confidence = Number(r, "event_type_confidence");

  const Json& event_date = Field(r, "event_date");
  if (!event_date.is_null()) {
    if (!event_date.is_object()) Bad("event_date", "not an object or null");
    e.event_start = String(event_date, "start");
    e.event_end = StringOrNull(event_date, "end");
    Days("event_date", *e.event_start, e.event_end, &e.first_day, &e.last_day);
  }

  const Json& dates = Array(r, "dates");
  e.dates.reserve(dates.size());
  for (size_t i = 0; i < dates.size(); ++i) {
    const Json& d = dates[i];
    if (!d.is_object()) Bad("dates", "an element is not an object");
    DateRow row;
    row.position = static_cast<int64_t>(i);
    row.text = String(d, "text");
    row.value = String(d, "value");
    row.end = StringOrNull(d, "end");
    row.precision = String(d, "precision");
    Days("dates", row.value, row.end, &row.first_day, &row.last_day);
    SpanValue s = Span(Field(d, "span"), "dates.span");
    row.span_begin = s.begin;
    row.span_end = s.end;
    e.dates.push_back(std::move(row));
  }

  std::unordered_map<int64_t, size_t> org_at;
  auto add_alias = [](std::vector<std::string>& to, std::string alias) {
    for (const std::string& a : to)
      if (a == alias) return;
    to.push_back(std::move(alias));
  };
  const Json& orgs = Array(r, "organizations");
  for (const Json& o : orgs) {
    if (!o.is_object()) Bad("organizations", "an element is not an object");
    OrganizationRow row;
    row.name = String(o, "name");
    row.org_id = OrganizationId(row.name);
    SpanValue first;
    row.mentions = Mentions(o, "organizations.mentions", &first);
    if (row.mentions > 0) {
      row.first_begin = first.begin;
      row.first_end = first.end;
    }
    std::vector<std::string> aliases;
    for (const Json& a : Array(o, "aliases")) {
      if (!a.is_string()) Bad("organizations.aliases", "not a string");
      add_alias(aliases, a.get<std::string>());
    }
    auto [it, fresh] = org_at.emplace(row.org_id, e.organizations.size());
    if (fresh) {
      row.position = static_cast<int64_t>(e.organizations.size());
      row.aliases = std::move(aliases);
      e.organizations.push_back(std::move(row));
    } else {
      OrganizationRow& same = e.organizations[it->second];
      same.mentions += row.mentions;
      if (!same.first_begin || (row.first_begin && *row.first_begin < *same.first_begin)) {
        same.first_begin = row.first_begin;
        same.first_end = row.first_end;
      }
      for (std::string& a : aliases) add_alias(same.aliases, std::move(a));
    }
  }
  // Organizers are named among the organizations; one that is not gets a
  // row of its own with no mention, so "events organized by X" finds it.
  for (const Json& name : Array(r, "organizers")) {
    if (!name.is_string()) Bad("organizers", "not a string");
    const std::string n = name.get<std::string>();
    const int64_t id = OrganizationId(n);
    auto [it, fresh] = org_at.emplace(id, e.organizations.size());
    if (fresh) {
      OrganizationRow row;
      row.org_id = id;
      row.name = n;
      row.position = static_cast<int64_t>(e.organizations.size());
      e.organizations.push_back(std::move(row));
    }
    e.organizations[it->second].is_organizer = true;
  }

  std::unordered_map<int64_t, size_t> place_at;
  for (const Json& p : Array(r, "places")) {
    if (!p.is_object()) Bad("places", "an element is not an object");
    PlaceRow row;
    row.canonical = String(p, "canonical");
    row.kind = String(p, "kind");
    row.country = StringOrNull(p, "country");
    row.place_id = PlaceId(row.canonical, row.kind, row.country);
    SpanValue first;
    row.mentions = Mentions(p, "places.mentions", &first);
    row.first_begin = first.begin;
    row.first_end = first.end;
    std::string name = String(p, "name");
    auto [it, fresh] = place_at.emplace(row.place_id, e.places.size());
    if (fresh) {
      row.position = static_cast<int64_t>(e.places.size());
      row.names.push_back(std::move(name));
      e.places.push_back(std::move(row));
    } else {
      PlaceRow& same = e.places[it->second];
      if (row.mentions > 0 && (same.mentions == 0 || row.first_begin < same.first_begin)) {
        same.first_begin = row.first_begin;
        same.first_end = row.first_end;
      }
      same.mentions += row.mentions;
      add_alias(same.names, std::move(name));
    }
  }

  std::unordered_map<std::string, size_t> person_at;
  for (const Json& p : Array(r, "people")) {
    if (!p.is_object()) Bad("people", "an element is not an object");
    PersonRow row;
    row.name = String(p, "name");
    SpanValue first;
    row.mentions = Mentions(p, "people.mentions", &first);
    row.first_begin = first.begin;
    row.first_end = first.end;
    auto [it, fresh] = person_at.emplace(row.name, e.people.size());
    if (fresh) {
      row.position = static_cast<int64_t>(e.people.size());
      e.people.push_back(std::move(row));
    } else {
      PersonRow& same = e.people[it->second];
      if (row.mentions > 0 && (same.mentions == 0 || row.first_begin < same.first_begin)) {
        same.first_begin = row.first_begin;
        same.first_end = row.first_end;
      }
      same.mentions += row.mentions;
    }
  }

  e.participants = IntegerOrNull(r, "participants");
  e.nationalities = IntegerOrNull(r, "nationalities");
  e.online = StringOrNull(r, "online");
  e.role = StringOrNull(r, "role");
  e.duplicate_of = StringOrNull(r, "duplicate_of");
  return e;
}

}  // namespace newsevents
