"""The ``neurograph`` command itself: its parser and :func:`main`.

Each group of subcommands adds its own parser (``demo``, ``train``, the
model commands in ``inspection``, ``serve``, ``textbook``, ``page``); :func:`main` runs the chosen
one and turns errors into exit codes: 0 success, 2 usage error, 1 bad data
or model (a one-line message on stderr), 130 interrupted.

=========================  ==============================================================
name                       what it is
=========================  ==============================================================
``build_parser()``         the argparse parser with every subcommand
``main(argv)``             run the command line; returns the exit code
=========================  ==============================================================

>>> main(["explain", "mazur", "w5", "--format", "markdown"])   # doctest: +ELLIPSIS
#### dE/dw5
...
0
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import List, NoReturn, Optional, Sequence

from ..core.errors import NeurographError
from . import demo, gallery, inspection, serving, static_page, train
from .inputs import NUMBER_LISTS, UsageError

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with its bare messages made specific (exit code 2 all the same)."""

    def error(self, message: str) -> NoReturn:
        m = re.match(r"argument (--[\w-]+)(?:/[\w-]+)?: expected one argument$", message)
        if m and m.group(1) in NUMBER_LISTS:
            message = ("%s needs comma-separated numbers, such as %s 0.05,0.1" % (
                m.group(1), m.group(1)))
        elif m:
            message = "%s needs a value: %s VALUE (see --help)" % (m.group(1), m.group(1))
        super().error(message)


def _attach_number_lists(argv: Sequence[str]) -> List[str]:
    """``--input -0.9,0.1`` as ``--input=-0.9,0.1``: a value that starts with '-' is taken
    for an option by argparse, and a list of numbers may well start with one.

    >>> _attach_number_lists(["explain", "m.json", "--input", "-0.9,0.1", "--target", "1"])
    ['explain', 'm.json', '--input=-0.9,0.1', '--target', '1']
    """
    out: List[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        if args[i] in NUMBER_LISTS and i + 1 < len(args) and re.match(r"-[\d.]", args[i + 1]):
            out.append("%s=%s" % (args[i], args[i + 1]))
            i += 2
        else:
            out.append(args[i])
            i += 1
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``neurograph`` command.

    >>> from neurograph.cli import build_parser
    >>> args = build_parser().parse_args(["train", "--data", "iris", "--epochs", "5"])
    >>> args.command, args.data, args.epochs, args.optimizer
    ('train', 'iris', 5, 'sgd')
    """
    p = _Parser(prog="neurograph", description=(
        "A neural-network simulator in which every neuron is an object. With no command, runs "
        "the demo."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    demo.add_parser(sub)
    train.add_parser(sub)
    inspection.add_parsers(sub)
    serving.add_parser(sub)
    gallery.add_parser(sub)
    static_page.add_parser(sub)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code.

    >>> from neurograph.cli import main
    >>> main(["info", "mazur"])
    mazur: Net(2-2-2: 6 neurons, 8 connections, 10 parameters, float)
    layer  neurons  activation  parameters  names
    0      2        input       0           i1, i2
    1      2        sigmoid     5           h1, h2
    2      2        sigmoid     5           o1, o2
    total: 6 neurons, 8 connections, 10 parameters (8 trainable, 2 frozen, 2 shared), float
    inputs:  i1, i2
    outputs: o1, o2
    optimizer: none saved
    metadata:
      example: 'mazur'
      learning_rate: 0.5
      source: 'A Step by Step Backpropagation Example'
    0
    """
    parser = build_parser()
    args = parser.parse_args(_attach_number_lists(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        args = parser.parse_args(["demo"])
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        parser.exit(2, "%s %s: error: %s\n" % (parser.prog, args.command, e))
    except NeurographError as e:
        sys.stderr.write("neurograph: error: %s\n" % " ".join(str(e).split("\n")))
        return 1
    except BrokenPipeError:
        # the reader of our output went away (``neurograph demo | head``): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except OSError as e:
        where = "%s: " % e.filename if getattr(e, "filename", None) else ""
        sys.stderr.write("neurograph: error: %s%s\n" % (where, e.strerror or e))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("neurograph: interrupted\n")
        return 130
    return 0
