#include "pipeline/cue_trie.h"

namespace newsevents {

void CueTrie::Insert(std::string_view prefix, size_t bit, bool ends_word, int layer) {
  if (steps_.empty()) {
    steps_.assign(kSymbols, -1);
    rules_.push_back(0);
    ends_.push_back(0);
    layered_.push_back({});
    marked_.push_back(0);
  }
  int32_t node = 0;
  size_t slot = 0;  // the step to `node`, if it is not the root
  for (char c : prefix) {
    const int symbol = kCueSymbol[static_cast<unsigned char>(c)];
    slot = static_cast<size_t>(node) * kSymbols + static_cast<size_t>(symbol);
    if (steps_[slot] < 0) {
      steps_[slot] = static_cast<int32_t>(rules_.size() * kSymbols * 2);
      rules_.push_back(0);
      ends_.push_back(0);
      layered_.push_back({});
      marked_.push_back(0);
      steps_.resize(steps_.size() + kSymbols, -1);
    }
    node = Child(node, symbol);
  }
  if (node != 0) steps_[slot] |= 1;
  const auto k = static_cast<size_t>(node);
  if (layer == 0) (ends_word ? ends_ : rules_)[k] |= uint64_t{1} << bit;
  layered_[k][static_cast<size_t>(layer + (ends_word ? kLayers : 0))] |= uint64_t{1} << bit;
  marked_[k] = 1;
  any_ends_ |= ends_word;
}

uint64_t CueTrie::At(std::string_view text, size_t i) const {
  if (rules_.empty()) return 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  if (i >= n || kCueSymbol[s[i]] < 0) return 0;
  int32_t node = Child(0, kCueSymbol[s[i]]);
  uint64_t rules = 0;
  for (size_t j = i + 1; node >= 0; ++j) {
    rules |= rules_[static_cast<size_t>(node)];
    if (j == n || !IsCueWordByte(s[j])) rules |= ends_[static_cast<size_t>(node)];
    if (j == n || kCueSymbol[s[j]] < 0) break;  // on over joiners
    node = Child(node, kCueSymbol[s[j]]);
  }
  return rules;
}

size_t CueTrie::LongestWordAt(std::string_view text, size_t i, size_t limit, uint64_t bits,
                              int layer) const {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  if (steps_.empty() || i >= size || kCueSymbol[s[i]] < 0) return 0;
  size_t longest = 0;
  int32_t step = steps_[static_cast<size_t>(kCueSymbol[s[i]])];
  for (size_t j = i + 1; step >= 0 && j <= limit;) {
    if (step & 1) {
      const auto& layered = layered_[static_cast<size_t>(step >> 1) / kSymbols];
      const uint64_t here = layered[static_cast<size_t>(layer)] | layered[static_cast<size_t>(kLayers + layer)];
      if ((here & bits) && (j == size || !IsCueWordByte(s[j]))) longest = j - i;
    }
    if (j == size) break;
    const int symbol = kCueSymbol[s[j++]];
    if (symbol < 0) break;
    step = steps_[static_cast<size_t>((step >> 1) + symbol)];
  }
  return longest;
}

void CueTrie::Find(std::string_view text, const std::vector<uint32_t>& starts,
                   std::vector<std::pair<size_t, uint64_t>>* cues) const {
  cues->clear();
  if (rules_.empty()) return;
  // The walk reads the steps' table alone (one load a character, no divide)
  // and a node's bits only where some prefix ends (the step's low bit): most
  // nodes are on the way to a longer prefix.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const int32_t* steps = steps_.data();
  for (const uint32_t i : starts) {
    // The cue prefixes the word starting at i starts with.
    const int first = kCueSymbol[s[i]];
    if (first < 0) continue;
    int32_t step = steps[first];
    if (step < 0) continue;  // most words
    uint64_t rules = 0;
    for (size_t j = i + 1;;) {
      if (step & 1) {
        const auto node = static_cast<size_t>(step >> 1) / kSymbols;
        rules |= rules_[node];
        if (any_ends_ && (j == n || !IsCueWordByte(s[j]))) rules |= ends_[node];
      }
      if (j == n) break;
      const int symbol = kCueSymbol[s[j++]];
      if (symbol < 0) break;  // on over joiners
      step = steps[(step >> 1) + symbol];
      if (step < 0) break;
    }
    if (rules) cues->emplace_back(i, rules);
  }
}

}  // namespace newsevents
