// stages_bench: the throughput of each step of the pipeline, in bytes of
// input per second, on the same sample of generated newsletter drops.
//
//   read_decode        ReadSourceFile: the file from the page cache to UTF-8
//   normalize          NormalizeDocument: text, folded copy and offset maps
//   stage/<name>       each stage LoadStandardStages returns, timed alone on
//                      documents already taken through the stages before it
//   ids                ItemId of every item
//   dedup_keys         Deduplicator::KeyOf of every item (the parallel part)
//   write_records      RecordLine of every item (the JSON Lines writer)
//   sink (serial)      what extract's serial sink does: keys judged in name
//                      order (Deduplicator::Process), lines filled in
//                      (AppendFilledRecord)
//   end_to_end/...     Pipeline::Run over the sample files, 1 thread and all
//
// Every benchmark reports bytes/s against the size of the input files, so the
// figures add up: 1 / sum(1 / rate) is the single-thread end-to-end rate.
//
// normalize and the stages are timed in CPU time of their thread, copying the
// documents between passes untimed, over NEWSEVENTS_BENCH_PASSES passes
// (default 5); the others in CPU time too, except end_to_end (wall time).
//
// The sample is the first ~8 MB (NEWSEVENTS_BENCH_SAMPLE_MB) of bench/data/
// in name order, or of NEWSEVENTS_BENCH_DATA. Without a generated corpus there,
// bench/generate_corpus.py writes a sample into bench/data/sample/ (the same
// bytes as the start of the full corpus: generation is seeded). Run from
// anywhere: rules/ and models/ are found through DataRoot().
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/dedup.h"
#include "pipeline/normalize.h"
#include "pipeline/pipeline.h"
#include "pipeline/reader.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

bool HasCorpus(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "manifest.json", ec);
}

// The folder the sample is taken from, generating a small corpus if needed.
fs::path SampleFolder(const std::string& root, double sample_mb) {
  fs::path explicit_dir = Env("NEWSEVENTS_BENCH_DATA", "");
  if (!explicit_dir.empty()) return explicit_dir;
  fs::path data = fs::path(root) / "bench" / "data";
  if (HasCorpus(data)) return data;
  fs::path sample = data / "sample";
  char size[32];
  std::snprintf(size, sizeof size, "%g", sample_mb);
  std::string command = "python3 '" + (fs::path(root) / "bench" / "generate_corpus.py").string() +
                        "' --if-missing --quiet --size-mb " + size + " --out '" +
                        sample.string() + "'";
  std::fprintf(stderr, "stages_bench: no corpus in %s, generating a sample: %s\n",
               data.c_str(), command.c_str());
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("stages_bench: could not generate the sample corpus");
  }
  return sample;
}

// Everything the benchmarks share, loaded once.
struct Fixture {
  std::vector<std::string> files;
  uint64_t bytes = 0;
  std::vector<Document> read;        // original text filled, not normalized
  std::unique_ptr<Pipeline> pipeline;

  Fixture() {
    const std::string root = DataRoot();
    const double sample_mb = std::atof(Env("NEWSEVENTS_BENCH_SAMPLE_MB", "8").c_str());
    fs::path folder = SampleFolder(root, sample_mb);
    std::vector<std::string> errors;
    std::vector<std::string> all = ListDropFiles({folder.string()}, &errors);
    for (const std::string& e : errors) std::fprintf(stderr, "stages_bench: %s\n", e.c_str());
    for (const std::string& path : all) {
      if (bytes >= sample_mb * 1e6) break;
      Document doc;
      doc.path = path;
      doc.name = fs::path(path).filename().string();
      doc.ordinal = files.size();
      ReadResult r = ReadSourceFile(path, ReadOptions());
      if (r.status != ReadStatus::kOk) continue;
      doc.source_size = r.file_size;
      doc.original = std::move(r.text);
      doc.original_to_file = std::move(r.to_file);
      bytes += doc.source_size;
      files.push_back(path);
      read.push_back(std::move(doc));
    }
    if (files.empty()) throw std::runtime_error("stages_bench: no input files in " + folder.string());
    StageOptions options;
    options.root = root;
    pipeline = std::make_unique<Pipeline>(LoadStandardStages(options));
    std::fprintf(stderr, "stages_bench: %zu files, %.1f MB from %s; %zu stages\n", files.size(),
                 bytes / 1e6, folder.c_str(), pipeline->stages().size());
  }

