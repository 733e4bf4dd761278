#include "pipeline/eval.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "pipeline/eval_text.h"

namespace newsevents {

using nlohmann::json;
namespace fs = std::filesystem;

double PrfCounts::precision() const {
  return predicted ? static_cast<double>(matched) / predicted
                   : std::numeric_limits<double>::quiet_NaN();
}
double PrfCounts::recall() const {
  return gold ? static_cast<double>(matched) / gold : std::numeric_limits<double>::quiet_NaN();
}
double PrfCounts::f1() const {
  // Nothing matched out of something: 0, even when one ratio is undefined
  // (no prediction at all is no better than wrong predictions).
  if (matched == 0) {
    return gold || predicted ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  }
  const double p = precision(), r = recall();
  return 2 * p * r / (p + r);
}
double AccuracyCounts::accuracy() const {
  return n ? static_cast<double>(correct) / n : std::numeric_limits<double>::quiet_NaN();
}

namespace {

// ---------------------------------------------------------------------------
// What is compared, read from gold and records into one shape.

struct EventDateValue {
  std::string start;
  std::string end;  // "" for a single date
  friend bool operator==(const EventDateValue&, const EventDateValue&) = default;
};

struct DateValue {
  std::string text;
  std::string key;  // MentionKey(text)
  std::string value;
  std::string end;
};

// An organization, place or person: what is shown, and the keys it answers to.
struct Named {
  std::string shown;
  std::vector<std::string> keys;  // NameKey of name, aliases, canonical
};

struct Fields {
  std::optional<std::string> title;
  std::string event_type;  // "" when absent
  std::optional<EventDateValue> event_date;
  std::vector<DateValue> dates;
  std::vector<Named> organizations;
  std::vector<Named> places;
  std::vector<Named> people;
  std::string duplicate_of;  // "" when null
};

struct GoldItem {
  std::string file;
  size_t index = 0;
  std::string key;  // "file#index"
  std::string starts_with;
  Fields fields;
  size_t anchor = std::string::npos;
  std::string unmatched_reason;
};

struct Record {
  std::string id;
  std::string file;
  size_t begin = 0;
  size_t end = 0;
  Fields fields;
};

// ---------------------------------------------------------------------------
// JSON shape checking. Every error names the file, the line (records) and the
// path inside the object, so the broken line can be fixed without guessing.

class ShapeReader {
 public:
  ShapeReader(std::string file, int line) : file_(std::move(file)), line_(line) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw EvalInputError(file_, line_, (path.empty() ? "" : path + ": ") + message);
  }

  // A member that may be absent or null (-> nullptr).
  const json* Optional(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) Fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }
  const json& Required(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) Fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) Fail(Join(path, key), "missing");
    return *it;
  }
  std::optional<std::string> OptString(const json& obj, const std::string& path,
                                       const char* key) const {
    const json* v = Optional(obj, path, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) Fail(Join(path, key), "expected a string or null");
    return v->get<std::string>();
  }
  std::string String(const json& obj, const std::string& path, const char* key) const {
    const json& v = Required(obj, path, key);
    if (!v.is_string()) Fail(Join(path, key), "expected a string");
    return v.get<std::string>();
  }
  const json* OptArray(const json& obj, const std::string& path, const char* key) const {
    const json* v = Optional(obj, path, key);
    if (v && !v->is_array()) Fail(Join(path, key), "expected an array");
    return v;
  }
  std::vector<std::string> Strings(const json& arr, const std::string& path) const {
    std::vector<std::string> out;
    for (size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) Fail(path + "/" + std::to_string(i), "expected a string");
      out.push_back(arr[i].get<std::string>());
    }
    return out;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "/" + key;
  }

 private:
  std::string file_;
  int line_;
};

void AddKey(Named& n, const std::string& text) {
  std::string key = NameKey(text);
  if (key.empty()) return;
  if (std::find(n.keys.begin(), n.keys.end(), key) == n.keys.end()) n.keys.push_back(key);
}

std::string Shown(const std::string& name, const std::vector<std::string>& aliases) {
  std::string s = name;
  std::string extra;
  for (const std::string& a : aliases) {
    if (a.empty() || a == name) continue;
    extra += extra.empty() ? a : ", " + a;
  }
  if (!extra.empty()) s += " (" + extra + ")";
  return s;
}

