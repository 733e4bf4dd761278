// Case and accent folding for matching: "Montréal" and "MONTREAL" both fold
// to "montreal". The folded text is for finding things, never for showing
// them; an OffsetMap leads from folded bytes back to the input bytes.
#ifndef NEWSEVENTS_FOLD_H_
#define NEWSEVENTS_FOLD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/offset_map.h"

namespace newsevents {

// Lower-cases, strips combining accents and folds ligatures (œ -> oe,
// ß -> ss). Input must be valid UTF-8. Code points below U+0250 (all Latin
// letters of English, French and Spanish) use a table built once from ICU's
// case folding and NFD decomposition, so the hot path never calls into ICU.
std::string FoldText(std::string_view text, OffsetMap* map = nullptr);
// FoldText(text) appended to *out: for callers folding many short pieces
// into one buffer.
void AppendFoldedText(std::string_view text, std::string* out);

// Code points below this fold through a table (FoldedCodePoint).
inline constexpr int32_t kFoldTableSize = 0x250;
// FoldText of the one code point c (0 <= c < kFoldTableSize): FoldText works
// a code point at a time, so a word may be folded so piece by piece.
std::string_view FoldedCodePoint(int32_t c);

}  // namespace newsevents

#endif  // NEWSEVENTS_FOLD_H_
