#include "pipeline/segment.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/byte_class.h"
#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/folded_offset.h"
#include "pipeline/folded_pattern.h"
#include "pipeline/item_limit.h"
#include "pipeline/rule_cue.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, kSegmentCueCount> kCueNames = {
    "closing", "section_label", "list_item", "year_heading", "continuation",
    "also", "definite", "new_story", "link"};

constexpr std::array<const char*, kHeadlineFeatureCount> kHeadlineNames = {
    "bias", "words_1_3", "words_4_8", "words_9_16", "words_17_plus",
    "ends_period", "ends_colon", "ends_exclamation", "two_sentences",
    "starts_lower", "all_caps", "list_item", "link", "closing",
    "section_label", "refers_back", "next_is_body", "next_continues",
    "prev_ends_colon", "overlap_next", "overlap_prev", "first_content",
    "capitalized_share"};

constexpr std::array<const char*, kContinuationFeatureCount> kContinuationNames = {
    "bias", "refers_back", "also_early", "definite_back_reference",
    "prev_ends_colon", "list_item", "in_list", "new_story", "short_paragraph",
    "shared_names", "closing"};

std::string RootOf(const StageOptions& options) {
  return options.root.empty() ? DataRoot() : options.root;
}

int CueIndex(const std::string& name) {
  for (int i = 0; i < kSegmentCueCount; ++i)
    if (name == kCueNames[i]) return i;
  return -1;
}

// The %NAME references of a pattern.
std::vector<std::string> VocabularyNames(std::string_view pattern) {
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') { ++i; continue; }
    if (pattern[i] != '%') continue;
    size_t j = i + 1;
    while (j < pattern.size() && (std::isalnum(static_cast<unsigned char>(pattern[j])) ||
                                  pattern[j] == '_'))
      ++j;
    if (j > i + 1) names.emplace_back(pattern.substr(i + 1, j - i - 1));
    i = j - 1;
  }
  return names;
}

// "name<TAB or spaces>number" lines; '#' comments. Every name of `names` must
// be given once; `extra` (if not null) receives "threshold".
template <size_t N>
void LoadWeights(const std::string& path, const std::array<const char*, N>& names,
                 std::array<double, N>& weights, double* threshold) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, "cannot read weights file");
  std::array<bool, N> seen{};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::istringstream fields(line);
    std::string name, value, rest;
    fields >> name >> value;
    double v = 0;
    try {
      size_t used = 0;
      v = std::stod(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      throw ConfigError(path, number, "expected 'name number', got '" + line + "'");
    }
    if (fields >> rest) throw ConfigError(path, number, "unexpected text after the number");
    if (name == "threshold" && threshold) {
      *threshold = v;
      continue;
    }
    size_t k = 0;
    while (k < N && name != names[k]) ++k;
    if (k == N) throw ConfigError(path, number, "unknown feature '" + name + "'");
    if (seen[k]) throw ConfigError(path, number, "feature '" + name + "' given twice");
    seen[k] = true;
    weights[k] = v;
  }
  for (size_t k = 0; k < N; ++k)
    if (!seen[k]) throw ConfigError(path, 0, std::string("no weight for feature '") + names[k] + "'");
}

constexpr std::array<bool, 256> WordBytes() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80;
  return t;
}
constexpr std::array<bool, 256> kWordBytes = WordBytes();

bool IsWordByte(unsigned char c) { return kWordBytes[c]; }

// Calls f(word) for each run of word bytes of a folded text.
template <typename F>
void ForEachWord(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsWordByte(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && IsWordByte(s[j])) ++j;
    if (j > i) f(s.substr(i, j - i));
    i = j;
  }
}

// Text blocks count words only up to TextBlock::kWordsCounted: every word
// count this file compares (a headline's 30, a list entry's 35, ...) must be
// below it.
static_assert(SegmentStage::kMaxHeadlineWords < TextBlock::kWordsCounted &&
              35 < TextBlock::kWordsCounted);

constexpr size_t kStem = 5;  // "conference" ~ "conferences" ~ "conferencia"

std::string_view Stem(std::string_view word) { return word.substr(0, std::min(word.size(), kStem)); }

// A word of at most 7 bytes as a number: its bytes and its length, so two
// such words are equal exactly when their keys are.
uint64_t WordKey(std::string_view w) {
  uint64_t key = 0;
  std::memcpy(&key, w.data(), std::min<size_t>(w.size(), 7));
  return key | (static_cast<uint64_t>(w.size()) << 56);
}

uint64_t StemKey(std::string_view stem) { return WordKey(stem); }

size_t StemSlot(uint64_t key, size_t size) {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & (size - 1);
}

// The key of a word's first N bytes (WordKey of that prefix), N constant:
// no call to memcpy.
template <size_t N>
uint64_t PrefixKey(const char* word) {
  uint64_t key = 0;
  std::memcpy(&key, word, N);
  return key | (static_cast<uint64_t>(N) << 56);
}

