// CueTrie: the cue words of a set of rules (RuleCue prefixes), as a trie over
// the characters cue words are made of, and the look-up that finds which of
// them start at each word start of a text (ItemWordStarts). A rule, or a
// class of rules sharing their cue, is a bit: a look-up gives, for each word
// start holding a cue, the bits of the cues starting there.
//
// Case is ignored (ASCII): the trie holds lower-case prefixes, the text is
// read folded. Prefixes are over [0-9a-z_] and the joiners rule_cue.h lists
// (space, apostrophe, hyphen, period, '&'), which the look-up reads on over.
#ifndef NEWSEVENTS_CUE_TRIE_H_
#define NEWSEVENTS_CUE_TRIE_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace newsevents {

class CueTrie {
 public:
  static constexpr size_t kMaxBits = 64;

  // Adds a lower-case prefix for cue `bit` (< kMaxBits); `ends_word`: it
  // counts only where no word character follows it (RuleCue::ends_word).
  // `layer` (< kLayers) keeps the bit apart from other layers' (AtLayers):
  // several cue sets (a pattern's opening and rarest words, two rule sets)
  // looked up in one walk.
  static constexpr int kLayers = 4;
  void Insert(std::string_view prefix, size_t bit, bool ends_word = false, int layer = 0);
  bool empty() const { return rules_.empty(); }

  // The bits of the prefixes starting at text[i], a word start (0: none).
  uint64_t At(std::string_view text, size_t i) const;
  // The bits of layers 0 to N - 1 (N <= kLayers) at text[i], into bits[].
  // The byte after the text, text.data()[text.size()], is read: it must be
  // readable and no cue byte (a std::string's terminating NUL), which ends
  // the walk there instead of a bounds test at every character.
  template <int N>
  void AtLayers(std::string_view text, size_t i, uint64_t (&bits)[N]) const;

  // The length of the longest prefix of a bit of `bits` in `layer` starting
  // at text[i] (a word start) and ending within text[.., limit) where no
  // word character follows it (text's end or a byte that is not one); 0:
  // none.
  size_t LongestWordAt(std::string_view text, size_t i, size_t limit, uint64_t bits,
                       int layer) const;

  // The word starts of `text` (ascending offsets into it, `starts`) where a
  // prefix starts, each with the bits of the prefixes starting there, in
  // text order; cleared first.
  void Find(std::string_view text, const std::vector<uint32_t>& starts,
            std::vector<std::pair<size_t, uint64_t>>* cues) const;

 private:
  // The cue symbols (kCueSymbol), then a dead column (kDeadSymbol) whose
  // steps are all -1: AtLayers steps on any byte without testing it first.
  static constexpr int kSymbols = 43;
  int32_t Child(int32_t node, int symbol) const {
    const int32_t step = steps_[static_cast<size_t>(node) * kSymbols + static_cast<size_t>(symbol)];
    return step < 0 ? -1 : (step >> 1) / kSymbols;
  }

  std::vector<uint64_t> rules_;  // by node: the bits whose prefix ends there
  std::vector<uint64_t> ends_;   // by node: those that must end a word there too
  // By node: the bits of every layer, those whose prefix ends there, then
  // those that must end a word there too.
  std::vector<std::array<uint64_t, 2 * kLayers>> layered_;
  std::vector<uint8_t> marked_;  // by node: some prefix ends there (1)
  // node * kSymbols + symbol -> the child's first slot (child * kSymbols)
  // times 2, plus 1 when some prefix ends at the child; -1: none. AtLayers'
  // walk takes one load a character and no multiply; Child divides. The only
  // table of edges: a second one by node (as before session 7) held 14 MB
  // more over all the stages' tries.
  std::vector<int32_t> steps_;
  bool any_ends_ = false;
};

// The bytes of cue prefixes as trie symbols (case folded): RE2's word
// characters [0-9A-Za-z_] first, then the joiners; -1: none.
inline constexpr int kCueWordSymbols = 37;
inline constexpr std::array<int8_t, 256> kCueSymbol = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = -1;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 32] = static_cast<int8_t>(10 + c - 'a');
  t['_'] = 36;
  t[' '] = 37;
  t['\''] = 38;
  t['-'] = 39;
  t['.'] = 40;
  t['&'] = 41;
  return t;
}();

// kCueSymbol with the bytes that are none as the trie's dead column (all its
// steps -1), for walks that step without a test.
inline constexpr int kDeadSymbol = 42;
inline constexpr std::array<uint8_t, 256> kCueStep = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = static_cast<uint8_t>(kCueSymbol[c] < 0 ? kDeadSymbol : kCueSymbol[c]);
  return t;
}();

// Whether c is an RE2 word character ([0-9A-Za-z_]): word starts, where cues
// are looked for, are the starts of runs of them.
inline bool IsCueWordByte(unsigned char c) {
  return kCueSymbol[c] >= 0 && kCueSymbol[c] < kCueWordSymbols;
}

template <int N>
inline __attribute__((always_inline)) void CueTrie::AtLayers(std::string_view text, size_t i,
                                                             uint64_t (&bits)[N]) const {
  static_assert(N <= kLayers);
  for (int l = 0; l < N; ++l) bits[l] = 0;
  if (steps_.empty() || i >= text.size()) return;
  // No bounds test: the byte after the text is no cue byte, so the dead
  // column ends the walk there at the latest.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + i;
  const int32_t* steps = steps_.data();
  for (int32_t step = steps[kCueStep[*s++]]; step >= 0; step = steps[(step >> 1) + kCueStep[*s++]]) {
    if (step & 1) {  // a prefix ends here (most nodes are on the way)
      const auto& layered = layered_[static_cast<size_t>(step >> 1) / kSymbols];
      for (int l = 0; l < N; ++l) bits[l] |= layered[static_cast<size_t>(l)];
      if (!IsCueWordByte(*s))
        for (int l = 0; l < N; ++l) bits[l] |= layered[static_cast<size_t>(kLayers + l)];
    }
  }
}

}  // namespace newsevents

#endif  // NEWSEVENTS_CUE_TRIE_H_
