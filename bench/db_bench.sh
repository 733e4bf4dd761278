#!/usr/bin/env bash
# Throughput of the feed databases (README "Databases") on the generated corpus.
#
# Builds Release, generates bench/data (200 MB, seeded) if it is missing,
# extracts it once to JSON Lines, then times, each on an empty database:
#   - `newsevents load --sqlite`   (SQLite, WAL, synchronous=FULL)
#   - `newsevents load --postgres` (a throwaway PostgreSQL cluster on
#     127.0.0.1, tests/pg_cluster.sh --durable: fsync on, default settings)
# and the same drop loaded again (every record unchanged), and what
# `extract --sqlite` adds to a plain extract. Prints records/s and rows/s
# (rows written to all tables, over the time spent in the database sink, JSON
# parsing aside) and checks that both databases hold the same row counts.
#
#   bench/db_bench.sh                         # 200 MB corpus, build/
#   bench/db_bench.sh --size-mb 20            # a smaller corpus (own folder)
#   bench/db_bench.sh --build build-db --skip-build
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=200
build=build
skip_build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "db_bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$size_mb" = 200 ]; then data=bench/data; else data=bench/data/corpus-${size_mb}mb; fi

[ -x /usr/bin/time ] || { echo "db_bench: needs /usr/bin/time (Debian package: time)" >&2; exit 2; }
if [ "$skip_build" = 0 ]; then
  ./setup.sh --deps-only
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSEVENTS_BENCH=OFF >/dev/null
  cmake --build "$build" --target newsevents >/dev/null
fi
bin="$build/newsevents"
[ -x "$bin" ] || { echo "db_bench: no $bin (build it, or drop --skip-build)" >&2; exit 2; }

python3 bench/generate_corpus.py --size-mb "$size_mb" --out "$data" --if-missing

work=$(mktemp -d /tmp/newsevents-db-bench.XXXXXX)
pg=$(mktemp -u /tmp/newsevents-db-bench-pg.XXXXXX)  # the server's user must reach it
cleanup() {
  tests/pg_cluster.sh stop "$pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
files=("$data"/*.txt)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
rate() { python3 -c "print(f'{$1 / $2:,.0f}' if $2 > 0 else '-')"; }

# CPU seconds (user + system) of the newsevents process: on a shared machine
# the wall clock also counts other people's work. (PostgreSQL's own CPU is
# in its server processes, not here.)
cpu_of() { python3 -c "print(f'{$(cut -d' ' -f1 "$1") + $(cut -d' ' -f2 "$1"):.2f}')"; }

# The sink's line of a load or extract summary: "... N rows written in S s (R rows/s)".
sink_rows() { sed -n 's/.* \([0-9]*\) rows written in \([0-9.]*\) s.*/\1 \2/p' "$1" | head -1; }

echo "db_bench: $size_mb MB corpus, ${#files[@]} files; $(nproc) cores, load average $load_before;" \
     "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

t0=$(now)
/usr/bin/time -f "%U %S" -o "$work/extract.cpu" "$bin" extract "${files[@]}" -q -o "$work/records.jsonl"
t1=$(now)
extract_s=$(secs "$t0" "$t1")
records=$(wc -l <"$work/records.jsonl")
echo "records: $records ($(du -m "$work/records.jsonl" | cut -f1) MB of JSON Lines)," \
     "extract alone ${extract_s} s ($(cpu_of "$work/extract.cpu") s CPU)"

t0=$(now)
/usr/bin/time -f "%U %S" -o "$work/extract_sqlite.cpu" \
  "$bin" extract "${files[@]}" -o "$work/records2.jsonl" --sqlite "$work/extract.db" \
  2>"$work/extract_sqlite.log" >/dev/null
t1=$(now)
extract_sqlite_s=$(secs "$t0" "$t1")
rm -f "$work/records2.jsonl"

url=$(tests/pg_cluster.sh start "$pg" --durable)

run_load() {  # NAME LOG ARGS...: one row of the table below
  local name=$1 log=$2
  shift 2
  local t0 t1 wall rows sink
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$log.cpu" "$bin" load "$@" "$work/records.jsonl" 2>"$log"
  t1=$(now)
  wall=$(secs "$t0" "$t1")
  read -r rows sink <<<"$(sink_rows "$log")"
  echo "| $name | $wall | $(cpu_of "$log.cpu") | $(rate "$records" "$wall") | $rows | $sink | $(rate "$rows" "$sink") |"
}

echo
echo "| step | wall s | newsevents CPU s | records/s | rows written | sink s | rows/s (sink) |"
echo "|---|---|---|---|---|---|---|"
run_load "load --sqlite, empty database" "$work/l1.log" --sqlite "$work/load.db"
run_load "load --sqlite, same drop again" "$work/l2.log" --sqlite "$work/load.db"
run_load "load --postgres, empty database" "$work/p1.log" --postgres "$url"
run_load "load --postgres, same drop again" "$work/p2.log" --postgres "$url"
read -r xrows xsink <<<"$(sink_rows "$work/extract_sqlite.log")"
echo "| extract --sqlite (extract alone: ${extract_s} s) | $extract_sqlite_s | $(cpu_of "$work/extract_sqlite.cpu") | $(rate "$records" "$extract_sqlite_s") | $xrows | $xsink | $(rate "$xrows" "$xsink") |"

echo
mismatch=0
for t in schema_version runs events event_dates organizations organization_aliases \
         event_organizations places place_aliases event_places event_people duplicates; do
  s=$(sqlite3 "$work/load.db" "SELECT count(*) FROM $t")
  p=$(psql "$url" -Atc "SELECT count(*) FROM $t")
  [ "$s" = "$p" ] || { echo "db_bench: $t: $s rows in SQLite, $p in PostgreSQL" >&2; mismatch=1; }
  printf '%s=%s ' "$t" "$s"
done
echo
echo "SQLite file: $(du -m "$work/load.db" | cut -f1) MB;" \
     "PostgreSQL database: $(psql "$url" -Atc "SELECT pg_database_size(current_database()) / 1048576") MB"
[ "$mismatch" = 0 ] && echo "row counts: identical in SQLite and PostgreSQL"
exit "$mismatch"
