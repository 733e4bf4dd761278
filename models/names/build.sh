#!/bin/sh
# Builds given_names.txt, the given-name list PersonStage reads.
#
# Source: the npm package gender-detection-from-name (MIT, Davide Violante),
# whose names/{en,fr,es,it,de}.js list ~67,000 first names. Names that are
# also common lower-case English words ("will", "urban", "north") are dropped
# unless at least three of the five language lists agree that they are names
# ("john", "victor", "grace" stay); see build.js. The English word lists come
# from Debian's wamerican and wbritish packages (/usr/share/dict).
#
# Usage: sh models/names/build.sh   (needs node, npm, wamerican, wbritish)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=1.11.5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "gender-detection-from-name@$version" >/dev/null && tar xzf ./*.tgz)
node "$here/build.js" "$work/package" /usr/share/dict/american-english /usr/share/dict/british-english \
  > "$here/given_names.txt"
cp "$work/package/LICENSE" "$here/LICENSE.gender-detection-from-name"
echo "wrote $(grep -vc '^#' "$here/given_names.txt") names to $here/given_names.txt" >&2