  // Documents normalized and taken through the first `n` stages. The last
  // answer is kept: benchmarks ask for 0, 1, 2... in turn, so each call costs
  // one stage.
  const std::vector<Document>& Through(size_t n) {
    if (!prepared_ || prepared_stages_ > n) {
      prepared_ = std::make_unique<std::vector<Document>>(read);
      for (Document& doc : *prepared_) NormalizeDocument(doc);
      prepared_stages_ = 0;
    }
    for (; prepared_stages_ < n; ++prepared_stages_) {
      for (Document& doc : *prepared_) pipeline->stages()[prepared_stages_]->Apply(doc);
    }
    return *prepared_;
  }

  // Documents as the pipeline finishes them (ids set).
  const std::vector<Document>& Finished() {
    if (!finished_) {
      finished_ = std::make_unique<std::vector<Document>>(Through(pipeline->stages().size()));
      for (Document& doc : *finished_) {
        for (Item& item : doc.items) item.id = ItemId(doc, item);
      }
    }
    return *finished_;
  }

  size_t ItemCount() {
    size_t n = 0;
    for (const Document& doc : Finished()) n += doc.items.size();
    return n;
  }

 private:
  std::unique_ptr<std::vector<Document>> prepared_;
  size_t prepared_stages_ = 0;
  std::unique_ptr<std::vector<Document>> finished_;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void SetRates(benchmark::State& state, Fixture& f, bool items) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  if (items) state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.ItemCount()));
  state.counters["files"] = static_cast<double>(f.files.size());
}

void BM_ReadDecode(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    for (const std::string& path : f.files) {
      ReadResult r = ReadSourceFile(path, ReadOptions());
      benchmark::DoNotOptimize(r.text.data());
    }
  }
  SetRates(state, f, false);
}

// CPU seconds of the calling thread: a stage runs on one thread, and on a
// shared machine its CPU time is steadier than the wall clock.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Runs `step` over fresh copies of `before`. The copy is not timed (manual
// time: the step's thread CPU time), and the count of passes is fixed, because
// a step that finds nothing to do would otherwise be repeated millions of
// times, each behind an 8 MB copy.
template <typename Step>
void TimeOnCopies(benchmark::State& state, const std::vector<Document>& before, Step step) {
  std::vector<Document> docs;
  for (auto _ : state) {
    docs = before;
    const double start = ThreadCpuSeconds();
    for (Document& doc : docs) step(doc);
    benchmark::ClobberMemory();
    state.SetIterationTime(ThreadCpuSeconds() - start);
  }
}

void BM_Normalize(benchmark::State& state) {
  Fixture& f = Shared();
  TimeOnCopies(state, f.read, [](Document& doc) { NormalizeDocument(doc); });
  SetRates(state, f, false);
}

// One stage alone, on the documents as they stand before it.
void BM_Stage(benchmark::State& state, size_t index) {
  Fixture& f = Shared();
  const AnyStage& stage = *f.pipeline->stages()[index];
  TimeOnCopies(state, f.Through(index), [&](Document& doc) { stage.Apply(doc); });
  SetRates(state, f, false);
}

void BM_Ids(benchmark::State& state) {
  Fixture& f = Shared();
  const std::vector<Document>& docs = f.Finished();
  for (auto _ : state) {
    for (const Document& doc : docs) {
      for (const Item& item : doc.items) benchmark::DoNotOptimize(ItemId(doc, item));
    }
  }
  SetRates(state, f, true);
}

// The de-duplicator's parallel part: the story key of every item (folded
// text, fingerprint, MinHash sketch, facts).
void BM_DedupKeys(benchmark::State& state) {
  Fixture& f = Shared();
  StageOptions options;
  options.root = DataRoot();
  const Deduplicator dedup(options, "");
  const std::vector<Document>& docs = f.Finished();
  for (auto _ : state) {
    for (const Document& doc : docs)
      for (const Item& item : doc.items) benchmark::DoNotOptimize(dedup.KeyOf(doc, item));
  }
  SetRates(state, f, true);
}

