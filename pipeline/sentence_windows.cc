#include "pipeline/sentence_windows.h"

#include <string>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace newsevents {
namespace {

SentenceWindows::Kind KindFromIcu(UChar32 c) {
  switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_UPPER:
    case U_SB_LOWER:
    case U_SB_OLETTER:
      return SentenceWindows::kLetter;
    case U_SB_ATERM:
    case U_SB_STERM:
    case U_SB_SEP:
      return SentenceWindows::kBreak;
    default:  // CR and LF too: SentenceStage hands them to ICU as spaces
      return SentenceWindows::kOther;
  }
}

std::string RulesOf(const icu::BreakIterator& iterator) {
  const auto* rules = dynamic_cast<const icu::RuleBasedBreakIterator*>(&iterator);
  std::string text;
  if (rules) rules->getRules().toUTF8String(text);
  return text;
}

}  // namespace

SentenceWindows::SentenceWindows() {
  for (UChar32 c = 0; c < static_cast<UChar32>(small_.size()); ++c) small_[c] = KindFromIcu(c);
}

std::unique_ptr<SentenceWindows> SentenceWindows::For(const icu::BreakIterator& iterator) {
  static const std::string* const standard = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> root(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    return new std::string(U_SUCCESS(status) && root ? RulesOf(*root) : "");
  }();
  const std::string rules = RulesOf(iterator);
  if (rules.empty() || rules != *standard) return nullptr;
  return std::unique_ptr<SentenceWindows>(new SentenceWindows());
}

SentenceWindows::Kind SentenceWindows::KindOf(int32_t c) const {
  if (c >= 0 && c < static_cast<int32_t>(small_.size())) return small_[c];
  return c < 0 ? kOther : KindFromIcu(c);  // a broken sequence: ICU reads U+FFFD
}

void SentenceWindows::Find(std::string_view text, Span span, std::vector<Span>& out) const {
  out.clear();
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t begin = static_cast<int32_t>(span.begin);
  const int32_t end = static_cast<int32_t>(span.end);
  int32_t last_letter = -1;  // where the last letter read starts
  int32_t open = -1;         // where the window waiting for a letter starts
  for (int32_t i = begin; i < end;) {
    const int32_t at = i;
    Kind kind;
    if (s[i] < 0x80) {
      kind = small_[s[i++]];
    } else {
      UChar32 c;
      U8_NEXT(s, i, end, c);
      kind = KindOf(c);
    }
    if (kind == kLetter) {
      if (open >= 0) {
        out.push_back({static_cast<size_t>(open), static_cast<size_t>(i)});
        open = -1;
      }
      last_letter = at;
    } else if (open < 0 && (kind == kBreak || at == begin)) {
      // A terminator (or a paragraph not opening on a letter): the window
      // opens at the last letter; one that ends with that letter goes on.
      if (!out.empty() && static_cast<int32_t>(out.back().end) > last_letter) {
        open = static_cast<int32_t>(out.back().begin);
        out.pop_back();
      } else {
        open = last_letter >= 0 ? last_letter : begin;
      }
    }
  }
  if (open >= 0) out.push_back({static_cast<size_t>(open), static_cast<size_t>(end)});
}

}  // namespace newsevents
