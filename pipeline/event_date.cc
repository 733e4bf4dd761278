#include "pipeline/event_date.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "pipeline/config_error.h"
#include "pipeline/reverse_pattern.h"

namespace newsevents {

namespace fs = std::filesystem;

namespace {

// How far before/after a date the cue regexes look, within its sentence.
constexpr size_t kCueWindow = 240;

enum class Where { kAny, kTitle, kFirstSentence, kBody };

size_t AlignForward(std::string_view text, size_t pos) {
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

double ParseNumber(const RuleField& f, const std::string& file) {
  char* end = nullptr;
  double v = std::strtod(f.value.c_str(), &end);
  if (f.value.empty() || end == f.value.c_str() || *end != '\0')
    throw ConfigError(file, f.line, "'" + f.key + "' must be a number, got '" + f.value + "'");
  return v;
}

// Whether two dates of a sentence are items of one list: only a comma, or one
// short conjunction ("and", "et", "y", "&"), stands between them.
bool ListedTogether(std::string_view text, const ItemDate& a, const ItemDate& b) {
  if (a.sentence != b.sentence || b.found.span.begin < a.found.span.end) return false;
  std::string_view gap = text.substr(a.found.span.end, b.found.span.begin - a.found.span.end);
  size_t letters = 0;
  bool word_done = false;
  for (size_t i = 0; i < gap.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(gap[i]);
    if (c == ' ' || c == ',' || c == '&') {
      if (letters) word_done = true;
      continue;
    }
    if (!std::isalpha(c) || word_done || ++letters > 3) return false;
  }
  return gap.size() <= 8;
}

// A `before:` pattern "(?:H[^.;]{0,N})$" whose last element, at its top
// level, is a counted gap of characters other than a few ASCII ones: its
// head H, N, and those characters. Reversed in the set, such a gap made one
// DFA state for each combination of gap counts in flight, and new windows
// kept making new ones (half of the set's cost); with "*" instead of
// "{0,N}" the set's states stay few, and the count is checked by reading
// bytes where the set says the looser pattern holds (GapHolds).
struct TrailingGap {
  std::string head;
  std::string excluded;
  size_t max = 0;
  std::string loose;  // the pattern with the gap unbounded
};

std::optional<TrailingGap> FindTrailingGap(const std::string& pattern) {
  const std::string open = "(?:", close = ")$";
  if (pattern.size() < open.size() + close.size() ||
      pattern.compare(0, open.size(), open) != 0 ||
      pattern.compare(pattern.size() - close.size(), close.size(), close) != 0)
    return std::nullopt;
  std::string body = pattern.substr(open.size(), pattern.size() - open.size() - close.size());
  // The rule's own "$" (most write it), the same end as the one around it.
  if (body.size() >= 2 && body.back() == '$' && body[body.size() - 2] != '\\') body.pop_back();
  // "[^...]{0,N}" at the end of the body, the class spelled in plain ASCII
  // characters (no escape, range or class inside).
  if (body.empty() || body.back() != '}') return std::nullopt;
  const size_t brace = body.rfind("{0,");
  if (brace == std::string::npos || brace == 0 || body[brace - 1] != ']') return std::nullopt;
  size_t max = 0;
  for (size_t i = brace + 3; i + 1 < body.size(); ++i) {
    if (body[i] < '0' || body[i] > '9') return std::nullopt;
    max = max * 10 + static_cast<size_t>(body[i] - '0');
  }
  if (brace + 4 > body.size() - 1) return std::nullopt;  // "{0,}"
  const size_t cls = body.rfind("[^", brace - 1);
  if (cls == std::string::npos) return std::nullopt;
  const std::string excluded = body.substr(cls + 2, brace - 1 - (cls + 2));
  if (excluded.empty()) return std::nullopt;
  for (char c : excluded)
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\\' || c == '[' || c == ']' || c == '-' ||
        c == '^')
      return std::nullopt;
  // The head must be a sequence: no '|' outside parentheses, which would
  // bind the gap to its last branch only; parentheses balanced.
  const std::string head = body.substr(0, cls);
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < head.size(); ++i) {
    const char c = head[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < head.size() && head[i + 1] == '^') ++i;
      if (i + 1 < head.size() && head[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) return std::nullopt;
    } else if (c == '|' && depth == 0) {
      return std::nullopt;
    }
  }
  if (depth != 0 || in_class || head.empty()) return std::nullopt;
  return TrailingGap{head, excluded, max, open + head + "[^" + excluded + "]*" + close};
}

}  // namespace

