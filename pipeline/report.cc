#include "pipeline/report.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/config_error.h"
#include "pipeline/event_type.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Moves `i` back (or forward) onto the first byte of a UTF-8 character.
size_t BackToChar(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() && IsContinuation(s[i])) --i;
  return i;
}
size_t ForwardToChar(std::string_view s, size_t i) {
  while (i < s.size() && IsContinuation(s[i])) ++i;
  return i;
}

// Runs of white space (line breaks included) become one space; ends trimmed.
// A table row shows text, not the file's layout.
std::string Collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ReadWholeFile(const fs::path& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  *ok = static_cast<bool>(in) || in.eof();
  if (!in.is_open()) *ok = false;
  return text.str();
}

std::string StringOr(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->get<std::string>();
}

json NullableString(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return it->get<std::string>();
}

const json& ArrayOr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return kEmpty;
  if (!it->is_array()) throw json::type_error::create(302, std::string(key) + " is not an array", nullptr);
  return *it;
}

// [begin, end) of a span field, or nullopt.
std::optional<std::pair<size_t, size_t>> SpanOf(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array() || it->size() != 2) return std::nullopt;
  const int64_t b = (*it)[0].get<int64_t>(), e = (*it)[1].get<int64_t>();
  if (b < 0 || e < b) return std::nullopt;
  return std::make_pair(static_cast<size_t>(b), static_cast<size_t>(e));
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A file name of a record names a file inside the corpus folder, never
// outside it.
bool IsInsideName(const std::string& name) {
  if (name.empty()) return false;
  const fs::path p(name);
  if (p.is_absolute()) return false;
  for (const auto& part : p) {
    if (part == "..") return false;
  }
  return true;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ReadAsset(const fs::path& dir, const std::string& name) {
  bool ok = false;
  std::string text = ReadWholeFile(dir / name, &ok);
  if (!ok) throw ConfigError((dir / name).string(), 0, "cannot read the report page asset");
  return text;
}

// Pastes `pieces` into `page` in one pass over the template, so that text
// pasted in (the data, say) is never searched for placeholders.
std::string FillTemplate(const std::string& page, const std::string& page_name,
                         const std::vector<std::pair<std::string, std::string>>& pieces) {
  std::string out;
  std::vector<int> used(pieces.size(), 0);
  size_t at = 0;
  while (true) {
    size_t next = std::string::npos;
    size_t which = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const size_t found = page.find(pieces[i].first, at);
      if (found < next) next = found, which = i;
    }
    if (next == std::string::npos) break;
    out.append(page, at, next - at);
    out += pieces[which].second;
    ++used[which];
    at = next + pieces[which].first.size();
  }
  out.append(page, at, std::string::npos);
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (used[i] == 0) throw ConfigError(page_name, 0, "has no " + pieces[i].first + " placeholder");
  }
  return out;
}

}  // namespace

std::optional<Snippet> MakeSnippet(std::string_view file, size_t begin, size_t end,
                                   size_t title_end, size_t max_body, size_t context) {
  if (begin > end || end > file.size()) return std::nullopt;
  Snippet s;
  if (context > 0 && begin > 0) {
    size_t from = ForwardToChar(file, begin > context ? begin - context : 0);
    if (from > 0) {
      // Start on a word: skip to just after the first space, if there is one.
      const size_t space = file.substr(from, begin - from).find_first_of(" \t\n\r");
      if (space != std::string_view::npos) from += space + 1;
    }
    s.before = Collapse(file.substr(from, begin - from));
  }
  size_t body_from = begin;
  if (title_end > begin && title_end <= end) {
    s.title = Collapse(file.substr(begin, title_end - begin));
    body_from = title_end;
  }
  size_t body_to = std::min(end, std::max(body_from, begin + max_body));
  if (body_to < end) {
    s.cut = true;
    body_to = BackToChar(file, body_to);
    // End on a word when one ends in the second half of what is kept.
    const std::string_view kept = file.substr(body_from, body_to - body_from);
    const size_t space = kept.find_last_of(" \t\n\r");
    if (space != std::string_view::npos && space > kept.size() / 2) body_to = body_from + space;
  }
  s.body = Collapse(file.substr(body_from, body_to - body_from));
  if (!s.cut && context > 0 && end < file.size()) {
    size_t to = BackToChar(file, std::min(file.size(), end + context));
    if (to < file.size()) {
      const std::string_view kept = file.substr(end, to - end);
      const size_t space = kept.find_last_of(" \t\n\r");
      if (space != std::string_view::npos) to = end + space;
    }
    s.after = Collapse(file.substr(end, to - end));
  }
  return s;
}

