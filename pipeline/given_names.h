// GivenNames: the set of first names (models/names/given_names.txt, folded,
// one a line; built from a public name list, see models/names/README.md).
// A capitalized word in it, followed by a capitalized surname, is taken as a
// person's name; organization lists use it to leave people out.
#ifndef NEWSEVENTS_GIVEN_NAMES_H_
#define NEWSEVENTS_GIVEN_NAMES_H_

#include <string>
#include <unordered_set>

namespace newsevents {

class GivenNames {
 public:
  // Throws ConfigError when the file cannot be read or is empty.
  static GivenNames Load(const std::string& path);
  bool Contains(const std::string& folded) const { return names_.count(folded) > 0; }
  size_t size() const { return names_.size(); }

 private:
  std::unordered_set<std::string> names_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_GIVEN_NAMES_H_