struct EventDateRules::Cue {
  std::string name;
  double weight = 0;
  std::unique_ptr<RE2> before, after, sentence;
  // `before` as head, gap: the set holds it with the gap unbounded and a
  // hit is checked by GapHolds (null: the set holds `before` itself).
  std::unique_ptr<RE2> gap_head;
  std::string gap_excluded;
  size_t gap_max = 0;
  Where where = Where::kAny;
  std::string precision;
  std::optional<Tense> tense;
  // Holds only when another date of the item's body is in a sentence of this
  // tense: a plan ("will take place in the fall") is not the event when the
  // item also tells what happened, but is when the item only announces it.
  std::optional<Tense> other_tense;
};

EventDateRules::~EventDateRules() = default;

EventDateRules::EventDateRules(const std::string& root, const std::string& lang,
                               const DateGrammar& grammar)
    : grammar_(grammar) {
  const std::string path = (fs::path(root) / "rules" / lang / "event_date.rules").string();
  std::vector<RuleBlock> blocks = ParseRuleFile(path);
  bool have_decision = false;
  for (const RuleBlock& b : blocks) {
    for (const RuleField* e : b.GetAll("example")) {
      size_t arrow = e->value.rfind(" => ");
      if (arrow == std::string::npos)
        throw ConfigError(path, e->line, "example must read 'text => value' or 'text => none'");
      examples_.push_back({path, e->line, e->value.substr(0, arrow), e->value.substr(arrow + 4)});
    }
    if (b.name() == "decision") {
      b.CheckKeys({"rule", "threshold", "combine", "example"});
      threshold_ = ParseNumber(b.Required("threshold"), path);
      if (b.Has("combine")) combine_ = ParseNumber(b.Required("combine"), path);
      have_decision = true;
      continue;
    }
    b.CheckKeys({"rule", "before", "after", "sentence", "where", "precision", "tense",
                 "other_tense", "weight", "example"});
    auto cue = std::make_unique<Cue>();
    cue->name = b.name();
    cue->weight = ParseNumber(b.Required("weight"), path);
    auto compile = [&](std::string_view key, const char* prefix, const char* suffix) {
      std::unique_ptr<RE2> re;
      if (b.Has(key)) {
        const RuleField& f = b.Required(key);
        re = CompileRulePattern(prefix + grammar.Expand(f.value, path, f.line) + suffix, path,
                                f.line);
      }
      return re;
    };
    cue->before = compile("before", "(?:", ")$");
    cue->after = compile("after", "^(?:", ")");
    cue->sentence = compile("sentence", "(?:", ")");
    if (b.Has("where")) {
      const RuleField& f = b.Required("where");
      if (f.value == "title") cue->where = Where::kTitle;
      else if (f.value == "first_sentence") cue->where = Where::kFirstSentence;
      else if (f.value == "body") cue->where = Where::kBody;
      else throw ConfigError(path, f.line, "where must be title, first_sentence or body");
    }
    if (b.Has("precision")) {
      const RuleField& f = b.Required("precision");
      if (f.value != "day" && f.value != "month" && f.value != "season" && f.value != "year")
        throw ConfigError(path, f.line, "precision must be day, month, season or year");
      cue->precision = f.value;
    }
    auto tense = [&](std::string_view key, std::optional<Tense>& out) {
      if (!b.Has(key)) return;
      const RuleField& f = b.Required(key);
      if (f.value == "past") out = Tense::kPast;
      else if (f.value == "future") out = Tense::kFuture;
      else if (f.value == "unknown") out = Tense::kUnknown;
      else throw ConfigError(path, f.line, std::string(key) + " must be past, future or unknown");
    };
    tense("tense", cue->tense);
    tense("other_tense", cue->other_tense);
    cues_.push_back(std::move(cue));
  }
  if (!have_decision)
    throw ConfigError(path, 0, "missing the 'rule: decision' block (threshold, combine)");

  // Every cue tried on every date was the stage's main cost: one set a kind
  // of pattern answers for all cues in one pass over the window. `after`
  // patterns start at the window's start ("^(?:...)"): their set is anchored
  // there, so that its search ends where the last of them fails instead of
  // running through the whole window (an unanchored set keeps looking for a
  // later start, which '^' then refuses).
  //
  // `before` patterns end where the date starts ("...%sp+$"): an unanchored
  // set of them read the whole window before every date, and their counted
  // gaps ("\b(?i:held|met)\b[^.;]{0,40}$") kept it building DFA states (one
  // for each combination of gaps in flight) on every new window, most of
  // the stage's event-date cost. Reversed, they are one set anchored at the
  // date, read backwards: it stops a few bytes before the date where no cue
  // can end, from states it has seen before.
  auto build = [&](CueSet& s, std::unique_ptr<RE2> Cue::*field) {
    std::vector<std::string> patterns;
    for (size_t i = 0; i < cues_.size(); ++i) {
      const RE2* re = ((*cues_[i]).*field).get();
      if (!re) continue;
      patterns.push_back(re->pattern());
      s.cue.push_back(i);
    }
    if (field == &Cue::before) {
      for (size_t k = 0; k < patterns.size(); ++k) {
        std::optional<TrailingGap> gap = FindTrailingGap(patterns[k]);
        if (!gap) continue;
        RE2::Options options = RulePatternOptions();
        options.set_longest_match(true);  // the furthest end of a head at each start
        auto head = std::make_unique<RE2>(gap->head, options);
        if (!head->ok()) continue;
        Cue& cue = *cues_[s.cue[k]];
        cue.gap_head = std::move(head);
        cue.gap_excluded = gap->excluded;
        cue.gap_max = gap->max;
        patterns[k] = gap->loose;
      }
      std::vector<std::string> reversed;
      for (const std::string& p : patterns)
        if (std::optional<std::string> r = ReversePattern(p)) reversed.push_back(std::move(*r));
      s.reversed = reversed.size() == patterns.size();
      if (s.reversed) patterns = std::move(reversed);
    }
    const RE2::Anchor anchor =
        field == &Cue::after || s.reversed ? RE2::ANCHOR_START : RE2::UNANCHORED;
    auto set = std::make_unique<RE2::Set>(RulePatternOptions(), anchor);
    s.anchored = anchor == RE2::ANCHOR_START;
    for (size_t k = 0; k < patterns.size(); ++k) {
      std::string error;
      if (set->Add(patterns[k], &error) < 0)
        throw ConfigError(path, 0, "cue '" + cues_[s.cue[k]]->name + "' rejected by the set: " + error);
      if (!s.anchored) continue;
      const StartBytes start = FindStartBytes(patterns[k]);
      if (k == 0) s.start = start; else s.start.Unite(start);
    }
    // The sentence set also reads the sentence's tense (ReadSentence).
    if (field == &Cue::sentence) {
      for (const auto& [re, index] : {std::pair{grammar.future_cues(), &s.future},
                                      std::pair{grammar.past_cues(), &s.past}}) {
        if (!re) continue;
        std::string error;
        *index = set->Add(re->pattern(), &error);
        if (*index < 0) throw ConfigError(path, 0, "tense cues rejected by the set: " + error);
      }
    }
    if (s.cue.empty() && s.future < 0 && s.past < 0) return;
    if (!set->Compile()) throw ConfigError(path, 0, "the cue patterns together do not fit in memory");
    s.set = std::move(set);
  };
  build(before_set_, &Cue::before);
  build(after_set_, &Cue::after);
  build(sentence_set_, &Cue::sentence);
}

