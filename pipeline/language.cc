#include "pipeline/language.h"

#include <algorithm>
#include <cstring>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/config_error.h"
#include "pipeline/fold.h"
#include "pipeline/folded_offset.h"
#include "pipeline/rule_file.h"
#include "pipeline/thread_memo.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxOrder = 5;       // TextCat's longest n-gram
constexpr UChar32 kBoundary = '_';  // word boundary mark of the profiles

// FNV-1a over the code points of an n-gram taken from its last one back
// (so the n-grams ending at one position extend one another's hash), never 0
// (0 marks an empty slot).
constexpr uint64_t kSeed = 0xcbf29ce484222325ull;
inline uint64_t Mix(uint64_t h, UChar32 c) { return (h ^ static_cast<uint32_t>(c)) * 0x100000001b3ull; }
inline uint64_t Final(uint64_t h) {
  h ^= h >> 29;
  return h == 0 ? 1 : h;
}
uint64_t HashCodePoints(const UChar32* cps, int n) {
  uint64_t h = kSeed;
  for (int i = n - 1; i >= 0; --i) h = Mix(h, cps[i]);
  return Final(h);
}

bool IsLetter(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return u_isalpha(c);
}

// Calls emit(hash) for every 1..5-gram of every '_'-padded word of `text`,
// and returns the number of letters seen. Words are runs of letters; anything
// else separates them, as in TextCat.
template <typename Emit>
size_t ForEachNgram(std::string_view text, Emit&& emit) {
  UChar32 window[kMaxOrder];  // the last code points of the current word
  int have = 0;               // how many of window are valid (<= kMaxOrder)
  size_t letters = 0;
  auto push = [&](UChar32 c) {
    if (have == kMaxOrder) {
      std::copy(window + 1, window + kMaxOrder, window);
      --have;
    }
    window[have++] = c;
    uint64_t h = kSeed;
    for (int k = have - 1; k >= 0; --k) {
      h = Mix(h, window[k]);
      emit(Final(h));
    }
  };
  bool in_word = false;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && IsLetter(c)) {
      if (!in_word) {
        have = 0;
        push(kBoundary);
        in_word = true;
      }
      push(c);
      ++letters;
    } else if (in_word) {
      push(kBoundary);
      in_word = false;
    }
  }
  if (in_word) push(kBoundary);
  return letters;
}

// Calls word(run, letters) for every run of letters of `text`, the words
// ForEachNgram pads and cuts (letters: code points in the run).
template <typename Word>
void ForEachLetterRun(std::string_view text, Word&& word) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  auto ascii_letter = [](uint8_t b) { return static_cast<uint8_t>((b | 0x20) - 'a') < 26; };
  UChar32 c = 0;
  int32_t i = 0;
  for (;;) {
    // Up to the next letter.
    int32_t begin = -1;
    while (i < length && begin < 0) {
      const int32_t at = i;
      if (s[i] < 0x80) {
        if (ascii_letter(s[i++])) begin = at;
      } else {
        U8_NEXT(s, i, length, c);
        if (c >= 0 && IsLetter(c)) begin = at;
      }
    }
    if (begin < 0) return;
    // The run of letters from `begin` (its first letter is read).
    size_t letters = 1;
    while (i < length) {
      if (s[i] < 0x80) {
        if (!ascii_letter(s[i])) break;
        ++i;
      } else {
        int32_t next = i;
        U8_NEXT(s, next, length, c);
        if (c < 0 || !IsLetter(c)) break;
        i = next;
      }
      ++letters;
    }
    word(text.substr(static_cast<size_t>(begin), static_cast<size_t>(i - begin)), letters);
  }
}

