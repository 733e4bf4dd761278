#include "pipeline/rule_cue.h"

#include <algorithm>
#include <bit>
#include <bitset>
#include <cstdint>

#include "pipeline/pattern_tree.h"

namespace newsevents {
namespace {

constexpr bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
// Written out in a pattern, these go on with a cue word ("the company",
// "l'organisation", "co-organized", "Dr."): the look-up reads them too.
constexpr bool IsCueJoiner(unsigned char c) {
  return c == ' ' || c == '\'' || c == '-' || c == '.' || c == '&';
}
constexpr char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

using Node = PatternNode;

bool MayHoldWordChar(const Node& n) {
  if (n.opaque) return true;
  for (unsigned c = 0; c < 128; ++c)
    if (n.ascii.test(c) && IsWordByte(static_cast<unsigned char>(c))) return true;
  return false;
}

bool Nullable(const Node& n) {
  switch (n.kind) {
    case Node::kChar:
      return false;
    case Node::kAssert:
      return true;
    case Node::kConcat:
      return std::all_of(n.kids.begin(), n.kids.end(), Nullable);
    case Node::kAlt:
      return std::any_of(n.kids.begin(), n.kids.end(), Nullable);
    case Node::kRepeat:
      return n.min == 0 || Nullable(n.kids[0]);
  }
  return true;
}

// Whether every non-empty match of n ends with a character that is not a
// word character.
bool EndsNonWord(const Node& n) {
  switch (n.kind) {
    case Node::kChar:
      return !MayHoldWordChar(n);
    case Node::kAssert:
      return true;  // no non-empty match
    case Node::kConcat:
      for (size_t k = n.kids.size(); k-- > 0;) {
        if (!EndsNonWord(n.kids[k])) return false;
        if (!Nullable(n.kids[k])) return true;
      }
      return true;
    case Node::kAlt:
      return std::all_of(n.kids.begin(), n.kids.end(), EndsNonWord);
    case Node::kRepeat:
      return EndsNonWord(n.kids[0]);
  }
  return false;
}

// The most bytes a match of n takes (a character that may be beyond ASCII:
// 4, the longest UTF-8), or nullopt when unbounded or when n asserts the
// text's end (RE2 refuses an end-anchored search that stops short of it).
std::optional<size_t> MaxBytes(const Node& n) {
  switch (n.kind) {
    case Node::kChar:
      return n.non_ascii || n.opaque ? 4 : 1;
    case Node::kAssert:
      if (n.text_end) return std::nullopt;
      return 0;
    case Node::kConcat:
    case Node::kAlt: {
      size_t total = 0;
      for (const Node& kid : n.kids) {
        const std::optional<size_t> m = MaxBytes(kid);
        if (!m) return std::nullopt;
        total = n.kind == Node::kConcat ? total + *m : std::max(total, *m);
      }
      return total;
    }
    case Node::kRepeat: {
      if (n.max < 0) return std::nullopt;
      const std::optional<size_t> m = MaxBytes(n.kids[0]);
      if (!m) return std::nullopt;
      return *m * static_cast<size_t>(n.max);
    }
  }
  return std::nullopt;
}

// The most word starts (an ASCII word character after a byte that is not
// one) a match of a node may hold, by what the byte before it is: in[0]
// after a word byte, in[1] after another (or none); out likewise, by what its
// last byte is. -1: no such match; kManyWords: unbounded.
constexpr int kManyWords = 1 << 20;
struct WordStarts {
  int after_word = -1, after_other = -1;
};

WordStarts MaxWordStarts(const Node& n, WordStarts in) {
  auto best = [](int a, int b) { return std::min(std::max(a, b), kManyWords); };
  switch (n.kind) {
    case Node::kAssert:
      return in;
    case Node::kChar: {
      bool word = n.opaque, other = n.non_ascii || (n.opaque && n.opaque_any);
      for (unsigned c = 0; c < 128; ++c) {
        if (!n.ascii.test(c)) continue;
        (IsWordByte(static_cast<unsigned char>(c)) ? word : other) = true;
      }
      WordStarts out;
      if (word)
        out.after_word = best(in.after_word, in.after_other < 0 ? -1 : in.after_other + 1);
      if (other) out.after_other = best(in.after_word, in.after_other);
      return out;
    }
    case Node::kConcat:
      for (const Node& kid : n.kids) in = MaxWordStarts(kid, in);
      return in;
    case Node::kAlt: {
      WordStarts out;
      for (const Node& kid : n.kids) {
        const WordStarts k = MaxWordStarts(kid, in);
        out.after_word = best(out.after_word, k.after_word);
        out.after_other = best(out.after_other, k.after_other);
      }
      return out;
    }
    case Node::kRepeat: {
      WordStarts out = n.min == 0 ? in : WordStarts{}, cur = in;
      for (int round = 1; n.max < 0 || round <= n.max; ++round) {
        const WordStarts next = MaxWordStarts(n.kids[0], cur);
        if (round >= n.min) {
          // Unbounded: a round that still adds words adds them forever.
          if (n.max < 0 && round > n.min + 2 &&
              (next.after_word > cur.after_word || next.after_other > cur.after_other))
            return {kManyWords, kManyWords};
          out.after_word = best(out.after_word, next.after_word);
          out.after_other = best(out.after_other, next.after_other);
        }
        if (next.after_word == cur.after_word && next.after_other == cur.after_other) {
          // Every further round ends the same: so do those from min on.
          out.after_word = best(out.after_word, next.after_word);
          out.after_other = best(out.after_other, next.after_other);
          break;
        }
        cur = next;
      }
      return out;
    }
  }
  return {kManyWords, kManyWords};
}

// The most word starts a match of kids[0, k) holds, starting at a word start
// (the byte before it is not a word byte); nullopt when unbounded.
std::optional<size_t> HeadWords(const std::vector<Node>& kids, size_t k) {
  WordStarts at{-1, 0};
  for (size_t i = 0; i < k; ++i) at = MaxWordStarts(kids[i], at);
  const int most = std::max(at.after_word, at.after_other);
  if (most >= kManyWords) return std::nullopt;
  return static_cast<size_t>(std::max(most, 0));
}

bool AssertsTextEnd(const Node& n) {
  if (n.kind == Node::kAssert) return n.text_end;
  return std::any_of(n.kids.begin(), n.kids.end(), AssertsTextEnd);
}

// The strings every non-empty match of a node starts with, lower-cased and
// cut at the first character that is neither a word character nor a joiner
// (a cut string ends with kStop); a sequence that may match empty has ""
// among them. `exact`: the node's matches are these strings, no more.
constexpr char kStop = '\x01';
constexpr size_t kMaxPrefixes = 256;
constexpr size_t kMaxPrefixLength = 16;

struct Prefixes {
  std::vector<std::string> strings;
  bool exact = false;
};

bool Cut(const std::string& s) { return !s.empty() && s.back() == kStop; }

std::optional<Prefixes> PrefixesOf(const Node& n, const CueReading& reading);

// The prefixes of kids[k...] of a sequence ("" for what may match empty).
std::optional<Prefixes> SequencePrefixes(const std::vector<Node>& kids, size_t k,
                                         const CueReading& reading) {
  while (k < kids.size() && kids[k].kind == Node::kAssert) ++k;
  if (k == kids.size()) return Prefixes{{""}, true};
  std::optional<Prefixes> head = PrefixesOf(kids[k], reading);
  if (!head) return std::nullopt;
  // An optional literal ("an?", "(?: the)?") is its strings or nothing.
  const bool optional_literal = head->exact && kids[k].kind == Node::kRepeat &&
                                kids[k].max == 1 && !Nullable(kids[k].kids[0]);
  if (optional_literal) {
    head->strings.push_back("");
  } else if (Nullable(kids[k])) {
    std::optional<Prefixes> rest = SequencePrefixes(kids, k + 1, reading);
    if (!rest) return std::nullopt;
    head->strings.insert(head->strings.end(), rest->strings.begin(), rest->strings.end());
    head->exact = false;
    return head;
  }
  if (!head->exact) return head;
  // Every match of the head is one of its strings: those not cut go on with
  // what follows, if that keeps the set small.
  bool open = false;
  for (const std::string& s : head->strings) open |= !Cut(s) && s.size() < kMaxPrefixLength;
  std::optional<Prefixes> rest;
  if (open) rest = SequencePrefixes(kids, k + 1, reading);
  if (!rest || head->strings.size() * rest->strings.size() > kMaxPrefixes) {
    if (optional_literal) return std::nullopt;  // "" alone says nothing
    head->exact = false;
    return head;
  }
  Prefixes joined{{}, rest->exact};
  for (const std::string& s : head->strings) {
    if (Cut(s) || s.size() >= kMaxPrefixLength) {
      joined.strings.push_back(s);
      joined.exact = false;
      continue;
    }
    for (const std::string& t : rest->strings) joined.strings.push_back(s + t);
  }
  return joined;
}

std::optional<Prefixes> PrefixesOf(const Node& n, const CueReading& reading) {
  switch (n.kind) {
    case Node::kChar: {
      if (!n.non_ascii && !n.opaque && n.ascii.count() == 1) {
        unsigned c = 0;
        while (!n.ascii.test(c)) ++c;
        if (IsCueJoiner(static_cast<unsigned char>(c))) return Prefixes{{std::string(1, static_cast<char>(c))}, true};
      }
      if (!MayHoldWordChar(n)) return Prefixes{{std::string(1, kStop)}, true};
      if (n.non_ascii) return std::nullopt;  // a word character or not
      std::string lower;
      for (unsigned c = 0; c < 128; ++c) {
        if (!n.ascii.test(c)) continue;
        if (!IsWordByte(static_cast<unsigned char>(c))) return std::nullopt;
        const char l = Lower(static_cast<char>(c));
        if (lower.find(l) == std::string::npos) lower += l;
      }
      // A few letters ([Ii], [sz]), or digits (\d: a number opens the match)
      // when the caller reads them.
      const bool digits = reading.digits && std::all_of(lower.begin(), lower.end(),
                                                        [](char l) { return l >= '0' && l <= '9'; });
      if (lower.empty() || (lower.size() > 4 && !digits)) return std::nullopt;
      Prefixes p{{}, true};
      for (char l : lower) p.strings.emplace_back(1, l);
      return p;
    }
    case Node::kAssert:
      return std::nullopt;
    case Node::kConcat:
      return SequencePrefixes(n.kids, 0, reading);
    case Node::kAlt: {
      Prefixes all{{}, true};
      for (const Node& kid : n.kids) {
        std::optional<Prefixes> p = PrefixesOf(kid, reading);
        if (!p) return std::nullopt;
        all.exact &= p->exact;
        all.strings.insert(all.strings.end(), p->strings.begin(), p->strings.end());
        if (all.strings.size() > kMaxPrefixes) return std::nullopt;
      }
      return all;
    }
    case Node::kRepeat: {
      // The non-empty matches of X{0,1} or X{1} are X's; more repeats are not.
      std::optional<Prefixes> p = PrefixesOf(n.kids[0], reading);
      if (p && n.max != 1) p->exact = false;
      return p;
    }
  }
  return std::nullopt;
}

// A cue word and whether a character that is not a word character follows
// it in every match (the pattern goes on with \b, a space, a comma...).
using CueWord = std::pair<std::string, bool>;

// A cue from its words, sorted, each once (a word that may go on in some
// match may go on).
RuleCue MakeCue(std::vector<CueWord> words, bool at_start) {
  std::sort(words.begin(), words.end());
  RuleCue cue;
  cue.at_start = at_start;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!cue.prefixes.empty() && cue.prefixes.back() == words[i].first) continue;  // (x, false) first
    cue.prefixes.push_back(words[i].first);
    cue.ends_word.push_back(words[i].second);
  }
  return cue;
}