std::optional<EventDateValue> ReadEventDate(const ShapeReader& r, const json& obj,
                                            const std::string& path) {
  const json* v = r.Optional(obj, path, "event_date");
  if (!v) return std::nullopt;
  const std::string p = ShapeReader::Join(path, "event_date");
  if (!v->is_object()) r.Fail(p, "expected an object or null");
  EventDateValue d;
  d.start = r.OptString(*v, p, "start").value_or("");
  d.end = r.OptString(*v, p, "end").value_or("");
  return d;
}

// Fields common to gold items and records; `gold` selects the gold shapes
// (places and people as strings) over the record shapes (objects).
Fields ReadFields(const ShapeReader& r, const json& obj, const std::string& path, bool gold) {
  Fields f;
  f.title = r.OptString(obj, path, "title");
  f.event_type = r.OptString(obj, path, "event_type").value_or("");
  f.event_date = ReadEventDate(r, obj, path);
  f.duplicate_of = r.OptString(obj, path, "duplicate_of").value_or("");

  if (const json* dates = r.OptArray(obj, path, "dates")) {
    for (size_t i = 0; i < dates->size(); ++i) {
      const std::string p = path + (path.empty() ? "" : "/") + "dates/" + std::to_string(i);
      const json& d = (*dates)[i];
      DateValue v;
      v.text = r.String(d, p, "text");
      v.key = MentionKey(v.text);
      v.value = r.OptString(d, p, "value").value_or("");
      v.end = r.OptString(d, p, "end").value_or("");
      f.dates.push_back(std::move(v));
    }
  }
  if (const json* orgs = r.OptArray(obj, path, "organizations")) {
    for (size_t i = 0; i < orgs->size(); ++i) {
      const std::string p = ShapeReader::Join(path, "organizations/" + std::to_string(i));
      const json& o = (*orgs)[i];
      const std::string name = r.String(o, p, "name");
      std::vector<std::string> aliases;
      if (const json* a = r.OptArray(o, p, "aliases")) aliases = r.Strings(*a, p + "/aliases");
      Named n{Shown(name, aliases), {}};
      AddKey(n, name);
      for (const std::string& a : aliases) AddKey(n, a);
      f.organizations.push_back(std::move(n));
    }
  }
  if (const json* places = r.OptArray(obj, path, "places")) {
    for (size_t i = 0; i < places->size(); ++i) {
      const std::string p = ShapeReader::Join(path, "places/" + std::to_string(i));
      const json& pl = (*places)[i];
      Named n;
      if (gold || pl.is_string()) {
        if (!pl.is_string()) r.Fail(p, "expected a string");
        n.shown = pl.get<std::string>();
        AddKey(n, n.shown);
      } else {
        n.shown = r.String(pl, p, "name");
        AddKey(n, n.shown);
        if (auto canonical = r.OptString(pl, p, "canonical")) {
          if (!canonical->empty() && *canonical != n.shown) {
            n.shown += " (" + *canonical + ")";
          }
          AddKey(n, *canonical);
        }
      }
      f.places.push_back(std::move(n));
    }
  }
  if (const json* people = r.OptArray(obj, path, "people")) {
    for (size_t i = 0; i < people->size(); ++i) {
      const std::string p = ShapeReader::Join(path, "people/" + std::to_string(i));
      const json& pe = (*people)[i];
      Named n;
      if (gold || pe.is_string()) {
        if (!pe.is_string()) r.Fail(p, "expected a string");
        n.shown = pe.get<std::string>();
      } else {
        n.shown = r.String(pe, p, "name");
      }
      AddKey(n, n.shown);
      f.people.push_back(std::move(n));
    }
  }
  return f;
}

size_t ReadOffset(const ShapeReader& r, const json& v, const std::string& path) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    r.Fail(path, "expected a byte offset (a non-negative integer)");
  }
  return v.get<size_t>();
}

Record ReadRecord(const json& obj, const std::string& file, int line) {
  ShapeReader r(file, line);
  if (!obj.is_object()) r.Fail("", "a record must be a JSON object");
  Record rec;
  rec.id = r.String(obj, "", "id");
  const json& source = r.Required(obj, "", "source");
  rec.file = r.String(source, "source", "file");
  const json& span = r.Required(source, "source", "span");
  if (!span.is_array() || span.size() != 2) r.Fail("source/span", "expected [begin, end]");
  rec.begin = ReadOffset(r, span[0], "source/span/0");
  rec.end = ReadOffset(r, span[1], "source/span/1");
  if (rec.end < rec.begin) r.Fail("source/span", "end before begin");
  rec.fields = ReadFields(r, obj, "", /*gold=*/false);
  return rec;
}

