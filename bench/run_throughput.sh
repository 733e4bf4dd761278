#!/usr/bin/env bash
# End-to-end throughput of `newsevents extract` on the generated corpus.
#
# Builds Release, generates bench/data (200 MB, seeded) if it is missing, then
# times, each once on a warm page cache:
#   - a bare read of the same bytes (cat), the floor no pipeline can beat;
#   - `newsevents extract --threads 1` and `--threads $(nproc)`,
# and prints MB/s, items/s, the speed-up and the peak resident memory.
#
#   bench/run_throughput.sh                     # 200 MB corpus, build/
#   bench/run_throughput.sh --size-mb 50        # a smaller corpus (own folder)
#   bench/run_throughput.sh --build build-bench --skip-build
#   bench/run_throughput.sh --data /data/corpus-200mb   # a corpus kept elsewhere
#        (also $NEWSEVENTS_BENCH_DATA; generated there if its manifest does not
#        match --size-mb and the seed)
#
# Records go to standard output and from there to /dev/null: `-o /dev/null`
# would make OutputFile write a temporary file beside /dev/null and rename it
# over the device.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=200
data="${NEWSEVENTS_BENCH_DATA:-}"
build=build
skip_build=0
threads_many=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --threads) threads_many=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_throughput: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$data" ]; then
  if [ "$size_mb" = 200 ]; then data=bench/data; else data=bench/data/corpus-${size_mb}mb; fi
fi

need_packages=()
[ -x /usr/bin/time ] || need_packages+=(time)
command -v cmake >/dev/null || need_packages+=(cmake)
command -v ninja >/dev/null || need_packages+=(ninja-build)
command -v python3 >/dev/null || need_packages+=(python3)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "run_throughput: installing ${need_packages[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

if [ "$skip_build" = 0 ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target newsevents >/dev/null
fi
bin="$build/newsevents"
[ -x "$bin" ] || { echo "run_throughput: no $bin (build it, or drop --skip-build)" >&2; exit 2; }

python3 bench/generate_corpus.py --size-mb "$size_mb" --out "$data" --if-missing

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
files=("$data"/*.txt)
bytes=$(cat "${files[@]}" | wc -c)

# The floor: the same bytes read from a warm page cache.
cat "${files[@]}" >/dev/null
/usr/bin/time -f '%e %M' -o "$log/cat.time" cat "${files[@]}" >/dev/null
read -r cat_s cat_rss_kb <"$log/cat.time"

# `extract` prints "<MB> MB in <s> s: <rate> MB/s, <n> items/s, <t> threads".
run() {  # run THREADS -> fills $log/t<THREADS>.*
  local t=$1
  /usr/bin/time -v -o "$log/t$t.time" "$bin" extract "$data" -o - --threads "$t" \
    >/dev/null 2>"$log/t$t.err" || {
      echo "run_throughput: newsevents extract --threads $t failed:" >&2
      tail -5 "$log/t$t.err" >&2
      exit 1
    }
}
field() {  # field THREADS KEY: a figure of the run
  local t=$1
  case "$2" in
    seconds) sed -nE 's/.* MB in ([0-9.]+) s:.*/\1/p' "$log/t$t.err" ;;
    items) sed -nE 's/^ *([0-9]+) items ->.*/\1/p' "$log/t$t.err" ;;
    duplicates) sed -nE 's/.* ([0-9]+) duplicates linked.*/\1/p' "$log/t$t.err" ;;
    rss_kb) sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$log/t$t.time" ;;
    cpu) awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log/t$t.time" ;;
  esac
}

run 1
[ "$threads_many" -gt 1 ] && run "$threads_many"

echo
echo "newsevents throughput: $data, ${#files[@]} files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), load average before the runs $load_before"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || cat COMMIT 2>/dev/null || echo unknown)"
# MB/s and items/s are per second of wall time; "MB/CPU-s" per second of CPU
# time (user + system, all threads), which a busy machine disturbs less.
printf '%-20s %8s %8s %9s %7s %9s %8s %8s\n' run seconds MB/s items/s CPU-s MB/CPU-s RSS-MB items
awk -v b="$bytes" -v s="$cat_s" -v r="$cat_rss_kb" 'BEGIN{
  printf "%-20s %8.2f %8.1f %9s %7s %9s %8.1f %8s\n", "cat (warm read)", s, (s > 0 ? b/1e6/s : 0),
         "-", "-", "-", r/1024, "-" }'
for t in 1 $([ "$threads_many" -gt 1 ] && echo "$threads_many"); do
  awk -v b="$bytes" -v s="$(field "$t" seconds)" -v n="$(field "$t" items)" -v c="$(field "$t" cpu)" \
      -v r="$(field "$t" rss_kb)" -v t="$t" 'BEGIN{
    printf "%-20s %8.2f %8.1f %9.0f %7.1f %9.1f %8.1f %8d\n", "extract --threads " t, s,
           (s > 0 ? b/1e6/s : 0), (s > 0 ? n/s : 0), c, (c > 0 ? b/1e6/c : 0), r/1024, n }'
done
if [ "$threads_many" -gt 1 ]; then
  awk -v a="$(field 1 seconds)" -v b="$(field "$threads_many" seconds)" -v t="$threads_many" \
    'BEGIN{ if (b > 0) printf "speed-up with %d threads: %.2fx (%.0f%% of linear)\n", t, a/b, 100*a/b/t }'
fi
echo "duplicates linked: $(field 1 duplicates)   (seconds include loading rules and models)"
