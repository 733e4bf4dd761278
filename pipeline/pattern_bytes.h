// PatternBytes: the ASCII characters a match of a rule pattern may hold,
// read from the pattern's syntax.
//
// A character no pattern of a rule set can match is a wall: no match of the
// set runs across it. The fact and cue patterns of the event stages never
// read a period or a semicolon (their gaps are `[^\s.,;]+` words,
// `[^.;\n]{1,120}`), so their matches stay inside the stretches between
// those, and a pattern whose rarest word is not in that stretch need not be
// tried there (RuleScanner). The characters are read from the pattern's tree
// (pattern_tree.h), conservatively: a pattern the reader does not read
// (octal escapes, back-references) may match every character, \p{..} and
// POSIX classes every character they may hold, so an answer of "cannot
// match c" is always true. Letters always count as matchable (case folding).
#ifndef NEWSEVENTS_PATTERN_BYTES_H_
#define NEWSEVENTS_PATTERN_BYTES_H_

#include <bitset>
#include <string_view>

namespace newsevents {

// Bit c (c < 128): some match of `pattern` (RE2 syntax, as compiled) may
// contain the character c. Bytes of 128 and above are not described.
std::bitset<128> MatchableAscii(std::string_view pattern);

}  // namespace newsevents

#endif  // NEWSEVENTS_PATTERN_BYTES_H_
