// Item size limit: a bound on the text one news item may hold.
//
// A news item is a few kilobytes. A file without line breaks (a feed dumped
// on one line) would make one item of many megabytes, and the stages that
// compare the mentions of an item with each other (places against
// organizations, cues against facts) would work quadratically on it: a 50 MB
// line took hours. The segmenter therefore cuts an item longer than
// kMaxItemBytes into consecutive items of at most that size, each cut at a
// sentence end where one is near, else at a space. Real items stay whole
// (the longest in corpus/ is 6.5 KB), and the work per item stays bounded.
#ifndef NEWSEVENTS_ITEM_LIMIT_H_
#define NEWSEVENTS_ITEM_LIMIT_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "pipeline/document.h"

namespace newsevents {

inline constexpr size_t kMaxItemBytes = size_t{64} << 10;

// `item` (span, title, body, paragraphs, heading_year set; spans in `text`)
// as one item, or, when its span is longer than max_bytes, as pieces of at
// most max_bytes each in text order: the first keeps the title (a title over
// max_bytes is cut up like a paragraph), every piece keeps the parts of the
// paragraphs it covers. Indexes are left to the caller.
std::vector<Item> SplitOversizedItem(std::string_view text, Item item,
                                     size_t max_bytes = kMaxItemBytes);

}  // namespace newsevents

#endif  // NEWSEVENTS_ITEM_LIMIT_H_
