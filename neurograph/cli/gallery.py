"""``neurograph textbook``: the gallery of worked examples, or one example's numbers.

=================================  ======================================================
name                               what it is
=================================  ======================================================
``add_parser(sub)``                the ``textbook`` subcommand
``catalog_text()``                 every example: name, one line, citation
``example_text(name)``             one example: its source, settings and printed numbers
=================================  ======================================================

>>> from neurograph.cli import main
>>> main(["textbook", "toy_relu"])            # doctest: +ELLIPSIS
toy_relu: the same two-layer net with a ReLU hidden neuron (exact)
source: adilce009 (GitHub user), "Understanding Backpropagation ...", 5. Using ReLU Instead, https://...
settings: loss sse, learning rate 0.1, optimizer sgd
printed numbers (5, 0 of them errata):
  h.z      0.5    (z_1)
  h.a      0.5    (h)
  yhat.a   -0.5   (ŷ)
  loss     1.0
  w1.grad  2      (∂L/∂w_1)
0
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, List

from .inputs import UsageError

__all__ = ["add_parser", "catalog_text", "example_text"]


def catalog_text() -> str:
    """The gallery, one example a paragraph: name and counts, what it is, its source.

    >>> print(catalog_text().splitlines()[0])
    mazur  (20 printed numbers, 0 errata)
    """
    from ..textbook import catalog
    blocks = []
    for e in catalog():
        blocks.append("%s  (%d printed numbers, %d errata)\n  %s\n  %s"
                      % (e.name, e.printed, e.errata, e.description, e.citation))
    return "\n".join(blocks) + "\n\n%d examples; `neurograph textbook NAME` shows one." % len(
        blocks)


def _settings(ex: Any) -> str:
    parts = ["loss %s" % ex.loss]
    if ex.lr is not None:
        parts.append("learning rate %s" % ex.lr)
        parts.append("optimizer %s" % ex.optimizer.get("name", "sgd"))
    else:
        parts.append("no update")
    if ex.rounding:
        parts.append("rounding %s" % ", ".join("%s=%s" % kv for kv in ex.rounding.items()))
    if ex.updates > 1:
        parts.append("%d updates" % ex.updates)
    if ex.samples:
        parts.append("%d samples in turn" % len(ex.samples))
    return ", ".join(parts)


def example_text(name: str) -> str:
    """One example: its description, source, settings, every printed number (the source's
    symbol beside it, and the right value of an erratum) and its notes.

    >>> print(example_text("rnn_forward").splitlines()[3])
    printed numbers (6, 0 of them errata):
    """
    from ..textbook import get
    ex = get(name)
    lines: List[str] = ["%s: %s" % (ex.name, ex.description), "source: %s" % ex.citation(),
                        "settings: %s" % _settings(ex),
                        "printed numbers (%d, %d of them errata):" % (len(ex.printed),
                                                                     len(ex.errata))]
    width = max(len(q) for q in ex.printed)
    vwidth = max(len(v) for v in ex.printed.values())
    for q, v in ex.printed.items():
        extra = []
        if q in (ex.notation or {}):
            extra.append("(%s)" % ex.notation[q])
        if q in ex.errata:
            extra.append("ERRATUM: right value %s" % ex.errata[q])
        lines.append(("  %-*s  %-*s  %s" % (width, q, vwidth, v, "  ".join(extra))).rstrip())
    if ex.notes:
        lines.append("notes: %s" % ex.notes)
    return "\n".join(lines)


def _cmd_textbook(args: argparse.Namespace) -> int:
    """Print the catalog, or one example."""
    from ..textbook import NAMES
    if args.name is None:
        sys.stdout.write(catalog_text() + "\n")
        return 0
    if args.name not in NAMES:
        raise UsageError("no example named %r; the gallery has %s"
                         % (args.name, ", ".join(NAMES)))
    sys.stdout.write(example_text(args.name) + "\n")
    return 0


def add_parser(sub: Any) -> None:
    """Add the ``textbook`` subcommand to *sub* (``ArgumentParser.add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> p.parse_args(["textbook"]).name, p.parse_args(["textbook", "mazur"]).name
    (None, 'mazur')
    """
    tb = sub.add_parser("textbook", help="the gallery of worked examples, or one of them",
                        description="With no NAME, list the gallery of worked examples from "
                        "published sources (name, what it is, citation). With a NAME, print "
                        "that example's source, settings and every number the source prints, "
                        "marking the source's own errors with the right value.")
    tb.add_argument("name", nargs="?", metavar="NAME", help="an example of the gallery")
    tb.set_defaults(func=_cmd_textbook)
