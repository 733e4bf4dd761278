// RuleScreen: one RE2::Set pass that tells which rules of a language match
// a text, so that only those rules are run for their groups.
//
// Rules are added under the language folder they come from; an item is
// screened with its own language's rules, or with every language's when its
// language has no rules of this kind (or is "und").
#ifndef NEWSEVENTS_RULE_SCREEN_H_
#define NEWSEVENTS_RULE_SCREEN_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/set.h>

namespace newsevents {

class RuleScreen {
 public:
  // `pattern` (expanded) is rule number `rule` of the caller, from `lang`.
  // Throws ConfigError at file:line when RE2 rejects it.
  void Add(const std::string& lang, const std::string& pattern, size_t rule,
           const std::string& file, int line);
  // Throws ConfigError when a set does not fit in memory.
  void Compile(const std::string& what);
  // Rule numbers whose pattern matches somewhere in `text`, ascending.
  std::vector<size_t> Match(std::string_view lang, std::string_view text) const;
  bool empty() const { return sets_.empty(); }

 private:
  struct Set {
    std::unique_ptr<RE2::Set> set;
    std::vector<size_t> rules;  // set index -> rule number
  };
  Set& Get(const std::string& lang);
  std::map<std::string, Set, std::less<>> sets_;  // "*" holds every language's rules
};

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_SCREEN_H_