ReportBuilder::ReportBuilder(ReportOptions options) : options_(std::move(options)) {}

int ReportBuilder::Intern(std::unordered_map<std::string, int>& index,
                          std::vector<std::string>& names, const std::string& name) {
  auto [it, added] = index.emplace(name, static_cast<int>(names.size()));
  if (added) names.push_back(name);
  return it->second;
}

int ReportBuilder::FileIndex(const std::string& name) {
  const int i = Intern(file_index_, files_, name);
  if (static_cast<size_t>(i) == file_missing_.size()) file_missing_.push_back(false);
  return i;
}

const std::string* ReportBuilder::SourceText(int file) {
  if (file_missing_[file]) return nullptr;
  if (loaded_file_ == file) return &loaded_text_;
  const std::string& name = files_[file];
  bool ok = IsInsideName(name);
  const fs::path path = fs::path(options_.corpus_dir) / name;
  if (ok) {
    std::error_code ec;
    ok = fs::is_regular_file(path, ec);
  }
  if (ok) loaded_text_ = ReadWholeFile(path, &ok);
  if (!ok) {
    file_missing_[file] = true;
    missing_files_.insert(name);
    loaded_file_ = -1;
    return nullptr;
  }
  loaded_file_ = file;
  return &loaded_text_;
}

json ReportBuilder::SnippetOf(const json& record, int file) {
  auto it = record.find("source");
  if (it == record.end() || !it->is_object()) return nullptr;
  const json& source = *it;
  const auto span = SpanOf(source, "span");
  if (!span) return nullptr;
  const std::string* text = SourceText(file);
  if (text == nullptr) return nullptr;
  const auto title_span = SpanOf(source, "title_span");
  size_t title_end = span->first;
  if (title_span && title_span->first == span->first) title_end = title_span->second;
  // The title the run read must still be at its place: otherwise the file
  // changed since, and any snippet of it would show the wrong text.
  const std::string title = StringOr(record, "title");
  const bool title_moved =
      title_span && !title.empty() &&
      (title_span->second > text->size() ||
       std::string_view(*text).substr(title_span->first, title_span->second - title_span->first) !=
           title);
  std::optional<Snippet> s;
  if (!title_moved) {
    s = MakeSnippet(*text, span->first, span->second, title_end, options_.snippet_bytes,
                    options_.context_bytes);
  }
  if (!s) {
    ++span_mismatches_;
    return nullptr;
  }
  return json::array({s->before, s->title, s->body, s->after, s->cut});
}

