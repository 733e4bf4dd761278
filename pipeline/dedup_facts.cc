#include "pipeline/dedup_facts.h"

#include <algorithm>
#include <bitset>
#include <stdexcept>

#include "pipeline/fold.h"

namespace newsevents {

namespace {

// `text` with runs of white space (carriage returns too) made one space,
// trimmed; with `lower`, ASCII capitals lower-cased on the way.
std::string Collapsed(std::string_view text, bool lower) {
  std::string out(text.size(), '\0');
  char* o = out.data();
  bool space = true;  // at the start or after a space: white space writes nothing
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!space) *o++ = ' ';
      space = true;
    } else {
      *o++ = lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      space = false;
    }
  }
  size_t length = static_cast<size_t>(o - out.data());
  if (length > 0 && out[length - 1] == ' ') --length;  // a trailing run
  out.resize(length);
  return out;
}

// Folded, whitespace-collapsed, trimmed: "UN-Habitat " == "un-habitat".
// Folding an ASCII name (most are) only lower-cases its capitals, so it is
// done on the way rather than by FoldText and a second string.
std::string Key(std::string_view name) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return ascii ? Collapsed(name, true) : Collapsed(FoldText(name), false);
}

// At most this many facts of one kind per item (counts are stored in a
// byte). Cut after sorting, so the same strings are kept in every run.
constexpr size_t kMaxFactsOfAKind = 255;

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
  if (v->size() > kMaxFactsOfAKind) v->resize(kMaxFactsOfAKind);
}

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil, shifted so that every valid day is > 0.
int32_t CivilToDays(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe + 1;
}

// The first and last day of an ISO date at its own precision.
bool PeriodOf(std::string_view iso, int32_t* first, int32_t* last) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 4 || !ParseDigits(iso.substr(0, 4), &y) || y < 1) return false;
  if (iso.size() == 4) {
    *first = CivilToDays(y, 1, 1);
    *last = CivilToDays(y, 12, 31);
    return true;
  }
  if (iso.size() < 7 || iso[4] != '-' || !ParseDigits(iso.substr(5, 2), &m) || m < 1 || m > 12)
    return false;
  if (iso.size() == 7) {
    *first = CivilToDays(y, m, 1);
    *last = CivilToDays(y, m, DaysInMonth(y, m));
    return true;
  }
  if (iso.size() != 10 || iso[7] != '-' || !ParseDigits(iso.substr(8, 2), &d) || d < 1 ||
      d > DaysInMonth(y, m))
    return false;
  *first = *last = CivilToDays(y, m, d);
  return true;
}

bool Intersect(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return true;
    if (a[i] < b[j]) ++i;
    else ++j;
  }
  return false;
}

int CountCommon(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  int n = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) ++n, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return n;
}

// Organizations of `a` that share a name with some organization of `b`;
// both are (name id, organization) pairs sorted by name id.
int CountCommonOrganizations(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  std::bitset<256> matched;  // organization numbers of a (FactCounts caps them)
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      matched.set(a[i + 1] & 255);
      i += 2;
    } else if (a[i] < b[j]) {
      i += 2;
    } else {
      j += 2;
    }
  }
  return static_cast<int>(matched.count());
}

bool Subset(std::span<const uint32_t> a, std::span<const uint32_t> b) {  // a within b
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

uint8_t AppendIds(const std::vector<std::string>& strings, FactInterner& interner,
                  std::vector<uint32_t>* arena) {
  thread_local std::vector<uint32_t> tl_ids;  // no allocation per list
  std::vector<uint32_t>& ids = tl_ids;
  ids.clear();
  for (const std::string& s : strings) ids.push_back(interner.Id(s));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // FactsOfItem cuts every list to kMaxFactsOfAKind; only a damaged state
  // file can hold more.
  if (ids.size() > kMaxFactsOfAKind)
    throw std::runtime_error("more than 255 facts of one kind in a stored item");
  arena->insert(arena->end(), ids.begin(), ids.end());
  return static_cast<uint8_t>(ids.size());
}

}  // namespace

int32_t DayNumber(std::string_view iso_day) {
  int32_t first = 0, last = 0;
  if (iso_day.size() != 10 || !PeriodOf(iso_day, &first, &last)) return 0;
  return first;
}

DayRange RangeOfIso(std::string_view start, std::string_view end) {
  DayRange r;
  int32_t first = 0, last = 0;
  if (!PeriodOf(start, &first, &last)) return r;
  r.first = first;
  r.last = last;
  if (!end.empty() && PeriodOf(end, &first, &last)) {
    r.first = std::min(r.first, first);
    r.last = std::max(r.last, last);
  }
  return r;
}

