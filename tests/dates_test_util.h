// Helpers for the date tests: run the date stage on small documents and print
// what it found compactly, so that a case reads as one line:
//
//   "text as written=value/end | other=value"   (dates, in text order)
//   "2023-03-07/2023-03-09" or "none"           (event date)
#ifndef NEWSEVENTS_TESTS_DATES_TEST_UTIL_H_
#define NEWSEVENTS_TESTS_DATES_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/dates.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace testing_dates {

// One stage per reference date, loaded once per test binary.
inline const DateStage& Stage(const std::string& reference_date = "") {
  static std::map<std::string, std::unique_ptr<DateStage>>* stages =
      new std::map<std::string, std::unique_ptr<DateStage>>();
  auto& s = (*stages)[reference_date];
  if (!s) {
    StageOptions options;
    options.root = DataRoot();
    options.reference_date = reference_date;
    s = std::make_unique<DateStage>(options);
  }
  return *s;
}

struct TestItem {
  std::string text;           // "Title || body" or body
  std::string heading_year;   // "" for none
};

// A document of `items`, one paragraph each, all in `lang`.
inline Document MakeDocument(const std::string& lang, const std::vector<TestItem>& items) {
  Document doc;
  doc.lang = lang;
  for (const TestItem& t : items) {
    Item item;
    item.index = doc.items.size();
    item.lang = lang;
    item.heading_year = t.heading_year;
    size_t begin = doc.text.size();
    size_t bar = t.text.find(" || ");
    if (bar != std::string::npos) {
      doc.text += t.text.substr(0, bar);
      item.title = {begin, doc.text.size()};
      doc.text += "\n\n";
      item.body = {doc.text.size(), doc.text.size() + t.text.size() - bar - 4};
      doc.text += t.text.substr(bar + 4);
    } else {
      doc.text += t.text;
      item.body = {begin, doc.text.size()};
    }
    item.span = {begin, doc.text.size()};
    doc.text += "\n\n";
    doc.items.push_back(item);
  }
  return doc;
}

inline std::string FormatDates(const Item& item) {
  std::string out;
  for (const DateMention& d : item.dates) {
    if (!out.empty()) out += " | ";
    out += d.text + "=" + d.value + (d.end.empty() ? "" : "/" + d.end);
  }
  return out;
}

inline std::string FormatEvent(const Item& item) {
  if (!item.event_date) return "none";
  return item.event_date->start + (item.event_date->end.empty() ? "" : "/" + item.event_date->end);
}

// Dates of `text` read as one item.
inline std::string Dates(const std::string& lang, const std::string& text,
                         const std::string& reference_date = "") {
  Document doc = MakeDocument(lang, {{text, ""}});
  Stage(reference_date).Apply(doc);
  return FormatDates(doc.items[0]);
}

// Event date of `text` read as one item.
inline std::string Event(const std::string& lang, const std::string& text,
                         const std::string& reference_date = "") {
  Document doc = MakeDocument(lang, {{text, ""}});
  Stage(reference_date).Apply(doc);
  return FormatEvent(doc.items[0]);
}

// Dates of every item of a document, one string per item.
inline std::vector<std::string> DocumentDates(const std::string& lang,
                                              const std::vector<TestItem>& items,
                                              const std::string& reference_date = "") {
  Document doc = MakeDocument(lang, items);
  Stage(reference_date).Apply(doc);
  std::vector<std::string> out;
  for (const Item& item : doc.items) out.push_back(FormatDates(item));
  return out;
}

struct DateCase {
  const char* text;
  const char* expected;  // FormatDates output; "" for no date
};

}  // namespace testing_dates
}  // namespace newsevents

#endif  // NEWSEVENTS_TESTS_DATES_TEST_UTIL_H_
