#include "pipeline/event_facts.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <utility>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/folded_pattern.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

// The values the record schema allows; a rule giving anything else is a typo.
const std::set<std::string, std::less<>>& Attendances() {
  static const std::set<std::string, std::less<>> kValues = {"online", "hybrid",
                                                             "in_person"};
  return kValues;
}
const std::set<std::string, std::less<>>& Roles() {
  static const std::set<std::string, std::less<>> kValues = {
      "organizer", "speaker", "panelist", "participant", "host"};
  return kValues;
}

std::string Join(const std::set<std::string, std::less<>>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view View(const re2::StringPiece& s) { return {s.data(), s.size()}; }

struct Candidate {
  double priority = -1e300;
  size_t pos = 0;
  bool set = false;
  // Higher priority wins, then the earlier match.
  bool Beats(double p, size_t at) const {
    return !set || p > priority || (p == priority && at < pos);
  }
};

// Words between two organizations of one list ("and the", ", ", "in
// collaboration with the") and before the first ("our partner"). More than
// this, or a word of the event_list_break vocabulary ("which", "qui",
// "donde"), and the clause has moved on to something else.
constexpr int kMaxLinkWords = 4;
constexpr size_t kMaxLinkBytes = 40;

enum class Link { kNone, kComma, kStrong };

// The stretch of text[range) naming the organizers of an organizer match:
// from its end to the end of the clause, or (`before`) from the start of the
// clause to its start.
Span NamingPhrase(std::string_view text, Span range, Span match, bool before) {
  constexpr std::string_view kClauseEnd = ".;:!?\n";
  if (!before) {
    size_t end = text.substr(0, range.end).find_first_of(kClauseEnd, match.end);
    return {match.end, end == std::string_view::npos ? range.end : end};
  }
  size_t begin = range.begin;
  if (match.begin > range.begin) {
    const size_t b = text.substr(0, match.begin).find_last_of(kClauseEnd);
    if (b != std::string_view::npos && b >= range.begin) begin = b + 1;
  }
  return {begin, match.begin};
}

// How `gap` joins two organizations: not at all; by a bare comma (", the "),
// which holds only if the list goes on to close with a conjunction ("A, B
// and C"); or by words ("and the", "in collaboration with").
Link LinkOf(std::string_view gap, const Vocabulary& vocab) {
  if (gap.size() > kMaxLinkBytes) return Link::kNone;
  if (gap.find_first_of(".;:!?\n") != std::string_view::npos) return Link::kNone;
  std::string words = " ";  // the gap's words, folded, each followed by ' '
  int count = 0;
  size_t i = 0;
  auto separator = [](char c) {
    return c == ' ' || c == '\t' || c == ',' || c == '(' || c == ')' || c == '"';
  };
  while (i < gap.size()) {
    while (i < gap.size() && separator(gap[i])) ++i;
    const size_t b = i;
    while (i < gap.size() && !separator(gap[i])) ++i;
    if (i == b) break;
    if (++count > kMaxLinkWords) return Link::kNone;
    const std::string_view word = gap.substr(b, i - b);
    if (vocab.Lookup("event_list_break", word)) return Link::kNone;
    words += FoldText(word) + " ";
  }
  if (gap.find(',') == std::string_view::npos) return Link::kStrong;
  for (const auto& [surface, value] : vocab.Entries("event_list_and"))
    if (words.find(" " + FoldText(surface) + " ") != std::string::npos) return Link::kStrong;
  return Link::kComma;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> EventFacts::NamedOrganizations(
    const Document& doc, Span phrase, bool at_end, const Item& item, const Vocabulary& vocab) {
  // Every mention inside the phrase, in reading order (backwards for the
  // list a phrase ends with).
  std::vector<std::pair<Span, size_t>> mentions;
  for (size_t o = 0; o < item.organizations.size(); ++o)
    for (const Span& s : item.organizations[o].mentions)
      if (s.Overlaps(phrase)) mentions.push_back({s, o});
  std::sort(mentions.begin(), mentions.end(), [](const auto& a, const auto& b) {
    return a.first.begin != b.first.begin ? a.first.begin < b.first.begin
                                          : a.first.end > b.first.end;
  });
  if (at_end) std::reverse(mentions.begin(), mentions.end());

  // The list: each mention joined to the previous one (the first to the
  // phrase's edge) by a few linking words.
  std::vector<std::pair<size_t, size_t>> out;
  size_t last_strong = 0;  // list length up to the last word-linked member
  Span covered = at_end ? Span{phrase.end, phrase.end} : Span{phrase.begin, phrase.begin};
  for (const auto& [span, o] : mentions) {
    const Span gap = at_end ? Span{span.end, covered.begin} : Span{covered.end, span.begin};
    Link link = Link::kStrong;  // nested or adjacent mentions need no words
    if (!gap.empty()) link = LinkOf(doc.Slice(gap), vocab);
    if (out.empty() && link == Link::kComma) link = Link::kStrong;  // "our partner, X"
    if (link == Link::kNone) break;
    out.emplace_back(span.begin, o);
    if (link == Link::kStrong) last_strong = out.size();
    covered.begin = std::min(covered.begin, span.begin);
    covered.end = std::max(covered.end, span.end);
  }
  out.resize(last_strong);  // "A, B" without "and": B belongs to what follows
  if (at_end) std::reverse(out.begin(), out.end());
  return out;
}

EventFacts::EventFacts(const StageOptions& options) {
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  const fs::path rules = fs::path(root) / "rules";
  std::error_code ec;
  if (!fs::is_directory(rules, ec)) return;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(rules, ec))
    if (e.is_directory() && e.path().filename() != "common") dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    const fs::path file = dir / "event_facts.rules";
    if (fs::exists(file, ec))
      LoadLanguage(root, dir.filename().string(), file.string());
  }
}