// The scores of the words a thread met lately, for one model. A word's
// n-grams depend on the word alone (it is padded and cut on its own), and a
// few hundred words make most of any text, so a word's scores are worked out
// once and then added as they are. Direct-mapped: a word goes to one slot, by
// a hash of its bytes, and takes it from whatever word was there; words of
// more than kMaxBytes bytes are not kept. Per thread (no lock on the hot
// path) and per model (an owner id, NewMemoOwner()).
class WordMemo {
 public:
  static constexpr size_t kSlots = 4096;
  static constexpr size_t kMaxBytes = 16;

  // This thread's memo for the model `owner` of `languages` languages.
  static WordMemo& For(uint64_t owner, size_t languages) {
    thread_local WordMemo memo;
    if (memo.owner_ != owner) {
      memo.owner_ = owner;
      memo.languages_ = languages;
      memo.keys_.assign(kSlots, Key{});
      memo.scores_.assign(kSlots * languages, 0.0);
    }
    return memo;
  }

  // The scores of `word` (one per language), or null.
  const double* Find(std::string_view word) {
    if (word.size() > kMaxBytes) return nullptr;
    const Key key = KeyOf(word);
    slot_ = SlotOf(key);
    const Key& k = keys_[slot_];
    if (k.lo != key.lo || k.hi != key.hi || k.bytes != key.bytes) return nullptr;
    return scores_.data() + slot_ * languages_;
  }

  // Keeps `scores` for `word` (after a Find of that word that missed) and
  // returns where they are kept.
  const double* Put(std::string_view word, const double* scores) {
    if (word.size() > kMaxBytes) return scores;
    keys_[slot_] = KeyOf(word);
    double* kept = scores_.data() + slot_ * languages_;
    std::copy(scores, scores + languages_, kept);
    return kept;
  }

  std::vector<double> scratch;  // Accumulate's scores of a word not kept

 private:
  struct Key {
    uint64_t lo = 0, hi = 0;  // the word's bytes, zero-padded
    uint64_t bytes = 0;       // 0: a free slot (no word is empty)
  };
  static Key KeyOf(std::string_view word) {
    uint8_t buffer[kMaxBytes] = {};
    std::memcpy(buffer, word.data(), word.size());
    Key key;
    std::memcpy(&key.lo, buffer, 8);
    std::memcpy(&key.hi, buffer + 8, 8);
    key.bytes = word.size();
    return key;
  }
  static size_t SlotOf(const Key& key) {
    const uint64_t h = (key.lo * 0x9E3779B97F4A7C15ull) ^ (key.hi * 0xC2B2AE3D27D4EB4Full) ^ key.bytes;
    return static_cast<size_t>((h ^ (h >> 29)) * 0x100000001b3ull >> 52) & (kSlots - 1);
  }

  uint64_t owner_ = 0;
  size_t languages_ = 0;
  size_t slot_ = 0;  // of the last Find
  std::vector<Key> keys_;
  std::vector<double> scores_;  // slot * languages_ + language
};

std::vector<UChar32> CodePoints(std::string_view s) {
  std::vector<UChar32> out;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    out.push_back(c < 0 ? 0xFFFD : c);
  }
  return out;
}

