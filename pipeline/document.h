// Document and Item: what flows through the pipeline. Each stage is a plain
// function that reads some fields of a Document and fills others.
//
// Coordinates: every Span is a byte range in Document::text (the normalized
// text). Document::ToOriginal maps it to the file as decoded to UTF-8 (where
// the text "as written" is read), Document::ToFile to the bytes of the file
// itself (what records report, so a span can be cut out of the file).
#ifndef NEWSEVENTS_DOCUMENT_H_
#define NEWSEVENTS_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/offset_map.h"

namespace newsevents {

struct Span {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool Contains(const Span& o) const { return begin <= o.begin && o.end <= end; }
  bool Overlaps(const Span& o) const { return begin < o.end && o.begin < end; }
  friend bool operator==(const Span&, const Span&) = default;
};

// Something a reader should know about a file or an item (bad bytes, a BOM...).
struct Warning {
  std::string code;     // short machine-readable tag: "invalid-utf8", "bom"...
  std::string message;  // one sentence for a person
  std::optional<size_t> source_offset;  // byte offset in the file, if any
};

// A temporal expression, resolved. Values are ISO 8601 at the precision the
// text gives: "2023", "2023-03", "2023-03-07".
struct DateMention {
  Span span;
  std::string text;       // as written (normalized text of span)
  std::string value;      // start
  std::string end;        // end of a range, "" for a single date
  std::string precision;  // "year", "season", "month", "day"
  std::string rule;       // name of the rule that matched (for --explain)
};

struct EventDate {
  std::string start;
  std::string end;  // "" for a single date
  std::string reason;  // which cue chose it (for --explain)
};

struct Organization {
  std::string name;                  // full name, first full mention's wording
  std::vector<std::string> aliases;  // acronyms and other names used
  std::vector<Span> mentions;
};

struct Place {
  std::string name;       // as first written
  std::string canonical;  // gazetteer name
  std::string kind;       // city, region, country, world_region
  std::string country;    // ISO 3166-1 alpha-2, "" if unknown
  std::vector<Span> mentions;
};

struct Person {
  std::string name;  // full name as first written, without titles
  std::vector<Span> mentions;
};

// A cue that pushed the event type decision (for --explain).
struct TypeCue {
  std::string type;
  std::string cue;
  double weight = 0;
  Span span;
};

// One news item: one story, one record.
struct ItemNameTokens;  // name_tokens.h
struct ItemWordStarts;  // rule_search.h

struct Item {
  size_t index = 0;        // 0-based position in its document
  Span span;               // the whole item, title included
  Span title;              // empty when the item has no headline
  Span body;               // the item after its title
  std::vector<Span> paragraphs;
  std::vector<Span> sentences;
  std::string lang = "und";  // en, fr, es or und
  double lang_confidence = 0;
  std::string heading_year;  // year heading above the item in a yearly archive, or ""

  std::vector<DateMention> dates;
  std::optional<EventDate> event_date;
  std::vector<Organization> organizations;
  std::vector<Place> places;
  std::vector<Person> people;
  std::string event_type = "other";
  double event_type_confidence = 0;
  std::vector<TypeCue> type_cues;

  // Facts of the event, where the text gives them.
  std::optional<int> participants;
  std::optional<int> nationalities;
  std::string attendance;               // "online", "hybrid", "in_person" or ""
  std::vector<std::string> organizers;  // names of organizations that organized/hosted it
  std::string role;  // the newsletter's own organization: organizer, speaker, panelist, participant, host, or ""

  // The item's words for the name finders, cut once by the first of them
  // that needs them and shared with the next (NameTokensOf in name_tokens.h).
  std::shared_ptr<const ItemNameTokens> name_tokens;
  // Where its words start, for the rule cues of the date and entity stages,
  // found by the first of them and shared with the others (WordStartsOf in rule_search.h).
  std::shared_ptr<const ItemWordStarts> word_starts;

  std::string id;            // stable id from the normalized item text
  // Its story text (story_text.h) in Document::story_texts, when the ids
  // step kept it there (AssignItemIds in record.h) for the story keys.
  Span story_text;
  std::string duplicate_of;  // id of the first telling, "" if none
  std::vector<Warning> warnings;
  // The JSON record, rendered in the parallel part; the serial writer only
  // fills in id and duplicate_of (FillRecord in record.h).
  std::string record;
};

struct Document {
  std::string path;   // as found on disk
  std::string name;   // file name reported in records
  size_t ordinal = 0; // position in the drop (name order)
  uint64_t source_size = 0;

  std::string original;         // the file decoded to UTF-8 (BOM dropped, bad bytes replaced)
  OffsetMap original_to_file;   // original byte -> file byte (identity for plain UTF-8)
  std::string text;             // normalized UTF-8 (NFC, unified punctuation, LF)
  OffsetMap text_to_original;   // text byte -> original byte
  std::string folded;           // case- and accent-folded copy of text
  OffsetMap folded_to_text;     // folded byte -> text byte

  std::string lang = "und";     // dominant language of the document
  std::vector<Item> items;
  // The items' story texts one after the other (Item::story_text): made
  // once for the ids and read again for the story keys, then freed.
  std::string story_texts;
  std::vector<Warning> warnings;
  bool skipped = false;         // unreadable or not text: no items

  std::string_view Slice(const Span& s) const {
    return std::string_view(text).substr(s.begin, s.end - s.begin);
  }
  Span ToOriginal(const Span& s) const {
    return {text_to_original.ToSource(s.begin), text_to_original.ToSource(s.end)};
  }
  Span ToFile(const Span& s) const {
    Span o = ToOriginal(s);
    return {original_to_file.ToSource(o.begin), original_to_file.ToSource(o.end)};
  }
  // The span's text as written in the file (before normalization).
  std::string_view AsWritten(const Span& s) const {
    Span o = ToOriginal(s);
    return std::string_view(original).substr(o.begin, o.end - o.begin);
  }
  // Maps a span of `folded` to a span of `text`.
  Span FoldedToText(const Span& s) const {
    return {folded_to_text.ToSource(s.begin), folded_to_text.ToSource(s.end)};
  }
};

}  // namespace newsevents

#endif  // NEWSEVENTS_DOCUMENT_H_
