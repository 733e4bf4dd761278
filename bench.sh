#!/usr/bin/env bash
# Benchmarks (bench/README.md):
#   ./bench.sh [--size-mb N] [--data DIR] [--build DIR] [--skip-build]
#        end to end: Release build, 200 MB generated corpus, `newsevents extract`
#        with 1 thread and all cores: MB/s, items/s, speed-up, peak RSS, and a
#        bare `cat` of the same bytes as the floor (bench/run_throughput.sh);
#        --data (or $NEWSEVENTS_BENCH_DATA) reads a corpus kept elsewhere
#   ./bench.sh stages [Google Benchmark flags]
#        each step alone (read, normalize, every stage, ids, JSON records) in
#        bytes/s on an ~8 MB sample (bench/stages_bench.cc)
#   ./bench.sh startup [Google Benchmark flags]
#        milliseconds to load each stage's rules and models, all of them, and
#        to take a first item through them (bench/startup_bench.cc)
#   ./bench.sh cycles [--size-mb N]
#        instructions per input byte of each step in the steady state, counted
#        by callgrind: where the cycles go, comparable on a busy machine
#        (bench/cycles.sh)
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = cycles ]; then
  shift
  exec bench/cycles.sh "$@"
fi
if [ "${1:-}" = stages ] || [ "${1:-}" = startup ]; then
  target="$1_bench"
  shift
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=ON >/dev/null
  cmake --build build --target "$target" >/dev/null
  exec "./build/bench/$target" "$@"
fi
exec bench/run_throughput.sh "$@"
