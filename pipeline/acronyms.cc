#include "pipeline/acronyms.h"

#include <algorithm>
#include <array>
#include <string>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

struct CodePoint {
  UChar32 c;
  size_t offset;  // byte offset in the string it was decoded from
};

// The code points of `s` into *out (its old content dropped).
void DecodeInto(std::string_view s, std::vector<CodePoint>* out_ptr) {
  std::vector<CodePoint>& out = *out_ptr;
  out.clear();
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back({c, static_cast<size_t>(start)});
  }
}

// The first code point of `s`, or `fallback` when it is empty.
UChar32 FirstCodePoint(std::string_view s, UChar32 fallback) {
  if (s.empty()) return fallback;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(s.size()), c);
  return c;
}

// ASCII answers without ICU (the same answers: ICU's letter and case
// categories of ASCII are A-Z and a-z).
bool IsLetter(UChar32 c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return u_isalpha(c);
}
bool IsUpperCp(UChar32 c) { return c < 0x80 ? c >= 'A' && c <= 'Z' : u_isupper(c); }
bool IsLowerCp(UChar32 c) { return c < 0x80 ? c >= 'a' && c <= 'z' : u_islower(c); }

// ASCII kinds by byte: letters (A-Z upper case), letters and digits.
constexpr uint8_t kLetter = 1, kUpper = 2, kAlnum = 4;
constexpr std::array<uint8_t, 128> kAsciiKind = [] {
  std::array<uint8_t, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kAlnum;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter | kAlnum, t[c - 32] = kLetter | kUpper | kAlnum;
  return t;
}();

constexpr size_t kMaxShort = 16;
constexpr size_t kMaxLong = 400;  // code points

// A word of the long form (a run of letters and digits): its first
// code point and the one past its end (indices of code points), and its
// first code point itself and where it is (a byte offset).
struct Word {
  size_t first;
  size_t last;
  UChar32 c;
  size_t offset;
};

// A place in the long form holding a letter of the short form: its index
// (of code points), its worth as an initial, the word it is in (when it is
// an initial), and the most initials used matching the short form up to
// that letter with that letter here (-1: none).
struct Hit {
  size_t p;
  int initial;
  int best;
  size_t word;
};

// MatchAcronym's working vectors, kept by each thread from one call to the
// next: it runs for every bracketed short form and every window before it.
struct MatchScratch {
  std::vector<CodePoint> cps;
  std::vector<UChar32> sf;
  std::vector<Word> words;
  std::vector<size_t> pos;            // by letter of the short form: its hit in at[s]
  std::vector<Hit> at[kMaxShort];     // by letter of the short form: where it is in the long form
  std::string folded;
};


// An acronym kept from another language reorders the words it abbreviates:
// "Department of Public Security (DSP/...)" from "Departamento de Seguridad
// Pública". Accepted when the last capitalized words of the phrase, as many as
// the short form has letters, have exactly its letters as initials.
size_t MatchPermutedInitials(const std::vector<UChar32>& sf, const std::vector<Word>& words) {
  if (sf.size() < 3) return std::string_view::npos;
  std::vector<UChar32> want(sf);
  std::vector<UChar32> got;
  size_t start = std::string_view::npos;
  for (size_t w = words.size(); w-- > 0 && got.size() < sf.size();) {
    const UChar32 c = words[w].c;
    if (!IsUpperCp(c)) {
      if (got.empty()) return std::string_view::npos;  // the phrase ends on a capital
      continue;
    }
    got.push_back(u_tolower(c));
    start = words[w].offset;
  }
  if (got.size() != sf.size()) return std::string_view::npos;
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  return want == got ? start : std::string_view::npos;
}

}  // namespace

