// Text blocks: the lines of a document as the segmenter sees them.
//
// A block is a non-empty line, trimmed of spaces, or several lines when the
// text was hard-wrapped (a line without closing punctuation followed, with no
// blank line between, by one starting in lower case: "... by the International
// Centre\nfor the Prevention of Crime"). Each block knows how many blank lines
// came before it, which tells the layout of the document: a newsletter
// separates its paragraphs with blank lines, a flattened archive does not.
#ifndef NEWSEVENTS_TEXT_BLOCKS_H_
#define NEWSEVENTS_TEXT_BLOCKS_H_

#include <string_view>
#include <vector>

#include "pipeline/document.h"

namespace newsevents {

struct TextBlock {
  Span span;                // trimmed, in Document::text
  int blank_lines_before = 0;
  // Counts of the block's bytes: whitespace-separated tokens holding a
  // letter or digit, letters, upper-case letters. A long block is counted
  // only as far as the segmenter can tell: once it has kWordsCounted words
  // and 4 letters, and the bytes left are too few to make it all capitals
  // (9 in 10 letters upper case), counting stops. A paragraph is then read
  // for its first few hundred bytes instead of all of them.
  static constexpr int kWordsCounted = 36;
  int words = 0;
  int letters = 0;
  int upper = 0;
  char last = 0;            // last byte that is not a space or closing quote/bracket
};

std::vector<TextBlock> SplitTextBlocks(std::string_view text);

// True when most neighbouring blocks are separated by a blank line.
bool BlankLineLayout(const std::vector<TextBlock>& blocks);

}  // namespace newsevents

#endif  // NEWSEVENTS_TEXT_BLOCKS_H_
