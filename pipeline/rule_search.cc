#include "pipeline/rule_search.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "pipeline/byte_class.h"
#include "pipeline/config_error.h"
#include "pipeline/rule_file.h"

namespace newsevents {
RuleSearch::Set& RuleSearch::Get(const std::string& lang) { return sets_[lang]; }

void RuleSearch::Add(const std::string& lang, const std::string& pattern,
                     const RuleMatcher* matcher, size_t rule, const std::string& file, int line) {
  const std::optional<RuleCue> cue = FindRuleCue(pattern);
  std::shared_ptr<const RuleMatcher> head;
  if (cue && !cue->at_start && cue->head_bytes) {
    try {
      head = std::make_shared<const RuleMatcher>(pattern.substr(0, *cue->head_bytes), file, line);
      if (head->re().NumberOfCapturingGroups() != matcher->re().NumberOfCapturingGroups()) head.reset();
    } catch (const ConfigError&) {
      head.reset();  // a part that does not compile alone: groups read over the whole match
    }
  }
  // The first offsets of an anchored match: 16 tell "Policía de" from
  // "police", "in the Gazette article" from "in the city".
  const StartBytes start = cue && cue->at_start ? FindStartBytes(pattern, 16) : StartBytes{};
  const std::optional<char> group_end =
      matcher->re().NumberOfCapturingGroups() == 1 ? OpeningGroupEnd(pattern) : std::nullopt;
  for (const std::string& key : {lang, std::string("*")}) {
    Set& s = Get(key);
    Rule r{rule, matcher, cue, start, head, group_end, {}};
    if (r.cue)
      for (size_t c = 0; c < 256; ++c) r.head_table[c] = r.cue->head_chars[c];
    if (r.cue && s.rules.size() >= kMaxCueRules) r.cue.reset();
    if (r.cue)
      for (const std::string& w : r.cue->prefixes) s.trie.Insert(w, s.rules.size());
    if (!r.cue || !r.cue->at_start) {
      if (!s.screen) s.screen = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);
      std::string error;
      if (s.screen->Add(pattern, &error) < 0)
        throw ConfigError(file, line, "pattern does not compile: " + error);
      s.screened.push_back(s.rules.size());
    }
    s.rules.push_back(std::move(r));
  }
}

void RuleSearch::Compile(const std::string& what) {
  for (auto& [lang, s] : sets_)
    if (s.screen && !s.screen->Compile())
      throw ConfigError(what, 0, "rules of '" + lang + "' do not fit in memory");
}

ItemWordStarts FindWordStarts(std::string_view text, Span span) {
  ItemWordStarts words;
  words.span = span;
  words.at.reserve(text.size() / 6 + 1);
  const size_t n = text.size();
  // 64 bytes at a time: a word starts at a word byte whose left neighbour is
  // not one. The last block is read from a copy padded with spaces.
  uint64_t before = 0;  // bit 0: the byte before the block is a word byte
  char padded[64];
  for (size_t block = 0; block < n; block += 64) {
    const char* p = text.data() + block;
    if (n - block < 64) {
      std::memset(padded, ' ', sizeof padded);
      std::memcpy(padded, p, n - block);
      p = padded;
    }
    uint64_t leads = 0;
    const uint64_t word = CueWordByteMask64(p, &leads);
    for (uint64_t starts = word & ~(word << 1 | before); starts != 0; starts &= starts - 1)
      words.at.push_back(static_cast<uint32_t>(block + static_cast<size_t>(std::countr_zero(starts))));
    before = word >> 63;
    // No U+212A (E2 84 AA) or U+017F (C5 BF): the ASCII cue look-up holds.
    for (; leads != 0 && words.cues_hold; leads &= leads - 1) {
      const std::string_view rest = text.substr(block + static_cast<size_t>(std::countr_zero(leads)));
      words.cues_hold = !rest.starts_with("\xE2\x84\xAA") && !rest.starts_with("\xC5\xBF");
    }
  }
  return words;
}

const ItemWordStarts& WordStartsOf(const Document& doc, Item& item) {
  if (!item.word_starts || !(item.word_starts->span == item.span))
    item.word_starts = std::make_shared<ItemWordStarts>(FindWordStarts(doc.Slice(item.span), item.span));
  return *item.word_starts;
}

