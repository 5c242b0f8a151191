"""The ``neurograph`` command itself: its parser and :func:`main`.

Each group of subcommands adds its own parser (``demo``, ``train``, the
model commands in ``inspection``, ``serve``, ``textbook``); :func:`main` runs the chosen
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
import sys
from typing import Optional, Sequence

from ..core.errors import NeurographError
from . import demo, gallery, inspection, serving, train
from .inputs import UsageError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``neurograph`` command.

    >>> from neurograph.cli import build_parser
    >>> args = build_parser().parse_args(["train", "--data", "iris", "--epochs", "5"])
    >>> args.command, args.data, args.epochs, args.optimizer
    ('train', 'iris', 5, 'sgd')
    """
    p = argparse.ArgumentParser(prog="neurograph", description=(
        "A neural-network simulator in which every neuron is an object. With no command, runs "
        "the demo."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    demo.add_parser(sub)
    train.add_parser(sub)
    inspection.add_parsers(sub)
    serving.add_parser(sub)
    gallery.add_parser(sub)
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
    args = parser.parse_args(argv)
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
