#!/usr/bin/env python3
"""Learns models/segment/headline.weights from the gold titles.

    sh models/segment/build_tool.sh build      # compiles dump_features
    python3 models/segment/train_headline.py build/dump_features

Every headline candidate of the corpus files that have gold
(corpus/gold/*.gold.json) is an example: positive when its text is a gold
title, negative otherwise. A logistic regression is fitted by gradient descent
with an L2 penalty that pulls each weight towards the hand-set prior
(models/segment/headline.prior), not towards 0: a feature the corpus never
shows (a French closing line, say) keeps the weight a reader would give it.
Prints the training fit and a leave-one-file-out estimate, then writes the
weights file. No numpy needed.
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PENALTY = 0.5      # strength of the pull towards the prior
STEPS = 4000
RATE = 0.1
THRESHOLD = 0.5


def normalize(s):
    # The punctuation the pipeline's normalizer unifies (pipeline/normalize.h).
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
                 ("\u2013", "-"), ("\u2014", "-"), ("\u2010", "-"), ("\u00a0", " ")):
        s = s.replace(a, b)
    return " ".join(s.split())


def load_prior(path):
    prior, threshold = {}, THRESHOLD
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, value = line.split()
        if name == "threshold":
            threshold = float(value)
        else:
            prior[name] = float(value)
    return prior, threshold


def examples(tool):
    gold_dir = os.path.join(ROOT, "corpus", "gold")
    titles, files = {}, []
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".gold.json"):
            continue
        gold = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
        source = gold["source"]
        files.append(os.path.join(ROOT, "corpus", source))
        titles[source] = {normalize(i["title"]) for i in gold["items"] if i["title"]}
    out = subprocess.run([tool, "features"] + files, check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.splitlines()
    header = out[0].split("\t")
    names = header[2:-2]
    rows = []
    for line in out[1:]:
        cols = line.split("\t")
        source, text = cols[0], cols[-1]
        x = [float(v) for v in cols[2:-2]]
        y = 1 if normalize(text) in titles[source] else 0
        rows.append((source, x, y, text))
    found = {(r[0], normalize(r[3])) for r in rows if r[2]}
    for source, ts in titles.items():
        for t in ts:
            if (source, t) not in found:
                print(f"warning: gold title not among candidates: {source}: {t}", file=sys.stderr)
    return names, rows


def fit(names, rows, prior):
    w0 = [prior.get(n, 0.0) for n in names]
    w = list(w0)
    n = max(1, len(rows))
    for _ in range(STEPS):
        grad = [0.0] * len(w)
        for _, x, y, _ in rows:
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for k, xi in enumerate(x):
                if xi:
                    grad[k] += (p - y) * xi / n
        for k in range(len(w)):
            grad[k] += PENALTY * (w[k] - w0[k]) / n
            w[k] -= RATE * grad[k] * 10
    return w


def predict(w, x):
    z = sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def scores(pairs):
    tp = sum(1 for p, y in pairs if p and y)
    fp = sum(1 for p, y in pairs if p and not y)
    fn = sum(1 for p, y in pairs if not p and y)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tool = sys.argv[1]
    prior, threshold = load_prior(os.path.join(HERE, "headline.prior"))
    names, rows = examples(tool)
    missing = [n for n in names if n not in prior]
    if missing:
        sys.exit(f"no prior weight for {missing}")

    w = fit(names, rows, prior)
    train = [(predict(w, x) >= threshold, y) for _, x, y, _ in rows]
    for (source, x, y, text), (p, _) in zip(rows, train):
        if p != y:
            print(f"  train miss ({'fp' if p else 'fn'}): {source}: {text[:80]}")
    print("training   P %.3f R %.3f F1 %.3f  (%d candidates, %d titles)"
          % (scores(train) + (len(rows), sum(r[2] for r in rows))))
    prior_fit = [(predict([prior[n] for n in names], x) >= threshold, y) for _, x, y, _ in rows]
    print("prior only P %.3f R %.3f F1 %.3f" % scores(prior_fit))
    held = []
    for source in sorted({r[0] for r in rows}):
        wf = fit(names, [r for r in rows if r[0] != source], prior)
        part = [(predict(wf, x) >= threshold, y) for s, x, y, _ in rows if s == source]
        print("  held out %s: P %.3f R %.3f F1 %.3f" % ((source,) + scores(part)))
        held += part
    print("leave-one-file-out P %.3f R %.3f F1 %.3f" % scores(held))

    with open(os.path.join(HERE, "headline.weights"), "w", encoding="utf-8") as out:
        out.write("# Headline model of SegmentStage (pipeline/segment.h): logistic weights\n")
        out.write("# learned by models/segment/train_headline.py from the gold titles of\n")
        out.write("# corpus/gold (%d candidates, %d titles), L2 penalty %.2f around\n"
                  % (len(rows), sum(r[2] for r in rows), PENALTY))
        out.write("# models/segment/headline.prior. Training F1 %.3f, leave-one-file-out F1 %.3f.\n"
                  % (scores(train)[2], scores(held)[2]))
        out.write("threshold\t%g\n" % threshold)
        for n, wi in zip(names, w):
            out.write("%s\t%.4f\n" % (n, wi))
    print("wrote", os.path.join(HERE, "headline.weights"))


if __name__ == "__main__":
    main()
