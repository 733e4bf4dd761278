#include "pipeline/name_tokens.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/byte_class.h"
#include "pipeline/fold.h"

namespace newsevents {
namespace {

// The multi-byte case of Next, out of line.
UChar32 NextMultiByte(std::string_view s, size_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, pos, static_cast<int32_t>(s.size()), c);
  i = static_cast<size_t>(pos);
  return c;
}

// A code point at byte i of s (advances i); -1 for a bad byte.
inline UChar32 Next(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  return NextMultiByte(s, i);
}

UChar32 Peek(std::string_view s, size_t i) {
  if (i >= s.size()) return -1;
  return Next(s, i);
}

// ICU's answers for the code points below kFoldTableSize (every Latin
// letter of English, French and Spanish), asked once: bit 0 a letter (or a
// combining mark), bit 1 upper or title case, bit 2 lower case; and the
// code point folded (FoldedCodePoint) when that is one or two bytes.
struct LatinClasses {
  uint8_t bits[kFoldTableSize];
  uint8_t folded_size[kFoldTableSize];  // 0: longer than two bytes
  char folded[kFoldTableSize][2];
  LatinClasses() {
    for (UChar32 c = 0; c < kFoldTableSize; ++c) {
      bits[c] = static_cast<uint8_t>((u_isalpha(c) || u_getCombiningClass(c) != 0 ? 1 : 0) |
                                     (u_isupper(c) || u_istitle(c) ? 2 : 0) | (u_islower(c) ? 4 : 0));
      const std::string_view f = FoldedCodePoint(c);
      folded_size[c] = static_cast<uint8_t>(f.size() <= 2 ? f.size() : 0);
      folded[c][0] = folded[c][1] = 0;
      if (f.size() <= 2)
        for (size_t k = 0; k < f.size(); ++k) folded[c][k] = f[k];
    }
  }
};

// Asked on first use (not at static initialization, which another file's
// might precede).
const LatinClasses& Latin() {
  static const LatinClasses classes;
  return classes;
}
uint8_t LatinClass(UChar32 c) { return Latin().bits[c]; }

// ASCII answers without ICU: nearly every character of the text is ASCII;
// then the Latin letters' from the table.
bool IsLetter(UChar32 c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c < kFoldTableSize) return LatinClass(c) & 1;
  return u_isalpha(c) || u_getCombiningClass(c) != 0;
}
bool IsUpper(UChar32 c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0 && c < kFoldTableSize) return LatinClass(c) & 2;
  return u_isupper(c) || u_istitle(c);
}
bool IsLower(UChar32 c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  if (c < kFoldTableSize) return LatinClass(c) & 4;
  return u_islower(c);
}
bool IsDigit(UChar32 c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiWordChar(int c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}
bool IsWordChar(UChar32 c) {
  if (c < 0x80) return IsAsciiWordChar(c);
  return IsLetter(c);
}
bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }

}  // namespace

const std::vector<NameToken>& NameTokensOf(const Document& doc, Item& item) {
  if (!item.name_tokens || !(item.name_tokens->span == item.span)) {
    auto cut = std::make_shared<ItemNameTokens>();
    cut->span = item.span;
    *cut = TokenizeForNames(doc.text, item.span);
    item.name_tokens = std::move(cut);
  }
  return item.name_tokens->tokens;
}

size_t TokenAtOrAfter(const std::vector<NameToken>& tokens, size_t pos) {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), pos,
                             [](const NameToken& t, size_t p) { return t.span.begin < p; });
  return static_cast<size_t>(it - tokens.begin());
}

bool TokensInside(const std::vector<NameToken>& tokens, Span span, size_t* first, size_t* last) {
  size_t f = TokenAtOrAfter(tokens, span.begin);
  size_t l = f;
  while (l < tokens.size() && tokens[l].span.end <= span.end) ++l;
  if (l == f) return false;
  *first = f;
  *last = l - 1;
  return true;
}