std::vector<CueWord> WordsOf(const RuleCue& cue) {
  std::vector<CueWord> words;
  for (size_t i = 0; i < cue.prefixes.size(); ++i) words.emplace_back(cue.prefixes[i], cue.ends_word[i]);
  return words;
}

// The cue prefixes at kids[k] of a sequence: the prefixes of what the
// sequence matches from there, without the cut mark, none empty; the rest of
// the sequence must not match empty, so that the text holds one of them
// where kids[k] starts.
std::optional<std::vector<CueWord>> CueWords(const std::vector<Node>& kids, size_t k,
                                             const CueReading& reading) {
  if (std::all_of(kids.begin() + static_cast<std::ptrdiff_t>(k), kids.end(), Nullable))
    return std::nullopt;
  std::optional<Prefixes> p = SequencePrefixes(kids, k, reading);
  if (!p) return std::nullopt;
  std::vector<CueWord> words;
  for (std::string s : p->strings) {
    // Cut at a character that cannot be a word character: after a word
    // character, the word ends there.
    const bool cut = Cut(s);
    if (cut) s.pop_back();
    if (s.empty() || !IsWordByte(static_cast<unsigned char>(s[0]))) return std::nullopt;
    const bool ends = cut && IsWordByte(static_cast<unsigned char>(s.back()));
    words.emplace_back(std::move(s), ends);
  }
  return words;
}

