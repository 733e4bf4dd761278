// Acronyms: finding where a text defines a short form, and checking that the
// short form really abbreviates the phrase next to it.
//
// The check follows Schwartz & Hearst (2003): the letters of the short form
// are found in the long form from right to left, the first one at the start
// of a word. It is language-free, so it works on "Organization of American
// States (OAS)", "Office des Nations Unies contre la drogue et le crime
// (ONUDC)" and "European Forum for Urban Safety (Efus)" alike. Two guards
// keep it honest: the last letter must fall in the last word of the phrase
// (a phrase does not run on past what it abbreviates), and the letters must
// land on the initials of most of the phrase's words, all of them for a short
// form that is written like an ordinary word ("Mila", "Efus"), which would
// otherwise match almost anything.
//
// Definitions are read in three shapes:
//   Long Form (SF)          Organization of American States (OAS)
//   SF (Long Form)          RAPS network (Research and Action on Social Polarizations)
//   Long Form (Other, SF)   Montreal Transit Corporation (Société de transport de Montréal, STM)
// and "(DSP/OAS)" as one short form. "(2021)", "(see below)", "(Chile)" are not
// definitions.
#ifndef NEWSEVENTS_ACRONYMS_H_
#define NEWSEVENTS_ACRONYMS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/name_tokens.h"

namespace newsevents {

// Where in `long_form` the phrase that `short_form` abbreviates begins
// (a byte offset), or npos. Only letters of the short form count ("DSP/OAS"
// is matched as "dspoas"); case and accents are ignored.
size_t MatchAcronym(std::string_view short_form, std::string_view long_form);

// Could this word be a short form? "OAS", "UN-Habitat", "Efus", "DSP/OAS" yes;
// "2021", "see", "a" no.
bool LooksLikeShortForm(std::string_view word);

struct AcronymDefinition {
  Span short_form;  // "OAS"
  Span long_form;   // "Organization of American States"; empty when no phrase matches
  Span alternate;   // "Société de transport de Montréal" in "(..., STM)", else empty
  Span brackets;    // the "(...)" itself
  bool short_first = false;  // "OAS (Organization of American States)"
};

// Every bracketed short form in `tokens` (TokenizeForNames of text), with the
// long form it defines when one matches. A bracketed short form with no match
// is still returned (long_form empty): the caller may know it from a lexicon.
std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text,
                                                      const std::vector<NameToken>& tokens);

}  // namespace newsevents

#endif  // NEWSEVENTS_ACRONYMS_H_
