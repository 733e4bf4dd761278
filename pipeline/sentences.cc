#include "pipeline/sentences.h"

#include <algorithm>
#include <filesystem>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "pipeline/config_error.h"
#include "pipeline/rule_file.h"
#include "pipeline/sentence_windows.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

std::string RootOf(const StageOptions& options) {
  return options.root.empty() ? DataRoot() : options.root;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

std::unique_ptr<icu::BreakIterator> MakeIterator(const std::string& lang, const std::string& file) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale(lang.c_str()), status));
  if (U_FAILURE(status) || !it)
    throw ConfigError(file, 0, std::string("ICU sentence iterator: ") + u_errorName(status));
  return it;
}

// The word ending at `end` (exclusive), without opening brackets or quotes.
std::string_view WordBefore(std::string_view text, size_t begin, size_t end) {
  size_t b = end;
  while (b > begin && !IsSpace(text[b - 1])) --b;
  while (b < end && (text[b] == '(' || text[b] == '"' || text[b] == '\'' || text[b] == '[')) ++b;
  return text.substr(b, end - b);
}

}  // namespace

// A cloned iterator and the buffers of one thread's work on one language.
class SentenceStage::Splitter {
 public:
  explicit Splitter(const Language& language)
      : it_(language.iterator->clone()), language_(language) {}
  ~Splitter() { utext_close(&utext_); }

  // The sentences of text[span), appended to `out`. ICU reads the windows
  // around the terminators when the language's rules allow
  // (sentence_windows.h), else the whole span.
  void Split(std::string_view text, Span span, std::vector<Span>& out) {
    if (language_.windows) {
      language_.windows->Find(text, span, windows_);
    } else {
      windows_.clear();
      windows_.push_back(span);
    }
    Boundaries(text, windows_, boundaries_);
    boundaries_.push_back(span.end);  // ICU's last boundary is always the end
    Cut(text, span, boundaries_, out);
  }

  // The same with ICU reading the whole span (tests compare the two).
  void SplitWhole(std::string_view text, Span span, std::vector<Span>& out) {
    windows_.assign(1, span);
    Boundaries(text, windows_, boundaries_);
    boundaries_.push_back(span.end);
    Cut(text, span, boundaries_, out);
  }

 private:
  // ICU's boundaries strictly inside each range of `ranges` (in order, not
  // overlapping), as byte offsets of `text`. The ranges go to ICU as one
  // UTF-16 text, a paragraph separator (U+2029) after each but the last:
  // ICU breaks after it whatever comes before, and starts afresh after it as
  // at the start of a text, so each range is read as if it were alone.
  void Boundaries(std::string_view text, const std::vector<Span>& ranges,
                  std::vector<size_t>& out) {
    out.clear();
    size_t units = 0;
    for (const Span& r : ranges) units += r.size() + 1;
    utf16_.resize(units);
    starts16_.clear();
    // UTF-16 copy for ICU. Most of the text is ASCII: a byte below 0x80 is
    // its own code unit, without the decoder.
    char16_t* out16 = utf16_.data();
    const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
    for (size_t k = 0; k < ranges.size(); ++k) {
      if (k > 0) *out16++ = u'\u2029';
      starts16_.push_back(static_cast<int32_t>(out16 - utf16_.data()));
      int32_t i = static_cast<int32_t>(ranges[k].begin);
      const int32_t end = static_cast<int32_t>(ranges[k].end);
      while (i < end) {
        if (s[i] < 0x80) {
          const uint8_t b = s[i++];
          *out16++ = (b == '\n' || b == '\r') ? u' ' : b;  // a wrapped line goes on
          continue;
        }
        UChar32 c;
        U8_NEXT(s, i, end, c);
        if (c < 0) c = 0xFFFD;
        if (c <= 0xFFFF) {
          *out16++ = static_cast<char16_t>(c);
        } else {  // four bytes in, two units out: never past the bytes' count
          *out16++ = static_cast<char16_t>(U16_LEAD(c));
          *out16++ = static_cast<char16_t>(U16_TRAIL(c));
        }
      }
    }
    const int32_t total = static_cast<int32_t>(out16 - utf16_.data());
    utf16_.resize(static_cast<size_t>(total));
    if (ranges.empty()) return;

    UErrorCode status = U_ZERO_ERROR;
    utext_openUChars(&utext_, utf16_.data(), total, &status);
    it_->setText(&utext_, status);
    if (U_FAILURE(status)) return;  // cannot happen with a valid buffer; keep the span whole
    // Boundaries come in increasing order: a cursor walking both encodings
    // maps each UTF-16 index to its UTF-8 byte, with no table per character.
    size_t k = 0;
    int32_t u16 = starts16_[0], u8 = static_cast<int32_t>(ranges[0].begin);
    for (int32_t to = it_->following(0); to != icu::BreakIterator::DONE; to = it_->next()) {
      // The range `to` is in; a boundary at a range's start or end (the
      // separator's doing) is not one of the text's.
      while (k + 1 < ranges.size() && to >= starts16_[k + 1]) {
        ++k;
        u16 = starts16_[k];
        u8 = static_cast<int32_t>(ranges[k].begin);
      }
      const int32_t end16 = k + 1 < ranges.size() ? starts16_[k + 1] - 1 : total;
      if (to <= starts16_[k] || to >= end16) continue;
      const int32_t end = static_cast<int32_t>(ranges[k].end);
      while (u16 < to && u8 < end) {
        if (s[u8] < 0x80) {
          ++u8, ++u16;
          continue;
        }
        UChar32 c;
        U8_NEXT(s, u8, end, c);
        u16 += (c > 0xFFFF) ? 2 : 1;
      }
      out.push_back(static_cast<size_t>(u8));
    }
  }

