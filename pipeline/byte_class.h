// Byte classes: of the story text, tested 16 or 64 bytes at a time; and of
// the raw text name tokens are cut from, looked up a byte at a time.
//
// Story keys and ids read every byte of every item twice (white space to
// collapse, words to hash), and a test per byte costs more than everything
// else done with a word. With SSE2 (every x86-64) a block's class is one
// compare per class and a movemask; elsewhere the same masks are built a byte
// at a time, so results never depend on the machine.
//
//   const uint64_t words = WordByteMask64(p);  // bit i: p[i] is a word byte
//
// Name tokens (name_tokens.h) are cut from text that is not folded, where a
// byte's class is one table look-up instead of a chain of compares, and an
// ASCII word's folded byte is another:
//
//   switch (kNameByteClass[b]) { case NameByte::kWord: ... }
//   while ((low = kAsciiWordFold[b]) != 0) ...  // a word's bytes, lowered
#ifndef NEWSEVENTS_BYTE_CLASS_H_
#define NEWSEVENTS_BYTE_CLASS_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newsevents {

// White space of folded text: space, line feed, tab (a normalized text has
// no carriage return).
inline bool IsStorySpace(unsigned char c) { return c == ' ' || c == '\n' || c == '\t'; }

// A byte of a word for MinHash: a-z, 0-9, and any non-ASCII byte (so every
// script has words).
inline bool IsSketchWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Bit i set when p[i] is an ASCII digit, a letter (lower-case only, or
// either case with `kEitherCase`), or any byte >= 0x80, for the 64 bytes at
// p (all must be readable): the two word-byte masks below, which differ in
// their letter test alone.
template <bool kEitherCase>
inline uint64_t AlnumOrHighMask64Of(const char* p) {
#if defined(__SSE2__)
  uint64_t mask = 0;
  // Signed compares: adding 128 - lo moves [lo, lo + n) to [-128, -128 + n).
  const __m128i lower = _mm_set1_epi8(kEitherCase ? 0x20 : 0);
  const __m128i letter_shift = _mm_set1_epi8(static_cast<char>(128 - 'a'));
  const __m128i letter_limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
  const __m128i digit_shift = _mm_set1_epi8(static_cast<char>(128 - '0'));
  const __m128i digit_limit = _mm_set1_epi8(static_cast<char>(-128 + 10));
  const __m128i zero = _mm_setzero_si128();
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    // v | 0x20 lowers A-Z and moves no other byte into a-z.
    const __m128i letter =
        _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, lower), letter_shift), letter_limit);
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, digit_shift), digit_limit);
    const __m128i high = _mm_cmplt_epi8(v, zero);  // bytes >= 0x80
    const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), high);
    mask |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(word))) << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const auto l = static_cast<unsigned char>(kEitherCase ? c | 0x20 : c);
    const bool word = (l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    mask |= static_cast<uint64_t>(word) << i;
  }
  return mask;
#endif
}

// Bit i set when p[i] is a word byte (IsSketchWordByte), for the 64 bytes
// at p (all must be readable).
inline uint64_t WordByteMask64(const char* p) { return AlnumOrHighMask64Of<false>(p); }

// Bit i set when p[i] is an ASCII character other than a letter (and other
// than a space unless `spaces`), for the 64 bytes at p (all must be
// readable): the characters a rule pattern may be unable to match
// (RuleScanner's walls; letters always match, case folding reaches them).
inline uint64_t AsciiNonLetterMask64(const char* p, bool spaces) {
#if defined(__SSE2__)
  uint64_t mask = 0;
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i letter_shift = _mm_set1_epi8(static_cast<char>(128 - 'a'));
  const __m128i letter_limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
  // With `spaces`, a byte the high test skips already.
  const __m128i space = _mm_set1_epi8(spaces ? static_cast<char>(0x80) : ' ');
  const __m128i zero = _mm_setzero_si128();
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i letter =
        _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, lower), letter_shift), letter_limit);
    const __m128i high = _mm_cmplt_epi8(v, zero);  // bytes >= 0x80
    const __m128i skip = _mm_or_si128(_mm_or_si128(letter, high), _mm_cmpeq_epi8(v, space));
    mask |= static_cast<uint64_t>(static_cast<uint16_t>(~_mm_movemask_epi8(skip))) << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    mask |= static_cast<uint64_t>(c < 0x80 && !letter && (spaces || c != ' ')) << i;
  }
  return mask;
#endif
}

