#include "pipeline/date_grammar.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>

#include "pipeline/config_error.h"
#include "pipeline/rule_cue.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

// How many bytes of context `before:`/`after:` regexes see.
constexpr size_t kContextWindow = 96;

enum class Part { kDay, kMonth, kYear, kSeason, kYearShift, kWeekday, kText };

std::optional<Part> PartOfGroup(std::string_view name) {
  while (!name.empty() && name.back() >= '0' && name.back() <= '9') name.remove_suffix(1);
  if (name == "day") return Part::kDay;
  if (name == "month") return Part::kMonth;
  if (name == "year") return Part::kYear;
  if (name == "season") return Part::kSeason;
  if (name == "yearshift") return Part::kYearShift;
  if (name == "weekday") return Part::kWeekday;
  if (name == "text") return Part::kText;
  return std::nullopt;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_';
}

// Leading decimal digits of s ("21st" -> 21), or -1.
int LeadingNumber(std::string_view s) {
  int v = 0;
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 6) v = v * 10 + (s[i++] - '0');
  return i == 0 ? -1 : v;
}

std::string_view StripDot(std::string_view s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

size_t CharBoundaryForward(std::string_view text, size_t pos) {
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

size_t NextChar(std::string_view text, size_t pos) {
  return CharBoundaryForward(text, pos + 1);
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string FormatRuleValue(const CalendarDate& d) {
  if (!d.relative) return FormatIso(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "REF%+d", d.year_offset);
  std::string out = buf;
  std::string iso = FormatIso(d);  // "XXXX-09..." -> keep what follows the year
  out += iso.substr(4);
  return out;
}

// One placeholder or literal run of a value template.
struct TemplatePiece {
  std::string literal;      // printed as is when groups is empty
  std::vector<int> groups;  // capture indices, first one that matched wins
  Part part = Part::kDay;
  bool season_end = false;
};

struct ValueTemplate {
  std::vector<TemplatePiece> pieces;
  bool uses_season = false;
};

struct DateExample {
  std::string text;
  Span span;
  std::string value;
  std::string end;
  bool bracketed = false;
  int line = 0;
};

struct DateGrammar::Rule {
  std::string name;
  std::string file;
  int line = 0;
  size_t order = 0;
  std::unique_ptr<RE2> re;
  // Every non-empty match starts with a byte in [first_lo, first_hi]
  // (RE2::PossibleMatchRange): a stretch holding no such byte holds no match.
  unsigned char first_lo = 0, first_hi = 255;
  // The bytes a match may hold at its first offsets (rule_cue.h), checked
  // before the rule is matched anchored at a cue.
  StartBytes start;
  // Cue bits (cues_): the rule is tried only in a stretch holding its gate
  // cue (-1: everywhere); with an anchor cue, it is matched anchored where
  // that cue starts instead of searched for.
  int gate = -1;
  int anchor = -1;
  int ngroups = 0;
  std::vector<std::optional<Part>> parts;  // by capture index
  int text_group = -1;
  int weekday_group = -1;
  ValueTemplate value;
  std::optional<ValueTemplate> end;
  std::unique_ptr<RE2> before, not_before, after, not_after;
  std::vector<DateExample> examples;
  std::vector<std::pair<std::string, int>> counters;
};

struct DateGrammar::TenseCue {
  std::string name;
  std::string file;
  Tense tense = Tense::kUnknown;
  std::vector<std::pair<std::string, int>> examples;
};

DateGrammar::~DateGrammar() = default;

DateGrammar::DateGrammar(const std::string& root, const std::string& lang) : lang_(lang) {
  const fs::path rules = fs::path(root) / "rules";
  vocab_.LoadDir((rules / lang / "vocab").string());
  vocab_.LoadDir((rules / "common" / "vocab").string());
  const fs::path common = rules / "common" / "dates.rules";
  std::error_code ec;
  if (fs::exists(common, ec)) LoadFile(common.string(), /*defines_only=*/true);
  LoadFile((rules / lang / "dates.rules").string(), /*defines_only=*/false);
  if (rules_.empty())
    throw ConfigError((rules / lang / "dates.rules").string(), 0, "no date rule");

  screen_ = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);
  for (const auto& rule : rules_) {
    std::string error;
    if (screen_->Add(rule->re->pattern(), &error) < 0)
      throw ConfigError(rule->file, rule->line, "pattern rejected by RE2::Set: " + error);
  }
  if (!screen_->Compile())
    throw ConfigError((rules / lang / "dates.rules").string(), 0,
                      "the rule set is too large for RE2::Set");
  AddRuleCues();
}

void DateGrammar::AddRuleCues() {
  std::vector<std::vector<std::string>> bits;  // the prefixes of each cue bit
  auto bit_of = [&](const RuleCue& cue) -> int {
    for (size_t b = 0; b < bits.size(); ++b)
      if (bits[b] == cue.prefixes) return static_cast<int>(b);
    if (bits.size() == CueTrie::kMaxBits) return -1;
    for (const std::string& prefix : cue.prefixes) cues_.Insert(prefix, bits.size());
    bits.push_back(cue.prefixes);
    return static_cast<int>(bits.size() - 1);
  };
  // A one-letter cue ("d" of "décembre", cut where the look-up stops reading,
  // "l" of "l'été") starts too many words to be worth looking up.
  auto useful = [](const std::optional<RuleCue>& cue) {
    return cue && std::all_of(cue->prefixes.begin(), cue->prefixes.end(),
                              [](const std::string& p) { return p.size() >= 2; });
  };
  for (size_t k = 0; k < rules_.size(); ++k) {
    Rule& rule = *rules_[k];
    const RuleCues found = FindRuleCues(rule.re->pattern());
    if (useful(found.rarest)) rule.gate = bit_of(*found.rarest);
    if (rule.gate >= 0 && useful(found.opening)) rule.anchor = bit_of(*found.opening);
    if (rule.anchor >= 0) {
      rule.start = FindStartBytes(rule.re->pattern());
      anchored_gates_ |= uint64_t{1} << rule.gate;
      continue;
    }
    if (rule.gate < 0) uncued_ = true;
    else searched_gates_ |= uint64_t{1} << rule.gate;
    if (!search_screen_) search_screen_ = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);
    std::string error;
    if (search_screen_->Add(rule.re->pattern(), &error) < 0)
      throw ConfigError(rule.file, rule.line, "pattern rejected by RE2::Set: " + error);
    search_screened_.push_back(k);
  }
  if (search_screen_ && !search_screen_->Compile())
    throw ConfigError(rules_.front()->file, 0, "the rule set is too large for RE2::Set");
}

std::string DateGrammar::Expand(std::string_view pattern, const std::string& file,
                                int line) const {
  std::string out;
  std::vector<std::string_view> stack;  // defines being expanded, to catch cycles
  auto expand = [&](auto&& self, std::string_view p) -> void {
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == '\\' && i + 1 < p.size()) {
        out += c;
        out += p[++i];
        continue;
      }
      if (c != '%') {
        out += c;
        continue;
      }
      size_t j = i + 1;
      while (j < p.size() && IsNameChar(p[j])) ++j;
      std::string_view name = p.substr(i + 1, j - i - 1);
      if (name.empty())
        throw ConfigError(file, line, "'%' must be followed by a define or vocabulary name");
      i = j - 1;
      auto def = std::find_if(defines_.rbegin(), defines_.rend(),
                              [&](const auto& d) { return d.first == name; });
      if (def != defines_.rend()) {
        if (std::find(stack.begin(), stack.end(), name) != stack.end())
          throw ConfigError(file, line, "define '%" + std::string(name) + "' refers to itself");
        stack.push_back(name);
        out += "(?:";
        self(self, def->second);
        out += ")";
        stack.pop_back();
      } else if (vocab_.Has(name)) {
        out += vocab_.Alternation(name);
      } else {
        throw ConfigError(file, line,
                          "unknown define or vocabulary '%" + std::string(name) + "'");
      }
    }
  };
  expand(expand, pattern);
  return out;
}

