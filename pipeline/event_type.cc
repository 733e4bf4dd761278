#include "pipeline/event_type.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/folded_pattern.h"
#include "pipeline/rule_file.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

double ParseNumber(const RuleField& field, const std::string& file) {
  try {
    size_t used = 0;
    const double v = std::stod(field.value, &used);
    if (used == field.value.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw ConfigError(file, field.line,
                    "'" + field.key + "' must be a number, got '" + field.value + "'");
}

std::string RootOf(const StageOptions& options) {
  return options.root.empty() ? DataRoot() : options.root;
}

// Splits "title, first_sentence,body".
std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream ss(value);
  std::string part;
  while (std::getline(ss, part, ',')) {
    const size_t b = part.find_first_not_of(" \t");
    const size_t e = part.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- taxonomy

int EventTaxonomy::Find(const std::string& name) const {
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i].name == name) return static_cast<int>(i);
  return -1;
}

EventTaxonomy EventTaxonomy::Load(const std::string& path) {
  EventTaxonomy t;
  bool scoring_seen = false;
  std::array<bool, kZoneCount> zone_seen = {false, false, false};
  for (const RuleBlock& block : ParseRuleFile(path)) {
    const int kinds = block.Has("type") + block.Has("zone") + block.Has("temperature");
    if (kinds != 1)
      throw ConfigError(path, block.line,
                        "a block declares one of: an event type (type:), a zone (zone:) "
                        "or the scoring (temperature:)");
    if (block.Has("type")) {
      block.CheckKeys({"rule", "type", "description", "fallback"});
      const RuleField& name = block.Required("type");
      if (name.value.empty() ||
          name.value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
              std::string::npos)
        throw ConfigError(path, name.line,
                          "type names are lower-case letters, digits and '_', got '" +
                              name.value + "'");
      if (t.Find(name.value) >= 0)
        throw ConfigError(path, name.line, "type '" + name.value + "' declared twice");
      t.types.push_back({name.value, block.Get("description")});
      if (block.Has("fallback")) {
        const RuleField& f = block.Required("fallback");
        if (f.value != "yes" && f.value != "no")
          throw ConfigError(path, f.line, "fallback is 'yes' or 'no'");
        if (f.value == "yes") {
          if (t.fallback >= 0)
            throw ConfigError(path, f.line, "only one type can be the fallback");
          t.fallback = static_cast<int>(t.types.size()) - 1;
        }
      }
    } else if (block.Has("zone")) {
      block.CheckKeys({"rule", "zone", "factor", "headless_factor"});
      const RuleField& name = block.Required("zone");
      const auto zone = ParseZone(name.value);
      if (!zone)
        throw ConfigError(path, name.line,
                          "unknown zone '" + name.value +
                              "' (expected title, first_sentence or body)");
      const int z = static_cast<int>(*zone);
      if (zone_seen[z]) throw ConfigError(path, name.line, "zone declared twice");
      zone_seen[z] = true;
      t.zone_factor[z] = ParseNumber(block.Required("factor"), path);
      t.headless_factor[z] = block.Has("headless_factor")
                                 ? ParseNumber(block.Required("headless_factor"), path)
                                 : t.zone_factor[z];
    } else {
      block.CheckKeys({"rule", "temperature", "repeat", "max_hits"});
      if (scoring_seen) throw ConfigError(path, block.line, "scoring given twice");
      scoring_seen = true;
      t.temperature = ParseNumber(block.Required("temperature"), path);
      if (t.temperature <= 0)
        throw ConfigError(path, block.Required("temperature").line,
                          "temperature must be positive");
      if (block.Has("repeat")) t.repeat = ParseNumber(block.Required("repeat"), path);
      if (block.Has("max_hits")) {
        const RuleField& f = block.Required("max_hits");
        const double v = ParseNumber(f, path);
        if (v < 1 || v != std::floor(v))
          throw ConfigError(path, f.line, "max_hits is a whole number >= 1");
        t.max_hits = static_cast<int>(v);
      }
    }
  }
  if (t.types.empty()) throw ConfigError(path, 0, "no event type declared");
  if (t.fallback < 0)
    throw ConfigError(path, 0, "no fallback type (give one type 'fallback: yes')");
  return t;
}

// ------------------------------------------------------------------- stage

EventTypeStage::EventTypeStage(const StageOptions& options)
    : options_(options), facts_(options) {
  const std::string root = RootOf(options);
  taxonomy_ = EventTaxonomy::Load(
      (fs::path(root) / "rules" / "common" / "event_taxonomy.rules").string());
  const fs::path rules = fs::path(root) / "rules";
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(rules, ec))
    if (e.is_directory() && e.path().filename() != "common") dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    const fs::path file = dir / "event_types.rules";
    if (fs::exists(file, ec)) LoadLanguage(dir.filename().string(), file.string());
  }
  if (by_lang_.empty())
    throw ConfigError((rules / "<lang>" / "event_types.rules").string(), 0,
                      "no event type cues for any language");
}

