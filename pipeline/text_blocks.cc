#include "pipeline/text_blocks.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace newsevents {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// What Measure needs to know of an ASCII byte: a separator ends a token
// (' ', '\n', '\t'); a letter or digit makes the token count as a word.
enum : uint8_t { kSeparator = 1, kCounts = 2 };

constexpr std::array<uint8_t, 128> AsciiClasses() {
  std::array<uint8_t, 128> t{};
  t[' '] = t['\n'] = t['\t'] = kSeparator;
  for (int c = '0'; c <= '9'; ++c) t[c] = kCounts;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kCounts;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kCounts;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClasses = AsciiClasses();

// Eight ASCII bytes at once, as bit masks with 0x80 set in the bytes that
// are in a range or equal a byte: for a byte x < 0x80, (x | 0x80) - c keeps
// its top bit exactly when x >= c, and never borrows from the next byte.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
inline uint64_t AtLeast(uint64_t x, uint8_t c) { return ((x | kHigh) - kOnes * c) & kHigh; }
inline uint64_t InRange(uint64_t x, uint8_t lo, uint8_t hi) {
  return AtLeast(x, lo) & ~AtLeast(x, static_cast<uint8_t>(hi + 1));
}
inline uint64_t Equal(uint64_t x, uint8_t c) { return ~AtLeast(x ^ (kOnes * c), 1) & kHigh; }
// The bytes set in such a mask (one multiplication adds them all up in the
// top byte: no popcount instruction in the baseline x86-64 set).
inline int Count(uint64_t mask) { return static_cast<int>(((mask >> 7) * kOnes) >> 56); }

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

// Counts the letters, upper-case letters and words of the block (lines
// joined to it included: the line break and spaces between two lines are
// no letters and end a word, so the counts of the whole are those of its
// lines added up), stopping early as TextBlock says. A token (a run of
// bytes between separators) is a word when it holds a letter or digit.
void Measure(std::string_view text, TextBlock& block) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const std::array<uint8_t, 0x800>& two_byte = TwoByteClasses();
  size_t i = block.span.begin;
  const size_t end = block.span.end;
  bool token_counts = false;
  int words = 0, letters = 0, upper = 0;
  // The first n ASCII bytes of the eight in v (n > 0): letters and
  // upper-case letters counted by their masks, and each separator closes a
  // token, a word if a letter or digit came since the one before. Bytes
  // from n on may be non-ASCII: the masks are cut there.
  auto ascii = [&](uint64_t v, int n) {
    const uint64_t keep = n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
    const uint64_t up = InRange(v, 'A', 'Z') & keep;
    const uint64_t letter = up | (InRange(v, 'a', 'z') & keep);
    letters += Count(letter);
    upper += Count(up);
    uint64_t counts = letter | (InRange(v, '0', '9') & keep);
    for (uint64_t sep = (Equal(v, ' ') | Equal(v, '\n') | Equal(v, '\t')) & keep; sep != 0;
         sep &= sep - 1) {
      const uint64_t before = (sep & (~sep + 1)) - 1;  // the bytes before this separator
      token_counts |= (counts & before) != 0;
      words += token_counts;
      token_counts = false;
      counts &= ~before;
    }
    token_counts |= counts != 0;
  };
  while (i < end) {
    if (words >= TextBlock::kWordsCounted && letters >= 4 &&
        static_cast<int64_t>(end - i) < 9 * static_cast<int64_t>(letters) - 10 * upper)
      break;  // the rest cannot change what the counts tell
    if (i + 8 <= end) {
      uint64_t v;
      std::memcpy(&v, s + i, 8);
      const uint64_t high = v & kHigh;
      const int n = high == 0 ? 8 : std::countr_zero(high) / 8;  // ASCII bytes first
      if (n > 0) ascii(v, n);
      i += static_cast<size_t>(n);
      if (n == 8) continue;
      // A non-ASCII character at i: two bytes from a table, others by ICU.
      const uint8_t lead = s[i];
      if (lead >= 0xC2 && lead <= 0xDF && i + 1 < end && (s[i + 1] & 0xC0) == 0x80) {
        const uint8_t k = two_byte[(static_cast<uint32_t>(lead & 0x1F) << 6) | (s[i + 1] & 0x3F)];
        letters += k & 1;
        upper += k >> 1;
        token_counts |= k != 0;
        i += 2;
        continue;
      }
    }
    const uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      letters += (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
      upper += b >= 'A' && b <= 'Z';
      const uint8_t k = kAsciiClasses[b];
      if (k & kSeparator) {
        words += token_counts;
        token_counts = false;
      } else {
        token_counts |= (k & kCounts) != 0;
      }
      continue;
    }
    int32_t at = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(s, at, static_cast<int32_t>(end), c);
    i = static_cast<size_t>(at);
    if (c >= 0 && u_isalpha(c)) {
      ++letters;
      upper += u_isupper(c) != 0;
      token_counts = true;
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
