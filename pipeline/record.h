// Record: the JSON object written for one news item. The field order and
// names are the stable schema (record.schema.json); downstream databases key
// on `id`.
#ifndef NEWSEVENTS_RECORD_H_
#define NEWSEVENTS_RECORD_H_

#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace newsevents {

// The item's stable id: "ev-" and 16 hex digits of XXH3-64 over its folded
// text with white space collapsed, so re-flowing or re-quoting a text keeps
// its id. (Exact repeats are told apart by the de-duplicator.)
std::string ItemId(const Document& doc, const Item& item);

// The record of one item, in schema order. Byte spans are in the file.
nlohmann::ordered_json ItemRecord(const Document& doc, const Item& item);

// One line of JSON Lines, with its "\n".
std::string RecordLine(const Document& doc, const Item& item);

}  // namespace newsevents

#endif  // NEWSEVENTS_RECORD_H_