namespace {

ValueTemplate ParseTemplate(const RuleField& field, const std::string& file, const RE2& re,
                            const std::vector<std::optional<Part>>& parts) {
  ValueTemplate t;
  const std::map<std::string, int>& names = re.NamedCapturingGroups();
  std::string_view s = field.value;
  std::string literal;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '{') {
      literal += s[i];
      continue;
    }
    size_t close = s.find('}', i);
    if (close == std::string_view::npos)
      throw ConfigError(file, field.line, "'{' without '}' in template '" + field.value + "'");
    if (!literal.empty()) {
      t.pieces.push_back(TemplatePiece{literal, {}, Part::kDay, false});
      literal.clear();
    }
    std::string_view inner = s.substr(i + 1, close - i - 1);
    TemplatePiece piece;
    if (inner.size() > 4 && inner.substr(inner.size() - 4) == ".end") {
      piece.season_end = true;
      inner.remove_suffix(4);
    }
    std::optional<Part> part;
    while (!inner.empty()) {
      size_t bar = inner.find('|');
      std::string name(inner.substr(0, bar));
      inner = bar == std::string_view::npos ? std::string_view() : inner.substr(bar + 1);
      auto it = names.find(name);
      if (it == names.end())
        throw ConfigError(file, field.line,
                          "template names group '" + name + "', which the pattern lacks");
      std::optional<Part> p = parts[it->second];
      if (part && p != part)
        throw ConfigError(file, field.line,
                          "alternatives in {" + std::string(s.substr(i + 1, close - i - 1)) +
                              "} hold different parts of a date");
      part = p;
      piece.groups.push_back(it->second);
    }
    if (piece.groups.empty())
      throw ConfigError(file, field.line, "empty placeholder {} in template");
    piece.part = *part;
    if (piece.part == Part::kText || piece.part == Part::kWeekday)
      throw ConfigError(file, field.line, "text and weekday groups cannot be printed");
    if (piece.season_end && piece.part != Part::kSeason)
      throw ConfigError(file, field.line, "'.end' only applies to a season group");
    if (piece.part == Part::kSeason) t.uses_season = true;
    t.pieces.push_back(std::move(piece));
    i = close;
  }
  if (!literal.empty()) t.pieces.push_back(TemplatePiece{literal, {}, Part::kDay, false});
  return t;
}

