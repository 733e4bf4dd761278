#!/usr/bin/env python3
"""Writes a synthetic corpus of newsletter drops for throughput benchmarks.

The corpus is deterministic: the same --seed gives the same bytes, and a
smaller --size-mb gives a prefix (the same first files) of a larger one.
Text is built from templates (bench/corpus_templates/<lang>.txt) and from the
project's own vocabularies, read at generation time:

  rules/<lang>/vocab/*.tsv   month and weekday names, seasons, relative years
  models/places/places.tsv   countries, regions, cities, districts
  models/names/              given names and surnames, if that folder exists
                             (else the [given_name] and [surname] template
                             sections)

Files are 10-60 KB newsletter drops in English, French and Spanish: headline
lines with paragraphs, yearly archives under year headings, an occasional
masthead, hard-wrapped lines, CRLF line ends, a BOM, typographic quotes and
dashes, and stories told again in later files, word for word or reworded
(same facts, other sentences). No corpus text is copied.

  python3 bench/generate_corpus.py                       # 200 MB into bench/data
  python3 bench/generate_corpus.py --size-mb 50 --out /tmp/corpus50
  python3 bench/generate_corpus.py --if-missing          # no-op when up to date

Python 3 standard library only.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import re
import sys

GENERATOR_VERSION = 1
LANGUAGES = (("en", 0.5), ("fr", 0.25), ("es", 0.25))
FILE_NAME = re.compile(r"^\d{6}_[0-9a-f]{16}\.txt$")
# One line per story told: file, first and last line (0-based, counted in the
# file's bytes by "\n"), story number, new/exact/reworded. What the
# de-duplicator should find (bench/score_dedup.py); not read by extract.
TRUTH_FILE = "tellings.tsv"
SLOT = re.compile(r"\{([a-z_0-9.]+)\}")
# Sections whose pick stays the same for the whole story, so that a reworded
# retelling keeps its facts.
STICKY_SECTIONS = {"topic", "topic_title", "event_name", "role", "ordinal"}


def read_table(path):
    """Rows of a tab-separated file, without comments and blank lines."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def read_templates(path):
    """Sections of a template file: {name: [entry, ...]}."""
    sections = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], [])
                continue
            if current is None:
                raise SystemExit(f"{path}:{number}: entry before any [section]")
            current.append(line)
    return sections


class Places:
    """Place names from the gazetteer, by kind."""

    def __init__(self, root):
        path = os.path.join(root, "models", "places", "places.tsv")
        self.by_kind = {"country": [], "region": [], "city": [], "district": [], "world_region": []}
        weights = {kind: [] for kind in self.by_kind}
        for row in read_table(path):
            if len(row) < 8 or row[2] not in self.by_kind:
                continue
            kind, population = row[2], int(row[5] or 0)
            surfaces = [s.split("*")[0] for s in row[7].split("|") if s]
            if not surfaces:
                continue
            # Large cities and districts only: the rest are too many and too obscure.
            if kind in ("city", "district") and population < 150000:
                continue
            # Latin-script names only: the newsletters are in en, fr and es.
            if any(ord(c) > 0x24F for s in surfaces for c in s):
                continue
            self.by_kind[kind].append(surfaces)
            # Big cities come up more often, as they do in the news.
            weights[kind].append(population ** 0.5 if population else 1.0)
        self.cumulative = {}
        for kind, entries in self.by_kind.items():
            if not entries:
                raise SystemExit(f"{path}: no place of kind {kind}")
            self.cumulative[kind] = list(itertools.accumulate(weights[kind]))

    def pick(self, rng, kind):
        surfaces = rng.choices(self.by_kind[kind], cum_weights=self.cumulative[kind])[0]
        # Mostly the first (usual) name; now and then another language's.
        return surfaces[0] if len(surfaces) == 1 or rng.random() < 0.7 else rng.choice(surfaces)