StoryFacts FactsOfItem(const Item& item, const DedupConfig& config) {
  StoryFacts f;
  if (item.event_date) {
    f.event_start = item.event_date->start;
    f.event_end = item.event_date->end;
  }
  // Days: the event's own first, then the text's, each once, in that order,
  // up to the configured number.
  auto add_day = [&](const std::string& iso) {
    if (DayNumber(iso) == 0) return;
    if (static_cast<int>(f.days.size()) >= config.max_days_per_item) return;
    if (std::find(f.days.begin(), f.days.end(), iso) == f.days.end()) f.days.push_back(iso);
  };
  add_day(f.event_start);
  add_day(f.event_end);
  for (const DateMention& d : item.dates) {
    add_day(d.value);
    add_day(d.end);
  }

  for (const Place& p : item.places) {
    const std::string key = Key(p.canonical.empty() ? p.name : p.canonical);
    const bool broad = std::find(config.broad_place_kinds.begin(), config.broad_place_kinds.end(),
                                 p.kind) != config.broad_place_kinds.end();
    if (!broad && !key.empty()) f.specific_places.push_back(key);
    if (!p.country.empty()) f.countries.push_back(Key(p.country));
  }
  SortUnique(&f.specific_places);
  SortUnique(&f.countries);

  // An organization is known by its name and every alias.
  auto keys_of = [](const Organization& o) {
    std::vector<std::string> keys;
    if (std::string k = Key(o.name); !k.empty()) keys.push_back(k);
    for (const std::string& a : o.aliases)
      if (std::string k = Key(a); !k.empty()) keys.push_back(k);
    SortUnique(&keys);
    return keys;
  };
  for (const Organization& o : item.organizations)
    if (std::vector<std::string> keys = keys_of(o); !keys.empty())
      f.organizations.push_back(std::move(keys));
  std::sort(f.organizations.begin(), f.organizations.end());
  f.organizations.erase(std::unique(f.organizations.begin(), f.organizations.end()),
                        f.organizations.end());
  // All names together fit the byte-sized count: drop whole organizations
  // from the end (the lists are sorted, so every run drops the same).
  size_t names = 0, keep = 0;
  while (keep < f.organizations.size() &&
         names + f.organizations[keep].size() <= kMaxFactsOfAKind)
    names += f.organizations[keep++].size();
  f.organizations.resize(keep);

  for (const std::string& name : item.organizers) {
    const std::string key = Key(name);
    if (key.empty()) continue;
    bool found = false;
    for (const std::vector<std::string>& keys : f.organizations) {
      if (std::binary_search(keys.begin(), keys.end(), key)) {
        f.organizers.insert(f.organizers.end(), keys.begin(), keys.end());
        found = true;
        break;
      }
    }
    if (!found) f.organizers.push_back(key);
  }
  SortUnique(&f.organizers);
  return f;
}

nlohmann::json FactsToJson(const StoryFacts& f) {
  nlohmann::json j = nlohmann::json::object();
  if (!f.event_start.empty()) j["event"] = {f.event_start, f.event_end};
  if (!f.days.empty()) j["days"] = f.days;
  if (!f.specific_places.empty()) j["places"] = f.specific_places;
  if (!f.countries.empty()) j["countries"] = f.countries;
  if (!f.organizations.empty()) j["orgs"] = f.organizations;
  if (!f.organizers.empty()) j["organizers"] = f.organizers;
  return j;
}

namespace {

// One parser for both JSON flavours: the state file's facts (nlohmann::json)
// and a shard's (nlohmann::ordered_json, pipeline/shard.h).
template <typename Json>
StoryFacts FactsFromAnyJson(const Json& j) {
  if (!j.is_object()) throw std::runtime_error("facts: expected a JSON object");
  StoryFacts f;
  auto strings = [&](const char* key, std::vector<std::string>* out) {
    if (!j.contains(key)) return;
    const Json& v = j.at(key);
    if (!v.is_array()) throw std::runtime_error(std::string("facts: '") + key + "' not a list");
    for (const auto& s : v) {
      if (!s.is_string())
        throw std::runtime_error(std::string("facts: '") + key + "' holds a non-string");
      out->push_back(s.template get<std::string>());
    }
  };
  std::vector<std::string> event;
  strings("event", &event);
  if (!event.empty()) {
    if (event.size() != 2) throw std::runtime_error("facts: 'event' must be [start, end]");
    f.event_start = event[0];
    f.event_end = event[1];
  }
  strings("days", &f.days);
  strings("places", &f.specific_places);
  strings("countries", &f.countries);
  if (j.contains("orgs")) {
    const Json& orgs = j.at("orgs");
    if (!orgs.is_array()) throw std::runtime_error("facts: 'orgs' not a list");
    for (const auto& names : orgs) {
      if (!names.is_array()) throw std::runtime_error("facts: 'orgs' holds a non-list");
      std::vector<std::string> keys;
      for (const auto& n : names) {
        if (!n.is_string()) throw std::runtime_error("facts: 'orgs' holds a non-string name");
        keys.push_back(n.template get<std::string>());
      }
      f.organizations.push_back(std::move(keys));
    }
  }
  strings("organizers", &f.organizers);
  for (const auto& [key, value] : j.items())
    if (key != "event" && key != "days" && key != "places" && key != "countries" &&
        key != "orgs" && key != "organizers")
      throw std::runtime_error("facts: unknown key '" + key + "'");
  return f;
}

}  // namespace