bool IsWordBoundary(const Node& n) { return n.kind == Node::kAssert && n.boundary && !n.text_start; }

bool HoldsAssertion(const Node& n) {
  return n.kind == Node::kAssert || std::any_of(n.kids.begin(), n.kids.end(), HoldsAssertion);
}

// An upper-case letter without its lower case: the prefixes, lower-cased,
// would say more than the pattern matches.
bool HoldsUpperOnly(const Node& n) {
  if (n.kind == Node::kChar) {
    for (unsigned c = 'A'; c <= 'Z'; ++c)
      if (n.ascii.test(c) && !n.ascii.test(c | 0x20)) return true;
    return false;
  }
  return std::any_of(n.kids.begin(), n.kids.end(), HoldsUpperOnly);
}

// Whether the matches of a sequence are exactly whole words (or phrases)
// its opening cue's prefixes spell: \b, elements whose prefixes are exact,
// starting and ending with a word character, \b ("\bmeetings?\b").
bool WholeWords(const std::vector<Node>& kids, size_t first, const CueReading& reading) {
  if (first == 0 || kids.size() < first + 2 || !IsWordBoundary(kids.back())) return false;
  for (size_t k = 0; k < first; ++k)
    if (!IsWordBoundary(kids[k])) return false;
  for (size_t k = first; k + 1 < kids.size(); ++k)
    if (HoldsAssertion(kids[k]) || HoldsUpperOnly(kids[k])) return false;
  const std::optional<Prefixes> p = SequencePrefixes(kids, first, reading);
  if (!p || !p->exact) return false;
  return std::all_of(p->strings.begin(), p->strings.end(), [](const std::string& w) {
    return !w.empty() && !Cut(w) && IsWordByte(static_cast<unsigned char>(w.front())) &&
           IsWordByte(static_cast<unsigned char>(w.back()));
  });
}

