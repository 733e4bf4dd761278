#include "pipeline/dates.h"

#include <algorithm>
#include <filesystem>

#include "pipeline/config_error.h"
#include "pipeline/date_grammar.h"
#include "pipeline/date_resolve.h"
#include "pipeline/event_date.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_search.h"

namespace newsevents {

namespace fs = std::filesystem;

struct DateStage::Language {
  std::unique_ptr<DateGrammar> grammar;
  std::unique_ptr<EventDateRules> events;
};

namespace {

bool IsUpperStart(unsigned char c) {
  // ASCII capitals, digits, quotes and any non-ASCII lead byte (É, «, “...):
  // the start of a sentence more often than not.
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' || c == '\'' ||
         c == '(' || c >= 0xC0;
}

// A short capitalized word before a full stop ("Ms.", "Dr.", "St.") is an
// abbreviation, not the end of a sentence.
bool EndsWithAbbreviation(std::string_view text, size_t dot) {
  size_t b = dot;
  while (b > 0 && ((text[b - 1] >= 'a' && text[b - 1] <= 'z') ||
                   (text[b - 1] >= 'A' && text[b - 1] <= 'Z')))
    --b;
  size_t len = dot - b;
  return len > 0 && len <= 3 && text[b] >= 'A' && text[b] <= 'Z';
}

// Sentences of [begin, end) when the sentence stage gave none: a line break
// ends one, and so does . ! or ? followed by spaces and a capital.
void SplitSentences(std::string_view text, size_t begin, size_t end, std::vector<Span>& out) {
  size_t start = begin;
  auto emit = [&](size_t e) {
    size_t b = start;
    while (b < e && (text[b] == ' ' || text[b] == '\n' || text[b] == '\t')) ++b;
    if (b < e) out.push_back({b, e});
  };
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (c == '\n') {
      emit(i);
      start = i + 1;
      continue;
    }
    if ((c == '.' || c == '!' || c == '?') && i + 1 < end && text[i + 1] == ' ') {
      size_t j = i + 1;
      while (j < end && text[j] == ' ') ++j;
      if (j < end && IsUpperStart(static_cast<unsigned char>(text[j])) &&
          !(c == '.' && EndsWithAbbreviation(text, i))) {
        emit(i + 1);
        start = j;
        i = j - 1;
      }
    }
  }
  emit(end);
}

// The item's sentences, the title first (when it has one); sets
// `first_body` to the index of the body's first sentence.
std::vector<Span> ItemSentences(const Document& doc, const Item& item, size_t* first_body) {
  std::vector<Span> out;
  if (!item.title.empty()) out.push_back(item.title);
  *first_body = out.size();
  const size_t body_begin = item.title.empty() ? item.span.begin : item.title.end;
  if (!item.sentences.empty()) {
    for (const Span& s : item.sentences)
      if (s.begin >= body_begin && !s.empty()) out.push_back(s);
  } else {
    Span body = item.body.empty() ? Span{body_begin, item.span.end} : item.body;
    SplitSentences(doc.text, body.begin, body.end, out);
  }
  if (out.empty()) out.push_back(item.span);
  return out;
}

// Sentences are in text order and do not overlap: the last one starting at
// or before pos holds it, or (a gap the splitter left) precedes it. Binary
// search: a long text without line breaks has 10^5 sentences and as many dates.
size_t SentenceOf(const std::vector<Span>& sentences, size_t pos) {
  auto after = std::upper_bound(sentences.begin(), sentences.end(), pos,
                                [](size_t p, const Span& s) { return p < s.begin; });
  return after == sentences.begin() ? 0 : static_cast<size_t>(after - sentences.begin()) - 1;
}

std::optional<CalendarDate> ParseReferenceDate(const std::string& value) {
  if (value.empty()) return std::nullopt;
  auto d = ParseCalendarValue(value);
  if (!d || !d->has_year() || d->relative)
    throw ConfigError("--reference-date", 0,
                      "expected YYYY-MM-DD (or YYYY-MM, YYYY), got '" + value + "'");
  return d;
}

}  // namespace

DateStage::~DateStage() = default;

DateStage::DateStage(const StageOptions& options) : explain_(options.explain) {
  reference_ = ParseReferenceDate(options.reference_date);
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  const fs::path rules = fs::path(root) / "rules";
  std::error_code ec;
  if (!fs::is_directory(rules, ec)) throw ConfigError(rules.string(), 0, "no rules folder");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(rules))
    if (entry.is_directory() && entry.path().filename() != "common" &&
        fs::exists(entry.path() / "dates.rules"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    auto lang = std::make_unique<Language>();
    lang->grammar = std::make_unique<DateGrammar>(root, name);
    lang->events = std::make_unique<EventDateRules>(root, name, *lang->grammar);
    languages_.emplace(name, std::move(lang));
  }
  if (!languages_.count("en"))
    throw ConfigError((rules / "en" / "dates.rules").string(), 0,
                      "English date rules are required (the fallback language)");
}