size_t MatchAcronym(std::string_view short_form, std::string_view long_form) {
  thread_local MatchScratch scratch;
  MatchScratch& x = scratch;
  // Letters of the short form, folded.
  std::vector<UChar32>& sf = x.sf;
  sf.clear();
  bool word_like = true;  // written like a word ("Efus"): one capital, then lower case
  {
    int upper = 0;
    DecodeInto(short_form, &x.cps);
    for (const CodePoint& cp : x.cps) {
      if (IsLetter(cp.c) && IsUpperCp(cp.c)) ++upper;
    }
    word_like = upper <= 1;
    x.folded.clear();
    AppendFoldedText(short_form, &x.folded);
    DecodeInto(x.folded, &x.cps);
    for (const CodePoint& cp : x.cps)
      if (IsLetter(cp.c)) sf.push_back(cp.c);
  }
  if (sf.size() < 2 || sf.size() > kMaxShort) return std::string_view::npos;

  // The long form read once, ASCII without decoding: its words (runs of
  // letters and digits) and the places holding each letter of the short form
  // (folded: accents off, lower case), with their worth as initials.
  const size_t n = sf.size();
  uint16_t rows_of[128] = {};  // ASCII letter -> the rows s whose sf[s] it is
  for (size_t s = 0; s < n; ++s) {
    x.at[s].clear();
    if (sf[s] >= 0 && sf[s] < 128) rows_of[sf[s]] |= static_cast<uint16_t>(1u << s);
  }
  std::vector<Word>& words = x.words;
  words.clear();
  size_t m = 0;  // code points
  {
    const auto* p = reinterpret_cast<const uint8_t*>(long_form.data());
    const int32_t len = static_cast<int32_t>(long_form.size());
    bool prev_alnum = false;
    for (int32_t i = 0; i < len; ++m) {
      const int32_t start = i;
      UChar32 c = p[i];
      UChar32 low;
      bool letter, upper, alnum;
      if (c < 0x80) {
        ++i;
        const uint8_t kind = kAsciiKind[c];
        upper = kind & kUpper;
        letter = kind & kLetter;
        alnum = kind & kAlnum;
        low = c | (upper ? 0x20 : 0);
      } else {
        U8_NEXT(p, i, len, c);
        // Fold one code point (accents off, lower case) through FoldText.
        x.folded.clear();
        AppendFoldedText(long_form.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)),
                         &x.folded);
        low = FirstCodePoint(x.folded, c);
        letter = IsLetter(c);
        upper = IsUpperCp(c);
        alnum = letter;
      }
      if (alnum != prev_alnum) {
        if (alnum)
          words.push_back({m, m, c, static_cast<size_t>(start)});
        else
          words.back().last = m;
        prev_alnum = alnum;
      }
      uint32_t rows = 0;
      if (low >= 0 && low < 128) {
        rows = rows_of[low];
      } else {
        for (size_t s = 0; s < n; ++s)
          if (sf[s] == low) rows |= 1u << s;
      }
      if (rows == 0) continue;
      // The worth of using a position: a capitalized word's initial beats a
      // lower-case word's ("Organization", not "of"), which beats an inner letter.
      const int initial = letter && words.back().first == m ? (upper ? 3 : 2) : 0;
      for (; rows != 0; rows &= rows - 1)
        x.at[static_cast<size_t>(__builtin_ctz(rows))].push_back({m, initial, -1, words.size() - 1});
    }
    if (prev_alnum) words.back().last = m;
  }
  if (m == 0 || m > kMaxLong) return std::string_view::npos;
  if (words.empty()) return std::string_view::npos;
  const Word last_word = words.back();

  // at[s][k].best: most initials used matching sf[0..s] with sf[s] at that
  // place. Only places holding sf[s] can have a score in row s: each row is
  // worked out over its own places, the running best of the row before read
  // over its places.
  for (Hit& h : x.at[0])
    if (h.initial) h.best = h.initial;
  for (size_t s = 1; s < n; ++s) {
    const std::vector<Hit>& before = x.at[s - 1];
    size_t j = 0;
    int run = -1;  // max of row s - 1's scores before p
    for (Hit& h : x.at[s]) {
      for (; j < before.size() && before[j].p < h.p; ++j) run = std::max(run, before[j].best);
      if (run >= 0) h.best = run + h.initial;
    }
  }
  // The last letter must fall in the last word; among the ends, the most
  // initials, then the latest position.
  const std::vector<Hit>& ends = x.at[n - 1];
  size_t end_hit = ends.size();
  int end_score = -1;
  for (size_t k = 0; k < ends.size(); ++k) {
    if (ends[k].p < last_word.first || ends[k].p >= last_word.last) continue;
    const int b = ends[k].best;
    if (b > end_score || (b == end_score && b >= 0)) {
      end_score = b;
      end_hit = k;
    }
  }
  if (end_score < 0) return MatchPermutedInitials(sf, words);
  // Walk back, preferring the latest position that keeps the best score
  // (>= 0: only a row's own places have one).
  std::vector<size_t>& pos = x.pos;
  pos.assign(n, 0);
  pos[n - 1] = end_hit;
  for (size_t s = n - 1; s > 0; --s) {
    const Hit& h = x.at[s][pos[s]];
    const int need = h.best - h.initial;
    const std::vector<Hit>& before = x.at[s - 1];
    size_t chosen = before.size();
    for (size_t k = before.size(); k-- > 0;) {
      if (before[k].p < h.p && before[k].best == need) {
        chosen = k;
        break;
      }
    }
    if (chosen == before.size()) return std::string_view::npos;
    pos[s - 1] = chosen;
  }
  // The first letter is on an initial (row 0 scores only those): a word's start.
  const Hit& first = x.at[0][pos[0]];
  const size_t start = first.p;
  const Word& start_word = words[first.word];
  // "staff of the Penitentiary Services ... (SPIP)": a phrase that starts on a
  // lower-case word before capitalized ones was matched by accident.
  if (!IsUpperCp(start_word.c)) {
    for (const Word& w : words)
      if (w.first > start && IsUpperCp(w.c)) return MatchPermutedInitials(sf, words);
  }

  // Guards: the words from `start` on, and how many of their initials matched
  // (the matched places ascend with s).
  size_t content = 0, capitals = 0, capitals_matched = 0, initials_matched = 0;
  size_t s = 0;
  for (const Word& w : words) {
    if (w.first < start) continue;
    const size_t len = w.last - w.first;
    const bool capital = IsUpperCp(w.c);
    if (capital || len >= 4) ++content;
    if (capital) ++capitals;
    while (s < n && x.at[s][pos[s]].p < w.first) ++s;
    if (s < n && x.at[s][pos[s]].p == w.first) {
      ++initials_matched;
      if (capital) ++capitals_matched;
    }
  }
  size_t word_count = 0;
  for (const Word& w : words)
    if (w.first >= start && w.last - w.first >= 2) ++word_count;  // "d'" is no word
  if (word_count > std::min(n + 5, 2 * n + 1)) return std::string_view::npos;
  if (initials_matched * 2 < content) return std::string_view::npos;
  if (word_like) {
    // "Efus": every letter on an initial, every capitalized word used.
    if (initials_matched != n || capitals_matched != capitals) return std::string_view::npos;
  }
  return start_word.offset;
}

