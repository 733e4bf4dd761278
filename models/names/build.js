// Reads the name maps of gender-detection-from-name and prints the filtered,
// folded list (one name a line). Arguments: package dir, then dictionary files.
'use strict';
const fs = require('fs');
const path = require('path');

const [pkg, ...dicts] = process.argv.slice(2);
const langs = ['en', 'fr', 'es', 'it', 'de'];
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

// How many language lists hold each name.
const votes = new Map();
for (const lang of langs) {
  const names = require(path.join(pkg, 'names', lang + '.js'));
  for (const name of names.keys()) {
    const f = fold(name);
    if (!/^[a-z][a-z'-]*[a-z]$/.test(f)) continue;
    votes.set(f, (votes.get(f) || 0) + 1);
  }
}

// Lower-case dictionary entries are common words, not names.
const words = new Set();
for (const file of dicts) {
  for (const w of fs.readFileSync(file, 'utf8').split('\n')) {
    if (w && w === w.toLowerCase()) words.add(fold(w));
  }
}
// Function words of en/fr/es that some lists hold as names.
const never = new Set(('the of and or to in on at by for from with my you so not nor per ' +
  'le la les de des du et un une en au aux el los las del y con para por sin ' +
  'else ever said job era sole success').split(' '));

const out = [];
for (const [name, n] of votes) {
  if (never.has(name)) continue;
  if (words.has(name) && n < 3) continue;
  out.push(name);
}
out.sort();
process.stdout.write('# Given names, folded (lower case, no accents), one a line.\n' +
  '# Built by build.sh from gender-detection-from-name (MIT); see README.md.\n' +
  out.join('\n') + '\n');