std::unique_ptr<RE2> CompileContext(const DateGrammar& g, const RuleBlock& block,
                                    std::string_view key, bool at_end) {
  if (!block.Has(key)) return nullptr;
  const RuleField& f = block.Required(key);
  std::string expanded = g.Expand(f.value, block.file, f.line);
  std::string anchored = at_end ? "(?:" + expanded + ")$" : "^(?:" + expanded + ")";
  return CompileRulePattern(anchored, block.file, f.line);
}

DateExample ParseExample(const RuleField& f, const std::string& file) {
  DateExample ex;
  ex.line = f.line;
  size_t arrow = f.value.rfind(" => ");
  if (arrow == std::string::npos)
    throw ConfigError(file, f.line, "example must read 'text => value' or 'text => value/end'");
  std::string left = f.value.substr(0, arrow);
  std::string right = Trimmed(std::string_view(f.value).substr(arrow + 4));
  size_t open = left.find('[');
  size_t close = left.find(']');
  if ((open == std::string::npos) != (close == std::string::npos) ||
      (open != std::string::npos && close < open))
    throw ConfigError(file, f.line, "unbalanced [ ] in example");
  if (open != std::string::npos) {
    ex.text = left.substr(0, open) + left.substr(open + 1, close - open - 1) +
              left.substr(close + 1);
    ex.span = {open, close - 1};
    ex.bracketed = true;
  } else {
    ex.text = left;
    ex.span = {0, left.size()};
  }
  size_t slash = right.find('/');
  ex.value = right.substr(0, slash);
  if (slash != std::string::npos) ex.end = right.substr(slash + 1);
  if (ex.value.empty()) throw ConfigError(file, f.line, "example has no expected value");
  return ex;
}

}  // namespace

void DateGrammar::LoadFile(const std::string& path, bool defines_only) {
  std::vector<RuleBlock> blocks = ParseRuleFile(path);
  // Defines first, so that a rule may use a define written below it.
  for (const RuleBlock& b : blocks) {
    if (!b.Has("define")) continue;
    b.CheckKeys({"rule", "define"});
    defines_.emplace_back(b.name(), b.Required("define").value);
  }
  // Tense cues of each kind are joined into one regex: a sentence is tested
  // once per kind.
  std::string past_src, future_src;
  for (const RuleBlock& b : blocks) {
    if (b.Has("define")) continue;
    if (defines_only)
      throw ConfigError(path, b.line, "this file may only hold 'define:' blocks");
    if (b.Has("tense")) {
      b.CheckKeys({"rule", "tense", "pattern", "example"});
      auto cue = std::make_unique<TenseCue>();
      cue->name = b.name();
      cue->file = path;
      const RuleField& t = b.Required("tense");
      if (t.value == "past")
        cue->tense = Tense::kPast;
      else if (t.value == "future")
        cue->tense = Tense::kFuture;
      else
        throw ConfigError(path, t.line, "tense must be 'past' or 'future'");
      const RuleField& p = b.Required("pattern");
      std::string expanded = Expand(p.value, path, p.line);
      CompileRulePattern(expanded, path, p.line);  // reports errors at this line
      std::string& src = cue->tense == Tense::kPast ? past_src : future_src;
      src += (src.empty() ? "" : "|") + ("(?:" + expanded + ")");
      for (const RuleField* e : b.GetAll("example")) cue->examples.emplace_back(e->value, e->line);
      tense_cues_.push_back(std::move(cue));
      continue;
    }
    AddDateRule(b);
  }
  if (!past_src.empty()) past_ = CompileRulePattern(past_src, path, 0);
  if (!future_src.empty()) future_ = CompileRulePattern(future_src, path, 0);
}

