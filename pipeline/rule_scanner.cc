#include "pipeline/rule_scanner.h"

#include <algorithm>
#include <bit>
#include <bitset>
#include <cstring>

#include "pipeline/byte_class.h"
#include "pipeline/config_error.h"
#include "pipeline/pattern_bytes.h"
#include "pipeline/rule_cue.h"
#include "pipeline/rule_file.h"
#include "pipeline/thread_memo.h"

namespace newsevents {

RuleScanner::RuleScanner() = default;
RuleScanner::~RuleScanner() = default;
RuleScanner::RuleScanner(RuleScanner&&) noexcept = default;
RuleScanner& RuleScanner::operator=(RuleScanner&&) noexcept = default;

int RuleScanner::Add(const std::string& pattern, uint32_t groups) {
  patterns_.push_back(pattern);
  groups_.push_back(groups);
  return static_cast<int>(patterns_.size()) - 1;
}

namespace {

std::string Joined(const std::vector<std::string>& patterns, const std::vector<uint32_t>& groups,
                   uint32_t mask) {
  std::string joined;
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (!(groups[i] & mask)) continue;
    if (!joined.empty()) joined += '|';
    joined += "(?:" + patterns[i] + ")";
  }
  return joined;
}

}  // namespace

void RuleScanner::Compile(const std::string& file, unsigned walks) {
  id_ = NewMemoOwner();
  if (patterns_.empty()) return;
  RE2::Options options = RulePatternOptions();
  options.set_never_capture(true);  // spans only: captures are the rules' business
  options.set_max_mem(256 << 20);
  first_ = std::make_unique<RE2>(Joined(patterns_, groups_, ~0u), options);
  if (!first_->ok())
    throw ConfigError(file, 0, "the patterns together do not compile: " + first_->error());
  options.set_longest_match(true);
  longest_.clear();
  used_.clear();
  whole_.clear();
  for (int g = 0; g < kMaxGroups; ++g) {
    const uint32_t bit = 1u << g;
    const std::string joined = Joined(patterns_, groups_, bit);
    used_.push_back(!joined.empty());
    whole_.push_back(std::all_of(groups_.begin(), groups_.end(),
                                 [&](uint32_t m) { return (m & bit) != 0; }));
    if (joined.empty() || (!(walks & kLongest) && whole_.back())) {
      longest_.push_back(nullptr);
      continue;
    }
    longest_.push_back(std::make_unique<RE2>(joined, options));
    if (!longest_.back()->ok())
      throw ConfigError(file, 0,
                        "the patterns together do not compile: " + longest_.back()->error());
  }

  // Bit i: pattern i (when there are few enough of them, each with both
  // cues; else every walk searches).
  cues_ = CueTrie();
  cue_prefixes_.clear();
  head_words_.clear();
  whole_words_ = 0;
  cued_ = patterns_.size() <= CueTrie::kMaxBits;
  for (size_t i = 0; i < patterns_.size() && cued_; ++i) {
    const RuleCues cue = FindRuleCues(patterns_[i], CueReading{.alternation = true, .digits = true, .inner = (walks & kStarts) != 0});
    if (!cue.opening || !cue.rarest) {
      cued_ = false;
      break;
    }
    for (size_t w = 0; w < cue.opening->prefixes.size(); ++w)
      cue_prefixes_.push_back({cue.opening->prefixes[w], i, cue.opening->ends_word[w], 0});
    for (size_t w = 0; w < cue.rarest->prefixes.size(); ++w)
      cue_prefixes_.push_back({cue.rarest->prefixes[w], i, cue.rarest->ends_word[w], 1});
    if (cue.opening->whole_words) whole_words_ |= uint64_t{1} << i;
    head_words_.push_back(cue.rarest->head_words
                              ? static_cast<uint32_t>(std::min<size_t>(*cue.rarest->head_words, UINT32_MAX))
                              : UINT32_MAX);
  }
  if (!cued_) cue_prefixes_.clear(), head_words_.clear(), whole_words_ = 0;
  AddCues(&cues_, 0);
  // Walls: by character, the patterns that may match it (pattern_bytes.h),
  // for the patterns whose rarest cue lies inside their matches (the others'
  // stands where they start).
  keep_.fill(~uint64_t{0});
  inner_ = 0;
  spaces_wall_ = false;
  for (size_t i = 0; i < patterns_.size() && cued_; ++i) {
    if (head_words_[i] == 0) continue;
    inner_ |= uint64_t{1} << i;
    const std::bitset<128> matchable = MatchableAscii(patterns_[i]);
    for (size_t c = 0; c < 128; ++c)
      if (!matchable[c]) keep_[c] &= ~(uint64_t{1} << i);
    spaces_wall_ |= !matchable[' '];
  }
  single_.clear();
  start_bytes_.clear();
  if (cued_ && (walks & kStarts)) {
    for (const std::string& p : patterns_) {
      start_bytes_.push_back(FindStartBytes(p, kStartBytes));
      RE2::Options single = RulePatternOptions();
      single.set_never_capture(true);
      single_.push_back(std::make_unique<RE2>(p, single));
      if (!single_.back()->ok())
        throw ConfigError(file, 0, "pattern rejected: " + single_.back()->error());
    }
  }
  group_patterns_.assign(kMaxGroups, 0);
  for (size_t i = 0; i < patterns_.size() && i < CueTrie::kMaxBits; ++i)
    for (int g = 0; g < kMaxGroups; ++g)
      if (groups_[i] >> g & 1) group_patterns_[static_cast<size_t>(g)] |= uint64_t{1} << i;

  RE2::Options set_options = RulePatternOptions();
  set_options.set_max_mem(256 << 20);
  if (walks & kLongest) exact_ = std::make_unique<RE2::Set>(set_options, RE2::ANCHOR_BOTH);
  if (walks & kStarts) starts_ = std::make_unique<RE2::Set>(set_options, RE2::ANCHOR_START);
  for (RE2::Set* set : {exact_.get(), starts_.get()}) {
    if (!set) continue;
    for (const std::string& p : patterns_) {
      std::string error;
      if (set->Add(p, &error) < 0) throw ConfigError(file, 0, "pattern rejected: " + error);
    }
    if (!set->Compile())
      throw ConfigError(file, 0, "the patterns together are too large to compile");
  }
}