void EventDateRules::MarkHits(const CueSet& s, std::unique_ptr<RE2> Cue::*field,
                              re2::StringPiece text, std::vector<char>& hit) const {
  std::fill(hit.begin(), hit.end(), 0);
  if (!s.set) return;
  thread_local std::vector<int> which;  // reused: Set::Match fills it anew
  RE2::Set::ErrorInfo info;
  re2::StringPiece read = text;
  thread_local std::string backwards;
  bool valid = true;
  if (s.reversed) {
    valid = ReverseText(std::string_view(text.data(), text.size()), &backwards);
    read = backwards;
  }
  // A text no pattern can start: no hit, and no set call (which costs
  // ~2,000 instructions and allocates).
  if (valid && s.anchored && !s.start.MayStart(std::string_view(read.data(), read.size()), 0, read.size()))
    return;
  if (valid && s.set->Match(read, &which, &info)) {
    for (int w : which) {
      if (static_cast<size_t>(w) >= s.cue.size()) continue;
      const size_t c = s.cue[static_cast<size_t>(w)];
      const Cue& cue = *cues_[c];
      hit[c] = field != &Cue::before || !cue.gap_head || GapHolds(cue, text) ? 1 : 0;
    }
  } else if (!valid || info.kind != RE2::Set::kNoError) {
    // The set's DFA gave up (memory), or a reversed text could not be read
    // backwards: each pattern alone, forwards.
    for (size_t i : s.cue)
      hit[i] = RE2::PartialMatch(text, *((*cues_[i]).*field)) ? 1 : 0;
  }
}