void DateGrammar::AddDateRule(const RuleBlock& b) {
  b.CheckKeys({"rule", "pattern", "value", "end", "before", "not_before", "after",
               "not_after", "example", "counter"});
  auto rule = std::make_unique<Rule>();
  rule->name = b.name();
  rule->file = b.file;
  rule->line = b.line;
  rule->order = rules_.size();
  const RuleField& p = b.Required("pattern");
  rule->re = CompileRulePattern(Expand(p.value, b.file, p.line), b.file, p.line);
  std::string min, max;
  if (rule->re->PossibleMatchRange(&min, &max, 4) && !max.empty()) {
    rule->first_lo = min.empty() ? 0 : static_cast<unsigned char>(min[0]);
    rule->first_hi = static_cast<unsigned char>(max[0]);
  }
  rule->ngroups = rule->re->NumberOfCapturingGroups();
  rule->parts.assign(rule->ngroups + 1, std::nullopt);
  for (const auto& [name, index] : rule->re->NamedCapturingGroups()) {
    std::optional<Part> part = PartOfGroup(name);
    if (!part)
      throw ConfigError(b.file, p.line,
                        "group '" + name +
                            "' is not a date part (day, month, year, season, yearshift, "
                            "weekday, text, optionally followed by digits)");
    rule->parts[index] = part;
    if (*part == Part::kText) rule->text_group = index;
    if (*part == Part::kWeekday) rule->weekday_group = index;
  }
  rule->value = ParseTemplate(b.Required("value"), b.file, *rule->re, rule->parts);
  if (b.Has("end")) rule->end = ParseTemplate(b.Required("end"), b.file, *rule->re, rule->parts);
  rule->before = CompileContext(*this, b, "before", true);
  rule->not_before = CompileContext(*this, b, "not_before", true);
  rule->after = CompileContext(*this, b, "after", false);
  rule->not_after = CompileContext(*this, b, "not_after", false);
  for (const RuleField* e : b.GetAll("example")) rule->examples.push_back(ParseExample(*e, b.file));
  for (const RuleField* c : b.GetAll("counter")) rule->counters.emplace_back(c->value, c->line);
  rules_.push_back(std::move(rule));
}

namespace {

// The numeric reading of one matched group, per part: day, month, year, or
// for a season its first and last month, for a yearshift its offset.
struct PartValue {
  int a = 0;
  int b = 0;
};

std::optional<PartValue> ReadPart(const Vocabulary& vocab, Part part, std::string_view s) {
  auto from_vocab = [&](std::string_view table) -> std::optional<std::string> {
    if (auto v = vocab.Lookup(table, s)) return v;
    return vocab.Lookup(table, StripDot(s));
  };
  switch (part) {
    case Part::kDay: {
      int d = LeadingNumber(s);
      if (d < 0) {
        auto v = from_vocab("ordinal_day");
        if (!v) return std::nullopt;
        d = LeadingNumber(*v);
      }
      if (d < 1 || d > 31) return std::nullopt;
      return PartValue{d, 0};
    }
    case Part::kMonth: {
      int m = LeadingNumber(s);
      if (m < 0) {
        auto v = from_vocab("month");
        if (!v) return std::nullopt;
        m = LeadingNumber(*v);
      }
      if (m < 1 || m > 12) return std::nullopt;
      return PartValue{m, 0};
    }
    case Part::kYear: {
      int y = LeadingNumber(s);
      if (y < 0) return std::nullopt;
      size_t digits = 0;
      while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
      if (digits == 2) y += 2000;  // "'22", "2023-24": this century
      else if (digits != 4) return std::nullopt;
      return PartValue{y, 0};
    }
    case Part::kSeason: {
      auto v = from_vocab("season");
      if (!v) return std::nullopt;
      int first = LeadingNumber(*v);
      size_t dash = v->find('-');
      int last = dash == std::string::npos ? -1 : LeadingNumber(std::string_view(*v).substr(dash + 1));
      if (first < 1 || first > 12 || last < 1 || last > 12) return std::nullopt;
      return PartValue{first, last};
    }
    case Part::kYearShift: {
      auto v = from_vocab("relative_year");
      if (!v) v = from_vocab("year_shift_word");
      if (!v || v->empty()) return std::nullopt;
      std::string_view t = *v;
      int sign = 1;
      if (t[0] == '+' || t[0] == '-') {
        sign = t[0] == '-' ? -1 : 1;
        t.remove_prefix(1);
      }
      int n = LeadingNumber(t);
      if (n < 0) return std::nullopt;
      return PartValue{sign * n, 0};
    }
    case Part::kWeekday: {
      auto v = from_vocab("weekday");
      if (!v) return std::nullopt;
      int w = LeadingNumber(*v);
      if (w < 1 || w > 7) return std::nullopt;
      return PartValue{w, 0};
    }
    case Part::kText:
      return PartValue{};
  }
  return std::nullopt;
}

// Prints a template; nullopt when a needed group did not match or could not
// be read.
std::optional<std::string> Render(const ValueTemplate& t, const Vocabulary& vocab,
                                  const re2::StringPiece* groups) {
  std::string out;
  for (const TemplatePiece& piece : t.pieces) {
    if (piece.groups.empty()) {
      out += piece.literal;
      continue;
    }
    const re2::StringPiece* g = nullptr;
    for (int index : piece.groups)
      if (groups[index].data() != nullptr) {
        g = &groups[index];
        break;
      }
    if (!g) {
      if (piece.part != Part::kYear) return std::nullopt;
      out += "XXXX";
      continue;
    }
    auto v = ReadPart(vocab, piece.part, std::string_view(g->data(), g->size()));
    if (!v) return std::nullopt;
    switch (piece.part) {
      case Part::kYear:
        AppendPadded(&out, v->a, 4);
        break;
      case Part::kYearShift:  // "%+d"
        if (v->a >= 0) out += '+';
        AppendPadded(&out, v->a, 0);
        break;
      case Part::kSeason:
        AppendPadded(&out, piece.season_end ? v->b : v->a, 2);
        break;
      default:
        AppendPadded(&out, v->a, 2);
    }
  }
  return out;
}

bool SameYearSpec(const CalendarDate& a, const CalendarDate& b) {
  return a.year == b.year && a.relative == b.relative && a.year_offset == b.year_offset;
}

}  // namespace