// What StartsAWord(text, stem) answers for stems of 4 or 5 letters, as a
// set: an open-addressing table of their keys (0 marks a free slot; no key
// is 0, it holds its length). Words are found 64 bytes at a time
// (ForEachByteRun): a paragraph costs a few instructions a word.
std::vector<uint64_t> StemSet(std::string_view folded) {
  thread_local std::vector<uint64_t> keys;
  keys.clear();
  const char* const s = folded.data();
  ForEachByteRun(folded, AlnumOrHighMask64, [&](size_t begin, size_t end) {
    if (end - begin < 4) return;
    keys.push_back(PrefixKey<4>(s + begin));
    if (end - begin >= 5) keys.push_back(PrefixKey<5>(s + begin));
  });
  size_t size = 8;
  while (size < keys.size() * 2) size *= 2;
  std::vector<uint64_t> table(size, 0);
  for (uint64_t k : keys) {
    size_t i = StemSlot(k, size);
    while (table[i] != 0 && table[i] != k) i = (i + 1) & (size - 1);
    table[i] = k;
  }
  return table;
}

bool InStemSet(const std::vector<uint64_t>& table, uint64_t key) {
  size_t i = StemSlot(key, table.size());
  while (table[i] != 0) {
    if (table[i] == key) return true;
    i = (i + 1) & (table.size() - 1);
  }
  return false;
}

bool HasStem(const std::vector<uint64_t>& stems, std::string_view word) {
  return InStemSet(stems, StemKey(Stem(word)));
}

bool AllCaps(const TextBlock& b) { return b.letters >= 4 && b.upper * 10 >= b.letters * 9; }

bool EndsSentence(char c) { return c == '.' || c == '!' || c == '?' || c == ';' || c == ':'; }

// Two sentences in one line: ". X", "! X", "? X" with X upper case, before the end.
bool HasTwoSentences(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && text[i + 1] == ' ') {
      const unsigned char n = text[i + 2];
      if (n >= 'A' && n <= 'Z') {
        // "Ms. Smith", "Dr. Diop": a capitalized word of two letters before the dot.
        size_t w = i;
        while (w > 0 && std::isalpha(static_cast<unsigned char>(text[w - 1]))) --w;
        if (i - w <= 2 && w < i && std::isupper(static_cast<unsigned char>(text[w]))) continue;
        return true;
      }
    }
  }
  return false;
}

bool StartsLower(std::string_view text) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalpha(c)) return u_islower(c);
  }
  return false;
}

// Share of the words of 4+ letters that start with a capital.
double CapitalizedShare(std::string_view text) {
  int words = 0, capitalized = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    std::string_view token = text.substr(i, j - i);
    i = j;
    int letters = 0;
    bool first_upper = false, seen = false;
    const uint8_t* s = reinterpret_cast<const uint8_t*>(token.data());
    for (int32_t k = 0, n = static_cast<int32_t>(token.size()); k < n;) {
      if (s[k] < 0x80) {  // ICU's letters and capitals below 0x80, without a call
        const uint8_t b = s[k++];
        if (static_cast<uint8_t>((b | 0x20) - 'a') >= 26) continue;
        if (!seen) first_upper = b <= 'Z', seen = true;
        ++letters;
        continue;
      }
      UChar32 c;
      U8_NEXT(s, k, n, c);
      if (c < 0 || !u_isalpha(c)) continue;
      if (!seen) first_upper = u_isupper(c), seen = true;
      ++letters;
    }
    if (letters < 4) continue;
    ++words;
    if (first_upper) ++capitalized;
  }
  return words == 0 ? 0 : static_cast<double>(capitalized) / words;
}

// Capitalized words (3+ bytes) of a text that do not open a sentence: the
// names a paragraph mentions.
void Names(std::string_view text, std::vector<std::string_view>& out) {
  bool sentence_start = true;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) {
      if (text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == ':') sentence_start = true;
      ++i;
    }
    size_t j = i;
    while (j < text.size() && IsWordByte(text[j])) ++j;
    if (j > i) {
      const unsigned char c = text[i];
      const bool capital = (c >= 'A' && c <= 'Z') || c >= 0xC3;
      if (capital && !sentence_start && j - i >= 3) out.push_back(text.substr(i, j - i));
      sentence_start = false;
    }
    i = j;
  }
}

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Whether a flag group of `pattern` may turn case folding on (RE2 then also
// matches 'k' to U+212A and 's' to U+017F, which a comparison of bytes
// would miss).
bool MayFoldCase(std::string_view pattern) {
  for (size_t i = pattern.find("(?"); i != std::string_view::npos; i = pattern.find("(?", i + 2))
    for (size_t j = i + 2; j < pattern.size() && pattern[j] != ':' && pattern[j] != ')'; ++j)
      if (pattern[j] == 'i') return true;
  return false;
}

bool IsRe2WordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

unsigned char AsciiLower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

}  // namespace

