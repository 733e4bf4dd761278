#!/bin/sh
# Compiles dump_features against the library of a build folder.
#   sh models/segment/build_tool.sh [BUILD_DIR]    (default: build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
[ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja -DNEWSEVENTS_BENCH=OFF >/dev/null
ninja -C "$build" newsevents_lib >/dev/null
out="$build/dump_features"
${CXX:-c++} -std=c++20 -O2 -I"$root" -DNEWSEVENTS_SOURCE_DIR="\"$root\"" \
  "$root/models/segment/dump_features.cc" "$build/libnewsevents_lib.a" \
  $(pkg-config --libs icu-uc icu-i18n re2) -ltbb -lxxhash -lsqlite3 -o "$out"
echo "$out"
