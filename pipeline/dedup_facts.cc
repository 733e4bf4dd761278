#include "pipeline/dedup_facts.h"

#include <algorithm>
#include <bitset>
#include <cstring>
#include <span>
#include <stdexcept>

#include "pipeline/date_calendar.h"
#include "pipeline/fold.h"

namespace newsevents {

namespace {

// Fact keys are written one after the other into a buffer kept by each
// thread and named by (offset, length): an item's keys are sorted and
// compared there, and only the keys it keeps become strings, once.
struct KeyRef {
  uint32_t at = 0, size = 0;
};

struct KeyBuffer {
  std::vector<char> bytes;  // [0, size) used; grown, never shrunk
  size_t size = 0;
  std::string_view operator[](KeyRef k) const { return {bytes.data() + k.at, k.size}; }
  // Room for n more bytes at size.
  char* Room(size_t n) {
    if (size + n > bytes.size()) bytes.resize(std::max(2 * bytes.size(), size + n));
    return bytes.data() + size;
  }
};

// Eight bytes at once, as bit masks with 0x80 set in the bytes that are in a
// range or equal a byte (text_blocks.cc): for a byte x < 0x80,
// (x | 0x80) - c keeps its top bit exactly when x >= c, and never borrows
// from the next byte. Bytes >= 0x80 are masked out by the callers.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
inline uint64_t AtLeast(uint64_t x, uint8_t c) { return ((x | kHigh) - kOnes * c) & kHigh; }
inline uint64_t Equal(uint64_t x, uint8_t c) { return ~AtLeast(x ^ (kOnes * c), 1) & kHigh; }

// Appends `text` with runs of white space (carriage returns too) made one
// space, trimmed; with `lower`, ASCII capitals lower-cased on the way (the
// text is then ASCII). Eight bytes without a tab, line break or carriage
// return, and without a space after a space (or at the start), are copied
// at once, their capitals lowered by a mask.
KeyRef AppendCollapsed(std::string_view text, bool lower, KeyBuffer& keys) {
  char* const begin = keys.Room(text.size());
  char* o = begin;
  bool space = true;  // at the start or after a space: white space writes nothing
  size_t i = 0;
  const size_t n = text.size();
  auto one = [&](char c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!space) *o++ = ' ';
      space = true;
    } else {
      *o++ = lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      space = false;
    }
  };
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, text.data() + i, 8);
    const uint64_t ascii = ~v & kHigh;
    const uint64_t spaces = Equal(v, ' ') & ascii;
    const uint64_t breaks = (Equal(v, '\t') | Equal(v, '\n') | Equal(v, '\r')) & ascii;
    const uint64_t runs = spaces & ((spaces << 8) | (space ? 0x80u : 0u));
    if ((breaks | runs) == 0) {
      if (lower) v |= (AtLeast(v, 'A') & ~AtLeast(v, 'Z' + 1) & ascii) >> 2;  // 0x80 >> 2 = 0x20
      std::memcpy(o, &v, 8);
      o += 8;
      space = (spaces >> 63) != 0;
      continue;
    }
    for (size_t k = i; k < i + 8; ++k) one(text[k]);
  }
  for (; i < n; ++i) one(text[i]);
  size_t length = static_cast<size_t>(o - begin);
  if (length > 0 && begin[length - 1] == ' ') --length;  // a trailing run
  const KeyRef key{static_cast<uint32_t>(keys.size), static_cast<uint32_t>(length)};
  keys.size += length;
  return key;
}

// Folded, whitespace-collapsed, trimmed: "UN-Habitat " == "un-habitat".
// Folding an ASCII name (most are) only lower-cases its capitals, so it is
// done on the way rather than by FoldText and a second string.
KeyRef AppendKey(std::string_view name, KeyBuffer& keys) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return AppendCollapsed(name, true, keys);
  thread_local std::string folded;
  folded.clear();
  AppendFoldedText(name, &folded);
  return AppendCollapsed(folded, false, keys);
}

// At most this many facts of one kind per item (counts are stored in a
// byte). Cut after sorting, so the same strings are kept in every run.
constexpr size_t kMaxFactsOfAKind = 255;

// Sorts and deduplicates keys by their bytes (std::string's order), keeping
// the first kMaxFactsOfAKind.
void SortUnique(const KeyBuffer& keys, std::vector<KeyRef>::iterator first,
                std::vector<KeyRef>::iterator* last) {
  std::sort(first, *last, [&](KeyRef a, KeyRef b) { return keys[a] < keys[b]; });
  *last = std::unique(first, *last, [&](KeyRef a, KeyRef b) { return keys[a] == keys[b]; });
  if (*last - first > static_cast<std::ptrdiff_t>(kMaxFactsOfAKind)) *last = first + kMaxFactsOfAKind;
}

void SortUnique(const KeyBuffer& keys, std::vector<KeyRef>* v) {
  auto last = v->end();
  SortUnique(keys, v->begin(), &last);
  v->erase(last, v->end());
}