// The elements of a sequence, groups around sequences opened up
// ("(?P<name>\p{Lu}\p{Ll}+ police)" is five elements of the sequence
// around it): a match of the whole goes through each in turn all the same.
void Flatten(Node&& n, std::vector<Node>* out) {
  if (n.kind != Node::kConcat) {
    out->push_back(std::move(n));
    return;
  }
  // A group around one element ("(?i:(?:a|b))") is that element, where the
  // group is in the pattern.
  if (n.kids.size() == 1 && n.top) {
    n.kids[0].top = true;
    n.kids[0].begin = n.begin;
  }
  for (Node& kid : n.kids) Flatten(std::move(kid), out);
}

// Whether the character before kids[k] in a match is never a word character
// (or there is none and \b or ^ says so).
bool BoundaryBefore(const std::vector<Node>& kids, size_t k) {
  while (k-- > 0) {
    const Node& n = kids[k];
    if (n.kind == Node::kAssert) {
      if (n.boundary) return true;  // \b before a word character, ^, \A
      continue;
    }
    if (!EndsNonWord(n)) return false;
    if (!Nullable(n)) return true;
  }
  return false;  // the match's start: any character may come before
}

// How well a cue picks out the places worth trying: longer shortest prefix
// first, then fewer prefixes.
bool Better(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto shortest = [](const std::vector<std::string>& w) {
    size_t m = SIZE_MAX;
    for (const std::string& s : w) m = std::min(m, s.size());
    return m;
  };
  const size_t sa = std::min<size_t>(shortest(a), 4), sb = std::min<size_t>(shortest(b), 4);
  if (sa != sb) return sa > sb;
  return a.size() < b.size();
}

}  // namespace

