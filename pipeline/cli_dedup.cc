// `newsevents dedup`: the reduce step of a split run (pipeline/shard.h).
// Reads the shards that `newsevents extract --shard` wrote, judges every
// item's story key in order, and writes the final records: the same bytes a
// single `newsevents extract` over the same files would write.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/cli.h"
#include "pipeline/config_error.h"
#include "pipeline/dedup.h"
#include "pipeline/output_file.h"
#include "pipeline/rule_file.h"
#include "pipeline/shard.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

constexpr char kHelp[] =
    "usage: newsevents dedup SHARD... [-o FILE|-] [options]\n"
    "\n"
    "The reduce step of a split run. Reads the shards written by\n"
    "`newsevents extract --shard` (each SHARD a file, or a folder whose *.jsonl\n"
    "files are read), all of them in file-name order, links every item to the first\n"
    "telling of its story across all shards, and writes the final records, one per\n"
    "line: byte for byte what `newsevents extract` writes for the same files when the\n"
    "shards' files, taken in shard order, are those files in their order.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE|-     where records go (default: - = standard output); a file\n"
    "                          is written beside its final name and renamed when done\n"
    "  --state FILE            as for extract: link to and remember earlier runs\n"
    "  --new-only              write only records that no earlier run (--state) wrote\n"
    "  --data DIR              folder holding models/dedup (default: $NEWSEVENTS_HOME,\n"
    "                          else the source tree); must match the extract --shard runs\n"
    "  -q, --quiet             no summary\n"
    "\n"
    "exit codes: 0 ok, 1 the shards report input files with errors (records written\n"
    "  for the rest), 2 usage error, or a shard that is incomplete, damaged, made with\n"
    "  other dedup settings or other extraction options (nothing written),\n"
    "  3 output failure, 130 interrupted (whole files kept, state committed for them)\n";

std::atomic<int> g_signal{0};

extern "C" void OnDedupSignal(int sig) { g_signal.store(sig); }

int Usage(const std::string& message) {
  std::fprintf(stderr, "newsevents dedup: %s\n(see newsevents dedup --help)\n", message.c_str());
  return kExitUsage;
}

// Each argument a shard file, or a folder of *.jsonl shards; all of them in
// file-name order (ties keep the order given).
std::vector<std::string> ListShards(const std::vector<std::string>& args,
                                    std::vector<std::string>* errors) {
  std::vector<std::string> shards;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".jsonl" && !it->is_directory())
          shards.push_back(it->path().string());
      if (ec) errors->push_back(arg + ": cannot list folder: " + ec.message());
    } else if (fs::exists(arg, ec)) {
      shards.push_back(arg);
    } else {
      errors->push_back(arg + ": no such file");
    }
  }
  std::stable_sort(shards.begin(), shards.end(), [](const std::string& a, const std::string& b) {
    return fs::path(a).filename() < fs::path(b).filename();
  });
  return shards;
}

struct Summary {
  size_t shards = 0;
  uint64_t files = 0;
  uint64_t files_with_items = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
  size_t items = 0;
  size_t records = 0;
  size_t duplicates = 0;
  size_t seen = 0;
};

struct Interrupted {};

}  // namespace