bool DateGrammar::ContextHolds(const Rule& rule, std::string_view text, size_t mb,
                               size_t me) const {
  if (rule.before || rule.not_before) {
    size_t from = mb > kContextWindow ? CharBoundaryForward(text, mb - kContextWindow) : 0;
    re2::StringPiece window(text.data() + from, mb - from);
    if (rule.before && !RE2::PartialMatch(window, *rule.before)) return false;
    if (rule.not_before && RE2::PartialMatch(window, *rule.not_before)) return false;
  }
  if (rule.after || rule.not_after) {
    size_t to = CharBoundaryForward(text, std::min(text.size(), me + kContextWindow));
    re2::StringPiece window(text.data() + me, to - me);
    if (rule.after && !RE2::PartialMatch(window, *rule.after)) return false;
    if (rule.not_after && RE2::PartialMatch(window, *rule.not_after)) return false;
  }
  return true;
}

std::optional<FoundDate> DateGrammar::Build(const Rule& rule, std::string_view text,
                                            const re2::StringPiece* groups) const {
  const size_t mb = groups[0].data() - text.data();
  const size_t me = mb + groups[0].size();
  FoundDate f;
  f.match = {mb, me};
  f.span = f.match;
  if (rule.text_group >= 0 && groups[rule.text_group].data() != nullptr) {
    size_t tb = groups[rule.text_group].data() - text.data();
    f.span = {tb, tb + groups[rule.text_group].size()};
  }
  if (f.span.empty()) return std::nullopt;
  if (rule.weekday_group >= 0 && groups[rule.weekday_group].data() != nullptr) {
    const re2::StringPiece& g = groups[rule.weekday_group];
    auto w = ReadPart(vocab_, Part::kWeekday, std::string_view(g.data(), g.size()));
    if (w) f.weekday = w->a;
  }
  auto value = Render(rule.value, vocab_, groups);
  if (!value) return std::nullopt;
  auto start = ParseCalendarValue(*value);
  if (!start) return std::nullopt;
  f.start = *start;
  if (rule.end) {
    auto end_text = Render(*rule.end, vocab_, groups);
    if (!end_text) return std::nullopt;
    auto end = ParseCalendarValue(*end_text);
    if (!end) return std::nullopt;
    if (SameYearSpec(*start, *end) && end->month && start->month && end->month < start->month) {
      // "December 28 to January 3", "winter 2022" (December to February).
      if (end->has_year())
        end->year += 1;
      else
        f.end_wraps_year = true;
    }
    if (!f.end_wraps_year) {
      bool comparable = SameYearSpec(*start, *end) || (start->has_year() && end->has_year());
      if (comparable && end->Key() <= start->Key()) return std::nullopt;
      if (!comparable && start->has_year() != end->has_year() && !start->relative &&
          !end->relative) {
        // One side written with its year ("March 30 to April 2, 2023" read
        // by a template that gives the start none): share it.
        if (start->has_year()) end->year = start->year; else start->year = end->year;
        if (end->Key() <= start->Key()) return std::nullopt;
      }
    }
    f.end = *end;
  }
  if (f.start.day)
    f.precision = "day";
  else if (f.start.month)
    f.precision = rule.value.uses_season ? "season" : "month";
  else
    f.precision = "year";
  f.rule = rule.name;
  return f;
}

namespace {

// The bytes that may end a chunk, as a table: the split reads every byte
// of every item, and one look-up a byte is what keeps it cheap.
constexpr std::array<bool, 256> kChunkEnds = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'\n', '.', '!', '?', ';'}) t[c] = true;
  return t;
}();

// Cuts a text into the stretches a date cannot cross: lines, and sentences
// ending in . ! ? or ; before a capital letter ("Sept. 5" and "15 sept. 2023"
// stay whole: a digit or a small letter follows their dot). Screening and
// matching chunk by chunk keeps each rule's scan short.
template <typename F>
void ForEachChunk(std::string_view text, F&& f) {
  size_t start = 0;
  const size_t n = text.size();
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < n; ++i) {
    if (!kChunkEnds[bytes[i]]) continue;
    const char c = text[i];
    size_t end;
    if (c == '\n') {
      end = i;
    } else if (i + 2 < n && text[i + 1] == ' ' && text[i + 2] >= 'A' && text[i + 2] <= 'Z') {
      end = i + 1;
    } else {
      continue;
    }
    if (end > start) f(start, end);
    start = i + 1;
  }
  if (n > start) f(start, n);
}

}  // namespace