EventTypeStage::~EventTypeStage() = default;

std::vector<std::string> EventTypeStage::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, cues] : by_lang_) out.push_back(lang);
  return out;
}

void EventTypeStage::LoadLanguage(const std::string& lang, const std::string& path) {
  const std::string root = RootOf(options_);
  Vocabulary vocab;
  vocab.LoadDir((fs::path(root) / "rules" / lang / "vocab").string());
  vocab.LoadDir((fs::path(root) / "rules" / "common" / "vocab").string());

  LanguageCues& cues = by_lang_[lang];
  for (const RuleBlock& block : ParseRuleFile(path)) {
    block.CheckKeys({"rule", "type", "zone", "weight", "before", "pattern", "example",
                     "counterexample"});
    Cue cue;
    cue.name = block.name();
    const RuleField& type = block.Required("type");
    cue.type = taxonomy_.Find(type.value);
    if (cue.type < 0)
      throw ConfigError(path, type.line,
                        "unknown event type '" + type.value +
                            "' (declare it in rules/common/event_taxonomy.rules)");
    const RuleField& zone = block.Required("zone");
    for (const std::string& name : SplitList(zone.value)) {
      const auto z = ParseZone(name);
      if (!z)
        throw ConfigError(path, zone.line,
                          "unknown zone '" + name + "' (expected title, first_sentence, body)");
      cue.zones[static_cast<int>(*z)] = true;
    }
    if (std::none_of(cue.zones.begin(), cue.zones.end(), [](bool b) { return b; }))
      throw ConfigError(path, zone.line, "no zone given");
    cue.weight = ParseNumber(block.Required("weight"), path);
    if (block.Has("before")) {
      const RuleField& before = block.Required("before");
      if (before.value != "place")
        throw ConfigError(path, before.line,
                          "unknown value '" + before.value + "' for 'before' (expected place)");
      cue.before_place = true;
    }

    const RuleField& pattern = block.Required("pattern");
    const std::string folded = FoldPattern(vocab.Expand(pattern.value, path, pattern.line));
    const auto re = CompileRulePattern(folded, path, pattern.line);
    if (RE2::PartialMatch("", *re))
      throw ConfigError(path, pattern.line, "pattern matches the empty string");
    for (const RuleField* example : block.GetAll("example"))
      if (!RE2::PartialMatch(FoldText(example->value), *re))
        throw ConfigError(path, example->line, "example does not match the pattern");
    for (const RuleField* counter : block.GetAll("counterexample"))
      if (RE2::PartialMatch(FoldText(counter->value), *re))
        throw ConfigError(path, counter->line, "counterexample matches the pattern");

    uint32_t groups = 0;
    for (int z = 0; z < kZoneCount; ++z)
      if (cue.zones[z]) groups |= 1u << z;
    cues.scanner.Add(folded, groups);
    cues.cues.push_back(std::move(cue));
  }
  cues.scanner.Compile(path, RuleScanner::kLongest);
  // The fact rules the items of this language are most likely read with.
  const RuleScanner* facts = facts_.ScannerFor(lang);
  if (facts && facts->cued() && cues.scanner.cued()) {
    cues.scanner.AddCues(&cues.joint, 0);
    facts->AddCues(&cues.joint, 2);
    cues.facts = facts;
  }
}

