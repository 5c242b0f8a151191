"""``neurograph demo``: Mazur's worked example step by step, then a net trained on iris.

=================================  ======================================================
name                               what it is
=================================  ======================================================
``mazur_walkthrough(out)``         Mazur's 2-2-2 example: forward and backward tables,
                                   the chain rule for w5 and w1, one update, 10,000 rounds
``train_rounds(net, x, y, ..)``    online gradient descent on one sample, *rounds* times
``add_parser(sub)``                the ``demo`` subcommand and its options
=================================  ======================================================

Numbers in the tables have 9 decimal places (``number_text(x, places=9)``).

>>> import io
>>> out = io.StringIO()
>>> mazur_walkthrough(out)
>>> out.getvalue().splitlines()[0]
"Mazur's 2-2-2 example (A Step by Step Backpropagation Example)"
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, List, Sequence, TextIO

from .. import textbook
from ..core.arithmetic import number_text
from ..core.optim import SGD
from ..net import Net
from .inputs import ensure_dir, whole
from .train import train_net

__all__ = ["mazur_walkthrough", "train_rounds", "add_parser"]


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, r in enumerate(rows):
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
        if j == 0:
            out.write("  " + "  ".join("-" * w for w in widths) + "\n")


def _n(x: Any, places: int = 9) -> str:
    """A number in a table: *places* decimal places (exact numbers too)."""
    return number_text(x, places=places)


def train_rounds(net: Net, x: List[object], y: List[object], lr: object, rounds: int,
                 immediate: bool = False) -> None:
    """Online gradient descent on one sample, *rounds* times (``immediate``: update order of
    the first version of Mazur's script, each layer stepped before its error is passed back).

    >>> import neurograph as ng
    >>> from neurograph.cli import train_rounds
    >>> ex = ng.textbook.mazur()
    >>> train_rounds(ex.net, ex.x, ex.y, ex.lr, 1)
    >>> round(ex.net["w5"].weight, 8)
    0.35891648
    """
    opt = SGD(net, lr=lr)
    for _ in range(rounds):
        net.forward(x)
        if immediate:
            net.backward(y, loss="half_sse", after_layer=opt.step)
        else:
            net.backward(y, loss="half_sse")
            opt.step()
        net.zero_grad()


def mazur_walkthrough(out: TextIO = sys.stdout) -> None:
    """Print Mazur's 2-2-2 example: forward, backward, one update, 10,000 rounds.

    >>> import io
    >>> from neurograph.cli import mazur_walkthrough
    >>> out = io.StringIO()
    >>> mazur_walkthrough(out)
    >>> [line for line in out.getvalue().splitlines() if line.startswith("Total error")]
    ['Total error E = 1/2 sum (target - out)^2 = 0.298371109']
    """
    ex = textbook.mazur()
    net, x, y = ex.net, ex.x, ex.y
    w = out.write
    w("Mazur's 2-2-2 example (%s)\n" % ex.spec["source"]["title"])
    w("inputs i1=%s i2=%s, targets o1=%s o2=%s, eta=%s, biases b1/b2 shared and frozen\n\n"
      % tuple(number_text(v) for v in (x[0], x[1], y[0], y[1], ex.lr)))
    net.forward(x)
    w("Forward pass: z = sum(w * a) + b, a = sigmoid(z)\n")
    _table([("neuron", "layer", "z (net)", "a (out)")] + [
        (n.name, str(n.layer), "" if n.z is None else _n(n.z), _n(n.a)) for n in net.neurons], out)
    E = net.backward(y, loss="half_sse")
    w("\nTotal error E = 1/2 sum (target - out)^2 = %s\n\n" % _n(E))
    w("Backward pass: delta = dE/dz (BP1 outputs, BP2 hidden)\n")
    _table([("neuron", "dE/da", "delta")] + [
        (n.name, _n(n.grad_a), _n(n.delta)) for n in net.neurons if not n.is_input], out)
    for name in ("w5", "w1"):
        w("\nWhy dE/d%s is what it is (the chain rule, numbers filled in):\n" % name)
        w(str(net.explain(name, lr=ex.lr)) + "\n")
    before = {c.name: c.weight for c in net.connections()}
    grads = {c.name: c.grad for c in net.connections()}
    SGD(net, lr=ex.lr).step()
    w("\nOne update: w+ = w - eta * dE/dw (BP4)\n")
    _table([("weight", "w", "dE/dw", "w+")] + [
        (c.name, _n(before[c.name], 2), _n(grads[c.name]), _n(c.weight)) for c in net.connections()],
        out)
    net.zero_grad()
    w("\nE after the first round: %s\n" % _n(net.loss(x, y), 9))
    train_rounds(net, x, y, ex.lr, 9999)
    outs = net.forward(x)
    w("After 10,000 rounds: E = %s, outputs %s %s\n"
      % (number_text(net.loss(x, y), digits=9), _n(outs[0]), _n(outs[1])))
    old = textbook.mazur()
    train_rounds(old.net, old.x, old.y, old.lr, 10000, immediate=True)
    o2 = old.net.forward(old.x)
    w("\nThe post's last paragraph prints E = 0.000035085 and outputs 0.015912196 / 0.984065734:\n"
      "those come from updating w5..w8 before back-propagating through them. The same order\n"
      "here (update='immediate') gives E = %s, outputs %s %s.\n"
      % (number_text(old.net.loss(old.x, old.y), digits=9), _n(o2[0]), _n(o2[1])))


def _cmd_demo(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.out is not None:
        ensure_dir(args.out)
    mazur_walkthrough(out)
    from .. import datasets
    out.write("\n" + "=" * 72 + "\nNow a real data set: Fisher's iris flowers (150 samples, 4 "
              "measurements, 3 species).\n80% train the net, 20% are held out to test it.\n\n")
    iris = datasets.load_iris()
    net, opt, history, test_set, meta = train_net(
        iris, [8], "tanh", "softmax", "cross_entropy", "adam", 0.02, None, 8, args.epochs,
        args.seed, 0.2, True, out)
    if args.out is not None:
        from ..draw import history_svg, net_svg, write_svg
        ex = textbook.mazur()
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
        files = [("mazur.svg", net_svg(ex.net, title="Mazur's 2-2-2 net after one backward pass")),
                 ("iris-net.svg", net_svg(net, show=("weight",), title="iris net",
                                          output_labels=iris.class_names)),
                 ("iris-loss.svg", history_svg(history, title="iris: loss and accuracy"))]
        for name, svg in files:
            write_svg(svg, os.path.join(args.out, name))
        net.save(os.path.join(args.out, "iris-model.json"), optimizer=opt, metadata=meta)
        out.write("\nwrote %s and iris-model.json to %s\n"
                  % (", ".join(n for n, _ in files), args.out))
    return 0


def add_parser(sub: Any) -> None:
    """Add the ``demo`` subcommand to *sub* (``ArgumentParser.add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> p.parse_args(["demo", "--epochs", "5"]).epochs
    5
    """
    d = sub.add_parser("demo", help="Mazur's worked example step by step, then iris",
                       description="Mazur's 2-2-2 example (forward table, the chain rule for w5 "
                       "and w1, one update, 10,000 rounds), then a net trained on the bundled "
                       "iris set: test accuracy and confusion matrix.")
    d.add_argument("--out", metavar="DIR", help="also write mazur.svg, iris-net.svg, "
                   "iris-loss.svg and iris-model.json to DIR")
    d.add_argument("--epochs", type=whole(1), default=40,
                   help="iris training epochs (default: 40)")
    d.add_argument("--seed", type=whole(), default=0,
                   help="seed of the split, weights and shuffling")
    d.set_defaults(func=_cmd_demo)