def load_names(root):
    """Given names and surnames from models/names/, or None when absent."""
    folder = os.path.join(root, "models", "names")
    if not os.path.isdir(folder):
        return None
    given, surnames = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".tsv", ".txt")):
            continue
        target = given if re.search(r"given|first", name) else surnames if re.search(
            r"surname|family|last", name) else None
        if target is None:
            continue
        target.extend(row[0] for row in read_table(os.path.join(folder, name)) if row[0])
    return (given, surnames) if given and surnames else None


class Language:
    """Templates and vocabularies of one language."""

    def __init__(self, root, lang, names):
        here = os.path.dirname(os.path.abspath(__file__))
        self.lang = lang
        self.sections = read_templates(os.path.join(here, "corpus_templates", lang + ".txt"))
        self.own_name, self.own_acr = self.sections["own"][0].split("\t")
        self.elisions = [(re.compile(p), r) for p, r in
                         (e.split("\t") for e in self.sections.get("elision", []))]
        self.day_ordinals = dict(e.split("\t") for e in self.sections.get("day_ordinal", []))
        self.org_heads = [e.split("\t") for e in self.sections["org_head"]]
        self.org_places = [e.split("\t") for e in self.sections["org_place"]]
        self.acronym_skip = set(self.sections.get("acronym_skip", []))
        if names:
            self.given, self.surnames = names
        else:
            self.given, self.surnames = self.sections["given_name"], self.sections["surname"]
        self.kinds = sorted(k.split(".", 1)[1] for k in self.sections if k.startswith("headline."))

        vocab = os.path.join(root, "rules", lang, "vocab")
        self.vocab = {}
        for name in ("month", "month_name", "weekday", "season", "ordinal_day",
                     "relative_year", "year_shift_word"):
            path = os.path.join(vocab, name + ".tsv")
            if os.path.exists(path):
                self.vocab[name] = read_table(path)
        # By value, the first surface is the usual one (full month name...).
        self.months = self._by_value("month")
        self.weekdays = self._by_value("weekday")
        self.month_names = self._by_value("month_name") or self.months
        # A date form is usable only when the vocabularies it needs exist.
        needs = {"month": "month", "month2": "month", "month_name": "month_name",
                 "weekday": "weekday", "season": "season", "ordinal_day": "ordinal_day",
                 "relative_year": "relative_year", "year_shift": "year_shift_word"}
        self.date_forms = [f for f in self.sections["date"]
                           if all(s not in needs or needs[s] in self.vocab for s in SLOT.findall(f))]
        if not self.date_forms:
            raise SystemExit(f"{lang}: no usable date form")

    def _by_value(self, name):
        table = {}
        for row in self.vocab.get(name, []):
            if len(row) >= 2:
                table.setdefault(row[1], []).append(row[0])
        return table

    def surface(self, table, value, rng):
        """A word for `value`: usually the first, sometimes an abbreviation or variant."""
        words = table[value]
        word = words[0] if len(words) == 1 or rng.random() < 0.85 else rng.choice(words)
        if word != words[0] and words[0].startswith(word):
            word += "."  # an abbreviation: "Sept.", "janv."
        return word

    def day_ord(self, day):
        form = self.day_ordinals.get(str(day), self.day_ordinals.get("*", "{n}"))
        return form.replace("{n}", str(day))

    def finish(self, sentence):
        for pattern, replacement in self.elisions:
            sentence = pattern.sub(replacement, sentence)
        return sentence[0].upper() + sentence[1:] if sentence else sentence


class Org:
    def __init__(self, name, article, acronym):
        self.name, self.article, self.acronym = name, article, acronym


def make_org(lang, places, rng):
    if rng.random() < 0.25:
        template, article = rng.choice(lang.org_places)
        kinds = {"city": "city", "region": "region", "country": "country"}
        name = SLOT.sub(lambda m: places.pick(rng, kinds.get(m.group(1), "city")), template)
    else:
        head, article = rng.choice(lang.org_heads)
        name = head + " " + rng.choice(lang.sections["org_topic"])
    words = re.findall(r"[\w]+'?", name)
    acronym = "".join(w[0].upper() for w in words if w not in lang.acronym_skip and w[0].isalpha())
    if len(acronym) < 2:
        acronym = name[:3].upper()
    return Org(name, article, acronym)


