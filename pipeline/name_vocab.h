// NameVocab: the word lists organization and person finders share, merged
// over every language folder of rules/ (a French body is named in an English
// item as often as not: "Réseau Virage", "Fundación Pasos Libres").
//
//   rules/<lang>/vocab/org_heads.tsv          Centre, Institute, Réseau, Fundación...
//                                             (value "of": only with a complement;
//                                             "initial": may open a name, "Réseau Virage";
//                                             "lower": also written in lower case; comma-separated)
//   rules/<lang>/vocab/org_connectors.tsv     of, for, de, la, para... (inside names;
//                                             value "locative": only after a head word)
//   rules/<lang>/vocab/org_event_words.tsv    Conference, Congrès, Cumbre... (events)
//   rules/<lang>/vocab/org_not_org_words.tsv  Report, Strategy, Plan... (documents)
//   rules/<lang>/vocab/org_organs.tsv         Board of Directors, conseil d'administration...
//                                             (a body's organ: "the ICPC Board of Directors" is the ICPC)
//   rules/<lang>/vocab/name_stopwords.tsv     The, During, Dans... (sentence openers)
//   rules/<lang>/vocab/name_indefinite.tsv    a, an, une... ("an Urban Safety Lab")
//   rules/<lang>/vocab/person_titles.tsv      Ms., Dr, Mayor... (value "plural": professors)
//   rules/<lang>/vocab/person_roles.tsv       Director, Rector, directrice...
//   rules/<lang>/vocab/name_particles.tsv     de, del, van, von... (inside surnames)
//   rules/common/vocab/person_not_name_words.tsv  Nord, West... (places, not people)
//   rules/common/vocab/org_not_acronyms.tsv   COVID, PhD, USA... (as written)
//
// Words are compared folded (case and accents off), except not_acronyms.
#ifndef NEWSEVENTS_NAME_VOCAB_H_
#define NEWSEVENTS_NAME_VOCAB_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/name_tokens.h"
#include "pipeline/word_table.h"

namespace newsevents {

struct NameVocab {
  struct Head {
    bool needs_complement = false;  // "City" only in "City of X"
    bool opens_name = false;        // "Réseau Virage": may be followed by proper words
    bool lower_case = false;        // "le ministère de la Sécurité publique": also in lower case
    bool takes_locative = false;    // "Université du Québec à Montréal", "Embajada de Canadá en el Perú"
    // The head as written in lower case ("secretaría"): in lower case the
    // accent tells the office from a person ("la secretaria de Movilidad").
    std::string lower_surface;
  };
  std::unordered_map<std::string, Head> org_heads;  // folded
  std::unordered_set<std::string> connectors;
  std::unordered_set<std::string> locative_connectors;  // "à", "en": only after a head
  // The same as written: folding makes French "à" Spanish "a", which is no
  // connector ("Carabineros de Chile a Montreal").
  std::unordered_set<std::string> locative_written;
  std::unordered_set<std::string> event_words;
  std::unordered_set<std::string> not_org_words;
  // Organs of a body, each as its folded name tokens ({"board", "of", "directors"}).
  std::vector<std::vector<std::string>> organs;
  std::unordered_set<std::string> stopwords;
  std::unordered_set<std::string> indefinite;
  std::unordered_set<std::string> not_acronyms;  // as written
  std::unordered_map<std::string, bool> titles;  // folded -> names several people ("professors")
  std::unordered_set<std::string> roles;
  std::unordered_set<std::string> particles;
  std::unordered_set<std::string> not_name_words;  // "Nord": a place's word
  std::vector<std::string> languages;  // folders of rules/ read, sorted

  // The lists a folded word is in, as bits, so that a word met many times is
  // looked up once (NameToken::classes).
  enum Class : uint32_t {
    kHead = 1u << 0,             // org_heads
    kHeadNeedsComplement = 1u << 1,
    kHeadOpensName = 1u << 2,
    kHeadLowerCase = 1u << 3,
    kHeadTakesLocative = 1u << 4,
    kConnector = 1u << 5,
    kLocativeConnector = 1u << 6,
    kEventWord = 1u << 7,
    kNotOrgWord = 1u << 8,
    kStopword = 1u << 9,
    kIndefinite = 1u << 10,
    kTitle = 1u << 11,
    kRole = 1u << 12,
    kParticle = 1u << 13,
    kNotNameWord = 1u << 14,
  };
  // Bits of every list above that holds `folded` (not_acronyms aside: it is
  // compared as written). IndexClasses() must have run since the lists last
  // changed (Load runs it).
  uint32_t ClassesOf(std::string_view folded, uint32_t hash) const {  // hash: WordHash(folded)
    const uint32_t* c = classes_.Find(folded, hash);
    return c ? *c : 0;
  }
  uint32_t ClassesOf(std::string_view folded) const { return ClassesOf(folded, WordHash(folded)); }
  void IndexClasses();
  // Names the content of the lists: tokens classified by a vocabulary with
  // the same fingerprint need no second look-up (ClassifiedNameTokens).
  uint64_t fingerprint() const { return fingerprint_; }

  // Reads every rules/<lang>/vocab folder under `root` (and rules/common/vocab).
  static NameVocab Load(const std::string& root);

  bool IsHead(const std::string& folded) const { return org_heads.count(folded) > 0; }

 private:
  WordTable<uint32_t> classes_;  // every word of the lists, with its bits
  uint64_t fingerprint_ = 0;
};

// item.name_tokens (NameTokensOf) with NameToken::classes set from `vocab`:
// cut and classified on the first call, reused by every stage after whose
// vocabulary has the same fingerprint.
const std::vector<NameToken>& ClassifiedNameTokens(const Document& doc, Item& item,
                                                   const NameVocab& vocab);

}  // namespace newsevents

#endif  // NEWSEVENTS_NAME_VOCAB_H_
