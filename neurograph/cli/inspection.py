"""The commands that look into one model: ``explain``, ``draw``, ``gradcheck``, ``info``.

Each takes ``mazur`` (Mazur's example with its own sample) or a model file,
with ``--input`` and ``--target`` for the pass that ``explain``, ``draw``
and ``gradcheck`` run (see :mod:`neurograph.cli.inputs`).

=================================  ======================================================
name                               what it is
=================================  ======================================================
``add_parsers(sub)``               the four subcommands and their options
``add_sample_options(p)``          ``--input``, ``--target``, ``--loss``, ``--scale``
=================================  ======================================================

>>> from neurograph.cli import main
>>> main(["gradcheck", "mazur"])   # doctest: +ELLIPSIS
parameter ... ok
...
ok: all 10 gradients agree with central differences
0
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Tuple

from ..core.arithmetic import number_text
from .inputs import (UsageError, check_name, check_output, class_names, load_model, read_sample,
                     run_passes, setting, whole)

__all__ = ["add_parsers", "add_sample_options"]


def _cmd_explain(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    net = model.net
    x, y = read_sample(args, model)
    lr = args.lr
    if lr is None and model.example is not None:
        lr = model.example.lr           # Mazur's own eta (0.5) unless --lr says otherwise
    if args.name not in net:
        from ..core.errors import NameLookupError
        try:
            net[args.name]
        except NameLookupError as err:
            raise UsageError(str(err)) from None
    if args.step is not None and not net._ordered().delayed:
        raise UsageError("--step: %s has no delayed (recurrent) connections; its passes have "
                         "no time steps" % args.model)
    run_passes(net, x, y, args.loss)
    e = net.explain(args.name, lr=lr, digits=args.digits, step=args.step)
    if args.format == "markdown":
        text = e.markdown()
    elif args.format == "latex":
        text = e.latex()
    else:
        text = str(e)
    sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


def _cmd_draw(args: argparse.Namespace) -> int:
    from ..draw import net_svg, write_svg
    if args.output != "-":
        check_output(args.output, "-o", "net.svg")
    model = load_model(args.model)
    net = model.net
    show: Tuple[str, ...] = ("weight",)
    if (model.example is not None or args.input is not None or args.target is not None
            or args.scale):
        x, y = read_sample(args, model)
        run_passes(net, x, y, args.loss)
        show = ("weight", "grad", "a", "delta")
    else:
        check_name("loss", args.loss, "--loss")
    svg = net_svg(net, show=show, title=args.title,
                  output_labels=class_names(model.metadata, net))
    if args.output == "-":
        sys.stdout.write(svg + ("" if svg.endswith("\n") else "\n"))
    else:
        write_svg(svg, args.output)
        sys.stdout.write("wrote %s (%d neurons, %d connections)\n"
                         % (args.output, len(net.neurons), len(net.connections())))
    return 0


def _cmd_gradcheck(args: argparse.Namespace) -> int:
    from ..debugging import gradcheck
    model = load_model(args.model)
    net = model.net
    x, y = read_sample(args, model)
    result = gradcheck(net, x, y, loss=args.loss)
    sys.stdout.write(result.table() + "\n")
    if not result.ok:
        w = result.worst
        sys.stderr.write("neurograph: error: gradient check failed for %d of %d parameters "
                         "(worst %s, relative error %s)\n"
                         % (len(result.failures()), len(result.rows), w.name,
                            number_text(w.rel_error, digits=3)))
        return 1
    sys.stdout.write("ok: all %d gradients agree with central differences\n" % len(result.rows))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    ck = load_model(args.model)
    net = ck.net
    w = sys.stdout.write
    w("%s: %s%s\n" % (args.model, repr(net), " named %r" % net.name if net.name else ""))
    w(net.summary() + "\n")
    w("inputs:  %s\n" % ", ".join(n.name for n in net.inputs))
    w("outputs: %s\n" % ", ".join(n.name for n in net.outputs))
    if ck.optimizer is not None:
        o = ck.optimizer
        w("optimizer: %r\n" % (o,))
    else:
        w("optimizer: none saved\n")
    if ck.metadata:
        w("metadata:\n")
        for k in sorted(ck.metadata):
            v = ck.metadata[k]
            text = repr(v)
            if len(text) > 70:
                text = text[:67] + "..."
            w("  %s: %s\n" % (k, text))
    return 0


def add_sample_options(p: argparse.ArgumentParser) -> None:
    """``--input``, ``--target``, ``--loss`` and ``--scale``: the sample of one pass.

    >>> p = argparse.ArgumentParser()
    >>> add_sample_options(p)
    >>> p.parse_args(["--input", "1,0", "--target", "1"]).loss
    'half_sse'
    """
    p.add_argument("--input", metavar="X1,X2,...",
                   help="input values, comma-separated (taken exactly in the model's number "
                   "type); for a recurrent model, time steps separated by ';'")
    p.add_argument("--target", metavar="Y1,Y2,...", help="target values, comma-separated; for a "
                   "recurrent model one per time step, separated by ';' ('none': no target)")
    p.add_argument("--loss", default="half_sse",
                   help="loss for the backward pass (default: half_sse)")
    p.add_argument("--scale", action="store_true",
                   help="--input holds the raw features: scale them with the mean and standard "
                   "deviation that 'train' fitted on its training part and saved in the model")


def add_parsers(sub: Any) -> None:
    """Add ``explain``, ``draw``, ``gradcheck`` and ``info`` to *sub* (``add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parsers(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["explain", "mazur", "w5", "--format", "latex"])
    >>> args.model, args.name, args.format
    ('mazur', 'w5', 'latex')
    """
    e = sub.add_parser("explain", help="the chain rule behind one gradient",
                       description="Run one forward and backward pass and show how dE/dPARAM "
                       "(or a neuron's delta) follows from the chain rule, numbers filled in.")
    e.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example (its own input and target), or a saved "
                   "model file")
    e.add_argument("name", metavar="PARAM", help="a parameter, connection or neuron name")
    add_sample_options(e)
    e.add_argument("--lr", type=setting("lr"), default=None,
                   help="also show the SGD update with this rate, >= 0 (mazur: 0.5 unless "
                   "given)")
    e.add_argument("--digits", type=whole(0, 100), default=None,
                   help="decimal places shown (0 to 100)")
    e.add_argument("--step", type=whole(0), default=None, metavar="T",
                   help="a recurrent model: explain a neuron's delta at time step T "
                   "(default: the last)")
    e.add_argument("--format", choices=("text", "markdown", "latex"), default="text",
                   help="output format (default: text)")
    e.set_defaults(func=_cmd_explain)

    dr = sub.add_parser("draw", help="an SVG picture of a saved model",
                        description="Draw a saved model as a standalone SVG file; with --input "
                        "and --target, also the activations, deltas and gradients of one pass.")
    dr.add_argument("model", metavar="mazur|MODEL.json",
                    help="'mazur' for Mazur's example after one pass, or a saved model file")
    dr.add_argument("-o", "--output", required=True, metavar="FILE.svg",
                    help="where to write the SVG ('-' for standard output)")
    dr.add_argument("--title", default=None, help="a title above the picture")
    add_sample_options(dr)
    dr.set_defaults(func=_cmd_draw)

    g = sub.add_parser("gradcheck", help="check a saved model's gradients",
                       description="Compare back-propagated gradients with central differences "
                       "for every parameter (exit code 1 if any disagree).")
    g.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example, or a saved model file")
    add_sample_options(g)
    g.set_defaults(func=_cmd_gradcheck)

    i = sub.add_parser("info", help="what a model file holds",
                       description="Show a saved model's layers, parameters, optimizer and "
                       "metadata.")
    i.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example, or a saved model file")
    i.set_defaults(func=_cmd_info)
