// EventTypeStage: what kind of event each item tells of, and the facts of it.
//
// The kinds (conference, webinar, meeting, ... other) are not in the code:
// rules/common/event_taxonomy.rules declares them, with how much each zone of
// an item counts (a word in the headline says more than one deep in the
// body). rules/<lang>/event_types.rules holds weighted cues, one block each:
//
//   rule: webinar_word
//   type: webinar
//   zone: title,first_sentence,body
//   weight: 4
//   pattern: \bwebinars?\b
//   example: a webinar series on crime prevention
//
// `before: place` makes a cue count only where a place mention (PlaceStage)
// follows it: "mission to" France, not "mission to" promote.
//
// Patterns are matched on the folded text (no case, no accents), so they are
// written naturally and "Conférence" matches "CONFERENCE"; `example:` lines
// must match and `counterexample:` lines must not, checked on loading. An
// item's score for a type is the sum over its cue matches of weight x zone
// factor; within one zone the evidence for a type saturates: its strongest
// match counts fully, the next ones `repeat` of their weight, up to
// `max_hits`. Two rules keep cues honest: a match inside an organization's
// name ("European Forum for Urban Safety") says nothing about the event and
// is dropped; and all cues of a zone are scanned in one pass (RuleScanner)
// where the longest match wins, so a cue inside a longer cue belongs to the
// longer one (the "meeting" of "a meeting of the steering committee" is the
// steering committee's, and the "meeting" of "working meeting" is not counted
// twice). The top score wins; confidence is its softmax probability. No cue,
// or a tie at the top, gives the fallback type ("other").
//
// The stage then runs EventFacts (event_facts.h) on each item.
#ifndef NEWSEVENTS_EVENT_TYPE_H_
#define NEWSEVENTS_EVENT_TYPE_H_

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/event_facts.h"
#include "pipeline/item_zones.h"
#include "pipeline/rule_scanner.h"
#include "pipeline/stage.h"

namespace newsevents {

// The declared event types and how scores are weighed and turned into a
// confidence. Loaded from rules/common/event_taxonomy.rules.
struct EventTaxonomy {
  struct Type {
    std::string name;
    std::string description;
  };
  std::vector<Type> types;
  int fallback = -1;  // index of the type given when no cue decides
  std::array<double, kZoneCount> zone_factor = {1, 1, 1};
  // Factor of each zone when the item has no headline (its first sentence
  // then plays the headline's part).
  std::array<double, kZoneCount> headless_factor = {1, 1, 1};
  double repeat = 0.5;      // share of its weight a type's further hits add
  int max_hits = 3;         // hits of one type in one zone that count
  double temperature = 2.0; // softmax temperature of the confidence

  int Find(const std::string& name) const;  // -1 when not declared
  static EventTaxonomy Load(const std::string& path);
};

class EventTypeStage {
 public:
  explicit EventTypeStage(const StageOptions& options);
  ~EventTypeStage();
  EventTypeStage(const EventTypeStage&) = delete;
  EventTypeStage& operator=(const EventTypeStage&) = delete;

  // Sets event_type, event_type_confidence, type_cues and the event facts of
  // every item.
  void Apply(Document& doc) const;
  void ApplyToItem(const Document& doc, Item& item) const;

  const EventTaxonomy& taxonomy() const { return taxonomy_; }
  // Languages with a rules/<lang>/event_types.rules file.
  std::vector<std::string> languages() const;

  // Raw per-type scores of an item (index = taxonomy type), for tools.
  std::vector<double> Scores(const Document& doc, const Item& item) const;

 private:
  struct Cue {
    std::string name;
    int type = -1;
    std::array<bool, kZoneCount> zones = {false, false, false};
    double weight = 0;
    bool before_place = false;  // counts only right before a place mention
  };
  struct LanguageCues {
    std::vector<Cue> cues;
    // Every cue (pattern index = cue index), in the groups of the zones
    // where it counts (group = zone); a zone is scanned with its group.
    RuleScanner scanner;
    // The cue words of the scanner's patterns (layers 0, 1) and of the fact
    // rules' (`facts`, layers 2, 3), found in one walk over an item's words
    // (empty when either scanner does not go by cue words).
    CueTrie joint;
    const RuleScanner* facts = nullptr;
  };
  struct Hit {
    int cue;
    Zone zone;
    Span folded;
    bool dropped = false;
  };

  void LoadLanguage(const std::string& lang, const std::string& path);
  const LanguageCues* CuesFor(const Document& doc, const Item& item) const;
  std::vector<Hit> FindHits(const LanguageCues& cues, const ItemZones& zones, const Item& item,
                            const std::vector<RuleScanner::CueWord>* words = nullptr) const;
  // A hit kept, with the weight it added to its type's score.
  struct Weighed {
    const Hit* hit;
    double weight;
  };
  // The scores by type; `weighed`, if given: the hits that count, in the
  // order they were weighed, each with its weight.
  std::vector<double> Score(const LanguageCues& cues, const ItemZones& zones,
                            const std::vector<Hit>& hits,
                            std::vector<Weighed>* weighed) const;

  StageOptions options_;
  EventTaxonomy taxonomy_;
  std::map<std::string, LanguageCues, std::less<>> by_lang_;
  EventFacts facts_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_EVENT_TYPE_H_