namespace {

// The cues of one sequence (a pattern, `whole`, or a branch of its top-level
// alternation).
RuleCues SequenceCues(Node&& root, const CueReading& reading, bool whole) {
  RuleCues cues;
  std::vector<Node> kids;
  if (whole && root.kind == Node::kConcat) {
    for (Node& kid : root.kids) kid.top = true;
  } else if (whole) {
    root.top = true;  // one element: an alternation
  }
  Flatten(std::move(root), &kids);
  // The first element that matches something: a cue there anchors the rule.
  size_t first = 0;
  while (first < kids.size() && kids[first].kind == Node::kAssert) ++first;
  if (first < kids.size() && BoundaryBefore(kids, first)) {
    if (std::optional<std::vector<CueWord>> words = CueWords(kids, first, reading)) {
      cues.opening = MakeCue(std::move(*words), true);
      cues.opening->whole_words = WholeWords(kids, first, reading);
    }
  }
  size_t rarest_at = 0;
  bool rarest_opens = false;
  for (size_t k = 0; k < kids.size(); ++k) {
    if (kids[k].kind == Node::kAssert || !BoundaryBefore(kids, k)) continue;
    std::optional<RuleCue> cue;
    const bool opens = k == first && cues.opening;
    if (opens) {
      cue = cues.opening;
    } else if (std::optional<std::vector<CueWord>> words = CueWords(kids, k, reading)) {
      cue = MakeCue(std::move(*words), false);
    }
    if (!cue) continue;
    // A caller that asks for an inner cue takes one over the opening one.
    const bool better = !cues.rarest ? true
                        : reading.inner && opens != rarest_opens
                            ? !opens
                            : Better(cue->prefixes, cues.rarest->prefixes);
    if (better) {
      cues.rarest = cue;
      rarest_at = k;
      rarest_opens = opens;
    }
  }
  if (cues.rarest) cues.rarest->head_words = HeadWords(kids, rarest_at);
  if (cues.opening) cues.opening->head_words = 0;
  // How far a match goes on after a cue inside it: the most bytes of the
  // elements from the cue's on, when all are bounded and nothing asserts the
  // end.
  if (cues.rarest && !cues.rarest->at_start && std::none_of(kids.begin(), kids.end(), AssertsTextEnd)) {
    size_t tail = 0;
    bool bounded = true;
    for (size_t k = rarest_at; k < kids.size() && bounded; ++k) {
      const std::optional<size_t> m = MaxBytes(kids[k]);
      bounded = m.has_value();
      if (m) tail += *m;
    }
    if (bounded) cues.rarest->tail_bytes = tail;
    // The elements before the cue, if it is one of the pattern's own, and
    // the bytes they may match.
    if (kids[rarest_at].top) {
      cues.rarest->head_bytes = kids[rarest_at].begin;
      std::bitset<256> bytes;
      for (size_t k = 0; k < rarest_at; ++k) BytesOf(kids[k], &bytes);
      cues.rarest->head_chars = bytes;
    }
  }
  return cues;
}

}  // namespace

RuleCues FindRuleCues(std::string_view pattern, const CueReading& reading) {
  std::optional<PatternTree> tree = ReadPattern(pattern);
  if (!tree) return {};
  Node& root = tree->root;
  if (root.kind != Node::kAlt || !reading.alternation) return SequenceCues(std::move(root), reading, true);
  // A top-level alternation ("\bvisits?\b|\bvisited\b"): a match is one
  // branch's, so the cues of all branches together are a cue of the whole,
  // if every branch has one.
  std::vector<CueWord> opening, rarest;
  bool all_open = true, all_rare = true, rare_at_start = true;
  std::optional<size_t> head_words = 0;  // the most of the branches
  bool whole_words = true;
  for (Node& branch : root.kids) {
    const RuleCues cues = SequenceCues(std::move(branch), reading, false);
    if (cues.opening) {
      whole_words = whole_words && cues.opening->whole_words;
      for (CueWord& w : WordsOf(*cues.opening)) opening.push_back(std::move(w));
    } else {
      all_open = false;
    }
    if (cues.rarest) {
      for (CueWord& w : WordsOf(*cues.rarest)) rarest.push_back(std::move(w));
      rare_at_start = rare_at_start && cues.rarest->at_start;
      if (head_words && cues.rarest->head_words)
        head_words = std::max(*head_words, *cues.rarest->head_words);
      else
        head_words.reset();
    } else {
      all_rare = false;
    }
  }
  RuleCues cues;
  if (all_open) cues.opening = MakeCue(std::move(opening), true);
  if (all_open) {
    cues.opening->head_words = 0;
    cues.opening->whole_words = whole_words;
  }
  if (all_rare) {
    cues.rarest = MakeCue(std::move(rarest), rare_at_start);
    cues.rarest->head_words = head_words;
  }
  return cues;
}