class DateFact:
    """One date of a story; every date form draws from it."""

    def __init__(self, rng, lang):
        self.year = rng.randint(2012, 2025)
        self.month = rng.randint(1, 12)
        self.day = rng.randint(1, 26)
        self.day2 = self.day + rng.randint(1, 3)
        self.month2 = self.month % 12 + 1
        self.year2 = self.year + rng.randint(1, 3)
        self.season = rng.choice(lang.vocab["season"])[0] if "season" in lang.vocab else ""
        self.shift = rng.choice(lang.vocab["year_shift_word"])[0] if "year_shift_word" in lang.vocab else ""
        self.relative = rng.choice(lang.vocab["relative_year"])[0] if "relative_year" in lang.vocab else ""
        self.ordinal = rng.choice(lang.vocab["ordinal_day"])[0] if "ordinal_day" in lang.vocab else ""

    def render(self, lang, form, rng):
        weekday = str(datetime.date(self.year, self.month, self.day).isoweekday())
        values = {
            "day": str(self.day), "day2": str(self.day2), "day_ord": lang.day_ord(self.day),
            "month": lang.surface(lang.months, f"{self.month:02d}", rng) if lang.months else "",
            "month2": lang.surface(lang.months, f"{self.month2:02d}", rng) if lang.months else "",
            "month_name": lang.month_names[f"{self.month:02d}"][0] if lang.month_names else "",
            "year": str(self.year), "year2": str(self.year2), "yy2": f"{self.year2 % 100:02d}",
            "mm": f"{self.month:02d}", "dd": f"{self.day:02d}",
            "weekday": lang.surface(lang.weekdays, weekday, rng) if lang.weekdays else "",
            "season": self.season, "year_shift": self.shift, "relative_year": self.relative,
            "ordinal_day": self.ordinal,
        }
        return SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), form)


class Story:
    """The facts of one news item; rendering them with another seed rewords it."""

    def __init__(self, lang, places, rng):
        self.lang = lang
        self.kind = rng.choice(lang.kinds)
        self.org, self.org2 = make_org(lang, places, rng), make_org(lang, places, rng)
        self.places = {k: places.pick(rng, kind) for k, kind in (
            ("city", "city"), ("city2", "city"), ("country", "country"), ("country2", "country"),
            ("region", "region"), ("district", "district"), ("world_region", "world_region"))}
        self.people = [(rng.choice(lang.sections["title"]) if rng.random() < 0.3 else "",
                        rng.choice(lang.given), rng.choice(lang.surnames)) for _ in range(2)]
        self.dates = [DateFact(rng, lang), DateFact(rng, lang)]
        self.num, self.num2 = rng.randint(15, 950), rng.randint(3, 60)
        self.sticky = {}
        self.seed = rng.getrandbits(32)
        self.title, self.paragraphs = self.render(self.seed)

    def render(self, seed):
        lang, rng = self.lang, random.Random(seed)
        mentioned = set()

        def org(which, cap=False):
            o = self.org if which == 1 else self.org2
            key = ("org", which)
            text = o.name + f" ({o.acronym})" if key not in mentioned else o.acronym
            mentioned.add(key)
            sep = "" if o.article.endswith("'") else " "
            text = o.article + sep + text
            return text[0].upper() + text[1:] if cap else text

        def person(which):
            title, given, surname = self.people[which]
            key = ("person", which)
            if key in mentioned and rng.random() < 0.5:
                return (title + " " + surname) if title else given + " " + surname
            mentioned.add(key)
            return (title + " " if title else "") + given + " " + surname

        def slot(match):
            name = match.group(1)
            if name == "own":
                return lang.own_name
            if name == "own_acr":
                return lang.own_acr
            if name in ("the_org", "the_org_cap", "the_org2"):
                return org(2 if name.endswith("2") else 1, cap=name.endswith("cap"))
            if name == "org_acr":
                return self.org.acronym
            if name in self.places:
                return self.places[name]
            if name in ("person", "person2"):
                return person(1 if name.endswith("2") else 0)
            if name in ("date", "date2"):
                fact = self.dates[1 if name.endswith("2") else 0]
                return fact.render(lang, rng.choice(lang.date_forms), rng)
            if name == "num":
                return str(self.num)
            if name == "num2":
                return str(self.num2)
            if name == "year":
                return str(self.dates[0].year)
            if name in STICKY_SECTIONS:
                if name not in self.sticky:
                    self.sticky[name] = expand(rng.choice(lang.sections[name]))
                return self.sticky[name]
            if name in lang.sections:
                return expand(rng.choice(lang.sections[name]))
            raise SystemExit(f"{lang.lang}: template slot {{{name}}} has no section")

        def expand(template):
            return SLOT.sub(slot, template)

        title = lang.finish(expand(rng.choice(lang.sections["headline." + self.kind])))
        sentences = lang.sections["sentence"]
        paragraphs = []
        for p in range(rng.choice((1, 1, 2, 2, 2, 3, 3, 4))):
            parts = [expand(rng.choice(lang.sections["lead." + self.kind]))] if p == 0 else []
            parts += [expand(s) for s in rng.sample(sentences, rng.randint(1, 5))]
            paragraphs.append(" ".join(lang.finish(s) for s in parts))
        return title, paragraphs