std::vector<std::string> DateStage::languages() const {
  std::vector<std::string> out;
  for (const auto& [name, lang] : languages_) out.push_back(name);
  return out;
}

const DateStage::Language& DateStage::For(const Document& doc, const Item& item) const {
  for (const std::string* lang : {&item.lang, &doc.lang}) {
    auto it = languages_.find(*lang);
    if (it != languages_.end()) return *it->second;
  }
  return *languages_.find("en")->second;
}

void DateStage::Apply(Document& doc) const {
  const size_t n = doc.items.size();
  std::vector<ItemDates> all(n);
  std::vector<std::vector<Span>> sentences(n);
  // By item and sentence, the `sentence:` cues read with the tense (empty:
  // a sentence without a date, not read).
  std::vector<std::vector<std::vector<char>>> sentence_hits(n);
  std::vector<size_t> first_body(n, 0);
  std::vector<const Language*> langs(n);

  for (size_t i = 0; i < n; ++i) {
    Item& item = doc.items[i];
    const Language& lang = For(doc, item);
    langs[i] = &lang;
    std::vector<FoundDate> found =
        lang.grammar->Find(doc.Slice(item.span), WordStartsOf(doc, item));
    if (found.empty()) continue;  // most items of a long drop: no sentence work
    sentences[i] = ItemSentences(doc, item, &first_body[i]);
    std::vector<int> tense(sentences[i].size(), -1);  // computed on demand
    sentence_hits[i].resize(sentences[i].size());
    for (FoundDate& f : found) {
      f.span.begin += item.span.begin;
      f.span.end += item.span.begin;
      f.match.begin += item.span.begin;
      f.match.end += item.span.begin;
      ItemDate d;
      d.sentence = SentenceOf(sentences[i], f.span.begin);
      d.in_title = !item.title.empty() && item.title.Contains(f.span);
      if (tense[d.sentence] < 0)
        tense[d.sentence] = static_cast<int>(lang.events->ReadSentence(
            doc.Slice(sentences[i][d.sentence]), &sentence_hits[i][d.sentence]));
      d.tense = static_cast<Tense>(tense[d.sentence]);
      d.found = std::move(f);
      all[i].dates.push_back(std::move(d));
    }
    const std::string& h = item.heading_year;
    if (h.size() == 4 && std::all_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; }))
      all[i].heading_year = std::stoi(h);
  }

  ResolveYears(all, reference_);

  for (size_t i = 0; i < n; ++i) {
    Item& item = doc.items[i];
    std::vector<ItemDate>& dates = all[i].dates;
    // A relative year nothing anchors ("this year" in an undated text) names
    // no calendar year: not a date.
    dates.erase(std::remove_if(dates.begin(), dates.end(),
                               [](const ItemDate& d) {
                                 return d.found.start.relative && !d.start.has_year();
                               }),
                dates.end());
    item.dates.clear();
    for (const ItemDate& d : dates) {
      DateMention m;
      m.span = d.found.span;
      m.text = std::string(doc.Slice(d.found.span));
      m.value = FormatIso(d.start);
      m.end = d.end ? FormatIso(*d.end) : "";
      m.precision = d.found.precision;
      m.rule = std::string(d.found.rule);
      if (explain_ && !d.year_from.empty() && d.year_from != "text")
        m.rule += "; year from " + d.year_from;
      item.dates.push_back(std::move(m));
    }
    item.event_date =
        langs[i]->events->Choose(doc, item, dates, sentences[i], first_body[i], sentence_hits[i]);
  }
}

size_t DateStage::example_count() const {
  size_t n = 0;
  for (const auto& [name, lang] : languages_)
    n += lang->grammar->example_count() + lang->events->examples().size();
  return n;
}

std::vector<std::string> DateStage::CheckExamples() const {
  std::vector<std::string> failures;
  for (const auto& [name, lang] : languages_) {
    for (std::string& f : lang->grammar->CheckExamples()) failures.push_back(std::move(f));
    for (const EventDateExample& ex : lang->events->examples()) {
      Document doc;
      doc.lang = name;
      Item item;
      item.lang = name;
      size_t bar = ex.text.find(" || ");
      if (bar != std::string::npos) {
        doc.text = ex.text.substr(0, bar) + "\n\n" + ex.text.substr(bar + 4);
        item.title = {0, bar};
        item.body = {bar + 2, doc.text.size()};
      } else {
        doc.text = ex.text;
        item.body = {0, doc.text.size()};
      }
      item.span = {0, doc.text.size()};
      doc.items.push_back(item);
      Apply(doc);
      const auto& got = doc.items[0].event_date;
      std::string got_text = !got ? "none" : got->start + (got->end.empty() ? "" : "/" + got->end);
      if (got_text != ex.expected)
        failures.push_back(ex.file + ":" + std::to_string(ex.line) + ": event date of '" +
                           ex.text + "': expected " + ex.expected + ", got " + got_text +
                           (got ? " (" + got->reason + ")" : ""));
    }
  }
  return failures;
}

}  // namespace newsevents
