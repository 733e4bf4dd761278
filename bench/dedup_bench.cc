// dedup_bench: the de-duplicator at scale, on synthetic items.
//
//   sketch                 MinHasher::Sketch of one ~800-byte folded text
//   index/1M               Deduplicator::Process over 1 million items (100,000
//                          documents of 10), in memory: time per item (all,
//                          and over the last 100,000 items, where the index
//                          is largest), index bytes per item, peak RSS
//   state/100k             the same with a state file: Process, Commit (one
//                          transaction), then loading the state back
//   packed_multimap_insert/N  N pairs (random keys, ascending values) into
//                          one PackedMultiMap, merges included: CPU time
//
// The items mimic a news archive: words drawn from a Zipf-distributed
// vocabulary of 30,000, 60-180 words an item, 80% of items dated (days over
// ten years), organizations from a pool of 5,000 plus one that every item
// names (the newsletter's own), places from a pool of 2,000. Among them: 3%
// exact repeats of an earlier item, 3% lightly edited copies (3% of words
// replaced), 2% retellings (a new text sharing the event's day, places and
// organizations and a third of its words, in runs of six). Generation is
// seeded and not timed.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "pipeline/dedup.h"
#include "pipeline/fold.h"
#include "pipeline/minhash.h"
#include "pipeline/packed_multimap.h"
#include "pipeline/record.h"
#include "pipeline/rule_file.h"

namespace newsevents {
namespace {

constexpr int kVocabulary = 30000;
constexpr int kOrgPool = 5000;
constexpr int kPlacePool = 2000;

class SyntheticArchive {
 public:
  SyntheticArchive() : rng_(20240601) {
    std::mt19937_64 words_rng(7);
    std::uniform_int_distribution<int> len(3, 10), letter(0, 25);
    for (int i = 0; i < kVocabulary; ++i) {
      std::string w;
      for (int n = len(words_rng); n > 0; --n) w.push_back(static_cast<char>('a' + letter(words_rng)));
      vocabulary_.push_back(w);
    }
    // Zipf (s = 1) over the vocabulary, by inverse CDF.
    double sum = 0;
    for (int i = 1; i <= kVocabulary; ++i) cumulative_.push_back(sum += 1.0 / i);
    for (double& c : cumulative_) c /= sum;
  }

  // The next document of `items` items.
  Document Next(size_t ordinal, int items) {
    char name[32];
    std::snprintf(name, sizeof name, "%07zu.txt", ordinal);
    std::vector<Spec> specs;
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < items; ++i) {
      const double r = u(rng_);
      Spec s;
      if (!history_.empty() && r < 0.03) {
        s = Regenerate(history_[Pick(history_.size())]);  // exact repeat
      } else if (!history_.empty() && r < 0.06) {
        s = Regenerate(history_[Pick(history_.size())]);  // edited copy
        Edit(&s.words, 0.03);
      } else if (!history_.empty() && r < 0.08) {
        const Spec told = Regenerate(history_[Pick(history_.size())]);
        // Retelling: new words, with a third of the old ones borrowed in
        // runs of six (phrases kept), and the same facts.
        s = Fresh(rng_());
        for (size_t w = 0; w < s.words.size() && w < told.words.size(); w += 18)
          for (size_t k = w; k < w + 6 && k < s.words.size() && k < told.words.size(); ++k)
            s.words[k] = told.words[k];
        s.day = told.day;
        s.orgs = told.orgs;
        s.places = told.places;
      } else {
        const uint64_t seed = rng_();
        history_.push_back(seed);
        s = Fresh(seed);
      }
      specs.push_back(std::move(s));
    }
    return Build(name, ordinal, specs);
  }

  // A text of about `words` words, for the sketch benchmark.
  std::string Text(int words) {
    std::string t;
    for (int i = 0; i < words; ++i) t += vocabulary_[Word(rng_)] + " ";
    return t;
  }

 private:
  struct Spec {
    std::vector<int> words;
    int day = -1;  // days after 2015-01-01, -1 undated
    std::vector<int> orgs, places;
  };

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  template <typename Rng>
  int Word(Rng& rng) {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), r) -
                            cumulative_.begin());
  }

  Spec Fresh(uint64_t seed) {
    std::mt19937_64 rng(seed);
    Spec s;
    const int n = std::uniform_int_distribution<int>(60, 180)(rng);
    for (int i = 0; i < n; ++i) s.words.push_back(Word(rng));
    if (std::uniform_int_distribution<int>(0, 9)(rng) < 8)
      s.day = std::uniform_int_distribution<int>(0, 3652)(rng);
    for (int k = std::uniform_int_distribution<int>(1, 4)(rng); k > 0; --k)
      s.orgs.push_back(std::uniform_int_distribution<int>(1, kOrgPool)(rng));
    s.orgs.push_back(0);  // the newsletter's own organization
    for (int k = std::uniform_int_distribution<int>(0, 2)(rng); k > 0; --k)
      s.places.push_back(std::uniform_int_distribution<int>(0, kPlacePool - 1)(rng));
    return s;
  }
  Spec Regenerate(uint64_t seed) { return Fresh(seed); }

  void Edit(std::vector<int>* words, double share) {
    std::uniform_real_distribution<double> u(0, 1);
    for (int& w : *words)
      if (u(rng_) < share) w = Word(rng_);
  }

  static std::string Iso(int day) {
    const std::chrono::sys_days d =
        std::chrono::sys_days(std::chrono::year(2015) / 1 / 1) + std::chrono::days(day);
    const std::chrono::year_month_day ymd(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
  }

  Document Build(const std::string& name, size_t ordinal, const std::vector<Spec>& specs) {
    Document doc;
    doc.name = doc.path = name;
    doc.ordinal = ordinal;
    for (size_t i = 0; i < specs.size(); ++i) {
      const Spec& s = specs[i];
      if (i) doc.text += "\n\n";
      Item item;
      item.index = i;
      const size_t begin = doc.text.size();
      for (size_t w = 0; w < s.words.size(); ++w) {
        doc.text += vocabulary_[s.words[w]];
        doc.text += (w % 17 == 16) ? ". " : " ";
      }
      item.span = item.body = {begin, doc.text.size()};
      if (s.day >= 0) {
        const std::string iso = Iso(s.day);
        item.event_date = EventDate{iso, "", "bench"};
        DateMention m;
        m.value = iso;
        m.precision = "day";
        item.dates.push_back(m);
      }
      for (int o : s.orgs) {
        Organization org;
        org.name = o == 0 ? "International Centre for the Prevention of Crime"
                          : "Organization " + std::to_string(o);
        if (o == 0) org.aliases = {"ICPC"};
        item.organizations.push_back(org);
      }
      for (int p : s.places) {
        Place place;
        place.name = place.canonical = "Place " + std::to_string(p);
        place.kind = "city";
        place.country = "C" + std::to_string(p % 50);
        item.places.push_back(place);
      }
      doc.items.push_back(std::move(item));
    }
    doc.original = doc.text;
    for (Item& item : doc.items) item.id = ItemId(doc, item);
    return doc;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> vocabulary_;
  std::vector<double> cumulative_;
  std::vector<uint64_t> history_;  // seeds of original items
};

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // KiB on Linux
}

