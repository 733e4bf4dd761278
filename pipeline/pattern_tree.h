// PatternTree: a rule pattern (RE2 syntax) read into a tree of what each of
// its elements may match, the one reader of pattern syntax the analyses
// share: the cues and start bytes of rule_cue.h, the matchable characters of
// pattern_bytes.h, the reversed patterns of reverse_pattern.h walk it.
//
// The tree keeps what those need and no more: a character element as the
// ASCII bytes it may match (a class, an escape, a literal, \Q...\E one
// character at a time), whether it may match beyond ASCII; assertions; the
// sequences, alternations and repeats around them; and each element's span
// in the pattern, so that a printer can copy what it does not change. The
// reader is conservative: syntax it does not know (back-references, octal
// escapes, ...) fails the whole pattern, and each caller then assumes the
// most (no cue, every character matchable, no reversal).
#ifndef NEWSEVENTS_PATTERN_TREE_H_
#define NEWSEVENTS_PATTERN_TREE_H_

#include <bitset>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace newsevents {

struct PatternNode {
  enum Kind { kChar, kAssert, kConcat, kAlt, kRepeat } kind = kChar;
  // kChar: the ASCII bytes it may match, whether it may match a character
  // beyond ASCII (never a word character), and `opaque` when the ASCII part
  // is not known (\p{L}: any ASCII word character may be in it).
  std::bitset<128> ascii;
  bool non_ascii = false;
  bool opaque = false;
  // With opaque: the ASCII part may hold more than letters (\P{L}, [:punct:]);
  // \p{L}, \p{Lu}... hold only letters of ASCII.
  bool opaque_any = false;
  // kChar: a character of \Q...\E (its span is the bare character).
  bool quoted = false;
  bool boundary = false;    // kAssert: \b, ^ or \A (no word character before)
  bool text_start = false;  // kAssert: ^ or \A, the start of the text unless multi-line
  bool text_end = false;    // kAssert: $ or \z
  int min = 1, max = 1;     // kRepeat; max -1: no bound
  std::vector<PatternNode> kids;
  // The element's span in the pattern: [begin, end) (a quoted character's
  // ends after the "\E" that may follow it). A kRepeat's quantifier is
  // [kids[0].end, end). A group's body (a kConcat or kAlt) spans the whole
  // group, its opening "(", "(?:", "(?i:" or "(?P<name>" ending at body_begin.
  size_t begin = 0, end = 0;
  bool group = false;
  size_t body_begin = 0;
  // Set by RuleCue's analysis: an element of the pattern's own top-level
  // sequence.
  bool top = false;
};

struct PatternTree {
  PatternNode root;
  // A flag group may have turned multi-line mode on: ^ then also starts lines.
  bool multi_line = false;
  // A flag group without a body ("(?i)"), whose flags hold to the end of the
  // enclosing group.
  bool bare_flags = false;
};

// The tree of `pattern`, or nullopt for syntax this reader does not read.
std::optional<PatternTree> ReadPattern(std::string_view pattern);

// Adds to *out every byte a match of n may hold (more when unsure): an
// ASCII letter in both cases, (?i) being unknown here; under (?i) RE2 also
// matches 'k' and 's' to U+212A and U+017F, bytes beyond ASCII which only a
// node that may match beyond ASCII adds.
void BytesOf(const PatternNode& n, std::bitset<256>* out);

}  // namespace newsevents

#endif  // NEWSEVENTS_PATTERN_TREE_H_
