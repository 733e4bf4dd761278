#include "pipeline/pattern_bytes.h"

#include <optional>

#include "pipeline/pattern_tree.h"

namespace newsevents {

std::bitset<128> MatchableAscii(std::string_view pattern) {
  const std::optional<PatternTree> tree = ReadPattern(pattern);
  if (!tree) return std::bitset<128>().set();
  std::bitset<256> bytes;
  BytesOf(tree->root, &bytes);
  std::bitset<128> out;
  for (size_t c = 0; c < 128; ++c) {
    // Letters always count: (?i) may be on, and case folding reaches ASCII
    // letters from other characters too (U+212A is K, U+017F is s).
    const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    out[c] = bytes[c] || letter;
  }
  return out;
}

}  // namespace newsevents
