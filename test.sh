#!/usr/bin/env bash
# Builds newsevents (Release) and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --deps-only
# Benchmarks are built by bench.sh, not here: the test run stays short.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=OFF >/dev/null
cmake --build build
cd build && ctest --output-on-failure -j "$(nproc)" --timeout 600
