// `newsevents load`: records (JSON Lines from `extract`) into the feed
// databases, exactly as `extract --sqlite/--postgres` would have written them.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/cli.h"
#include "pipeline/drop_loader.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

constexpr char kHelp[] =
    "usage: newsevents load [--sqlite FILE] [--postgres URL] RECORDS.jsonl...\n"
    "\n"
    "Loads records written by `newsevents extract` into feed databases (tables in\n"
    "pipeline/sql/schema_v1.sql; README \"Databases\"). All the files given are one drop:\n"
    "one transaction per database, upserting on the record id, so loading a drop twice\n"
    "changes nothing. '-' reads standard input. A summary goes to standard error.\n"
    "\n"
    "options (at least one database):\n"
    "  --sqlite FILE     an SQLite database, created if missing\n"
    "  --postgres URL    a PostgreSQL database (libpq URL or \"key=value ...\")\n"
    "  --data DIR        the rules/ and models/ whose version the runs table records\n"
    "                    (default: $NEWSEVENTS_HOME, else the source tree)\n"
    "  -q, --quiet       no summary\n"
    "\n"
    "exit codes: 0 ok, 1 some lines were not records (skipped, the rest loaded),\n"
    "  2 usage error, 3 database failure (nothing committed),\n"
    "  130 interrupted (nothing committed)\n";

std::atomic<int> g_signal{0};
extern "C" void OnLoadSignal(int sig) { g_signal.store(sig); }

struct Interrupted {};

int Usage(const std::string& message) {
  std::fprintf(stderr, "newsevents load: %s\n(see newsevents load --help)\n", message.c_str());
  return kExitUsage;
}

// Calls fn(line, line_number) for every line of `path` ("-": stdin). False if
// the file cannot be read.
template <typename Fn>
bool ForEachLine(const std::string& path, Fn&& fn) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(
      path == "-" ? stdin : std::fopen(path.c_str(), "rb"),
      path == "-" ? +[](FILE*) { return 0; } : &std::fclose);
  FILE* f = file.get();
  if (!f) return false;
  std::vector<char> buf(1 << 20);
  std::string pending;
  size_t line_number = 0;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    std::string_view chunk(buf.data(), n);
    while (!chunk.empty()) {
      const size_t nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        pending.append(chunk);
        break;
      }
      ++line_number;
      if (pending.empty()) {
        fn(chunk.substr(0, nl), line_number);
      } else {
        pending.append(chunk.substr(0, nl));
        fn(std::string_view(pending), line_number);
        pending.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
  }
  const bool ok = !std::ferror(f);
  if (!pending.empty()) fn(std::string_view(pending), ++line_number);
  return ok;
}

}  // namespace

int RunLoadCommand(const std::vector<std::string>& args) {
  std::string sqlite_path, postgres_url;
  std::string data_root = DataRoot();
  std::vector<std::string> inputs;
  bool quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string v;
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kHelp, stdout);
      return kExitOk;
    } else if (TakeOption(args, i, "--sqlite", &v)) {
      sqlite_path = v;
    } else if (TakeOption(args, i, "--postgres", &v)) {
      postgres_url = v;
    } else if (TakeOption(args, i, "--data", &v)) {
      data_root = v;
    } else if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return Usage("unknown option '" + a + "'");
    } else {
      inputs.push_back(a);
    }
  }
  if (sqlite_path.empty() && postgres_url.empty())
    return Usage("no database: give --sqlite FILE and/or --postgres URL");
  if (inputs.empty()) return Usage("no RECORDS.jsonl given");
  std::error_code ec;
  if (!std::filesystem::is_directory(data_root, ec))
    return Usage("--data: " + data_root + " is not a folder");

  const auto start = std::chrono::steady_clock::now();
  size_t bad_lines = 0, unreadable = 0;
  std::vector<DropCounts> counts;
  std::vector<std::string> summaries;
  std::unique_ptr<DropLoader> loader;
  g_signal.store(0);
  std::signal(SIGINT, OnLoadSignal);
  std::signal(SIGTERM, OnLoadSignal);
  int exit_code = kExitOk;
  try {
    loader = OpenDropLoader(sqlite_path, postgres_url, "load", inputs, data_root);
    for (const std::string& path : inputs) {
      std::string error;
      const bool read = ForEachLine(path, [&](std::string_view line, size_t number) {
        if (g_signal.load()) throw Interrupted();
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank
        if (!loader->AddLine(line, &error)) {
          if (++bad_lines <= 20) {
            std::fprintf(stderr, "newsevents: %s:%zu: not loaded: %s\n", path.c_str(), number,
                         error.c_str());
          }
        }
      });
      if (!read) {
        std::fprintf(stderr, "newsevents: error: cannot read %s: %s\n", path.c_str(),
                     std::strerror(errno));
        ++unreadable;
      }
    }
    if (g_signal.load()) throw Interrupted();
    counts = loader->Commit();
    summaries = loader->Report();
  } catch (const Interrupted&) {
    std::fprintf(stderr, "newsevents: interrupted by signal %d: nothing committed\n",
                 g_signal.load());
    exit_code = kExitInterrupted;
  } catch (const SinkError& e) {
    std::fprintf(stderr, "newsevents: database failure, nothing committed: %s\n", e.what());
    exit_code = kExitOutput;
  }
  loader.reset();  // rolls back whatever was not committed
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (bad_lines > 20) std::fprintf(stderr, "newsevents: ... %zu lines not loaded in all\n", bad_lines);
  if (exit_code == kExitOk && bad_lines + unreadable > 0) exit_code = kExitInputErrors;

  if (!quiet && !counts.empty()) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "newsevents load: %zu file(s), %lld records, %zu lines refused, %.2f s\n",
                 inputs.size(), static_cast<long long>(counts.front().records), bad_lines,
                 seconds);
    for (const std::string& s : summaries) std::fprintf(stderr, "  %s\n", s.c_str());
  }
  return exit_code;
}

}  // namespace newsevents