bool ReportBuilder::Add(const json& r) {
  json row;
  try {
    const std::string id = r.at("id").get<std::string>();
    if (id.empty()) throw json::type_error::create(302, "empty id", nullptr);
    const json& source = r.contains("source") ? r.at("source") : json::object();
    const int file = FileIndex(StringOr(source, "file"));
    const int64_t item = source.contains("item") ? source.at("item").get<int64_t>() : -1;
    const auto span = SpanOf(source, "span");

    std::string start, end;
    if (auto ed = r.find("event_date"); ed != r.end() && ed->is_object()) {
      start = StringOr(*ed, "start");
      end = StringOr(*ed, "end");
    }
    json orgs = json::array();
    for (const json& o : ArrayOr(r, "organizations")) {
      const std::string name = o.at("name").get<std::string>();
      auto [it, added] = org_index_.emplace(name, static_cast<int>(orgs_.size()));
      if (added) orgs_.push_back({name, {}});
      for (const json& a : ArrayOr(o, "aliases")) orgs_[it->second].aliases.insert(a.get<std::string>());
      orgs.push_back(it->second);
    }
    json places = json::array();
    for (const json& p : ArrayOr(r, "places")) {
      const std::string name = StringOr(p, "name");
      std::string canonical = StringOr(p, "canonical");
      if (canonical.empty()) canonical = name;
      const std::string kind = StringOr(p, "kind"), country = StringOr(p, "country");
      const std::string key = canonical + '\t' + country + '\t' + kind;
      auto [it, added] = place_index_.emplace(key, static_cast<int>(places_.size()));
      if (added) places_.push_back({canonical, kind, country, {}});
      if (!name.empty() && name != canonical) places_[it->second].names.insert(name);
      places.push_back(it->second);
    }
    json people = json::array();
    for (const json& p : ArrayOr(r, "people")) people.push_back(p.at("name").get<std::string>());
    json dates = json::array();
    for (const json& d : ArrayOr(r, "dates")) {
      dates.push_back({StringOr(d, "text"), StringOr(d, "value"), NullableString(d, "end"),
                       StringOr(d, "precision")});
    }
    json organizers = json::array();
    for (const json& o : ArrayOr(r, "organizers")) organizers.push_back(o.get<std::string>());
    json warnings = json::array();
    for (const json& w : ArrayOr(r, "warnings")) warnings.push_back(StringOr(w, "message"));
    auto number_or_null = [&](const char* key) -> json {
      auto it = r.find(key);
      return it == r.end() || !it->is_number() ? json(nullptr) : *it;
    };

    std::string type = StringOr(r, "event_type");
    if (type.empty()) type = "other";
    std::string lang = StringOr(r, "lang");
    if (lang.empty()) lang = "und";

    row = json::array({
        id,
        NullableString(r, "title"),
        Intern(type_index_, types_, type),
        Intern(lang_index_, langs_, lang),
        start.empty() ? json(nullptr) : json(start),
        end.empty() ? json(nullptr) : json(end),
        file,
        item,
        span ? json::array({span->first, span->second}) : json(nullptr),
        std::move(orgs),
        std::move(places),
        std::move(people),
        NullableString(r, "duplicate_of"),
        number_or_null("event_type_confidence"),
        std::move(dates),
        NullableString(r, "online"),
        NullableString(r, "role"),
        number_or_null("participants"),
        number_or_null("nationalities"),
        std::move(organizers),
        std::move(warnings),
        SnippetOf(r, file),
    });
  } catch (const json::exception&) {
    ++rejected_;
    return false;
  }
  if (records_++ > 0) events_text_ += ",\n";
  events_text_ += Dump(row);
  return true;
}

std::map<std::string, std::string> LoadCountryNames(const std::string& data_root) {
  std::map<std::string, std::string> names;
  std::ifstream in(fs::path(data_root) / "models" / "places" / "places.tsv");
  std::string line;
  // Rows "iso:CA<TAB>Canada<TAB>country<TAB><TAB>CA<TAB>...": the country rows.
  while (std::getline(in, line)) {
    if (line.rfind("iso:", 0) != 0) continue;
    std::vector<std::string> cols;
    std::stringstream fields(line);
    std::string col;
    while (cols.size() < 5 && std::getline(fields, col, '\t')) cols.push_back(col);
    if (cols.size() == 5 && cols[2] == "country" && cols[4].size() == 2) names[cols[4]] = cols[1];
  }
  return names;
}