  // Sentences of text[span) between `boundaries` (increasing, the last one
  // span.end), trimmed, without the breaks after an abbreviation.
  void Cut(std::string_view text, Span span, const std::vector<size_t>& boundaries,
           std::vector<Span>& out) const {
    size_t from = span.begin;
    for (const size_t at : boundaries) {
      size_t e = at;
      while (e > from && IsSpace(text[e - 1])) --e;
      if (at < span.end && IsAbbreviation(WordBefore(text, from, e))) continue;
      size_t b = from;
      while (b < e && IsSpace(text[b])) ++b;
      if (b < e) out.push_back({b, e});
      from = at;
    }
  }

  bool IsAbbreviation(std::string_view word) const {
    const std::vector<std::string>& list = language_.abbreviations;
    return !word.empty() && word.back() == '.' &&
           std::binary_search(list.begin(), list.end(), word,
                              [](std::string_view a, std::string_view b) { return a < b; });
  }

  std::unique_ptr<icu::BreakIterator> it_;
  const Language& language_;
  std::vector<Span> windows_;
  std::vector<size_t> boundaries_;
  std::u16string utf16_;
  std::vector<int32_t> starts16_;  // of each range in utf16_
  UText utext_ = UTEXT_INITIALIZER;
};

SentenceStage::SentenceStage(const StageOptions& options) : options_(options) {
  const fs::path rules = fs::path(RootOf(options)) / "rules";
  std::error_code ec;
  if (!fs::is_directory(rules, ec)) throw ConfigError(rules.string(), 0, "rules folder not found");
  std::vector<std::string> langs;
  for (const auto& e : fs::directory_iterator(rules, ec))
    if (e.is_directory() && e.path().filename() != "common") langs.push_back(e.path().filename().string());
  if (std::find(langs.begin(), langs.end(), "en") == langs.end()) langs.push_back("en");
  for (const std::string& lang : langs) {
    Vocabulary vocab;
    vocab.LoadDir((rules / lang / "vocab").string());
    vocab.LoadDir((rules / "common" / "vocab").string());
    const std::string file = (rules / lang / "vocab" / "sentence_abbreviation.tsv").string();
    Language& language = languages_[lang];
    language.iterator = MakeIterator(lang, file);
    language.windows = SentenceWindows::For(*language.iterator);
    if (vocab.Has("sentence_abbreviation")) {
      for (const auto& [surface, value] : vocab.Entries("sentence_abbreviation")) {
        if (surface.size() < 2 || surface.back() != '.')
          throw ConfigError(file, 0, "abbreviation '" + surface + "' must end with '.'");
        language.abbreviations.push_back(surface);
      }
    }
    std::sort(language.abbreviations.begin(), language.abbreviations.end());
  }
}

SentenceStage::~SentenceStage() = default;

const SentenceStage::Language& SentenceStage::For(const std::string& lang) const {
  if (auto it = languages_.find(lang); it != languages_.end()) return it->second;
  return languages_.at("en");
}

std::vector<Span> SentenceStage::Split(std::string_view text, Span span,
                                       const std::string& lang) const {
  Splitter splitter(For(lang));
  std::vector<Span> out;
  splitter.Split(text, span, out);
  return out;
}

std::vector<Span> SentenceStage::SplitWhole(std::string_view text, Span span,
                                            const std::string& lang) const {
  Splitter splitter(For(lang));
  std::vector<Span> out;
  splitter.SplitWhole(text, span, out);
  return out;
}

void SentenceStage::Apply(Document& doc) const {
  std::map<const Language*, std::unique_ptr<Splitter>> splitters;
  for (Item& item : doc.items) {
    const Language* language = &For(languages_.count(item.lang) ? item.lang : doc.lang);
    auto& splitter = splitters[language];
    if (!splitter) splitter = std::make_unique<Splitter>(*language);

    item.sentences.clear();
    if (!item.title.empty()) item.sentences.push_back(item.title);
    if (!item.paragraphs.empty()) {
      for (const Span& p : item.paragraphs) splitter->Split(doc.text, p, item.sentences);
    } else if (!item.body.empty()) {
      splitter->Split(doc.text, item.body, item.sentences);
    }
  }
}

}  // namespace newsevents