double ParseParam(const RuleField& f, const std::string& path) {
  try {
    size_t used = 0;
    const double v = std::stod(f.value, &used);
    if (used == f.value.size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw ConfigError(path, f.line, "'" + f.key + "' needs a non-negative number, got '" +
                                      f.value + "'");
}

void LoadParams(const std::string& path, LanguageIdentifier::Params& p) {
  for (const RuleBlock& block : ParseRuleFile(path)) {
    block.CheckKeys({"rule", "min_letters", "min_confidence", "ngrams_per_letter",
                     "inherit_share", "inherit_confidence", "max_bytes", "settled_margin"});
    if (block.name() != "identifier")
      throw ConfigError(path, block.line, "unknown block '" + block.name() +
                                              "' (expected 'rule: identifier')");
    for (const RuleField& f : block.fields) {
      if (f.key == "rule") continue;
      const double v = ParseParam(f, path);
      if (f.key == "min_letters") p.min_letters = static_cast<size_t>(v);
      else if (f.key == "min_confidence") p.min_confidence = v;
      else if (f.key == "ngrams_per_letter") p.ngrams_per_letter = std::max(v, 1e-3);
      else if (f.key == "inherit_share") p.inherit_share = v;
      else if (f.key == "inherit_confidence") p.inherit_confidence = v;
      else if (f.key == "max_bytes") p.max_bytes = static_cast<size_t>(v);
      else if (f.key == "settled_margin") p.settled_margin = v;
    }
  }
}

}  // namespace

// ------------------------------------------------------------ identifier

LanguageIdentifier LanguageIdentifier::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ConfigError(dir, 0, "language model folder not found");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".profile") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty())
    throw ConfigError(dir, 0, "no <lang>.profile file (see models/lang/README.md)");

  LanguageIdentifier id;
  const fs::path params = fs::path(dir) / "identifier.params";
  if (fs::exists(params, ec)) LoadParams(params.string(), id.params_);

  // Folded n-gram -> count, per language; then the union of all n-grams.
  std::vector<std::unordered_map<std::string, double>> counts;
  std::vector<double> totals, floors;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    if (!in) throw ConfigError(file.string(), 0, "cannot read");
    std::unordered_map<std::string, double> table;
    double total = 0, smallest = 0;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.find('\t');
      double count = 0;
      try {
        size_t used = 0;
        if (tab != std::string::npos && tab > 0) count = std::stod(line.substr(tab + 1), &used);
        if (used == 0 || tab + 1 + used != line.size()) count = 0;
      } catch (const std::exception&) {
        count = 0;
      }
      if (count <= 0)
        throw ConfigError(file.string(), number, "expected 'ngram<TAB>count' with a positive count");
      std::string gram = FoldText(line.substr(0, tab));
      if (static_cast<int>(CodePoints(gram).size()) > kMaxOrder)
        throw ConfigError(file.string(), number, "n-gram longer than 5 characters");
      table[gram] += count;
      total += count;
      smallest = smallest == 0 ? count : std::min(smallest, count);
    }
    if (table.empty()) throw ConfigError(file.string(), 0, "profile has no n-gram");
    id.languages_.push_back(file.stem().string());
    counts.push_back(std::move(table));
    totals.push_back(total);
    floors.push_back(smallest / 2);  // an unlisted n-gram was below the cut-off
  }

  std::vector<std::string> grams;
  for (const auto& table : counts)
    for (const auto& [gram, count] : table) grams.push_back(gram);
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());

  size_t slots = 16;
  while (slots < grams.size() * 2) slots <<= 1;
  id.slot_hash_.assign(slots, 0);
  id.slot_row_.assign(slots, 0);
  id.slot_mask_ = slots - 1;
  const size_t n = id.languages_.size();
  id.rows_.resize(grams.size() * n);
  for (size_t row = 0; row < grams.size(); ++row) {
    const std::vector<UChar32> cps = CodePoints(grams[row]);
    const uint64_t hash = HashCodePoints(cps.data(), static_cast<int>(cps.size()));
    if (id.Find(hash) >= 0)
      throw ConfigError(dir, 0, "two n-grams share a hash: '" + grams[row] + "'");
    id.Insert(hash, row);
    for (size_t l = 0; l < n; ++l) {
      auto it = counts[l].find(grams[row]);
      const double count = it == counts[l].end() ? floors[l] : it->second;
      id.rows_[row * n + l] = static_cast<float>(std::log(count / totals[l]));
    }
  }
  // The finest step of the values (see exact_limit_), and their largest size.
  int finest = INT_MAX;
  for (const float v : id.rows_) {
    id.max_weight_ = std::max(id.max_weight_, std::fabs(static_cast<double>(v)));
    if (v == 0) continue;
    int exponent = 0;
    std::frexp(v, &exponent);
    finest = std::min(finest, exponent - 24);
  }
  id.exact_limit_ = finest == INT_MAX ? 0 : std::ldexp(1.0, 53 + finest);
  id.memo_owner_ = NewMemoOwner();
  return id;
}

