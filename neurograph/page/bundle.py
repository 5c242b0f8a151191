"""neurograph itself as one zip file for the page: made from the installed package with
``zipfile`` (no pip), imported in the browser straight from the zip (``zipimport``).

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``make_bundle(package)``       the zip's bytes: every module and data file of the package
                               (not its caches, not the page's own assets)
``with_bytecode(path)``        a zip plus ``.pyc`` files of its modules imported so far,
                               compiled by the running Python (Pyodide's, for the page)
``bytecode_steps(path)``       the same, one module at a time
``bundle_name()``              the zip's file name, with neurograph's version
=============================  ==========================================================

The zip is the same for the same package (sorted names, fixed dates), so the
page's hash of it changes only when neurograph does.

>>> import io, zipfile, neurograph
>>> data = make_bundle()
>>> names = zipfile.ZipFile(io.BytesIO(data)).namelist()
>>> "neurograph/core/walk.py" in names, "neurograph/data/iris.csv" in names
(True, True)
>>> data == make_bundle()
True
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from typing import Iterator, Optional

__all__ = ["make_bundle", "with_bytecode", "bytecode_steps", "bundle_name"]

#: Folders of the package the browser never reads: the page is served beside it.
_LEFT_OUT = ("__pycache__", os.path.join("page", "assets"), os.path.join("playground", "static"))
_DATE = (1980, 1, 1, 0, 0, 0)


def bundle_name() -> str:
    """The zip's file name, e.g. ``neurograph-0.9.0.zip``.

    >>> bundle_name().startswith("neurograph-") and bundle_name().endswith(".zip")
    True
    """
    from .. import __version__
    return "neurograph-%s.zip" % __version__


def _package_dir() -> str:
    import neurograph
    return os.path.dirname(os.path.abspath(neurograph.__file__))


def make_bundle(package: Optional[str] = None) -> bytes:
    """The zip of the package folder *package* (default: the installed neurograph) as bytes:
    its ``.py`` files and data files under ``neurograph/``, without ``__pycache__``,
    compiled files, the page's assets and the server's static page.

    >>> import io, zipfile
    >>> names = zipfile.ZipFile(io.BytesIO(make_bundle())).namelist()
    >>> [n for n in names if n.endswith(".pyc") or "static/" in n or "assets/" in n]
    []
    """
    root = package or _package_dir()
    paths = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        dirs[:] = sorted(d for d in dirs if os.path.normpath(os.path.join(rel, d)) not in
                         _LEFT_OUT and d not in _LEFT_OUT)
        for name in files:
            if not name.endswith((".pyc", ".pyo")) and not name.startswith("."):
                paths.append(os.path.normpath(os.path.join(rel, name)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in sorted(paths, key=lambda p: p.replace(os.sep, "/")):
            info = zipfile.ZipInfo("neurograph/" + rel.replace(os.sep, "/"), _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(root, rel), "rb") as f:
                z.writestr(info, f.read())
    return out.getvalue()


def with_bytecode(path: str, every: bool = False) -> bytes:
    """The zip at *path* with a ``.pyc`` beside each of its modules that this Python has
    imported (*every*: beside all of them), so that the next start imports them without
    compiling.

    Pyodide's own Python runs this: at build time in Node when the runtime is
    at hand, else in the browser after the page is ready (the result is kept
    for the next visit, keyed by the hashes of the zip and the runtime).  The
    ``.pyc`` files are hash-based and unchecked (PEP 552): the zip's hash is
    checked instead.  The sources stay, so tracebacks show their lines and a
    package's other modules are still found.

    >>> import os, sys, tempfile, zipfile, io
    >>> path = os.path.join(tempfile.mkdtemp(), "b.zip")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("ngdemo_pkg/__init__.py", "X = 6 * 7\\n")
    ...     z.writestr("ngdemo_pkg/later.py", "Y = 1\\n")
    >>> sys.path.insert(0, path)
    >>> import ngdemo_pkg
    >>> sorted(zipfile.ZipFile(io.BytesIO(with_bytecode(path))).namelist())
    ['ngdemo_pkg/__init__.py', 'ngdemo_pkg/__init__.pyc', 'ngdemo_pkg/later.py']
    >>> len(zipfile.ZipFile(io.BytesIO(with_bytecode(path, every=True))).namelist())
    4
    >>> sys.path.remove(path); del sys.modules["ngdemo_pkg"]
    """
    out = b""
    for out in bytecode_steps(path, every):
        pass
    return out


def bytecode_steps(path: str, every: bool = False) -> Iterator[bytes]:
    """:func:`with_bytecode` one module at a time: yields ``b""`` after each module it
    compiles and the new zip's bytes last (the page's worker answers requests in between).

    >>> import os, tempfile, zipfile
    >>> path = os.path.join(tempfile.mkdtemp(), "b.zip")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("a.py", "A = 1\\n"); z.writestr("b.py", "B = 2\\n")
    >>> [len(step) > 0 for step in bytecode_steps(path, every=True)]
    [False, False, True]
    """
    import importlib.util
    from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore
    prefix = path.rstrip("/") + "/"
    wanted = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(prefix) and file.endswith(".py"):
            wanted.add(file[len(prefix):])
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        names = set(src.namelist())
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info, data)
            name = info.filename
            if name.endswith(".py") and name[:-1] + "c" not in names and \
                    (name in wanted or every):
                code = compile(data, prefix + name, "exec", dont_inherit=True)
                pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), False)
                z.writestr(zipfile.ZipInfo(name[:-3] + ".pyc", _DATE), pyc,
                           compress_type=zipfile.ZIP_DEFLATED)
                yield b""
    yield out.getvalue()