std::optional<RuleCue> FindRuleCue(std::string_view pattern) {
  RuleCues cues = FindRuleCues(pattern);
  return cues.opening ? std::move(cues.opening) : std::move(cues.rarest);
}

std::optional<char> OpeningGroupEnd(std::string_view pattern) {
  const std::optional<PatternTree> tree = ReadPattern(pattern);
  if (!tree || tree->root.kind != Node::kConcat || tree->root.kids.size() < 2) return std::nullopt;
  const Node& group = tree->root.kids[0];
  const Node& next = tree->root.kids[1];
  // A capturing group: "(" then "?P<" or no "?" ("(?:", "(?i:" capture nothing).
  if (!group.group || group.begin + 1 >= pattern.size() || pattern[group.begin] != '(' ||
      (pattern[group.begin + 1] == '?' && pattern.substr(group.begin, 4) != "(?P<"))
    return std::nullopt;
  // One ASCII byte, no letter (which case folding could double), that no
  // match of the group holds.
  if (next.kind != Node::kChar || next.non_ascii || next.opaque || next.ascii.count() != 1)
    return std::nullopt;
  unsigned c = 0;
  while (!next.ascii.test(c)) ++c;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return std::nullopt;
  std::bitset<256> held;
  BytesOf(group, &held);
  if (held.test(c)) return std::nullopt;
  return static_cast<char>(c);
}

bool AnchoredAtStart(std::string_view pattern) {
  std::optional<PatternTree> tree = ReadPattern(pattern);
  if (!tree || tree->multi_line) return false;
  Node& root = tree->root;
  std::vector<Node> branches;
  if (root.kind == Node::kAlt) {
    branches = std::move(root.kids);
  } else {
    branches.push_back(std::move(root));
  }
  return std::all_of(branches.begin(), branches.end(), [](Node& branch) {
    std::vector<Node> kids;
    Flatten(std::move(branch), &kids);
    return !kids.empty() && kids.front().kind == Node::kAssert && kids.front().text_start;
  });
}

namespace {

// Follows the offsets a match may have reached through a node (bit o of a
// mask: o bytes read), noting the bytes each offset may hold.
class StartBytesWalk {
 public:
  StartBytesWalk(size_t max, bool icase) : max_(max), icase_(icase), bytes_(max) {}

  uint32_t Walk(const Node& n, uint32_t in) {
    switch (n.kind) {
      case Node::kAssert:
        if (!n.text_end) return in;
        at_text_end_ |= in;  // nothing follows the text's end
        return 0;
      case Node::kChar:
        return Char(n, in);
      case Node::kConcat:
        for (const Node& kid : n.kids) in = Walk(kid, in);
        return in;
      case Node::kAlt: {
        uint32_t out = 0;
        for (const Node& kid : n.kids) out |= Walk(kid, in);
        return out;
      }
      case Node::kRepeat: {
        // Offsets are below max_: past min + max_ rounds, a round adds none
        // that an earlier one did not (a round that reads nothing repeats).
        uint32_t out = n.min == 0 ? in : 0, cur = in;
        for (int round = 1; cur != 0; ++round) {
          cur = Walk(n.kids[0], cur);
          if (round >= n.min) out |= cur;
          if ((n.max >= 0 && round >= n.max) || round > n.min + static_cast<int>(max_)) break;
        }
        return out;
      }
    }
    return 0;
  }