int64_t LanguageIdentifier::Find(uint64_t hash) const {
  for (uint64_t i = hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    if (slot_hash_[i] == hash) return slot_row_[i];
    if (slot_hash_[i] == 0) return -1;
  }
}

void LanguageIdentifier::Insert(uint64_t hash, size_t row) {
  uint64_t i = hash & slot_mask_;
  while (slot_hash_[i] != 0) i = (i + 1) & slot_mask_;
  slot_hash_[i] = hash;
  slot_row_[i] = static_cast<uint32_t>(row);
}

void LanguageIdentifier::AccumulateNgrams(std::string_view folded, Tally& tally) const {
  const size_t n = languages_.size();
  if (tally.score.size() != n) tally.score.assign(n, 0.0);
  double* score = tally.score.data();
  tally.letters += ForEachNgram(folded, [&](uint64_t hash) {
    const int64_t row = Find(hash);
    if (row < 0) return;  // in no profile: says nothing
    const float* p = rows_.data() + row * n;
    for (size_t l = 0; l < n; ++l) score[l] += p[l];
  });
}

void LanguageIdentifier::Accumulate(std::string_view folded, Tally& tally) const {
  const size_t n = languages_.size();
  if (tally.score.size() != n) tally.score.assign(n, 0.0);
  double* score = tally.score.data();
  // A letter or a word boundary adds at most kMaxOrder n-grams, and there
  // are at most 2 * size + 1 of them: can a score leave the exact range?
  const double most = max_weight_ * kMaxOrder * (2.0 * static_cast<double>(folded.size()) + 1);
  for (size_t l = 0; l < n; ++l)
    if (-score[l] + most > exact_limit_) return AccumulateNgrams(folded, tally);

  WordMemo& memo = WordMemo::For(memo_owner_, n);
  std::vector<double>& word_score = memo.scratch;
  ForEachLetterRun(folded, [&](std::string_view word, size_t letters) {
    const double* add = memo.Find(word);
    if (add == nullptr) {
      word_score.assign(n, 0.0);
      ForEachNgram(word, [&](uint64_t hash) {
        const int64_t row = Find(hash);
        if (row < 0) return;
        const float* p = rows_.data() + row * n;
        for (size_t l = 0; l < n; ++l) word_score[l] += p[l];
      });
      add = memo.Put(word, word_score.data());
    }
    for (size_t l = 0; l < n; ++l) score[l] += add[l];
    tally.letters += letters;
  });
}

LanguageGuess LanguageIdentifier::Decide(const Tally& tally) const {
  LanguageGuess guess;
  guess.letters = tally.letters;
  if (tally.score.empty() || tally.letters == 0) return guess;
  const size_t n = tally.score.size();
  size_t best = 0;
  for (size_t l = 1; l < n; ++l)
    if (tally.score[l] > tally.score[best]) best = l;
  double sum = 0;
  for (size_t l = 0; l < n; ++l)
    sum += std::exp((tally.score[l] - tally.score[best]) / params_.ngrams_per_letter);
  guess.best = languages_[best];
  guess.confidence = 1.0 / sum;
  if (tally.letters >= params_.min_letters && guess.confidence >= params_.min_confidence)
    guess.lang = guess.best;
  return guess;
}

bool LanguageIdentifier::Settled(const Tally& tally) const {
  if (tally.letters < 4 * params_.min_letters || tally.score.size() < 2) return false;
  double best = -1e300, second = -1e300;
  for (double v : tally.score) {
    if (v > best) second = best, best = v;
    else if (v > second) second = v;
  }
  return (best - second) / params_.ngrams_per_letter >= params_.settled_margin;
}

LanguageGuess LanguageIdentifier::Identify(std::string_view folded) const {
  Tally tally;
  Accumulate(folded, tally);
  return Decide(tally);
}

