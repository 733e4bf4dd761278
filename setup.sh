#!/usr/bin/env bash
# newsevents set-up: installs the Debian packages that are missing, builds in
# Release, and runs the pipeline on corpus/, writing out/events.jsonl and its
# HTML report out/report.html.
#   ./setup.sh              everything
#   ./setup.sh --deps-only  only the packages (used by test.sh)
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(cmake ninja-build g++ pkg-config
          libicu-dev libre2-dev libtbb-dev nlohmann-json3-dev
          libgtest-dev libbenchmark-dev libsqlite3-dev libxxhash-dev
          python3 python3-jsonschema
          python3-dask python3-distributed)  # scale/newsevents-dask
# The report's browser test (tests/report_browser_test.cc) drives Debian's
# Chromium from Node with playwright-core. Node usually comes with its npm
# (NodeSource's nodejs); Debian's packages are added only where npm is missing.
PACKAGES+=(chromium)
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
# Feed databases: libpq for --postgres, the server for its tests (a throwaway
# cluster, tests/pg_cluster.sh), the sqlite3 shell for the README's queries.
PACKAGES+=(libpq-dev postgresql sqlite3)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=OFF >/dev/null
  cmake --build build
}

install_missing
[ "${1:-}" = "--deps-only" ] && exit 0
build
mkdir -p out
echo
./build/newsevents extract corpus/ -o out/events.jsonl
echo
echo "records: out/events.jsonl ($(wc -l < out/events.jsonl) lines)"
echo "score them: ./build/newsevents eval --gold corpus/gold out/events.jsonl"
echo
./build/newsevents report out/events.jsonl --corpus corpus/ -o out/report.html
echo "report: $(pwd)/out/report.html (one self-contained page: open it in a browser)"
