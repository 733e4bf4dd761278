#include "pipeline/places.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/gazetteer.h"
#include "pipeline/reverse_pattern.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_cue.h"
#include "pipeline/rule_matcher.h"
#include "pipeline/rule_search.h"
#include "pipeline/word_table.h"

namespace newsevents {

namespace {

namespace fs = std::filesystem;

// Population from which a city counts as large: it may modify a noun ("the
// Montreal Metro") and, named like a word, needs no preposition in the
// middle of a sentence ("Nice" but not "Reading").
constexpr int64_t kLargeCity = 100000;
// A city well known enough to modify a noun ("the Montreal Metro") or to win
// its name over a region's.
constexpr int64_t kMetropolis = 1000000;
// Where a name rule's "before:" pattern is looked for, in bytes before a place.
constexpr size_t kBeforeWindow = 80;
// Letters of the longest word read as an acronym when written in capitals.
constexpr size_t kLongestAcronym = 5;

enum class Kind : uint8_t { kWorldRegion, kCountry, kRegion, kCity, kDistrict };

bool ParseKind(std::string_view s, Kind* kind) {
  static const std::pair<std::string_view, Kind> kKinds[] = {
      {"world_region", Kind::kWorldRegion}, {"country", Kind::kCountry},
      {"region", Kind::kRegion},            {"city", Kind::kCity},
      {"district", Kind::kDistrict}};
  for (const auto& [name, k] : kKinds) {
    if (s == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

// The kind of a part of a place of `kind` ("North Africa", "Northern
// Mexico", "East Montreal").
std::string_view PartKind(Kind kind) {
  switch (kind) {
    case Kind::kWorldRegion: return "world_region";
    case Kind::kCountry:
    case Kind::kRegion: return "region";
    default: return "district";
  }
}

struct GazPlace {
  std::string id;
  std::string canonical;
  std::string kind_name;
  Kind kind = Kind::kCity;
  bool capital = false;           // national or regional capital
  bool national_capital = false;
  std::string country;
  int64_t population = 0;
  int32_t within = -1;  // a district's city (index into places)
};

// One surface of a place, the value stored in the gazetteer.
struct GazName {
  uint32_t place = 0;
  bool alternate = false;  // GeoNames alternate name: weaker evidence
  uint8_t common = 0;      // languages where it is also a word (kEnglish...)
  // Words the name writes in lower case ("Rivière-des-Prairies", "Amérique
  // latine"), bit i for word i: the text may too.
  uint32_t lower_mask = 0;
  bool acronym = false;  // written in capitals ("UK", "USA")
  bool final_period = false;  // an abbreviation's ("U.S.", "EE. UU.")
};

constexpr uint8_t kEnglish = 1, kFrench = 2, kSpanish = 4, kAnyLanguage = 7;

uint8_t LanguageBits(std::string_view letters) {
  uint8_t bits = 0;
  for (char c : letters) bits |= c == 'e' ? kEnglish : c == 'f' ? kFrench : c == 's' ? kSpanish : 0;
  return bits;
}

struct BeforeRule {
  std::string name;
  std::unique_ptr<RE2> re;  // ((?:before)[ ]*)$
  std::string kind;
};

struct NameRule {
  std::string name;
  std::unique_ptr<RuleMatcher> re;  // with a group "place"
  int place_group = 0;
  std::string kind;
};

// The word lists of LanguageRules as bits of one WordTable: list `s` of the
// language at index `l` is bit l * kWordLists + s, so that a word is looked
// up once for every list of every language.
enum WordList : int {
  kCue, kDistrictWord, kFunctionWord, kNameNoun, kPersonTitle, kArticle, kOrgHead, kOrgArticle,
  kWordLists
};
constexpr uint32_t kAnyFunctionWord = 1u << 31;  // any_function_word (headline shapes)

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Folded words, looked up by string_view without a copy.
using WordSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// What one language contributes: the words around places, and its rules.
struct LanguageRules {
  std::string lang;
  uint8_t bit = 0;
  int index = 0;          // place in PlaceStage::Impl::languages (word list bits)
  WordSet cue;            // "in", "à", "en"
  WordSet district_word;  // "borough", "quartier"
  WordSet function_word;  // "the", "le", "el"
  WordSet name_noun;      // "Metro", "Declaration": a place may modify them
  WordSet person_title;   // "Ms", "Mme", "Sra"
  WordSet article;        // "the", "la": a name's own article may be lower case
  WordSet org_head;       // "Centre", "Centro": the head word of a body's name
  WordSet org_article;    // "du", "el", "the" before a head word used alone
  // The articles a gazetteer name may open with in lower case ("the Hague",
  // "la Paz"): of `article`, those some name starts with. Few and short:
  // compared as they are, most words ruled out by their first byte.
  std::vector<std::string> opening_articles;
  bool OpensAsArticle(std::string_view word) const {
    for (const std::string& a : opening_articles)
      if (a == word) return true;
    return false;
  }
  std::vector<BeforeRule> before;
  // Whether any `before` rule matches a window: their union, tried once
  // before the rules one by one (null when the union does not compile).
  std::unique_ptr<RE2> before_screen;
  // The bytes a match of the union may end with, read backwards from its
  // end: FindStartBytes of the union reversed (ReversePattern). A place is
  // asked about its window only when the window's last bytes, before any
  // spaces, fit (RE2 costs ~700 instructions a call on these 80 bytes, most
  // of them before it reads one; most words before a place are no rule's
  // last word). Empty: no check.
  StartBytes before_ends;
  bool MayEndBefore(std::string_view window) const;
  std::vector<NameRule> named;
  RuleSearch named_search;  // the `named` rules' matches in an item
};

// Whether a match of the `before` union may end where `window` ends or
// before spaces that end it (the screen's "[ ]*$"). A match ending at e
// read backwards is a match of the reversed union starting there: its byte
// at e - 1 - i lies in before_ends.bytes[i]. Reading back from e a byte of a
// multi-byte character comes before its lead byte, unlike in the reversed
// text: such a byte lets the window through.
bool LanguageRules::MayEndBefore(std::string_view window) const {
  const StartBytes& ends = before_ends;
  const auto* s = reinterpret_cast<const unsigned char*>(window.data());
  for (size_t e = window.size();; --e) {
    bool may = true;
    if (e < 32 && (ends.at_text_end >> e & 1)) return true;
    if (ends.bytes.size() > e) {
      may = false;
    } else {
      for (size_t i = 0; i < ends.bytes.size() && may; ++i) {
        const unsigned char c = s[e - 1 - i];
        if (c >= 0x80) return true;
        may = ends.bytes[i][c >> 6] >> (c & 63) & 1;
      }
    }
    if (may) return true;
    if (e == 0 || s[e - 1] != ' ') return false;
  }
}

std::vector<std::string_view> SplitBar(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t bar = s.find('|');
    out.push_back(s.substr(0, bar));
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

// The last word token of a folded vocabulary entry: "d'" -> "d",
// "jusqu'à" -> "a", as the tokenizer will cut them from the text.
std::string LastFoldedToken(std::string_view surface) {
  const std::string folded = FoldText(surface);
  std::vector<FoldedToken> tokens;
  TokenizeFolded(folded, 0, folded.size(), &tokens);
  if (tokens.empty()) return "";
  return folded.substr(tokens.back().begin, tokens.back().end - tokens.back().begin);
}

UChar32 FirstCodePoint(std::string_view s, size_t at) {
  if (at >= s.size()) return -1;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(s.size()), c);
  return c;
}

// ASCII without ICU (the same answer: no ASCII letter is title case).
bool IsUpper(UChar32 c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_isupper(c) || u_istitle(c);
}

// The words of a document (cut from Document::folded) and what the text says
// about each. Only a word's start and first letter are read up front; the
// rest is worked out when a place candidate asks, since most words never are.
// A word is one record, and the records are kept by the thread from one
// document to the next: no allocation once warm.
class DocWords {
 public:
  // `article_first`: the first bytes of the folded articles a name may
  // open with ("the Hague").
  DocWords(const Document& doc, const Gazetteer& gazetteer, const WordTable<uint32_t>& lists,
           const std::array<bool, 256>& article_first)
      : doc_(doc), gazetteer_(gazetteer), lists_(lists), words_(Storage()) {
    words_.clear();
    begin_.clear();
    starts_.clear();
    const auto* folded = reinterpret_cast<const uint8_t*>(doc.folded.data());
    OffsetMap::Walker to_text(doc.folded_to_text);  // words come in text order
    const auto* text = reinterpret_cast<const uint8_t*>(doc.text.data());
    const size_t text_size = doc.text.size();
    // The thread's vectors reached once (each thread_local access is a call).
    std::vector<Word>& words = words_;
    std::vector<size_t>& begins = begin_;
    std::vector<uint32_t>& starts = starts_;
    // (Inlined into the tokenizer's loop: a call a word cost a third of its record.)
    ForEachFoldedToken(doc.folded, 0, doc.folded.size(), [&](size_t b, size_t e) __attribute__((always_inline)) {
      const size_t at = to_text.ToSource(b);
      // (ASCII without decoding: a capital is the only upper-case letter.)
      const uint8_t c = at < text_size ? text[at] : 0;
      const bool cap = c < 0x80 ? c >= 'A' && c <= 'Z' : IsUpper(FirstCodePoint(doc.text, at));
      if (cap || article_first[folded[b]]) starts.push_back(static_cast<uint32_t>(words.size()));
      begins.push_back(at);
      Word& w = words.emplace_back();
      w.folded_begin = static_cast<uint32_t>(b);
      w.folded_size = static_cast<uint32_t>(e - b);
      w.cap = cap;
    });
    caps_lines_.clear();
  }

  size_t size() const { return words_.size(); }
  // The words where a place may start: capitalized, or opening with an
  // article's first byte; in text order.
  const std::vector<uint32_t>& starts() const { return starts_; }
  // The first word that starts at or after text offset `offset`.
  size_t LowerBound(size_t offset) const {
    return std::lower_bound(begin_.begin(), begin_.end(), offset) - begin_.begin();
  }
  size_t folded_begin(size_t i) const { return words_[i].folded_begin; }
  std::string_view word(size_t i) const {
    return std::string_view(doc_.folded.data() + words_[i].folded_begin, words_[i].folded_size);
  }
  size_t begin(size_t i) const { return begin_[i]; }
  size_t end(size_t i) {
    Word& w = words_[i];
    if (w.end == kUnknown)
      w.end = static_cast<uint32_t>(doc_.folded_to_text.ToSource(w.folded_begin + w.folded_size));
    return w.end;
  }
  // First letter upper case in the text.
  bool cap(size_t i) const { return words_[i].cap; }
  // Two letters or more, all upper case ("ICPC").
  bool upper(size_t i) {
    Word& w = words_[i];
    if (w.upper < 0) {
      bool all = w.cap && end(i) - begin(i) >= 2;
      const auto* bytes = reinterpret_cast<const uint8_t*>(doc_.text.data());
      for (int32_t j = static_cast<int32_t>(begin(i)); all && j < static_cast<int32_t>(end(i));) {
        UChar32 c = bytes[j];
        if (c < 0x80) {  // ASCII without ICU: a lower-case letter is the only one
          ++j;
          all = !(c >= 'a' && c <= 'z');
          continue;
        }
        U8_NEXT(bytes, j, static_cast<int32_t>(end(i)), c);
        all = !(c >= 0 && u_isalpha(c) && !IsUpper(c));
      }
      w.upper = all;
    }
    return w.upper > 0;
  }
  // The text between word a and a later word b.
  std::string_view gap(size_t a, size_t b) {
    return std::string_view(doc_.text).substr(end(a), begin(b) - end(a));
  }
  // First word of a sentence, a line or a bullet: a capital there is the
  // sentence's, not a name's.
  bool sentence_start(size_t i) {
    Word& w = words_[i];
    if (w.sentence_start < 0) {
      const size_t from = i == 0 ? 0 : end(i - 1);
      const std::string_view g = std::string_view(doc_.text).substr(from, begin(i) - from);
      size_t k = g.size();
      while (k > 0 && std::string_view(" \t\"'([*-").find(g[k - 1]) != std::string_view::npos) --k;
      // A period right after a short capitalized word ends an abbreviation
      // ("Dr. Jordan", "U.S. Army"), not a sentence.
      const bool abbreviation = k == 1 && g[0] == '.' && i > 0 && cap(i - 1) && word(i - 1).size() <= 3;
      w.sentence_start = i == 0 || g.find('\n') != std::string_view::npos ||
                         (k > 0 && !abbreviation &&
                          std::string_view(".!?:;").find(g[k - 1]) != std::string_view::npos) ||
                         g.substr(0, k).find("\xE2\x80\xA2") != std::string_view::npos;  // a bullet
    }
    return w.sentence_start > 0;
  }
  // On a line in Title Case or upper case (a headline, a banner), where
  // capitals say nothing about names.
  bool caps_line(size_t i) {
    const std::string& text = doc_.text;
    // The line of the previous question first: searching back for the line
    // start from every word is quadratic on a long line (a feed with no
    // line breaks).
    if (last_line_end_ != std::string::npos && begin(i) >= last_line_begin_ &&
        begin(i) < last_line_end_)
      return last_line_caps_;
    // memrchr: std::string::rfind reads back a byte at a time.
    const void* nl = memrchr(text.data(), '\n', begin(i));
    const size_t line_begin = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1 : 0;
    const size_t line_end = std::min(text.find('\n', begin(i)), text.size());
    last_line_begin_ = line_begin;
    last_line_end_ = line_end;
    last_line_caps_ = CapsLineUncached(line_begin, line_end);
    return last_line_caps_;
  }
  bool CapsLineUncached(size_t line_begin, size_t line_end) {
    // Sorted by line start; lines are mostly asked about in text order, so
    // a new one mostly goes last.
    auto at = std::lower_bound(caps_lines_.begin(), caps_lines_.end(), std::make_pair(line_begin, false));
    if (at != caps_lines_.end() && at->first == line_begin) return at->second;
    const size_t first = LowerBound(line_begin);
    const size_t last = std::min(size(), LowerBound(line_end));
    int content = 0, letters = 0;
    // A long line is prose, whatever its capitals.
    if (last - first > kLongestHeadline) {
      caps_lines_.emplace(at, line_begin, false);
      return false;
    }
    // Title Case: every word but the small ones capitalized (the first word
    // is, in any line); or every word of two letters or more in capitals.
    // Read until a word rules out both (in prose, the second or third).
    bool title = true, upper_case = true;
    for (size_t j = first; j < last && (title || upper_case); ++j) {
      const std::string_view f = word(j);
      const bool digit = std::isdigit(static_cast<unsigned char>(f[0]));
      if (upper_case && f.size() >= 2 && !digit) {
        ++letters;
        upper_case = upper(j);
      }
      if (!title || j == first || digit || (lists(j) & kAnyFunctionWord)) continue;
      ++content;
      title = cap(j);
    }
    const bool caps = (title && content >= 3) || (upper_case && letters >= 2);
    caps_lines_.emplace(at, line_begin, caps);
    return caps;
  }
  uint32_t id(size_t i) {
    Word& w = words_[i];
    if (w.id == kIdNotLooked) w.id = gazetteer_.TokenId(word(i), hash(i));
    return w.id;
  }
  // The word lists (WordList bits, kAnyFunctionWord) the word is in.
  uint32_t lists(size_t i) {
    Word& w = words_[i];
    if (w.lists == kNotLooked) {
      const uint32_t* bits = lists_.Find(word(i), hash(i));
      w.lists = bits ? *bits : 0;
    }
    return w.lists;
  }

 private:
  static constexpr uint32_t kUnknown = UINT32_MAX;
  static constexpr size_t kLongestHeadline = 40;  // words
  static constexpr uint32_t kIdNotLooked = Gazetteer::kNoToken - 1;
  static constexpr uint32_t kNotLooked = ~kAnyFunctionWord;  // no word is in every list
  // What is known of a word; the fields past `cap` are worked out on demand.
  struct Word {
    uint32_t folded_begin = 0, folded_size = 0;  // in Document::folded
    uint32_t end = kUnknown;                     // in Document::text
    uint32_t id = kIdNotLooked;
    uint32_t lists = kNotLooked;
    uint32_t hash = 0;
    bool cap = false;
    bool hashed = false;
    int8_t upper = -1, sentence_start = -1;
  };
  static std::vector<Word>& Storage() {
    thread_local std::vector<Word> words;
    return words;
  }
  uint32_t hash(size_t i) {
    Word& w = words_[i];
    if (!w.hashed) {
      w.hash = WordHash(word(i));
      w.hashed = true;
    }
    return w.hash;
  }
  const Document& doc_;
  const Gazetteer& gazetteer_;
  const WordTable<uint32_t>& lists_;
  std::vector<Word>& words_;
  // Where each word starts in Document::text (apart: binary searched).
  static inline thread_local std::vector<size_t> begin_;
  static inline thread_local std::vector<uint32_t> starts_;
  // Title Case or not, by line start, for the lines asked about.
  static inline thread_local std::vector<std::pair<size_t, bool>> caps_lines_;
  size_t last_line_begin_ = 0, last_line_end_ = std::string::npos;
  bool last_line_caps_ = false;
};

}  // namespace

struct PlaceStage::Impl {
  std::vector<GazPlace> places;
  std::vector<GazName> names;
  Gazetteer gazetteer;
  std::vector<LanguageRules> languages;  // en, fr, es
  WordSet any_function_word;             // of every language, for headline shapes
  // Every word of every language's lists, with its WordList bits.
  WordTable<uint32_t> word_lists;
  // The first bytes of every language's opening_articles: most lower-case
  // words are ruled out by theirs.
  std::array<bool, 256> opening_article_first{};
  double load_ms = 0;

  void LoadPlaces(const std::string& path);
  void LoadLanguage(const std::string& root, const std::string& lang, uint8_t bit);
  void IndexWordLists();

  void ApplyItem(const Document& doc, Item& item, DocWords& words) const;
};

// ----------------------------------------------------------------- loading

void PlaceStage::Impl::LoadPlaces(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "cannot open gazetteer (run models/places/build.sh)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  const size_t rows = std::count(data.begin(), data.end(), '\n');
  places.reserve(rows);
  names.reserve(rows * 2);
  gazetteer.Reserve(rows * 2);
  std::unordered_map<std::string_view, uint32_t> index;  // id -> place
  index.reserve(rows);
  std::vector<std::pair<uint32_t, std::string_view>> within;  // resolved after all rows
  std::vector<std::string_view> f;
  std::vector<FoldedToken> tokens;
  OffsetMap map;
  int line_no = 0;
  for (size_t start = 0; start < data.size();) {
    size_t nl = data.find('\n', start);
    if (nl == std::string::npos) nl = data.size();
    const std::string_view line(data.data() + start, nl - start);
    start = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    f.clear();
    for (size_t from = 0;;) {
      const size_t tab = line.find('\t', from);
      f.push_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
      if (tab == std::string_view::npos) break;
      from = tab + 1;
    }
    if (f.size() != 9) throw ConfigError(path, line_no, "expected 9 tab-separated columns");
    GazPlace p;
    p.id = f[0];
    p.canonical = f[1];
    p.kind_name = f[2];
    if (!ParseKind(f[2], &p.kind)) throw ConfigError(path, line_no, "unknown kind '" + p.kind_name + "'");
    p.capital = f[3] == "PPLC" || f[3] == "PPLA" || f[3] == "PPLG";
    p.national_capital = f[3] == "PPLC" || f[3] == "PPLG";
    p.country = f[4];
    const std::string population(f[5]);
    char* end = nullptr;
    p.population = std::strtoll(population.c_str(), &end, 10);
    if (population.empty() || *end != '\0')
      throw ConfigError(path, line_no, "bad population '" + population + "'");
    const uint32_t place = static_cast<uint32_t>(places.size());
    if (!index.emplace(f[0], place).second)
      throw ConfigError(path, line_no, "id given twice: " + p.id);
    if (!f[6].empty()) within.emplace_back(place, f[6]);
    places.push_back(std::move(p));
    for (int column : {7, 8}) {
      for (std::string_view surface : SplitBar(f[column])) {
        GazName n;
        n.place = place;
        n.alternate = column == 8;
        if (size_t star = surface.find('*'); star != std::string_view::npos) {
          n.common = LanguageBits(surface.substr(star + 1));
          surface = surface.substr(0, star);
        }
        if (surface.empty()) continue;
        n.acronym = surface.size() >= 2 &&
                    std::all_of(surface.begin(), surface.end(),
                                [](char c) { return (c >= 'A' && c <= 'Z') || c == '.'; });
        n.final_period = surface.back() == '.';
        map = OffsetMap();
        const std::string folded = FoldText(surface, &map);
        tokens.clear();
        TokenizeFolded(folded, 0, folded.size(), &tokens);
        for (size_t t = 1; t < tokens.size() && t < 32; ++t) {
          const UChar32 c = FirstCodePoint(surface, map.ToSource(tokens[t].begin));
          if (c >= 0 && u_islower(c)) n.lower_mask |= uint32_t{1} << t;
        }
        if (!gazetteer.AddFolded(folded, tokens, static_cast<uint32_t>(names.size()))) continue;
        names.push_back(n);
      }
    }
  }
  for (const auto& [place, id] : within) {
    auto it = index.find(id);
    if (it == index.end())
      throw ConfigError(path, 0, places[place].id + " lies within unknown place " + std::string(id));
    places[place].within = static_cast<int32_t>(it->second);
  }
  if (places.empty()) throw ConfigError(path, 0, "no place");
}

void PlaceStage::Impl::LoadLanguage(const std::string& root, const std::string& lang,
                                    uint8_t bit) {
  LanguageRules rules;
  rules.lang = lang;
  rules.bit = bit;
  rules.index = static_cast<int>(languages.size());
  Vocabulary vocab;
  vocab.LoadDir(root + "/rules/" + lang + "/vocab");
  vocab.LoadDir(root + "/rules/common/vocab");
  auto load_words = [&](const char* name, WordSet* out) {
    if (!vocab.Has(name)) return;
    for (const auto& [surface, value] : vocab.Entries(name)) {
      std::string token = LastFoldedToken(surface);
      if (!token.empty()) out->insert(std::move(token));
    }
  };
  load_words("place_cue", &rules.cue);
  load_words("place_district_word", &rules.district_word);
  load_words("place_function_word", &rules.function_word);
  load_words("place_name_noun", &rules.name_noun);
  load_words("place_person_title", &rules.person_title);
  load_words("place_article", &rules.article);
  load_words("org_heads", &rules.org_head);
  load_words("place_org_article", &rules.org_article);
  for (const std::string& a : rules.article) {
    if (!gazetteer.Opens(gazetteer.TokenId(a))) continue;  // (the gazetteer is loaded first)
    rules.opening_articles.push_back(a);
    opening_article_first[static_cast<unsigned char>(a[0])] = true;
  }
  for (const std::string& w : rules.cue) rules.function_word.insert(w);
  for (const std::string& w : rules.function_word) any_function_word.insert(w);

  const std::string path = root + "/rules/" + lang + "/places.rules";
  std::string before_union;  // "(?:a)|(?:b)..." of the before: patterns
  std::error_code ec;
  if (fs::exists(path, ec)) {
    for (const RuleBlock& block : ParseRuleFile(path)) {
      block.CheckKeys({"rule", "before", "pattern", "kind", "example"});
      const RuleField& kind = block.Required("kind");
      Kind parsed;
      if (kind.value != "part" && !ParseKind(kind.value, &parsed))
        throw ConfigError(path, kind.line, "unknown kind '" + kind.value + "'");
      if (block.Has("before") == block.Has("pattern"))
        throw ConfigError(path, block.line, "a rule has either 'before:' or 'pattern:'");
      if (block.Has("before")) {
        const RuleField& f = block.Required("before");
        const std::string expanded = vocab.Expand(f.value, path, f.line);
        BeforeRule r{block.name(), CompileRulePattern("((?:" + expanded + ")[ ]*)$", path, f.line),
                     kind.value};
        rules.before.push_back(std::move(r));
        before_union += (before_union.empty() ? "(?:" : "|(?:") + expanded + ")";
      } else {
        const RuleField& f = block.Required("pattern");
        const std::string expanded = vocab.Expand(f.value, path, f.line);
        NameRule r{block.name(), std::make_unique<RuleMatcher>(expanded, path, f.line), 0, kind.value};
        auto groups = r.re->re().NamedCapturingGroups();
        auto it = groups.find("place");
        if (it == groups.end())
          throw ConfigError(path, f.line, "pattern has no group (?P<place>...)");
        r.place_group = it->second;
        rules.named_search.Add(lang, expanded, r.re.get(), rules.named.size(), path, f.line);
        rules.named.push_back(std::move(r));
      }
    }
  }
  if (!before_union.empty()) {
    auto screen = std::make_unique<RE2>("(?:" + before_union + ")[ ]*$", RulePatternOptions());
    if (screen->ok()) rules.before_screen = std::move(screen);
    if (const std::optional<std::string> reversed = ReversePattern("(?:" + before_union + ")"))
      rules.before_ends = FindStartBytes(*reversed, 16);
  }
  rules.named_search.Compile(path);
  languages.push_back(std::move(rules));
}

PlaceStage::PlaceStage(const StageOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto impl = std::make_unique<Impl>();
  const std::string root = options.root.empty() ? DataRoot() : options.root;
  impl->LoadPlaces(root + "/models/places/places.tsv");
  impl->LoadLanguage(root, "en", kEnglish);
  impl->LoadLanguage(root, "fr", kFrench);
  impl->LoadLanguage(root, "es", kSpanish);
  impl->IndexWordLists();
  impl->load_ms = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - start).count();
  impl_ = std::move(impl);
}

void PlaceStage::Impl::IndexWordLists() {
  for (const LanguageRules& l : languages) {
    const WordSet* lists[kWordLists] = {&l.cue,          &l.district_word, &l.function_word,
                                        &l.name_noun,    &l.person_title,  &l.article,
                                        &l.org_head,     &l.org_article};
    for (int k = 0; k < kWordLists; ++k)
      for (const std::string& w : *lists[k]) word_lists[w] |= 1u << (l.index * kWordLists + k);
  }
  for (const std::string& w : any_function_word) word_lists[w] |= kAnyFunctionWord;
}

PlaceStage::~PlaceStage() = default;

size_t PlaceStage::place_count() const { return impl_->places.size(); }
size_t PlaceStage::name_count() const { return impl_->names.size(); }
double PlaceStage::load_ms() const { return impl_->load_ms; }

// ----------------------------------------------------------------- matching

namespace {

// A place found in an item, before grouping: spans and indices only, no
// string of its own (an item's hits are moved and sorted; the strings of a
// place are made once it is emitted).
struct Hit {
  size_t first = 0, last = 0;  // tokens [first, last); last == first for a rule's place
  Span span;
  // Gazetteer readings of the words: names[names_begin, names_end) of the
  // item's reading list.
  uint32_t names_begin = 0, names_end = 0;
  int32_t place = -1;           // the reading chosen
  // The rule that made it (a longer place, or a new one), null for a
  // gazetteer name alone. A rule's place is written `span`; its canonical
  // name is the text of span up to `place_begin` (the rule's words, none for
  // a new place) and the gazetteer place's, or all of span's text.
  const std::string* rule = nullptr;
  size_t place_begin = 0;
  std::string_view rule_kind;
  bool pending = false;         // a place only if the item confirms it
  bool caps_line = false;       // written on a Title Case or upper-case line
  bool in_org = false;
  uint32_t name_count() const { return names_end - names_begin; }
};

// The countries an item's places lie in, each once (a handful).
using Countries = std::vector<std::string_view>;
bool Holds(const Countries& countries, std::string_view country) {
  return std::find(countries.begin(), countries.end(), country) != countries.end();
}
void AddCountry(Countries* countries, std::string_view country) {
  if (!Holds(*countries, country)) countries->push_back(country);
}

int Score(const GazName& n, const GazPlace& p, const Countries& countries,
          std::string_view qualifier) {
  int score = 0;
  switch (p.kind) {
    case Kind::kCountry: score = 60; break;
    case Kind::kWorldRegion: score = 55; break;
    case Kind::kRegion: score = 40; break;
    case Kind::kCity:
      score = (p.national_capital && p.population >= kLargeCity) || p.population >= kMetropolis ? 50
              : p.population >= kLargeCity ? 30 : 20;
      break;
    case Kind::kDistrict: score = 10; break;
  }
  if (!n.alternate) score += 5;
  // The item's other places: enough to choose between two cities of a size
  // ("Córdoba, Argentina"), not to prefer a small one to a capital.
  if (!p.country.empty() && Holds(countries, p.country)) score += 15;
  // "Córdoba, Spain": the text says which.
  if (!p.country.empty() && p.country == qualifier) score += 30;
  return score;
}

uint32_t Choose(const uint32_t* candidates, size_t count, const std::vector<GazName>& names,
                const std::vector<GazPlace>& places, const Countries& countries,
                std::string_view qualifier = {}) {
  uint32_t best = candidates[0];
  if (count == 1) return best;  // most names: one place (no score to work out)
  auto key = [&](uint32_t v) {
    const GazName& n = names[v];
    return std::make_pair(Score(n, places[n.place], countries, qualifier), places[n.place].population);
  };
  for (size_t k = 0; k < count; ++k)
    if (key(candidates[k]) > key(best)) best = candidates[k];
  return best;
}

}  // namespace

void PlaceStage::Apply(Document& doc) const {
  if (doc.items.empty()) return;
  DocWords words(doc, impl_->gazetteer, impl_->word_lists, impl_->opening_article_first);
  for (Item& item : doc.items) impl_->ApplyItem(doc, item, words);
}

void PlaceStage::Impl::ApplyItem(const Document& doc, Item& item, DocWords& w) const {
  item.places.clear();
  const std::string& text = doc.text;
  // The item's words.
  const size_t lo = w.LowerBound(item.span.begin);
  const size_t hi = w.LowerBound(item.span.end);
  if (lo >= hi) return;

  thread_local std::vector<const LanguageRules*> langs;
  langs.clear();
  uint8_t lang_bits = 0;
  const std::string& lang = item.lang != "und" ? item.lang : doc.lang;
  for (const LanguageRules& l : languages)
    if (l.lang == lang) langs.push_back(&l);
  if (langs.empty())
    for (const LanguageRules& l : languages) langs.push_back(&l);
  for (const LanguageRules* l : langs) lang_bits |= l->bit;
  auto opens_as_article = [&](size_t i) {
    if (!opening_article_first[static_cast<unsigned char>(doc.folded[w.folded_begin(i)])]) return false;
    for (const LanguageRules* l : langs)
      if (l->OpensAsArticle(w.word(i))) return true;
    return false;
  };

  // The bit of list `k` of each language of the item.
  uint32_t list_mask[kWordLists] = {};
  for (const LanguageRules* l : langs)
    for (int k = 0; k < kWordLists; ++k) list_mask[k] |= 1u << (l->index * kWordLists + k);
  auto in_set = [&](size_t i, WordList k) { return (w.lists(i) & list_mask[k]) != 0; };
  auto gap = [&](size_t a, size_t b) { return w.gap(a, b); };
  // Words written as one phrase: only spaces or one hyphen between them.
  auto joined = [&](size_t a, size_t b) {
    std::string_view g = gap(a, b);
    if (g.empty() || g.size() > 3) return g.empty();
    for (char c : g)
      if (c != ' ' && c != '-') return false;
    return true;
  };
  // A capital that marks a proper noun (not a sentence's, headline's or small word's).
  auto name_capital = [&](size_t i) {
    return w.cap(i) && !w.sentence_start(i) && !w.caps_line(i) &&
           !in_set(i, kFunctionWord);
  };
  // Only spaces or an elision between two words: "in Nice", "d'Ottawa".
  auto adjacent = [&](size_t a, size_t b) {
    for (char c : gap(a, b))
      if (c != ' ' && c != '\'') return false;
    return true;
  };
  // A cue word right before, or before an article: "in Nice", "in the Mile End".
  auto has_cue = [&](size_t first) {
    if (first == lo || !adjacent(first - 1, first)) return false;
    size_t p = first - 1;
    if (p > lo && in_set(p, kArticle) && adjacent(p - 1, p)) {
      if (in_set(p - 1, kCue)) return true;
    }
    return in_set(p, kCue);
  };
  auto near_district_word = [&](size_t first, size_t last) {
    for (size_t j = first > lo + 3 ? first - 3 : lo; j < std::min(hi, last + 2); ++j) {
      if (j >= first && j < last) continue;
      if (in_set(j, kDistrictWord)) return true;
    }
    return false;
  };

  // Kept by the thread from one item to the next: no allocation once warm.
  thread_local std::vector<Hit> hits;
  thread_local std::vector<uint32_t> readings;  // Hit::names_begin...
  thread_local std::vector<Gazetteer::Match> matches;
  thread_local Countries countries;
  hits.clear();
  readings.clear();
  countries.clear();
  const Countries no_countries;
  const std::vector<uint32_t>& starts = w.starts();
  size_t next = lo;  // words before it lie in a place taken
  for (auto s = std::lower_bound(starts.begin(), starts.end(), lo); s != starts.end() && *s < hi; ++s) {
    const size_t i = *s;
    if (i < next) continue;
    // A name starts capitalized, or with its own article in lower case
    // ("the Hague", "la Paz"); only at a word some name starts with (the
    // gazetteer's first words: most capitalized words are none).
    const bool article_start = !w.cap(i) && opens_as_article(i);
    if ((!w.cap(i) && !article_start) || !gazetteer.Opens(w.id(i))) continue;
    gazetteer.MatchesAt([&](size_t k) { return w.id(i + k); },
                        std::min(hi - i, gazetteer.max_tokens()), &matches);
    for (const Gazetteer::Match& m : matches) {
      const size_t last = i + m.length;
      // No line break or punctuation inside, and every word capitalized
      // where the name capitalizes it.
      bool shape = true;
      for (size_t j = i + 1; j < last && shape; ++j)
        if (gap(j - 1, j).find_first_of("\n,;:()\"") != std::string_view::npos) shape = false;
      if (!shape) continue;
      Hit h;
      // A short word in capitals in running text is an acronym ("OAS",
      // "LIMA"), a place only where the place is written so ("UK"). A line's
      // first word may be a dateline ("PARIS, May 5").
      const bool acronym_word = m.length == 1 && w.word(i).size() <= kLongestAcronym &&
                                w.upper(i) && !w.caps_line(i) && !w.sentence_start(i);
      readings.resize(hits.empty() ? 0 : hits.back().names_end);  // a reading not taken
      h.names_begin = static_cast<uint32_t>(readings.size());
      for (uint32_t v : *m.values) {
        if (acronym_word && !names[v].acronym) continue;
        bool fits = true;
        if (article_start && m.length < 2) fits = false;
        for (size_t j = article_start ? i + 1 : i; j < last && fits; ++j)
          fits = w.cap(j) || (j - i < 32 && (names[v].lower_mask >> (j - i)) & 1);
        if (fits) readings.push_back(v);
      }
      h.names_end = static_cast<uint32_t>(readings.size());
      if (h.name_count() == 0) continue;
      h.first = i;
      h.last = last;
      h.span = {w.begin(article_start ? i + 1 : i), w.end(last - 1)};
      const uint32_t chosen = Choose(readings.data() + h.names_begin, h.name_count(), names, places, no_countries);
      const GazName& n = names[chosen];
      const GazPlace& p = places[n.place];
      h.place = static_cast<int32_t>(n.place);
      if (n.final_period && h.span.end < item.span.end && text[h.span.end] == '.') ++h.span.end;

      // "du Centre", "el Centro", "the Centre": a body named earlier and
      // referred to by its head word ("Centre", a French region; "El Centro").
      // (A lower-case article of the match is such an article too: "el Centro".)
      if (article_start ? (m.length == 2 && !w.cap(i) && in_set(i + 1, kOrgHead))
                        : (m.length == 1 && i > lo && in_set(i, kOrgHead) &&
                           in_set(i - 1, kOrgArticle)))
        continue;

      // A rule that makes a longer place with the words before it.
      const size_t window_begin = std::max(item.span.begin, h.span.begin > kBeforeWindow ? h.span.begin - kBeforeWindow : 0);
      std::string_view window(text.data() + window_begin, h.span.begin - window_begin);
      bool extended = false;
      for (const LanguageRules* l : langs) {
        if (!l->MayEndBefore(window) ||
            (l->before_screen &&
             !l->before_screen->Match(window, 0, window.size(), RE2::UNANCHORED, nullptr, 0)))
          continue;  // none of this language's rules matches here
        for (const BeforeRule& r : l->before) {
          re2::StringPiece prefix;
          if (RE2::PartialMatch(window, *r.re, &prefix)) {
            const size_t begin = window_begin + (prefix.data() - window.data());
            h.rule = &r.name;
            h.place_begin = h.span.begin;
            h.rule_kind = r.kind == "part" ? PartKind(p.kind) : std::string_view(r.kind);
            h.span.begin = begin;
            extended = true;
            break;
          }
        }
        if (extended) break;
      }
      if (!extended) {
        const bool strong = p.kind == Kind::kCountry || p.kind == Kind::kWorldRegion ||
                            p.kind == Kind::kRegion ||
                            (p.kind == Kind::kCity && (p.population >= kLargeCity || p.capital));
        // Places that modify a noun as a name's first word ("the Montreal
        // Metro", "Canada Day"); a smaller city there is more often part of a
        // name ("Concordia University").
        const bool modifier = p.kind == Kind::kCountry || p.kind == Kind::kWorldRegion ||
                              p.kind == Kind::kRegion ||
                              (p.kind == Kind::kCity && (p.population >= kMetropolis || p.national_capital));
        const bool common = (n.common & lang_bits) != 0;
        // Part of a longer proper noun: "Caroline Bourgeois", "Florence
        // Martin", "Dubai Police"; a large place may still modify a noun.
        if (i > lo && joined(i - 1, i) && name_capital(i - 1) && !(strong && w.upper(i - 1))) continue;
        // A title after it opens the next name ("à Paris M. Thomas Leroux").
        if (last < hi && joined(last - 1, last) && name_capital(last) &&
            !in_set(last, kPersonTitle) &&
            !(modifier && !n.alternate && !common &&
              (in_set(last, kNameNoun) || in_set(last, kDistrictWord))))
          continue;
        // A given name after a title: "Ms. Florence Martin".
        if (i > lo && in_set(i - 1, kPersonTitle)) {
          const std::string_view g = gap(i - 1, i);
          if (g == " " || g == ". ") continue;
        }
        const bool cue = has_cue(i);
        const bool mid_sentence = !w.sentence_start(i) && !w.caps_line(i);
        if (common) {
          h.pending = !(cue || (mid_sentence && !n.alternate &&
                                (p.kind == Kind::kCountry || p.kind == Kind::kWorldRegion ||
                                 p.population >= kLargeCity)));
        } else if (n.alternate) {
          h.pending = !(cue || mid_sentence);
        } else if (p.kind == Kind::kDistrict && p.population == 0) {
          h.pending = !(cue || near_district_word(i, last));
        } else if (!strong && w.caps_line(i)) {
          h.pending = !(cue || near_district_word(i, last));
        }
        h.caps_line = w.caps_line(i);
      }
      // A longer place made by a rule swallows what it covers ("East End",
      // a region of Anguilla, in "East End of Montreal").
      if (extended) {
        while (!hits.empty() && h.span.Contains(hits.back().span)) hits.pop_back();
      }
      hits.push_back(std::move(h));
      next = last;
      break;
    }
  }

  // Places the gazetteer does not know, named by the words around them.
  {
    const std::string_view item_text(text.data() + item.span.begin, item.span.size());
    for (const LanguageRules* l : langs) {
      if (l->named.empty()) continue;
      l->named_search.ForEachMatch(l->lang, item_text, WordStartsOf(doc, item),
                                   [&](size_t k, const re2::StringPiece* pieces) {
        const NameRule& r = l->named[k];
        const re2::StringPiece place = pieces[r.place_group];
        if (place.empty()) return;
        Hit h;
        h.span.begin = item.span.begin + (place.data() - item_text.data());
        h.span.end = h.span.begin + place.size();
        bool overlaps = false;
        for (const Hit& other : hits) overlaps = overlaps || other.span.Overlaps(h.span);
        if (overlaps) return;
        h.rule = &r.name;
        h.place_begin = h.span.begin;
        h.rule_kind = r.kind;
        h.names_begin = h.names_end = static_cast<uint32_t>(readings.size());
        hits.push_back(h);
      });
    }
    std::sort(hits.begin(), hits.end(),
              [](const Hit& a, const Hit& b) { return a.span.begin < b.span.begin; });
  }

  // Readings chosen again with the item's countries: "Córdoba, Argentina".
  for (const Hit& h : hits) {
    if (h.pending || h.place < 0) continue;
    const GazPlace& p = places[h.place];
    if (p.kind == Kind::kCountry || p.kind == Kind::kRegion || h.name_count() == 1)
      AddCountry(&countries, p.country);
  }
  for (size_t k = 0; k < hits.size(); ++k) {
    Hit& h = hits[k];
    if (h.place < 0 || h.name_count() < 2 || h.rule) continue;
    std::string_view qualifier;  // the country of a place right after ", "
    if (k + 1 < hits.size() && hits[k + 1].place >= 0 && hits[k + 1].span.begin >= h.span.end &&
        text.compare(h.span.end, hits[k + 1].span.begin - h.span.end, ", ") == 0) {
      const GazPlace& next = places[hits[k + 1].place];
      if (next.kind == Kind::kCountry || next.kind == Kind::kRegion) qualifier = next.country;
    }
    h.place = static_cast<int32_t>(
        names[Choose(readings.data() + h.names_begin, h.name_count(), names, places, countries, qualifier)].place);
  }

  // Pending places the item confirms: their city is named, or they stand in
  // a list or a "City, Country" pair with a place.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 0; k < hits.size(); ++k) {
      Hit& h = hits[k];
      if (!h.pending) continue;
      bool confirmed = false;
      // In a headline every word is capitalized, so a list there proves
      // nothing ("Toronto And Mobile Crisis Teams").
      if (h.caps_line) continue;
      const int32_t within = places[h.place].within;
      for (const Hit& o : hits)
        if (!o.pending && within >= 0 && o.place == within) confirmed = true;
      for (size_t o : {k - 1, k + 1}) {
        if (o >= hits.size() || hits[o].pending) continue;
        const Span a = hits[std::min(k, o)].span, b = hits[std::max(k, o)].span;
        if (a.end > b.begin) continue;
        const std::string f = FoldText(text.substr(a.end, b.begin - a.end));
        for (const char* sep : {", and ", ", et ", ", y ", " and ", " et ", " y ", " or ", " ou ",
                                " o ", ", ", " & ", "/", " / "})
          if (f == sep) confirmed = true;
      }
      if (confirmed) {
        h.pending = false;
        changed = true;
      }
    }
  }