std::string ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EvalInputError(path, 0, "cannot read " + what);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int LineOfByte(const std::string& text, size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + byte, '\n'));
}

struct GoldFile {
  std::string source;
  std::vector<GoldItem> items;
};

GoldFile ReadGoldFile(const fs::path& path) {
  const std::string file = path.string();
  const std::string text = ReadWholeFile(file, "gold file");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based, pointing just past the offending character.
    throw EvalInputError(file, LineOfByte(text, e.byte ? e.byte - 1 : 0),
                         std::string("invalid JSON: ") + e.what());
  }
  ShapeReader r(file, 0);
  GoldFile gold;
  gold.source = r.String(doc, "", "source");
  const json& items = r.Required(doc, "", "items");
  if (!items.is_array()) r.Fail("items", "expected an array");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string p = "items/" + std::to_string(i);
    GoldItem g;
    g.file = gold.source;
    g.index = i;
    g.key = gold.source + "#" + std::to_string(i);
    g.starts_with = r.String(items[i], p, "starts_with");
    g.fields = ReadFields(r, items[i], p, /*gold=*/true);
    if (!g.fields.title && g.starts_with.empty()) {
      r.Fail(p, "neither title nor starts_with: the item cannot be located");
    }
    gold.items.push_back(std::move(g));
  }
  return gold;
}

// ---------------------------------------------------------------------------
// One-to-one matching. `affinity(g, p)` is 0 for "cannot match", higher for
// "preferred". Kuhn's augmenting paths give the largest matching, trying each
// gold entry's preferred partners first, so a greedy early choice (a generic
// acronym grabbing the wrong entity) never lowers the count.
std::vector<int> MatchOneToOne(size_t n_gold, size_t n_pred,
                               const std::function<int(size_t, size_t)>& affinity) {
  std::vector<std::vector<int>> adj(n_gold);
  for (size_t g = 0; g < n_gold; ++g) {
    std::vector<std::pair<int, int>> edges;  // (-affinity, pred)
    for (size_t p = 0; p < n_pred; ++p) {
      int a = affinity(g, p);
      if (a > 0) edges.push_back({-a, static_cast<int>(p)});
    }
    std::stable_sort(edges.begin(), edges.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& e : edges) adj[g].push_back(e.second);
  }
  std::vector<int> pred_to_gold(n_pred, -1), gold_to_pred(n_gold, -1);
  std::vector<char> seen;
  std::function<bool(int)> augment = [&](int g) {
    for (int p : adj[g]) {
      if (seen[p]) continue;
      seen[p] = 1;
      if (pred_to_gold[p] < 0 || augment(pred_to_gold[p])) {
        pred_to_gold[p] = g;
        gold_to_pred[g] = p;
        return true;
      }
    }
    return false;
  };
  for (size_t g = 0; g < n_gold; ++g) {
    seen.assign(n_pred, 0);
    augment(static_cast<int>(g));
  }
  return gold_to_pred;
}

bool SharesKey(const Named& a, const Named& b) {
  for (const std::string& k : a.keys) {
    if (std::find(b.keys.begin(), b.keys.end(), k) != b.keys.end()) return true;
  }
  return false;
}

std::string ShowEventDate(const std::optional<EventDateValue>& d) {
  if (!d) return "none";
  return d->end.empty() ? d->start : d->start + ".." + d->end;
}

