// FoldedOffset: where a byte of Document::text lands in Document::folded.
//
// Document::folded_to_text maps folded offsets back to the text; stages that
// found a span in the text and want to match it on the folded copy need the
// other direction. The map is monotonic, so a binary search over its edits
// finds it (OffsetMap::FirstAtOrAfter).
#ifndef NEWSEVENTS_FOLDED_OFFSET_H_
#define NEWSEVENTS_FOLDED_OFFSET_H_

#include <cstddef>
#include <string_view>

#include "pipeline/document.h"

namespace newsevents {

// The first folded offset whose text offset is at or after `text_offset`.
size_t FoldedOffset(const Document& doc, size_t text_offset);

// The folded text of a text span (empty when the document has no folded copy).
std::string_view FoldedSlice(const Document& doc, const Span& text_span);

}  // namespace newsevents

#endif  // NEWSEVENTS_FOLDED_OFFSET_H_
