#!/usr/bin/env bash
# Fuzzing (not part of ./test.sh): builds the libFuzzer targets of fuzz/ with
# clang++, ASan and UBSan into build-fuzz/, then runs each target in turn.
#
#   ./fuzz.sh                  every target, 60 seconds each
#   ./fuzz.sh -t 300 chain     one target (or several), 300 seconds each
#   ./fuzz.sh --list           the targets
#   ./fuzz.sh --no-build ...   run the binaries as they are (no cmake step)
#
# Seeds are read from fuzz/corpus/ and fuzz/regressions/ (never written);
# inputs the fuzzer finds interesting go to build-fuzz/corpus/<target>/ and are
# reused by the next run. A crash, a leak, a broken check or a slow input
# (over 10 s) is saved under build-fuzz/crashes/<target>/ and the script exits
# 1 at the end. To keep one as a regression test, minimize it
#   build-fuzz/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 CRASH
# and copy it to fuzz/regressions/<target>/ (tests/fuzz_regression_test.cc
# replays them in every build).
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-60}"
targets=()
list=0
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    -t|--seconds) seconds="$2"; shift 2 ;;
    --list) list=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: needs clang++ (libFuzzer): apt-get install clang" >&2
  exit 2
fi
if [ "$build" = 1 ] || [ ! -f build-fuzz/fuzz_targets.txt ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DNEWSEVENTS_FUZZ=ON -DNEWSEVENTS_TESTS=OFF -DNEWSEVENTS_BENCH=OFF >/dev/null
fi
read -r -a all < <(tr ';' ' ' < build-fuzz/fuzz_targets.txt)
if [ "$list" = 1 ]; then printf '%s\n' "${all[@]}"; exit 0; fi
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
[ "$build" = 1 ] && cmake --build build-fuzz --target "${targets[@]/#/fuzz_}"

# Which seed folder a target reads: every text stage shares fuzz/corpus/text.
seeds_of() {
  case "$1" in
    chain|stage_*) echo fuzz/corpus/text ;;
    *) echo "fuzz/corpus/$1" ;;
  esac
}

failed=()
summary=""
for t in "${targets[@]}"; do
  work="build-fuzz/corpus/$t"
  crashes="build-fuzz/crashes/$t"
  log="build-fuzz/logs/$t.log"
  mkdir -p "$work" "$crashes" build-fuzz/logs
  dirs=("$work" "$(seeds_of "$t")")
  [ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
  echo "== $t: ${seconds}s"
  status=0
  "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "${dirs[@]}" >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    line="$t: FAILED (exit $status), see $log and $crashes/"
    grep -m3 -E 'ERROR|fuzz check failed|SUMMARY' "$log" || true
  else
    line="$t: ok, ${runs:-?} inputs, ${cov:-?} coverage points"
  fi
  echo "$line"
  summary+="$line"$'\n'
done
echo
echo "fuzz.sh summary (${seconds}s per target):"
printf '%s' "$summary"
[ ${#failed[@]} -eq 0 ]
