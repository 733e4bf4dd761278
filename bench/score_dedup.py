#!/usr/bin/env python3
"""Scores the de-duplication of a generated corpus against what its generator
told (tellings.tsv, written by bench/generate_corpus.py).

Each record is placed in the story told at the line its span starts on; a
record of a story told before (word for word or reworded) should name, in
duplicate_of, a record of the same story. Precision: links that name a record
of the same story, over all links. Recall: such links, over the records of
stories told before. Recall is given per kind of retelling.

  python3 bench/score_dedup.py /work/benchdata/corpus-200mb out.jsonl
  python3 bench/score_dedup.py CORPUS RECORDS --truth other/tellings.tsv

Records must come in file order (as extract writes them). Python 3 standard
library only.
"""

import argparse
import bisect
import json
import os
import sys


def read_truth(path):
    """{file: ([first_line, ...], [(last_line, story, kind), ...])}"""
    truth = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            name, first, last, story, kind = line.rstrip("\n").split("\t")
            starts, rest = truth.setdefault(name, ([], []))
            starts.append(int(first))
            rest.append((int(last), int(story), kind))
    return truth


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="folder of the generated files")
    parser.add_argument("records", help="JSON Lines from newsevents extract")
    parser.add_argument("--truth", help="tellings.tsv (default: CORPUS/tellings.tsv)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()

    truth = read_truth(args.truth or os.path.join(args.corpus, "tellings.tsv"))
    story_of_id = {}      # record id -> story number (None: heading, masthead)
    first_telling = {}    # story number -> (file, telling) of its first record
    counts = {"records": 0, "unplaced": 0, "links": 0, "correct_links": 0,
              "retold": {"exact": 0, "reworded": 0}, "found": {"exact": 0, "reworded": 0}}
    current, line_starts = None, None
    with open(args.records, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            counts["records"] += 1
            name, begin = r["source"]["file"], r["source"]["span"][0]
            if name != current:
                current = name
                with open(os.path.join(args.corpus, name), "rb") as g:
                    data = g.read()
                line_starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
            line_no = bisect.bisect_right(line_starts, begin) - 1
            starts, rest = truth.get(name, ([], []))
            k = bisect.bisect_right(starts, line_no) - 1
            story, kind, telling = None, None, (name, k)
            if k >= 0 and line_no <= rest[k][0]:
                _, story, kind = rest[k]
            if story is None:
                counts["unplaced"] += 1
            story_of_id[r["id"]] = story
            target = r.get("duplicate_of")
            correct = bool(target) and story is not None and story_of_id.get(target) == story
            if target:
                counts["links"] += 1
                counts["correct_links"] += correct
            # A second record of one telling (a story cut in two) is no
            # retelling; a record of a later telling is.
            if story is not None and first_telling.setdefault(story, telling) != telling:
                kind = kind if kind != "new" else "exact"
                counts["retold"][kind] += 1
                counts["found"][kind] += correct

    retold = sum(counts["retold"].values())
    found = sum(counts["found"].values())
    scores = {
        "precision": counts["correct_links"] / counts["links"] if counts["links"] else 1.0,
        "recall": found / retold if retold else 1.0,
        "recall_exact": counts["found"]["exact"] / max(1, counts["retold"]["exact"]),
        "recall_reworded": counts["found"]["reworded"] / max(1, counts["retold"]["reworded"]),
        **counts,
    }
    if args.json:
        print(json.dumps(scores, indent=1))
    else:
        print(f"records {counts['records']} (not in a story: {counts['unplaced']}), "
              f"links {counts['links']}, correct {counts['correct_links']}")
        print(f"precision {scores['precision']:.4f}  recall {scores['recall']:.4f} "
              f"(exact {counts['found']['exact']}/{counts['retold']['exact']} = "
              f"{scores['recall_exact']:.4f}, reworded {counts['found']['reworded']}/"
              f"{counts['retold']['reworded']} = {scores['recall_reworded']:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
