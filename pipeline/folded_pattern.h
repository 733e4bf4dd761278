// FoldPattern: a rule pattern made fit for matching against folded text.
//
// Stages that match on folded text (FoldText: lower case, no accents) let
// rule writers spell patterns naturally ("Réunion", "Conférence"), then fold
// the pattern's literal characters the same way the text was folded. Escapes
// are copied untouched, since folding `\S` to `\s` or `\B` to `\b` would
// change what they mean; `\p{Lu}`-style classes and group syntax ("(?P<x>",
// "(?U)") are copied whole.
#ifndef NEWSEVENTS_FOLDED_PATTERN_H_
#define NEWSEVENTS_FOLDED_PATTERN_H_

#include <string>
#include <string_view>

namespace newsevents {

std::string FoldPattern(std::string_view pattern);

}  // namespace newsevents

#endif  // NEWSEVENTS_FOLDED_PATTERN_H_
