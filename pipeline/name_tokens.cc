#include "pipeline/name_tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace newsevents {
namespace {

// A code point at byte i of s (advances i); -1 for a bad byte.
UChar32 Next(std::string_view s, size_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, pos, static_cast<int32_t>(s.size()), c);
  i = static_cast<size_t>(pos);
  return c;
}

UChar32 Peek(std::string_view s, size_t i) {
  if (i >= s.size()) return -1;
  return Next(s, i);
}

bool IsLetter(UChar32 c) { return c >= 0 && (u_isalpha(c) || u_getCombiningClass(c) != 0); }
bool IsDigit(UChar32 c) { return c >= '0' && c <= '9'; }
bool IsWordChar(UChar32 c) { return IsLetter(c) || IsDigit(c); }
bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }

}  // namespace

std::string FoldWord(std::string_view word) {
  bool ascii = true;
  for (char ch : word) ascii &= static_cast<unsigned char>(ch) < 0x80;
  if (!ascii) return FoldText(word);
  std::string out(word);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

TokenShape WordShape(std::string_view word) {
  int upper = 0, lower = 0, digits = 0, letters = 0;
  bool first_upper = false, seen_letter = false;
  // An upper-case letter right after a lower-case one ("CentroGeo"), or after
  // an all-capital part ("UN-Habitat": "UN" then "Habitat") makes a mixed word;
  // capitals that only open hyphen parts ("Saint-Laurent") do not.
  bool inner_capital = false;
  bool part_start = true;
  int part_upper = 0, part_letters = 0, caps_parts = 0;
  size_t i = 0;
  UChar32 prev = -1;
  while (i < word.size()) {
    UChar32 c = Next(word, i);
    if (c == '-' || IsApostrophe(c)) {
      if (part_letters >= 2 && part_upper == part_letters) ++caps_parts;
      part_start = true;
      part_upper = part_letters = 0;
      prev = c;
      continue;
    }
    if (IsDigit(c)) {
      ++digits;
    } else if (IsLetter(c)) {
      ++letters;
      ++part_letters;
      if (u_isupper(c) || u_istitle(c)) {
        ++upper;
        ++part_upper;
        if (!seen_letter) first_upper = true;
        if (!part_start && prev >= 0 && u_islower(prev)) inner_capital = true;
      } else if (u_islower(c)) {
        ++lower;
      }
      seen_letter = true;
      part_start = false;
    }
    prev = c;
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
    if (u_isupper(a) && b >= 0 && u_isupper(b)) return TokenShape::kMixed;
  }
  return TokenShape::kCapitalized;
}

std::vector<NameToken> TokenizeForNames(std::string_view text, Span span) {
  std::vector<NameToken> tokens;
  size_t i = span.begin;
  const size_t end = std::min(span.end, text.size());
  int breaks = 0;
  bool space = false;
  bool sentence_start = true;
  auto push = [&](size_t b, size_t e, TokenShape shape) {
    NameToken t;
    t.span = {b, e};
    t.folded = FoldWord(text.substr(b, e - b));
    t.shape = shape;
    t.breaks_before = breaks;
    t.space_before = space || breaks > 0;
    if (breaks > 0) sentence_start = true;
    if (shape != TokenShape::kPunct) {
      t.sentence_start = sentence_start;
      sentence_start = false;
    }
    breaks = 0;
    space = false;
    tokens.push_back(std::move(t));
  };
  while (i < end) {
    size_t start = i;
    UChar32 c = Next(text, i);
    if (c == '\n') {
      ++breaks;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == 0xA0) {
      space = true;
      continue;
    }
    if (IsWordChar(c)) {
      // A word: letters/digits with inner '-', '&', '.' between digits, and
      // apostrophes handled as elision / possessive / O'Name.
      size_t j = i;
      while (j < end) {
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
          if (len == 1 && u_islower(first)) {
            // Elision: "d'Action", "l'organisation" -> "d'" + next word.
            break;
          }
          if (len == 1 && u_isupper(first)) {
            j = k;  // "O'Brien", "D'Angelo"
            continue;
          }
        }
        break;
      }
      // Elision: include the apostrophe in the short lower-case token.
      size_t word_end = j;
      if (j - start == 1 && j < end) {
        size_t k = j;
        UChar32 d = Next(text, k);
        if (IsApostrophe(d) && u_islower(Peek(text, start)) && k < end && IsLetter(Peek(text, k))) {
          push(start, k, TokenShape::kLower);
          i = k;
          continue;
        }
      }
      push(start, word_end, WordShape(text.substr(start, word_end - start)));
      i = word_end;
      // Possessive "'s" as its own token.
      if (i < end) {
        size_t k = i;
        UChar32 d = Next(text, k);
        if (IsApostrophe(d) && k < end) {
          size_t k2 = k;
          UChar32 s = Next(text, k2);
          if ((s == 's' || s == 'S') && (k2 >= end || !IsWordChar(Peek(text, k2)))) {
            push(i, k2, TokenShape::kLower);
            i = k2;
          }
        }
      }
      continue;
    }
    // Punctuation: one token per character.
    push(start, i, TokenShape::kPunct);
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2022 ||
        (c == '-' && (tokens.size() < 2 || tokens[tokens.size() - 1].breaks_before > 0)))
      sentence_start = true;
  }
  return tokens;
}

}  // namespace newsevents
