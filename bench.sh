#!/usr/bin/env bash
# Benchmarks (bench/README.md):
#   ./bench.sh [--size-mb N] [--build DIR] [--skip-build]
#        end to end: Release build, 200 MB generated corpus, `newsevents extract`
#        with 1 thread and all cores: MB/s, items/s, speed-up, peak RSS, and a
#        bare `cat` of the same bytes as the floor (bench/run_throughput.sh)
#   ./bench.sh stages [Google Benchmark flags]
#        each step alone (read, normalize, every stage, ids, JSON records) in
#        bytes/s on an ~8 MB sample (bench/stages_bench.cc)
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = stages ]; then
  shift
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=ON >/dev/null
  cmake --build build --target stages_bench >/dev/null
  exec ./build/bench/stages_bench "$@"
fi
exec bench/run_throughput.sh "$@"
