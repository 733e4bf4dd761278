// ItemZones: an item's text as event-type and event-fact rules see it.
//
// Where a word stands says how much it tells about the event: a headline names
// the kind of event far more reliably than the tenth line of the body. The
// item is cut into three zones, title, first sentence of the body, and the
// rest of the body, each folded (FoldText) for matching. The folded zones are
// joined by '\n' into one string, so one RE2 pass can screen them all while
// no match runs across two zones; ToText() leads back to Document::text.
#ifndef NEWSEVENTS_ITEM_ZONES_H_
#define NEWSEVENTS_ITEM_ZONES_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/document.h"
#include "pipeline/offset_map.h"

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

  // All zones, folded, joined by '\n'.
  const std::string& folded() const { return folded_; }
  // A zone as a range of folded().
  Span zone(Zone z) const { return pieces_[static_cast<int>(z)].folded; }
  std::string_view ZoneText(Zone z) const {
    const Span s = zone(z);
    return std::string_view(folded_).substr(s.begin, s.size());
  }
  bool has_title() const { return !zone(Zone::kTitle).empty(); }
  // The zone holding folded offset `pos` (the one it ends, for a zone end).
  Zone ZoneAt(size_t pos) const;
  // A range of folded() (inside one zone) as a span of Document::text.
  Span ToText(Span folded_span) const;

 private:
  struct Piece {
    Span text;    // in Document::text
    Span folded;  // in folded_
    OffsetMap map;  // folded piece -> text piece
  };
  std::array<Piece, kZoneCount> pieces_;
  std::string folded_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_ITEM_ZONES_H_