// Bit i set when p[i] is an RE2 word character ([0-9A-Za-z_]), for the 64
// bytes at p (all must be readable); `leads` gets bit i when p[i] is 0xE2 or
// 0xC5, the lead bytes of U+212A and U+017F, which (?i:k) and (?i:s) match
// (rule_search.h: ItemWordStarts::cues_hold). Word starts are found with it
// on every item's text, once for the stages and once folded.
inline uint64_t CueWordByteMask64(const char* p, uint64_t* leads) {
#if defined(__SSE2__)
  uint64_t mask = 0, lead = 0;
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i letter_shift = _mm_set1_epi8(static_cast<char>(128 - 'a'));
  const __m128i letter_limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
  const __m128i digit_shift = _mm_set1_epi8(static_cast<char>(128 - '0'));
  const __m128i digit_limit = _mm_set1_epi8(static_cast<char>(-128 + 10));
  const __m128i underscore = _mm_set1_epi8('_');
  const __m128i kelvin_lead = _mm_set1_epi8(static_cast<char>(0xE2));
  const __m128i long_s_lead = _mm_set1_epi8(static_cast<char>(0xC5));
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    // v | 0x20 lowers A-Z and moves no other byte into a-z.
    const __m128i letter =
        _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, lower), letter_shift), letter_limit);
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, digit_shift), digit_limit);
    const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, underscore));
    const __m128i lead_byte = _mm_or_si128(_mm_cmpeq_epi8(v, kelvin_lead), _mm_cmpeq_epi8(v, long_s_lead));
    mask |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(word))) << (16 * i);
    lead |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(lead_byte))) << (16 * i);
  }
  *leads = lead;
  return mask;
#else
  uint64_t mask = 0, lead = 0;
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    mask |= static_cast<uint64_t>(word) << i;
    lead |= static_cast<uint64_t>(c == 0xE2 || c == 0xC5) << i;
  }
  *leads = lead;
  return mask;
#endif
}

// Bit i set when p[i] is an ASCII letter (either case) or digit, or any
// byte >= 0x80: the word bytes of the segmenter's folded text (segment.cc),
// for the 64 bytes at p (all must be readable).
inline uint64_t AlnumOrHighMask64(const char* p) { return AlnumOrHighMask64Of<true>(p); }

// Calls f(begin, end) for each maximal run text[begin, end) of bytes whose
// bit `mask64` sets (a function like AlnumOrHighMask64), in order, from 64
// bytes at a time: a run starts at a set bit after a clear one and ends at
// the first clear bit after it, so a word costs a few instructions and a
// byte a fraction of one.
template <typename Mask, typename F>
void ForEachByteRun(std::string_view text, Mask&& mask64, F&& f) {
  const char* const s = text.data();
  const size_t n = text.size();
  size_t open = 0;     // start of the run the last block ended in
  uint64_t carry = 0;  // 1 when the last block ended in a run
  for (size_t at = 0; at < n || carry; at += 64) {
    uint64_t mask;
    if (n - std::min(n, at) >= 64) {
      mask = mask64(s + at);
    } else {  // the last bytes, in a block of zeros (no run bytes: zero is none)
      char last[64] = {};
      if (at < n) std::memcpy(last, s + at, n - at);
      mask = mask64(last);
      if (at < n && n - at < 64) mask &= (uint64_t{1} << (n - at)) - 1;
      if (at >= n) mask = 0;
    }
    const uint64_t before = (mask << 1) | carry;  // bit i: byte i - 1 is in a run
    uint64_t starts = mask & ~before;
    uint64_t ends = ~mask & before;  // bit i: byte i is the first after a run
    carry = mask >> 63;
    size_t begin = open;
    bool in_run = (before & 1) != 0;
    while (true) {
      if (in_run) {
        if (!ends) break;  // goes on in the next block
        const size_t end = at + static_cast<size_t>(std::countr_zero(ends));
        ends &= ends - 1;
        f(begin, end);
        in_run = false;
      }
      if (!starts) break;
      begin = at + static_cast<size_t>(std::countr_zero(starts));
      starts &= starts - 1;
      in_run = true;
    }
    open = begin;
  }
}

// What the name tokenizer does with a byte of raw text.
enum class NameByte : uint8_t {
  kOther,     // ASCII punctuation and controls: a token of its own, or inside a word
  kWord,      // A-Z, a-z, 0-9: goes on with a word
  kSpace,     // space, tab, carriage return
  kBreak,     // line feed
  kNonAscii,  // a byte of a multi-byte character: decoded to a code point
};

inline constexpr std::array<NameByte, 256> kNameByteClass = [] {
  std::array<NameByte, 256> table{};
  for (int c = 0; c < 256; ++c) {
    NameByte cls = NameByte::kOther;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      cls = NameByte::kWord;
    else if (c == ' ' || c == '\t' || c == '\r')
      cls = NameByte::kSpace;
    else if (c == '\n')
      cls = NameByte::kBreak;
    else if (c >= 0x80)
      cls = NameByte::kNonAscii;
    table[c] = cls;
  }
  return table;
}();

// An ASCII letter or digit lowered ('A' -> 'a', 'a' -> 'a', '7' -> '7'); 0 for
// every other byte, so a word's run ends where the value is 0.
inline constexpr std::array<unsigned char, 256> kAsciiWordFold = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c)
    if (kNameByteClass[c] == NameByte::kWord)
      table[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return table;
}();

}  // namespace newsevents

#endif  // NEWSEVENTS_BYTE_CLASS_H_
