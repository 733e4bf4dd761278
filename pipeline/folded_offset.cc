#include "pipeline/folded_offset.h"

namespace newsevents {

size_t FoldedOffset(const Document& doc, size_t text_offset) {
  return doc.folded_to_text.FirstAtOrAfter(text_offset, doc.folded.size());
}

std::string_view FoldedSlice(const Document& doc, const Span& text_span) {
  const size_t b = FoldedOffset(doc, text_span.begin);
  const size_t e = FoldedOffset(doc, text_span.end);
  return std::string_view(doc.folded).substr(b, e > b ? e - b : 0);
}

}  // namespace newsevents
