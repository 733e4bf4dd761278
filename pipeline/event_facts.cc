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
// collaboration with the") and before the first ("our partner"): more than
// this, and the clause has moved on to something else ("..., which welcomed
// the Police").
constexpr int kMaxLinkWords = 4;
constexpr size_t kMaxLinkBytes = 40;

bool IsLink(std::string_view gap) {
  if (gap.size() > kMaxLinkBytes) return false;
  if (gap.find_first_of(".;:!?\n") != std::string_view::npos) return false;
  int words = 0;
  bool in_word = false;
  for (char c : gap) {
    const bool space = c == ' ' || c == '\t' || c == ',' || c == '(' || c == ')';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words <= kMaxLinkWords;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> EventFacts::NamedOrganizations(const Document& doc,
                                                                      Span object,
                                                                      const Item& item) {
  // Every mention inside the object, in text order.
  std::vector<std::pair<Span, size_t>> mentions;
  for (size_t o = 0; o < item.organizations.size(); ++o)
    for (const Span& s : item.organizations[o].mentions)
      if (s.Overlaps(object)) mentions.push_back({s, o});
  std::sort(mentions.begin(), mentions.end(), [](const auto& a, const auto& b) {
    return a.first.begin != b.first.begin ? a.first.begin < b.first.begin
                                          : a.first.end > b.first.end;
  });
  // The list of organizations the object starts with.
  std::vector<std::pair<size_t, size_t>> out;
  size_t end = object.begin;
  for (const auto& [span, o] : mentions) {
    if (span.begin > end && !IsLink(doc.Slice({end, span.begin}))) break;
    out.emplace_back(span.begin, o);
    end = std::max(end, span.end);
  }
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
  language.screen = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);

  for (const RuleBlock& block : ParseRuleFile(path)) {
    block.CheckKeys({"rule", "fact", "value", "own_role", "priority", "pattern", "example",
                     "counterexample"});
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
    rule.org_group = group("org");
    if ((rule.fact == Fact::kParticipants || rule.fact == Fact::kNationalities) &&
        rule.count_group == 0)
      throw ConfigError(path, pattern.line, "a head count pattern needs a group (?P<count>...)");
    if (rule.fact == Fact::kOrganizer && rule.org_group == 0)
      throw ConfigError(path, pattern.line, "an organizer pattern needs a group (?P<org>...)");

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
        got = std::string(Trim(std::string_view(m[rule.org_group].data(),
                                                m[rule.org_group].size())));
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

    std::string error;
    if (language.screen->Add(folded, &error) < 0)
      throw ConfigError(path, pattern.line, "pattern rejected: " + error);
    language.rules.push_back(std::move(rule));
  }
  if (!language.screen->Compile())
    throw ConfigError(path, 0, "the patterns together are too large to compile");
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

void EventFacts::Apply(const Document& doc, const ItemZones& zones, const std::string& lang,
                       Item& item) const {
  item.participants.reset();
  item.nationalities.reset();
  item.attendance.clear();
  item.organizers.clear();
  item.role.clear();
  const Language* language = Find(lang);
  if (!language || language->rules.empty()) return;
  const std::string& text = zones.folded();

  std::vector<int> candidates;
  RE2::Set::ErrorInfo info;
  if (!language->screen->Match(text, &candidates, &info)) {
    // kNoError: nothing matched. Otherwise (the DFA ran out of memory on a
    // huge item) try every rule rather than silently find nothing.
    if (info.kind != RE2::Set::kNoError) {
      candidates.resize(language->rules.size());
      for (size_t i = 0; i < candidates.size(); ++i) candidates[i] = static_cast<int>(i);
    }
  }
  std::sort(candidates.begin(), candidates.end());

  Candidate best_participants, best_nationalities, best_role;
  bool online = false, in_person = false, hybrid = false;
  std::vector<std::pair<size_t, size_t>> organizer_at;  // (position, org index)

  std::vector<re2::StringPiece> m;
  auto group_span = [&](int g) {
    const size_t b = m[g].data() - text.data();
    return Span{b, b + m[g].size()};
  };
  // What one match of `rule` at folded offset `at` (groups in m) tells.
  auto take = [&](const Rule& rule, size_t at) {
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
        if (m[rule.org_group].empty()) return;
        const Span object = zones.ToText(group_span(rule.org_group));
        for (const auto& [begin, o] : NamedOrganizations(doc, object, item)) {
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

  for (int index : candidates) {
    const Rule& rule = language->rules[index];
    m.assign(rule.re->NumberOfCapturingGroups() + 1, re2::StringPiece());
    // Zone by zone, so that no match runs from a headline into the body.
    for (int z = 0; z < kZoneCount; ++z) {
      const Span range = zones.zone(static_cast<Zone>(z));
      size_t pos = range.begin;
      while (pos < range.end && rule.re->Match(text, pos, range.end, RE2::UNANCHORED,
                                               m.data(), static_cast<int>(m.size()))) {
        const size_t at = m[0].data() - text.data();
        pos = std::max(at + m[0].size(), at + 1);
        take(rule, at);
      }
    }
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
