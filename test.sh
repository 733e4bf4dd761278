#!/usr/bin/env bash
# Builds newsevents (Release) and runs every test with ctest.
#
#   ./test.sh          the regular suite (what CI runs: .ci/run)
#   ./test.sh --asan   the same suite built with AddressSanitizer and
#                      UndefinedBehaviorSanitizer (CMakePresets.json, preset
#                      "asan", in build-asan/): much slower, so not part of CI
set -euo pipefail
cd "$(dirname "$0")"
asan=0
case "${1:-}" in
  "") ;;
  --asan) asan=1 ;;
  *) echo "usage: ./test.sh [--asan]" >&2; exit 2 ;;
esac
./setup.sh --deps-only
if [ "$asan" = 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan -j "$(nproc)"
  exit
fi
# Benchmarks are built by bench.sh, not here: the test run stays short.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=OFF >/dev/null
cmake --build build
cd build && ctest --output-on-failure -j "$(nproc)" --timeout 600
