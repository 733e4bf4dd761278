// EventFacts: what an item says about its event beyond the kind of it: how
// many took part (and of how many nationalities), whether it was online,
// hybrid or in person, which organizations organized or hosted it, and the
// part the newsletter's own organization played in it.
//
// Rules live in rules/<lang>/event_facts.rules, one block per cue:
//
//   rule: count_participants
//   fact: participants
//   priority: 3
//   pattern: \b(?P<count>\d[\d,]*|%event_number_word)\s+participants\b
//   example: more than 180 participants => 180
//
// `fact` says what a match gives:
//   participants   group `count`, and optionally group `nationalities`
//   nationalities  group `count`
//   attendance     `value:` online, hybrid or in_person; online and in-person
//                  cues in the same item make it hybrid
//   organizer      the match is a phrase such as "organized by"; the list of
//                  the item's organizations named right after it, up to the
//                  end of the clause (or, with `side: before`, right before
//                  it, as in "the ICPC and the City organized") organized the
//                  event. A list ends where more than a few words, or a word
//                  of the event_list_break vocabulary ("which", "qui",
//                  "donde"), separate two names; a bare-comma list holds only
//                  if it closes with a word of event_list_and ("A, B and C").
//                  `own_role:` is the role this gives the own organization
//                  when it is one of them
//   role           `value:` organizer, speaker, panelist, participant or host;
//                  the pattern names the own organization itself
//                  (%own_organization, "we"...)
// Where several matches give one fact, the highest `priority` wins, then the
// first in the text. All rules are scanned in one pass per zone (RuleScanner::
// ScanStarts): a rule is read at every place where it matches, overlaps
// included. Counts are digits ("1,500") or entries of the event_number_word
// vocabulary ("two hundred<TAB>200"); a bare year-like number (1900-2100) is
// never a head count.
//
// The own organization (whose newsletter it is) is the vocabulary
// own_organization (rules/common/vocab/own_organization.tsv): its names and
// acronyms in every language. An item organization whose name or alias is
// listed there is the own organization.
//
// Patterns match the folded text (see FoldPattern). `example: TEXT [=> VALUE]`
// (must match, and give VALUE) and `counterexample: TEXT` (must not match)
// are checked when the file is loaded.
#ifndef NEWSEVENTS_EVENT_FACTS_H_
#define NEWSEVENTS_EVENT_FACTS_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "pipeline/document.h"
#include "pipeline/item_zones.h"
#include "pipeline/rule_file.h"
#include "pipeline/rule_scanner.h"
#include "pipeline/stage.h"

namespace newsevents {

class EventFacts {
 public:
  // Loads rules/<lang>/event_facts.rules for every language folder of
  // options.root that has one. Throws ConfigError.
  explicit EventFacts(const StageOptions& options);
  ~EventFacts();
  EventFacts(EventFacts&&) noexcept;

  // Sets item.participants, nationalities, attendance, organizers and role.
  // `cues`, if given: the cue words of ScannerFor(lang)'s patterns at
  // zones.words() (RuleScanner::AddCues), found with another stage's.
  void Apply(const Document& doc, const ItemZones& zones, const std::string& lang,
             Item& item, const std::vector<RuleScanner::CueWord>* cues = nullptr) const;

  // The scanner of the rules Apply uses for `lang` (null: none).
  const RuleScanner* ScannerFor(const std::string& lang) const;

  // Whether an organization is the newsletter's own (for `lang`'s vocabulary).
  bool IsOwnOrganization(const Organization& org, const std::string& lang) const;

  // A head count as written ("1,500", "deux cents"), or nullopt.
  static std::optional<int> ParseCount(std::string_view folded,
                                       const Vocabulary& vocab);

 private:
  enum class Fact { kParticipants, kNationalities, kAttendance, kOrganizer, kRole };
  struct Rule {
    std::string name;
    Fact fact = Fact::kParticipants;
    std::string value;     // attendance or role given
    std::string own_role;  // organizer rules: role of the own organization
    double priority = 1;
    std::unique_ptr<RE2> re;
    int count_group = 0;   // capture group indexes, 0 when absent
    int nationalities_group = 0;
    bool names_before = false;  // organizer rules: the organizers precede the match
  };
  struct Language {
    Vocabulary vocab;
    std::vector<Rule> rules;
    RuleScanner scanner;  // all rules in one pass; pattern index = rule index
  };

  // The organizations a naming phrase (a span of text) names: the list it
  // starts with, or ends with (`at_end`, for a subject before its verb), as
  // (mention offset, organization index).
  static std::vector<std::pair<size_t, size_t>> NamedOrganizations(
      const Document& doc, Span phrase, bool at_end, const Item& item,
      const Vocabulary& vocab);
  void LoadLanguage(const std::string& root, const std::string& lang,
                    const std::string& path);
  const Language* Find(const std::string& lang) const;

  std::map<std::string, Language, std::less<>> by_lang_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_EVENT_FACTS_H_
