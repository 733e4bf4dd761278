// Record: the JSON object written for one news item. The field order and
// names are the stable schema (record.schema.json); downstream databases key
// on `id`.
#ifndef NEWSEVENTS_RECORD_H_
#define NEWSEVENTS_RECORD_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace newsevents {

// The item's stable id: "ev-" and 16 hex digits of XXH3-64 over its folded
// text with white space collapsed, so re-flowing or re-quoting a text keeps
// its id. (Exact repeats are told apart by the de-duplicator.)
std::string ItemId(const Document& doc, const Item& item);
// Sets every item's id, keeping its story text in doc.story_texts
// (Item::story_text) for the story keys made next (StoryKeyMaker::KeyOf),
// which would otherwise make it again.
void AssignItemIds(Document& doc);

// One line of JSON Lines, with its "\n": the record of one item, in schema
// order, byte spans in the file. With `explain`, an "explain" member at the
// end says which cues chose the event type and event date and which rule
// read each date (extract --explain). Written by JsonWriter, with the bytes
// nlohmann's dump(-1, ' ', false, replace) would give.
std::string RecordLine(const Document& doc, const Item& item, bool explain = false);

// The same record as a JSON tree (RecordLine parsed), for callers that
// read it.
nlohmann::ordered_json ItemRecord(const Document& doc, const Item& item);

// RecordLine with the two fields de-duplication decides filled in later, so
// that the costly rendering runs in parallel and the serial writer only
// splices: FillRecord(RecordLine(doc, item), id, dup) gives the same bytes as
// RecordLine with item.id = id and item.duplicate_of = dup. Works on any
// line RecordLine made (keys' quotes are never escaped, values' always are,
// so `"duplicate_of":` occurs once).
std::string FillRecord(std::string_view line, const std::string& id,
                       const std::string& duplicate_of);
// FillRecord appending to `out`.
void AppendFilledRecord(std::string_view line, const std::string& id,
                        const std::string& duplicate_of, std::string* out);

}  // namespace newsevents

#endif  // NEWSEVENTS_RECORD_H_
