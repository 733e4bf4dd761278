#include "pipeline/rule_matcher.h"

#include <algorithm>
#include <string>
#include <vector>

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

// The groups of text[begin, end), a match of the UTF-8 program whose
// characters all fit Latin-1, read with the Latin-1 twin over the match
// transcoded; false when a character does not fit. The byte on each side is
// kept as context for \b and ^ $, which look at one byte and ask only
// whether it is an ASCII word character or '\n': an ASCII neighbour is
// copied, a non-ASCII one becomes 0x80 (neither, in both encodings).
bool RuleMatcher::Latin1Groups(std::string_view text, size_t begin, size_t end,
                               re2::StringPiece* groups, int n) const {
  thread_local std::string buf;
  thread_local std::vector<size_t> at;  // Latin-1 index -> UTF-8 offset in text
  buf.clear();
  at.clear();
  const size_t before = begin > 0 ? 1 : 0;
  if (before) {
    const auto b = static_cast<unsigned char>(text[begin - 1]);
    buf.push_back(b < 0x80 ? static_cast<char>(b) : static_cast<char>(0x80));
    at.push_back(begin - 1);
  }
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = begin; i < end;) {
    UChar32 c;
    int32_t k = static_cast<int32_t>(i);
    U8_NEXT(s, k, static_cast<int32_t>(end), c);
    if (c < 0 || c > 0xFF) return false;
    buf.push_back(static_cast<char>(c));
    at.push_back(i);
    i = static_cast<size_t>(k);
  }
  at.push_back(end);
  if (end < text.size()) {
    const auto b = static_cast<unsigned char>(text[end]);
    buf.push_back(b < 0x80 ? static_cast<char>(b) : static_cast<char>(0x80));
  }
  const size_t last = at.size() - 1;  // index of the match's end in buf
  if (!latin1_->Match(buf, before, last, RE2::ANCHOR_BOTH, groups, n)) return false;
  for (int g = 0; g < n; ++g) {
    if (groups[g].data() == nullptr) continue;
    const size_t b = at[static_cast<size_t>(groups[g].data() - buf.data())];
    const size_t e = at[static_cast<size_t>(groups[g].data() - buf.data()) + groups[g].size()];
    groups[g] = re2::StringPiece(text.data() + b, e - b);
  }
  return true;
}

bool RuleMatcher::Match(std::string_view text, size_t pos, re2::StringPiece* groups, int n,
                        size_t endpos) const {
  return Find(text, pos, std::min(endpos, text.size()), RE2::UNANCHORED, groups, n);
}

bool RuleMatcher::MatchAt(std::string_view text, size_t at, re2::StringPiece* groups, int n) const {
  return Find(text, at, text.size(), RE2::ANCHOR_START, groups, n);
}

bool RuleMatcher::Find(std::string_view text, size_t pos, size_t endpos, RE2::Anchor anchor,
                       re2::StringPiece* groups, int n) const {
  if (n <= 1 || !latin1_) return re_->Match(text, pos, endpos, anchor, groups, n);
  re2::StringPiece whole;
  if (!re_->Match(text, pos, endpos, anchor, &whole, 1)) return false;
  const size_t begin = static_cast<size_t>(whole.data() - text.data());
  if (GroupsOf(text, begin, begin + whole.size(), groups, n)) return true;
  return re_->Match(text, pos, endpos, anchor, groups, n);  // not reached
}

bool RuleMatcher::GroupsOf(std::string_view text, size_t begin, size_t end,
                           re2::StringPiece* groups, int n) const {
  if (!latin1_) return re_->Match(text, begin, end, RE2::ANCHOR_BOTH, groups, n);
  // Read as RE2 reads the groups of a match it found: an anchored full match
  // over it, the text around it as context.
  if (IsAscii(re2::StringPiece(text.data() + begin, end - begin))) {
    if (latin1_->Match(text, begin, end, RE2::ANCHOR_BOTH, groups, n)) return true;
  } else if (Latin1Groups(text, begin, end, groups, n)) {
    return true;
  }
  return re_->Match(text, begin, end, RE2::ANCHOR_BOTH, groups, n);
}

}  // namespace newsevents