EventFacts::~EventFacts() = default;
EventFacts::EventFacts(EventFacts&&) noexcept = default;

void EventFacts::LoadLanguage(const std::string& root, const std::string& lang,
                              const std::string& path) {
  Language& language = by_lang_[lang];
  language.vocab.LoadDir((fs::path(root) / "rules" / lang / "vocab").string());
  language.vocab.LoadDir((fs::path(root) / "rules" / "common" / "vocab").string());

  for (const RuleBlock& block : ParseRuleFile(path)) {
    block.CheckKeys({"rule", "fact", "value", "own_role", "side", "priority", "pattern",
                     "example", "counterexample"});
    Rule rule;
    rule.name = block.name();
    const RuleField& fact = block.Required("fact");
    if (fact.value == "participants") rule.fact = Fact::kParticipants;
    else if (fact.value == "nationalities") rule.fact = Fact::kNationalities;
    else if (fact.value == "attendance") rule.fact = Fact::kAttendance;
    else if (fact.value == "organizer") rule.fact = Fact::kOrganizer;
    else if (fact.value == "role") rule.fact = Fact::kRole;
    else
      throw ConfigError(path, fact.line,
                        "unknown fact '" + fact.value +
                            "' (expected participants, nationalities, attendance, "
                            "organizer or role)");

    if (rule.fact == Fact::kAttendance || rule.fact == Fact::kRole) {
      const RuleField& value = block.Required("value");
      const auto& allowed = rule.fact == Fact::kAttendance ? Attendances() : Roles();
      if (!allowed.count(value.value))
        throw ConfigError(path, value.line,
                          "unknown value '" + value.value + "' (expected one of: " +
                              Join(allowed) + ")");
      rule.value = value.value;
    } else if (block.Has("value")) {
      throw ConfigError(path, block.GetAll("value").front()->line,
                        "'value' is for attendance and role rules");
    }
    if (block.Has("own_role")) {
      const RuleField* own = block.GetAll("own_role").front();
      if (rule.fact != Fact::kOrganizer)
        throw ConfigError(path, own->line, "'own_role' is for organizer rules");
      if (!Roles().count(own->value))
        throw ConfigError(path, own->line,
                          "unknown role '" + own->value + "' (expected one of: " +
                              Join(Roles()) + ")");
      rule.own_role = own->value;
    }
    if (block.Has("side")) {
      const RuleField& side = block.Required("side");
      if (rule.fact != Fact::kOrganizer)
        throw ConfigError(path, side.line, "'side' is for organizer rules");
      if (side.value != "after" && side.value != "before")
        throw ConfigError(path, side.line, "side is 'after' or 'before', got '" + side.value + "'");
      rule.names_before = side.value == "before";
    }
    if (block.Has("priority")) {
      const RuleField& p = block.Required("priority");
      try {
        size_t used = 0;
        rule.priority = std::stod(p.value, &used);
        if (used != p.value.size()) throw std::invalid_argument(p.value);
      } catch (const std::exception&) {
        throw ConfigError(path, p.line, "priority must be a number, got '" + p.value + "'");
      }
    }

    const RuleField& pattern = block.Required("pattern");
    const std::string folded =
        FoldPattern(language.vocab.Expand(pattern.value, path, pattern.line));
    rule.re = CompileRulePattern(folded, path, pattern.line);
    if (RE2::PartialMatch("", *rule.re))
      throw ConfigError(path, pattern.line, "pattern matches the empty string");
    const auto& groups = rule.re->NamedCapturingGroups();
    auto group = [&](const char* name) {
      auto it = groups.find(name);
      return it == groups.end() ? 0 : it->second;
    };
    rule.count_group = group("count");
    rule.nationalities_group = group("nationalities");
    if ((rule.fact == Fact::kParticipants || rule.fact == Fact::kNationalities) &&
        rule.count_group == 0)
      throw ConfigError(path, pattern.line, "a head count pattern needs a group (?P<count>...)");

    // Examples: the pattern must match, and give the value after "=>".
    for (const RuleField* example : block.GetAll("example")) {
      std::string_view text = example->value;
      std::string expected;
      if (size_t arrow = text.find("=>"); arrow != std::string_view::npos) {
        expected = FoldText(Trim(text.substr(arrow + 2)));
        text = Trim(text.substr(0, arrow));
      }
      const std::string folded_text = FoldText(text);
      std::vector<re2::StringPiece> m(rule.re->NumberOfCapturingGroups() + 1);
      if (!rule.re->Match(folded_text, 0, folded_text.size(), RE2::UNANCHORED, m.data(),
                          static_cast<int>(m.size())))
        throw ConfigError(path, example->line, "example does not match the pattern");
      if (expected.empty()) continue;
      std::string got;
      if (rule.fact == Fact::kOrganizer) {
        const size_t at = m[0].data() - folded_text.data();
        const Span phrase = NamingPhrase(folded_text, Span{0, folded_text.size()},
                                         Span{at, at + m[0].size()}, rule.names_before);
        got = std::string(Trim(std::string_view(folded_text).substr(phrase.begin, phrase.size())));
      } else if (rule.count_group) {
        auto count = ParseCount(std::string_view(m[rule.count_group].data(),
                                                 m[rule.count_group].size()),
                                language.vocab);
        got = count ? std::to_string(*count) : "none";
        if (rule.nationalities_group && !m[rule.nationalities_group].empty()) {
          auto n = ParseCount(std::string_view(m[rule.nationalities_group].data(),
                                               m[rule.nationalities_group].size()),
                              language.vocab);
          got += ", " + (n ? std::to_string(*n) : std::string("none"));
        }
      } else {
        got = rule.value;
      }
      if (got != expected)
        throw ConfigError(path, example->line,
                          "example gives '" + got + "', expected '" + expected + "'");
    }

    for (const RuleField* counter : block.GetAll("counterexample"))
      if (RE2::PartialMatch(FoldText(counter->value), *rule.re))
        throw ConfigError(path, counter->line, "counterexample matches the pattern");

    language.scanner.Add(folded);
    language.rules.push_back(std::move(rule));
  }
  language.scanner.Compile(path, RuleScanner::kStarts);
}

