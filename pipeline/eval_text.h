// Text comparison for scoring: how `newsevents eval` decides that two strings
// name the same thing, and where a gold anchor lies in a corpus file.
//
// Gold annotators copy text "as written", but a copy passes through editors
// that curl quotes, swap dashes and re-wrap lines. Scoring must not punish an
// extractor for those, so every comparison goes through one of the keys below.
// The keys are part of the metric's definition: they are fixed here, not read
// from rules/, so that two runs scored months apart stay comparable.
#ifndef NEWSEVENTS_EVAL_TEXT_H_
#define NEWSEVENTS_EVAL_TEXT_H_

#include <string>
#include <string_view>

#include "pipeline/offset_map.h"

namespace newsevents {

// NFC; curly and angle quotes to ' and "; every dash to '-'; invisible
// characters (soft hyphen, zero-width space, BOM) dropped; whitespace runs
// collapsed to one space and trimmed. Case and accents are kept: this is the
// key for date mentions and titles, which must be the same words.
std::string MentionKey(std::string_view text);

// MentionKey, then case- and accent-folded; periods and apostrophes dropped
// ("U.N." == "UN", "Men's" == "Mens"), other punctuation read as a space
// ("UN-Habitat" == "UN Habitat"), and a leading article dropped ("the",
// French "le/la/les/l'", Spanish "el/la/los/las"), as the gold guidelines
// write names without it. The key for organizations, places and people.
std::string NameKey(std::string_view text);

// A corpus file prepared for finding gold anchors in it. The anchor is first
// searched byte for byte; when the file's bytes differ from the annotator's
// copy (other quotes, a line break inside a title, Latin-1 bytes), it is
// searched again in a loose copy (MentionKey-style edits, then folded), whose
// offsets map back to file bytes.
class AnchorFinder {
 public:
  explicit AnchorFinder(std::string file_bytes);

  // Byte offset in the file of the first occurrence of `anchor` that starts
  // at or after `from`, or std::string::npos. Sets *end (if given) to the
  // file offset just after the occurrence.
  size_t Find(std::string_view anchor, size_t from, size_t* end = nullptr);

  const std::string& bytes() const { return bytes_; }

 private:
  void BuildLooseCopy();

  std::string bytes_;
  bool loose_built_ = false;
  std::string loose_;        // folded loose copy of bytes_
  OffsetMap loose_to_light_;  // loose_ -> light copy
  OffsetMap light_to_file_;   // light copy -> bytes_
};

}  // namespace newsevents

#endif  // NEWSEVENTS_EVAL_TEXT_H_