// ------------------------------------------------------------ stage

namespace {

constexpr size_t kPiece = 256;  // bytes read between two looks at the scores

std::string RootOf(const StageOptions& options) {
  return options.root.empty() ? DataRoot() : options.root;
}

}  // namespace

LanguageStage::LanguageStage(const StageOptions& options)
    : options_(options),
      identifier_(LanguageIdentifier::Load((fs::path(RootOf(options)) / "models" / "lang").string())) {}

void LanguageStage::Apply(Document& doc) const {
  if (options_.lang != "auto" && !options_.lang.empty()) {
    doc.lang = options_.lang;
    for (Item& item : doc.items) {
      item.lang = options_.lang;
      item.lang_confidence = 1.0;
    }
    return;
  }
  const auto& langs = identifier_.languages();
  const bool have_folded = !doc.folded.empty() || doc.text.empty();
  auto tally_of = [&](const Span& span, LanguageIdentifier::Tally& tally) {
    // The first max_bytes of a span say what language it is in as well as
    // the whole; cut at a space so no word is cut in two.
    const size_t max_bytes = identifier_.params().max_bytes;
    auto head = [&](std::string_view s) {
      if (max_bytes == 0 || s.size() <= max_bytes) return s;
      const size_t space = s.rfind(' ', max_bytes);
      return s.substr(0, space == std::string_view::npos ? max_bytes : space);
    };
    if (!have_folded) {
      identifier_.Accumulate(FoldText(head(doc.Slice(span))), tally);
      return;
    }
    // Piece by piece, stopping once the answer can no longer change.
    std::string_view rest = head(FoldedSlice(doc, span));
    while (!rest.empty()) {
      size_t cut = rest.size() <= kPiece ? rest.size() : rest.rfind(' ', kPiece);
      if (cut == std::string_view::npos || cut == 0) cut = std::min(rest.size(), kPiece);
      identifier_.Accumulate(rest.substr(0, cut), tally);
      rest.remove_prefix(cut);
      if (identifier_.Settled(tally)) break;
    }
  };

  // Each item on its own; letters of decided items vote for the document.
  std::vector<double> votes(langs.size(), 0);
  double decided = 0;
  std::vector<LanguageGuess> guesses(doc.items.size());
  for (size_t i = 0; i < doc.items.size(); ++i) {
    LanguageIdentifier::Tally tally;
    tally_of(doc.items[i].span, tally);
    guesses[i] = identifier_.Decide(tally);
    doc.items[i].lang = guesses[i].lang;
    doc.items[i].lang_confidence = guesses[i].confidence;
    if (guesses[i].lang == "und") continue;
    const size_t l = std::find(langs.begin(), langs.end(), guesses[i].lang) - langs.begin();
    votes[l] += static_cast<double>(guesses[i].letters);
    decided += static_cast<double>(guesses[i].letters);
  }

  double share = 0;
  if (decided > 0) {
    const size_t top = std::max_element(votes.begin(), votes.end()) - votes.begin();
    doc.lang = langs[top];
    share = votes[top] / decided;
  } else {
    // No item long or clear enough: the whole text together.
    LanguageIdentifier::Tally tally;
    tally_of({0, doc.text.size()}, tally);
    const LanguageGuess guess = identifier_.Decide(tally);
    doc.lang = guess.lang;
    share = guess.lang == "und" ? 0 : guess.confidence;
  }

  // Items left undecided take the document's language when it is clear and
  // they are short, or lean that way themselves.
  const auto& p = identifier_.params();
  if (doc.lang == "und" || share < p.inherit_share) return;
  for (size_t i = 0; i < doc.items.size(); ++i) {
    Item& item = doc.items[i];
    if (item.lang != "und") continue;
    if (guesses[i].letters < p.min_letters || guesses[i].best == doc.lang) {
      item.lang = doc.lang;
      item.lang_confidence = p.inherit_confidence * share;
    }
  }
}

}  // namespace newsevents
