"""Compiled modules for a faster first visit: Pyodide's own Python, run in Node.js at build time.

Pyodide's standard library ships as ``.py`` sources, and the browser's
Python compiles each module it imports on every start: most of a start's
time.  When the runtime is at hand (``--pyodide PATH``) and Node.js 18 or
newer is installed, ``neurograph page`` runs the same runtime in Node,
starts the page's Playground, and writes the standard library's zip and
neurograph's zip with a ``.pyc`` beside each module imported
(:func:`neurograph.page.bundle.with_bytecode`): compiled by Pyodide's Python,
never by the host's.  Without Node the page compiles them itself on the
first visit and keeps them (in the browser's IndexedDB) for the next.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``node()``                     the ``node`` command (18 or newer), or None
``precompile(runtime, ...)``   ``(stdlib zip, neurograph zip)`` with ``.pyc`` files, or
                               the reason there are none
=============================  ==========================================================

>>> precompile({}, b"", "mazur", None, node_command=None)
(None, 'Node.js 18 or newer is not installed')
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from typing import Any, Dict, Optional, Tuple, Union

__all__ = ["node", "precompile"]

_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets", "compile.mjs")
_UNSET: Any = object()


def node() -> Optional[str]:
    """The path of ``node`` when it is Node.js 18 or newer, else None.

    >>> node() is None or os.path.isfile(node())
    True
    """
    path = shutil.which("node") or shutil.which("nodejs")
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"v(\d+)\.", out.strip())
    return path if m and int(m.group(1)) >= 18 else None


def precompile(runtime: Dict[str, bytes], bundle: bytes, model: str,
               model_file: Optional[Dict[str, str]], node_command: Any = _UNSET,
               timeout: float = 300) -> Tuple[Optional[Tuple[bytes, bytes]], str]:
    """Run the page's start in Node and return ``((stdlib zip, neurograph zip), "")`` with
    ``.pyc`` files added, or ``(None, reason)`` when that cannot be done here.

    *runtime* holds the runtime's files (name -> bytes), *bundle* neurograph's
    zip, *model* and *model_file* what the page's worker gets.
    """
    from .runtime import LOCK
    command = node() if node_command is _UNSET else node_command
    if command is None:
        return None, "Node.js 18 or newer is not installed"
    with tempfile.TemporaryDirectory(prefix="neurograph-page-") as tmp:
        folder = os.path.join(tmp, "runtime")
        os.makedirs(folder)
        for name, data in runtime.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        with open(os.path.join(tmp, "neurograph.zip"), "wb") as f:
            f.write(bundle)
        job = {"runtime": folder, "bundle": os.path.join(tmp, "neurograph.zip"), "model": model,
               "modelFile": model_file, "lock": LOCK, "out": tmp}
        with open(os.path.join(tmp, "job.json"), "w", encoding="utf-8") as f:
            json.dump(job, f)
        result: Union[subprocess.CompletedProcess, None] = None
        try:
            result = subprocess.run([command, _SCRIPT, os.path.join(tmp, "job.json")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    timeout=timeout)
        except (OSError, subprocess.SubprocessError) as e:
            return None, "Node.js could not run the runtime: %s" % e
        if result.returncode != 0:
            lines = [ln for ln in result.stderr.decode("utf-8", "replace").splitlines()
                     if ln.strip() and len(ln) < 300]
            return None, "Node.js could not run the runtime: %s" % (lines[-1] if lines else
                                                                   "exit %d" % result.returncode)
        with open(os.path.join(tmp, "python_stdlib.zip"), "rb") as f:
            stdlib = f.read()
        with open(os.path.join(tmp, "neurograph.zip"), "rb") as f:
            compiled = f.read()
    return (stdlib, compiled), ""