// The opening words of an anchored cue pattern: its opening cue
// (rule_cue.h), when the match starts where the cue does.
SegmentStage::CueSet::Opening SegmentStage::OpeningOf(const std::string& pattern) {
  CueSet::Opening o;
  if (MayFoldCase(pattern)) return o;
  const RuleCues cues = FindRuleCues(pattern, CueReading{true, false});
  if (!cues.opening || !cues.opening->at_start) return o;
  std::vector<size_t> order(cues.opening->prefixes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return cues.opening->prefixes[a] < cues.opening->prefixes[b];
  });
  for (size_t i : order) {
    if (cues.opening->prefixes[i].empty()) return CueSet::Opening();  // tells nothing
    o.prefixes.push_back(cues.opening->prefixes[i]);
    o.ends_word.push_back(cues.opening->ends_word[i]);
  }
  for (int c = 0, p = 0; c <= 256; ++c) {
    while (p < static_cast<int>(o.prefixes.size()) &&
           static_cast<unsigned char>(o.prefixes[static_cast<size_t>(p)][0]) < c)
      ++p;
    o.first[static_cast<size_t>(c)] = static_cast<uint16_t>(p);
  }
  return o;
}

// Whether `folded` opens with one of the words (ASCII letters compared in
// lower case, as cues are); true without any.
bool SegmentStage::CueSet::Opening::Opens(std::string_view folded) const {
  if (prefixes.empty()) return true;
  if (folded.empty()) return false;
  const unsigned char c = AsciiLower(static_cast<unsigned char>(folded[0]));
  for (size_t i = first[c]; i < first[c + 1u]; ++i) {
    const std::string& p = prefixes[i];
    if (p.size() > folded.size()) continue;
    size_t k = 1;
    while (k < p.size() && AsciiLower(static_cast<unsigned char>(folded[k])) == static_cast<unsigned char>(p[k]))
      ++k;
    if (k < p.size()) continue;
    if (ends_word[i] && p.size() < folded.size() && IsRe2WordByte(static_cast<unsigned char>(folded[p.size()])))
      continue;
    return true;
  }
  return false;
}

namespace {

}  // namespace

const std::array<const char*, kHeadlineFeatureCount>& HeadlineFeatureNames() { return kHeadlineNames; }
const std::array<const char*, kContinuationFeatureCount>& ContinuationFeatureNames() {
  return kContinuationNames;
}

// ---------------------------------------------------------------- loading

SegmentStage::SegmentStage(const StageOptions& options) {
  const std::string root = RootOf(options);
  LoadRules(root);
  const fs::path models = fs::path(root) / "models" / "segment";
  LoadWeights((models / "headline.weights").string(), kHeadlineNames, headline_weights_,
              &headline_threshold_);
  LoadWeights((models / "continuation.weights").string(), kContinuationNames,
              continuation_weights_, nullptr);
}

SegmentStage::~SegmentStage() = default;