class Style:
    """How one file is laid out and encoded."""

    def __init__(self, rng):
        self.archive = rng.random() < 0.2         # year headings, no headlines
        self.archive_blank_lines = rng.random() < 0.5
        self.masthead = rng.random() < 0.1
        self.mixed_languages = rng.random() < 0.05
        self.wrap = rng.randint(68, 92) if rng.random() < 0.15 else 0
        self.typographic = rng.random() < 0.3    # ’ “ ” – instead of ' " -
        self.crlf = rng.random() < 0.05
        self.bom = rng.random() < 0.02


def wrap(text, width):
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    lines.append(line)
    return "\n".join(lines)


class Generator:
    def __init__(self, root, seed):
        self.rng = random.Random(seed)
        self.places = Places(root)
        names = load_names(root)
        self.languages = {code: Language(root, code, names) for code, _ in LANGUAGES}
        self.pool = {code: [] for code, _ in LANGUAGES}  # earlier stories, for repeats
        # The truth of de-duplication: every story told, where (file, lines)
        # and whether it is new or a retelling of which story. Kept without
        # drawing from rng, so the corpus bytes do not depend on it.
        self.tellings = []
        self.stories = 0
        self.stats = {"files": 0, "bytes": 0, "items": 0, "exact_repeats": 0, "reworded_repeats": 0,
                      "archives": 0, "languages": {code: 0 for code, _ in LANGUAGES}}

    def pick_language(self):
        r, total = self.rng.random(), 0.0
        for code, weight in LANGUAGES:
            total += weight
            if r < total:
                return code
        return LANGUAGES[-1][0]

    def story(self, code):
        """A new story, or now and then one told before (exactly or reworded):
        (title, paragraphs, (story number, "new" | "exact" | "reworded"))."""
        rng, pool = self.rng, self.pool[code]
        r = rng.random()
        if pool and r < 0.05:
            self.stats["exact_repeats"] += 1
            old = rng.choice(pool)
            return old.title, old.paragraphs, (old.number, "exact")
        if pool and r < 0.10:
            self.stats["reworded_repeats"] += 1
            old = rng.choice(pool)
            return (*old.render(rng.getrandbits(32)), (old.number, "reworded"))
        s = Story(self.languages[code], self.places, rng)
        s.number = self.stories
        self.stories += 1
        if len(pool) < 4000:
            pool.append(s)
        else:
            pool[rng.randrange(len(pool))] = s
        return s.title, s.paragraphs, (s.number, "new")

    def masthead(self):
        blocks = []
        for lang in self.languages.values():
            words = lang.own_name.upper().split(" ")
            lines, i = [], 0
            while i < len(words):
                n = 1 if len(words[i]) > 5 else 2
                lines.append(" ".join(words[i:i + n]))
                i += n
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n\n"

    def file_text(self, target_bytes, name):
        rng = self.rng
        style = Style(rng)
        code = self.pick_language()
        self.stats["languages"][code] += 1
        out = [self.masthead()] if style.masthead else []
        size = sum(len(s) for s in out)
        line = sum(s.count("\n") for s in out)  # lines before the next chunk
        year = rng.randint(2016, 2025)
        if style.archive:
            self.stats["archives"] += 1
        while size < target_bytes:
            told = []  # (first element of chunk, elements, truth)
            if style.archive:
                chunk = [str(year)]
                year -= 1
                for _ in range(rng.randint(2, 8)):
                    _, paragraphs, truth = self.story(code)
                    told.append((len(chunk), len(paragraphs), truth))
                    chunk.extend(paragraphs)
                    self.stats["items"] += 1
                sep = "\n\n" if style.archive_blank_lines else "\n"
            else:
                item_code = self.pick_language() if style.mixed_languages else code
                title, paragraphs, truth = self.story(item_code)
                chunk = [title] + paragraphs
                told.append((0, len(chunk), truth))
                sep = "\n\n"
                self.stats["items"] += 1
            if style.wrap:
                chunk = [wrap(p, style.wrap) for p in chunk]
            # Line numbers survive every later edit of the text (quotes,
            # dashes, CRLF, BOM): the truth says where a telling is by lines.
            starts = [line]
            for element in chunk:
                starts.append(starts[-1] + element.count("\n") + sep.count("\n"))
            for first, count, (number, kind) in told:
                last = first + count - 1
                self.tellings.append((name, starts[first], starts[last] + chunk[last].count("\n"),
                                      number, kind))
            text = sep.join(chunk) + "\n\n"
            out.append(text)
            line += text.count("\n")
            size += len(text.encode("utf-8"))
        text = "".join(out)
        if style.typographic:
            text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
            text = text.replace("'", "\u2019").replace(" - ", " \u2013 ")
            if code == "fr":
                text = text.replace(" :", "\u00a0:")
        if style.crlf:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if style.bom else data

    def write(self, out_dir, size_bytes):
        os.makedirs(out_dir, exist_ok=True)
        for name in os.listdir(out_dir):
            if FILE_NAME.match(name) or name in ("manifest.json", TRUTH_FILE):
                os.remove(os.path.join(out_dir, name))
        while self.stats["bytes"] < size_bytes:
            target = self.rng.randint(10 * 1024, 60 * 1024)
            name = f"{self.stats['files']:06d}_{self.rng.getrandbits(64):016x}.txt"
            data = self.file_text(target, name)
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
            self.stats["files"] += 1
            self.stats["bytes"] += len(data)


