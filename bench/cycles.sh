#!/usr/bin/env bash
# Where the cycles go: instructions per input byte of each step of
# `newsevents extract --threads 1`, in the steady state, counted by callgrind.
#
# One-time costs (loading rules and models, compiling RE2 programs, the first
# DFA states) weigh a lot on a small input and nothing on a large one, so the
# figures are marginal: callgrind runs extract on the first N MB of the
# generated corpus and on the first 2N MB (the same seed: the first is a prefix
# of the second), and each step's instructions on the second N MB are divided
# by its bytes. Instruction counts do not depend on what else the machine is
# doing (times do), so two builds can be compared on a busy machine.
#
#   bench/cycles.sh                  # N = 2: ~2 minutes under callgrind
#   bench/cycles.sh --size-mb 4      # N = 4
#   bench/cycles.sh --build DIR      # a build other than build/ (built first)
#   bench/cycles.sh --binary PATH    # an already built newsevents, not rebuilt
#
# Prints one line per step (reading, normalizing, each stage, ids, de-dup
# keys, JSON records, the serial sink), the pipeline total, and the shares of
# RE2 matching and of malloc/free inside it.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=2
build=build
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cycles: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "cycles: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
if [ -z "$binary" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target newsevents >/dev/null
  binary="$build/newsevents"
fi

work="$build/cycles"
mkdir -p "$work"
small="$work/corpus-${size_mb}mb"
large="$work/corpus-$((2 * size_mb))mb"
python3 bench/generate_corpus.py --size-mb "$size_mb" --out "$small" --if-missing --quiet
python3 bench/generate_corpus.py --size-mb "$((2 * size_mb))" --out "$large" --if-missing --quiet

profile() {  # drop, callgrind output
  valgrind --tool=callgrind --callgrind-out-file="$2" \
    "$binary" extract "$1" --threads 1 -q -o "$work/records.jsonl" 2>/dev/null
  callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$2" > "$2.txt"
}
echo "cycles: callgrind on $small and $large ..." >&2
profile "$small" "$work/small.out"
profile "$large" "$work/large.out"

python3 - "$small" "$large" "$work/small.out.txt" "$work/large.out.txt" <<'EOF'
import os, re, sys

small_dir, large_dir, small_txt, large_txt = sys.argv[1:]

def drop_bytes(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if f.endswith('.txt'))

# Inclusive instructions of each function, by name (callgrind_annotate lines:
# "1,234 (12.3%)  file:function [object]").
def inclusive(path):
    costs = {}
    for line in open(path, errors='replace'):
        m = re.match(r'\s*([\d,]+) \([^)]*\)\s+(\S.*)$', line)
        if not m or m.group(2).startswith(('=>', '*', '>', '<')):
            continue
        name = re.sub(r'\s*\[[^\]]*\]$', '', m.group(2))
        name = name.split(':', 1)[1] if name.startswith(('.', '/', '???')) else name
        costs[name] = max(costs.get(name, 0), int(m.group(1).replace(',', '')))
    return costs

# The costliest function matching `pattern` (a step's entry point: a lambda
# inside it may carry the same prefix); `parts` add theirs up.
def find(costs, pattern, combine=max):
    return combine([v for k, v in costs.items() if re.search(pattern, k)] or [0])

steps = [('read', r'^newsevents::ReadSourceFile\('),
         ('normalize', r'^newsevents::NormalizeDocument\(')]
stage_names = sorted({m.group(1) for k in inclusive(large_txt)
                      for m in [re.match(r'newsevents::NamedStage<newsevents::(\w+)Stage>::Apply', k)] if m})
order = ['Segment', 'Language', 'Sentence', 'Date', 'Organization', 'Place', 'Person', 'EventType']
stage_names.sort(key=lambda s: order.index(s) if s in order else len(order))
labels = {'Sentence': 'sentences', 'Date': 'dates', 'Organization': 'organizations',
          'Place': 'places', 'Person': 'people', 'EventType': 'event_type'}
steps += [(labels.get(s, s.lower()), r'^newsevents::NamedStage<newsevents::%sStage>::Apply\(' % s)
          for s in stage_names]
steps += [('ids', r'^newsevents::(ItemId\[|AssignItemIds\()'),
          ('dedup keys', r'^newsevents::StoryKeyMaker::KeyOf\('),
          ('JSON records', r'^newsevents::RecordLine\['),
          # The serial filter that judges and writes; a parallel filter after
          # it frees the documents (builds before session 5: the sink was the
          # last filter, <Document, void>, and freed them itself).
          ('serial sink', r'concrete_filter<std::shared_ptr<newsevents::Document>, '
                          r'(std::shared_ptr<newsevents::Document>|void)')]
total = ('pipeline', r'^newsevents::Pipeline::Run\(std::vector')
parts = [('RE2 matching', r'^re2::RE2::(Match|Set::Match)\('),
         ('malloc/free', r'^(malloc|free|realloc)$')]

a, b = inclusive(small_txt), inclusive(large_txt)
extra = drop_bytes(large_dir) - drop_bytes(small_dir)
def per_byte(pattern, combine=max):
    return (find(b, pattern, combine) - find(a, pattern, combine)) / extra

pipeline = per_byte(total[1])
print(f"steady state, instructions per input byte ({extra / 1e6:.1f} MB after the first "
      f"{drop_bytes(small_dir) / 1e6:.1f} MB)")
for label, pattern in steps:
    v = per_byte(pattern)
    print(f"  {label:<14} {v:8.1f}  {100 * v / pipeline:5.1f}%")
print(f"  {total[0]:<14} {pipeline:8.1f}")
for label, pattern in parts:
    v = per_byte(pattern, sum)
    print(f"  of which {label:<14} {v:8.1f}  {100 * v / pipeline:5.1f}%")
EOF
