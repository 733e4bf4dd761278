#include "pipeline/record.h"

#include <cmath>

#include <xxhash.h>

#include "pipeline/dedup_key.h"
#include "pipeline/json_writer.h"
#include "pipeline/story_text.h"

namespace newsevents {
namespace {

void WriteSpan(JsonWriter& w, const Document& doc, const Span& span) {
  const Span f = doc.ToFile(span);
  w.UIntPair(f.begin, f.end);
}

void WriteMentions(JsonWriter& w, const Document& doc, const std::vector<Span>& spans) {
  w.BeginArray();
  for (const Span& s : spans) WriteSpan(w, doc, s);
  w.EndArray();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& strings) {
  w.BeginArray();
  for (const std::string& s : strings) w.String(s);
  w.EndArray();
}

void StringOrNull(JsonWriter& w, const std::string& s) {
  if (s.empty()) {
    w.Null();
  } else {
    w.String(s);
  }
}

void IntOrNull(JsonWriter& w, const std::optional<int>& v) {
  if (v) {
    w.Int(*v);
  } else {
    w.Null();
  }
}

// Confidences are given to three decimals.
double Rounded(double v) { return std::round(v * 1000) / 1000; }

// Why the item got its event type and event date (extract --explain).
void WriteExplain(JsonWriter& w, const Item& item) {
  w.BeginObject();
  w.Key("event_type_cues");
  w.BeginArray();
  for (const TypeCue& c : item.type_cues) {
    w.BeginObject();
    w.Key("type");
    w.String(c.type);
    w.Key("cue");
    w.String(c.cue);
    w.Key("weight");
    w.Double(c.weight);
    w.EndObject();
  }
  w.EndArray();
  w.Key("event_date_reason");
  if (item.event_date) {
    w.String(item.event_date->reason);
  } else {
    w.Null();
  }
  w.Key("date_rules");
  w.BeginArray();
  for (const DateMention& d : item.dates) w.String(d.rule);
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string ItemId(const Document& doc, const Item& item) {
  thread_local std::string scratch;  // the story text, without an allocation per item
  const std::string_view text = StoryTextOf(doc, item.span, &scratch);
  return FormatItemId(XXH3_64bits(text.data(), text.size()));
}

void AssignItemIds(Document& doc) {
  doc.story_texts.clear();
  // Sized once: a story text is about as long as its span (folding changes
  // a few bytes, collapsing white space removes some).
  size_t bytes = 0;
  for (const Item& item : doc.items)
    if (item.span.end > item.span.begin) bytes += item.span.size();
  doc.story_texts.reserve(bytes);
  for (Item& item : doc.items) {
    const size_t at = doc.story_texts.size();
    AppendStoryText(doc, item.span, &doc.story_texts);
    const std::string_view text = std::string_view(doc.story_texts).substr(at);
    item.story_text = {at, doc.story_texts.size()};
    item.id = FormatItemId(XXH3_64bits(text.data(), text.size()));
  }
}

std::string RecordLine(const Document& doc, const Item& item, bool explain) {
  std::string line;
  line.reserve(2048);  // most records are 1-2 KB: one allocation
  JsonWriter w(&line);
  w.BeginObject();
  w.Key("id");
  w.String(item.id);
  w.Key("source");
  w.BeginObject();
  w.Key("file");
  w.String(doc.name);
  w.Key("item");
  w.UInt(item.index);
  w.Key("span");
  WriteSpan(w, doc, item.span);
  w.Key("title_span");
  if (item.title.empty()) {
    w.Null();
  } else {
    WriteSpan(w, doc, item.title);
  }
  w.EndObject();
  w.Key("title");
  if (item.title.empty()) {
    w.Null();
  } else {
    w.String(doc.AsWritten(item.title));
  }
  w.Key("lang");
  w.String(item.lang);
  w.Key("lang_confidence");
  w.Double(Rounded(item.lang_confidence));
  w.Key("event_type");
  w.String(item.event_type);
  w.Key("event_type_confidence");
  w.Double(Rounded(item.event_type_confidence));
  w.Key("event_date");
  if (item.event_date) {
    w.BeginObject();
    w.Key("start");
    w.String(item.event_date->start);
    w.Key("end");
    StringOrNull(w, item.event_date->end);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("dates");
  w.BeginArray();
  for (const DateMention& d : item.dates) {
    w.BeginObject();
    w.Key("text");
    w.String(doc.AsWritten(d.span));
    w.Key("value");
    w.String(d.value);
    w.Key("end");
    StringOrNull(w, d.end);
    w.Key("precision");
    w.String(d.precision);
    w.Key("span");
    WriteSpan(w, doc, d.span);
    w.EndObject();
  }
  w.EndArray();
  w.Key("organizations");
  w.BeginArray();
  for (const Organization& o : item.organizations) {
    w.BeginObject();
    w.Key("name");
    w.String(o.name);
    w.Key("aliases");
    WriteStrings(w, o.aliases);
    w.Key("mentions");
    WriteMentions(w, doc, o.mentions);
    w.EndObject();
  }
  w.EndArray();
  w.Key("places");
  w.BeginArray();
  for (const Place& p : item.places) {
    w.BeginObject();
    w.Key("name");
    w.String(p.name);
    w.Key("canonical");
    w.String(p.canonical);
    w.Key("kind");
    w.String(p.kind);
    w.Key("country");
    StringOrNull(w, p.country);
    w.Key("mentions");
    WriteMentions(w, doc, p.mentions);
    w.EndObject();
  }
  w.EndArray();
  w.Key("people");
  w.BeginArray();
  for (const Person& p : item.people) {
    w.BeginObject();
    w.Key("name");
    w.String(p.name);
    w.Key("mentions");
    WriteMentions(w, doc, p.mentions);
    w.EndObject();
  }
  w.EndArray();
  w.Key("participants");
  IntOrNull(w, item.participants);
  w.Key("nationalities");
  IntOrNull(w, item.nationalities);
  w.Key("online");
  StringOrNull(w, item.attendance);
  w.Key("organizers");
  WriteStrings(w, item.organizers);
  w.Key("role");
  StringOrNull(w, item.role);
  w.Key("duplicate_of");
  StringOrNull(w, item.duplicate_of);
  w.Key("warnings");
  w.BeginArray();
  for (const Warning& warning : item.warnings) {
    w.BeginObject();
    w.Key("code");
    w.String(warning.code);
    w.Key("message");
    w.String(warning.message);
    if (warning.source_offset) {
      w.Key("offset");
      w.UInt(*warning.source_offset);
    }
    w.EndObject();
  }
  w.EndArray();
  if (explain) {
    w.Key("explain");
    WriteExplain(w, item);
  }
  w.EndObject();
  line.push_back('\n');
  return line;
}

nlohmann::ordered_json ItemRecord(const Document& doc, const Item& item) {
  return nlohmann::ordered_json::parse(RecordLine(doc, item));
}

std::string FillRecord(std::string_view line, const std::string& id,
                       const std::string& duplicate_of) {
  std::string out;
  out.reserve(line.size() + 48);
  AppendFilledRecord(line, id, duplicate_of, &out);
  return out;
}

void AppendFilledRecord(std::string_view line, const std::string& id,
                        const std::string& duplicate_of, std::string* out) {
  static constexpr std::string_view kIdKey = "{\"id\":\"";
  static constexpr std::string_view kDupKey = ",\"duplicate_of\":";
  const size_t id_end = line.find('"', kIdKey.size());
  // Looked for from the end: only the warnings (and --explain's member)
  // follow it, while the whole record precedes it.
  size_t dup = line.size() - kDupKey.size();
  while (dup > id_end && (line[dup] != ',' || line.compare(dup, kDupKey.size(), kDupKey) != 0)) --dup;
  const size_t dup_value = dup + kDupKey.size();
  const size_t dup_end = line[dup_value] == 'n' ? dup_value + 4  // null
                                                : line.find('"', dup_value + 1) + 1;
  out->append(kIdKey).append(id);
  out->append(line.substr(id_end, dup_value - id_end));
  if (duplicate_of.empty()) {
    out->append("null");
  } else {
    out->append("\"").append(duplicate_of).append("\"");
  }
  out->append(line.substr(dup_end));
}

}  // namespace newsevents
