// SentenceWindows: the stretches of a paragraph ICU's sentence rules must
// read to place all its boundaries, so that SentenceStage hands ICU those
// and not every byte.
//
// ICU's standard sentence rules (UAX #29, icu4c/source/data/brkitr/rules/
// sent.txt) break only after a terminator (Sentence_Break ATerm: '.', or
// STerm: '!', '?', and their kin in other scripts) or a paragraph separator
// (Sep; CR and LF never reach ICU, SentenceStage reads them as spaces).
// Between two such characters the rules never break. And a letter (Upper,
// Lower or OLetter) ends every rule that could be under way before it: no
// rule reads a letter except as its first element or its last (rule 7's
// Upper, rule 8's Lower, rule 12's any), so what the rules do after a letter
// is what they do from a text starting at that letter. Hence a window per
// run of terminators: from the last letter before it (or the start of the
// paragraph) to the first letter after it, included (which settles whether
// the break falls before that letter: rules 7 and 8 look that far ahead).
// Windows that share a letter are merged. Given the windows, ICU finds the
// boundaries inside each as it finds them in the whole paragraph; there are
// none outside them but the paragraph's end. A paragraph that does not open
// on a letter gets a window from its start to its first letter, so the
// start-of-text cases (rule 12's {bof}) are ICU's to judge as before.
//
// tests/sentences_test.cc compares the boundaries with ICU over whole
// paragraphs on abbreviations, quotes and brackets after a period, ellipses,
// numbers, lower case after a period, other scripts' terminators, separators
// and random text. A language whose ICU rules are not the standard ones
// (Greek reads ';' as a question mark) gets no windows: For() says so.
#ifndef NEWSEVENTS_SENTENCE_WINDOWS_H_
#define NEWSEVENTS_SENTENCE_WINDOWS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

#include "pipeline/document.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace newsevents {

class SentenceWindows {
 public:
  // The window finder for `iterator`, or null when its rules are not ICU's
  // standard (root) sentence rules.
  static std::unique_ptr<SentenceWindows> For(const icu::BreakIterator& iterator);

  // Replaces `out` with the windows of text[span): in order, apart, each
  // starting on a code point of text[span).
  void Find(std::string_view text, Span span, std::vector<Span>& out) const;

  // What the windows tell apart (Sentence_Break values; CR and LF as Sp).
  enum Kind : uint8_t { kOther, kLetter, kBreak };
  Kind KindOf(int32_t code_point) const;

 private:
  SentenceWindows();
  std::array<Kind, 0x800> small_{};  // code points of one or two UTF-8 bytes
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SENTENCE_WINDOWS_H_
