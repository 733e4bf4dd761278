// PersonStage: the people each item names, once each, with every mention.
//
// Two kinds of evidence, both checked against the shape of a name (capitalized
// words, with particles such as "del" or "van" between them):
//   - a given name (models/names/given_names.txt) followed by one to three
//     capitalized words: "Oscar Figueroa", "Pamela del Valle Caceres";
//   - a context from rules/<lang>/people.rules: a title before the name
//     ("Ms.", "Mayor", "professors X and Y"), a role after it ("Kassa Bourne,
//     Director of ...").
// A name is never an organization or a place of the item: words inside an
// organization or place mention, organization head words ("University"),
// event words and dates are no part of a name, and a name equal to an
// organization's name or alias, or to a place, is dropped. So the stage runs
// after OrganizationStage and PlaceStage.
//
// The name is the first full mention as written, without its title; a later
// mention by surname alone ("Dr Diop") is a mention of the same person.
#ifndef NEWSEVENTS_PEOPLE_H_
#define NEWSEVENTS_PEOPLE_H_

#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "pipeline/document.h"
#include "pipeline/given_names.h"
#include "pipeline/name_tokens.h"
#include "pipeline/name_vocab.h"
#include "pipeline/rule_search.h"
#include "pipeline/stage.h"

namespace newsevents {

class PersonStage {
 public:
  explicit PersonStage(const StageOptions& options);
  ~PersonStage();
  PersonStage(const PersonStage&) = delete;
  PersonStage& operator=(const PersonStage&) = delete;

  // Fills item.people of every item (reads item.organizations, item.places
  // and item.dates).
  void Apply(Document& doc) const;

 private:
  struct Rule;
  struct Range {
    size_t first = 0;
    size_t last = 0;  // inclusive
  };

  // The tokens of [first, last] that make a name, titles and openers dropped;
  // false when they do not look like one. `min_words`: 1 after a title.
  bool ShapeName(const std::vector<NameToken>& t, const std::vector<char>& blocked,
                 size_t first, size_t last, size_t min_words, Range* out) const;

  NameVocab vocab_;
  GivenNames given_;
  std::vector<Rule> rules_;
  RuleSearch search_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PEOPLE_H_
