#include "pipeline/rule_screen.h"

#include <algorithm>

#include "pipeline/config_error.h"
#include "pipeline/rule_file.h"

namespace newsevents {

RuleScreen::Set& RuleScreen::Get(const std::string& lang) {
  Set& s = sets_[lang];
  if (!s.set) s.set = std::make_unique<RE2::Set>(RulePatternOptions(), RE2::UNANCHORED);
  return s;
}

void RuleScreen::Add(const std::string& lang, const std::string& pattern, size_t rule,
                     const std::string& file, int line) {
  for (const std::string& key : {lang, std::string("*")}) {
    Set& s = Get(key);
    std::string error;
    if (s.set->Add(pattern, &error) < 0)
      throw ConfigError(file, line, "pattern does not compile: " + error);
    s.rules.push_back(rule);
  }
}

void RuleScreen::Compile(const std::string& what) {
  for (auto& [lang, s] : sets_)
    if (!s.set->Compile()) throw ConfigError(what, 0, "rules of '" + lang + "' do not fit in memory");
}

std::vector<size_t> RuleScreen::Match(std::string_view lang, std::string_view text) const {
  auto it = sets_.find(lang);
  if (it == sets_.end()) it = sets_.find("*");
  std::vector<size_t> out;
  if (it == sets_.end()) return out;
  std::vector<int> hits;
  if (!it->second.set->Match(text, &hits)) return out;
  for (int h : hits) out.push_back(it->second.rules[static_cast<size_t>(h)]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace newsevents
