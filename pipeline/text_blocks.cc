#include "pipeline/text_blocks.h"

#include <array>
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

// Adds the letters, upper-case letters and words of text[from, block end)
// to the block's counts (from its start: all of them). A line joined to a
// block is measured alone: the line break before it ends the block's last
// word, so the counts of the whole are the sums of the parts. A token (a run
// of bytes between separators) is a word when it holds a letter or digit.
void Measure(std::string_view text, TextBlock& block, size_t from) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t i = from;
  const size_t end = block.span.end;
  bool token_counts = false;
  int words = 0, letters = 0, upper = 0;
  while (i < end) {
    // Eight ASCII bytes: letters and upper-case letters counted by their
    // masks, and each separator closes a token, a word if a letter or digit
    // came since the one before.
    uint64_t v;
    if (i + 8 <= end && (std::memcpy(&v, s + i, 8), (v & kHigh) == 0)) {
      const uint64_t up = InRange(v, 'A', 'Z');
      const uint64_t letter = up | InRange(v, 'a', 'z');
      letters += Count(letter);
      upper += Count(up);
      uint64_t counts = letter | InRange(v, '0', '9');
      for (uint64_t sep = Equal(v, ' ') | Equal(v, '\n') | Equal(v, '\t'); sep != 0;
           sep &= sep - 1) {
        const uint64_t before = (sep & (~sep + 1)) - 1;  // the bytes before this separator
        token_counts |= (counts & before) != 0;
        words += token_counts;
        token_counts = false;
        counts &= ~before;
      }
      token_counts |= counts != 0;
      i += 8;
      continue;
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
  block.words += words;
  block.letters += letters;
  block.upper += upper;
  for (size_t k = block.span.end; k > block.span.begin; --k) {
    const char c = text[k - 1];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || IsSpace(c)) continue;
    block.last = c;
    break;
  }
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
  std::vector<TextBlock> blocks;
  int blanks = 0;
  bool joinable = false;  // the last block may continue on the next line
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
      TextBlock& last = blocks.back();
      last.span.end = e;
      Measure(text, last, b);
    } else {
      TextBlock block;
      block.span = {b, e};
      block.blank_lines_before = blanks;
      Measure(text, block, b);
      blocks.push_back(block);
    }
    joinable = !EndsSentence(blocks.back().last) && blocks.back().letters > 0;
    blanks = 0;
  }
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