const EventTypeStage::LanguageCues* EventTypeStage::CuesFor(const Document& doc,
                                                             const Item& item) const {
  // A forced language first, then the item's, the document's, English.
  for (const std::string* lang : {&options_.lang, &item.lang, &doc.lang}) {
    if (auto it = by_lang_.find(*lang); it != by_lang_.end()) return &it->second;
  }
  if (auto it = by_lang_.find("en"); it != by_lang_.end()) return &it->second;
  return &by_lang_.begin()->second;
}

std::vector<EventTypeStage::Hit> EventTypeStage::FindHits(
    const LanguageCues& cues, const ItemZones& zones, const Item& item,
    const std::vector<RuleScanner::CueWord>* words) const {
  // One pass per zone, with the cues that count there. Where cues overlap,
  // the scanner keeps the longest match: a cue inside a longer cue belongs to
  // the longer one (the "meeting" of "a meeting of the steering committee"
  // is the steering committee's).
  std::vector<Hit> hits;
  std::vector<int> types;
  for (int z = 0; z < kZoneCount; ++z) {
    cues.scanner.ScanLongest(zones.folded(), zones.zone(static_cast<Zone>(z)), z,
                             [&](Span match, const std::vector<int>& matched) {
                           types.clear();  // the same words count once per type
                           for (int c : matched) {
                             const int type = cues.cues[c].type;
                             if (std::find(types.begin(), types.end(), type) != types.end())
                               continue;
                             types.push_back(type);
                             hits.push_back({c, static_cast<Zone>(z), match});
                           }
                         },
                             &zones.words(), words);
  }

  for (Hit& h : hits) {
    const Span t = zones.ToText(h.folded);
    // Words inside an organization's name do not describe the event.
    for (const Organization& org : item.organizations) {
      if (std::any_of(org.mentions.begin(), org.mentions.end(),
                      [&](const Span& s) { return s.Contains(t); })) {
        h.dropped = true;
        break;
      }
    }
    // A cue that must stand before a place ("mission to" France, not
    // "mission to" promote): a place mention starts right after it.
    if (!h.dropped && cues.cues[h.cue].before_place) {
      constexpr size_t kMaxGap = 5;  // a space and an article: "to the Hague"
      const bool place_next = std::any_of(
          item.places.begin(), item.places.end(), [&](const Place& place) {
            return std::any_of(place.mentions.begin(), place.mentions.end(),
                               [&](const Span& s) {
                                 return s.begin >= t.end && s.begin <= t.end + kMaxGap;
                               });
          });
      if (!place_next) h.dropped = true;
    }
  }
  return hits;
}

std::vector<double> EventTypeStage::Score(const LanguageCues& cues, const ItemZones& zones,
                                          const std::vector<Hit>& hits,
                                          std::vector<Weighed>* weighed) const {
  std::vector<double> scores(taxonomy_.types.size(), 0.0);
  const auto& factor = zones.has_title() ? taxonomy_.zone_factor : taxonomy_.headless_factor;
  // Evidence for a type saturates within a zone: its strongest hit counts
  // fully, the next ones `repeat` of their weight, up to `max_hits` hits. A
  // long body listing many related words must not outvote the headline.
  std::vector<const Hit*> kept;
  for (const Hit& h : hits)
    if (!h.dropped) kept.push_back(&h);
  std::stable_sort(kept.begin(), kept.end(), [&](const Hit* a, const Hit* b) {
    const Cue& ca = cues.cues[a->cue];
    const Cue& cb = cues.cues[b->cue];
    if (ca.type != cb.type) return ca.type < cb.type;
    if (a->zone != b->zone) return a->zone < b->zone;
    return ca.weight > cb.weight;
  });
  int run_type = -1, run_zone = -1, n = 0;
  for (const Hit* h : kept) {
    const Cue& cue = cues.cues[h->cue];
    const int zone = static_cast<int>(h->zone);
    if (cue.type != run_type || zone != run_zone) {
      run_type = cue.type;
      run_zone = zone;
      n = 0;
    }
    if (++n > taxonomy_.max_hits) continue;
    const double w = cue.weight * factor[zone] * (n == 1 ? 1.0 : taxonomy_.repeat);
    scores[cue.type] += w;
    if (weighed) weighed->push_back({h, w});
  }
  return scores;
}