int RunDedupCommand(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string output = "-";
  StageOptions options;
  options.root = DataRoot();
  std::string state_path;
  bool new_only = false;
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
      } else if (TakeOption(args, i, "--state", &v)) {
        state_path = v;
      } else if (a == "--new-only") {
        new_only = true;
      } else if (TakeOption(args, i, "--data", &v)) {
        options.root = v;
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
  if (inputs.empty()) return Usage("no SHARD given");
  if (new_only && state_path.empty()) return Usage("--new-only needs --state FILE");

  std::vector<std::string> list_errors;
  const std::vector<std::string> shards = ListShards(inputs, &list_errors);
  for (const std::string& e : list_errors) std::fprintf(stderr, "newsevents dedup: %s\n", e.c_str());
  if (!list_errors.empty()) return kExitUsage;
  if (shards.empty()) return Usage("no shard found");

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Deduplicator> dedup;
  try {
    dedup = std::make_unique<Deduplicator>(options, state_path);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "newsevents: configuration error: %s\n", e.what());
    return kExitUsage;
  } catch (const StateError& e) {
    std::fprintf(stderr, "newsevents: state file: %s\n", e.what());
    return kExitOutput;
  }
  const StoryKeyMaker& keys = dedup->key_maker();

  // Every header first: a shard of other settings or options stops the run
  // before anything is written.
  try {
    nlohmann::ordered_json first_options;
    for (const std::string& path : shards) {
      ShardReader reader(path, keys);
      if (path == shards.front()) first_options = reader.options();
      else if (reader.options() != first_options)
        throw ShardError(path + ": made with other extraction options (" +
                         reader.options().dump() + ") than " + shards.front() + " (" +
                         first_options.dump() + ")");
    }
  } catch (const ShardError& e) {
    std::fprintf(stderr, "newsevents dedup: %s\n", e.what());
    return kExitUsage;
  }

  std::unique_ptr<OutputFile> out;
  try {
    out = std::make_unique<OutputFile>(output);
  } catch (const OutputError& e) {
    std::fprintf(stderr, "newsevents: %s\n", e.what());
    return kExitOutput;
  }

  Summary summary;
  g_signal.store(0);
  std::signal(SIGINT, OnDedupSignal);
  std::signal(SIGTERM, OnDedupSignal);
  int exit_code = kExitOk;
  std::string lines;
  try {
    ShardReader::Entry entry;
    for (const std::string& path : shards) {
      ShardReader reader(path, keys);
      ++summary.shards;
      while (reader.Next(&entry)) {
        // Items of one file are consecutive, from index 0: stop only
        // between files, as extract does.
        if (entry.key.item_index == 0 && g_signal.load()) throw Interrupted();
        Deduplicator::Verdict v = dedup->Process(std::move(entry.key));
        ++summary.items;
        if (v.seen) ++summary.seen;
        if (new_only && v.seen) continue;
        ++summary.records;
        if (!v.duplicate_of.empty()) ++summary.duplicates;
        entry.AppendFinalRecord(v.id, v.duplicate_of, &lines);
        if (lines.size() >= (1u << 20)) {
          out->Write(lines);
          lines.clear();
        }
      }
      const ShardTotals& t = reader.totals();
      summary.files += t.files;
      summary.files_with_items += t.files_with_items;
      summary.errors += t.errors;
      summary.bytes += t.bytes;
    }
    out->Write(lines);
    out->Finish();
    dedup->Commit();
  } catch (const Interrupted&) {
    std::fprintf(stderr, "newsevents dedup: interrupted by signal %d: keeping the whole files written\n",
                 g_signal.load());
    exit_code = kExitInterrupted;
    try {
      out->Write(lines);
      out->Finish();
      dedup->Commit();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "newsevents: %s\n", e.what());
      exit_code = kExitOutput;
    }
  } catch (const ShardError& e) {
    // Nothing is renamed into place and the state is not committed.
    std::fprintf(stderr, "newsevents dedup: %s (nothing written)\n", e.what());
    exit_code = kExitUsage;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "newsevents dedup: %s (nothing written)\n", e.what());
    exit_code = kExitUsage;
  } catch (const StateError& e) {
    std::fprintf(stderr, "newsevents: state file not updated: %s\n", e.what());
    exit_code = kExitOutput;
  } catch (const OutputError& e) {
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
    const Deduplicator::Stats index = dedup->stats();
    const size_t new_items = index.items - index.seen;
    std::fprintf(stderr,
                 "newsevents dedup: %zu shards of %llu files (%llu with items, %llu with errors)\n"
                 "  %zu items -> %zu records, %zu duplicates linked, %zu seen in earlier runs\n"
                 "  %.2f s: %.0f items/s (%.2f MB of input)\n"
                 "  index: %zu items, %.1f MB in memory, %.1f MB in its spill file; %.1f candidates per new item\n"
                 "  output: %s\n",
                 summary.shards, static_cast<unsigned long long>(summary.files),
                 static_cast<unsigned long long>(summary.files_with_items),
                 static_cast<unsigned long long>(summary.errors), summary.items, summary.records,
                 summary.duplicates, summary.seen, seconds,
                 seconds > 0 ? summary.items / seconds : 0.0, summary.bytes / 1e6,
                 index.indexed, index.index_bytes / 1e6, index.spilled_bytes / 1e6,
                 new_items > 0 ? static_cast<double>(index.candidates) / new_items : 0.0,
                 output == "-" ? "standard output" : output.c_str());
  }
  return exit_code;
}

}  // namespace newsevents