StoryFacts FactsFromJson(const nlohmann::json& j) { return FactsFromAnyJson(j); }
StoryFacts FactsFromJson(const nlohmann::ordered_json& j) { return FactsFromAnyJson(j); }

uint32_t FactInterner::Id(const std::string& s) {
  // try_emplace looks the string up before it makes a node (emplace makes
  // one, copying the string, and frees it when the string is known, as most
  // are).
  return ids_.try_emplace(s, static_cast<uint32_t>(ids_.size())).first->second;
}

size_t FactInterner::MemoryBytes() const {
  size_t bytes = ids_.bucket_count() * sizeof(void*);
  for (const auto& [s, id] : ids_) bytes += sizeof(std::pair<const std::string, uint32_t>) + 16 +
                                            (s.size() > 15 ? s.capacity() : 0);
  return bytes;
}

FactCounts CompactFacts(const StoryFacts& facts, FactInterner& interner,
                        std::vector<uint32_t>* arena) {
  FactCounts c;
  thread_local std::vector<uint32_t> tl_days;  // no allocation per item
  std::vector<uint32_t>& days = tl_days;
  days.clear();
  for (const std::string& d : facts.days)
    if (int32_t n = DayNumber(d)) days.push_back(static_cast<uint32_t>(n));
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  if (days.size() > 255) days.resize(255);  // day numbers do not depend on run order
  arena->insert(arena->end(), days.begin(), days.end());
  c.days = static_cast<uint8_t>(days.size());
  c.specific_places = AppendIds(facts.specific_places, interner, arena);
  c.countries = AppendIds(facts.countries, interner, arena);
  thread_local std::vector<std::pair<uint32_t, uint32_t>> tl_names;
  std::vector<std::pair<uint32_t, uint32_t>>& names = tl_names;  // (name id, organization)
  names.clear();
  for (size_t o = 0; o < facts.organizations.size(); ++o)
    for (const std::string& name : facts.organizations[o])
      names.emplace_back(interner.Id(name), static_cast<uint32_t>(o));
  std::sort(names.begin(), names.end());
  if (names.size() > kMaxFactsOfAKind)
    throw std::runtime_error("more than 255 organization names in a stored item");
  for (const auto& [id, org] : names) {
    arena->push_back(id);
    arena->push_back(org);
  }
  c.organizations = static_cast<uint8_t>(names.size());
  c.organizers = AppendIds(facts.organizers, interner, arena);
  return c;
}

FactView ViewFacts(const DayRange& event, const uint32_t* lists, const FactCounts& c) {
  FactView v;
  v.event = event;
  const uint32_t* p = lists;
  v.days = {p, c.days};
  p += c.days;
  v.specific_places = {p, c.specific_places};
  p += c.specific_places;
  v.countries = {p, c.countries};
  p += c.countries;
  v.organizations = {p, 2 * static_cast<size_t>(c.organizations)};
  p += 2 * static_cast<size_t>(c.organizations);
  v.organizers = {p, c.organizers};
  return v;
}

FactVerdict CompareFacts(const FactView& a, const FactView& b) {
  FactVerdict v;
  v.same_day = Intersect(a.days, b.days);
  v.shared_places = CountCommon(a.specific_places, b.specific_places);
  v.shared_organizations = CountCommonOrganizations(a.organizations, b.organizations);
  auto contradict = [&](const char* why) {
    v.contradiction = true;
    v.why = why;
    return v;
  };
  // Two dated events that cannot be the same days: a meeting of 2022 and one
  // of 2023, or the 8th and the 10th of June.
  if (!a.event.empty() && !b.event.empty() &&
      (a.event.last < b.event.first || b.event.last < a.event.first))
    return contradict("event dates");
  // Each names a specific place the other does not: Saint-Michel vs Lachine
  // (a retelling may drop places, or add none, but not swap them).
  if (!a.specific_places.empty() && !b.specific_places.empty() &&
      !Subset(a.specific_places, b.specific_places) && !Subset(b.specific_places, a.specific_places))
    return contradict("places");
  if (!a.countries.empty() && !b.countries.empty() && !Intersect(a.countries, b.countries))
    return contradict("countries");
  if (!a.organizers.empty() && !b.organizers.empty() && !Intersect(a.organizers, b.organizers))
    return contradict("organizers");
  return v;
}

}  // namespace newsevents
