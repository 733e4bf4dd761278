#include "pipeline/item_limit.h"

#include <algorithm>

namespace newsevents {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f'; }

// Where to end a piece that starts at `begin` and may not pass `limit`: after
// the last sentence end (". " before a capital or a digit) in the second half
// of the window, else after its last space, else at the last code point
// boundary. Always > begin.
size_t CutPoint(std::string_view text, size_t begin, size_t limit) {
  const size_t half = begin + (limit - begin) / 2;
  size_t space = 0;
  for (size_t p = limit; p > half + 2; --p) {
    const char c = text[p - 1];
    if (!IsSpace(c)) continue;
    const char before = text[p - 2];
    const unsigned char next = p < text.size() ? static_cast<unsigned char>(text[p]) : 'A';
    if ((before == '.' || before == '!' || before == '?') &&
        ((next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9') || next >= 0x80)) {
      return p;
    }
    if (space == 0) space = p;
  }
  if (space != 0) return space;
  size_t p = limit;
  while (p > begin + 1 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
  return p;
}

// `s` cut to [begin, end) without the white space at either end.
Span Clip(std::string_view text, Span s, size_t begin, size_t end) {
  s.begin = std::max(s.begin, begin);
  s.end = std::min(s.end, end);
  while (s.begin < s.end && IsSpace(text[s.begin])) ++s.begin;
  while (s.end > s.begin && IsSpace(text[s.end - 1])) --s.end;
  return s;
}

}  // namespace

std::vector<Item> SplitOversizedItem(std::string_view text, Item item, size_t max_bytes) {
  std::vector<Item> pieces;
  if (item.span.size() <= max_bytes || max_bytes == 0) {
    pieces.push_back(std::move(item));
    return pieces;
  }
  if (item.title.size() > max_bytes) {
    // A "title" longer than the limit (one long line taken for a headline)
    // is text: it goes to the pieces like a paragraph, none of it is lost.
    item.paragraphs.insert(item.paragraphs.begin(), item.title);
    item.title = Span();
  }
  size_t begin = item.span.begin;
  size_t next_paragraph = 0;
  while (begin < item.span.end) {
    const size_t limit = std::min(item.span.end, begin + max_bytes);
    const size_t cut = limit < item.span.end ? CutPoint(text, begin, limit) : limit;
    Item piece;
    piece.heading_year = item.heading_year;
    if (pieces.empty() && !item.title.empty() && item.title.end <= cut) piece.title = item.title;
    // Paragraphs are in text order: skip those ending before this piece.
    while (next_paragraph < item.paragraphs.size() &&
           item.paragraphs[next_paragraph].end <= begin) {
      ++next_paragraph;
    }
    for (size_t p = next_paragraph;
         p < item.paragraphs.size() && item.paragraphs[p].begin < cut; ++p) {
      const Span part = Clip(text, item.paragraphs[p], begin, cut);
      if (!part.empty()) piece.paragraphs.push_back(part);
    }
    if (!piece.paragraphs.empty()) {
      piece.body = {piece.paragraphs.front().begin, piece.paragraphs.back().end};
    } else if (!piece.title.empty()) {
      piece.body = {piece.title.end, piece.title.end};
    }
    piece.span = {piece.title.empty() ? piece.body.begin : piece.title.begin,
                  std::max(piece.body.end, piece.title.end)};
    if (!piece.span.empty()) pieces.push_back(std::move(piece));
    begin = cut;
  }
  return pieces;
}

}  // namespace newsevents