  // Inside an organization's or a person's name a place is part of that
  // name ("City of Montreal"; people, where a stage before this one found
  // them).
  // A mention inside the place's own name is no evidence against it ("EE"
  // of "EE.UU." taken for an acronym).
  auto claims = [](const Span& mention, const Span& place) {
    return mention.Overlaps(place) && !(place.Contains(mention) && !(mention == place));
  };
  for (Hit& h : hits) {
    for (const Organization& org : item.organizations)
      for (const Span& s : org.mentions)
        if (claims(s, h.span)) h.in_org = true;
    for (const Person& person : item.people)
      for (const Span& s : person.mentions)
        if (claims(s, h.span)) h.in_org = true;
  }

  // One place per gazetteer entry (or per rule-made name), in text order.
  // A rule's longer place is one place per rule and gazetteer place, however
  // much of it each mention writes ("Urban Agglomeration of Montreal",
  // "Agglomeration of Montreal"); a rule's new place, one per folded name.
  struct Seen {
    const Hit* hit;
    std::string folded;  // a rule's new place: its name folded
    size_t place;        // in item.places
  };
  thread_local std::vector<Seen> seen;
  seen.clear();
  auto same = [](const Hit& a, const std::string& a_folded, const Seen& b) {
    if ((a.rule == nullptr) != (b.hit->rule == nullptr) || a.place != b.hit->place) return false;
    if (!a.rule) return true;
    return a.place >= 0 ? *a.rule == *b.hit->rule : a_folded == b.folded;
  };
  std::string folded;
  item.places.reserve(hits.size());  // (a place moved at each growth)
  for (const Hit& h : hits) {
    if (h.pending || h.in_org) continue;
    const std::string_view written = doc.Slice(h.span);
    folded.clear();
    if (h.rule && h.place < 0) folded = FoldText(written);
    size_t at = item.places.size();
    for (const Seen& s : seen)
      if (same(h, folded, s)) {
        at = s.place;
        break;
      }
    if (at == item.places.size()) {
      seen.push_back({&h, folded, at});
      Place place;
      place.name = std::string(written);
      if (!h.rule) {
        const GazPlace& p = places[h.place];
        place.canonical = p.canonical;
        place.kind = p.kind_name;
        place.country = p.country;
      } else {
        place.canonical = h.place >= 0 ? std::string(text.substr(h.span.begin, h.place_begin - h.span.begin)) +
                                             places[h.place].canonical
                                       : std::string(written);
        place.kind = std::string(h.rule_kind);
        place.country = h.place >= 0 ? places[h.place].country : "";
      }
      item.places.push_back(std::move(place));
    }
    item.places[at].mentions.push_back(h.span);
  }
}

}  // namespace newsevents
