#include "pipeline/shard.h"

#include <cstring>

#ifndef NEWSEVENTS_VERSION
#define NEWSEVENTS_VERSION "unknown"
#endif

namespace newsevents {

namespace {

using Json = nlohmann::ordered_json;

// The record writer's own settings (record.cc RecordLine): no indentation,
// invalid UTF-8 replaced. Dumping a parsed record with them gives back the
// bytes it was parsed from.
std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

uint64_t Count(const Json& end, const char* name) {
  auto it = end.find(name);
  if (it == end.end() || !it->is_number_unsigned())
    throw std::runtime_error(std::string("end line: '") + name + "' missing or not a count");
  return it->get<uint64_t>();
}

// A top-level member of a JSON object: its key as written (no escapes are
// expected in the keys looked for) and the byte range of its value.
struct Member {
  std::string_view key;
  size_t begin = 0, end = 0;
};

// Skips a JSON string starting at s[i] == '"'; returns the index after its
// closing quote, or npos.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '"') return i + 1;
  }
  return std::string_view::npos;
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

// Skips one JSON value starting at s[i]: a string, a nested object or array
// (brackets balanced outside strings), or a literal or number. Returns the
// index after it, or npos. Does not validate literals and numbers: shards
// are written whole by extract --shard (OutputFile) and end-line checked, so
// this guards against truncation and mix-ups, not against forgery.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  const size_t begin = i;
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ') ++i;
  return i == begin ? std::string_view::npos : i;
}