bool EventDateRules::GapHolds(const Cue& cue, re2::StringPiece text) {
  // The gap is a suffix of the text of at most gap_max characters, none of
  // them excluded: it starts at or after `from`.
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t from = text.size();
  for (size_t n = 0; n < cue.gap_max && from > 0; ++n) {
    size_t q = from - 1;
    while (q > 0 && (bytes[q] & 0xC0) == 0x80) --q;
    if (cue.gap_excluded.find(static_cast<char>(bytes[q])) != std::string::npos) break;
    from = q;
  }
  // A head ending at or after `from`: the longest match at each start,
  // leftmost start first, until one ends there.
  re2::StringPiece m;
  for (size_t pos = 0; pos <= text.size();) {
    if (!cue.gap_head->Match(text, pos, text.size(), RE2::UNANCHORED, &m, 1)) return false;
    const size_t begin = static_cast<size_t>(m.data() - text.data());
    if (begin + m.size() >= from) return true;
    pos = begin + 1;
    while (pos < text.size() && (bytes[pos] & 0xC0) == 0x80) ++pos;
  }
  return false;
}

Tense EventDateRules::ReadSentence(std::string_view sentence, std::vector<char>* hits) const {
  const CueSet& s = sentence_set_;
  hits->assign(cues_.size(), 0);
  if (!s.set) return grammar_.SentenceTense(sentence);
  thread_local std::vector<int> which;  // reused: Set::Match fills it anew
  RE2::Set::ErrorInfo info;
  const re2::StringPiece text(sentence.data(), sentence.size());
  if (!s.set->Match(text, &which, &info) && info.kind != RE2::Set::kNoError) {
    // The set's DFA gave up (memory): each pattern alone, as before.
    MarkHits(s, &Cue::sentence, text, *hits);
    return grammar_.SentenceTense(sentence);
  }
  bool future = false, past = false;
  for (int w : which) {
    if (static_cast<size_t>(w) < s.cue.size()) (*hits)[s.cue[static_cast<size_t>(w)]] = 1;
    future = future || w == s.future;
    past = past || w == s.past;
  }
  return future ? Tense::kFuture : past ? Tense::kPast : Tense::kUnknown;
}