std::vector<double> EventTypeStage::Scores(const Document& doc, const Item& item) const {
  const ItemZones zones(doc, item);
  const LanguageCues& cues = *CuesFor(doc, item);
  return Score(cues, zones, FindHits(cues, zones, item), nullptr);
}

void EventTypeStage::ApplyToItem(const Document& doc, Item& item) const {
  const ItemZones zones(doc, item);
  const LanguageCues& cues = *CuesFor(doc, item);
  const std::string& item_lang = options_.lang != "auto" ? options_.lang : item.lang;
  const std::string& facts_lang = item_lang == "und" ? doc.lang : item_lang;

  // The cue words of both rule sets, in one walk over the item's words when
  // the item's facts are read with the rules joined to its cues.
  thread_local std::vector<RuleScanner::CueWord> type_words, fact_words;
  const bool joint = cues.facts && cues.facts == facts_.ScannerFor(facts_lang) &&
                     zones.words().cues_hold;
  if (joint) {
    type_words.clear();
    fact_words.clear();
    const std::string_view text = zones.folded();
    uint64_t bits[CueTrie::kLayers];
    const std::vector<uint32_t>& starts = zones.words().at;
    for (uint32_t word = 0; word < starts.size(); ++word) {
      const uint32_t at = starts[word];
      cues.joint.AtLayers(text, at, bits);
      if (bits[0] | bits[1]) type_words.push_back({at, word, bits[0], bits[1]});
      if (bits[2] | bits[3]) fact_words.push_back({at, word, bits[2], bits[3]});
    }
  }

  thread_local std::vector<Weighed> weighed;
  weighed.clear();
  const std::vector<Hit> hits = FindHits(cues, zones, item, joint ? &type_words : nullptr);
  const std::vector<double> scores = Score(cues, zones, hits, &weighed);

  int best = taxonomy_.fallback;
  double top = 0;  // a type needs a positive score to beat the fallback
  bool tie = false;
  for (size_t t = 0; t < scores.size(); ++t) {
    if (scores[t] > top) {
      top = scores[t];
      best = static_cast<int>(t);
      tie = false;
    } else if (scores[t] == top && top > 0) {
      tie = true;
    }
  }
  if (tie) best = taxonomy_.fallback;

  // Softmax probability of the chosen type.
  const double max_score = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (double s : scores) sum += std::exp((s - max_score) / taxonomy_.temperature);
  item.event_type = taxonomy_.types[best].name;
  item.event_type_confidence =
      std::exp((scores[best] - max_score) / taxonomy_.temperature) / sum;

  // The cues of the chosen type always (they are few); all of them to explain.
  item.type_cues.clear();
  for (const Weighed& w : weighed) {
    const Cue& cue = cues.cues[w.hit->cue];
    if (options_.explain || cue.type == best)
      item.type_cues.push_back(
          {taxonomy_.types[cue.type].name, cue.name, w.weight, zones.ToText(w.hit->folded)});
  }

  facts_.Apply(doc, zones, facts_lang, item, joint ? &fact_words : nullptr);
}

void EventTypeStage::Apply(Document& doc) const {
  for (Item& item : doc.items) ApplyToItem(doc, item);
}

}  // namespace newsevents
