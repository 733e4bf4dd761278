#include "pipeline/text_blocks.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace newsevents {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// Adds the letters, upper-case letters and words of text[from, block end)
// to the block's counts (from its start: all of them). A line joined to a
// block is measured alone: the line break before it ends the block's last
// word, so the counts of the whole are the sums of the parts.
void Measure(std::string_view text, TextBlock& block, size_t from) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(from);
  const int32_t end = static_cast<int32_t>(block.span.end);
  bool in_token = false, token_counts = false;
  while (i < end) {
    UChar32 c;
    if (s[i] < 0x80) {
      c = s[i++];
      if (c != ' ' && c != '\n' && c != '\t') {
        in_token = true;
        if (c >= 'a' && c <= 'z') {
          ++block.letters;
          token_counts = true;
        } else if (c >= 'A' && c <= 'Z') {
          ++block.letters;
          ++block.upper;
          token_counts = true;
        } else if (c >= '0' && c <= '9') {
          token_counts = true;
        }
        continue;
      }
    } else {
      U8_NEXT(s, i, end, c);
    }
    if (c == ' ' || c == '\n' || c == '\t') {
      if (in_token && token_counts) ++block.words;
      in_token = token_counts = false;
      continue;
    }
    in_token = true;
    if (c < 0) continue;
    if (u_isalpha(c)) {
      ++block.letters;
      token_counts = true;
      if (u_isupper(c)) ++block.upper;
    } else if (c >= '0' && c <= '9') {
      token_counts = true;
    }
  }
  if (in_token && token_counts) ++block.words;
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