std::optional<EventDate> EventDateRules::Choose(
    const Document& doc, const Item& item, const std::vector<ItemDate>& dates,
    const std::vector<Span>& sentences, size_t first_body_sentence,
    const std::vector<std::vector<char>>& sentence_hits) const {
  if (dates.empty()) return std::nullopt;
  std::string_view text = doc.text;
  std::vector<double> scores(dates.size(), 0);
  // By date, the cues that scored (bit c % 64 of word k * words + c / 64):
  // only the winner's are spelled out in its reason.
  const size_t words = (cues_.size() + 63) / 64;
  std::vector<uint64_t> scored(dates.size() * words, 0);
  std::vector<char> before_hit(cues_.size()), after_hit(cues_.size()), sentence_hit(cues_.size());
  re2::StringPiece last_sentence;
  for (size_t k = 0; k < dates.size(); ++k) {
    const ItemDate& d = dates[k];
    const Span& s = d.sentence < sentences.size() ? sentences[d.sentence] : item.span;
    const Span span = d.found.span;
    size_t from = std::max(s.begin, span.begin > kCueWindow ? span.begin - kCueWindow : 0);
    from = AlignForward(text, std::min(from, span.begin));
    size_t to = AlignForward(text, std::max(span.end, std::min(s.end, span.end + kCueWindow)));
    re2::StringPiece before(text.data() + from, span.begin - from);
    re2::StringPiece after(text.data() + span.end, to - span.end);
    re2::StringPiece sentence(text.data() + s.begin, std::max(s.end, span.end) - s.begin);
    MarkHits(before_set_, &Cue::before, before, before_hit);
    MarkHits(after_set_, &Cue::after, after, after_hit);
    if (sentence.data() != last_sentence.data() || sentence.size() != last_sentence.size()) {
      // The sentence as the date stage read it: its hits are known.
      const bool read = d.sentence < sentences.size() && d.sentence < sentence_hits.size() &&
                        !sentence_hits[d.sentence].empty() && span.end <= s.end;
      if (read)
        sentence_hit = sentence_hits[d.sentence];
      else
        MarkHits(sentence_set_, &Cue::sentence, sentence, sentence_hit);
      last_sentence = sentence;
    }
    for (size_t c = 0; c < cues_.size(); ++c) {
      const auto& cue = cues_[c];
      if (!cue->precision.empty() && cue->precision != d.found.precision) continue;
      if (cue->tense && *cue->tense != d.tense) continue;
      if (cue->other_tense) {
        bool other = false;
        for (size_t j = 0; j < dates.size() && !other; ++j)
          other = j != k && !dates[j].in_title && dates[j].tense == *cue->other_tense;
        if (!other) continue;
      }
      switch (cue->where) {
        case Where::kAny: break;
        case Where::kTitle: if (!d.in_title) continue; break;
        case Where::kFirstSentence:
          if (d.in_title || d.sentence != first_body_sentence) continue;
          break;
        case Where::kBody: if (d.in_title) continue; break;
      }
      if (cue->before && !before_hit[c]) continue;
      if (cue->after && !after_hit[c]) continue;
      if (cue->sentence && !sentence_hit[c]) continue;
      scores[k] += cue->weight;
      scored[k * words + c / 64] |= uint64_t{1} << (c % 64);
    }
  }
  size_t best = 0;
  for (size_t k = 1; k < dates.size(); ++k)
    if (scores[k] > scores[best]) best = k;
  if (scores[best] < threshold_) return std::nullopt;

  const ItemDate& b = dates[best];
  CalendarDate start = b.start;
  CalendarDate end = b.end ? *b.end : b.start;
  bool widened = false;
  if (b.found.precision == "day") {
    for (size_t k = 0; k < dates.size(); ++k) {
      const ItemDate& d = dates[k];
      // Days of one event are told in one tense: a deadline and the start of
      // the job it offers ("apply by March 7 ... will start on April 1") are
      // two things.
      if (k == best || d.found.precision != "day" || scores[k] < combine_ ||
          d.sentence == b.sentence || !d.start.has_year() || d.tense != b.tense)
        continue;
      CalendarDate dend = d.end ? *d.end : d.start;
      if (d.start.Key() < start.Key()) start = d.start;
      if (dend.Key() > end.Key()) end = dend;
      widened = true;
    }
    // A list of days in one phrase ("on April 9, April 23 and May 7, 2024",
    // "les 3, 10 et 17 mai") is one series of sessions: the event spans it.
    auto extend = [&](const ItemDate& d) {
      if (d.found.precision != "day" || !d.start.has_year()) return false;
      CalendarDate dend = d.end ? *d.end : d.start;
      if (d.start.Key() < start.Key()) start = d.start;
      if (dend.Key() > end.Key()) end = dend;
      widened = true;
      return true;
    };
    for (size_t k = best; k > 0 && ListedTogether(text, dates[k - 1], dates[k]); --k)
      if (!extend(dates[k - 1])) break;
    for (size_t k = best; k + 1 < dates.size() && ListedTogether(text, dates[k], dates[k + 1]); ++k)
      if (!extend(dates[k + 1])) break;
  }
  EventDate out;
  out.start = FormatIso(start);
  out.end = (b.end || widened) ? FormatIso(end) : "";
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", scores[best]);
  std::string reasons;
  for (size_t c = 0; c < cues_.size(); ++c)
    if (scored[best * words + c / 64] >> (c % 64) & 1)
      reasons += (reasons.empty() ? "" : "+") + cues_[c]->name;
  out.reason = "'" + std::string(text.substr(b.found.span.begin, b.found.span.size())) + "': " +
               (reasons.empty() ? "no cue" : reasons) + " = " + score;
  if (widened) out.reason += "; widened over the item's other event days";
  return out;
}

}  // namespace newsevents
