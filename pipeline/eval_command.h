// `newsevents eval`: scores a run's records against the gold annotations.
//
//   newsevents eval --gold corpus/gold run.jsonl [--corpus DIR] [--json] [--verbose]
#ifndef NEWSEVENTS_EVAL_COMMAND_H_
#define NEWSEVENTS_EVAL_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace newsevents {

// argv[0] == "eval". Prints to stdout/stderr; returns the exit code: 0 when
// scored, 2 on a usage error or unusable input (named with file:line).
int RunEvalCommand(int argc, char** argv);

// The same with the arguments after "eval" and explicit streams (for tests).
int RunEvalCommand(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err);

}  // namespace newsevents

#endif  // NEWSEVENTS_EVAL_COMMAND_H_