def manifest_matches(path, wanted):
    try:
        with open(path, encoding="utf-8") as f:
            have = json.load(f)
    except (OSError, ValueError):
        return False
    return all(have.get(k) == v for k, v in wanted.items())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "data"), help="output folder")
    parser.add_argument("--size-mb", type=float, default=200, help="total size in MB (10^6 bytes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", default=os.path.dirname(here),
                        help="project root holding rules/ and models/")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when --out already holds this corpus")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    wanted = {"generator": GENERATOR_VERSION, "seed": args.seed, "size_mb": args.size_mb}
    manifest = os.path.join(args.out, "manifest.json")
    if args.if_missing and manifest_matches(manifest, wanted):
        if not args.quiet:
            print(f"generate_corpus: {args.out} is up to date", file=sys.stderr)
        return 0
    generator = Generator(args.root, args.seed)
    generator.write(args.out, int(args.size_mb * 1e6))
    with open(os.path.join(args.out, TRUTH_FILE), "w", encoding="utf-8") as f:
        f.write("# file\tfirst_line\tlast_line\tstory\tkind\n")
        for row in generator.tellings:
            f.write("\t".join(str(v) for v in row) + "\n")
    with open(manifest, "w", encoding="utf-8") as f:
        json.dump({**wanted, **generator.stats}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if not args.quiet:
        s = generator.stats
        print(f"generate_corpus: {s['files']} files, {s['bytes'] / 1e6:.1f} MB, {s['items']} items "
              f"({s['exact_repeats']} exact and {s['reworded_repeats']} reworded repeats) "
              f"in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