bool LooksLikeShortForm(std::string_view word) {
  if (word.size() < 2 || word.size() > 24) return false;
  thread_local std::vector<CodePoint> decoded;  // no allocation per word
  DecodeInto(word, &decoded);
  const std::vector<CodePoint>& cps = decoded;
  if (cps.empty() || !IsLetter(cps[0].c) || !IsUpperCp(cps[0].c)) return false;
  int letters = 0, upper = 0, lower = 0;
  for (const CodePoint& cp : cps) {
    if (IsLetter(cp.c)) {
      ++letters;
      if (IsUpperCp(cp.c)) ++upper;
      if (IsLowerCp(cp.c)) ++lower;
    } else if (!(cp.c >= '0' && cp.c <= '9') && cp.c != '-' && cp.c != '/' && cp.c != '&' &&
               cp.c != '.') {
      return false;
    }
  }
  if (letters < 2 || static_cast<size_t>(letters) > kMaxShort) return false;
  // A plain capitalized word may be a short form ("Efus", "Mila") only when short.
  if (upper == 1 && lower > 0) return letters <= 6;
  return true;
}

namespace {

bool IsBoundary(const NameToken& t) {
  if (t.shape != TokenShape::kPunct) return false;
  return !(t.is_punct('-') || t.is_punct('&') || t.is_punct('/') || t.is_punct('\''));
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool HasSpace(std::string_view s) {
  return s.find_first_of(" \n\t") != std::string_view::npos;
}

// The phrase before the bracket at token `open` that a short form of
// `letters` letters could abbreviate: back to a punctuation mark, a
// paragraph break or a word budget.
Span WindowBefore(const std::vector<NameToken>& tokens, size_t open, size_t letters) {
  const size_t budget = std::min(letters + 5, 2 * letters + 1);
  size_t words = 0;
  size_t first = open;
  for (size_t i = open; i-- > 0;) {
    const NameToken& t = tokens[i];
    if (IsBoundary(t)) break;
    // Elisions and short connectors ("d'", "la") do not use up the budget.
    if (t.shape != TokenShape::kPunct && (t.span.size() >= 3 || t.is_upper_initial())) {
      if (++words > budget) break;
    }
    first = i;
    if (t.breaks_before >= 2) break;
  }
  if (first == open) return {};
  return {tokens[first].span.begin, tokens[open - 1].span.end};
}

size_t LetterCount(std::string_view s) {
  thread_local std::vector<CodePoint> decoded;  // no allocation per short form
  DecodeInto(s, &decoded);
  size_t n = 0;
  for (const CodePoint& cp : decoded) n += IsLetter(cp.c);
  return n;
}

}  // namespace

std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text,
                                                      const std::vector<NameToken>& tokens) {
  std::vector<AcronymDefinition> out;
  for (size_t open = 0; open < tokens.size(); ++open) {
    if (!tokens[open].is_punct('(')) continue;
    size_t close = open + 1;
    while (close < tokens.size() && close - open <= 16 && !tokens[close].is_punct(')') &&
           !tokens[close].is_punct('(') && tokens[close].breaks_before < 2)
      ++close;
    if (close >= tokens.size() || !tokens[close].is_punct(')') || close == open + 1) continue;
    const Span inner_span{tokens[open].span.end, tokens[close].span.begin};
    const std::string_view inner = Trimmed(text.substr(inner_span.begin, inner_span.size()));
    const size_t inner_begin = static_cast<size_t>(inner.data() - text.data());
    AcronymDefinition def;
    def.brackets = {tokens[open].span.begin, tokens[close].span.end};

    auto define_before = [&](Span sf) {
      def.short_form = sf;
      const std::string_view sf_text = text.substr(sf.begin, sf.size());
      const Span window = WindowBefore(tokens, open, LetterCount(sf_text));
      if (!window.empty()) {
        const size_t at = MatchAcronym(sf_text, text.substr(window.begin, window.size()));
        if (at != std::string_view::npos) def.long_form = {window.begin + at, window.end};
      }
    };

    if (!HasSpace(inner)) {
      // Long Form (SF)
      if (!LooksLikeShortForm(inner)) continue;
      define_before({inner_begin, inner_begin + inner.size()});
      // An unmatched capitalized word in brackets is just a word: "(Chile)".
      if (def.long_form.empty() && WordShape(inner) == TokenShape::kCapitalized) continue;
      out.push_back(def);
      continue;
    }
    const size_t comma = inner.rfind(',');
    if (comma != std::string_view::npos) {
      // Long Form (Other, SF)
      const std::string_view sf = Trimmed(inner.substr(comma + 1));
      const std::string_view other = Trimmed(inner.substr(0, comma));
      if (!HasSpace(sf) && LooksLikeShortForm(sf) && !other.empty()) {
        const size_t sf_begin = static_cast<size_t>(sf.data() - text.data());
        define_before({sf_begin, sf_begin + sf.size()});
        const size_t other_begin = static_cast<size_t>(other.data() - text.data());
        const size_t at = MatchAcronym(sf, other);
        if (at != std::string_view::npos) {
          def.alternate = {other_begin + at, other_begin + other.size()};
          if (def.long_form.empty()) def.long_form = def.alternate, def.alternate = {};
        }
        out.push_back(def);
        continue;
      }
    }
    // "UCR 2.2": a short form with a version number.
    {
      // The first white space (HasSpace above: there is one, maybe a line
      // break, "(see\nannex)").
      const size_t sp = inner.find_first_of(" \n\t");
      const std::string_view head = inner.substr(0, sp);
      const std::string_view rest = Trimmed(inner.substr(sp));
      bool numeric = !rest.empty() && !HasSpace(rest);
      for (char ch : rest) numeric &= (ch >= '0' && ch <= '9') || ch == '.';
      if (numeric && LooksLikeShortForm(head) && WordShape(head) == TokenShape::kAllCaps) {
        define_before({inner_begin, inner_begin + head.size()});
        out.push_back(def);
        continue;
      }
    }
    // SF (Long Form): the short form right before the bracket, or one word
    // before it ("the RAPS network (...)").
    for (size_t back = 1; back <= 2 && back <= open; ++back) {
      const NameToken& t = tokens[open - back];
      if (back == 2 && tokens[open - 1].shape != TokenShape::kLower) break;
      if (t.shape != TokenShape::kAllCaps && t.shape != TokenShape::kMixed) continue;
      const std::string_view sf = text.substr(t.span.begin, t.span.size());
      if (!LooksLikeShortForm(sf)) continue;
      const size_t at = MatchAcronym(sf, inner);
      if (at == std::string_view::npos) continue;
      // The phrase must start at the bracket's first or second word ("the ...").
      const size_t first_space = inner.find(' ');
      if (at > first_space + 1) continue;
      def.short_form = t.span;
      def.long_form = {inner_begin + at, inner_begin + inner.size()};
      def.short_first = true;
      out.push_back(def);
      break;
    }
  }
  return out;
}

}  // namespace newsevents
