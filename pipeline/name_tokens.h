// NameTokens: an item's text cut into the words that names are made of.
//
// Organization and person finders reason over words and their shape, not
// over characters: "Organization of American States" is three capitalized
// words joined by a lowercase connector; "ICPC" is an all-capital word;
// "CentroGeo" is a mixed-case one. A token knows its span in Document::text,
// its folded form (for vocabulary look-ups) and its shape, and whether it
// opens a sentence (where capitals say nothing about names).
//
// Word rules, chosen for names in English, French and Spanish: letters and
// digits, with inner hyphens ("UN-Habitat", "Montréal-Nord") and '&' ("AT&T");
// a French elision is its own token ("d'" + "Action"); a possessive "'s" is its
// own token ("University" + "'s"); "O'Brien" stays one word.
#ifndef NEWSEVENTS_NAME_TOKENS_H_
#define NEWSEVENTS_NAME_TOKENS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/word_table.h"

namespace newsevents {

enum class TokenShape : unsigned char {
  kLower,        // "of", "police", "d'", "'s"
  kCapitalized,  // "Montreal", "Efus", "Saint-Laurent", "A"
  kAllCaps,      // "ICPC", "COVID-19", "SERENE-RISC"
  kMixed,        // "CentroGeo", "USLab", "UN-Habitat", "McGill"
  kNumber,       // "2023", "1", "72/192" parts
  kPunct,        // one punctuation character (or a run of one kind)
};

struct NameToken {
  Span span;  // in Document::text
  // FoldText of the token ("montreal", "d'"), in the folded text of the
  // token list it was cut in (ItemNameTokens::folded), which must outlive it.
  std::string_view folded;
  uint32_t hash = 0;  // WordHash(folded), for WordTable look-ups
  // NameVocab::Class bits of `folded`, set by ClassifiedNameTokens (name_vocab.h);
  // 0 until a vocabulary classified the tokens.
  uint32_t classes = 0;
  int breaks_before = 0;  // line breaks between the previous token and this one
  TokenShape shape = TokenShape::kLower;
  bool sentence_start = false;  // first word after . ! ? : a line break or a bullet
  bool space_before = false;    // whitespace between the previous token and this one

  bool is_word() const { return shape != TokenShape::kPunct && shape != TokenShape::kNumber; }
  bool is_upper_initial() const {
    return shape == TokenShape::kCapitalized || shape == TokenShape::kAllCaps ||
           shape == TokenShape::kMixed;
  }
  bool is_punct(char c) const {
    return shape == TokenShape::kPunct && folded.size() == 1 && folded[0] == c;
  }
};

// Tokens cut from a span of text (an item's: Item::name_tokens), with the
// folded text their `folded` views point into: one buffer for all of them,
// kept alive by every copy of the list.
struct ItemNameTokens {
  Span span;
  std::vector<NameToken> tokens;
  std::shared_ptr<const std::string> folded;
  uint64_t classified_by = 0;  // NameVocab::fingerprint() of NameToken::classes, 0: none
};

// Tokens of text[span] (span in the coordinates of `text`).
ItemNameTokens TokenizeForNames(std::string_view text, Span span);
// TokenizeForNames(text, span) into *out, cut in its buffers (its token
// vector's, and its folded text's when no copy of the list shares it): no
// allocation once they are large enough. For phrases cut one after another
// (OrgLexicon::PhraseKey).
void TokenizeForNamesInto(std::string_view text, Span span, ItemNameTokens* out);
// The same tokens cut without the fast paths (plain ASCII words and
// punctuation, words of two-byte Latin letters): each token by the general
// case, a code point at a time. For tests, which compare the two.
ItemNameTokens TokenizeForNamesInGeneral(std::string_view text, Span span);

// TokenizeForNames(doc.text, item.span), cut on the first call and kept in
// item.name_tokens for the stages after (organizations, then people): the
// tokens depend on the text and the span only.
const std::vector<NameToken>& NameTokensOf(const Document& doc, Item& item);

// Index of the first token starting at or after byte `pos` (binary search).
size_t TokenAtOrAfter(const std::vector<NameToken>& tokens, size_t pos);
// The tokens lying wholly inside `span`, as [*first, *last]; false if none.
bool TokensInside(const std::vector<NameToken>& tokens, Span span, size_t* first, size_t* last);

// The shape of one word (exposed for tests and for acronym checks).
TokenShape WordShape(std::string_view word);

// Folds a short string the way tokens are folded (ASCII fast path).
std::string FoldWord(std::string_view word);
// FoldWord(word) into *out, whose buffer is reused.
void FoldWordInto(std::string_view word, std::string* out);

// A name as written in the text, its runs of white space (spaces, tabs, line
// breaks) made one space and trimmed: "Organization of\n  American States"
// becomes "Organization of American States".
std::string CollapseNameSpaces(std::string_view written);
// The same without a copy when there is nothing to collapse: `written`
// itself, else the collapsed text in *scratch (whose buffer is reused).
std::string_view CollapseNameSpaces(std::string_view written, std::string* scratch);
// FoldWord(CollapseNameSpaces(written)) into *out, whose buffer is reused:
// the key a name is compared by, made without allocating once warm.
void FoldNameInto(std::string_view written, std::string* out);


}  // namespace newsevents

#endif  // NEWSEVENTS_NAME_TOKENS_H_
