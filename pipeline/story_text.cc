#include "pipeline/story_text.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "pipeline/byte_class.h"
#include "pipeline/fold.h"
#include "pipeline/folded_offset.h"

namespace newsevents {

namespace {

bool IsCharBoundary(std::string_view text, size_t at) {
  return at >= text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
}

// Room for `n` bytes at the start of *scratch, without clearing what is
// there: resized only when it grows, to twice its size at least.
char* Room(std::string* scratch, size_t n) {
  if (scratch->size() < n) scratch->resize(std::max(n, 2 * scratch->size()));
  return scratch->data();
}

}  // namespace

size_t CollapseStorySpaces(std::string_view text, char* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end && IsStorySpace(static_cast<unsigned char>(*p))) ++p;
  char* o = out;
  // The last byte written was white space (written as one space): the run
  // it starts writes nothing more. Never true before the first word.
  bool in_space = false;
  auto scalar = [&](const char* to) {
    for (; p < to; ++p) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if (IsStorySpace(c)) {
        if (!in_space) *o++ = ' ';
        in_space = true;
      } else {
        *o++ = static_cast<char>(c);
        in_space = false;
      }
    }
  };
#if defined(__SSE2__)
  // o - out <= p - text.data() throughout, so a 16-byte store at o ends
  // within the first text.size() bytes of out while 16 bytes are left at p.
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i line_feed = _mm_set1_epi8('\n');
  const __m128i tab = _mm_set1_epi8('\t');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i white = _mm_or_si128(
        _mm_cmpeq_epi8(v, space), _mm_or_si128(_mm_cmpeq_epi8(v, line_feed), _mm_cmpeq_epi8(v, tab)));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(white));
    if ((m & ((m << 1) | static_cast<unsigned>(in_space))) != 0) {
      scalar(p + 16);  // a run of two or more: collapse byte by byte
      continue;
    }
    // Single white-space bytes only: each becomes a space, nothing is dropped.
    const __m128i spaced = _mm_or_si128(_mm_andnot_si128(white, v), _mm_and_si128(white, space));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o), spaced);
    o += 16;
    p += 16;
    in_space = (m >> 15) & 1;
  }
#endif
  scalar(end);
  if (o > out && o[-1] == ' ') --o;  // a trailing run
  return static_cast<size_t>(o - out);
}

std::string NormalizedStoryText(std::string_view text) {
  const std::string folded = FoldText(text);
  std::string out(folded.size(), '\0');
  out.resize(CollapseStorySpaces(folded, out.data()));
  return out;
}

std::string_view StoryTextOf(const Document& doc, const Span& span, std::string* scratch) {
  // Folding maps each character on its own, so the folded copy of the
  // document, cut at the span's ends, is the span folded.
  const bool folded_copy = !doc.folded.empty() || doc.text.empty();
  if (folded_copy && span.begin <= span.end && span.end <= doc.text.size() &&
      IsCharBoundary(doc.text, span.begin) && IsCharBoundary(doc.text, span.end)) {
    const std::string_view folded = FoldedSlice(doc, span);
    char* out = Room(scratch, folded.size());
    return std::string_view(out, CollapseStorySpaces(folded, out));
  }
  const std::string folded = FoldText(doc.Slice(span));
  char* out = Room(scratch, folded.size());
  return std::string_view(out, CollapseStorySpaces(folded, out));
}

void AppendStoryText(const Document& doc, const Span& span, std::string* out) {
  const bool folded_copy = !doc.folded.empty() || doc.text.empty();
  if (folded_copy && span.begin <= span.end && span.end <= doc.text.size() &&
      IsCharBoundary(doc.text, span.begin) && IsCharBoundary(doc.text, span.end)) {
    const std::string_view folded = FoldedSlice(doc, span);
    const size_t at = out->size();
    out->resize(at + folded.size());
    out->resize(at + CollapseStorySpaces(folded, out->data() + at));
    return;
  }
  const std::string folded = FoldText(doc.Slice(span));
  const size_t at = out->size();
  out->resize(at + folded.size());
  out->resize(at + CollapseStorySpaces(folded, out->data() + at));
}

std::string StoryTextOf(const Document& doc, const Span& span) {
  std::string scratch;
  return std::string(StoryTextOf(doc, span, &scratch));
}

}  // namespace newsevents
