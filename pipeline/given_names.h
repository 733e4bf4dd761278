// GivenNames: the set of first names (models/names/given_names.txt, folded,
// one a line; built from a public name list, see models/names/README.md).
// A capitalized word in it, followed by a capitalized surname, is taken as a
// person's name; organization lists use it to leave people out.
#ifndef NEWSEVENTS_GIVEN_NAMES_H_
#define NEWSEVENTS_GIVEN_NAMES_H_

#include <string>
#include <string_view>

#include "pipeline/word_table.h"

namespace newsevents {

class GivenNames {
 public:
  // Throws ConfigError when the file cannot be read or is empty.
  static GivenNames Load(const std::string& path);
  bool Contains(std::string_view folded) const { return names_.Find(folded) != nullptr; }
  // The same for a word whose WordHash is known (a token's).
  bool Contains(std::string_view folded, uint32_t hash) const {
    return names_.Find(folded, hash) != nullptr;
  }
  size_t size() const { return names_.size(); }

 private:
  WordTable<char> names_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_GIVEN_NAMES_H_
