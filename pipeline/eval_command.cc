#include "pipeline/eval_command.h"

#include <filesystem>
#include <iostream>

#include "pipeline/eval.h"
#include "pipeline/eval_report.h"

namespace newsevents {
namespace {

constexpr char kUsage[] =
    "usage: newsevents eval --gold DIR RECORDS.jsonl [--corpus DIR] [--json] [--verbose]\n"
    "\n"
    "Scores records (JSON Lines, '-' for stdin) against the gold annotations\n"
    "DIR/*.gold.json. Only files that have gold are scored.\n"
    "\n"
    "  --gold DIR     gold annotations (required)\n"
    "  --corpus DIR   the corpus files the gold refers to (default: DIR/..)\n"
    "  --json         print the scores as one JSON object instead of a table\n"
    "  --verbose      also list every miss and false positive, per item\n"
    "                 (with --json: as a \"diffs\" array)\n"
    "  --help         this text\n"
    "\n"
    "Exit status: 0 scored, 2 usage error or unusable input.\n";

// The gold dir's parent: corpus/gold -> corpus, gold -> ".".
std::string DefaultCorpusDir(const std::string& gold_dir) {
  std::filesystem::path p = std::filesystem::path(gold_dir).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "corpus/gold/" -> "corpus/gold"
  std::filesystem::path parent = p.parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

int RunEvalCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string gold_dir, corpus_dir, records_path;
  bool as_json = false, verbose = false, have_records = false;
  auto usage_error = [&](const std::string& message) {
    err << "newsevents eval: " << message << "\n" << kUsage;
    return 2;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& flag, std::string* dest) {
      if (a.size() > flag.size() && a.compare(0, flag.size() + 1, flag + "=") == 0) {
        *dest = a.substr(flag.size() + 1);
        return true;
      }
      if (a != flag) return false;
      if (i + 1 >= args.size()) {
        dest->clear();
        return true;
      }
      *dest = args[++i];
      return true;
    };
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    } else if (a == "--json") {
      as_json = true;
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (value("--gold", &gold_dir)) {
      if (gold_dir.empty()) return usage_error("--gold needs a directory");
    } else if (value("--corpus", &corpus_dir)) {
      if (corpus_dir.empty()) return usage_error("--corpus needs a directory");
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option " + a);
    } else if (have_records) {
      return usage_error("one records file only (got " + records_path + " and " + a + ")");
    } else {
      records_path = a;
      have_records = true;
    }
  }
  if (gold_dir.empty()) return usage_error("--gold DIR is required");
  if (!have_records) return usage_error("a records file is required ('-' for stdin)");
  if (corpus_dir.empty()) corpus_dir = DefaultCorpusDir(gold_dir);

  EvalReport report;
  try {
    report = Evaluate(gold_dir, corpus_dir, ReadRecordsFile(records_path));
  } catch (const EvalInputError& e) {
    err << "newsevents eval: " << e.what() << "\n";
    return 2;
  }
  if (as_json) {
    out << ReportToJson(report, verbose).dump(2) << "\n";
    return 0;
  }
  out << FormatReportTable(report);
  if (verbose) {
    out << "\ndifferences (gold item or file@byte: field: ...)\n";
    out << (report.diffs.empty() ? std::string("none\n") : FormatDiffs(report));
  }
  return 0;
}

int RunEvalCommand(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return RunEvalCommand(args, std::cout, std::cerr);
}

}  // namespace newsevents