namespace {

// Whether s has no white space to drop or collapse: single spaces between
// words (most names), copied whole.
bool SingleSpaced(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  // White space by the byte's class (one look-up a byte): a space not
  // followed by another is the one kind allowed.
  for (size_t k = 0; k < s.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(s[k]);
    const NameByte cls = kNameByteClass[c];
    if ((cls == NameByte::kSpace || cls == NameByte::kBreak) && (c != ' ' || s[k + 1] == ' ')) return false;
  }
  return true;
}

// CollapseNameSpaces of a text that is not SingleSpaced, into *out.
void CollapseInto(std::string_view written, std::string* out) {
  out->clear();
  bool space = false;
  for (char c : written) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out->empty();
      continue;
    }
    if (space) *out += ' ';
    space = false;
    *out += c;
  }
}

}  // namespace

std::string CollapseNameSpaces(std::string_view written) {
  if (SingleSpaced(written)) return std::string(written);
  std::string out;
  out.reserve(written.size());
  CollapseInto(written, &out);
  return out;
}

std::string_view CollapseNameSpaces(std::string_view written, std::string* scratch) {
  if (SingleSpaced(written)) return written;
  CollapseInto(written, scratch);
  return *scratch;
}

std::string FoldWord(std::string_view word) {
  std::string out;
  FoldWordInto(word, &out);
  return out;
}

