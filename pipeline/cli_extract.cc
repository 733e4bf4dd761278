// `newsevents extract`: a drop in, JSON Lines out, a one-screen summary.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <string>
#include <vector>

#include "pipeline/cli.h"
#include "pipeline/config_error.h"
#include "pipeline/date_calendar.h"
#include "pipeline/dedup.h"
#include "pipeline/drop_loader.h"
#include "pipeline/output_file.h"
#include "pipeline/pipeline.h"
#include "pipeline/progress.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"
#include "pipeline/shard.h"

namespace newsevents {
namespace {

constexpr char kHelp[] =
    "usage: newsevents extract PATH... [-o FILE|-] [options]\n"
    "\n"
    "Reads each PATH (a text file, or a folder whose *.txt, *.text and *.md files are\n"
    "read in name order; other files are ignored) and writes one JSON record per news\n"
    "item, one per line. A summary goes to standard error.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE|-     where records go (default: - = standard output); a file\n"
    "                          is written beside its final name and renamed when done\n"
    "  --threads N             worker threads (default: all cores); output is the same\n"
    "  --lang auto|en|fr|es    force the language instead of detecting it (default auto)\n"
    "  --reference-date DATE   YYYY-MM-DD taken as 'now' for dates without a year\n"
    "  --explain               add an \"explain\" object to each record: the cues behind\n"
    "                          its event type and event date, the rule of each date\n"
    "  --state FILE            remember what this run saw in a SQLite file, so that a later\n"
    "                          drop's repeats link to earlier records (made durable only\n"
    "                          once the output is completely written)\n"
    "  --new-only              write only records that no earlier run (--state) wrote\n"
    "  --sqlite FILE           also load the records written into an SQLite feed database\n"
    "                          (README \"Databases\"), committed once the output is complete\n"
    "  --postgres URL          the same into PostgreSQL (libpq URL or \"key=value ...\")\n"
    "  --shard                 map step of a split run: write records before de-\n"
    "                          duplication, with what it needs (a shard, pipeline/\n"
    "                          shard.h); `newsevents dedup SHARD...` writes the final\n"
    "                          records (there go --state and --new-only)\n"
    "  --max-file-mb N         skip (with an error) files larger than N MiB (default 1024)\n"
    "  --data DIR              folder holding rules/ and models/ (default: $NEWSEVENTS_HOME,\n"
    "                          else the source tree)\n"
    "  -q, --quiet             no summary, and no progress line (which is drawn only\n"
    "                          when standard error is a terminal)\n"
    "\n"
    "exit codes: 0 ok, 1 some files had errors (records written for the rest),\n"
    "  2 usage or configuration error, 3 output failure, 130 interrupted\n";

std::atomic<int> g_signal{0};

extern "C" void OnSignal(int sig) { g_signal.store(sig); }

struct Interrupted {};

struct Summary {
  size_t files = 0;
  size_t files_with_items = 0;
  size_t errors = 0;
  size_t items = 0;
  size_t records = 0;
  size_t duplicates = 0;
  size_t seen = 0;  // written by an earlier run (--state)
  uint64_t bytes = 0;
};

bool IsError(const Warning& w) {
  return w.code == "unreadable" || w.code == "skipped" || w.code == "failed" ||
         w.code == "invalid-utf8" || w.code == "invalid-utf16";
}

// Invalid bytes are reported on the records whose text they fall in.
void AttachWarnings(Document& doc) {
  for (const Warning& w : doc.warnings) {
    if (w.code != "invalid-utf8" && w.code != "invalid-utf16") continue;
    for (Item& item : doc.items) {
      if (doc.Slice(item.span).find("\xEF\xBF\xBD") != std::string_view::npos) {
        item.warnings.push_back(w);
      }
    }
  }
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "newsevents extract: %s\n(see newsevents extract --help)\n",
               message.c_str());
  return kExitUsage;
}

}  // namespace

