// ReversePattern: a regex that reads backwards what another reads forwards,
// so that patterns anchored at the end of a text (event-date `before:` cues,
// "...%sp+$") can be run by one RE2::Set anchored at the start of the
// reversed text.
//
// RE2 runs a single `$`-anchored regex backwards on its own (its reverse
// program), but RE2::Set only runs forwards: an unanchored set of
// `$`-anchored patterns reads the whole text, and one with counted gaps
// ("\b(?i:held|met)\b[^.;]{0,40}$") keeps building DFA states, one for each
// combination of gaps in flight, on every new text it reads. Reversed and
// anchored, each pattern's gap starts where the text does: the set reads a
// few bytes, from states it has seen before.
//
// A match of P ending where the text ends is, code point by code point, a
// match of ReversePattern(P) starting where the reversed text starts:
// sequences are read in the other order, ^ and $ (\A and \z) trade places,
// \b and \B (ASCII word boundaries, the same seen from either side) stay.
// Case folding, classes and repeats read code points, whose order is all
// that changes. ReverseText reverses a text by code points (not bytes, which
// would break UTF-8). The pattern is read by pattern_tree.h and printed back
// from its tree, each element copied from the pattern unless it changes.
#ifndef NEWSEVENTS_REVERSE_PATTERN_H_
#define NEWSEVENTS_REVERSE_PATTERN_H_

#include <optional>
#include <string>
#include <string_view>

namespace newsevents {

// The reversed pattern, capture groups made non-capturing (a set does not
// read them), or nullopt for syntax this reader does not take: a flag group
// without a body ("(?i)", whose scope reversing would move), multi-line or
// \C, \Q...\E, back-references.
std::optional<std::string> ReversePattern(std::string_view pattern);

// `text` reversed code point by code point into `out`; false (out
// unspecified) when text is not valid UTF-8: its bytes could pair up into
// other characters once reversed.
bool ReverseText(std::string_view text, std::string* out);

}  // namespace newsevents

#endif  // NEWSEVENTS_REVERSE_PATTERN_H_
