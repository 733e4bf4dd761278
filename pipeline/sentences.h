// SentenceStage: the sentences of each item, with ICU's sentence rules.
//
// Each item is cut with ICU's sentence BreakIterator for its language
// (Item::lang, else Document::lang, else English). A break right after a word
// listed in rules/<lang>/vocab/sentence_abbreviation.tsv ("Ms.", "St.",
// "Mme.", "Sra."...) is dropped, so "Ms. Caroline Bourgeois" stays in one
// sentence. The word must be listed whole: ICU's FilteredBreakIteratorBuilder
// does this job by matching suffixes, so its "M." (monsieur) also glued
// "... avec IBM. Le projet ..." together; a sorted list and a binary search
// on the whole word cost less and do not. A
// sentence never crosses a paragraph (Item::paragraphs), and the title is one
// sentence, never cut ("Job offer. Analyst" is one headline); a hard-wrapped line break inside a paragraph is read as
// a space.
//
// Item::sentences holds byte spans of Document::text, trimmed, in order: the
// title's first, then the body's. ICU works in UTF-16; offsets are mapped back
// to UTF-8 bytes by a cursor walking both encodings.
//
// ICU need not read every byte: its rules break only around terminators, so
// it is handed the few characters around each ('.', '!', '?', ...: from the
// letter before to the letter after, sentence_windows.h), all of a
// paragraph's windows in one UTF-16 text, and places the same boundaries as
// over the whole paragraph (SplitWhole, which tests compare with).
#ifndef NEWSEVENTS_SENTENCES_H_
#define NEWSEVENTS_SENTENCES_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/stage.h"

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace newsevents {

class SentenceWindows;

class SentenceStage {
 public:
  explicit SentenceStage(const StageOptions& options);
  ~SentenceStage();
  SentenceStage(const SentenceStage&) = delete;
  SentenceStage& operator=(const SentenceStage&) = delete;

  void Apply(Document& doc) const;

  // The sentences of text[span) (spans of `text`), for tests and other stages.
  std::vector<Span> Split(std::string_view text, Span span, const std::string& lang) const;
  // The same with ICU reading all of text[span) instead of the windows
  // around its terminators (sentence_windows.h): the reference for tests.
  std::vector<Span> SplitWhole(std::string_view text, Span span, const std::string& lang) const;

 private:
  class Splitter;
  struct Language {
    // Apply clones it: an ICU iterator holds its position, so threads cannot share it.
    std::unique_ptr<icu::BreakIterator> iterator;
    std::vector<std::string> abbreviations;  // sorted
    std::unique_ptr<SentenceWindows> windows;  // null: ICU reads whole paragraphs
  };
  const Language& For(const std::string& lang) const;

  StageOptions options_;
  std::map<std::string, Language, std::less<>> languages_;  // one per rules/<lang>/
};

}  // namespace newsevents

#endif  // NEWSEVENTS_SENTENCES_H_