void RuleScanner::Which(const RE2::Set& set, RE2::Anchor anchor, int group,
                        std::string_view text, size_t begin, size_t end,
                        std::vector<int>* rules) const {
  rules->clear();
  const re2::StringPiece piece(text.data() + begin, end - begin);
  RE2::Set::ErrorInfo info;
  if (!set.Match(piece, rules, &info) && info.kind != RE2::Set::kNoError) {
    // The set gave up (its DFA ran out of memory): ask each pattern instead.
    for (size_t i = 0; i < patterns_.size(); ++i) {
      const RE2 re(patterns_[i], RulePatternOptions());
      re2::StringPiece m;
      if (re.Match(piece, 0, piece.size(), anchor, &m, 1)) rules->push_back(static_cast<int>(i));
    }
  }
  const uint32_t bit = 1u << group;
  rules->erase(std::remove_if(rules->begin(), rules->end(),
                              [&](int r) { return !(groups_[r] & bit); }),
               rules->end());
  std::sort(rules->begin(), rules->end());
}


void RuleScanner::ExactRules(int group, std::string_view text, Span match,
                             std::vector<int>* rules) const {
  // The exact set runs anchored at both ends with the phrase as its whole
  // text: its answer depends on nothing but the phrase and the group, and
  // cue phrases recur ("webinar", "round table").
  std::string key(1, static_cast<char>(group));
  key.append(text.substr(match.begin, match.size()));
  if (const std::vector<int>* known = ThreadMemo<std::vector<int>>::Find(id_, key)) {
    *rules = *known;
    return;
  }
  Which(*exact_, RE2::ANCHOR_BOTH, group, text, match.begin, match.end, rules);
  ThreadMemo<std::vector<int>>::Put(id_, std::move(key), *rules);
}

void RuleScanner::AddCues(CueTrie* trie, int layer) const {
  for (const CuePrefix& c : cue_prefixes_)
    trie->Insert(c.prefix, c.pattern, c.ends_word, layer + c.layer);
}