void SegmentStage::LoadRules(const std::string& root) {
  const fs::path rules = fs::path(root) / "rules";
  std::error_code ec;
  if (!fs::is_directory(rules, ec)) throw ConfigError(rules.string(), 0, "rules folder not found");
  std::vector<std::string> langs;
  for (const auto& e : fs::directory_iterator(rules, ec))
    if (e.is_directory() && e.path().filename() != "common") langs.push_back(e.path().filename().string());
  std::sort(langs.begin(), langs.end());

  std::vector<Vocabulary> vocabs(langs.size());
  std::vector<std::string> stopwords;
  for (size_t l = 0; l < langs.size(); ++l) {
    vocabs[l].LoadDir((rules / langs[l] / "vocab").string());
    vocabs[l].LoadDir((rules / "common" / "vocab").string());
    if (vocabs[l].Has("segment_stopword"))
      for (const auto& [surface, value] : vocabs[l].Entries("segment_stopword"))
        stopwords.push_back(FoldText(surface));
  }
  std::sort(stopwords.begin(), stopwords.end());
  stopwords.erase(std::unique(stopwords.begin(), stopwords.end()), stopwords.end());
  stopwords_ = std::move(stopwords);
  for (const std::string& w : stopwords_)
    if (w.size() <= kShortWord) short_stopwords_.push_back(WordKey(w));
  std::sort(short_stopwords_.begin(), short_stopwords_.end());

  // rules/common/segment.rules for every language, rules/<lang>/segment.rules for its own.
  struct Source {
    fs::path file;
    std::vector<size_t> langs;
  };
  std::vector<Source> sources;
  const fs::path common = rules / "common" / "segment.rules";
  if (!fs::exists(common, ec)) throw ConfigError(common.string(), 0, "segment rules not found");
  Source all{common, {}};
  for (size_t l = 0; l < langs.size(); ++l) all.langs.push_back(l);
  sources.push_back(all);
  for (size_t l = 0; l < langs.size(); ++l) {
    const fs::path own = rules / langs[l] / "segment.rules";
    if (fs::exists(own, ec)) sources.push_back({own, {l}});
  }

  candidate_set_ = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::ANCHOR_START);
  for (int s = 0; s < kSegmentCueCount; ++s) {
    cue_sets_[s].anchored = true;
    cue_sets_[s].set = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::ANCHOR_START);
  }
  for (const Source& source : sources) {
    const std::string path = source.file.string();
    for (const RuleBlock& block : ParseRuleFile(path)) {
      block.CheckKeys({"rule", "cue", "pattern", "example", "counterexample"});
      const RuleField& cue_field = block.Required("cue");
      const int cue = CueIndex(cue_field.value);
      if (cue < 0) throw ConfigError(path, cue_field.line, "unknown cue '" + cue_field.value + "'");
      const RuleField& pattern = block.Required("pattern");
      const std::vector<std::string> names = VocabularyNames(pattern.value);

      // One compiled pattern per language with every vocabulary it needs;
      // a pattern without vocabulary is compiled once.
      std::vector<std::unique_ptr<RE2>> compiled;
      std::vector<std::string> seen;
      for (size_t l : source.langs) {
        if (!std::all_of(names.begin(), names.end(),
                         [&](const std::string& n) { return vocabs[l].Has(n); }))
          continue;
        const std::string folded =
            FoldPattern(vocabs[l].Expand(pattern.value, path, pattern.line));
        if (std::find(seen.begin(), seen.end(), folded) != seen.end()) continue;
        seen.push_back(folded);
        auto re = CompileRulePattern(folded, path, pattern.line);
        if (RE2::PartialMatch("", *re))
          throw ConfigError(path, pattern.line, "pattern matches the empty string");
        compiled.push_back(std::move(re));
      }
      if (compiled.empty())
        throw ConfigError(path, pattern.line, "no language folder has the vocabularies this pattern names");
      auto matches = [&](const std::string& text) {
        const std::string f = FoldText(text);
        return std::any_of(compiled.begin(), compiled.end(),
                           [&](const auto& re) { return RE2::PartialMatch(f, *re); });
      };
      for (const RuleField* example : block.GetAll("example"))
        if (!matches(example->value))
          throw ConfigError(path, example->line, "example does not match the pattern");
      for (const RuleField* counter : block.GetAll("counterexample"))
        if (matches(counter->value))
          throw ConfigError(path, counter->line, "counterexample matches the pattern");
      // A pattern not anchored at the start is matched one RE2 each. When
      // its languages' expansions differ only in its one vocabulary ("\b%x$"),
      // they are one RE2 of all the languages' words: the vocabulary's
      // alternation stands in one place of the pattern, so a block matches
      // the joined pattern exactly when it matches one language's, and each
      // RE2 call costs ~600-1000 instructions whatever it reads.
      std::unique_ptr<RE2> joined;
      if (names.size() == 1 && compiled.size() > 1 &&
          std::none_of(seen.begin(), seen.end(), AnchoredAtStart)) {
        Vocabulary words;
        for (size_t l : source.langs)
          if (vocabs[l].Has(names[0]))
            for (const auto& [surface, value] : vocabs[l].Entries(names[0]))
              words.Add(names[0], surface, value);
        joined = CompileRulePattern(FoldPattern(words.Expand(pattern.value, path, pattern.line)),
                                    path, pattern.line);
      }
      const bool join = joined != nullptr;
      for (size_t k = 0; k < compiled.size(); ++k) {
        std::string error;
        const bool anchored = AnchoredAtStart(seen[k]);
        const int set = anchored ? cue : kSegmentCueCount + cue;
        CueSet& cues = cue_sets_[set];
        ++cues.patterns;
        feeding_[cue] |= 1u << set;
        if (!anchored) {
          if (!join) {
            cues.others.push_back(std::move(compiled[k]));
          } else if (k == 0) {
            cues.others.push_back(std::move(joined));  // for every language
          }
          continue;
        }
        if (cues.set->Add(seen[k], &error) < 0)
          throw ConfigError(path, pattern.line, "pattern rejected: " + error);
        cues.starts.push_back(FindStartBytes(seen[k]));
        cues.openings.push_back(OpeningOf(seen[k]));
        if (kCandidateCues >> cue & 1) {
          if (candidate_set_->Add(seen[k], &error) < 0)
            throw ConfigError(path, pattern.line, "pattern rejected: " + error);
          candidate_cue_.push_back(cue);
        }
        if (cue == static_cast<int>(SegmentCue::kDefinite)) {
          if (compiled[k]->NumberOfCapturingGroups() < 1)
            throw ConfigError(path, pattern.line, "a 'definite' pattern must capture the noun");
          definite_.push_back(std::move(compiled[k]));
        }
      }
    }
  }
  if (!candidate_cue_.empty() && !candidate_set_->Compile())
    throw ConfigError(common.string(), 0, "the cue patterns together are too large to compile");
  for (CueSet& cues : cue_sets_)
    if (cues.anchored && cues.patterns > 0 && !cues.set->Compile())
      throw ConfigError(common.string(), 0, "the cue patterns together are too large to compile");
}

// ---------------------------------------------------------------- analysis