std::string ReportBuilder::Finish() {
  // Types in the taxonomy's order, so a type keeps its colour from one
  // report to the next; types it does not declare come after.
  EventTaxonomy taxonomy;
  try {
    taxonomy = EventTaxonomy::Load(
        (fs::path(options_.data_root) / "rules" / "common" / "event_taxonomy.rules").string());
  } catch (const ConfigError&) {
    // Without it the page still works: types get colours by first use.
  }
  json types = json::array();
  int extra_slot = static_cast<int>(taxonomy.types.size());
  for (const std::string& name : types_) {
    const int t = taxonomy.Find(name);
    types.push_back({{"name", name},
                     {"description", t >= 0 ? taxonomy.types[t].description : ""},
                     {"slot", t >= 0 ? t : extra_slot++}});
  }
  json files = json::array();
  for (size_t i = 0; i < files_.size(); ++i) {
    files.push_back({{"name", files_[i]}, {"missing", static_cast<bool>(file_missing_[i])}});
  }
  json orgs = json::array();
  for (const Org& o : orgs_) orgs.push_back({o.name, o.aliases});
  json places = json::array();
  std::set<std::string> codes;
  for (const Place& p : places_) {
    places.push_back({p.canonical, p.kind, p.country.empty() ? json(nullptr) : json(p.country),
                      p.names});
    if (!p.country.empty()) codes.insert(p.country);
  }
  json countries = json::object();
  const auto country_names = LoadCountryNames(options_.data_root);
  for (const std::string& code : codes) {
    auto it = country_names.find(code);
    countries[code] = it != country_names.end() ? it->second : code;
  }

  std::vector<std::string> notes = notes_;
  if (!missing_files_.empty()) {
    std::string list;
    size_t shown = 0;
    for (const std::string& f : missing_files_) {
      if (shown++ == 5) {
        list += ", ... (" + std::to_string(missing_files_.size() - 5) + " more)";
        break;
      }
      list += (list.empty() ? "" : ", ") + f;
    }
    notes.push_back(std::to_string(missing_files_.size()) + " of " + std::to_string(files_.size()) +
                    " source files are not in " + options_.corpus_dir +
                    " (give their folder with --corpus): their events have no snippet. " +
                    "Missing: " + list);
  }
  if (span_mismatches_ > 0) {
    notes.push_back(std::to_string(span_mismatches_) +
                    " events point at text their source file no longer has there (the file "
                    "changed since the run?): they have no snippet");
  }
  if (rejected_ > 0) {
    notes.push_back(std::to_string(rejected_) +
                    " records lacked an id or had a field of the wrong kind and were left out");
  }

  const json meta = {
      {"title", options_.title},
      {"source", options_.source},
      {"corpus", options_.corpus_dir},
      {"generated", UtcNow()},
      {"version", NEWSEVENTS_VERSION},
      {"records", records_},
      {"notes", notes},
  };
  static const json kColumns = {
      "id",     "title", "type",    "lang",         "start",         "end",        "file",
      "item",   "span",  "orgs",    "places",       "people",        "duplicate_of", "confidence",
      "dates",  "online", "role",   "participants", "nationalities", "organizers", "warnings",
      "snippet"};
  std::string out;
  out.reserve(events_text_.size() + 4096);
  out += "{\"meta\":" + Dump(meta);
  out += ",\n\"columns\":" + Dump(kColumns);
  out += ",\n\"types\":" + Dump(types);
  out += ",\n\"langs\":" + Dump(langs_);
  out += ",\n\"files\":" + Dump(files);
  out += ",\n\"orgs\":" + Dump(orgs);
  out += ",\n\"places\":" + Dump(places);
  out += ",\n\"countries\":" + Dump(countries);
  out += ",\n\"events\":[\n";
  out += events_text_;
  out += "]}\n";
  std::string().swap(events_text_);
  return out;
}

std::string RenderReportPage(const std::string& data, const ReportOptions& options) {
  const fs::path dir = fs::path(options.data_root) / "report";
  const std::string page = ReadAsset(dir, "template.html");
  const std::string style = ReadAsset(dir, "style.css");
  const std::string script = ReadAsset(dir, "report.js");
  if (style.find("</style") != std::string::npos) {
    throw ConfigError((dir / "style.css").string(), 0, "contains </style, which would end it early");
  }
  if (script.find("</script") != std::string::npos) {
    throw ConfigError((dir / "report.js").string(), 0, "contains </script, which would end it early");
  }
  // In a <script> element only "</script" and "<!--" matter; JSON has '<'
  // only inside strings, where \u003c means the same.
  std::string safe_data;
  safe_data.reserve(data.size() + data.size() / 64);
  for (char c : data) {
    if (c == '<') {
      safe_data += "\\u003c";
    } else {
      safe_data += c;
    }
  }
  return FillTemplate(page, (dir / "template.html").string(),
                      {{"{{TITLE}}", HtmlEscape(options.title)},
                       {"/*{{STYLE}}*/", style},
                       {"/*{{SCRIPT}}*/", script},
                       {"{{DATA}}", safe_data}});
}

}  // namespace newsevents
