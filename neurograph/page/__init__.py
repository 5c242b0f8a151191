"""The playground with nothing to install: a static page that runs neurograph in the browser.

``neurograph page DIR`` writes a folder (or, with ``--single-file``, one
HTML file) holding the playground's page, neurograph itself as a zip, and a
loader that starts Pyodide (CPython compiled to WebAssembly) in a Web
Worker.  The page talks to the same :class:`~neurograph.playground.Playground`
that ``neurograph serve`` uses, through its one request function, answered
in the page instead of over HTTP.  Any static host, or a USB stick, serves it.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``build(folder, ...)``         write the page; returns a :class:`Built`
``Built``                      what was written: the page, the files, their bytes
``Session(model)``             the Python half: the page's Playground answering requests
``PYODIDE_VERSION``            the pinned version of the runtime (npm package ``pyodide``)
=============================  ==========================================================

=============================  ==========================================================
module                         what it holds
=============================  ==========================================================
``writer``                     ``build``, ``Built``, ``notice``: the folder or file
``html``                       the page's ``index.html``: relative paths, CSP, inlining
``runtime``                    the pinned runtime: version, hashes, CDN; ``--pyodide`` PATH
``bundle``                     neurograph as a zip; ``.pyc`` files added in the browser
``precompile``                 ``.pyc`` files compiled at build time by Pyodide in Node.js
``session``                    ``Session``: what the page's worker runs
``assets/``                    loader.js, worker.js, compile.mjs, the license texts
=============================  ==========================================================

>>> import os, tempfile
>>> built = build(os.path.join(tempfile.mkdtemp(), "site"), model="xor")
>>> built.runtime, os.path.isfile(os.path.join(built.folder, "neurograph-page", "worker.js"))
('cdn', True)
"""

from .writer import Built, build
from .runtime import VERSION as PYODIDE_VERSION
from .session import Session

__all__ = ["build", "Built", "Session", "PYODIDE_VERSION"]