int SegmentStage::Decided(const std::array<double, kHeadlineFeatureCount>& f,
                          const std::array<bool, kHeadlineFeatureCount>& unknown) const {
  // Every feature is in [0, 1], and an unknown one k in [f[k], 1] (f[k] is
  // 0 until part of it is known: the larger of two overlaps once one is
  // read), so it adds between min(w f[k], w) and max(w f[k], w). Summed in
  // the order z is, the bounds hold in floating point too (addition and
  // multiplication are monotonic); a margin in z keeps exp's rounding out of
  // the decision.
  if (!(headline_threshold_ > 0 && headline_threshold_ < 1)) return -1;
  double low = 0, high = 0;
  for (int k = 0; k < kHeadlineFeatureCount; ++k) {
    const double w = headline_weights_[k];
    low += unknown[k] ? std::min(w * f[k], w) : w * f[k];
    high += unknown[k] ? std::max(w * f[k], w) : w * f[k];
  }
  const double at = std::log(headline_threshold_ / (1 - headline_threshold_));
  constexpr double kMargin = 1e-6;
  if (low > at + kMargin) return 1;
  if (high < at - kMargin) return 0;
  return -1;
}

const std::vector<uint64_t>& BlockAnalysis::Stems() const {
  if (!stems_ready) {
    stems = StemSet(folded);
    stems_ready = true;
  }
  return stems;
}