bool DateGrammar::MayStart(const Rule& rule, std::string_view text, size_t begin, size_t end) {
  if (rule.first_lo == 0 && rule.first_hi == 255) return true;
  for (size_t i = begin; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= rule.first_lo && c <= rule.first_hi) return true;
  }
  return false;
}

// Per-thread buffers of Find: an item's candidates, cues and hits, reused
// from one item to the next.
struct DateGrammar::Scratch {
  std::vector<FoundDate> candidates;
  std::vector<size_t> order;  // rule order of each candidate
  // By candidate: the rule whose groups and date are still to be read (a
  // match whose span is its whole match, built only if Resolve keeps it),
  // or null for a built one.
  std::vector<const Rule*> unbuilt;
  std::vector<int> hits;
  std::vector<re2::StringPiece> groups;
  std::vector<std::pair<size_t, uint64_t>> cues;
  std::vector<size_t> idx;
  std::vector<char> searched;  // by rule: the screen says it matches in the stretch
};

bool DateGrammar::TakeMatch(const Rule& rule, std::string_view text, size_t mb, size_t me,
                            Scratch* scratch, bool defer) const {
  // Where the match lies is found without its groups; they are read only
  // when the rule's context holds there, on the match alone (a byte of
  // context each side, for \b and ^): the groups of the match's full match
  // are those of the search. A deferred match has its context checked only
  // when Resolve reaches it: most lose to a longer date over them ("2023"
  // and "March" in "March 7, 2023"), and one whose context fails then is
  // passed over as if never found.
  if (me <= mb) return false;
  if (!defer && !ContextHolds(rule, text, mb, me)) return false;
  if (defer) {
    FoundDate f;
    f.match = f.span = {mb, me};
    scratch->candidates.push_back(std::move(f));
    scratch->order.push_back(rule.order);
    scratch->unbuilt.push_back(&rule);
    return true;
  }
  std::optional<FoundDate> f = BuildMatch(rule, text, mb, me, scratch);
  if (!f) return false;
  scratch->candidates.push_back(std::move(*f));
  scratch->order.push_back(rule.order);
  scratch->unbuilt.push_back(nullptr);
  return true;
}

std::optional<FoundDate> DateGrammar::BuildMatch(const Rule& rule, std::string_view text,
                                                 size_t mb, size_t me, Scratch* scratch) const {
  const size_t cb = mb > 0 ? mb - 1 : 0;
  const size_t ce = std::min(text.size(), me + 1);
  const re2::StringPiece context(text.data() + cb, ce - cb);
  std::vector<re2::StringPiece>& groups = scratch->groups;
  groups.assign(rule.ngroups + 1, re2::StringPiece());
  if (!rule.re->Match(context, mb - cb, me - cb, RE2::ANCHOR_BOTH, groups.data(),
                      rule.ngroups + 1))
    return std::nullopt;
  return Build(rule, text, groups.data());
}

void DateGrammar::SearchChunk(const Rule& rule, std::string_view text, size_t begin, size_t end,
                              bool screened, Scratch* scratch) const {
  const re2::StringPiece whole(text.data(), text.size());
  size_t pos = begin;
  re2::StringPiece m;
  // The whole text is the context (\b), the chunk the range. After a match,
  // the rest of the chunk is searched again only if it holds a byte that
  // can start one: most rules start with a digit or a capital, and a search
  // costs a thousand instructions before it reads a byte.
  while (pos < end && (screened || MayStart(rule, text, pos, end)) &&
         rule.re->Match(whole, pos, end, RE2::UNANCHORED, &m, 1)) {
    screened = false;
    const size_t mb = m.data() - text.data();
    const size_t me = mb + m.size();
    pos = TakeMatch(rule, text, mb, me, scratch) ? me : NextChar(text, mb);
  }
}

void DateGrammar::MatchAtCues(const Rule& rule, std::string_view text, size_t end,
                              const std::pair<size_t, uint64_t>* cue,
                              const std::pair<size_t, uint64_t>* last, Scratch* scratch) const {
  // Every match starts where the anchor cue does: the leftmost match from
  // pos is the first of those places where the rule matches anchored.
  // A match holds the gate cue too, at or after its start: no match starts
  // after the last gate cue of the chunk.
  const re2::StringPiece whole(text.data(), text.size());
  const uint64_t bit = uint64_t{1} << rule.anchor;
  const uint64_t gate = uint64_t{1} << rule.gate;
  while (last != cue && !(last[-1].second & gate)) --last;
  size_t pos = 0;
  re2::StringPiece m;
  for (; cue != last; ++cue) {
    const size_t at = cue->first;
    if (!(cue->second & bit) || at < pos) continue;
    // The cue look-up ignores case; most rules do not ("May", not "may"):
    // the first byte of every match lies in [first_lo, first_hi].
    const auto c = static_cast<unsigned char>(text[at]);
    if (c < rule.first_lo || c > rule.first_hi || !rule.start.MayStart(text, at, end)) continue;
    if (!rule.re->Match(whole, at, end, RE2::ANCHOR_START, &m, 1)) continue;
    const size_t me = at + m.size();
    // Whether the context holds and the date builds decides only where this
    // rule is tried next: with no cue of it inside the match, nowhere else
    // either way, so both are asked only if Resolve reaches the match (half
    // of them lose to a longer date over them: "2016" in "14 de enero de
    // 2016"). A text group makes the span, which Resolve orders by: read now.
    const std::pair<size_t, uint64_t>* next = cue + 1;
    while (next != last && next->first < me && !(next->second & bit)) ++next;
    const bool defer = rule.text_group < 0 && (next == last || next->first >= me);
    pos = TakeMatch(rule, text, at, me, scratch, defer) ? me : NextChar(text, at);
  }
}

