#include "pipeline/record.h"

#include <cmath>
#include <cstdio>

#include <xxhash.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

using Json = nlohmann::ordered_json;

Json SpanJson(const Document& doc, const Span& span) {
  Span f = doc.ToFile(span);
  return Json::array({f.begin, f.end});
}

Json MentionsJson(const Document& doc, const std::vector<Span>& spans) {
  Json out = Json::array();
  for (const Span& s : spans) out.push_back(SpanJson(doc, s));
  return out;
}

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

template <typename T>
Json OrNull(const std::optional<T>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

std::string ItemId(const Document& doc, const Item& item) {
  std::string folded = FoldText(doc.Slice(item.span));
  std::string collapsed;
  collapsed.reserve(folded.size());
  for (char c : folded) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed.push_back(' ');
    } else {
      collapsed.push_back(c);
    }
  }
  if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(collapsed.data(), collapsed.size())));
  return std::string("ev-") + buf;
}

Json ItemRecord(const Document& doc, const Item& item) {
  Json r;
  r["id"] = item.id;
  Json source;
  source["file"] = doc.name;
  source["item"] = item.index;
  source["span"] = SpanJson(doc, item.span);
  source["title_span"] = item.title.empty() ? Json(nullptr) : SpanJson(doc, item.title);
  r["source"] = std::move(source);
  r["title"] = item.title.empty() ? Json(nullptr) : Json(std::string(doc.AsWritten(item.title)));
  r["lang"] = item.lang;
  r["lang_confidence"] = std::round(item.lang_confidence * 1000) / 1000;
  r["event_type"] = item.event_type;
  r["event_type_confidence"] = std::round(item.event_type_confidence * 1000) / 1000;
  if (item.event_date) {
    r["event_date"] = Json{{"start", item.event_date->start},
                           {"end", OrNull(item.event_date->end)}};
  } else {
    r["event_date"] = nullptr;
  }
  Json dates = Json::array();
  for (const DateMention& d : item.dates) {
    dates.push_back(Json{{"text", std::string(doc.AsWritten(d.span))},
                         {"value", d.value},
                         {"end", OrNull(d.end)},
                         {"precision", d.precision},
                         {"span", SpanJson(doc, d.span)}});
  }
  r["dates"] = std::move(dates);
  Json orgs = Json::array();
  for (const Organization& o : item.organizations) {
    orgs.push_back(Json{{"name", o.name},
                        {"aliases", o.aliases},
                        {"mentions", MentionsJson(doc, o.mentions)}});
  }
  r["organizations"] = std::move(orgs);
  Json places = Json::array();
  for (const Place& p : item.places) {
    places.push_back(Json{{"name", p.name},
                          {"canonical", p.canonical},
                          {"kind", p.kind},
                          {"country", OrNull(p.country)},
                          {"mentions", MentionsJson(doc, p.mentions)}});
  }
  r["places"] = std::move(places);
  Json people = Json::array();
  for (const Person& p : item.people) {
    people.push_back(Json{{"name", p.name}, {"mentions", MentionsJson(doc, p.mentions)}});
  }
  r["people"] = std::move(people);
  r["participants"] = OrNull(item.participants);
  r["nationalities"] = OrNull(item.nationalities);
  r["online"] = OrNull(item.attendance);
  r["organizers"] = item.organizers;
  r["role"] = OrNull(item.role);
  r["duplicate_of"] = OrNull(item.duplicate_of);
  Json warnings = Json::array();
  for (const Warning& w : item.warnings) {
    Json wj{{"code", w.code}, {"message", w.message}};
    if (w.source_offset) wj["offset"] = *w.source_offset;
    warnings.push_back(std::move(wj));
  }
  r["warnings"] = std::move(warnings);
  return r;
}

std::string RecordLine(const Document& doc, const Item& item) {
  std::string line = ItemRecord(doc, item).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

std::string FillRecord(std::string_view line, const std::string& id,
                       const std::string& duplicate_of) {
  static constexpr std::string_view kIdKey = "{\"id\":\"";
  static constexpr std::string_view kDupKey = ",\"duplicate_of\":";
  const size_t id_end = line.find('"', kIdKey.size());
  const size_t dup = line.find(kDupKey, id_end);
  const size_t dup_value = dup + kDupKey.size();
  const size_t dup_end = line[dup_value] == 'n' ? dup_value + 4  // null
                                                : line.find('"', dup_value + 1) + 1;
  std::string out;
  out.reserve(line.size() + 48);
  out.append(kIdKey).append(id);
  out.append(line.substr(id_end, dup_value - id_end));
  if (duplicate_of.empty()) {
    out.append("null");
  } else {
    out.append("\"").append(duplicate_of).append("\"");
  }
  out.append(line.substr(dup_end));
  return out;
}

}  // namespace newsevents