bool SegmentStage::IsStopword(std::string_view w) const {
  if (w.size() <= kShortWord)
    return std::binary_search(short_stopwords_.begin(), short_stopwords_.end(), WordKey(w));
  return std::binary_search(stopwords_.begin(), stopwords_.end(), w,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

bool SegmentStage::CueSet::MayMatch(std::string_view folded) const {
  if (patterns == 0) return false;
  if (!anchored) return true;
  for (size_t p = 0; p < starts.size(); ++p)
    if (starts[p].MayStart(folded, 0, folded.size()) && openings[p].Opens(folded)) return true;
  return false;
}

void SegmentStage::MatchCues(std::string_view folded, uint32_t sets, BlockAnalysis& a,
                             bool check_start_bytes) const {
  for (uint32_t todo = sets & ~a.cue_sets_read; todo != 0; todo &= todo - 1) {
    const int s = std::countr_zero(todo);
    a.cue_sets_read |= 1u << s;
    const int cue = s % kSegmentCueCount;
    if (a.cues[cue] || cue_sets_[s].patterns == 0) continue;
    const CueSet& cues = cue_sets_[s];
    const re2::StringPiece text(folded.data(), folded.size());
    if (!cues.anchored) {
      a.cues[cue] = std::any_of(cues.others.begin(), cues.others.end(),
                                [&](const auto& re) { return RE2::PartialMatch(text, *re); });
      continue;
    }
    if (check_start_bytes && !cues.MayMatch(folded)) continue;
    if (cues.set->Match(text, nullptr)) a.cues[cue] = true;
  }
}

void SegmentStage::MatchCandidateCues(BlockAnalysis& a) const {
  if ((a.cue_sets_read & kCandidateCues) == kCandidateCues) return;
  // Cues found already stay; the set answers the four anew.
  a.cue_sets_read |= kCandidateCues;
  bool may = false;
  for (uint32_t c = kCandidateCues; c != 0 && !may; c &= c - 1)
    may = cue_sets_[std::countr_zero(c)].MayMatch(a.folded);
  if (!may) return;
  thread_local std::vector<int> hits;
  hits.clear();
  if (candidate_set_->Match(re2::StringPiece(a.folded.data(), a.folded.size()), &hits))
    for (int h : hits) a.cues[candidate_cue_[h]] = true;
}

std::array<bool, kSegmentCueCount> SegmentStage::CuesOf(std::string_view folded,
                                                        bool check_start_bytes) const {
  BlockAnalysis a;
  a.folded = folded;
  if (check_start_bytes) MatchCandidateCues(a);
  MatchCues(folded, kEverySet, a, check_start_bytes);
  return a.cues;
}

size_t SegmentStage::MatchDefiniteHead(std::string_view folded, BlockAnalysis& a) const {
  a.definite_read = true;
  if (!a.cues[static_cast<int>(SegmentCue::kDefinite)]) return SIZE_MAX;
  const re2::StringPiece text(folded.data(), folded.size());
  re2::StringPiece head;
  for (const auto& re : definite_)
    if (RE2::PartialMatch(text, *re, &head)) {
      a.definite_head.assign(head.data(), head.size());
      return static_cast<size_t>(head.data() - folded.data());
    }
  return SIZE_MAX;
}

bool SegmentStage::Cue(BlockAnalysis& a, SegmentCue c) const {
  const int k = static_cast<int>(c);
  if ((a.cue_sets_read & feeding_[k]) != feeding_[k]) MatchCues(a.folded, feeding_[k], a);
  return a.cues[k];
}

const std::string& SegmentStage::DefiniteHead(const Document& doc, BlockAnalysis& a) const {
  if (!a.definite_read && Cue(a, SegmentCue::kDefinite)) {
    const size_t head = MatchDefiniteHead(a.folded, a);
    if (head != SIZE_MAX)
      a.definite_at = doc.folded_to_text.ToSource(
          static_cast<size_t>(a.folded.data() - doc.folded.data()) + head);
  }
  return a.definite_head;
}

std::vector<BlockAnalysis> SegmentStage::Analyze(const Document& doc, Reading reading) const {
  const bool every_cue = reading == Reading::kEverything;
  const std::vector<TextBlock> blocks = SplitTextBlocks(doc.text);
  std::vector<BlockAnalysis> out(blocks.size());
  std::vector<std::string_view> folded(blocks.size());
  std::vector<std::string> own_folds;  // when the document has no folded copy
  if (doc.folded.empty() && !doc.text.empty()) own_folds.resize(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    out[i].block = blocks[i];
    if (own_folds.empty()) {
      folded[i] = FoldedSlice(doc, blocks[i].span);
    } else {
      own_folds[i] = FoldText(doc.Slice(blocks[i].span));
      folded[i] = own_folds[i];
    }
    if (own_folds.empty()) {
      out[i].folded = folded[i];
      if (every_cue) {
        MatchCues(folded[i], kEverySet, out[i]);
        DefiniteHead(doc, out[i]);
      }
    } else {  // the fold is gone after this call: match the cues and work the stems out now
      MatchCues(folded[i], kEverySet, out[i]);
      if (MatchDefiniteHead(folded[i], out[i]) != SIZE_MAX)
        out[i].definite_at = blocks[i].span.begin;  // unknown
      out[i].stems = StemSet(folded[i]);
      out[i].stems_ready = true;
    }
  }

  auto cue = [&](size_t i, SegmentCue c) { return Cue(out[i], c); };
  // The stems of a block's content words (4 letters or more, no stopword,
  // no number), found once for both of its neighbours.
  std::vector<std::vector<uint64_t>> content(blocks.size());
  std::vector<char> content_ready(blocks.size(), 0);
  auto content_stems = [&](size_t i) -> const std::vector<uint64_t>& {
    if (!content_ready[i]) {
      ForEachWord(folded[i], [&](std::string_view w) {
        if (w.size() < 4 || IsStopword(w) || std::isdigit(static_cast<unsigned char>(w[0]))) return;
        content[i].push_back(StemKey(Stem(w)));
      });
      content_ready[i] = 1;
    }
    return content[i];
  };
  // Share of a block's content words whose stem starts a word of `other`.
  auto overlap = [&](size_t i, size_t other) {
    const std::vector<uint64_t>& words = content_stems(i);
    if (words.empty()) return 0.0;
    const std::vector<uint64_t>& stems = out[other].Stems();
    int found = 0;
    for (uint64_t k : words) found += InStemSet(stems, k);
    return static_cast<double>(found) / static_cast<double>(words.size());
  };

  bool content_seen = false;
  for (size_t i = 0; i < blocks.size(); ++i) {
    BlockAnalysis& a = out[i];
    const TextBlock& b = blocks[i];
    const std::string_view text = doc.Slice(b.span);
    const bool first_content = !content_seen;
    if (!AllCaps(b)) content_seen = true;
    a.candidate = b.words >= 1 && b.words <= kMaxHeadlineWords && b.letters >= 2;
    if (!a.candidate) continue;

    using H = HeadlineFeature;
    auto& f = a.features;
    // Apply needs the decision only: the features that cost a cue set's
    // match or a neighbour's stems are read while the others leave it open
    // (Decided). Analyze reads them all.
    std::array<bool, kHeadlineFeatureCount> unknown{};
    auto set = [&](H k, double v) {
      f[static_cast<int>(k)] = v;
      unknown[static_cast<int>(k)] = false;
    };
    auto settled = [&] {
      const int decision = every_cue ? -1 : Decided(f, unknown);
      if (decision >= 0) a.headline = decision == 1;
      return decision >= 0;
    };
    set(H::kBias, 1);
    set(H::kWords1to3, b.words <= 3);
    set(H::kWords4to8, b.words >= 4 && b.words <= 8);
    set(H::kWords9to16, b.words >= 9 && b.words <= 16);
    set(H::kWords17Plus, b.words >= 17);
    set(H::kEndsPeriod, b.last == '.');
    set(H::kEndsColon, b.last == ':');
    set(H::kEndsExclamation, b.last == '!' || b.last == '?');
    set(H::kTwoSentences, HasTwoSentences(text));
    set(H::kStartsLower, StartsLower(text));
    set(H::kAllCaps, AllCaps(b));
    // The body below: the next block, or the one after an all-caps subheading.
    size_t next = i + 1;
    if (next < blocks.size() && AllCaps(blocks[next]) && next + 1 < blocks.size()) ++next;
    const bool has_next = next < blocks.size();
    if (has_next) {
      const TextBlock& n = blocks[next];
      set(H::kNextIsBody, n.words >= 20 || (n.words >= 12 && EndsSentence(n.last)));
    }
    if (i > 0) set(H::kPrevEndsColon, blocks[i - 1].last == ':');
    set(H::kFirstContent, first_content);

    // The share of capitalized words (a small weight, a word loop) is read
    // only when the other layout features leave the decision open.
    for (H k : {H::kCapitalizedShare, H::kListItem, H::kLink, H::kClosing, H::kSectionLabel,
                H::kRefersBack})
      unknown[static_cast<int>(k)] = true;
    if (has_next) unknown[static_cast<int>(H::kNextContinues)] = unknown[static_cast<int>(H::kOverlapNext)] = true;
    if (i > 0) unknown[static_cast<int>(H::kOverlapPrev)] = true;
    if (settled()) continue;
    set(H::kCapitalizedShare, CapitalizedShare(text));
    if (settled()) continue;
    MatchCandidateCues(a);
    set(H::kListItem, cue(i, SegmentCue::kListItem));
    set(H::kLink, cue(i, SegmentCue::kLink));
    set(H::kClosing, cue(i, SegmentCue::kClosing));
    set(H::kSectionLabel, cue(i, SegmentCue::kSectionLabel));
    set(H::kRefersBack, cue(i, SegmentCue::kContinuation));
    if (settled()) continue;
    if (has_next) {
      set(H::kNextContinues, cue(next, SegmentCue::kContinuation));
      if (settled()) continue;
    }
    // The overlaps, one neighbour at a time while the decision stays open:
    // first with the block above if its stems are made already (it was the
    // body below the headline before), then with the body below (the
    // larger of two paragraphs' overlaps: the first is a floor).
    bool prev_read = false;
    if (i > 0 && out[i - 1].stems_ready) {
      set(H::kOverlapPrev, overlap(i, i - 1));
      prev_read = true;
      if (settled()) continue;
    }
    if (has_next) {
      double o = overlap(i, next);
      if (next + 1 < blocks.size()) {
        f[static_cast<int>(H::kOverlapNext)] = o;
        if (settled()) continue;
        o = std::max(o, overlap(i, next + 1));
      }
      set(H::kOverlapNext, o);
      if (i > 0 && !prev_read && settled()) continue;
    }
    if (i > 0 && !prev_read) set(H::kOverlapPrev, overlap(i, i - 1));

    double z = 0;
    for (int k = 0; k < kHeadlineFeatureCount; ++k) z += headline_weights_[k] * f[k];
    a.headline_probability = Sigmoid(z);
    a.headline = a.headline_probability >= headline_threshold_;
  }
  return out;
}

// ---------------------------------------------------------------- items

namespace {

// The rare names of each block: capitalized words found in few blocks of the
// document (an organization named everywhere says nothing about the story).
std::vector<std::vector<std::string_view>> RareNames(const Document& doc,
                                                     const std::vector<BlockAnalysis>& blocks) {
  std::vector<std::vector<std::string_view>> names(blocks.size());
  std::unordered_map<std::string_view, int> df;
  for (size_t i = 0; i < blocks.size(); ++i) {
    Names(doc.Slice(blocks[i].block.span), names[i]);
    std::sort(names[i].begin(), names[i].end());
    names[i].erase(std::unique(names[i].begin(), names[i].end()), names[i].end());
    for (std::string_view n : names[i]) ++df[n];
  }
  const int max_df = std::max<int>(2, static_cast<int>(blocks.size() / 8));
  for (auto& list : names)
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](std::string_view n) { return df[n] > max_df; }),
               list.end());
  return names;
}

