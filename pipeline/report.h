// The HTML report of a run: `newsevents report` turns records into one
// self-contained page (styles, script and data inline, charts drawn as SVG by
// the page itself) that opens without a network.
//
// The C++ side does what the browser cannot: it reads the source files to cut
// a snippet of each item's text, and it packs the records into one compact
// JSON blob (names of types, files, organizations and places stored once,
// events as arrays of indices), so that 100,000 events stay a page of tens of
// MB that the browser parses in well under a second. Everything the analyst
// sees (counts, charts, filters, the table) is computed by report/report.js
// from that blob.
//
//   ReportBuilder builder(options);
//   ForEachRecord("out/events.jsonl", [&](nlohmann::json&& r) { builder.Add(r); });
//   std::string html = RenderReportPage(builder.Finish(), options);
//
// The blob: {"meta": {...}, "columns": [...], "types": [...], "langs": [...],
// "files": [...], "orgs": [...], "places": [...], "countries": {...},
// "events": [[...], ...]}; report/report.js documents how it reads it.
#ifndef NEWSEVENTS_REPORT_H_
#define NEWSEVENTS_REPORT_H_

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace newsevents {

struct ReportOptions {
  std::string title = "newsevents report";
  std::string source;                // the records file, as named on the command line
  std::string corpus_dir = "corpus";  // where the source files of the records are
  std::string data_root;             // holds report/ (the page) and rules/, models/
  size_t snippet_bytes = 360;        // of the item's own text
  size_t context_bytes = 100;        // of the text before (and after) the item
};

// A piece of an item's source text, whitespace collapsed, cut at character
// and word boundaries: what comes before the item, its title, the opening of
// its body and, when the item is shown whole, what comes after it.
struct Snippet {
  std::string before;
  std::string title;
  std::string body;
  std::string after;
  bool cut = false;  // the body stops before the item's end
};

// The snippet of the item at [begin, end) of `file`, whose title ends at
// `title_end` (== begin when it has none). nullopt when the span does not lie
// in the file.
std::optional<Snippet> MakeSnippet(std::string_view file, size_t begin, size_t end,
                                   size_t title_end, size_t max_body, size_t context);

class ReportBuilder {
 public:
  explicit ReportBuilder(ReportOptions options);

  // Adds one record (the fields of pipeline/record.schema.json; missing ones
  // are taken as empty, so records of older versions still make a report).
  // Returns false, and counts it, for a record without an id or with a field
  // of the wrong kind.
  bool Add(const nlohmann::json& record);

  // A line shown at the top of the page (and nowhere else).
  void AddNote(std::string note) { notes_.push_back(std::move(note)); }

  // The data blob the page renders, as JSON text. Call once.
  std::string Finish();

  size_t records() const { return records_; }
  size_t rejected() const { return rejected_; }
  // Source files of the records not found under corpus_dir.
  const std::set<std::string>& missing_files() const { return missing_files_; }
  // Records whose span lies outside their file or whose title is not at their
  // title span (the file changed since the run).
  size_t span_mismatches() const { return span_mismatches_; }

 private:
  int Intern(std::unordered_map<std::string, int>& index, std::vector<std::string>& names,
             const std::string& name);
  int FileIndex(const std::string& name);
  const std::string* SourceText(int file);  // nullptr when missing
  nlohmann::json SnippetOf(const nlohmann::json& record, int file);

  ReportOptions options_;
  // Rows (arrays, as in Finish()'s "columns"), dumped as they come: the text
  // is the smallest form they take, and what the page gets anyway.
  std::string events_text_;
  size_t records_ = 0;
  std::vector<std::string> notes_;
  size_t rejected_ = 0;
  size_t span_mismatches_ = 0;

  std::unordered_map<std::string, int> type_index_, lang_index_, file_index_;
  std::vector<std::string> types_, langs_, files_;
  std::vector<uint64_t> file_sizes_;

  struct Org {
    std::string name;
    std::set<std::string> aliases;
  };
  std::unordered_map<std::string, int> org_index_;
  std::vector<Org> orgs_;

  struct Place {
    std::string canonical, kind, country;
    std::set<std::string> names;  // as written, other than the canonical name
  };
  std::unordered_map<std::string, int> place_index_;
  std::vector<Place> places_;

  // The one source file kept in memory: records come in file order.
  int loaded_file_ = -1;
  std::string loaded_text_;
  std::set<std::string> missing_files_;
  std::vector<bool> file_missing_;
};

// The page: report/template.html with report/style.css, report/report.js and
// `data` put in place, from options.data_root. Throws ConfigError when an
// asset is missing or would break out of its element.
std::string RenderReportPage(const std::string& data, const ReportOptions& options);

// ISO 3166-1 alpha-2 code -> English country name, from the place gazetteer
// (models/places/places.tsv under `data_root`); empty when it is missing.
std::map<std::string, std::string> LoadCountryNames(const std::string& data_root);

}  // namespace newsevents

#endif  // NEWSEVENTS_REPORT_H_
