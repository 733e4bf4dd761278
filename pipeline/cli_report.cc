// `newsevents report`: records in, one self-contained HTML page out.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/cli.h"
#include "pipeline/config_error.h"
#include "pipeline/output_file.h"
#include "pipeline/record_stream.h"
#include "pipeline/report.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

constexpr char kHelp[] =
    "usage: newsevents report RECORDS.jsonl|DB.sqlite [-o FILE|-] [options]\n"
    "\n"
    "Writes one HTML file showing the records of a run: a timeline of events by\n"
    "event date and type; counts per type, language, year and source file; top\n"
    "organizations and places, and a country chart; duplicate groups; and a table\n"
    "of every event, sortable and filterable, with a snippet of its source text.\n"
    "The page needs no network: styles, script, data and charts are inside it.\n"
    "RECORDS is what `newsevents extract` wrote (JSON Lines, - = standard input), or\n"
    "a SQLite database with an events(json) table.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE|-   where the page goes (default report.html); written beside\n"
    "                        its final name and renamed when done\n"
    "  --corpus DIR          folder of the source files named in the records, read for\n"
    "                        the snippets (default corpus/); events of files not found\n"
    "                        there get no snippet, and the page says so\n"
    "  --title TEXT          heading of the page (default: newsevents report)\n"
    "  --snippet-bytes N     bytes of each item's text in its snippet (default 360)\n"
    "  --data DIR            folder holding report/ (the page's template, style and\n"
    "                        script), rules/ and models/ (default: $NEWSEVENTS_HOME,\n"
    "                        else the source tree)\n"
    "  -q, --quiet           no summary\n"
    "\n"
    "exit codes: 0 ok, 1 the records could not be read or some were malformed (the\n"
    "  page shows the rest), 2 usage or configuration error, 3 output failure\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "newsevents report: %s\n(see newsevents report --help)\n", message.c_str());
  return kExitUsage;
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args) {
  ReportOptions options;
  options.data_root = DataRoot();
  std::string records_path;
  std::string output = "report.html";
  bool quiet = false;
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      std::string v;
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        std::fputs(kHelp, stdout);
        return kExitOk;
      } else if (TakeOption(args, i, "-o", &v) || TakeOption(args, i, "--output", &v)) {
        output = v;
      } else if (TakeOption(args, i, "--corpus", &v)) {
        if (v.empty()) return Usage("--corpus needs a folder");
        options.corpus_dir = v;
      } else if (TakeOption(args, i, "--title", &v)) {
        options.title = v;
      } else if (TakeOption(args, i, "--snippet-bytes", &v)) {
        const long n = std::stol(v);
        if (n < 0) return Usage("--snippet-bytes takes a number of bytes");
        options.snippet_bytes = static_cast<size_t>(n);
      } else if (TakeOption(args, i, "--data", &v)) {
        options.data_root = v;
      } else if (a == "-q" || a == "--quiet") {
        quiet = true;
      } else if (a.size() > 1 && a[0] == '-') {
        return Usage("unknown option '" + a + "'");
      } else if (records_path.empty()) {
        records_path = a;
      } else {
        return Usage("one RECORDS file at a time (got '" + records_path + "' and '" + a + "')");
      }
    }
  } catch (const std::exception& e) {
    return Usage(std::string("bad option value: ") + e.what());
  }
  if (records_path.empty()) return Usage("no RECORDS file given");
  options.source = records_path;

  ReportBuilder builder(options);
  RecordStreamStats stats;
  try {
    stats = ForEachRecord(records_path, [&](nlohmann::json&& record) { builder.Add(record); });
  } catch (const RecordInputError& e) {
    std::fprintf(stderr, "newsevents report: %s\n", e.what());
    return kExitInputErrors;
  }
  if (stats.bad_lines > 0) {
    std::fprintf(stderr, "newsevents report: error: %zu lines are not records, skipped (first: %s)\n",
                 stats.bad_lines, stats.first_bad.c_str());
    builder.AddNote(std::to_string(stats.bad_lines) + " lines of " + records_path +
                    " are not JSON records and were skipped (first: " + stats.first_bad + ")");
  }
  if (builder.rejected() > 0) {
    std::fprintf(stderr,
                 "newsevents report: error: %zu records lack an id or have a field of the "
                 "wrong kind, left out\n",
                 builder.rejected());
  }
  if (!builder.missing_files().empty()) {
    std::fprintf(stderr,
                 "newsevents report: note: %zu source files not found in %s (--corpus DIR): "
                 "their events have no snippet (first: %s)\n",
                 builder.missing_files().size(), options.corpus_dir.c_str(),
                 builder.missing_files().begin()->c_str());
  }
  if (builder.span_mismatches() > 0) {
    std::fprintf(stderr,
                 "newsevents report: note: %zu events point at text their source file no "
                 "longer has there: no snippet\n",
                 builder.span_mismatches());
  }
  const size_t records = builder.records();

  std::string page;
  try {
    page = RenderReportPage(builder.Finish(), options);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "newsevents: configuration error: %s\n", e.what());
    return kExitUsage;
  }
  try {
    OutputFile out(output);
    out.Write(page);
    out.Finish();
  } catch (const OutputError& e) {
    std::fprintf(stderr, "newsevents report: output failure: %s\n", e.what());
    return kExitOutput;
  }
  if (!quiet) {
    std::fprintf(stderr, "newsevents report: %zu events -> %s (%.1f MB)\n", records,
                 output == "-" ? "standard output" : output.c_str(), page.size() / 1e6);
  }
  return stats.bad_lines > 0 || builder.rejected() > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace newsevents