StageOptions Options() {
  StageOptions o;
  o.root = DataRoot();
  return o;
}

void BM_Sketch(benchmark::State& state) {
  SyntheticArchive archive;
  const std::string text = FoldText(archive.Text(120));
  MinHasher hasher({2, 128, 1});
  for (auto _ : state) benchmark::DoNotOptimize(hasher.Sketch(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sketch);

// The index's multimaps as they grow: pairs of random 32-bit keys (hashes)
// and ascending values (item numbers, 20 pairs an item as bands and
// blocking keys make), merged into the packed part a sixty-fourth at a time.
void BM_PackedMultiMapInsert(benchmark::State& state) {
  const uint32_t pairs = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    std::mt19937 rng(1);
    PackedMultiMap map;
    for (uint32_t v = 0; v < pairs; ++v) map.Insert(static_cast<uint32_t>(rng()), v / 20);
    benchmark::DoNotOptimize(map.size());
    state.counters["MB"] = map.MemoryBytes() / 1e6;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * pairs);
}
BENCHMARK(BM_PackedMultiMapInsert)->Arg(1000000)->Arg(20000000)->Iterations(1)->Unit(benchmark::kSecond);

// Processes `items` items through `dedup`, timing Process only.
struct Timing {
  double seconds = 0;
  double last_seconds = 0;  // over the last `tail` items
};
Timing Feed(Deduplicator& dedup, SyntheticArchive& archive, size_t items, size_t tail) {
  Timing t;
  constexpr int kPerDocument = 10;
  for (size_t done = 0, ordinal = 0; done < items; done += kPerDocument, ++ordinal) {
    Document doc = archive.Next(ordinal, kPerDocument);
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(dedup.Process(doc));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.seconds += s;
    if (done + tail >= items) t.last_seconds += s;
  }
  return t;
}

void BM_Index(benchmark::State& state) {
  const size_t items = static_cast<size_t>(state.range(0));
  const size_t tail = items / 10;
  for (auto _ : state) {
    SyntheticArchive archive;
    Deduplicator dedup(Options(), "");
    const Timing t = Feed(dedup, archive, items, tail);
    state.SetIterationTime(t.seconds);
    const Deduplicator::Stats s = dedup.stats();
    state.counters["us_per_item"] = 1e6 * t.seconds / static_cast<double>(items);
    state.counters["us_per_item_last_10pct"] = 1e6 * t.last_seconds / static_cast<double>(tail);
    state.counters["index_MB"] = s.index_bytes / 1e6;
    state.counters["index_bytes_per_item"] = static_cast<double>(s.index_bytes) / s.indexed;
    state.counters["peak_rss_MB"] = PeakRssMb();
    state.counters["exact"] = static_cast<double>(s.exact);
    state.counters["near"] = static_cast<double>(s.near);
    state.counters["dated"] = static_cast<double>(s.dated);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
}
BENCHMARK(BM_Index)->Arg(100000)->Arg(1000000)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_State(benchmark::State& state) {
  const size_t items = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("newsevents-dedup-bench-" + std::to_string(getpid()) + ".db"))
                                 .string();
    std::filesystem::remove(path);
    SyntheticArchive archive;
    double process = 0, commit = 0, load = 0;
    {
      Deduplicator dedup(Options(), path);
      process = Feed(dedup, archive, items, 0).seconds;
      const auto start = std::chrono::steady_clock::now();
      dedup.Commit();
      commit = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    {
      const auto start = std::chrono::steady_clock::now();
      Deduplicator reloaded(Options(), path);
      load = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (reloaded.stats().indexed != items) state.SkipWithError("state lost items");
    }
    state.SetIterationTime(process + commit);
    state.counters["process_us_per_item"] = 1e6 * process / static_cast<double>(items);
    state.counters["commit_s"] = commit;
    state.counters["load_s"] = load;
    state.counters["file_MB"] = std::filesystem::file_size(path) / 1e6;
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
}
BENCHMARK(BM_State)->Arg(100000)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace newsevents
