#include "pipeline/text_blocks.h"

#include <array>
#include <cstdint>

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

// An ASCII byte's letters (low half) and upper-case letters (high half), so
// one addition counts both.
constexpr std::array<uint64_t, 128> AsciiLetters() {
  std::array<uint64_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = 1 | (uint64_t{1} << 32);
  return t;
}
constexpr std::array<uint64_t, 128> kAsciiLetters = AsciiLetters();

// Adds the letters, upper-case letters and words of text[from, block end)
// to the block's counts (from its start: all of them). A line joined to a
// block is measured alone: the line break before it ends the block's last
// word, so the counts of the whole are the sums of the parts. A token (a run
// of bytes between separators) is a word when it holds a letter or digit.
void Measure(std::string_view text, TextBlock& block, size_t from) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(from);
  const int32_t end = static_cast<int32_t>(block.span.end);
  bool token_counts = false;
  int words = 0;
  uint64_t letters = 0;  // letters, and upper-case ones << 32
  while (i < end) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      letters += kAsciiLetters[b];
      const uint8_t k = kAsciiClasses[b];
      if (k & kSeparator) {
        words += token_counts;
        token_counts = false;
      } else {
        token_counts |= (k & kCounts) != 0;
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, end, c);
    if (c >= 0 && u_isalpha(c)) {
      letters += 1 | (u_isupper(c) ? uint64_t{1} << 32 : 0);
      token_counts = true;
    }
  }
  words += token_counts;
  block.words += words;
  block.letters += static_cast<int>(letters & 0xFFFFFFFF);
  block.upper += static_cast<int>(letters >> 32);
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
