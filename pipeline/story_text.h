// Story text: an item's text as de-duplication and record ids see it — the
// folded text (fold.h) with every run of spaces, tabs and line feeds made one
// space, trimmed. Two exact repeats share it; re-flowing or re-quoting a text
// does not change it.
//
// Each item's story text is read twice (its id, then its story key), so it
// is cut out of the document's folded copy rather than folded again, and
// written into a buffer the caller keeps rather than a new string:
//
//   thread_local std::string scratch;
//   std::string_view text = StoryTextOf(doc, item.span, &scratch);
#ifndef NEWSEVENTS_STORY_TEXT_H_
#define NEWSEVENTS_STORY_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "pipeline/document.h"

namespace newsevents {

// Folded text with every run of spaces, tabs and line feeds made one space,
// trimmed.
std::string NormalizedStoryText(std::string_view text);

// NormalizedStoryText of a span of doc.text, cut out of doc.folded rather
// than folded again when the document has its folded copy.
std::string StoryTextOf(const Document& doc, const Span& span);
// The same appended to *out.
void AppendStoryText(const Document& doc, const Span& span, std::string* out);
// The same written into *scratch (grown as needed, never shrunk: a buffer
// kept per thread costs no allocation per item); the view points into it.
std::string_view StoryTextOf(const Document& doc, const Span& span, std::string* scratch);

// `text` with runs of spaces, tabs and line feeds made one space, trimmed,
// written to `out`, which has room for text.size() bytes (it may be
// written up to there). Returns the bytes written. Blocks of 16 bytes with
// no two white-space bytes in a row are copied whole (SSE2).
size_t CollapseStorySpaces(std::string_view text, char* out);

}  // namespace newsevents

#endif  // NEWSEVENTS_STORY_TEXT_H_
