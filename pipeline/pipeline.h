// Pipeline: reads the files of a drop and runs every stage over each of them,
// on all cores, handing finished documents to a sink in file-name order.
//
// Built on tbb::parallel_pipeline: a serial input filter hands out file
// numbers, a parallel filter reads, normalizes and extracts, and a serial
// in-order filter gives documents to the sink. The sink sees exactly the
// order a single thread would produce, so the output bytes do not depend on
// --threads. At most a few documents per thread are alive at once, so memory
// does not grow with the size of the drop.
#ifndef NEWSEVENTS_PIPELINE_H_
#define NEWSEVENTS_PIPELINE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/reader.h"
#include "pipeline/stage.h"

namespace newsevents {

// A stage as the pipeline sees it: a name (for timings and errors) and Apply.
class AnyStage {
 public:
  virtual ~AnyStage() = default;
  virtual const char* name() const = 0;
  virtual void Apply(Document& doc) const = 0;
};

template <typename Stage>
class NamedStage : public AnyStage {
 public:
  NamedStage(const char* name, const StageOptions& options) : name_(name), stage_(options) {}
  const char* name() const override { return name_; }
  void Apply(Document& doc) const override { stage_.Apply(doc); }

 private:
  const char* name_;
  Stage stage_;
};

// Every extraction stage, in pipeline order, loaded from options.root
// (stages.cc). Throws ConfigError for a broken rule or model file.
std::vector<std::unique_ptr<AnyStage>> LoadStandardStages(const StageOptions& options);

// The files of a drop: each path argument that is a file, and the text files
// (*.txt, *.text, *.md) directly inside each folder argument, in name order.
// Paths that cannot be listed are returned in `errors` as "path: reason".
std::vector<std::string> ListDropFiles(const std::vector<std::string>& paths,
                                       std::vector<std::string>* errors);

struct RunOptions {
  int threads = 0;  // 0 = all cores
  ReadOptions read;
  // Runs on each document in the parallel part, after the stages: work the
  // sink would otherwise do serially (rendering records) belongs here.
  std::function<void(Document&)> prepare;
  // Runs on each document in the parallel part after the sink has seen it,
  // before it is freed: for freeing what the caller kept beside it (story
  // keys) outside the serial sink.
  std::function<void(Document&)> release;
};

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::unique_ptr<AnyStage>> stages)
      : stages_(std::move(stages)) {}

  // Reads one file and runs every stage on it. A file that cannot be read,
  // or on which a stage throws, comes back with skipped = true and a warning
  // saying why ("empty", "skipped", "unreadable", "failed").
  Document ProcessFile(const std::string& path, size_t ordinal, const ReadOptions& read) const;

  // Runs the stages on a document whose `original` text is filled.
  void ProcessText(Document& doc) const;

  // Processes every file, calling `sink` serially, in the order of `files`.
  // `sink` may throw to stop the run; the exception is rethrown.
  void Run(const std::vector<std::string>& files, const RunOptions& options,
           const std::function<void(Document&)>& sink) const;

  const std::vector<std::unique_ptr<AnyStage>>& stages() const { return stages_; }

 private:
  std::vector<std::unique_ptr<AnyStage>> stages_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PIPELINE_H_