struct ItemBuilder {
  Document& doc;
  Item item;  // the open item; a new Item while none is open
  bool open = false;
  std::string year;

  void Close() {
    if (!open) return;
    if (!item.paragraphs.empty()) {
      item.body = {item.paragraphs.front().begin, item.paragraphs.back().end};
    } else if (!item.title.empty()) {
      item.body = {item.title.end, item.title.end};
    }
    item.span = {item.title.empty() ? item.body.begin : item.title.begin,
                 std::max(item.body.end, item.title.end)};
    if (item.span.size() > kMaxItemBytes) {
      // A megabyte-long "item" (a file without line breaks) is cut up:
      // item_limit.h.
      for (Item& piece : SplitOversizedItem(doc.text, std::move(item))) {
        piece.index = doc.items.size();
        doc.items.push_back(std::move(piece));
      }
    } else if (!item.span.empty()) {
      item.index = doc.items.size();
      doc.items.push_back(std::move(item));
    }
    item = Item();
    open = false;
  }
  void Open(Span title = {}) {
    Close();  // leaves `item` new
    item.title = title;
    item.heading_year = year;
    open = true;
  }
  void Add(const Span& paragraph) { item.paragraphs.push_back(paragraph); }
};

}  // namespace

void SegmentStage::Apply(Document& doc) const {
  doc.items.clear();
  if (doc.folded.empty() && !doc.text.empty()) doc.folded = FoldText(doc.text, &doc.folded_to_text);
  std::vector<BlockAnalysis> blocks = Analyze(doc, Reading::kAsNeeded);
  if (blocks.empty()) return;
  std::vector<TextBlock> plain(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) plain[i] = blocks[i].block;
  const bool blank_layout = BlankLineLayout(plain);

  auto cue = [&](size_t i, SegmentCue c) { return Cue(blocks[i], c); };
  auto is_headline = [&](size_t i) { return blocks[i].candidate && blocks[i].headline; };
  size_t headlines = 0;
  for (size_t i = 0; i < blocks.size(); ++i) headlines += is_headline(i);

  ItemBuilder builder{doc};

  if (blank_layout && headlines > 0) {
    // Newsletter or brochure: headlines cut the items (one each, and one
    // before the first: the items are moved into place once).
    doc.items.reserve(headlines + 1);
    size_t first = 0;
    while (!is_headline(first)) ++first;
    // Before the first headline: an untitled item when there is a real paragraph.
    bool body_before = false;
    for (size_t i = 0; i < first; ++i)
      if (!AllCaps(blocks[i].block) && blocks[i].block.words >= 15) body_before = true;
    if (body_before) {
      builder.Open();
      for (size_t i = 0; i < first; ++i)
        if (!AllCaps(blocks[i].block) || builder.item.paragraphs.size() > 0)
          builder.Add(blocks[i].block.span);
    }
    for (size_t i = first; i < blocks.size(); ++i) {
      if (is_headline(i)) {
        builder.Open(blocks[i].block.span);
      } else {
        builder.Add(blocks[i].block.span);
      }
    }
    builder.Close();
    return;
  }

  // Archive: runs of paragraphs telling one story.
  const auto names = RareNames(doc, blocks);
  auto w = [&](ContinuationFeature f) { return continuation_weights_[static_cast<int>(f)]; };
  size_t item_first = 0;   // first block of the open item
  size_t colon_at = SIZE_MAX;  // block of the open item that ended with ':'
  for (size_t i = 0; i < blocks.size(); ++i) {
    const TextBlock& b = blocks[i].block;
    if (cue(i, SegmentCue::kYearHeading)) {
      builder.Close();
      builder.year = std::string(doc.Slice(b.span).substr(0, 4));
      continue;
    }
    // A short heading line ("Paris, France", "Online") over a paragraph
    // heads a part of the archive, not a story: it is part of no item.
    const bool next_is_body = i + 1 < blocks.size() && blocks[i + 1].block.words >= 12;
    const bool heading = b.words <= 4 && !EndsSentence(b.last) && !cue(i, SegmentCue::kListItem) &&
                         next_is_body;
    if (heading) {
      builder.Close();
      continue;
    }
    if (is_headline(i)) {
      builder.Open(b.span);
      item_first = i + 1;
      colon_at = SIZE_MAX;
      continue;
    }
    bool join = false;
    if (builder.open && builder.item.paragraphs.empty()) {
      join = true;  // the first paragraph under a headline
    } else if (builder.open) {
      // Does paragraph i go on with the story of blocks [item_first, i)?
      double z = w(ContinuationFeature::kBias);
      if (cue(i, SegmentCue::kContinuation)) z += w(ContinuationFeature::kRefersBack);
      if (cue(i, SegmentCue::kAlso)) z += w(ContinuationFeature::kAlsoEarly);
      if (!DefiniteHead(doc, blocks[i]).empty()) {
        // A common noun ("The conference"), not a name ("The ICPC"), met before.
        const std::string& head = blocks[i].definite_head;
        const unsigned char first = static_cast<unsigned char>(doc.text[blocks[i].definite_at]);
        const bool lower_in_text = !(first >= 'A' && first <= 'Z');
        bool met = false;
        for (size_t k = item_first; k < i && !met && lower_in_text; ++k)
          met = HasStem(blocks[k].Stems(), head);
        if (lower_in_text && met) z += w(ContinuationFeature::kDefiniteBackReference);
      }
      if (i > 0 && blocks[i - 1].block.last == ':') z += w(ContinuationFeature::kPrevEndsColon);
      if (cue(i, SegmentCue::kListItem)) z += w(ContinuationFeature::kListItem);
      if (colon_at != SIZE_MAX && b.words <= 35) {
        bool short_since = true;
        for (size_t k = colon_at + 1; k < i; ++k) short_since &= blocks[k].block.words <= 35;
        if (short_since) z += w(ContinuationFeature::kInList);
      }
      if (cue(i, SegmentCue::kNewStory)) z += w(ContinuationFeature::kNewStory);
      if (b.words <= 12) z += w(ContinuationFeature::kShortParagraph);
      bool shared = false;
      for (size_t k = item_first; k < i && !shared; ++k)
        for (std::string_view n : names[i])
          if (std::binary_search(names[k].begin(), names[k].end(), n)) { shared = true; break; }
      if (shared) z += w(ContinuationFeature::kSharedNames);
      if (cue(i, SegmentCue::kClosing)) z += w(ContinuationFeature::kClosing);
      join = z > 0;
    }
    if (!join) {
      builder.Open();
      item_first = i;
      colon_at = SIZE_MAX;
    }
    builder.Add(b.span);
    if (b.last == ':') colon_at = i;
  }
  builder.Close();
}

}  // namespace newsevents