// The serial sink as extract runs it: keys (made untimed, as the parallel
// part does) judged in name order against a fresh in-memory index each pass
// (bench/dedup_bench.cc measures it at a million items), then each record
// line filled in with its id and link and appended to the output.
void BM_Sink(benchmark::State& state) {
  Fixture& f = Shared();
  StageOptions options;
  options.root = DataRoot();
  std::vector<Document> docs;
  std::vector<std::vector<StoryKey>> keys;
  std::string out;
  for (auto _ : state) {
    docs = f.Finished();
    Deduplicator dedup(options, "");
    keys.assign(docs.size(), {});
    for (size_t d = 0; d < docs.size(); ++d) {
      for (Item& item : docs[d].items) {
        item.record = RecordLine(docs[d], item);
        keys[d].push_back(dedup.KeyOf(docs[d], item));
      }
    }
    out.clear();
    const double start = ThreadCpuSeconds();
    for (size_t d = 0; d < docs.size(); ++d) {
      dedup.Process(docs[d], std::move(keys[d]));
      for (const Item& item : docs[d].items)
        AppendFilledRecord(item.record, item.id, item.duplicate_of, &out);
    }
    state.SetIterationTime(ThreadCpuSeconds() - start);
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, f, true);
}

void BM_WriteRecords(benchmark::State& state) {
  Fixture& f = Shared();
  const std::vector<Document>& docs = f.Finished();
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (const Document& doc : docs) {
      for (const Item& item : doc.items) out += RecordLine(doc, item);
    }
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, f, true);
  state.counters["json_MB"] = out.size() / 1e6;
}

// The whole pipeline as `newsevents extract` runs it: stages, records and
// story keys in parallel, then de-duplication and filled-in records in the
// serial sink, records dropped.
void BM_EndToEnd(benchmark::State& state) {
  Fixture& f = Shared();
  RunOptions run;
  run.threads = static_cast<int>(state.range(0));
  StageOptions options;
  options.root = DataRoot();
  size_t sink_bytes = 0;
  for (auto _ : state) {
    Deduplicator dedup(options, "");
    std::vector<std::vector<StoryKey>> keys(f.files.size());
    run.prepare = [&](Document& doc) {
      for (Item& item : doc.items) {
        item.record = RecordLine(doc, item);
        keys[doc.ordinal].push_back(dedup.KeyOf(doc, item));
      }
    };
    f.pipeline->Run(f.files, run, [&](Document& doc) {
      if (doc.skipped) return;
      dedup.Process(doc, std::move(keys[doc.ordinal]));
      std::string lines;
      for (const Item& item : doc.items)
        AppendFilledRecord(item.record, item.id, item.duplicate_of, &lines);
      sink_bytes += lines.size();
    });
  }
  benchmark::DoNotOptimize(sink_bytes);
  SetRates(state, f, true);
}

void RegisterAll() {
  Fixture& f = Shared();
  benchmark::RegisterBenchmark("read_decode", BM_ReadDecode)->Unit(benchmark::kMillisecond);
  const int passes = std::max(1, std::atoi(Env("NEWSEVENTS_BENCH_PASSES", "5").c_str()));
  benchmark::RegisterBenchmark("normalize", BM_Normalize)
      ->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(passes);
  for (size_t i = 0; i < f.pipeline->stages().size(); ++i) {
    std::string name = std::string("stage/") + f.pipeline->stages()[i]->name();
    benchmark::RegisterBenchmark(name.c_str(), BM_Stage, i)
        ->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(passes);
  }
  benchmark::RegisterBenchmark("ids", BM_Ids)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("dedup_keys", BM_DedupKeys)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("write_records", BM_WriteRecords)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("sink (serial)", BM_Sink)
      ->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(passes);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto* e2e = benchmark::RegisterBenchmark("end_to_end/threads", BM_EndToEnd);
  e2e->Arg(1);
  if (cores > 1) e2e->Arg(cores);
  // Wall time (the threads overlap); the CPU column is the whole process's.
  e2e->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
}

}  // namespace
}  // namespace newsevents

// Our own main (benchmark_main's is then not linked in): the per-stage
// benchmarks are registered from the stage list, which is known only once the
// rules are loaded.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    newsevents::RegisterAll();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