std::string ShowDateValue(const DateValue& d) {
  return d.end.empty() ? d.value : d.value + ".." + d.end;
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string Abbreviated(const std::string& s, size_t max_bytes = 60) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

class Scorer {
 public:
  Scorer(std::vector<GoldFile> gold, std::vector<Record> records)
      : gold_(std::move(gold)), records_(std::move(records)) {}

  EvalReport Run(const std::string& corpus_dir) {
    IndexGold();
    for (size_t f = 0; f < gold_.size(); ++f) MatchFile(f, corpus_dir);
    // Differences file by file: gold items in order, then stray records.
    for (size_t f = 0; f < gold_.size(); ++f) {
      for (GoldItem& g : gold_[f].items) {
        if (g.anchor == std::string::npos || gold_to_record_.count(g.key) == 0) {
          Diff(g.key, "item", "missed",
               Quoted(Abbreviated(g.fields.title.value_or(g.starts_with))) + " (" +
                   g.unmatched_reason + ")",
               "");
          continue;
        }
        const Record& rec = records_[gold_to_record_.at(g.key)];
        context_ = Quoted(Abbreviated(g.fields.title.value_or(g.starts_with))) + " -> record " +
                   rec.id;
        CompareFields(g, rec);
        context_.clear();
      }
      ReportSpuriousRecords(gold_[f].source);
    }
    return std::move(report_);
  }

 private:
  void IndexGold() {
    for (GoldFile& gf : gold_) {
      gold_files_.insert(gf.source);
      for (GoldItem& g : gf.items) gold_by_key_[g.key] = &g;
    }
    for (size_t i = 0; i < records_.size(); ++i) {
      Record& rec = records_[i];
      record_by_id_.emplace(rec.id, i);  // first wins on repeated ids
      if (!gold_files_.count(rec.file)) {
        // A run over a nested drop may name files by relative path; gold
        // names them by file name.
        std::string base = fs::path(rec.file).filename().string();
        if (gold_files_.count(base)) rec.file = std::move(base);
      }
      if (gold_files_.count(rec.file)) records_by_file_[rec.file].push_back(i);
    }
    record_to_gold_.assign(records_.size(), nullptr);
  }

  // Locates each gold item's anchor, then pairs items and records one to one.
  void MatchFile(size_t f, const std::string& corpus_dir) {
    GoldFile& gf = gold_[f];
    const std::string path = (fs::path(corpus_dir) / gf.source).string();
    AnchorFinder finder(ReadWholeFile(path, "corpus file named by gold (see --corpus)"));
    size_t cursor = 0;
    for (GoldItem& g : gf.items) {
      size_t end = 0;
      size_t pos = std::string::npos;
      if (g.fields.title) pos = finder.Find(*g.fields.title, cursor, &end);
      if (pos == std::string::npos) pos = finder.Find(g.starts_with, cursor, &end);
      if (pos == std::string::npos) {
        g.unmatched_reason = "anchor not found in the corpus file after byte " +
                             std::to_string(cursor);
        continue;
      }
      g.anchor = pos;
      cursor = end;
    }

    const std::vector<size_t>& recs = records_by_file_[gf.source];
    report_.items.gold += gf.items.size();
    report_.items.predicted += recs.size();

    // Candidate pairs: the record's span contains the anchor.
    struct Pair {
      GoldItem* gold;
      size_t record;
      bool same_title;
    };
    std::vector<Pair> pairs;
    for (GoldItem& g : gf.items) {
      if (g.anchor == std::string::npos) continue;
      for (size_t r : recs) {
        const Record& rec = records_[r];
        if (rec.begin <= g.anchor && g.anchor < rec.end) {
          bool same_title = g.fields.title && rec.fields.title &&
                            NameKey(*g.fields.title) == NameKey(*rec.fields.title);
          pairs.push_back({&g, r, same_title});
        }
      }
    }
    // Title-equal pairs first, then the rest; each in gold order.
    for (int pass = 0; pass < 2; ++pass) {
      for (const Pair& p : pairs) {
        if (pass == 0 && !p.same_title) continue;
        if (gold_to_record_.count(p.gold->key) || record_to_gold_[p.record]) continue;
        gold_to_record_[p.gold->key] = p.record;
        record_to_gold_[p.record] = p.gold;
        ++report_.items.matched;
      }
    }
    for (GoldItem& g : gf.items) {
      if (g.anchor == std::string::npos || gold_to_record_.count(g.key)) continue;
      const std::string at = "anchor at byte " + std::to_string(g.anchor);
      g.unmatched_reason = at + ": no record covers it";
      for (const Pair& p : pairs) {
        if (p.gold != &g) continue;
        g.unmatched_reason = at + " is inside record " + records_[p.record].id +
                             ", already matched to " + record_to_gold_[p.record]->key;
        break;
      }
    }
  }

  void CompareFields(const GoldItem& g, const Record& rec) {
    const Fields& gf = g.fields;
    const Fields& pf = rec.fields;
    CompareDates(g.key, gf.dates, pf.dates);

    report_.event_date.n++;
    if (gf.event_date == pf.event_date) {
      report_.event_date.correct++;
    } else {
      Diff(g.key, "event_date", "wrong", ShowEventDate(gf.event_date),
           ShowEventDate(pf.event_date));
    }

    CompareNamed(g.key, "organizations", gf.organizations, pf.organizations, report_.organizations);
    CompareNamed(g.key, "places", gf.places, pf.places, report_.places);
    CompareNamed(g.key, "people", gf.people, pf.people, report_.people);
    CompareDuplicate(g, rec);

    const std::string predicted_type = pf.event_type.empty() ? "(none)" : pf.event_type;
    report_.event_type.n++;
    report_.type_confusion[gf.event_type][predicted_type]++;
    if (gf.event_type == pf.event_type) {
      report_.event_type.correct++;
    } else {
      Diff(g.key, "event_type", "wrong", gf.event_type, predicted_type);
    }
  }

  // Mentions match on their text, as a multiset; the k-th gold occurrence of
  // a text pairs with the k-th predicted one (both lists are in text order),
  // and matched pairs are then checked for their values.
  void CompareDates(const std::string& where, const std::vector<DateValue>& gold,
                    const std::vector<DateValue>& pred) {
    report_.dates.gold += gold.size();
    report_.dates.predicted += pred.size();
    std::vector<char> used(pred.size(), 0);
    for (const DateValue& gd : gold) {
      const DateValue* match = nullptr;
      for (size_t p = 0; p < pred.size(); ++p) {
        if (!used[p] && pred[p].key == gd.key) {
          used[p] = 1;
          match = &pred[p];
          break;
        }
      }
      if (!match) {
        Diff(where, "dates", "missed", Quoted(gd.text) + " = " + ShowDateValue(gd), "");
        continue;
      }
      report_.dates.matched++;
      report_.date_values.n++;
      if (match->value == gd.value && match->end == gd.end) {
        report_.date_values.correct++;
      } else {
        Diff(where, "date_value", "wrong", Quoted(gd.text) + " = " + ShowDateValue(gd),
             ShowDateValue(*match).empty() ? "none" : ShowDateValue(*match));
      }
    }
    for (size_t p = 0; p < pred.size(); ++p) {
      if (!used[p]) {
        Diff(where, "dates", "spurious", "", Quoted(pred[p].text) + " = " + ShowDateValue(pred[p]));
      }
    }
  }

  void CompareNamed(const std::string& where, const char* field, const std::vector<Named>& gold,
                    const std::vector<Named>& pred, PrfCounts& counts) {
    counts.gold += gold.size();
    counts.predicted += pred.size();
    std::vector<int> match = MatchOneToOne(gold.size(), pred.size(), [&](size_t g, size_t p) {
      if (!SharesKey(gold[g], pred[p])) return 0;
      // Same main name is preferred over a match through an alias.
      return !gold[g].keys.empty() && !pred[p].keys.empty() &&
                     gold[g].keys[0] == pred[p].keys[0]
                 ? 2
                 : 1;
    });
    std::vector<char> used(pred.size(), 0);
    for (size_t g = 0; g < gold.size(); ++g) {
      if (match[g] >= 0) {
        counts.matched++;
        used[match[g]] = 1;
      } else {
        Diff(where, field, "missed", gold[g].shown, "");
      }
    }
    for (size_t p = 0; p < pred.size(); ++p) {
      if (!used[p]) Diff(where, field, "spurious", "", pred[p].shown);
    }
  }

  // The first telling of a story: gold duplicate_of links followed to the end.
  std::string Root(std::string key) const {
    for (int hops = 0; hops < 1000; ++hops) {
      auto it = gold_by_key_.find(key);
      if (it == gold_by_key_.end() || it->second->fields.duplicate_of.empty()) break;
      key = it->second->fields.duplicate_of;
    }
    return key;
  }

  // A predicted link is right when it points to (a record matched to) any
  // earlier telling of the same story: gold links all lead to the first
  // telling, but pointing at the second of three is no less correct.
  void CompareDuplicate(const GoldItem& g, const Record& rec) {
    const std::string& gold_link = g.fields.duplicate_of;
    const std::string& pred_link = rec.fields.duplicate_of;
    if (!gold_link.empty()) report_.duplicates.gold++;
    if (pred_link.empty()) {
      if (!gold_link.empty()) Diff(g.key, "duplicate_of", "missed", gold_link, "none");
      return;
    }
    report_.duplicates.predicted++;
    std::string got = pred_link;
    const GoldItem* target = nullptr;
    auto it = record_by_id_.find(pred_link);
    if (it == record_by_id_.end()) {
      got += " (no record has this id)";
    } else if (!(target = record_to_gold_[it->second])) {
      got += " (a record matching no gold item)";
    } else {
      got = target->key + " (" + pred_link + ")";
    }
    const bool right = !gold_link.empty() && target && target != &g &&
                       Root(target->key) == Root(gold_link);
    if (right) {
      report_.duplicates.matched++;
    } else {
      Diff(g.key, "duplicate_of", gold_link.empty() ? "spurious" : "wrong",
           gold_link.empty() ? "" : gold_link, got);
    }
  }

  void ReportSpuriousRecords(const std::string& file) {
    std::vector<size_t> spurious;
    for (size_t r : records_by_file_[file]) {
      if (!record_to_gold_[r]) spurious.push_back(r);
    }
    std::sort(spurious.begin(), spurious.end(), [&](size_t a, size_t b) {
      return std::pair(records_[a].begin, records_[a].end) <
             std::pair(records_[b].begin, records_[b].end);
    });
    for (size_t r : spurious) {
      const Record& rec = records_[r];
      // Appended piecewise: GCC 12 misreads `"literal" + std::string&&`
      // as an overlapping copy (a false -Wrestrict warning).
      std::string got = rec.id;
      got += " [";
      got += std::to_string(rec.begin);
      got += ",";
      got += std::to_string(rec.end);
      got += ")";
      if (rec.fields.title) {
        got += ' ';
        got += Quoted(Abbreviated(*rec.fields.title));
      }
      Diff(rec.file + "@" + std::to_string(rec.begin), "item", "spurious", "", got);
    }
  }

  void Diff(const std::string& where, const std::string& field, const std::string& kind,
            const std::string& expected, const std::string& got) {
    report_.diffs.push_back({where, field, kind, expected, got, context_});
  }

  std::string context_;  // of the item being compared

  std::vector<GoldFile> gold_;
  std::vector<Record> records_;
  std::set<std::string> gold_files_;
  std::unordered_map<std::string, GoldItem*> gold_by_key_;
  std::unordered_map<std::string, size_t> record_by_id_;
  std::map<std::string, std::vector<size_t>> records_by_file_;
  std::unordered_map<std::string, size_t> gold_to_record_;
  std::vector<const GoldItem*> record_to_gold_;
  EvalReport report_;
};

}  // namespace

