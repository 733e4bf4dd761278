// Gazetteer: finds known names, of one word or many, in folded text.
//
// Names are stored as sequences of folded word tokens ("Rivière-des-Prairies"
// -> riviere des prairies) in a trie whose edges live in one hash map keyed by
// (node, token id). Matching walks the trie from a start token and stops at
// the first token no name continues with, so the cost per position is a
// couple of hash lookups whatever the size of the gazetteer: no regex per
// name, and names that differ only in punctuation, case or accents
// ("Montréal-Nord", "MONTREAL NORD") are one entry.
//
// Tokens: runs of letters and digits of the folded text; everything else
// (spaces, hyphens, apostrophes, periods) separates them, so a match always
// starts and ends on a word boundary ("Latin America" never matches inside
// "Latin American").
#ifndef NEWSEVENTS_GAZETTEER_H_
#define NEWSEVENTS_GAZETTEER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <emmintrin.h>
#include <unicode/utf8.h>

#include "pipeline/word_table.h"

namespace newsevents {

// A word token: byte range in the folded text it was cut from.
struct FoldedToken {
  size_t begin = 0;
  size_t end = 0;
};

// Appends the word tokens of folded[begin, end) to *out.
void TokenizeFolded(std::string_view folded, size_t begin, size_t end,
                    std::vector<FoldedToken>* out);

// Whether a code point of folded text (not ASCII) is a word's: a letter, a
// digit or a non-spacing mark.
bool IsFoldedWordCodePoint(int32_t c);

// Calls token(begin, end) for each word token of folded[begin, end), in
// order: TokenizeFolded without a vector. Sixteen ASCII bytes are read at a
// time (their letters and digits as a bit mask, a token starting where a bit
// rises and ending where it falls); a byte of a multi-byte character is
// decoded on its own, as TokenizeFolded reads every byte.
template <typename Token>
void ForEachFoldedToken(std::string_view folded, size_t begin, size_t end, Token&& token) {
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const size_t n = end < folded.size() ? end : folded.size();
  size_t i = begin;
  bool in_word = false;
  size_t token_begin = 0;
  // One code point at i, moving i past it.
  auto step = [&]() {
    const size_t at = i;
    bool word;
    if (s[i] < 0x80) {
      const uint8_t c = s[i++];
      word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    } else {
      int32_t j = static_cast<int32_t>(i), c;
      U8_NEXT(s, j, static_cast<int32_t>(n), c);
      i = static_cast<size_t>(j);
      word = c >= 0 && IsFoldedWordCodePoint(c);
    }
    if (word && !in_word) token_begin = at;
    if (!word && in_word) token(token_begin, at);
    in_word = word;
  };
  const __m128i upper_bit = _mm_set1_epi8(0x20);
  auto in_range = [](__m128i v, uint8_t lo, uint8_t span) {
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo)));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(span - 1))), d);
  };
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const unsigned multi = static_cast<unsigned>(_mm_movemask_epi8(v));  // bytes >= 0x80
    const unsigned ascii = multi ? static_cast<unsigned>(__builtin_ctz(multi)) : 16;
    if (ascii > 0) {
      const unsigned keep = (1u << ascii) - 1;
      const unsigned word =
          static_cast<unsigned>(_mm_movemask_epi8(
              _mm_or_si128(in_range(_mm_or_si128(v, upper_bit), 'a', 26), in_range(v, '0', 10)))) &
          keep;
      const unsigned before = ((word << 1) | (in_word ? 1u : 0u)) & keep;  // the byte before is a word's
      unsigned rises = word & ~before, falls = before & ~word;
      for (unsigned edges = rises | falls; edges; edges &= edges - 1) {
        const unsigned k = static_cast<unsigned>(__builtin_ctz(edges));
        if (rises >> k & 1) token_begin = i + k;
        else token(token_begin, i + k);
      }
      in_word = (word >> (ascii - 1)) & 1;
      i += ascii;
    }
    if (ascii < 16) step();
  }
  while (i < n) step();
  if (in_word) token(token_begin, n);
}

class Gazetteer {
 public:
  static constexpr uint32_t kNoToken = UINT32_MAX;

  // One name found at a position: how many tokens it spans and the values
  // stored under it (every Add() of a name with the same token sequence).
  struct Match {
    size_t length = 0;
    const std::vector<uint32_t>* values = nullptr;
  };

  // Adds `name` (written any way: it is folded and tokenized here) with an
  // opaque value. Returns false, adding nothing, if it has no word token.
  bool Add(std::string_view name, uint32_t value);
  // The same for a name already folded and cut into tokens (TokenizeFolded).
  bool AddFolded(std::string_view folded, const std::vector<FoldedToken>& tokens, uint32_t value);
  // Room for about `names` names, to load a large list without rehashing.
  void Reserve(size_t names);

  // The id of a folded token, or kNoToken if no name contains it. Look each
  // text token up once, then match over ids.
  uint32_t TokenId(std::string_view folded_token) const {
    return TokenId(folded_token, WordHash(folded_token));
  }
  // The same with the token's WordHash.
  uint32_t TokenId(std::string_view folded_token, uint32_t hash) const {
    const uint32_t* id = token_ids_.Find(folded_token, hash);
    return id ? *id : kNoToken;
  }

  // Whether a name starts with the token of this id (kNoToken: false).
  bool Opens(uint32_t id) const {
    return id != kNoToken && id < opens_.size() && opens_[id];
  }

  // Every name that starts at ids[0], longest first, each within `count`
  // tokens. Clears *out first.
  void MatchesAt(const uint32_t* ids, size_t count, std::vector<Match>* out) const {
    MatchesAt([ids](size_t i) { return ids[i]; }, count, out);
  }

  // The same, asking id_at(i) for the id of the i-th word only as far as a
  // name continues: most walks stop after a word or two, so a caller that
  // looks ids up lazily looks up few.
  template <typename IdAt>
    requires std::is_invocable_r_v<uint32_t, IdAt&, size_t>
  void MatchesAt(IdAt&& id_at, size_t count, std::vector<Match>* out) const {
    out->clear();
    if (values_.empty()) return;
    uint32_t node = 0;
    for (size_t i = 0; i < count; ++i) {
      const uint32_t id = id_at(i);
      if (id == kNoToken) break;
      auto it = edges_.find(EdgeKey(node, id));
      if (it == edges_.end()) break;
      node = it->second;
      if (!values_[node].empty()) out->push_back({i + 1, &values_[node]});
    }
    // Longest first: callers try the fullest reading before its prefixes.
    for (size_t a = 0, b = out->size(); a + 1 < b; ++a, --b) std::swap((*out)[a], (*out)[b - 1]);
  }

  // The longest name that starts at ids[0]; length 0 if none.
  Match LongestAt(const uint32_t* ids, size_t count) const;

  size_t name_count() const { return name_count_; }
  size_t max_tokens() const { return max_tokens_; }

 private:
  uint32_t InternToken(std::string_view token);
  static uint64_t EdgeKey(uint32_t node, uint32_t token) {
    return (static_cast<uint64_t>(node) << 32) | token;
  }

  WordTable<uint32_t> token_ids_;                  // folded token -> id
  std::unordered_map<uint64_t, uint32_t> edges_;  // (node, token) -> child node
  std::vector<std::vector<uint32_t>> values_;     // per node; node 0 is the root
  std::vector<bool> opens_;                       // by token id: a name starts with it
  size_t name_count_ = 0;
  size_t max_tokens_ = 0;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_GAZETTEER_H_
