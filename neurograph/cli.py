"""The ``neurograph`` command line (also ``python -m neurograph``).

=====================  =====================================================
command                what it does
=====================  =====================================================
``neurograph demo``    Mazur's example step by step, then 10,000 rounds
=====================  =====================================================

Exit codes: 0 success, 2 usage error, 1 bad data or model.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional, Sequence, TextIO

from .errors import NeurographError
from .net import Net
from .optim import SGD
from . import textbook

__all__ = ["main", "mazur_walkthrough"]


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, r in enumerate(rows):
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
        if j == 0:
            out.write("  " + "  ".join("-" * w for w in widths) + "\n")


def _n(x: object, digits: int = 9) -> str:
    return "%.*f" % (digits, x) if isinstance(x, float) else str(x)


def train_rounds(net: Net, x: List[object], y: List[object], lr: object, rounds: int,
                 immediate: bool = False) -> None:
    """Online gradient descent on one sample, *rounds* times (``immediate``: update order of
    the first version of Mazur's script, each layer stepped before its error is passed back)."""
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
    """Print Mazur's 2-2-2 example: forward, backward, one update, 10,000 rounds."""
    ex = textbook.mazur()
    net, x, y = ex.net, ex.x, ex.y
    w = out.write
    w("Mazur's 2-2-2 example (%s)\n" % ex.spec["source"]["title"])
    w("inputs i1=%s i2=%s, targets o1=%s o2=%s, eta=%s, biases b1/b2 shared and frozen\n\n"
      % (x[0], x[1], y[0], y[1], ex.lr))
    net.forward(x)
    w("Forward pass: z = sum(w * a) + b, a = sigmoid(z)\n")
    _table([("neuron", "layer", "z (net)", "a (out)")] + [
        (n.name, str(n.layer), "" if n.z is None else _n(n.z), _n(n.a)) for n in net.neurons], out)
    E = net.backward(y, loss="half_sse")
    w("\nTotal error E = 1/2 sum (target - out)^2 = %s\n\n" % _n(E))
    w("Backward pass: delta = dE/dz (BP1 outputs, BP2 hidden)\n")
    _table([("neuron", "dE/da", "delta")] + [
        (n.name, _n(n.grad_a), _n(n.delta)) for n in net.neurons if not n.is_input], out)
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
    w("After 10,000 rounds: E = %.9g, outputs %s %s\n" % (net.loss(x, y), _n(outs[0]), _n(outs[1])))
    old = textbook.mazur()
    train_rounds(old.net, old.x, old.y, old.lr, 10000, immediate=True)
    o2 = old.net.forward(old.x)
    w("\nThe post's last paragraph prints E = 0.000035085 and outputs 0.015912196 / 0.984065734:\n"
      "those come from updating w5..w8 before back-propagating through them. The same order\n"
      "here (update='immediate') gives E = %.9g, outputs %s %s.\n"
      % (old.net.loss(old.x, old.y), _n(o2[0]), _n(o2[1])))


def _cmd_demo(args: argparse.Namespace) -> int:
    mazur_walkthrough(sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="neurograph", description=(
        "A neural-network simulator in which every neuron is an object."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("demo", help="Mazur's worked example, step by step",
                       description="Mazur's 2-2-2 example: forward, backward, update, training.")
    d.set_defaults(func=_cmd_demo)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["demo"])
    try:
        return int(args.func(args) or 0)
    except NeurographError as e:
        sys.stderr.write("neurograph: error: %s\n" % e)
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("neurograph: interrupted\n")
        return 130
