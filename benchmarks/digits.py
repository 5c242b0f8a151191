"""Time to 95% test accuracy on the bundled 8x8 digits: neurograph against flat lists.

A [64, 32, 10] sigmoid net, half_sse, SGD lr 0.5, mini-batches of 10, pixels
scaled to [0, 1], a seeded 75/25 split.  Both implementations start from the
same weights and see the samples in the same order, so they take the same
number of epochs; the script prints the epochs and seconds each needed to
reach 95% accuracy on the test quarter, and the ratio.

    PYTHONPATH=. python3 benchmarks/digits.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)

import neurograph as ng  # noqa: E402
from step import BATCH, LR, make_pair  # noqa: E402


def load():
    """(pixels scaled to [0, 1], labels): the bundled data set, else the shared CSV."""
    try:
        ds = ng.datasets.load_digits()  # type: ignore[attr-defined]
        xs, ys = [list(map(float, r)) for r in ds.inputs], [int(c) for c in ds.labels]
    except Exception:
        path = os.path.join(HERE, os.pardir, os.pardir, "shared", "data", "digits.csv")
        with open(path, newline="") as f:
            rows = list(csv.reader(f))[1:]
        xs = [[float(v) for v in r[:-1]] for r in rows]
        ys = [int(r[-1]) for r in rows]
    top = max(max(r) for r in xs) or 1.0
    return [[v / top for v in r] for r in xs], ys


def accuracy(predict, xs, labels):
    hits = 0
    for x, c in zip(xs, labels):
        out = predict(x)
        hits += out.index(max(out)) == c
    return hits / len(xs)


def run(model, predict, train, test, max_epochs, seed=0):
    xs, ys = train
    order = list(range(len(xs)))
    rng = random.Random(seed)
    t0 = time.perf_counter()
    for epoch in range(1, max_epochs + 1):
        rng.shuffle(order)
        for i in range(0, len(order) - BATCH + 1, BATCH):
            idx = order[i:i + BATCH]
            model.batch_step([xs[k] for k in idx], [ys[k] for k in idx], LR)
        acc = accuracy(predict, *test)
        if acc >= 0.95:
            return epoch, time.perf_counter() - t0, acc
    return None, time.perf_counter() - t0, acc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="stop after 3 epochs (CI)")
    args = ap.parse_args(argv)
    xs, labels = load()
    rng = random.Random(7)
    idx = list(range(len(xs)))
    rng.shuffle(idx)
    cut = len(idx) * 3 // 4
    onehot = [[1.0 if j == c else 0.0 for j in range(10)] for c in labels]
    train = ([xs[k] for k in idx[:cut]], [onehot[k] for k in idx[:cut]])
    test = ([xs[k] for k in idx[cut:]], [labels[k] for k in idx[cut:]])
    max_epochs = 3 if args.quick else 60
    print("digits [64, 32, 10], sigmoid, half_sse, SGD lr %g, batch %d: %s %s" % (
        LR, BATCH, platform.python_implementation(), platform.python_version()))
    model, flat = make_pair((64, 32, 10))
    e_ng, t_ng, a_ng = run(model, model.net.forward, train, test, max_epochs)
    e_fl, t_fl, a_fl = run(flat, lambda x: flat.forward(x)[-1], train, test, max_epochs)
    goal = "to 95%" if e_ng else "%d epochs (--quick)" % max_epochs
    print("%-10s %8s %10s %9s" % ("", "epochs", "seconds", "accuracy"))
    print("%-10s %8s %10.2f %9.3f" % ("neurograph", e_ng or max_epochs, t_ng, a_ng))
    print("%-10s %8s %10.2f %9.3f" % ("flat lists", e_fl or max_epochs, t_fl, a_fl))
    print("time %s: neurograph / flat = %.2f" % (goal, t_ng / t_fl))


if __name__ == "__main__":
    main()
