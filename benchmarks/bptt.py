"""Back-propagation through time against the same work done as feed-forward steps.

An Elman net ``[n_in, n_h, n_out]`` run over T steps does, per step, the work
of the feed-forward net ``[n_in + n_h, n_h, n_out]`` whose extra inputs are
the hidden activations of the step before (Elman's "context units").  This
times one BPTT step (``forward_sequence`` + ``backward_sequence`` + zero_grad
over T steps) and T feed-forward steps (``forward`` + ``backward`` +
zero_grad) of that net, interleaved in one process, and prints the median
times and the ratio BPTT / (T feed-forward steps): the price of the time
steps themselves (recording and putting back each step's numbers, the
carried gradients).  The goal is a ratio of at most 1.3.

Standard library only; runs on CPython and PyPy::

    PYTHONPATH=. python3 benchmarks/bptt.py
    PYTHONPATH=. python3 benchmarks/bptt.py --quick
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import neurograph as ng  # noqa: E402


def cases(quick: bool):
    sizes = [(1, 4, 1), (2, 8, 1), (4, 16, 4)] if quick else [(1, 4, 1), (2, 8, 1), (4, 16, 4),
                                                             (8, 32, 8)]
    return [(s, T) for s in sizes for T in ((10,) if quick else (10, 50))]


def time_it(fn, reps: int) -> float:
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    ap.add_argument("--runs", type=int, default=None, help="timed runs per case (median)")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    print("neurograph BPTT benchmark: %s %s" % (platform.python_implementation(),
                                                 platform.python_version()))
    print("ratio = (forward_sequence + backward_sequence over T steps) / (T x (forward + "
          "backward)) of the equivalent feed-forward net; median of %d runs" % runs)
    print()
    print("%-10s %4s %6s %14s %14s %7s" % ("net", "T", "edges", "BPTT us/seq", "T*FF us",
                                           "ratio"))
    print("-" * 60)
    for (n_in, n_h, n_out), T in cases(args.quick):
        rnn = ng.Net.elman([n_in, n_h, n_out], seed=0)
        ff = ng.Net.dense([n_in + n_h, n_h, n_out], activation="tanh",
                          output_activation="sigmoid", seed=0)
        rng = random.Random(0)
        xs = [[rng.random() for _ in range(n_in)] for _ in range(T)]
        ys = [[rng.random() for _ in range(n_out)] for _ in range(T)]
        ffx = [x + [rng.uniform(-1, 1) for _ in range(n_h)] for x in xs]

        def bptt() -> None:
            rnn.forward_sequence(xs)
            rnn.backward_sequence(ys)
            rnn.zero_grad()

        def steps() -> None:
            for x, y in zip(ffx, ys):
                ff.forward(x)
                ff.backward(y)
            ff.zero_grad()

        reps = max(1, int(2000 / (T * (n_h * (n_in + n_h + n_out) + n_h))))
        bptt()
        steps()
        a, b = [], []
        for _ in range(runs):                    # interleaved
            a.append(time_it(bptt, reps))
            b.append(time_it(steps, reps))
        ta, tb = statistics.median(a), statistics.median(b)
        edges = len(rnn.connections())
        print("%-10s %4d %6d %14.1f %14.1f %7.2f" % ("%d-%d-%d" % (n_in, n_h, n_out), T, edges,
                                                     ta * 1e6, tb * 1e6, ta / tb))


if __name__ == "__main__":
    main()
