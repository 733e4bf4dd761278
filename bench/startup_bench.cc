// startup_bench: what a run pays before its first record, in milliseconds.
//
//   startup/<stage>      one stage's constructor: reading its rule files,
//                        vocabularies and models, compiling its RE2 programs
//                        (places: the whole GeoNames/CLDR gazetteer and its
//                        token trie; organizations: the lexicon; people: the
//                        given-name list)
//   startup/all_stages   LoadStandardStages, every stage as `extract` loads them
//   startup/first_item   all stages loaded, then one short English item taken
//                        through them: adds the work RE2 defers to a program's
//                        first use (DFA states, reverse programs)
//
// Wall-clock time of a single-threaded process (the constructors do not
// start threads), so the figures are what a user waits. The per-stage
// figures add up to about all_stages; first_item minus all_stages is the
// first-use cost. Run from the project root, or set NEWSEVENTS_ROOT.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "pipeline/dates.h"
#include "pipeline/event_type.h"
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "pipeline/organizations.h"
#include "pipeline/people.h"
#include "pipeline/pipeline.h"
#include "pipeline/places.h"
#include "pipeline/rule_file.h"
#include "pipeline/segment.h"
#include "pipeline/sentences.h"

namespace newsevents {
namespace {

StageOptions Options() {
  StageOptions options;
  options.root = DataRoot();
  return options;
}

template <typename Stage>
void BM_StageLoad(benchmark::State& state) {
  const StageOptions options = Options();
  for (auto _ : state) {
    auto stage = std::make_unique<Stage>(options);
    benchmark::DoNotOptimize(stage.get());
  }
}

void BM_PlacesLoad(benchmark::State& state) {
  const StageOptions options = Options();
  size_t places = 0, names = 0;
  for (auto _ : state) {
    PlaceStage stage(options);
    places = stage.place_count();
    names = stage.name_count();
  }
  state.counters["gazetteer_places"] = static_cast<double>(places);
  state.counters["gazetteer_names"] = static_cast<double>(names);
}

void BM_AllStagesLoad(benchmark::State& state) {
  const StageOptions options = Options();
  for (auto _ : state) {
    auto stages = LoadStandardStages(options);
    benchmark::DoNotOptimize(stages.data());
  }
}

// A short item with a date, an organization and its acronym, a place and a
// person: enough to make every stage run its programs once.
constexpr char kFirstItem[] =
    "Safety audit training in Durban\n\n"
    "On 12 March 2024, the International Centre for the Prevention of Crime (ICPC) and the "
    "City of Durban, South Africa, held a training on safety audits. Dr. Jane Mokoena, "
    "Executive Director of the centre, opened the session.\n";

void BM_FirstItem(benchmark::State& state) {
  const StageOptions options = Options();
  for (auto _ : state) {
    Pipeline pipeline(LoadStandardStages(options));
    Document doc;
    doc.name = "first.txt";
    doc.original = kFirstItem;
    NormalizeDocument(doc);
    for (const auto& stage : pipeline.stages()) stage->Apply(doc);
    benchmark::DoNotOptimize(doc.items.data());
  }
}

// Each iteration is a whole load; a few are enough to see the spread.
constexpr int kIterations = 5;

BENCHMARK_TEMPLATE(BM_StageLoad, SegmentStage)->Name("startup/segment")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, LanguageStage)->Name("startup/language")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, SentenceStage)->Name("startup/sentences")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, DateStage)->Name("startup/dates")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, OrganizationStage)->Name("startup/organizations")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK(BM_PlacesLoad)->Name("startup/places")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, PersonStage)->Name("startup/people")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK_TEMPLATE(BM_StageLoad, EventTypeStage)->Name("startup/event_type")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK(BM_AllStagesLoad)->Name("startup/all_stages")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);
BENCHMARK(BM_FirstItem)->Name("startup/first_item")
    ->Unit(benchmark::kMillisecond)->Iterations(kIterations);

}  // namespace
}  // namespace newsevents