std::vector<std::string> Strings(const KeyBuffer& keys, std::span<const KeyRef> refs) {
  std::vector<std::string> out;
  out.reserve(refs.size());
  for (KeyRef k : refs) out.emplace_back(keys[k]);
  return out;
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

// Howard Hinnant's civil_from_days, the inverse of CivilToDays.
void DayToCivil(int32_t n, int* y, int* m, int* d) {
  const int32_t z = n - 1;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t doe = z - era * 146097;
  const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int32_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

bool IsCalendarMonth(const DayRange& r) {
  if (r.empty()) return false;
  int y = 0, m = 0, d = 0;
  DayToCivil(r.first, &y, &m, &d);
  return d == 1 && r.last == CivilToDays(y, m, DaysInMonth(y, m));
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
    if (static_cast<int>(f.days.size()) >= config.max_days_per_item) return;
    if (std::find(f.days.begin(), f.days.end(), iso) != f.days.end()) return;
    if (DayNumber(iso) != 0) f.days.push_back(iso);
  };
  add_day(f.event_start);
  add_day(f.event_end);
  for (const DateMention& d : item.dates) {
    add_day(d.value);
    add_day(d.end);
  }

  // Scratch kept by each thread: the keys' bytes and lists of them.
  thread_local KeyBuffer tl_keys;
  thread_local std::vector<KeyRef> tl_places, tl_countries, tl_names, tl_organizers;
  thread_local std::vector<std::pair<uint32_t, uint32_t>> tl_orgs;  // [first, last) in tl_names
  KeyBuffer& keys = tl_keys;
  keys.size = 0;

  std::vector<KeyRef>& places = tl_places;
  std::vector<KeyRef>& countries = tl_countries;
  places.clear();
  countries.clear();
  for (const Place& p : item.places) {
    const KeyRef key = AppendKey(p.canonical.empty() ? p.name : p.canonical, keys);
    const bool broad = std::find(config.broad_place_kinds.begin(), config.broad_place_kinds.end(),
                                 p.kind) != config.broad_place_kinds.end();
    if (!broad && key.size > 0) places.push_back(key);
    if (!p.country.empty()) countries.push_back(AppendKey(p.country, keys));
  }
  SortUnique(keys, &places);
  SortUnique(keys, &countries);
  f.specific_places = Strings(keys, places);
  f.countries = Strings(keys, countries);

  // An organization is known by its name and every alias: its keys, sorted,
  // are tl_names[first, last).
  std::vector<KeyRef>& names = tl_names;
  std::vector<std::pair<uint32_t, uint32_t>>& orgs = tl_orgs;
  names.clear();
  orgs.clear();
  for (const Organization& o : item.organizations) {
    const size_t first = names.size();
    if (const KeyRef k = AppendKey(o.name, keys); k.size > 0) names.push_back(k);
    for (const std::string& a : o.aliases)
      if (const KeyRef k = AppendKey(a, keys); k.size > 0) names.push_back(k);
    auto last = names.end();
    SortUnique(keys, names.begin() + static_cast<std::ptrdiff_t>(first), &last);
    names.erase(last, names.end());
    if (names.size() > first)
      orgs.emplace_back(static_cast<uint32_t>(first), static_cast<uint32_t>(names.size()));
  }
  auto org_keys = [&](const std::pair<uint32_t, uint32_t>& o) {
    return std::span<const KeyRef>(names.data() + o.first, o.second - o.first);
  };
  // Ordered and compared as std::vector<std::string> are.
  auto org_less = [&](const auto& a, const auto& b) {
    const auto ka = org_keys(a), kb = org_keys(b);
    return std::lexicographical_compare(ka.begin(), ka.end(), kb.begin(), kb.end(),
                                        [&](KeyRef x, KeyRef y) { return keys[x] < keys[y]; });
  };
  auto org_equal = [&](const auto& a, const auto& b) {
    const auto ka = org_keys(a), kb = org_keys(b);
    return std::equal(ka.begin(), ka.end(), kb.begin(), kb.end(),
                      [&](KeyRef x, KeyRef y) { return keys[x] == keys[y]; });
  };
  std::sort(orgs.begin(), orgs.end(), org_less);
  orgs.erase(std::unique(orgs.begin(), orgs.end(), org_equal), orgs.end());
  // All names together fit the byte-sized count: drop whole organizations
  // from the end (the lists are sorted, so every run drops the same).
  size_t name_count = 0, keep = 0;
  while (keep < orgs.size() && name_count + org_keys(orgs[keep]).size() <= kMaxFactsOfAKind)
    name_count += org_keys(orgs[keep++]).size();
  orgs.resize(keep);
  f.organizations.reserve(orgs.size());
  for (const auto& o : orgs) f.organizations.push_back(Strings(keys, org_keys(o)));

  std::vector<KeyRef>& organizers = tl_organizers;
  organizers.clear();
  for (const std::string& name : item.organizers) {
    const KeyRef key = AppendKey(name, keys);
    if (key.size == 0) continue;
    bool found = false;
    for (const auto& o : orgs) {
      const auto k = org_keys(o);
      if (std::binary_search(k.begin(), k.end(), key,
                             [&](KeyRef x, KeyRef y) { return keys[x] < keys[y]; })) {
        organizers.insert(organizers.end(), k.begin(), k.end());
        found = true;
        break;
      }
    }
    if (!found) organizers.push_back(key);
  }
  SortUnique(keys, &organizers);
  f.organizers = Strings(keys, organizers);
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