  // The filter: the offsets below the first a match may end at.
  StartBytes Result(uint32_t ends) const {
    size_t n = max_;
    for (size_t o = 0; o < n; ++o)
      if (ends >> o & 1) n = o;
    StartBytes out;
    out.bytes.assign(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(n));
    out.at_text_end = at_text_end_;
    return out;
  }

 private:
  void Add(size_t o, const std::array<uint64_t, 4>& set) {
    if (o < max_)
      for (size_t w = 0; w < 4; ++w) bytes_[o][w] |= set[w];
  }

  uint32_t Char(const Node& n, uint32_t in) {
    std::array<uint64_t, 4> set{};
    auto add = [&](unsigned c) { set[c >> 6] |= uint64_t{1} << (c & 63); };
    bool wide = n.non_ascii || n.opaque;
    bool ascii = false;
    // The node's characters by their bits, not a test of all 128: a rule
    // file's vocabularies are thousands of one-letter nodes, read at
    // start-up.
    const std::bitset<128> chars = n.opaque ? ~std::bitset<128>{} : n.ascii;
    const std::bitset<128> low_mask{~uint64_t{0}};
    const uint64_t words[2] = {(chars & low_mask).to_ullong(), (chars >> 64).to_ullong()};
    for (unsigned w = 0; w < 2; ++w) {
      for (uint64_t bits = words[w]; bits; bits &= bits - 1) {
        const unsigned c = w * 64 + static_cast<unsigned>(std::countr_zero(bits));
        ascii = true;
        add(c);
        // Case is not followed: both cases of a letter. Under (?i), RE2 also
        // matches k to U+212A (KELVIN SIGN) and s to U+017F (LONG S).
        if (c >= 'a' && c <= 'z') add(c - 32);
        if (c >= 'A' && c <= 'Z') add(c + 32);
        const char lower = Lower(static_cast<char>(c));
        if (icase_ && (lower == 'k' || lower == 's')) wide = true;
      }
    }
    // A character beyond ASCII (RE2 matches valid UTF-8 only): a lead byte,
    // then one to three continuation bytes.
    const std::array<uint64_t, 4> lead{0, 0, ~uint64_t{0}, ~uint64_t{0}};
    const std::array<uint64_t, 4> continuation{0, 0, ~uint64_t{0}, 0};
    uint32_t out = 0;
    for (size_t o = 0; o < max_; ++o) {
      if (!(in >> o & 1)) continue;
      if (ascii) {
        Add(o, set);
        out |= uint32_t{1} << (o + 1);
      }
      if (wide) {
        Add(o, lead);
        for (size_t k = 1; k <= 3; ++k) Add(o + k, continuation);
        for (size_t k = 2; k <= 4; ++k) out |= uint32_t{1} << (o + k);
      }
    }
    // Offsets from max_ on are not followed.
    return out & ((uint32_t{1} << max_) - 1);
  }

  size_t max_;
  bool icase_;
  uint32_t at_text_end_ = 0;
  std::vector<std::array<uint64_t, 4>> bytes_;
};

// Whether a flag group of `pattern` may turn case folding on.
bool MayFoldCase(std::string_view pattern) {
  for (size_t i = pattern.find("(?"); i != std::string_view::npos; i = pattern.find("(?", i + 2)) {
    for (size_t j = i + 2; j < pattern.size() && pattern[j] != ':' && pattern[j] != ')'; ++j)
      if (pattern[j] == 'i') return true;
  }
  return false;
}

}  // namespace

void StartBytes::Unite(const StartBytes& other) {
  bytes.resize(std::min(bytes.size(), other.bytes.size()));
  for (size_t i = 0; i < bytes.size(); ++i)
    for (size_t w = 0; w < 4; ++w) bytes[i][w] |= other.bytes[i][w];
  at_text_end |= other.at_text_end;
}

StartBytes FindStartBytes(std::string_view pattern, size_t max) {
  max = std::min<size_t>(max, 24);
  const std::optional<PatternTree> tree = ReadPattern(pattern);
  if (!tree) return {};
  StartBytesWalk walk(max, MayFoldCase(pattern));
  return walk.Result(walk.Walk(tree->root, 1));
}

}  // namespace newsevents
