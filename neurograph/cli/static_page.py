"""``neurograph page DIR``: the playground as a static page that needs nothing installed.

=================================  ======================================================
name                               what it is
=================================  ======================================================
``add_parser(sub)``                the ``page`` subcommand and its options
=================================  ======================================================

The folder holds the playground's page, neurograph as a zip and a loader
that runs Python in the browser (Pyodide, pinned and checked by hash): any
static web server or host serves it; ``--single-file`` writes one HTML file
that works opened from disk.  See :mod:`neurograph.page`.

>>> from neurograph.cli import main
>>> main(["page", "/tmp", "--model", "no-such-model"])   # a usage error: exit code 2
Traceback (most recent call last):
...
SystemExit: 2
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .inputs import UsageError

__all__ = ["add_parser"]


def _megabytes(n: int) -> str:
    from ..core.arithmetic import number_text
    return number_text(n / 1e6, places=1) + " MB"


def _cmd_page(args: argparse.Namespace) -> int:
    """Build the page, then say what was written and how to open it."""
    from ..core.errors import NameLookupError
    from ..page import build
    from ..page.runtime import VERSION
    try:                # (the model is read first: a bad name writes nothing)
        built = build(args.dir, model=args.model, pyodide=args.pyodide,
                      single_file=args.single_file, compile=not args.no_compile)
    except NameLookupError as e:
        raise UsageError("--model must be a built-in model, a gallery example or a model file: "
                         "%s" % e) from None
    where = {"cdn": "loaded from the CDN, checked by hash (the page needs the internet)",
             "mirror": "loaded from %s, checked by hash" % args.pyodide,
             "folder": "copied into the folder (no internet needed)",
             "single": "inside the file (no internet needed)"}[built.runtime]
    out = sys.stdout
    out.write("wrote %s: %s in %s file%s; model %s; Pyodide %s %s\n"
              % (built.folder, _megabytes(built.size), built.files,
                 "" if built.files == 1 else "s", built.model, VERSION, where))
    if built.compiled:
        out.write("Python's modules were not compiled at build time: %s; the browser compiles "
                  "them on the first visit and keeps them for the next\n" % built.compiled)
    if built.runtime == "single":
        out.write("open %s in a browser (it works opened from disk) or put it on any web "
                  "server\n" % built.page)
    else:
        out.write("put the folder on any static web server, or try it here: python3 -m "
                  "http.server --directory %s, then open http://localhost:8000/\n" % built.folder)
    return 0


def add_parser(sub: Any) -> None:
    """Add the ``page`` subcommand to *sub* (``ArgumentParser.add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["page", "site", "--single-file", "--pyodide", "pyodide.tgz"])
    >>> args.dir, args.model, args.pyodide, args.single_file
    ('site', 'mazur', 'pyodide.tgz', True)
    """
    pg = sub.add_parser("page", help="the playground as a static page: nothing to install",
                        description="Write the playground as a static folder that runs "
                        "neurograph in the browser (Python compiled to WebAssembly, in a Web "
                        "Worker): for any static web host, a project site or a USB stick.")
    pg.add_argument("dir", metavar="DIR", help="the folder to write (new, empty, or a page "
                    "built before)")
    pg.add_argument("--model", default="mazur", metavar="NAME|FILE",
                    help="a built-in model (mazur, xor, spiral, iris, digits, echo), a gallery "
                    "example or a model file (default: mazur)")
    pg.add_argument("--pyodide", metavar="PATH|URL",
                    help="the runtime: the npm package's tarball or folder (npm pack "
                    "pyodide@VERSION), copied in so the page needs no internet; or a mirror's "
                    "https:// address (default: the public CDN)")
    pg.add_argument("--single-file", action="store_true",
                    help="one self-contained index.html that works opened from disk (needs "
                    "--pyodide PATH)")
    pg.add_argument("--no-compile", action="store_true",
                    help="do not compile Python's modules at build time (with Node.js)")
    pg.set_defaults(func=_cmd_page)
