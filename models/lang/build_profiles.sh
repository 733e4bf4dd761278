#!/bin/sh
# Builds models/lang/<lang>.profile from the TextCat fingerprints of Debian's
# libexttextcat-data package (Cavnar & Trenkle character n-gram profiles,
# BSD licence, see LICENSE.libexttextcat).
#
#   apt-get install libexttextcat-data
#   sh models/lang/build_profiles.sh [LANG...]     # default: en fr es
#
# A profile keeps the source's n-grams in rank order with their counts,
# "ngram<TAB>count", one a line; '_' marks a word boundary as in TextCat.
# Case and accents are kept as in the source: LanguageStage folds each n-gram
# with the same FoldText it applies to the text and adds up the counts of
# n-grams that fold alike, so the profile stays a faithful copy.
# A new language is one more profile file: `sh build_profiles.sh de`.
set -eu
src=${TEXTCAT_DIR:-/usr/share/libexttextcat}
out=$(dirname "$0")
[ $# -gt 0 ] || set -- en fr es
for lang in "$@"; do
  lm="$src/$lang.lm"
  [ -r "$lm" ] || { echo "missing $lm (apt-get install libexttextcat-data)" >&2; exit 1; }
  {
    printf '# %s character n-gram profile, from libexttextcat-data %s/%s.lm\n' \
      "$lang" "$(dpkg-query -W -f='${Version}' libexttextcat-data 2>/dev/null || echo '?')" "$lang"
    printf '# ngram<TAB>count, most frequent first; _ = word boundary\n'
    # Source lines are "ngram<TAB> count" (a space before the count).
    awk -F '\t' 'NF == 2 && $1 != "" { c = $2; gsub(/ /, "", c); print $1 "\t" c }' "$lm"
  } > "$out/$lang.profile"
  echo "$out/$lang.profile: $(grep -vc '^#' "$out/$lang.profile") n-grams"
done
