// Normalizer: the text every later stage reads.
//
// From the decoded original it makes Document::text: NFC; CRLF and lone CR as
// LF; typographic quotes as ' and "; every dash and hyphen variant as '-';
// exotic spaces as ' '; zero-width characters and soft hyphens removed. Then
// Document::folded, the case- and accent-folded copy used for matching. Both
// keep an OffsetMap, so any span found in them leads back to the original.
// Unifying punctuation lets one rule say ' or - instead of listing a dozen
// code points, while records still quote the text as written.
#ifndef NEWSEVENTS_NORMALIZE_H_
#define NEWSEVENTS_NORMALIZE_H_

#include <string>
#include <string_view>

#include "pipeline/document.h"

namespace newsevents {

// Fills doc.text, doc.text_to_original, doc.folded and doc.folded_to_text
// from doc.original.
void NormalizeDocument(Document& doc);

// The text part alone, for tests and for text that is not a document.
std::string NormalizeText(std::string_view original, OffsetMap* map = nullptr);

}  // namespace newsevents

#endif  // NEWSEVENTS_NORMALIZE_H_