void RuleSearch::ForEachMatch(std::string_view lang, std::string_view text,
                              const ItemWordStarts& words, const Found& found) const {
  auto it = sets_.find(lang);
  if (it == sets_.end()) it = sets_.find("*");
  if (it == sets_.end()) return;
  const Set& s = it->second;

  // The vectors of this call, kept by the thread from one call to the next
  // (no allocation once warm); one set a nesting level, as `found` may search again.
  struct Scratch {
    std::vector<std::pair<size_t, uint64_t>> cues;
    std::vector<char> search, screened;
    std::vector<int> hits;
    std::vector<re2::StringPiece> groups;
  };
  thread_local std::vector<std::unique_ptr<Scratch>> scratches;
  thread_local size_t depth = 0;
  if (depth == scratches.size()) scratches.push_back(std::make_unique<Scratch>());
  Scratch& scratch = *scratches[depth];
  struct Nested {
    size_t& depth;
    explicit Nested(size_t& d) : depth(d) { ++depth; }
    ~Nested() { --depth; }
  } nested(depth);

  std::vector<std::pair<size_t, uint64_t>>& cues = scratch.cues;
  cues.clear();
  s.trie.Find(text, words.at, &cues);
  const bool trusted = words.cues_hold;
  uint64_t present = 0;
  for (const auto& [at, rules] : cues) present |= rules;

  // The rules to search the whole text for: without a cue, with a cue inside
  // the match that the text holds, every rule if the cues cannot be trusted.
  std::vector<char>& search = scratch.search;
  search.assign(s.rules.size(), 0);
  size_t searched = 0;
  for (size_t k = 0; k < s.rules.size(); ++k) {
    const Rule& r = s.rules[k];
    search[k] = !trusted || !r.cue || (!r.cue->at_start && (present >> k & 1));
    searched += search[k];
  }
  if (searched >= 2 && trusted && s.screen) {
    std::vector<int>& hits = scratch.hits;
    hits.clear();
    RE2::Set::ErrorInfo error{};
    if (s.screen->Match(text, &hits, &error) || error.kind == RE2::Set::kNoError) {
      std::vector<char>& screened = scratch.screened;
      screened.assign(s.rules.size(), 0);
      for (int h : hits) screened[s.screened[static_cast<size_t>(h)]] = 1;
      for (size_t k = 0; k < s.rules.size(); ++k) search[k] &= screened[k];
    }  // a screen out of memory leaves every rule to search
  }

  std::vector<re2::StringPiece>& groups = scratch.groups;
  for (size_t k = 0; k < s.rules.size(); ++k) {
    const Rule& r = s.rules[k];
    const bool anchored = trusted && r.cue && r.cue->at_start;
    if (!anchored && !search[k]) continue;
    const int n = r.matcher->re().NumberOfCapturingGroups() + 1;
    groups.assign(static_cast<size_t>(n), re2::StringPiece());
    size_t pos = 0;
    auto next = [&] {
      pos = static_cast<size_t>(groups[0].data() - text.data()) + std::max<size_t>(groups[0].size(), 1);
      found(r.rule, groups.data());
    };
    // The opening group of a match in groups[0], when a byte ends it.
    auto opening_group = [&] {
      if (!r.group_end || n != 2) return false;
      const void* at = std::memchr(groups[0].data(), *r.group_end, groups[0].size());
      if (at == nullptr) return false;  // (every match holds it)
      groups[1] = re2::StringPiece(groups[0].data(), static_cast<size_t>(static_cast<const char*>(at) - groups[0].data()));
      return true;
    };
    if (anchored) {
      // Every match starts where a cue word does: the leftmost one from pos
      // is the first of those places where the rule matches.
      for (const auto& [at, rules] : cues)
        if ((rules >> k & 1) && at >= pos && r.start.MayStart(text, at, text.size()) &&
            r.matcher->MatchAt(text, at, groups.data(), n))
          next();
      continue;
    }
    // A rule whose cue is inside the match and ends it within tail_bytes:
    // no match ends past the last cue's start plus that, so the search stops
    // there (RE2 still reads what follows as context: the same matches).
    size_t end = text.size();
    if (trusted && r.cue && r.cue->tail_bytes) {
      for (auto c = cues.rbegin(); c != cues.rend(); ++c) {
        if (!(c->second >> k & 1)) continue;
        end = std::min(end, c->first + *r.cue->tail_bytes);
        break;
      }
    }
    if (!(trusted && r.head && n > 1)) {
      if (r.group_end && n == 2) {
        while (pos <= end && r.matcher->Match(text, pos, groups.data(), 1, end)) {
          if (!opening_group()) r.matcher->GroupsOf(text, static_cast<size_t>(groups[0].data() - text.data()),
                                                    static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size(),
                                                    groups.data(), n);
          next();
        }
        continue;
      }
      while (pos <= end && r.matcher->Match(text, pos, groups.data(), n, end)) next();
      continue;
    }
    // The match found by the DFAs alone, then its groups over the part before
    // its cue when one cue word lies inside it: every match goes through the
    // cue element there, so the groups before it are those of that part
    // matched whole (the pattern's choices are made in text order).
    // A match starts after the last byte before its cue that the elements
    // before the cue cannot match: the search for the next one starts there
    // (before the first cue at or after pos) instead of at pos.
    const std::bitset<256>& head_chars = r.cue->head_chars;
    auto next_start = [&](size_t from) {
      auto c = std::lower_bound(cues.begin(), cues.end(), std::make_pair(from, uint64_t{0}));
      while (c != cues.end() && !(c->second >> k & 1)) ++c;
      if (c == cues.end()) return text.size() + 1;  // no cue left: no match
      size_t at = c->first;
      while (at > from && head_chars.test(static_cast<unsigned char>(text[at - 1]))) --at;
      return at;
    };
    // With tail_bytes, a search reads one cluster of cues at a time: the
    // cues from the first at or after pos on, as long as only head_chars lie
    // between them, up to the byte that is not one before the next cue
    // (`wall`). A match starting at or before the wall has its cue in the
    // cluster (a later cue's match holds no wall) and ends within tail_bytes
    // of it: the search stops there. When it finds nothing, or a match
    // starting past the wall (a later cue's, with maybe a match starting
    // before it that ends further on), none starts at or before the wall and
    // the next search starts after the cluster. (A search to `end` read on
    // through every sentence up to the last cue.)
    const bool clustered = trusted && r.cue->tail_bytes;
    size_t wall = text.size(), cluster_last = 0;
    auto window_end = [&](size_t start) {
      wall = text.size();
      if (!clustered) return end;
      auto c = std::lower_bound(cues.begin(), cues.end(), std::make_pair(start, uint64_t{0}));
      while (c != cues.end() && !(c->second >> k & 1)) ++c;
      // (Only head_chars lie between start and the first cue: next_start.)
      size_t last = c == cues.end() ? start : c->first, scanned = last;
      for (; c != cues.end(); ++c) {
        if (!(c->second >> k & 1)) continue;
        while (scanned < c->first && r.head_table[static_cast<unsigned char>(text[scanned])]) ++scanned;
        if (scanned < c->first) {
          wall = scanned;
          break;
        }
        last = c->first;
      }
      cluster_last = last;
      return std::min(end, last + *r.cue->tail_bytes);
    };
    re2::StringPiece whole;
    while ((pos = next_start(pos)) <= end) {
      const size_t stop = window_end(pos);
      if (!r.matcher->Match(text, pos, &whole, 1, stop) ||
          static_cast<size_t>(whole.data() - text.data()) > wall) {
        if (stop == end && wall == text.size()) break;  // none up to end
        pos = cluster_last + 1;
        continue;
      }
      groups[0] = whole;
      if (opening_group()) {
        next();
        continue;
      }
      const size_t b = static_cast<size_t>(whole.data() - text.data());
      const size_t e = b + whole.size();
      size_t inside = 0, cue_at = 0;
      for (auto c = std::lower_bound(cues.begin(), cues.end(), std::make_pair(b, uint64_t{0}));
           c != cues.end() && c->first < e && inside < 2; ++c)
        if (c->second >> k & 1) ++inside, cue_at = c->first;
      if (!(inside == 1 && r.head->GroupsOf(text, b, cue_at, groups.data(), n)))
        r.matcher->GroupsOf(text, b, e, groups.data(), n);
      groups[0] = whole;
      next();
    }
  }
}

}  // namespace newsevents
