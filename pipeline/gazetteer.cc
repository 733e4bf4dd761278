#include "pipeline/gazetteer.h"

#include <algorithm>
#include <array>
#include <utility>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pipeline/fold.h"

namespace newsevents {

namespace {

// Letters and digits make words; for non-ASCII code points ICU decides (the
// folded text keeps letters of other scripts, and punctuation such as « or …).
constexpr bool IsAsciiWord(int c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

bool IsWordCodePoint(UChar32 c) {
  if (c < 0x80) return IsAsciiWord(c);
  return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK;
}

}  // namespace

bool IsFoldedWordCodePoint(int32_t c) { return IsWordCodePoint(c); }

void TokenizeFolded(std::string_view folded, size_t begin, size_t end,
                    std::vector<FoldedToken>* out) {
  ForEachFoldedToken(folded, begin, end, [out](size_t b, size_t e) { out->push_back({b, e}); });
}

uint32_t Gazetteer::InternToken(std::string_view token) {
  if (const uint32_t* id = token_ids_.Find(token)) return *id;
  const uint32_t id = static_cast<uint32_t>(token_ids_.size());
  token_ids_[token] = id;
  return id;
}

void Gazetteer::Reserve(size_t names) {
  edges_.reserve(names * 3 / 2);
  values_.reserve(names * 3 / 2);
}

bool Gazetteer::Add(std::string_view name, uint32_t value) {
  const std::string folded = FoldText(name);
  std::vector<FoldedToken> tokens;
  TokenizeFolded(folded, 0, folded.size(), &tokens);
  return AddFolded(folded, tokens, value);
}

bool Gazetteer::AddFolded(std::string_view folded, const std::vector<FoldedToken>& tokens,
                          uint32_t value) {
  if (tokens.empty()) return false;
  if (values_.empty()) values_.emplace_back();  // the root
  uint32_t node = 0;
  for (const FoldedToken& t : tokens) {
    const uint32_t token = InternToken(folded.substr(t.begin, t.end - t.begin));
    if (node == 0) {
      if (opens_.size() <= token) opens_.resize(token + 1, false);
      opens_[token] = true;
    }
    auto [it, inserted] = edges_.try_emplace(EdgeKey(node, token), 0);
    if (inserted) {
      it->second = static_cast<uint32_t>(values_.size());
      values_.emplace_back();
    }
    node = it->second;
  }
  std::vector<uint32_t>& values = values_[node];
  for (uint32_t v : values)
    if (v == value) return true;
  values.push_back(value);
  ++name_count_;
  if (tokens.size() > max_tokens_) max_tokens_ = tokens.size();
  return true;
}

Gazetteer::Match Gazetteer::LongestAt(const uint32_t* ids, size_t count) const {
  Match best;
  if (values_.empty()) return best;
  uint32_t node = 0;
  for (size_t i = 0; i < count && ids[i] != kNoToken; ++i) {
    auto it = edges_.find(EdgeKey(node, ids[i]));
    if (it == edges_.end()) break;
    node = it->second;
    if (!values_[node].empty()) best = {i + 1, &values_[node]};
  }
  return best;
}

}  // namespace newsevents
