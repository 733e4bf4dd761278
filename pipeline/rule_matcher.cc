#include "pipeline/rule_matcher.h"

#include <unicode/utf8.h>

#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

// `utf8` in Latin-1 bytes, or false when a character is beyond U+00FF (or
// the bytes are not UTF-8).
bool ToLatin1(std::string_view utf8, std::string* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  out->clear();
  out->reserve(utf8.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || c > 0xFF) return false;
    out->push_back(static_cast<char>(c));
  }
  return true;
}

bool IsAscii(re2::StringPiece s) {
  for (char ch : s)
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  return true;
}

}  // namespace

RuleMatcher::RuleMatcher(const std::string& pattern, const std::string& file, int line)
    : re_(CompileRulePattern(pattern, file, line)) {
  std::string latin1;
  if (!ToLatin1(pattern, &latin1)) return;
  RE2::Options options = RulePatternOptions();
  options.set_encoding(RE2::Options::EncodingLatin1);
  auto re = std::make_unique<RE2>(latin1, options);
  // Same groups or nothing: a twin that differs is not used.
  if (re->ok() && re->NumberOfCapturingGroups() == re_->NumberOfCapturingGroups())
    latin1_ = std::move(re);
}

bool RuleMatcher::Match(std::string_view text, size_t pos, re2::StringPiece* groups, int n) const {
  if (n <= 1 || !latin1_) return re_->Match(text, pos, text.size(), RE2::UNANCHORED, groups, n);
  re2::StringPiece whole;
  if (!re_->Match(text, pos, text.size(), RE2::UNANCHORED, &whole, 1)) return false;
  const size_t begin = static_cast<size_t>(whole.data() - text.data());
  const RE2& groups_re = IsAscii(whole) ? *latin1_ : *re_;
  // The groups of the match RE2 found, read as RE2 reads them: an anchored
  // full match over it, the text around it as context.
  if (groups_re.Match(text, begin, begin + whole.size(), RE2::ANCHOR_BOTH, groups, n)) return true;
  return re_->Match(text, pos, text.size(), RE2::UNANCHORED, groups, n);  // not reached
}

}  // namespace newsevents