std::vector<FoundDate> DateGrammar::Find(std::string_view text) const {
  return Find(text, FindWordStarts(text));
}

std::vector<FoundDate> DateGrammar::Find(std::string_view text,
                                         const ItemWordStarts& words) const {
  if (!words.cues_hold) return FindUncued(text);
  thread_local Scratch scratch;
  scratch.candidates.clear();
  scratch.order.clear();
  scratch.unbuilt.clear();
  std::vector<std::pair<size_t, uint64_t>>& cues = scratch.cues;
  cues_.Find(text, words.at, &cues);
  // No cue and no rule without one: no stretch is tried (most items of a
  // long drop), the text need not even be cut.
  if (cues.empty() && !uncued_) return Resolve(text, &scratch);
  scratch.searched.assign(rules_.size(), 0);
  size_t first = 0;  // the first cue not before the chunk
  ForEachChunk(text, [&](size_t begin, size_t end) {
    while (first < cues.size() && cues[first].first < begin) ++first;
    size_t last = first;
    uint64_t present = 0;
    while (last < cues.size() && cues[last].first < end) present |= cues[last++].second;
    const bool search = uncued_ || (present & searched_gates_);
    // No rule's gate cue ("the" opens a rule whose gate is its ordinal):
    // no rule is tried in the stretch.
    if (!search && !(present & anchored_gates_)) return;  // most stretches
    if (search) {
      scratch.hits.clear();
      if (!search_screen_->Match(re2::StringPiece(text.data() + begin, end - begin), &scratch.hits) &&
          !present)
        return;
      for (int h : scratch.hits) scratch.searched[search_screened_[static_cast<size_t>(h)]] = 1;
    }
    // Rule by rule, in file order, as one search of each rule would find them.
    for (size_t k = 0; k < rules_.size(); ++k) {
      const Rule& rule = *rules_[k];
      if (rule.anchor >= 0) {
        if ((present >> rule.gate & 1) && (present >> rule.anchor & 1))
          MatchAtCues(rule, text, end, cues.data() + first, cues.data() + last, &scratch);
      } else if (scratch.searched[k]) {
        scratch.searched[k] = 0;
        SearchChunk(rule, text, begin, end, /*screened=*/true, &scratch);
      }
    }
  });
  return Resolve(text, &scratch);
}

std::vector<FoundDate> DateGrammar::FindUncued(std::string_view text) const {
  thread_local Scratch scratch;
  scratch.candidates.clear();
  scratch.order.clear();
  scratch.unbuilt.clear();
  ForEachChunk(text, [&](size_t begin, size_t end) {
    scratch.hits.clear();
    if (!screen_->Match(re2::StringPiece(text.data() + begin, end - begin), &scratch.hits)) return;
    std::sort(scratch.hits.begin(), scratch.hits.end());
    for (int index : scratch.hits)
      SearchChunk(*rules_[static_cast<size_t>(index)], text, begin, end, /*screened=*/true, &scratch);
  });
  return Resolve(text, &scratch);
}