void FoldWordInto(std::string_view word, std::string* out) {
  bool ascii = true;
  for (char ch : word) ascii &= static_cast<unsigned char>(ch) < 0x80;
  out->clear();
  if (!ascii) {
    AppendFoldedText(word, out);
    return;
  }
  out->assign(word);
  for (char& ch : *out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
}

void FoldNameInto(std::string_view written, std::string* out) {
  if (SingleSpaced(written)) {
    FoldWordInto(written, out);
    return;
  }
  thread_local std::string collapsed;
  CollapseInto(written, &collapsed);
  FoldWordInto(collapsed, out);
}

namespace {

// The shape of an ASCII word from its letter counts: the rules of WordShape.
struct AsciiShapeCounter {
  int upper = 0, lower = 0, letters = 0, caps_parts = 0, part_upper = 0, part_letters = 0;
  bool inner_capital = false, part_start = true, any_digit = false;
  char prev = 0;

  void Add(char ch) {
    if (ch == '-' || ch == '\'') {
      if (part_letters >= 2 && part_upper == part_letters) ++caps_parts;
      part_start = true;
      part_upper = part_letters = 0;
      prev = ch;
      return;
    }
    const bool up = ch >= 'A' && ch <= 'Z', low = ch >= 'a' && ch <= 'z';
    if (up || low) {
      ++letters;
      ++part_letters;
      if (up) {
        ++upper;
        ++part_upper;
        if (!part_start && prev >= 'a' && prev <= 'z') inner_capital = true;
      } else {
        ++lower;
      }
      part_start = false;
    } else if (ch >= '0' && ch <= '9') {
      any_digit = true;
    }
    prev = ch;
  }

  TokenShape Shape(std::string_view w) const {
    if (letters == 0) return any_digit ? TokenShape::kNumber : TokenShape::kPunct;
    size_t first_letter = 0;
    while (!((w[first_letter] | 0x20) >= 'a' && (w[first_letter] | 0x20) <= 'z')) ++first_letter;
    if (!(w[first_letter] >= 'A' && w[first_letter] <= 'Z')) return TokenShape::kLower;
    if (lower == 0) return upper >= 2 ? TokenShape::kAllCaps : TokenShape::kCapitalized;
    if (inner_capital || caps_parts > 0) return TokenShape::kMixed;
    if (w.size() >= 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z') return TokenShape::kMixed;
    return TokenShape::kCapitalized;
  }
};

constexpr bool IsAsciiUpper(char ch) { return ch >= 'A' && ch <= 'Z'; }
constexpr bool IsAsciiLower(char ch) { return ch >= 'a' && ch <= 'z'; }

TokenShape AsciiShape(std::string_view w) {
  // The common shapes first, as the counter below would find them: a capital
  // and lower-case letters ("Montreal", "A"), capitals only ("ICPC").
  if (!w.empty() && IsAsciiUpper(w[0])) {
    size_t k = 1;
    while (k < w.size() && IsAsciiLower(w[k])) ++k;
    if (k == w.size()) return TokenShape::kCapitalized;
    if (k == 1) {
      while (k < w.size() && IsAsciiUpper(w[k])) ++k;
      if (k == w.size()) return TokenShape::kAllCaps;  // two capitals or more
    }
  }
  AsciiShapeCounter counter;
  for (char ch : w) counter.Add(ch);
  return counter.Shape(w);
}

bool IsAscii(std::string_view w) {
  for (char ch : w)
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  return true;
}

// The tokens being cut and the folded text their `folded` views point into.
// The text is sized once for the span (folding keeps an ASCII token's
// length) and grown, its views moved along, only when accents fold longer.
class TokenWriter {
 public:
  // `reuse`, when given, lends its buffers: its token vector, and its folded
  // text when no other list shares it.
  TokenWriter(size_t span_bytes, ItemNameTokens* reuse) {
    if (reuse) {
      tokens_ = std::move(reuse->tokens);
      tokens_.clear();
      if (reuse->folded.use_count() == 1) folded_ = std::const_pointer_cast<std::string>(std::move(reuse->folded));
    }
    if (!folded_) folded_ = std::make_shared<std::string>();
    folded_->resize(span_bytes + 64);
    tokens_.reserve(span_bytes / 5 + 4);
  }

  // Where the next token's `n` folded bytes go.
  char* Room(size_t n) {
    if (used_ + n > folded_->size()) Grow(used_ + n);
    return folded_->data() + used_;
  }
  // A new token whose `n` folded bytes were written at Room(n).
  NameToken& Add(size_t n) {
    NameToken& t = tokens_.emplace_back();
    t.folded = std::string_view(folded_->data() + used_, n);
    used_ += n;
    return t;
  }
  std::vector<NameToken>& tokens() { return tokens_; }

  // The folded text's buffer as the fast paths of TokenizeForNames use it,
  // in their locals: its bytes, its size, the bytes used; Reserve(n) makes
  // room for n more bytes (data() may change).
  char* data() { return folded_->data(); }
  size_t size() const { return folded_->size(); }
  size_t used() const { return used_; }
  void set_used(size_t used) { used_ = used; }
  void Reserve(size_t n) {
    if (used_ + n > folded_->size()) Grow(used_ + n);
  }

  ItemNameTokens Finish(Span span) {
    folded_->resize(used_);  // shrinking keeps the bytes where they are
    ItemNameTokens out;
    out.span = span;
    out.tokens = std::move(tokens_);
    out.folded = std::move(folded_);
    return out;
  }

 private:
  void Grow(size_t need) {
    auto bigger = std::make_shared<std::string>(std::max(need, 2 * folded_->size()), '\0');
    std::memcpy(bigger->data(), folded_->data(), used_);
    for (NameToken& t : tokens_)
      t.folded = std::string_view(bigger->data() + (t.folded.data() - folded_->data()), t.folded.size());
    folded_ = std::move(bigger);
  }

  std::shared_ptr<std::string> folded_;
  size_t used_ = 0;
  std::vector<NameToken> tokens_;
};

// A token of `word`, folded (FoldWord) and hashed (WordHash of the folded
// bytes); returns WordShape(word) when `shape`, else kPunct. ASCII words
// (nearly all) are lowered and hashed in one pass straight into the folded
// text; a word whose first letter is lower case is kLower whatever follows,
// so only capitalized words (about one in six) are read again for their
// shape.
NameToken& AddFolded(TokenWriter& w, std::string_view word, bool shape, TokenShape* word_shape) {
  const size_t n = word.size();
  char* out = w.Room(n);
  uint32_t h = 2166136261u;
  unsigned char high = 0;
  for (size_t k = 0; k < n; ++k) {
    const unsigned char ch = static_cast<unsigned char>(word[k]);
    high |= ch;
    const unsigned char low = ch >= 'A' && ch <= 'Z' ? static_cast<unsigned char>(ch + 32) : ch;
    out[k] = static_cast<char>(low);
    h = (h ^ low) * 16777619u;
  }
  if (high < 0x80) {
    NameToken& t = w.Add(n);
    t.hash = h;
    *word_shape = TokenShape::kPunct;
    if (shape) {
      *word_shape = TokenShape::kLower;
      bool letter = false;
      for (char ch : word) {
        if (ch >= 'a' && ch <= 'z') {
          letter = true;
          break;
        }
        if (ch >= 'A' && ch <= 'Z') break;
      }
      if (!letter) *word_shape = AsciiShape(word);  // capitalized, or no letter at all
    }
    return t;
  }
  // A word with accents. Letters below U+0250 (all Latin letters of
  // English, French and Spanish) of two bytes fold through FoldText's table
  // (FoldedCodePoint: at most three bytes for two), straight into the folded
  // text and hashed as they go; a word holding another character is folded
  // by FoldText whole.
  out = w.Room(3 * n / 2 + 1);
  size_t o = 0;
  h = 2166136261u;
  bool folded = true;
  for (size_t k = 0; k < n;) {
    const unsigned char ch = static_cast<unsigned char>(word[k]);
    if (ch < 0x80) {
      const unsigned char low = ch >= 'A' && ch <= 'Z' ? static_cast<unsigned char>(ch + 32) : ch;
      out[o++] = static_cast<char>(low);
      h = (h ^ low) * 16777619u;
      ++k;
      continue;
    }
    const unsigned char next = k + 1 < n ? static_cast<unsigned char>(word[k + 1]) : 0;
    const int32_t c = ((ch & 0x1F) << 6) | (next & 0x3F);
    if ((ch & 0xE0) != 0xC0 || (next & 0xC0) != 0x80 || c < 0x80 || c >= kFoldTableSize) {
      folded = false;
      break;
    }
    for (const char f : FoldedCodePoint(c)) {
      out[o++] = f;
      h = (h ^ static_cast<unsigned char>(f)) * 16777619u;
    }
    k += 2;
  }
  NameToken* t;
  if (folded) {
    t = &w.Add(o);
    t->hash = h;
  } else {
    thread_local std::string scratch;
    scratch.clear();
    AppendFoldedText(word, &scratch);
    std::memcpy(w.Room(scratch.size()), scratch.data(), scratch.size());
    t = &w.Add(scratch.size());
    t->hash = WordHash(t->folded);
  }
  *word_shape = TokenShape::kPunct;
  if (shape) {
    // Lower case when the first letter is an ASCII lower-case one (what
    // WordShape says of it, whatever follows), else WordShape.
    *word_shape = TokenShape::kLower;
    bool lower = false;
    for (char ch : word) {
      if (ch >= 'a' && ch <= 'z') {
        lower = true;
        break;
      }
      if ((ch >= 'A' && ch <= 'Z') || static_cast<unsigned char>(ch) >= 0x80) break;
    }
    if (!lower) *word_shape = WordShape(word);
  }
  return *t;
}

// The shape of an ASCII word of letters and digits: lower case when its
// first letter is (whatever follows), else AsciiShape.
TokenShape AsciiWordShape(std::string_view word) {
  size_t first_letter = 0;  // digits come before it ("1st", "2023")
  while (first_letter < word.size() && word[first_letter] <= '9') ++first_letter;
  return first_letter < word.size() && IsAsciiLower(word[first_letter]) ? TokenShape::kLower
                                                                          : AsciiShape(word);
}

}  // namespace

TokenShape WordShape(std::string_view word) {
  if (IsAscii(word)) return AsciiShape(word);
  // Each character's classes once (bit 0 a letter, 1 upper or title case, 2
  // lower case: IsLetter, IsUpper, IsLower), Latin letters from the table.
  const LatinClasses& latin = Latin();
  auto classes = [&latin](UChar32 c) -> unsigned {
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? 3u : c >= 'a' && c <= 'z' ? 5u : 0u;
    if (c < kFoldTableSize) return latin.bits[c];
    return (u_isalpha(c) || u_getCombiningClass(c) != 0 ? 1u : 0u) | (u_isupper(c) || u_istitle(c) ? 2u : 0u) |
           (u_islower(c) ? 4u : 0u);
  };
  int upper = 0, lower = 0, digits = 0, letters = 0;
  bool first_upper = false, seen_letter = false;
  // An upper-case letter right after a lower-case one ("CentroGeo"), or after
  // an all-capital part ("UN-Habitat": "UN" then "Habitat") makes a mixed word;
  // capitals that only open hyphen parts ("Saint-Laurent") do not.
  bool inner_capital = false;
  bool part_start = true;
  int part_upper = 0, part_letters = 0, caps_parts = 0;
  size_t i = 0;
  bool prev_lower = false;  // IsLower of the character before
  while (i < word.size()) {
    UChar32 c = Next(word, i);
    if (c == '-' || IsApostrophe(c)) {
      if (part_letters >= 2 && part_upper == part_letters) ++caps_parts;
      part_start = true;
      part_upper = part_letters = 0;
      prev_lower = false;
      continue;
    }
    const unsigned cls = classes(c);
    if (IsDigit(c)) {
      ++digits;
    } else if (cls & 1) {
      // A word whose first letter is not a capital is lower case.
      if (!seen_letter && !(cls & 2)) return TokenShape::kLower;
      ++letters;
      ++part_letters;
      if (cls & 2) {
        ++upper;
        ++part_upper;
        if (!seen_letter) first_upper = true;
        if (!part_start && prev_lower) inner_capital = true;
      } else if (cls & 4) {
        ++lower;
      }
      seen_letter = true;
      part_start = false;
    }
    prev_lower = (cls & 4) != 0;
  }
  if (letters == 0) return digits > 0 ? TokenShape::kNumber : TokenShape::kPunct;
  if (!first_upper) return TokenShape::kLower;
  if (lower == 0) return upper >= 2 ? TokenShape::kAllCaps : TokenShape::kCapitalized;
  if (inner_capital || caps_parts > 0) return TokenShape::kMixed;
  // "USLab": two capitals before the lower-case run.
  if (upper >= 2) {
    size_t j = 0;
    UChar32 a = Next(word, j);
    UChar32 b = Peek(word, j);
    if (IsUpper(a) && b >= 0 && IsUpper(b)) return TokenShape::kMixed;
  }
  return TokenShape::kCapitalized;
}

namespace {

// Where the next token lies among the line breaks, spaces and sentences
// before it.
struct PlaceState {
  int breaks = 0;
  bool space = false;
  bool sentence_start = true;
};

// Whether the word after punctuation token c (a code point) opens a
// sentence; `tokens` ends with c's.
inline bool OpensSentence(UChar32 c, const std::vector<NameToken>& tokens) {
  return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2022 ||
         (c == '-' && (tokens.size() < 2 || tokens[tokens.size() - 1].breaks_before > 0));
}

// The general case of TokenizeForNames, a code point at a time: the token (or
// white space) starting at text[i], added to `writer`; returns where the next
// one starts. Out of line, so that the common cases' state stays in
// registers.
[[gnu::noinline]] size_t CutGeneral(std::string_view text, size_t i, size_t end, TokenWriter& writer,
                                    PlaceState& st) {
  // Where the token lies among the line breaks, spaces and sentences before
  // it (t.shape set).
  auto place = [&st](NameToken& t, size_t b, size_t e) {
    const TokenShape shape = t.shape;
    t.span = {b, e};
    t.breaks_before = st.breaks;
    t.space_before = st.space || st.breaks > 0;
    if (st.breaks > 0) st.sentence_start = true;
    if (shape != TokenShape::kPunct) {
      t.sentence_start = st.sentence_start;
      st.sentence_start = false;
    }
    st.breaks = 0;
    st.space = false;
  };
  // A token of a known shape (punctuation, elisions, "'s"), or of the shape
  // its letters give when `word` (one pass for fold and shape).
  auto push = [&](size_t b, size_t e, TokenShape shape, bool word) {
    TokenShape word_shape;
    NameToken& t = AddFolded(writer, text.substr(b, e - b), word, &word_shape);
    t.shape = word ? word_shape : shape;
    place(t, b, e);
  };
  const size_t start = i;
  const UChar32 c = Next(text, i);
  if (c == 0xA0) {  // no-break space, the one white space past ASCII
    st.space = true;
    return i;
  }
  if (!IsWordChar(c)) {
    // Punctuation: one token per character.
    push(start, i, TokenShape::kPunct, false);
    if (OpensSentence(c, writer.tokens())) st.sentence_start = true;
    return i;
  }
  // A word: letters/digits with inner '-', '&', '.' between digits, and
  // apostrophes handled as elision / possessive / O'Name.
  size_t j = i;
  while (j < end) {
    // ASCII letters and digits first: most of every word.
    if (kAsciiWordFold[static_cast<unsigned char>(text[j])] != 0) {
      ++j;
      continue;
    }
    size_t k = j;
    UChar32 d = Next(text, k);
    if (IsWordChar(d)) {
      j = k;
      continue;
    }
    if ((d == '-' || d == '&') && k < end && IsWordChar(Peek(text, k))) {
      j = k;
      continue;
    }
    if (d == '.' && k < end && IsDigit(Peek(text, k)) && j > start &&
        IsDigit(static_cast<unsigned char>(text[j - 1]))) {
      j = k;  // "2.2"
      continue;
    }
    if (IsApostrophe(d) && k < end && IsLetter(Peek(text, k))) {
      const size_t len = j - start;
      UChar32 first = Peek(text, start);
      // "L'École" too; "O'Brien" and "D'Angelo" stay one word.
      if (len == 1 && (IsLower(first) || first == 'L')) {
        // Elision: "d'Action", "l'organisation" -> "d'" + next word.
        break;
      }
      if (len == 1 && IsUpper(first)) {
        j = k;  // "O'Brien", "D'Angelo"
        continue;
      }
    }
    break;
  }
  // Elision: include the apostrophe in the short lower-case token.
  const size_t word_end = j;
  if (j - start == 1 && j < end) {
    size_t k = j;
    UChar32 d = Next(text, k);
    if (IsApostrophe(d) && (IsLower(Peek(text, start)) || Peek(text, start) == 'L') && k < end &&
        IsLetter(Peek(text, k))) {
      push(start, k, TokenShape::kLower, false);
      return k;
    }
  }
  push(start, word_end, TokenShape::kLower, true);
  i = word_end;
  // Possessive "'s" as its own token.
  if (i < end) {
    size_t k = i;
    UChar32 d = Next(text, k);
    if (IsApostrophe(d) && k < end) {
      size_t k2 = k;
      UChar32 s = Next(text, k2);
      if ((s == 's' || s == 'S') && (k2 >= end || !IsWordChar(Peek(text, k2)))) {
        push(i, k2, TokenShape::kLower, false);
        i = k2;
      }
    }
  }
  return i;
}

// The ASCII letters and digits from text[j] on, lowered into *o and hashed
// into *h (FNV-1a, WordHash); returns where they end. Four bytes a round
// while four are left (one bound check a round).
inline size_t FoldAsciiRun(const unsigned char* s, size_t j, size_t end, char*& o, uint32_t& h) {
  unsigned char low;
  for (;;) {
    if (end - j < 4) {
      while (j < end && (low = kAsciiWordFold[s[j]]) != 0) {
        *o++ = static_cast<char>(low);
        h = (h ^ low) * 16777619u;
        ++j;
      }
      return j;
    }
    if ((low = kAsciiWordFold[s[j]]) == 0) return j;
    o[0] = static_cast<char>(low);
    h = (h ^ low) * 16777619u;
    if ((low = kAsciiWordFold[s[j + 1]]) == 0) {
      o += 1;
      return j + 1;
    }
    o[1] = static_cast<char>(low);
    h = (h ^ low) * 16777619u;
    if ((low = kAsciiWordFold[s[j + 2]]) == 0) {
      o += 2;
      return j + 2;
    }
    o[2] = static_cast<char>(low);
    h = (h ^ low) * 16777619u;
    if ((low = kAsciiWordFold[s[j + 3]]) == 0) {
      o += 3;
      return j + 3;
    }
    o[3] = static_cast<char>(low);
    h = (h ^ low) * 16777619u;
    o += 4;
    j += 4;
  }
}

// Whether a byte after a run of word bytes ends the word: ASCII but '-', '&',
// an apostrophe and '.' (which ends it but between digits: looked at apart).
inline constexpr std::array<bool, 256> kEndsAWord = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x80; ++c) t[c] = c != '-' && c != '&' && c != '\'' && c != '.';
  return t;
}();

// The code point of the two-byte Latin letter at text[j] (below
// kFoldTableSize, folding to two bytes at most: what the general case folds
// with FoldedCodePoint and shapes as a letter), else 0.
inline UChar32 LatinLetterAt(const unsigned char* s, size_t j, size_t end, const LatinClasses& latin) {
  if (j + 1 >= end || s[j] < 0xC2 || s[j] > 0xC9 || (s[j + 1] & 0xC0) != 0x80) return 0;
  const UChar32 c = ((s[j] & 0x1F) << 6) | (s[j + 1] & 0x3F);
  return c < kFoldTableSize && (latin.bits[c] & 1) && latin.folded_size[c] != 0 ? c : 0;
}

// TokenizeForNames; with `general_only`, every token cut by the general
// case (the tests compare the two); with `reuse`, in its buffers.
template <bool general_only>
ItemNameTokens Tokenize(std::string_view text, Span span, ItemNameTokens* reuse) {
  const LatinClasses& latin = Latin();
  const auto* const s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = span.begin;
  const size_t end = std::min(span.end, text.size());
  TokenWriter writer(end > i ? end - i : 0, reuse);
  // Where the next token lies (PlaceState), in locals: CutGeneral gets and
  // gives them back.
  int breaks = 0;
  bool space = false;
  bool sentence_start = true;
  while (general_only && i < end) {
    const NameByte cls = kNameByteClass[s[i]];
    if (cls == NameByte::kSpace || cls == NameByte::kBreak) {
      breaks += cls == NameByte::kBreak;
      space |= cls == NameByte::kSpace;
      ++i;
      continue;
    }
    PlaceState st{breaks, space, sentence_start};
    i = CutGeneral(text, i, end, writer, st);
    breaks = st.breaks;
    space = st.space;
    sentence_start = st.sentence_start;
  }
  // The folded text's buffer in locals while the fast paths run (the
  // writer's fields, in memory, would be read again after each byte stored
  // through a char*); handed back and forth around the general case.
  std::vector<NameToken>& tokens = writer.tokens();
  char* fdata = writer.data();
  size_t fsize = writer.size();
  size_t used = writer.used();
  while (i < end) {
    // ASCII bytes by their class (byte_class.h); only the bytes of other
    // characters and words that go on past a non-word byte take the general
    // case (CutGeneral), a code point at a time.
    unsigned char byte = s[i];
    const NameByte cls = kNameByteClass[byte];
    if (cls == NameByte::kSpace) {
      space = true;
      ++i;
      continue;
    }
    // A word's first letter: an ASCII letter or digit, or a two-byte Latin
    // letter (LatinClasses) that folds to two bytes at most.
    bool word = cls == NameByte::kWord;
    if (cls == NameByte::kNonAscii) word = LatinLetterAt(s, i, end, latin) != 0;
    if (word) {
    word_at_i:
      // Most words: ASCII letters and digits, and Latin letters of two bytes,
      // up to a byte that ends any word (not '-', '&', '.' between digits, an
      // apostrophe or another non-ASCII character, which the general case
      // looks at). No elision, no "'s". One pass finds the run, folds it
      // into the folded text and hashes it (WordHash); a run that does not
      // end a word leaves those bytes unused. The folded text is never
      // longer than the written one here.
      if (used + (end - i) > fsize) {
        writer.set_used(used);
        writer.Reserve(end - i);
        fdata = writer.data();
        fsize = writer.size();
      }
      char* const out = fdata + used;
      char* o = out;
      uint32_t h = 2166136261u;
      size_t j = i;
      bool accents = false;
      for (;;) {
        j = FoldAsciiRun(s, j, end, o, h);
        if (j == end || s[j] < 0x80) break;  // most words end at an ASCII byte
        const UChar32 c = LatinLetterAt(s, j, end, latin);
        if (c == 0) break;
        const uint8_t n = latin.folded_size[c];
        for (uint8_t k = 0; k < n; ++k) {
          o[k] = latin.folded[c][k];
          h = (h ^ static_cast<unsigned char>(o[k])) * 16777619u;
        }
        o += n;
        j += 2;
        accents = true;
      }
      const unsigned char after = j < end ? s[j] : ' ';
      bool ends = kEndsAWord[after];
      if (after == '.') ends = !(IsDigit(s[j - 1]) && j + 1 < end && IsDigit(s[j + 1]));
      if (ends) {
        // Lower case when the first letter is (whatever follows), as most
        // words' first byte is; a capital and lower-case letters is
        // capitalized (AsciiShape's first case), read here without a call.
        TokenShape shape = TokenShape::kLower;
        if (accents) {
          size_t k = i;
          while (IsDigit(s[k])) ++k;  // a letter follows
          if (!IsAsciiLower(static_cast<char>(s[k]))) shape = WordShape(text.substr(i, j - i));
        } else if (IsAsciiUpper(static_cast<char>(byte))) {
          size_t k = i + 1;
          while (k < j && IsAsciiLower(static_cast<char>(s[k]))) ++k;
          shape = k == j ? TokenShape::kCapitalized : AsciiShape(std::string_view(text.data() + i, j - i));
        } else if (!IsAsciiLower(static_cast<char>(byte))) {
          // A digit first: digits only are a number (AsciiShape's counter
          // finds no letter), else the shape of the letters after.
          size_t k = i + 1;
          while (k < j && IsDigit(s[k])) ++k;
          shape = k == j ? TokenShape::kNumber : AsciiWordShape(std::string_view(text.data() + i, j - i));
        }
        if (breaks > 0) sentence_start = true;
        tokens.emplace_back(Span{i, j}, std::string_view(out, static_cast<size_t>(o - out)), h, 0u, breaks,
                            shape, sentence_start, space || breaks > 0);
        used += static_cast<size_t>(o - out);
        sentence_start = false;
        breaks = 0;
        space = false;
        i = j;
        // A space and another ASCII word, the commonest sequel: no trip
        // through the byte classes.
        if (i + 1 < end && s[i] == ' ' && kNameByteClass[s[i + 1]] == NameByte::kWord) {
          space = true;
          byte = s[++i];
          goto word_at_i;
        }
        continue;
      }
    } else if (cls == NameByte::kBreak) {
      ++breaks;
      ++i;
      continue;
    } else if (cls == NameByte::kOther) {
      // ASCII punctuation or a control byte: a token of its own, folded to
      // itself (FoldText leaves ASCII but letters as it is).
      if (used + 1 > fsize) {
        writer.set_used(used);
        writer.Reserve(1);
        fdata = writer.data();
        fsize = writer.size();
      }
      fdata[used] = static_cast<char>(byte);
      if (breaks > 0) sentence_start = true;
      tokens.emplace_back(Span{i, i + 1}, std::string_view(fdata + used, 1), (2166136261u ^ byte) * 16777619u, 0u,
                          breaks, TokenShape::kPunct, false, space || breaks > 0);
      ++used;
      breaks = 0;
      space = false;
      ++i;
      if (OpensSentence(byte, tokens)) sentence_start = true;
      continue;
    }
    PlaceState st{breaks, space, sentence_start};
    writer.set_used(used);
    i = CutGeneral(text, i, end, writer, st);
    fdata = writer.data();
    fsize = writer.size();
    used = writer.used();
    breaks = st.breaks;
    space = st.space;
    sentence_start = st.sentence_start;
  }
  writer.set_used(used);
  return writer.Finish(span);
}

}  // namespace

ItemNameTokens TokenizeForNames(std::string_view text, Span span) {
  return Tokenize<false>(text, span, nullptr);
}

void TokenizeForNamesInto(std::string_view text, Span span, ItemNameTokens* out) {
  *out = Tokenize<false>(text, span, out);
}

ItemNameTokens TokenizeForNamesInGeneral(std::string_view text, Span span) {
  return Tokenize<true>(text, span, nullptr);
}

}  // namespace newsevents