int RunExtractCommand(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string output = "-";
  StageOptions stage_options;
  stage_options.root = DataRoot();
  RunOptions run;
  bool quiet = false;
  std::string state_path;
  bool new_only = false;
  bool shard = false;  // --shard: keys instead of links (pipeline/shard.h)
  std::string sqlite_path, postgres_url;  // feed databases (pipeline/drop_loader.h)
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      std::string v;
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        std::fputs(kHelp, stdout);
        return kExitOk;
      } else if (TakeOption(args, i, "-o", &v) || TakeOption(args, i, "--output", &v)) {
        output = v;
      } else if (TakeOption(args, i, "--threads", &v)) {
        run.threads = std::stoi(v);
        if (run.threads < 1) return Usage("--threads takes a number of at least 1");
      } else if (TakeOption(args, i, "--lang", &v)) {
        if (v != "auto" && v != "en" && v != "fr" && v != "es")
          return Usage("--lang takes auto, en, fr or es");
        stage_options.lang = v;
      } else if (TakeOption(args, i, "--reference-date", &v)) {
        // The calendar's own check, so "2023-02-30" is refused here, before
        // any rule is loaded, and not only by its shape.
        const auto date = ParseCalendarValue(v);
        if (v.size() != 10 || !date || date->relative || !date->has_year() || date->day == 0)
          return Usage("--reference-date takes a real YYYY-MM-DD date, got '" + v + "'");
        stage_options.reference_date = v;
      } else if (a == "--explain") {
        stage_options.explain = true;
      } else if (TakeOption(args, i, "--max-file-mb", &v)) {
        run.read.max_file_bytes = static_cast<uint64_t>(std::stoull(v)) << 20;
      } else if (TakeOption(args, i, "--data", &v)) {
        stage_options.root = v;
      } else if (TakeOption(args, i, "--state", &v)) {
        state_path = v;
      } else if (a == "--new-only") {
        new_only = true;
      } else if (a == "--shard") {
        shard = true;
      } else if (TakeOption(args, i, "--sqlite", &v)) {
        sqlite_path = v;
      } else if (TakeOption(args, i, "--postgres", &v)) {
        postgres_url = v;
      } else if (a == "-q" || a == "--quiet") {
        quiet = true;
      } else if (a.size() > 1 && a[0] == '-') {
        return Usage("unknown option '" + a + "'");
      } else {
        inputs.push_back(a);
      }
    }
  } catch (const std::exception& e) {
    return Usage(e.what());
  }
  if (inputs.empty()) return Usage("no input PATH given");
  if (new_only && state_path.empty()) return Usage("--new-only needs --state FILE");
  if (shard && !state_path.empty())
    return Usage("--state and --new-only go to `newsevents dedup`, not to extract --shard");
  if (shard && (!sqlite_path.empty() || !postgres_url.empty()))
    return Usage("--sqlite and --postgres take final records: `newsevents load` the output of `newsevents dedup`");
  if (!sqlite_path.empty() && sqlite_path == state_path)
    return Usage("--sqlite and --state must be different files");

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Pipeline> pipeline;
  try {
    pipeline = std::make_unique<Pipeline>(LoadStandardStages(stage_options));
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "newsevents: configuration error: %s\n", e.what());
    return kExitUsage;
  }
  std::unique_ptr<Deduplicator> dedup;
  try {
    dedup = std::make_unique<Deduplicator>(stage_options, state_path);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "newsevents: configuration error: %s\n", e.what());
    return kExitUsage;
  } catch (const StateError& e) {
    std::fprintf(stderr, "newsevents: state file: %s\n", e.what());
    return kExitOutput;
  }

  std::unique_ptr<DropLoader> db;  // committed after the output, before the state
  try {
    db = OpenDropLoader(sqlite_path, postgres_url, "extract", inputs, stage_options.root);
  } catch (const SinkError& e) {
    std::fprintf(stderr, "newsevents: database: %s\n", e.what());
    return kExitOutput;
  }
  std::vector<std::string> db_report;

  std::vector<std::string> list_errors;
  std::vector<std::string> files = ListDropFiles(inputs, &list_errors);
  Summary summary;
  for (const std::string& e : list_errors) {
    std::fprintf(stderr, "newsevents: error: %s\n", e.c_str());
    ++summary.errors;
  }

  std::unique_ptr<OutputFile> out;
  try {
    out = std::make_unique<OutputFile>(output);
    if (shard) out->Write(ShardHeaderLine(stage_options, dedup->key_maker().Settings()));
  } catch (const OutputError& e) {
    std::fprintf(stderr, "newsevents: %s\n", e.what());
    return kExitOutput;
  }

  g_signal.store(0);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  int exit_code = kExitOk;
  try {
    // Declared in the try block: unwinding erases the line before any handler prints.
    const bool show_progress = !quiet && IsInteractive(stderr);
    ProgressLine progress(stderr, show_progress,
                          {files.size(), show_progress ? TotalFileBytes(files) : 0});
    auto report_progress = [&] {
      progress.Update({summary.files, summary.bytes, summary.items, summary.duplicates,
                       summary.errors});
    };
    // All that depends on one document only runs in the parallel part
    // (run.prepare): records rendered, story keys made (indexed by the
    // document's ordinal). The serial sink below only judges the keys in
    // order, fills in ids and links, and writes.
    std::vector<std::vector<StoryKey>> story_keys(files.size());
    run.prepare = [&](Document& doc) {
      AttachWarnings(doc);
      if (shard) {  // records as written below, with story keys instead of links
        for (Item& item : doc.items) {
          std::string record = RecordLine(doc, item, stage_options.explain);
          record.pop_back();  // its "\n"
          item.record = ShardItemLine(record, dedup->KeyOf(doc, item));
        }
        std::string().swap(doc.story_texts);  // read by KeyOf, needed no more
        return;
      }
      std::vector<StoryKey>& keys = story_keys[doc.ordinal];
      keys.reserve(doc.items.size());
      for (Item& item : doc.items) {
        item.record = RecordLine(doc, item, stage_options.explain);
        keys.push_back(dedup->KeyOf(doc, item));
      }
      std::string().swap(doc.story_texts);  // read by KeyOf, needed no more
    };
    // What is left of the keys once judged is freed in the parallel part.
    run.release = [&](Document& doc) { std::vector<StoryKey>().swap(story_keys[doc.ordinal]); };
    pipeline->Run(files, run, [&](Document& doc) {
      if (g_signal.load()) throw Interrupted();
      ++summary.files;
      summary.bytes += doc.source_size;
      bool had_error = false;
      for (const Warning& w : doc.warnings) {
        std::string where = w.source_offset ? " (first at byte " + std::to_string(*w.source_offset) + ")" : "";
        auto paused = progress.Pause();
        std::fprintf(stderr, "newsevents: %s: %s: %s%s\n", doc.path.c_str(),
                     IsError(w) ? "error" : "note", w.message.c_str(), where.c_str());
        had_error |= IsError(w);
      }
      if (had_error) ++summary.errors;
      if (doc.items.empty()) return report_progress();
      ++summary.files_with_items;
      if (shard) {
        std::string shard_lines;  // rendered in the parallel part (run.prepare)
        for (const Item& item : doc.items) shard_lines += item.record;
        summary.items += doc.items.size();
        summary.records += doc.items.size();
        out->Write(shard_lines);
        return report_progress();
      }
      const std::vector<bool> seen = dedup->Process(doc, &story_keys[doc.ordinal]);
      std::string lines;  // rendered in the parallel part (run.prepare)
      size_t bytes = 0;     // sized once: growing it would copy the records again
      for (const Item& item : doc.items) bytes += item.record.size() + 48;  // + id and link
      lines.reserve(bytes);
      for (size_t i = 0; i < doc.items.size(); ++i) {
        const Item& item = doc.items[i];
        ++summary.items;
        if (seen[i]) ++summary.seen;
        if (new_only && seen[i]) continue;
        ++summary.records;
        if (!item.duplicate_of.empty()) ++summary.duplicates;
        AppendFilledRecord(item.record, item.id, item.duplicate_of, &lines);
      }
      out->Write(lines);
      if (db) db->AddLines(lines);
      report_progress();
    });
    // Only a run that got here ends its shard: a shard without its end line
    // is refused by `newsevents dedup`.
    if (shard)
      out->Write(ShardEndLine({summary.files, summary.files_with_items, summary.errors,
                               summary.items, summary.bytes}));
    out->Finish();
    if (db) {
      db->Commit();
      db_report = db->Report();
    }
    dedup->Commit();
  } catch (const Interrupted&) {
    std::fprintf(stderr, "newsevents: interrupted by signal %d: keeping the %zu whole file(s) written\n",
                 g_signal.load(), summary.files);
    exit_code = kExitInterrupted;
    try {
      // Every document the state saw was written: both advance together.
      out->Finish();
      if (db) {
        db->Commit();
        db_report = db->Report();
      }
      dedup->Commit();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "newsevents: %s\n", e.what());
      exit_code = kExitOutput;
    }
  } catch (const StateError& e) {
    std::fprintf(stderr, "newsevents: state file not updated: %s\n", e.what());
    exit_code = kExitOutput;
  } catch (const SinkError& e) {
    // Neither the database nor the state is committed; the output is kept.
    std::fprintf(stderr, "newsevents: database failure, nothing committed to it: %s\n", e.what());
    try {
      out->Finish();
    } catch (const OutputError&) {
    }
    exit_code = kExitOutput;
  } catch (const OutputError& e) {
    // The state is not committed: it never runs ahead of the output.
    std::fprintf(stderr, "newsevents: output failure: %s\n", e.what());
    try {
      out->Finish();
    } catch (const OutputError&) {
    }
    exit_code = kExitOutput;
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (exit_code == kExitOk && summary.errors > 0) exit_code = kExitInputErrors;

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) {
    const double mb = summary.bytes / 1e6;
    std::fprintf(stderr,
                 "newsevents extract: %zu files (%zu with items, %zu with errors)\n"
                 "  %zu items -> %zu records, %zu duplicates linked, %zu seen in earlier runs\n"
                 "  %.2f MB in %.2f s: %.1f MB/s, %.0f items/s, %d threads\n"
                 "  output: %s\n",
                 summary.files, summary.files_with_items, summary.errors, summary.items,
                 summary.records, summary.duplicates, summary.seen, mb, seconds,
                 seconds > 0 ? mb / seconds : 0.0, seconds > 0 ? summary.items / seconds : 0.0,
                 run.threads > 0 ? run.threads : static_cast<int>(std::thread::hardware_concurrency()),
                 output == "-" ? "standard output" : output.c_str());
    for (const std::string& line : db_report) std::fprintf(stderr, "  database: %s\n", line.c_str());
  }
  return exit_code;
}

}  // namespace newsevents