// The top-level members of the object `s`; false if it is not a
// well-nested object.
bool TopLevelMembers(std::string_view s, std::vector<Member>* members) {
  members->clear();
  size_t i = SkipSpace(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = SkipSpace(s, i + 1);
  if (i < s.size() && s[i] == '}') return SkipSpace(s, i + 1) == s.size();
  while (true) {
    if (i >= s.size() || s[i] != '"') return false;
    const size_t key_end = SkipString(s, i);
    if (key_end == std::string_view::npos) return false;
    Member m;
    m.key = s.substr(i + 1, key_end - i - 2);
    i = SkipSpace(s, key_end);
    if (i >= s.size() || s[i] != ':') return false;
    m.begin = SkipSpace(s, i + 1);
    m.end = SkipValue(s, m.begin);
    if (m.end == std::string_view::npos) return false;
    members->push_back(m);
    i = SkipSpace(s, m.end);
    if (i >= s.size()) return false;
    if (s[i] == '}') return SkipSpace(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = SkipSpace(s, i + 1);
  }
}

const Member* FindMember(const std::vector<Member>& members, std::string_view key) {
  const Member* found = nullptr;
  for (const Member& m : members) {
    if (m.key != key) continue;
    if (found) return nullptr;  // twice: ambiguous
    found = &m;
  }
  return found;
}

}  // namespace

std::string ShardHeaderLine(const StageOptions& options, const std::string& key_settings) {
  Json header;
  header["newsevents_shard"] = kShardFormatVersion;
  header["tool"] = NEWSEVENTS_VERSION;
  header["key_settings"] = key_settings;
  header["options"] = Json{
      {"lang", options.lang},
      {"reference_date",
       options.reference_date.empty() ? Json(nullptr) : Json(options.reference_date)},
      {"explain", options.explain}};
  return Dump(header) + '\n';
}

std::string ShardItemLine(std::string_view record, const StoryKey& key) {
  // Concatenated rather than built as one object: the same bytes without
  // copying the record into a new tree.
  std::string line = "{\"record\":";
  line += record;
  line += ",\"dedup\":";
  line += Dump(StoryKeyToJson(key));
  line += "}\n";
  return line;
}

std::string ShardEndLine(const ShardTotals& t) {
  Json end{{"files", t.files},
           {"files_with_items", t.files_with_items},
           {"errors", t.errors},
           {"items", t.items},
           {"bytes", t.bytes}};
  return Dump(Json{{"end", std::move(end)}}) + '\n';
}

ShardReader::ShardReader(const std::string& path, const StoryKeyMaker& keys)
    : path_(path), key_settings_(keys.Settings()), bins_(keys.config().minhash.bins) {
  in_.open(path, std::ios::binary);
  if (!in_) throw ShardError(path + ": cannot open: " + std::strerror(errno));
  ++line_number_;
  if (!std::getline(in_, line_)) Fail("empty file, not a shard");
  Json header;
  try {
    header = Json::parse(line_);
  } catch (const std::exception& e) {
    Fail(std::string("not a shard (first line is not JSON: ") + e.what() + ")");
  }
  auto version = header.find("newsevents_shard");
  if (!header.is_object() || version == header.end() || !version->is_number_integer())
    Fail("not a shard (no \"newsevents_shard\" header; made by newsevents extract --shard?)");
  if (*version != kShardFormatVersion)
    Fail("shard format " + version->dump() + ", this newsevents reads format " +
         std::to_string(kShardFormatVersion));
  auto settings = header.find("key_settings");
  if (settings == header.end() || !settings->is_string()) Fail("header without key_settings");
  if (*settings != key_settings_)
    Fail("keys were made with other settings (" + settings->get<std::string>() +
         ") than models/dedup/dedup.conf here (" + key_settings_ +
         "): run extract --shard and dedup with the same models");
  auto options = header.find("options");
  if (options == header.end() || !options->is_object()) Fail("header without options");
  options_ = *options;
}

void ShardReader::Fail(const std::string& what) const {
  throw ShardError(path_ + ":" + std::to_string(line_number_) + ": " + what);
}

bool ShardReader::Next(Entry* entry) {
  if (ended_) return false;
  ++line_number_;
  std::string& line = entry->line;
  if (!std::getline(in_, line)) {
    if (in_.bad()) Fail(std::string("read error: ") + std::strerror(errno));
    Fail("ends without its end line: the extract --shard that wrote it did not finish");
  }
  if (line.compare(0, 7, "{\"end\":") == 0) {
    ReadEnd(line);
    return false;
  }
  // Only the small "dedup" object is parsed; the record is located, and its
  // bytes are kept as written.
  const std::string_view text(line);
  std::vector<Member> members;
  if (!TopLevelMembers(text, &members)) Fail("not a JSON object (a cut or damaged line)");
  const Member* record = FindMember(members, "record");
  const Member* dedup = FindMember(members, "dedup");
  if (!record || !dedup || members.size() != 2)
    Fail("an item line holds \"record\" and \"dedup\" and nothing else");
  entry->record_begin = record->begin;
  entry->record_end = record->end;
  const std::string_view record_text = text.substr(record->begin, record->end - record->begin);
  std::vector<Member> fields;
  if (!TopLevelMembers(record_text, &fields)) Fail("\"record\" is not a JSON object");
  const Member* id = FindMember(fields, "id");
  const Member* duplicate_of = FindMember(fields, "duplicate_of");
  if (!id || !duplicate_of || id->begin > duplicate_of->begin)
    Fail("\"record\" is not a record (needs \"id\", then \"duplicate_of\")");
  entry->id_begin = record->begin + id->begin;
  entry->id_end = record->begin + id->end;
  entry->duplicate_of_begin = record->begin + duplicate_of->begin;
  entry->duplicate_of_end = record->begin + duplicate_of->end;
  try {
    entry->key = StoryKeyFromJson(
        Json::parse(text.begin() + dedup->begin, text.begin() + dedup->end), bins_);
  } catch (const std::exception& e) {
    Fail(e.what());
  }
  ++items_;
  return true;
}

void ShardReader::ReadEnd(const std::string& line) {
  Json j;
  try {
    j = Json::parse(line);
    const Json& end = j.at("end");
    totals_.files = Count(end, "files");
    totals_.files_with_items = Count(end, "files_with_items");
    totals_.errors = Count(end, "errors");
    totals_.items = Count(end, "items");
    totals_.bytes = Count(end, "bytes");
  } catch (const std::exception& e) {
    Fail(std::string("bad end line: ") + e.what());
  }
  if (totals_.items != items_)
    Fail("end line counts " + std::to_string(totals_.items) + " items, the shard holds " +
         std::to_string(items_));
  ended_ = true;
  ++line_number_;
  if (std::getline(in_, line_) && !line_.empty()) Fail("a line after the end line");
}

void ShardReader::Entry::AppendFinalRecord(const std::string& id,
                                           const std::string& duplicate_of,
                                           std::string* out) const {
  auto quoted = [](const std::string& s) {
    return Json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const char* p = line.data();
  out->append(p + record_begin, p + id_begin);
  out->append(quoted(id));
  out->append(p + id_end, p + duplicate_of_begin);
  out->append(duplicate_of.empty() ? std::string("null") : quoted(duplicate_of));
  out->append(p + duplicate_of_end, p + record_end);
  out->push_back('\n');
}

}  // namespace newsevents
