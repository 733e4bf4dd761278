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
  Splitter(const icu::BreakIterator& prototype, const std::vector<std::string>& abbreviations)
      : it_(prototype.clone()), abbreviations_(abbreviations) {}
  ~Splitter() { utext_close(&utext_); }

  void Split(std::string_view text, Span span, std::vector<Span>& out) {
    // UTF-16 copy of the span for ICU. Most of the text is ASCII: a byte
    // below 0x80 is its own code unit, without the decoder.
    utf16_.resize(span.size());
    char16_t* out16 = utf16_.data();
    const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = static_cast<int32_t>(span.begin);
    const int32_t end = static_cast<int32_t>(span.end);
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
    utf16_.resize(static_cast<size_t>(out16 - utf16_.data()));

    UErrorCode status = U_ZERO_ERROR;
    utext_openUChars(&utext_, utf16_.data(), static_cast<int64_t>(utf16_.size()), &status);
    it_->setText(&utext_, status);
    if (U_FAILURE(status)) {  // cannot happen with a valid buffer; keep the span whole
      out.push_back(span);
      return;
    }
    // Boundaries come in increasing order: a cursor walking both encodings
    // maps each UTF-16 index to its UTF-8 byte, with no table per character.
    int32_t u16 = 0, u8 = static_cast<int32_t>(span.begin);
    auto to_utf8 = [&](int32_t target) {
      while (u16 < target && u8 < end) {
        if (s[u8] < 0x80) {
          ++u8, ++u16;
          continue;
        }
        UChar32 c;
        U8_NEXT(s, u8, end, c);
        u16 += (c > 0xFFFF) ? 2 : 1;
      }
      return static_cast<size_t>(u8);
    };
    size_t from = span.begin;
    for (int32_t to = it_->following(0); to != icu::BreakIterator::DONE; to = it_->next()) {
      const size_t at = to_utf8(to);
      size_t e = at;
      while (e > from && IsSpace(text[e - 1])) --e;
      if (at < span.end && IsAbbreviation(WordBefore(text, from, e))) continue;
      size_t b = from;
      while (b < e && IsSpace(text[b])) ++b;
      if (b < e) out.push_back({b, e});
      from = at;
    }
  }

 private:
  bool IsAbbreviation(std::string_view word) const {
    return !word.empty() && word.back() == '.' &&
           std::binary_search(abbreviations_.begin(), abbreviations_.end(), word,
                              [](std::string_view a, std::string_view b) { return a < b; });
  }

 public:

 private:
  std::unique_ptr<icu::BreakIterator> it_;
  std::u16string utf16_;
  UText utext_ = UTEXT_INITIALIZER;
  const std::vector<std::string>& abbreviations_;
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
  const Language& language = For(lang);
  Splitter splitter(*language.iterator, language.abbreviations);
  std::vector<Span> out;
  splitter.Split(text, span, out);
  return out;
}

void SentenceStage::Apply(Document& doc) const {
  std::map<const Language*, std::unique_ptr<Splitter>> splitters;
  for (Item& item : doc.items) {
    const Language* language = &For(languages_.count(item.lang) ? item.lang : doc.lang);
    auto& splitter = splitters[language];
    if (!splitter) splitter = std::make_unique<Splitter>(*language->iterator, language->abbreviations);

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
