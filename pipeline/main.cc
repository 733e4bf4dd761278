// newsevents: turns drops of news text into JSON event records.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "pipeline/cli.h"
#include "pipeline/eval_command.h"


namespace {

constexpr char kUsage[] =
    "newsevents " NEWSEVENTS_VERSION " - news archives to structured event records\n"
    "\n"
    "usage:\n"
    "  newsevents extract PATH... [-o FILE|-] [options]   records of a drop (JSON Lines)\n"
    "  newsevents dedup SHARD... [-o FILE|-] [options]    final records of extract --shard runs\n"
    "  newsevents eval --gold DIR RECORDS.jsonl [--json]  score records against gold\n"
    "  newsevents load JSONL... --sqlite F|--postgres U   records into feed databases\n"
    "  newsevents report RECORDS [-o report.html]         HTML report of records\n"
    "  newsevents rules check [DIR]                       load and check every rule file\n"
    "  newsevents --version | --help | COMMAND --help\n"
    "\n"
    "exit codes: 0 ok, 1 some input files had errors (records written for the rest),\n"
    "  2 usage or configuration error, 3 output failure, 130 interrupted\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return newsevents::kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--version" || command == "version") {
    std::puts("newsevents " NEWSEVENTS_VERSION);
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "extract") return newsevents::RunExtractCommand(args);
  if (command == "rules") return newsevents::RunRulesCommand(args);
  if (command == "load") return newsevents::RunLoadCommand(args);
  if (command == "dedup") return newsevents::RunDedupCommand(args);
  if (command == "report") return newsevents::RunReportCommand(args);
  if (command == "eval") return newsevents::RunEvalCommand(argc - 1, argv + 1);

  std::fprintf(stderr, "newsevents: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return newsevents::kExitUsage;
}
