// `newsevents rules check [DIR]`: loads every rule and model file the way a
// run does, and reports the first broken one with its file and line.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "pipeline/cli.h"
#include "pipeline/config_error.h"
#include "pipeline/pipeline.h"
#include "pipeline/rule_file.h"

namespace newsevents {

namespace fs = std::filesystem;

int RunRulesCommand(const std::vector<std::string>& args) {
  constexpr char kHelp[] =
      "usage: newsevents rules check [DIR]\n"
      "\n"
      "Loads and compiles every rule file (rules/<lang>/*.rules, vocabularies) and model\n"
      "file, as `extract` would, and prints the first error as FILE:LINE: reason.\n"
      "DIR is the folder holding rules/ and models/, or the rules/ folder itself\n"
      "(default: $NEWSEVENTS_HOME, else the source tree). Exit 0 ok, 2 broken.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] != "check" || args.size() > 2) {
    std::fputs(kHelp, stderr);
    return kExitUsage;
  }
  StageOptions options;
  options.root = DataRoot();
  if (args.size() == 2) {
    fs::path dir(args[1]);
    if (!fs::is_directory(dir)) {
      std::fprintf(stderr, "newsevents rules: %s: not a folder\n", args[1].c_str());
      return kExitUsage;
    }
    fs::path normal = fs::absolute(dir).lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();  // "rules/"
    if (fs::is_directory(normal / "rules")) {
      options.root = normal.string();
    } else if (normal.filename() == "rules") {
      options.root = normal.parent_path().string();
    } else {
      std::fprintf(stderr, "newsevents rules: %s: no rules/ folder there\n", args[1].c_str());
      return kExitUsage;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    auto stages = LoadStandardStages(options);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("rules ok: %zu stages loaded from %s in %.0f ms\n", stages.size(),
                options.root.c_str(), ms);
    return kExitOk;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitUsage;
  }
}

}  // namespace newsevents