bool RuleScanner::CueStarts(std::string_view text, Span range, int group,
                            const ItemWordStarts* words, const std::vector<CueWord>* cues,
                            std::vector<CueStart>* starts) const {
  if (!cued_ || !words || !words->cues_hold) return false;
  starts->clear();
  const uint64_t mine = group_patterns_[static_cast<size_t>(group)];
  // The cue words at the word starts of the range: those given, or looked
  // up now.
  const CueWord* first;
  const CueWord* last;
  if (cues) {
    auto before = [](const CueWord& w, size_t at) { return w.at < at; };
    const auto from = std::lower_bound(cues->begin(), cues->end(), range.begin, before);
    first = cues->data() + (from - cues->begin());
    last = cues->data() + (std::lower_bound(from, cues->end(), range.end, before) - cues->begin());
  } else {
    thread_local std::vector<CueWord> found;
    found.clear();
    for (auto it = std::lower_bound(words->at.begin(), words->at.end(), range.begin);
         it != words->at.end() && *it < range.end; ++it) {
      uint64_t bits[2];
      cues_.AtLayers(text, *it, bits);
      if ((bits[0] | bits[1]) & mine)
        found.push_back({*it, static_cast<uint32_t>(it - words->at.begin()), bits[0], bits[1]});
    }
    first = found.data();
    last = first + found.size();
  }
  // Backwards: a pattern may match from an opening cue if its rarest cue
  // stands there (a pattern whose rarest cue opens it: there only), or
  // after it with no wall of the pattern between and no more words on than
  // its matches hold before that cue.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const uint64_t inner = inner_ & mine;
  size_t scanned = range.end;  // text[scanned, ...) is read for walls
  uint64_t after = 0;          // inner patterns whose rarest cue is ahead, no wall between
  uint32_t nearest[CueTrie::kMaxBits];  // by pattern in `after`: its rarest cue's word
  // Bit i: text[base + i] may be a wall (an ASCII character not a letter:
  // none of them, for any pattern), read 64 bytes at a time from the first
  // cue word to the last inner pattern's rarest cue, once that is found.
  thread_local std::vector<uint64_t> walls;
  const size_t base = first != last ? first->at : range.begin;
  bool walls_read = false;
  for (const CueWord* w = last; w-- != first;) {
    const uint64_t opening = w->opening & mine, rarest = w->rarest & mine;
    if (!(opening | rarest)) continue;
    if (after) {
      const size_t lo = w->at - base, hi = scanned - base;
      for (size_t i = lo; i < hi && after;) {
        const size_t block = i >> 6;
        uint64_t bits = walls[block] & (~uint64_t{0} << (i & 63));
        if (hi - (block << 6) < 64) bits &= (uint64_t{1} << (hi - (block << 6))) - 1;
        for (; bits; bits &= bits - 1)
          after &= keep_[s[base + (block << 6) + static_cast<size_t>(std::countr_zero(bits))]];
        i = (block + 1) << 6;
      }
    }
    scanned = w->at;
    if (const uint64_t found = rarest & inner) {
      if (!walls_read) {
        ReadWalls(text, Span{base, w->at}, &walls);
        walls_read = true;
      }
      after |= found;
      for (uint64_t r = found; r; r &= r - 1) nearest[std::countr_zero(r)] = w->word;
    }
    uint64_t may = opening & rarest & ~inner;
    for (uint64_t m = opening & after; m; m &= m - 1) {
      const int p = std::countr_zero(m);
      if (nearest[p] - w->word <= head_words_[static_cast<size_t>(p)]) may |= uint64_t{1} << p;
    }
    if (may) starts->push_back({w->at, may});
  }
  std::reverse(starts->begin(), starts->end());
  return true;
}

void RuleScanner::ReadWalls(std::string_view text, Span range, std::vector<uint64_t>* walls) const {
  walls->clear();
  char padded[64];
  for (size_t block = range.begin; block < range.end; block += 64) {
    const char* p = text.data() + block;
    if (range.end - block < 64) {
      std::memset(padded, 'a', sizeof padded);  // a letter: never a wall
      std::memcpy(padded, p, range.end - block);
      p = padded;
    }
    walls->push_back(AsciiNonLetterMask64(p, spaces_wall_));
  }
}

