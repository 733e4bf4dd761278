// OrgLexicon: well-known bodies (models/orgs/organizations.tsv) with their
// names and short forms in each language, found in text by a hash look-up of
// token n-grams, not by one regular expression per entry.
//
// Names are compared by key: folded words, articles and punctuation left out,
// spelling variants unified (models/orgs/spelling_variants.tsv: "program" ->
// "programme") and a plural -s dropped, so "United Nations Human Settlement
// Programme" finds "United Nations Human Settlements Programme". Short forms
// are compared as written ("WHO", never "who").
#ifndef NEWSEVENTS_ORG_LEXICON_H_
#define NEWSEVENTS_ORG_LEXICON_H_

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/name_tokens.h"
#include "pipeline/word_table.h"

namespace newsevents {

class OrgLexicon {
 public:
  struct Entry {
    std::string id;
    std::map<std::string, std::string, std::less<>> name;     // lang -> official name
    std::map<std::string, std::string, std::less<>> acronym;  // lang -> short form
  };

  // Throws ConfigError (file, line) on a malformed line, an unknown kind or a
  // second name for one id and language.
  static OrgLexicon Load(const std::string& entries_tsv, const std::string& variants_tsv);

  // The key of one token ("" for tokens left out of keys).
  std::string TokenKey(const NameToken& token) const;
  // TokenKey(token) appended to *key after a space (none when *key is
  // empty); false, *key unchanged, for a token left out of keys. Keys of
  // several tokens are built so without a string per token.
  bool AppendTokenKey(const NameToken& token, std::string* key) const;
  // The key of a phrase (tokenized like text).
  std::string PhraseKey(std::string_view phrase) const;

  // Entry whose name or variant has this key, or -1.
  int FindByKey(const std::string& key) const;
  // Whether some name key starts with this key (and a space or its end).
  bool IsKeyPrefix(const std::string& key) const { return prefixes_.count(key) > 0; }
  // Whether some name key starts with TokenKey(token): false for most
  // capitalized words, answered from the token's hash without building its key.
  bool MayStartKey(const NameToken& token) const;
  // Entry whose short form is written exactly so, or -1.
  int FindAcronym(std::string_view written) const;
  // The same when the caller knows WordShape(written) (a token's shape).
  int FindAcronym(std::string_view written, TokenShape shape) const;
  // The same for a token written `written`: most words are no short form in
  // any case, which the token's folded form and hash tell without hashing
  // `written`.
  int FindAcronym(const NameToken& token, std::string_view written) const;

  const Entry& entry(int i) const { return entries_[static_cast<size_t>(i)]; }
  size_t size() const { return entries_.size(); }
  // The name (short form) in `lang`, falling back to English, then any.
  std::string NameIn(int i, std::string_view lang) const;
  std::string AcronymIn(int i, std::string_view lang) const;

 private:
  // A mixed-case short form ("UN-Habitat") written in capitals, or -1.
  int FindInCapitals(std::string_view written, TokenShape shape) const;

  // Looked up by string_view, without a copy of the word.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  std::vector<Entry> entries_;
  std::unordered_map<std::string, int> by_key_;
  std::unordered_set<std::string> prefixes_;
  StringMap<int> by_acronym_;
  StringMap<int> by_acronym_folded_;  // mixed-case forms, folded
  WordTable<std::string> variant_of_;  // folded word -> canonical, found by a token's hash
  WordTable<char> first_words_;        // the first word of every key
  WordTable<char> folded_acronyms_;    // every short form, folded
  // The hashes of each table's words: asked of nearly every capitalized
  // word, these tables hold few.
  WordHashFilter variant_hashes_, first_word_hashes_, folded_acronym_hashes_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_ORG_LEXICON_H_
