#include "pipeline/text_blocks.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace newsevents {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// Letters and capitals of U+0080..U+07FF (two UTF-8 bytes: the Latin,
// Greek and Cyrillic letters of most texts), as ICU classes them, made once:
// bit 0 letter, bit 1 upper case.
const std::array<uint8_t, 0x800>& TwoByteClasses() {
  static const std::array<uint8_t, 0x800> table = [] {
    std::array<uint8_t, 0x800> t{};
    for (UChar32 c = 0x80; c < 0x800; ++c)
      if (u_isalpha(c)) t[c] = static_cast<uint8_t>(1 | (u_isupper(c) ? 2 : 0));
    return t;
  }();
  return table;
}

// Sets block.last: the last byte of its span that is not a space or a
// closing quote or bracket.
void FindLast(std::string_view text, TextBlock& block) {
  for (size_t k = block.span.end; k > block.span.begin; --k) {
    const char c = text[k - 1];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || IsSpace(c)) continue;
    block.last = c;
    return;
  }
}

// Whether text[b, e) holds a letter (as Measure counts them).
bool HasLetter(std::string_view text, size_t b, size_t e) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = b; i < e;) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      if (static_cast<uint8_t>((c | 0x20) - 'a') < 26) return true;
      ++i;
      continue;
    }
    int32_t at = static_cast<int32_t>(i);
    UChar32 u;
    U8_NEXT(s, at, static_cast<int32_t>(e), u);
    i = static_cast<size_t>(at);
    if (u >= 0 && u_isalpha(u)) return true;
  }
  return false;
}

// Bit i of each mask says what byte i of 64 is.
struct ByteMasks {
  uint64_t separator = 0;  // ' ', '\n', '\t'
  uint64_t lower = 0;      // a-z
  uint64_t upper = 0;      // A-Z
  uint64_t digit = 0;      // 0-9
  uint64_t high = 0;       // >= 0x80
};

ByteMasks Masks64(const uint8_t* p) {
  ByteMasks m;
#if defined(__SSE2__)
  // Signed compares: adding 128 - lo moves [lo, lo + n) to [-128, -128 + n).
  const __m128i lower_shift = _mm_set1_epi8(static_cast<char>(128 - 'a'));
  const __m128i upper_shift = _mm_set1_epi8(static_cast<char>(128 - 'A'));
  const __m128i letter_limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
  const __m128i digit_shift = _mm_set1_epi8(static_cast<char>(128 - '0'));
  const __m128i digit_limit = _mm_set1_epi8(static_cast<char>(-128 + 10));
  const __m128i space = _mm_set1_epi8(' '), line = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
  const __m128i zero = _mm_setzero_si128();
  auto bits = [](__m128i x, int k) {
    return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(x))) << (16 * k);
  };
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    m.separator |= bits(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, line)),
                                     _mm_cmpeq_epi8(v, tab)), k);
    m.lower |= bits(_mm_cmplt_epi8(_mm_add_epi8(v, lower_shift), letter_limit), k);
    m.upper |= bits(_mm_cmplt_epi8(_mm_add_epi8(v, upper_shift), letter_limit), k);
    m.digit |= bits(_mm_cmplt_epi8(_mm_add_epi8(v, digit_shift), digit_limit), k);
    m.high |= bits(_mm_cmplt_epi8(v, zero), k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const uint8_t c = p[k];
    const uint64_t bit = uint64_t{1} << k;
    if (c == ' ' || c == '\n' || c == '\t') m.separator |= bit;
    if (c >= 'a' && c <= 'z') m.lower |= bit;
    if (c >= 'A' && c <= 'Z') m.upper |= bit;
    if (c >= '0' && c <= '9') m.digit |= bit;
    if (c >= 0x80) m.high |= bit;
  }
#endif
  return m;
}

