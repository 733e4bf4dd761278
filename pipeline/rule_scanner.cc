#include "pipeline/rule_scanner.h"

#include <algorithm>

#include "pipeline/config_error.h"
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
  opening_ = CueTrie();
  rarest_ = CueTrie();
  cued_ = patterns_.size() <= CueTrie::kMaxBits;
  for (size_t i = 0; i < patterns_.size() && cued_; ++i) {
    const RuleCues cue = FindRuleCues(patterns_[i], CueReading{.alternation = true, .digits = true});
    if (!cue.opening || !cue.rarest) {
      cued_ = false;
      break;
    }
    for (size_t w = 0; w < cue.opening->prefixes.size(); ++w)
      opening_.Insert(cue.opening->prefixes[w], i, cue.opening->ends_word[w]);
    for (size_t w = 0; w < cue.rarest->prefixes.size(); ++w)
      rarest_.Insert(cue.rarest->prefixes[w], i, cue.rarest->ends_word[w]);
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

bool RuleScanner::CueStarts(std::string_view text, Span range, int group,
                            const ItemWordStarts* words, std::vector<size_t>* starts) const {
  if (!cued_ || !words || !words->cues_hold) return false;
  starts->clear();
  const auto first = std::lower_bound(words->at.begin(), words->at.end(), range.begin);
  auto last = first;
  // The patterns of the group that may match in range: their rarest cue is
  // there.
  uint64_t present = 0;
  const uint64_t mine = group_patterns_[static_cast<size_t>(group)];
  for (; last != words->at.end() && *last < range.end; ++last)
    present |= rarest_.At(text, *last);
  present &= mine;
  if (!present) return true;
  // Where one of them may start: their opening cue.
  for (auto at = first; at != last; ++at)
    if (opening_.At(text, *at) & present) starts->push_back(*at);
  return true;
}

void RuleScanner::ScanLongest(
    std::string_view text, Span range, int group,
    const std::function<void(Span match, const std::vector<int>& rules)>& found,
    const ItemWordStarts* words) const {
  if (!first_ || !exact_ || group < 0 || group >= kMaxGroups || !longest_[group]) return;
  const RE2& longest = *longest_[group];
  const re2::StringPiece all(text.data(), text.size());
  std::vector<int> rules;
  re2::StringPiece m;
  size_t pos = range.begin;
  std::vector<size_t> starts;
  if (CueStarts(text, range, group, words, &starts)) {
    // The group's leftmost match from pos starts at the first cue where its
    // anchored regex matches.
    for (const size_t at : starts) {
      if (at < pos || !longest.Match(all, at, range.end, RE2::ANCHOR_START, &m, 1)) continue;
      const Span match{at, at + m.size()};
      pos = std::max(match.end, at + 1);
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
    const std::function<void(size_t start, const std::vector<int>& rules)>& found,
    const ItemWordStarts* words) const {
  if (!first_ || !starts_ || group < 0 || group >= kMaxGroups || !used_[group]) return;
  const RE2* own = whole_[group] ? nullptr : longest_[group].get();
  const re2::StringPiece all(text.data(), text.size());
  std::vector<int> rules;
  re2::StringPiece m;
  std::vector<size_t> starts;
  if (CueStarts(text, range, group, words, &starts)) {
    // Every match of the group starts at one of its cues: those where some
    // pattern of the group matches.
    const RE2& any = own ? *own : *first_;
    for (const size_t at : starts) {
      if (!any.Match(all, at, range.end, RE2::ANCHOR_START, nullptr, 0)) continue;
      Which(*starts_, RE2::ANCHOR_START, group, text, at, range.end, &rules);
      if (!rules.empty()) found(at, rules);
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
    if (!rules.empty()) found(at, rules);
  }
}

}  // namespace newsevents