void RuleScanner::ScanLongest(
    std::string_view text, Span range, int group,
    const std::function<void(Span match, const std::vector<int>& rules)>& found,
    const ItemWordStarts* words, const std::vector<CueWord>* cues) const {
  if (!first_ || !exact_ || group < 0 || group >= kMaxGroups || !longest_[group]) return;
  const RE2& longest = *longest_[group];
  const re2::StringPiece all(text.data(), text.size());
  std::vector<int> rules;
  re2::StringPiece m;
  size_t pos = range.begin;
  std::vector<CueStart> starts;
  if (CueStarts(text, range, group, words, cues, &starts)) {
    // The group's leftmost match from pos starts at the first cue where its
    // anchored regex matches.
    for (const CueStart& start : starts) {
      const size_t at = start.at;
      if (at < pos) continue;
      size_t length = 0;
      if (!(start.patterns & ~whole_words_)) {
        // Whole words only (RuleCue::whole_words): the longest match is the
        // longest of their words standing there, read from the trie. The
        // folded text has no upper-case letter; if it had, RE2 decides.
        length = cues_.LongestWordAt(text, at, range.end, start.patterns, 0);
        for (size_t k = at; k < at + length; ++k)
          if (text[k] >= 'A' && text[k] <= 'Z') length = SIZE_MAX;
      }
      if (length == SIZE_MAX || (start.patterns & ~whole_words_)) {
        if (!longest.Match(all, at, range.end, RE2::ANCHOR_START, &m, 1)) continue;
        length = m.size();
      }
      if (length == 0) continue;
      const Span match{at, at + length};
      pos = std::max(match.end, at + 1);
      // One pattern may match here: the match is its own, and no other
      // pattern matches it exactly (one that did would start here, where the
      // cue words let only this one through). Read alone, as the exact set
      // reads it, the match ends where it does in the text when no word
      // character follows it (a \b there reads the same).
      if (!(start.patterns & (start.patterns - 1)) &&
          (match.end == text.size() || !IsCueWordByte(static_cast<unsigned char>(text[match.end])))) {
        rules.assign(1, std::countr_zero(start.patterns));
        found(match, rules);
        continue;
      }
      ExactRules(group, text, match, &rules);
      if (!rules.empty()) found(match, rules);
    }
    return;
  }
  // Every place where some pattern's match starts, in order, until one where
  // a pattern of the group matches: the group's leftmost match start.
  while (pos < range.end && first_->Match(all, pos, range.end, RE2::UNANCHORED, &m, 1)) {
    const size_t at = m.data() - text.data();
    // The leftmost match's start is the same for both semantics; its
    // longest extent needs the anchored longest-match search.
    if (!longest.Match(all, at, range.end, RE2::ANCHOR_START, &m, 1)) {
      pos = at + 1;  // another group's match: the group's may start inside it
      continue;
    }
    const Span match{at, at + m.size()};
    pos = std::max(match.end, at + 1);
    ExactRules(group, text, match, &rules);
    if (!rules.empty()) found(match, rules);
  }
}

void RuleScanner::ScanStarts(
    std::string_view text, Span range, int group,
    const std::function<void(size_t start, const std::vector<int>& rules, bool matched)>& found,
    const ItemWordStarts* words, const std::vector<CueWord>* cues) const {
  if (!first_ || !starts_ || group < 0 || group >= kMaxGroups || !used_[group]) return;
  const RE2* own = whole_[group] ? nullptr : longest_[group].get();
  const re2::StringPiece all(text.data(), text.size());
  std::vector<int> rules;
  re2::StringPiece m;
  std::vector<CueStart> starts;
  if (CueStarts(text, range, group, words, cues, &starts)) {
    // Every match of the group starts at one of its cues: there, the
    // patterns that may match are asked one by one.
    for (const CueStart& start : starts) {
      rules.clear();
      for (uint64_t may = start.patterns; may; may &= may - 1) {
        const int p = __builtin_ctzll(may);
        if (start_bytes_[static_cast<size_t>(p)].MayStart(text, start.at, range.end) &&
            single_[static_cast<size_t>(p)]->Match(all, start.at, range.end, RE2::ANCHOR_START,
                                                   nullptr, 0))
          rules.push_back(p);
      }
      if (!rules.empty()) found(start.at, rules, true);
    }
    return;
  }
  size_t pos = range.begin;
  while (pos < range.end && first_->Match(all, pos, range.end, RE2::UNANCHORED, &m, 1)) {
    const size_t at = m.data() - text.data();
    pos = at + 1;  // the next start may lie inside this match
    if (own && !own->Match(all, at, range.end, RE2::ANCHOR_START, nullptr, 0))
      continue;  // only another group's pattern starts here
    Which(*starts_, RE2::ANCHOR_START, group, text, at, range.end, &rules);
    if (!rules.empty()) found(at, rules, false);
  }
}

}  // namespace newsevents
