// The newsevents command line: one function per subcommand, each taking the
// arguments after the subcommand's name and returning the process exit code.
//
// Exit codes, for every subcommand:
//   0  all good
//   1  some input files had errors, records were written for the rest
//   2  usage or configuration error (bad option, broken rule or model file)
//   3  output failure (cannot write the output or the state database)
//   130 interrupted (SIGINT/SIGTERM): nothing partial was left behind
#ifndef NEWSEVENTS_CLI_H_
#define NEWSEVENTS_CLI_H_

#include <string>
#include <vector>

namespace newsevents {

enum ExitCode {
  kExitOk = 0,
  kExitInputErrors = 1,
  kExitUsage = 2,
  kExitOutput = 3,
  kExitInterrupted = 130,
};

int RunExtractCommand(const std::vector<std::string>& args);
int RunRulesCommand(const std::vector<std::string>& args);
int RunLoadCommand(const std::vector<std::string>& args);
// The reduce step of a split run (extract --shard, then dedup): cli_dedup.cc.
int RunDedupCommand(const std::vector<std::string>& args);
int RunReportCommand(const std::vector<std::string>& args);

// Parses "--name value" and "--name=value" options; returns false when `arg`
// is not `name`. Advances `i` past a separate value.
bool TakeOption(const std::vector<std::string>& args, size_t& i, const std::string& name,
                std::string* value);

}  // namespace newsevents

#endif  // NEWSEVENTS_CLI_H_
