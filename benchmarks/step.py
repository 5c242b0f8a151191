"""One training step of neurograph against a flat-lists implementation.

Times a per-sample SGD step (forward, backward, SGD step, zero_grad; sigmoid,
half_sse, lr 0.5) and a 10-sample mini-batch step for 2-2-2, 4-5-3, 64-32-10
and 784-30-10, neurograph and the flat reference interleaved in one process,
and prints the median of several runs: microseconds per sample, nanoseconds
per edge, and the ratio neurograph / flat.  Before timing it checks that both
end with the same weights after 3 steps (to 1e-12).  It also prints the memory
a 784-100-10 net takes per edge (tracemalloc).

Standard library only; runs on CPython and PyPy::

    PYTHONPATH=. python3 benchmarks/step.py            # full run
    PYTHONPATH=. python3 benchmarks/step.py --quick    # a few seconds, for CI
    PYTHONPATH=. pypy3 benchmarks/step.py --json out.json
    PYTHONPATH=. python3 benchmarks/step.py --floor    # also the bare object walk

``--floor`` adds a third implementation: neurograph's objects and walk with
nothing else (no checks, hooks, rounding, loss value, rollback), whose ratio
to the flat lists is the floor of the object-walk design on this interpreter.

The flat reference is the plain way to write this in Python: lists of rows,
``sum(map(mul, row, a), b)`` for each dot product, ``zip(*W)`` for the sums
of the backward pass, in-place index loops for the updates.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from operator import mul

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import neurograph as ng  # noqa: E402

LR = 0.5
BATCH = 10
SIZES = [(2, 2, 2), (4, 5, 3), (64, 32, 10), (784, 30, 10)]
exp = math.exp
PYPY = platform.python_implementation() == "PyPy"


# ---------------------------------------------------------------------------
# The flat-lists reference
# ---------------------------------------------------------------------------

def sig(z: float) -> float:
    """The logistic function, written as neurograph writes it (so the weights agree)."""
    if z >= 0.0:
        return 1.0 / (1.0 + exp(-z))
    e = exp(z)
    return e / (1.0 + e)


class Flat:
    """A sigmoid net as lists of weight rows ``W[layer][j][i]`` and biases ``B[layer][j]``."""

    def __init__(self, W, B):
        self.W = W
        self.B = B
        self.gW = [[[0.0] * len(row) for row in Wl] for Wl in W]
        self.gB = [[0.0] * len(Bl) for Bl in B]

    def forward(self, x):
        acts = [x]
        a = x
        for Wl, Bl in zip(self.W, self.B):
            a = [sig(sum(map(mul, row, a), b)) for row, b in zip(Wl, Bl)]
            acts.append(a)
        return acts

    def deltas(self, acts, y):
        a = acts[-1]
        d = [(p - q) * (p * (1.0 - p)) for p, q in zip(a, y)]     # BP1, half_sse
        ds = [d]
        for L in range(len(self.W) - 1, 0, -1):
            e = [sum(map(mul, col, d)) for col in zip(*self.W[L])]  # sum_k w_kj delta_k
            d = [g * (p * (1.0 - p)) for g, p in zip(e, acts[L])]   # BP2
            ds.append(d)
        ds.reverse()
        return ds

    def step(self, x, y, lr):
        """Per-sample SGD: forward, backward, update each weight in place."""
        acts = self.forward(x)
        ds = self.deltas(acts, y)
        for Wl, Bl, d, a in zip(self.W, self.B, ds, acts):
            idx = range(len(a))
            for j, row in enumerate(Wl):
                ld = lr * d[j]
                for i in idx:
                    row[i] -= ld * a[i]
                Bl[j] -= ld

    def batch_step(self, xs, ys, lr):
        """Mini-batch SGD: sum the gradients of the samples, update, zero the sums."""
        for x, y in zip(xs, ys):
            acts = self.forward(x)
            ds = self.deltas(acts, y)
            for gWl, gBl, d, a in zip(self.gW, self.gB, ds, acts):
                idx = range(len(a))
                for j, grow in enumerate(gWl):
                    dj = d[j]
                    for i in idx:
                        grow[i] += dj * a[i]
                    gBl[j] += dj
        for Wl, Bl, gWl, gBl in zip(self.W, self.B, self.gW, self.gB):
            for row, grow in zip(Wl, gWl):
                for i in range(len(row)):
                    row[i] -= lr * grow[i]
                    grow[i] = 0.0
            for j in range(len(Bl)):
                Bl[j] -= lr * gBl[j]
                gBl[j] = 0.0


# ---------------------------------------------------------------------------
# The bare object walk (--floor): neurograph's design with nothing else
# ---------------------------------------------------------------------------

class _Value:
    __slots__ = ("value", "grad")


class _Edge:
    __slots__ = ("src", "w", "grad")


class _Unit:
    __slots__ = ("inputs", "bias", "z", "a", "delta", "grad_a")


class Bare:
    """The same objects and walk as neurograph (values in slots, one loop forward, one back,
    BP2 into every source including the inputs, every gradient stored, separate update and
    zero passes) without anything else: no input checks, hooks, rounding, softmax, loss
    value, rollback or error naming.  Its ratio is the floor of the design here."""

    def __init__(self, W, B):
        self.inputs = [_Unit() for _ in W[0][0]]
        self.edges, self.biases = [], []
        prev = self.inputs
        self.walk, self.reverse = [], []
        for Wl, Bl in zip(W, B):
            layer = []
            for row, b in zip(Wl, Bl):
                n = _Unit()
                n.bias = _Value()
                n.bias.value, n.bias.grad = b, 0.0
                n.inputs = []
                for src, w in zip(prev, row):
                    e = _Edge()
                    e.src, e.w, e.grad = src, w, 0.0
                    n.inputs.append(e)
                layer.append(n)
            self.edges += [e for n in layer for e in n.inputs]
            self.biases += [n.bias for n in layer]
            self.walk += layer
            self.reverse[:0] = layer          # the last layer first, each in creation order
            prev = layer
        self.outputs = prev
        self.all = self.inputs + self.walk

    def forward(self, x):
        for neuron, v in zip(self.inputs, x):
            neuron.a = v
        for neuron in self.walk:
            z = neuron.bias.value
            for connection in neuron.inputs:
                z += connection.w * connection.src.a
            neuron.z = z
            neuron.a = sig(z)

    def backward(self, y):
        for neuron in self.all:
            neuron.grad_a = 0.0
        for neuron, t in zip(self.outputs, y):
            neuron.grad_a = neuron.a - t
        for neuron in self.reverse:
            a = neuron.a
            delta = neuron.grad_a * (a * (1.0 - a))
            neuron.delta = delta
            neuron.bias.grad += delta
            for connection in neuron.inputs:
                src = connection.src
                connection.grad += delta * src.a
                src.grad_a += connection.w * delta

    def update(self, lr):
        for connection in self.edges:
            connection.w -= lr * connection.grad
        for bias in self.biases:
            bias.value -= lr * bias.grad
        for connection in self.edges:          # zero_grad
            connection.grad = 0.0
        for bias in self.biases:
            bias.grad = 0.0

    def step(self, x, y, lr):
        self.forward(x)
        self.backward(y)
        self.update(lr)

    def batch_step(self, xs, ys, lr):
        for x, y in zip(xs, ys):
            self.forward(x)
            self.backward(y)
        self.update(lr)


# ---------------------------------------------------------------------------
# neurograph, the same step
# ---------------------------------------------------------------------------

class NG:
    def __init__(self, net):
        self.net = net
        self.opt = ng.SGD(net, lr=LR)

    def step(self, x, y, lr):
        net, opt = self.net, self.opt
        net.forward(x)
        net.backward(y)
        opt.step()
        opt.zero_grad()

    def batch_step(self, xs, ys, lr):
        net, opt = self.net, self.opt
        for x, y in zip(xs, ys):
            net.forward(x)
            net.backward(y)
        opt.step()
        opt.zero_grad()


def make_pair(sizes, seed=1, floor=False):
    """neurograph and the flat reference with the same weights (and the bare walk: *floor*)."""
    net = ng.Net.dense(list(sizes), activation="sigmoid", seed=seed)
    W, B = [], []
    for layer in net.layers[1:]:
        W.append([[c.weight for c in n.inputs] for n in layer])
        B.append([n.bias.value for n in layer])
    if floor:
        return NG(net), Flat(W, B), Bare([[list(r) for r in Wl] for Wl in W],
                                         [list(Bl) for Bl in B])
    return NG(net), Flat(W, B)


def bare_weights(bare):
    return [v for n in bare.walk for v in [c.w for c in n.inputs] + [n.bias.value]]


def flat_weights(flat):
    return [w for Wl, Bl in zip(flat.W, flat.B) for row, b in zip(Wl, Bl) for w in row + [b]]


def ng_weights(model):
    return [v for layer in model.net.layers[1:] for n in layer
            for v in [c.weight for c in n.inputs] + [n.bias.value]]


def data(sizes, n, seed=2):
    rng = random.Random(seed)
    xs = [[rng.random() for _ in range(sizes[0])] for _ in range(n)]
    ys = [[rng.random() for _ in range(sizes[-1])] for _ in range(n)]
    return xs, ys


def check_same(sizes):
    """The implementations end with the same weights after 3 steps of each kind."""
    worst = 0.0
    for kind in ("step", "batch_step"):
        a, b, c = make_pair(sizes, floor=True)
        xs, ys = data(sizes, 3 * BATCH)
        for s in range(3):
            for m in (a, b, c):
                if kind == "step":
                    m.step(xs[s], ys[s], LR)
                else:
                    part = slice(s * BATCH, (s + 1) * BATCH)
                    m.batch_step(xs[part], ys[part], LR)
        wa, wb, wc = ng_weights(a), flat_weights(b), bare_weights(c)
        assert len(wa) == len(wb) == len(wc)
        diff = max(abs(p - q) for p, q in zip(wa, wb))
        if wa != wc:
            raise SystemExit("MISMATCH %s %s: neurograph and the bare walk differ"
                             % ("-".join(map(str, sizes)), kind))
        if not diff <= 1e-12:
            raise SystemExit("MISMATCH %s %s: neurograph and the flat reference differ by %g "
                             "after 3 steps" % ("-".join(map(str, sizes)), kind, diff))
        worst = max(worst, diff)
    return worst


def time_run(model, kind, xs, ys, n):
    """Seconds per sample for *n* samples of steps of *kind*."""
    if kind == "step":
        step = model.step
        t0 = time.perf_counter()
        for i in range(n):
            step(xs[i], ys[i], LR)
        t = time.perf_counter() - t0
    else:
        step = model.batch_step
        t0 = time.perf_counter()
        for i in range(0, n, BATCH):
            step(xs[i:i + BATCH], ys[i:i + BATCH], LR)
        t = time.perf_counter() - t0
    return t / n


def bench(sizes, kind, runs, budget, floor=False):
    """Median seconds per sample of neurograph, the reference (and the bare walk: *floor*,
    else None), runs interleaved."""
    models = make_pair(sizes, floor=floor)
    edges = sum(p * q for p, q in zip(sizes, sizes[1:]))
    # samples per run: about *budget* seconds of the reference, a multiple of BATCH
    n = max(BATCH, int(budget / (edges * 120e-9 + 6e-6)) // BATCH * BATCH)
    xs, ys = data(sizes, n, seed=3)
    warm = n if PYPY else min(n, 5 * BATCH)              # PyPy's JIT needs a full run
    for m in models:
        time_run(m, kind, xs, ys, warm)
    times = [[] for _ in models]
    for r in range(runs):
        gc.collect()
        turn = list(zip(models, times))
        if r % 2:
            turn.reverse()
        for m, out in turn:
            out.append(time_run(m, kind, xs, ys, n))
    medians = [statistics.median(t) for t in times]
    return medians[0], medians[1], medians[2] if floor else None, edges


def memory_per_edge(sizes=(784, 100, 10)):
    """Bytes per edge that tracemalloc sees held by a dense net: (at rest, during a step).

    At rest: built, trained one step, gradients zeroed (the state between steps).
    During a step: after forward and backward, every gradient held as a number.
    """
    try:
        import tracemalloc
    except ImportError:      # PyPy has no tracemalloc
        return None, None, 0
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    model = NG(ng.Net.dense(list(sizes), seed=0))
    xs, ys = data(sizes, 1)
    model.step(xs[0], ys[0], LR)
    gc.collect()
    rest = tracemalloc.get_traced_memory()[0]
    model.net.forward(xs[0])
    model.net.backward(ys[0])
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    edges = sum(p * q for p, q in zip(sizes, sizes[1:]))
    return (rest - before) / edges, (held - before) / edges, edges


def parameters_time(sizes=(400, 400, 10), runs=5):
    """Best of *runs* seconds for ``net.parameters()`` of a dense net, and its length."""
    net = ng.Net.dense(list(sizes), seed=0)
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        n = len(net.parameters())
        best = min(best, time.perf_counter() - t0)
    return best, n


def interpreter():
    impl = platform.python_implementation()
    return "%s %s" % (impl, platform.python_version())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer, shorter runs (CI)")
    ap.add_argument("--runs", type=int, default=None, help="timed runs per case (median)")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    ap.add_argument("--sizes", default=None,
                    help="only these nets, e.g. 2-2-2,64-32-10 (default: all four)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    ap.add_argument("--floor", action="store_true",
                    help="also time the bare object walk (the design with no checks or "
                    "features) and print its ratio to the flat lists")
    args = ap.parse_args(argv)
    sizes_list = SIZES if not args.sizes else [
        tuple(int(k) for k in part.split("-")) for part in args.sizes.split(",")]
    runs = args.runs or (3 if args.quick else 7)
    budget = 0.02 if args.quick else 0.12
    if PYPY:
        budget *= 3
    print("neurograph step benchmark: %s, %s" % (interpreter(), time.strftime("%Y-%m-%d")))
    print("sigmoid, half_sse, SGD lr %g; median of %d runs; ratio = neurograph / flat lists"
          % (LR, runs))
    for sizes in sizes_list:
        check_same(sizes)
    print("same weights as the flat reference after 3 steps (to 1e-12): yes%s"
          % ("; bit for bit the bare walk's" if args.floor else ""))
    print()
    head = "%-10s %-9s %12s %12s %10s %10s %7s" % (
        "net", "step", "ng us/smp", "flat us/smp", "ng ns/edge", "flat ns/e", "ratio") + (
        " %10s %8s %9s" % ("bare ratio", "ng/bare", "+us/call") if args.floor else "")
    print(head)
    print("-" * len(head))
    results = []
    for sizes in sizes_list:
        for kind, label in (("step", "sample"), ("batch_step", "batch%d" % BATCH)):
            t_ng, t_flat, t_bare, edges = bench(sizes, kind, runs, budget, args.floor)
            name = "-".join(map(str, sizes))
            print("%-10s %-9s %12.1f %12.1f %10.1f %10.1f %7.2f" % (
                name, label, t_ng * 1e6, t_flat * 1e6, t_ng * 1e9 / edges,
                t_flat * 1e9 / edges, t_ng / t_flat) + (
                " %10.2f %8.2f %9.1f" % (t_bare / t_flat, t_ng / t_bare, (t_ng - t_bare) * 1e6)
                if t_bare is not None else ""))
            sys.stdout.flush()
            results.append({"net": name, "step": label, "ng_us": t_ng * 1e6,
                            "flat_us": t_flat * 1e6, "edges": edges, "ratio": t_ng / t_flat})
            if t_bare is not None:
                results[-1]["bare_ratio"] = t_bare / t_flat
                results[-1]["ng_over_bare"] = t_ng / t_bare
                results[-1]["overhead_us"] = (t_ng - t_bare) * 1e6
    per_edge, held, edges = (None, None, 0) if args.no_memory else memory_per_edge()
    print()
    if args.no_memory:
        pass
    elif per_edge is None:
        print("memory: not measured (this interpreter has no tracemalloc)")
    else:
        print("memory: %.0f bytes per edge for a 784-100-10 net between steps, %.0f with every "
              "gradient held (%d edges, tracemalloc)" % (per_edge, held, edges))
    t_params, n_params = parameters_time()
    print("parameters(): %d objects of a 400-400-10 net in %.2f ms (best of 5)"
          % (n_params, t_params * 1e3))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"interpreter": interpreter(), "date": time.strftime("%Y-%m-%d"),
                       "results": results, "bytes_per_edge": per_edge,
                       "bytes_per_edge_grads_held": held}, f, indent=1)


if __name__ == "__main__":
    main()