std::vector<FoundDate> DateGrammar::Resolve(std::string_view text, Scratch* scratch) const {
  std::vector<FoundDate>& candidates = scratch->candidates;
  const std::vector<size_t>& order = scratch->order;
  // Leftmost-longest, as TIMEX taggers do: longer reported spans first, then
  // longer whole matches (more context read), then the earlier rule.
  std::vector<size_t>& idx = scratch->idx;
  idx.resize(candidates.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const FoundDate& x = candidates[a];
    const FoundDate& y = candidates[b];
    if (x.span.size() != y.span.size()) return x.span.size() > y.span.size();
    if (x.match.size() != y.match.size()) return x.match.size() > y.match.size();
    if (order[a] != order[b]) return order[a] < order[b];
    return x.span.begin < y.span.begin;
  });
  std::vector<FoundDate> kept;
  if (candidates.empty()) return kept;
  // Kept spans are disjoint and non-empty: only the one starting last before
  // c's end can overlap c. A map keeps this check logarithmic (a long text
  // without line breaks has hundreds of thousands of dates); an item's few
  // candidates are checked against the kept ones in turn, without the map's
  // allocation a kept date.
  const bool few = candidates.size() <= 64;
  std::map<size_t, size_t> kept_spans;  // begin -> end (not `few`)
  auto overlaps_kept = [&](const Span& span) {
    if (few) {
      for (const FoundDate& k : kept)
        if (k.span.begin < span.end && span.begin < k.span.end) return true;
      return false;
    }
    auto next = kept_spans.lower_bound(span.end);
    return next != kept_spans.begin() && std::prev(next)->second > span.begin;
  };
  // An unbuilt candidate has its context checked and is built when its turn
  // comes and nothing kept overlaps it; one whose context fails or that does
  // not build is passed over, as if never found
  // (its span, the whole match, ordered it as a built one would be).
  for (size_t i : idx) {
    FoundDate& c = candidates[i];
    if (overlaps_kept(c.span)) continue;
    if (const Rule* rule = scratch->unbuilt[i]) {
      if (!ContextHolds(*rule, text, c.match.begin, c.match.end)) continue;
      std::optional<FoundDate> f = BuildMatch(*rule, text, c.match.begin, c.match.end, scratch);
      if (!f) continue;
      c = std::move(*f);
    }
    if (!few) kept_spans.emplace(c.span.begin, c.span.end);
    kept.push_back(std::move(c));
  }
  std::sort(kept.begin(), kept.end(),
            [](const FoundDate& a, const FoundDate& b) { return a.span.begin < b.span.begin; });
  return kept;
}

Tense DateGrammar::SentenceTense(std::string_view sentence) const {
  re2::StringPiece s(sentence.data(), sentence.size());
  if (future_ && RE2::PartialMatch(s, *future_)) return Tense::kFuture;
  if (past_ && RE2::PartialMatch(s, *past_)) return Tense::kPast;
  return Tense::kUnknown;
}

size_t DateGrammar::rule_count() const { return rules_.size(); }

size_t DateGrammar::cued_rule_count() const {
  return static_cast<size_t>(std::count_if(rules_.begin(), rules_.end(),
                                           [](const auto& r) { return r->gate >= 0; }));
}

size_t DateGrammar::example_count() const {
  size_t n = 0;
  for (const auto& r : rules_) n += r->examples.size() + r->counters.size();
  for (const auto& c : tense_cues_) n += c->examples.size();
  return n;
}

std::vector<std::string> DateGrammar::CheckExamples() const {
  std::vector<std::string> failures;
  auto where = [](const std::string& file, int line) {
    return file + ":" + std::to_string(line) + ": ";
  };
  auto describe = [](std::string_view text, const FoundDate& f) {
    std::string s = "'" + std::string(text.substr(f.span.begin, f.span.size())) + "' => " +
                    FormatRuleValue(f.start);
    if (f.end) s += "/" + FormatRuleValue(*f.end);
    return s + " (" + std::string(f.rule) + ")";
  };
  for (const auto& rule : rules_) {
    if (rule->examples.empty())
      failures.push_back(where(rule->file, rule->line) + "rule '" + rule->name +
                         "' has no example: line");
    for (const DateExample& ex : rule->examples) {
      std::vector<FoundDate> found = Find(ex.text);
      std::string expected = "'" + ex.text.substr(ex.span.begin, ex.span.size()) + "' => " +
                             ex.value + (ex.end.empty() ? "" : "/" + ex.end) + " (" +
                             rule->name + ")";
      // With [brackets], other dates elsewhere in the text may be found too
      // ("in June and [July]"); without, the text must hold exactly one.
      size_t hits = 0, others = 0;
      for (const FoundDate& f : found) {
        if (f.span == ex.span && f.rule == rule->name && FormatRuleValue(f.start) == ex.value &&
            (f.end ? FormatRuleValue(*f.end) : std::string()) == ex.end)
          ++hits;
        else if (!ex.bracketed || f.span.Overlaps(ex.span))
          ++others;
      }
      bool ok = hits == 1 && others == 0;
      if (!ok) {
        std::string got;
        for (const FoundDate& f : found) got += (got.empty() ? "" : "; ") + describe(ex.text, f);
        failures.push_back(where(rule->file, ex.line) + "example '" + ex.text + "': expected " +
                           expected + ", got " + (got.empty() ? "no date" : got));
      }
    }
    for (const auto& [text, line] : rule->counters) {
      std::vector<FoundDate> found = Find(text);
      if (!found.empty()) {
        std::string got;
        for (const FoundDate& f : found) got += (got.empty() ? "" : "; ") + describe(text, f);
        failures.push_back(where(rule->file, line) + "counter '" + text +
                           "' should hold no date, got " + got);
      }
    }
  }
  for (const auto& cue : tense_cues_) {
    for (const auto& [text, line] : cue->examples) {
      Tense t = SentenceTense(text);
      if (t != cue->tense)
        failures.push_back(where(cue->file, line) + "tense example '" + text + "' reads as " +
                           (t == Tense::kPast ? "past" : t == Tense::kFuture ? "future" : "unknown"));
    }
  }
  return failures;
}

}  // namespace newsevents