void ValidateRecord(const json& record, const std::string& file, int line) {
  ReadRecord(record, file, line);
}

std::vector<json> ReadRecordsFile(const std::string& path) {
  std::ifstream file_in;
  std::istream* in = &std::cin;
  const std::string name = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    if (fs::is_directory(path)) throw EvalInputError(path, 0, "is a directory, not a records file");
    file_in.open(path, std::ios::binary);
    if (!file_in) throw EvalInputError(path, 0, "cannot read records file");
    in = &file_in;
  }
  std::vector<json> records;
  std::string line;
  int line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    json record;
    try {
      record = json::parse(line);
    } catch (const json::parse_error& e) {
      throw EvalInputError(name, line_no, std::string("invalid JSON: ") + e.what());
    }
    ValidateRecord(record, name, line_no);
    records.push_back(std::move(record));
  }
  if (in->bad()) throw EvalInputError(name, line_no, "read error");
  return records;
}

EvalReport Evaluate(const std::string& gold_dir, const std::string& corpus_dir,
                    const std::vector<json>& records) {
  std::error_code ec;
  if (!fs::is_directory(gold_dir, ec)) throw EvalInputError(gold_dir, 0, "not a gold directory");
  std::vector<fs::path> gold_paths;
  for (const fs::directory_entry& e : fs::directory_iterator(gold_dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > 10 &&
        name.compare(name.size() - 10, 10, ".gold.json") == 0) {
      gold_paths.push_back(e.path());
    }
  }
  if (gold_paths.empty()) throw EvalInputError(gold_dir, 0, "no *.gold.json file");
  std::sort(gold_paths.begin(), gold_paths.end());

  std::vector<GoldFile> gold;
  std::set<std::string> sources;
  for (const fs::path& p : gold_paths) {
    gold.push_back(ReadGoldFile(p));
    if (!sources.insert(gold.back().source).second) {
      throw EvalInputError(p.string(), 0, "a second gold file for " + gold.back().source);
    }
  }

  std::vector<Record> parsed;
  parsed.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    parsed.push_back(ReadRecord(records[i], "record " + std::to_string(i + 1), 0));
  }
  return Scorer(std::move(gold), std::move(parsed)).Run(corpus_dir);
}

}  // namespace newsevents
