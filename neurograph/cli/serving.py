"""``neurograph serve``: the playground page for a built-in model, a gallery example or a file.

=================================  ======================================================
name                               what it is
=================================  ======================================================
``add_parser(sub)``                the ``serve`` subcommand and its options
=================================  ======================================================

The command prints the page's URL first (with its access token), opens a
browser unless ``--no-browser``, and serves until Ctrl-C (exit code 0).

>>> from neurograph.cli import main
>>> main(["serve", "no-such-model.json", "--no-browser"])   # a usage error: exit code 2
Traceback (most recent call last):
...
SystemExit: 2
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .inputs import UsageError, whole

__all__ = ["add_parser"]


def _cmd_serve(args: argparse.Namespace) -> int:
    """The playground page: print its URL first, open a browser, serve until Ctrl-C."""
    from ..core.errors import NameLookupError
    from ..playground import resolve, serve
    try:
        net, data, options = resolve(args.model)
    except NameLookupError as e:
        raise UsageError("MODEL must be a built-in model, a gallery example or a model file: "
                         "%s" % e) from None
    handle = serve(net, data, port=args.port, open_browser=False, host=args.host, **options)
    sys.stdout.write(handle.url + "\n")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stdout.write("warning: listening on %s: anyone who can reach this address and has "
                         "the URL's token can change the net\n" % args.host)
    sys.stdout.write("serving %s; press Ctrl-C to stop\n" % options.get("title", args.model))
    sys.stdout.flush()
    if not args.no_browser:
        handle.open_browser()
    try:
        handle.wait()
    except KeyboardInterrupt:
        sys.stdout.write("stopped\n")
    finally:
        handle.stop()
    return 0


def add_parser(sub: Any) -> None:
    """Add the ``serve`` subcommand to *sub* (``ArgumentParser.add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["serve", "--no-browser"])
    >>> args.model, args.port, args.host, args.no_browser
    ('mazur', 0, '127.0.0.1', True)
    """
    sv = sub.add_parser("serve", help="a web page to watch back-propagation neuron by neuron",
                        description="Serve the playground page on this computer: the net drawn, "
                        "forward, backward, step and train buttons, the chain rule for every "
                        "number. Prints the page's URL (with its access token) first.")
    sv.add_argument("model", nargs="?", default="mazur", metavar="NAME|MODEL.json",
                    help="a built-in model (mazur, xor, spiral, iris, digits, echo), an example "
                    "of the gallery (neurograph textbook lists them) or a saved model file "
                    "(default: mazur)")
    sv.add_argument("--port", type=whole(0, 65535), default=0,
                    help="port, 0 to 65535 (default: 0, a free one)")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default: 127.0.0.1, this computer only)")
    sv.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    sv.set_defaults(func=_cmd_serve)
