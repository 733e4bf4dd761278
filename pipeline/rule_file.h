// Rule files: the plain-text format every rule set of newsevents is written in.
//
// A rule file (`rules/<lang>/<stage>.rules`) is a list of blocks separated by
// blank lines. Each line of a block is `key: value`; `#` starts a comment line.
// A block starts with `rule: NAME`. Which keys a block may have is up to the
// stage that reads it (RuleBlock::CheckKeys), so a misspelt key is an error
// with its file and line, not a silently ignored line. A key may repeat
// (`example:` usually does).
//
//   # "7 March 2023"
//   rule: day_month_year
//   pattern: \b(?P<day>%day)\s+(?P<month>%month)\s+(?P<year>%year)\b
//   example: 7 March 2023 => 2023-03-07
//
// A vocabulary (`rules/<lang>/vocab/NAME.tsv`, with `rules/common/vocab/` as a
// fallback for every language) is a named list of literal surface forms, one a
// line, each optionally followed by a TAB and a normalized value:
//
//   March<TAB>03
//   Mar.<TAB>03
//
// In a pattern, `%NAME` stands for the alternation of that vocabulary's
// surfaces (escaped, longest first). The same table normalizes what matched:
// Vocabulary::Lookup("month", "mar.") == "03" (case- and accent-insensitive).
#ifndef NEWSEVENTS_RULE_FILE_H_
#define NEWSEVENTS_RULE_FILE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

namespace newsevents {

struct RuleField {
  std::string key;
  std::string value;
  int line = 0;
};

class RuleBlock {
 public:
  std::string file;
  int line = 0;  // line of the block's first field
  std::vector<RuleField> fields;

  const std::string& name() const;  // value of `rule:`
  bool Has(std::string_view key) const;
  // The value of a key that must be present exactly once; ConfigError otherwise.
  const RuleField& Required(std::string_view key) const;
  // The value of an optional key, or `fallback`.
  std::string Get(std::string_view key, std::string fallback = "") const;
  std::vector<const RuleField*> GetAll(std::string_view key) const;
  // Throws ConfigError naming the first field whose key is not in `allowed`.
  void CheckKeys(std::initializer_list<std::string_view> allowed) const;
};

// Parses one rule file. Throws ConfigError (file, line) on malformed lines.
std::vector<RuleBlock> ParseRuleFile(const std::string& path);
std::vector<RuleBlock> ParseRuleText(std::string_view text,
                                     const std::string& file_name);

class Vocabulary {
 public:
  // Loads every `*.tsv` in `dir` (missing dir: nothing). Entries already
  // loaded under the same name are kept; call the language dir first, then
  // rules/common/vocab as the fallback.
  void LoadDir(const std::string& dir);
  void Add(const std::string& name, const std::string& surface,
           const std::string& value);

  bool Has(std::string_view name) const;
  // Value of a surface (matched case- and accent-insensitively), if listed.
  std::optional<std::string> Lookup(std::string_view name,
                                    std::string_view surface) const;
  // `(?:a|b|...)`, escaped, longest first.
  std::string Alternation(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& Entries(
      std::string_view name) const;

  // Replaces each %NAME in `pattern` by its alternation. `file`/`line` locate
  // the pattern for the error raised on an unknown name.
  std::string Expand(std::string_view pattern, const std::string& file,
                     int line) const;

 private:
  // Hashes a folded surface, a string or a view of one (heterogeneous
  // look-up: Lookup folds into a reused buffer, no string made per call).
  struct FoldedHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Table {
    std::vector<std::pair<std::string, std::string>> entries;  // surface, value
    // The first value of each folded surface. Hashed: the date stage looks
    // up a month or an ordinal in each date it builds, and the tree's walk
    // (a dozen string compares) was most of it.
    std::unordered_map<std::string, std::string, FoldedHash, std::equal_to<>> by_folded;
  };
  std::map<std::string, Table, std::less<>> tables_;
};

// Compiles an (expanded) pattern with the options every stage uses; a pattern
// RE2 rejects is a ConfigError at `file:line` quoting RE2's reason.
std::unique_ptr<RE2> CompileRulePattern(const std::string& pattern,
                                        const std::string& file, int line);
RE2::Options RulePatternOptions();

// Directory holding rules/ and models/: $NEWSEVENTS_HOME, else the source tree
// this binary was built from.
std::string DataRoot();

}  // namespace newsevents

#endif  // NEWSEVENTS_RULE_FILE_H_
