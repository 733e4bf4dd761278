// ItemZones: an item's text as event-type and event-fact rules see it.
//
// Where a word stands says how much it tells about the event: a headline names
// the kind of event far more reliably than the tenth line of the body. The
// item is cut into three zones, title, first sentence of the body, and the
// rest of the body, as ranges of a folded text (FoldText: no case, no
// accents): Document::folded when the normalizer filled it, else a copy of the
// item folded here. Matching zone by zone keeps every match inside one zone;
// ToText() leads back to Document::text.
#ifndef NEWSEVENTS_ITEM_ZONES_H_
#define NEWSEVENTS_ITEM_ZONES_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/document.h"
#include "pipeline/offset_map.h"
#include "pipeline/rule_search.h"

namespace newsevents {

enum class Zone : int { kTitle = 0, kFirstSentence = 1, kBody = 2 };
inline constexpr int kZoneCount = 3;

// "title", "first_sentence", "body".
std::string_view ZoneName(Zone zone);
std::optional<Zone> ParseZone(std::string_view name);

// The end (in Document::text) of the first sentence of `body`: the item's
// sentences when the sentence stage gave them, else the first full stop
// followed by a capitalized word, or the end of the first line.
size_t FirstSentenceEnd(const Document& doc, const Item& item, Span body);

class ItemZones {
 public:
  ItemZones(const Document& doc, const Item& item);

  // The folded text the zones are ranges of (more than the item: match only
  // inside zone ranges); a whole std::string, so a NUL follows it (the cue
  // look-ups, CueTrie::AtLayers, stop on it).
  std::string_view folded() const { return folded_; }
  // A zone as a range of folded(); empty when the item has no such zone.
  Span zone(Zone z) const { return zones_[static_cast<int>(z)]; }
  std::string_view ZoneText(Zone z) const {
    const Span s = zone(z);
    return folded_.substr(s.begin, s.size());
  }
  bool has_title() const { return !zone(Zone::kTitle).empty(); }
  // Where the words of the zones start, as offsets in folded(): the rule
  // scanners look their cue words up there (RuleScanner).
  const ItemWordStarts& words() const { return words_; }
  // A range of folded() as a span of Document::text.
  Span ToText(Span folded_span) const {
    return {text_offset_ + map_->ToSource(folded_span.begin),
            text_offset_ + map_->ToSource(folded_span.end)};
  }

 private:
  // The folded offset of text offset `t` (the first folded byte mapping to it
  // or after it).
  size_t ToFolded(size_t t) const;

  std::string own_;        // the item folded here, when the document has no folded text
  OffsetMap own_map_;
  std::string_view folded_;
  const OffsetMap* map_ = nullptr;  // folded_ -> text (from text_offset_)
  size_t text_offset_ = 0;
  std::array<Span, kZoneCount> zones_;
  ItemWordStarts words_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_ITEM_ZONES_H_
