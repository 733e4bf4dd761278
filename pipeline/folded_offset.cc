#include "pipeline/folded_offset.h"

namespace newsevents {

size_t FoldedOffset(const Document& doc, size_t text_offset) {
  size_t lo = 0, hi = doc.folded.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (doc.folded_to_text.ToSource(mid) < text_offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

std::string_view FoldedSlice(const Document& doc, const Span& text_span) {
  const size_t b = FoldedOffset(doc, text_span.begin);
  const size_t e = FoldedOffset(doc, text_span.end);
  return std::string_view(doc.folded).substr(b, e > b ? e - b : 0);
}

}  // namespace newsevents