// Counts the letters, upper-case letters and words of the block (lines
// joined to it included: the line break and spaces between two lines are
// no letters and end a word, so the counts of the whole are those of its
// lines added up), stopping early as TextBlock says. A token (a run of
// bytes between separators) is a word when it holds a letter or digit.
//
// 64 bytes at a time, from bit masks: letters are counted by the masks'
// bits, a non-ASCII character by decoding it (two bytes from a table made
// from ICU, longer ones by ICU), and the tokens that end in the block are
// told by two additions. Tokens are the runs of non-separator bits; adding
// each run's lowest bit to the run carries out into the separator after it,
// and adding it to the run without its letters and digits carries out only
// when the run holds none. So the separators set by the first sum and not
// by the second close a word.
void Measure(std::string_view text, TextBlock& block) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const std::array<uint8_t, 0x800>& two_byte = TwoByteClasses();
  const size_t end = block.span.end;
  bool token_counts = false;  // the token open before i holds a letter or digit
  int words = 0, letters = 0, upper = 0;
  size_t decoded = block.span.begin;  // non-ASCII bytes before this belong to a decoded character
  for (size_t i = block.span.begin; i < end; i += 64) {
    if (words >= TextBlock::kWordsCounted && letters >= 4 &&
        static_cast<int64_t>(end - i) < 9 * static_cast<int64_t>(letters) - 10 * upper)
      break;  // the rest cannot change what the counts tell
    ByteMasks m;
    uint64_t in_block = ~uint64_t{0};
    if (end - i >= 64) {
      m = Masks64(s + i);
    } else {  // the last bytes, in a block of zeros (no separator, letter or digit)
      uint8_t last[64] = {};
      std::memcpy(last, s + i, end - i);
      m = Masks64(last);
      in_block = (uint64_t{1} << (end - i)) - 1;
    }
    uint64_t counts = m.lower | m.upper | m.digit;
    letters += std::popcount(m.lower | m.upper);
    upper += std::popcount(m.upper);
    // Non-ASCII characters, decoded where the last one ended.
    for (uint64_t high = m.high & in_block; high != 0; high &= high - 1) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(high));
      if (at < decoded) continue;  // a continuation byte of the last character
      const uint8_t lead = s[at];
      uint8_t k = 0;
      if (lead >= 0xC2 && lead <= 0xDF && at + 1 < end && (s[at + 1] & 0xC0) == 0x80) {
        k = two_byte[(static_cast<uint32_t>(lead & 0x1F) << 6) | (s[at + 1] & 0x3F)];
        decoded = at + 2;
      } else {
        int32_t next = static_cast<int32_t>(at);
        UChar32 c;
        U8_NEXT(s, next, static_cast<int32_t>(end), c);
        decoded = static_cast<size_t>(next);
        if (c >= 0 && u_isalpha(c)) k = static_cast<uint8_t>(1 | (u_isupper(c) ? 2 : 0));
      }
      if (k != 0) {
        ++letters;
        upper += k >> 1;
        counts |= uint64_t{1} << (at - i);
      }
    }
    // Bytes past the block's end go on with the last token (no separator).
    const uint64_t separator = m.separator & in_block;
    const uint64_t run = ~separator;
    if ((separator & 1) && token_counts) ++words;  // the token from before ends at bit 0
    if ((run & 1) && token_counts) counts |= 1;    // ... or goes on: it holds a letter already
    const uint64_t starts = run & ~(run << 1);
    const uint64_t closed = (run + starts) & ~((run & ~counts) + starts) & separator;
    words += std::popcount(closed);
    // The token open at bit 63, if any: does it hold a letter or digit?
    if (separator >> 63) {
      token_counts = false;
    } else {
      const uint64_t after = separator == 0 ? ~uint64_t{0}
                                            : ~uint64_t{0} << (64 - std::countl_zero(separator));
      token_counts = (counts & after) != 0;
    }
  }
  words += token_counts;
  block.words = words;
  block.letters = letters;
  block.upper = upper;
}

bool EndsSentence(char c) { return c == '.' || c == '!' || c == '?' || c == ':' || c == ';'; }

bool StartsLower(std::string_view text, size_t at) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(s, i, static_cast<int32_t>(text.size()), c);
  return c >= 0 && u_islower(c);
}

}  // namespace

std::vector<TextBlock> SplitTextBlocks(std::string_view text) {
  // The blocks' spans first (a line joins the block above when that one
  // does not end a sentence and has a letter), then their counts.
  std::vector<TextBlock> blocks;
  int blanks = 0;
  bool joinable = false;  // the last block may continue on the next line
  bool has_letter = false;  // the last block has a letter
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    size_t b = pos, e = eol;
    while (b < e && IsSpace(text[b])) ++b;
    while (e > b && IsSpace(text[e - 1])) --e;
    pos = eol + 1;
    if (b == e) {
      ++blanks;
      joinable = false;
      continue;
    }
    if (joinable && blanks == 0 && StartsLower(text, b)) {
      blocks.back().span.end = e;
      has_letter = has_letter || HasLetter(text, b, e);
    } else {
      TextBlock block;
      block.span = {b, e};
      block.blank_lines_before = blanks;
      blocks.push_back(block);
      has_letter = HasLetter(text, b, e);
    }
    FindLast(text, blocks.back());
    joinable = !EndsSentence(blocks.back().last) && has_letter;
    blanks = 0;
  }
  for (TextBlock& block : blocks) Measure(text, block);
  return blocks;
}

bool BlankLineLayout(const std::vector<TextBlock>& blocks) {
  if (blocks.size() < 2) return true;
  size_t separated = 0;
  for (size_t i = 1; i < blocks.size(); ++i)
    if (blocks[i].blank_lines_before > 0) ++separated;
  return separated * 2 >= blocks.size() - 1;
}

}  // namespace newsevents