const EventFacts::Language* EventFacts::Find(const std::string& lang) const {
  if (auto it = by_lang_.find(lang); it != by_lang_.end()) return &it->second;
  if (auto it = by_lang_.find("en"); it != by_lang_.end()) return &it->second;
  return by_lang_.empty() ? nullptr : &by_lang_.begin()->second;
}

std::optional<int> EventFacts::ParseCount(std::string_view folded,
                                          const Vocabulary& vocab) {
  folded = Trim(folded);
  if (folded.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(folded.front()))) {
    // "1,500", "1 500", "1.500": separators only between groups of three.
    long value = 0;
    int digits_in_group = 0;
    bool grouped = false;
    for (size_t i = 0; i < folded.size(); ++i) {
      const char c = folded[i];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        value = value * 10 + (c - '0');
        ++digits_in_group;
        if (value > 10'000'000) return std::nullopt;
      } else if (c == ',' || c == '.' || c == ' ') {
        if (i + 1 == folded.size()) break;  // a trailing comma: not part of it
        if (grouped && digits_in_group != 3) return std::nullopt;
        grouped = true;
        digits_in_group = 0;
      } else {
        return std::nullopt;
      }
    }
    if (grouped && digits_in_group != 3) return std::nullopt;
    // A bare four-digit number in the range of years is a year, not a crowd.
    if (!grouped && folded.size() == 4 && value >= 1900 && value <= 2100) return std::nullopt;
    if (value <= 0) return std::nullopt;
    return static_cast<int>(value);
  }
  if (auto v = vocab.Lookup("event_number_word", folded)) {
    try {
      return std::stoi(*v);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool EventFacts::IsOwnOrganization(const Organization& org, const std::string& lang) const {
  const Language* language = Find(lang);
  if (!language) return false;
  if (language->vocab.Lookup("own_organization", org.name)) return true;
  for (const std::string& alias : org.aliases)
    if (language->vocab.Lookup("own_organization", alias)) return true;
  return false;
}

const RuleScanner* EventFacts::ScannerFor(const std::string& lang) const {
  const Language* language = Find(lang);
  return language && !language->rules.empty() ? &language->scanner : nullptr;
}

void EventFacts::Apply(const Document& doc, const ItemZones& zones, const std::string& lang,
                       Item& item, const std::vector<RuleScanner::CueWord>* cues) const {
  item.participants.reset();
  item.nationalities.reset();
  item.attendance.clear();
  item.organizers.clear();
  item.role.clear();
  const Language* language = Find(lang);
  if (!language || language->rules.empty()) return;
  const std::string_view text = zones.folded();
  const re2::StringPiece all(text.data(), text.size());

  Candidate best_participants, best_nationalities, best_role;
  bool online = false, in_person = false, hybrid = false;
  std::vector<std::pair<size_t, size_t>> organizer_at;  // (position, org index)

  std::vector<re2::StringPiece> m;
  // What one match of `rule` (groups in m) in zone `range` tells.
  auto take = [&](const Rule& rule, Span range) {
    const size_t at = m[0].data() - text.data();
    switch (rule.fact) {
      case Fact::kParticipants:
      case Fact::kNationalities: {
        const auto count = ParseCount(View(m[rule.count_group]), language->vocab);
        if (!count) return;
        std::optional<int> nationalities;
        if (rule.nationalities_group && !m[rule.nationalities_group].empty())
          nationalities = ParseCount(View(m[rule.nationalities_group]), language->vocab);
        if (rule.fact == Fact::kNationalities) nationalities = count;
        if (rule.fact == Fact::kParticipants && best_participants.Beats(rule.priority, at)) {
          best_participants = {rule.priority, at, true};
          item.participants = count;
        }
        if (nationalities && best_nationalities.Beats(rule.priority, at)) {
          best_nationalities = {rule.priority, at, true};
          item.nationalities = nationalities;
        }
        return;
      }
      case Fact::kAttendance:
        if (rule.value == "online") online = true;
        else if (rule.value == "in_person") in_person = true;
        else hybrid = true;
        return;
      case Fact::kOrganizer: {
        const Span match{at, at + m[0].size()};
        const Span phrase =
            zones.ToText(NamingPhrase(text, range, match, rule.names_before));
        for (const auto& [begin, o] :
             NamedOrganizations(doc, phrase, rule.names_before, item, language->vocab)) {
          organizer_at.emplace_back(begin, o);
          if (!rule.own_role.empty() && IsOwnOrganization(item.organizations[o], lang) &&
              best_role.Beats(rule.priority, at)) {
            best_role = {rule.priority, at, true};
            item.role = rule.own_role;
          }
        }
        return;
      }
      case Fact::kRole:
        if (best_role.Beats(rule.priority, at)) {
          best_role = {rule.priority, at, true};
          item.role = rule.value;
        }
        return;
    }
  };

  // One pass per zone (no match runs from a headline into the body): at
  // each place where some rule matches, every rule matching from there is
  // read, overlapping matches included ("the ICPC organized" is both a role
  // and an organizer).
  for (int z = 0; z < kZoneCount; ++z) {
    const Span range = zones.zone(static_cast<Zone>(z));
    language->scanner.ScanStarts(text, range, 0, [&](size_t start, const std::vector<int>& rules,
                                                     bool matched) {
      for (int r : rules) {
        const Rule& rule = language->rules[r];
        // Attendance and role rules read only where their match starts: one
        // the scanner matched need not be matched again.
        if (matched && (rule.fact == Fact::kAttendance || rule.fact == Fact::kRole)) {
          m.assign(1, re2::StringPiece(text.data() + start, 0));
          take(rule, range);
          continue;
        }
        m.assign(rule.count_group ? rule.re->NumberOfCapturingGroups() + 1 : 1,
                 re2::StringPiece());
        if (rule.re->Match(all, start, range.end, RE2::ANCHOR_START, m.data(),
                           static_cast<int>(m.size())))
          take(rule, range);
      }
    }, &zones.words(), cues);
  }

  if (hybrid || (online && in_person)) item.attendance = "hybrid";
  else if (online) item.attendance = "online";
  else if (in_person) item.attendance = "in_person";

  // Organizers in the order the text names them, each once.
  std::sort(organizer_at.begin(), organizer_at.end());
  std::vector<bool> seen(item.organizations.size(), false);
  for (const auto& [at, o] : organizer_at) {
    if (seen[o]) continue;
    seen[o] = true;
    item.organizers.push_back(item.organizations[o].name);
  }
}

}  // namespace newsevents
