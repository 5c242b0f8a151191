"""Building the page: ``build(folder, ...)`` writes the static folder or the single file.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``build(folder, model, ...)``  write the page; returns a :class:`Built`
``Built``                      what was written: the page, the files, their bytes
``notice()``                   the text of ``NOTICE.txt``: what the page holds, licenses
=============================  ==========================================================

The folder (``--pyodide PATH``: the runtime copied in; otherwise loaded from
the CDN or a mirror, checked by hash)::

    index.html               the playground's page, paths relative, CSP, the loader
    static/                  the playground's CSS and JavaScript, as shipped
    neurograph-page/         loader.js, worker.js, neurograph-VERSION.zip
    pyodide/                 the runtime's four files (with --pyodide PATH)
    NOTICE.txt, LICENSES/    what the page holds and under which licenses

``single_file=True`` writes ``index.html`` alone, with all of that inside it
(the runtime gzipped and base64-encoded); it works opened from disk.

>>> import os, tempfile
>>> built = build(os.path.join(tempfile.mkdtemp(), "site"))
>>> sorted(os.listdir(built.folder))
['LICENSES', 'NOTICE.txt', 'index.html', 'neurograph-page', 'static']
>>> built.runtime, built.model
('cdn', 'mazur')
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
from typing import Any, Dict, NamedTuple, Optional, Tuple

from ..core.errors import FileError
from ..files import write_atomically
from . import html as pagehtml
from .bundle import bundle_name, make_bundle
from .precompile import precompile
from .runtime import CDN, FILES, LOCK, VERSION, mirror_url, read_runtime, sri

__all__ = ["build", "Built", "notice"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_ASSETS = os.path.join(_HERE, "assets")
_OURS = ("index.html", "static", "neurograph-page", "pyodide", "NOTICE.txt", "LICENSES")


class Built(NamedTuple):
    """What :func:`build` wrote: the folder, the page, how many files and bytes, where the
    runtime comes from (``cdn``, ``mirror``, ``folder`` or ``single``), the model, and
    ``compiled``: "" when Python's modules were compiled at build time, else the reason
    they were not (the browser then compiles them on the first visit)."""
    folder: str
    page: str
    files: int
    size: int
    runtime: str
    model: str
    compiled: str


def _asset(name: str) -> bytes:
    with open(os.path.join(_ASSETS, name), "rb") as f:
        return f.read()


def _static_files() -> Dict[str, bytes]:
    """``static/NAME`` -> bytes of every file of the playground's page, as shipped."""
    from ..playground import handle
    root = os.path.join(os.path.dirname(os.path.abspath(handle.__file__)), "static")
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            with open(full, "rb") as f:
                out["static/" + rel] = f.read()
    if "static/index.html" not in out:
        raise FileError("the playground's page is missing (%s/index.html): reinstall neurograph"
                        % root)
    return out


def notice(runtime: str, compiled: bool = False) -> str:
    """The text of ``NOTICE.txt``: what the page holds and the licenses it comes under.

    >>> print(notice("cdn").splitlines()[0])
    This page runs neurograph in the browser on Pyodide 314.0.8 (CPython compiled to WebAssembly).
    """
    where = {"cdn": "loaded from %s (not copied into this folder)" % CDN,
             "mirror": "loaded from a mirror named in index.html (not copied here)",
             "folder": "copied into pyodide/ unchanged from the npm package pyodide@%s" % VERSION,
             "single": "embedded, unchanged, in this file"}[runtime]
    return "\n".join([
        "This page runs neurograph in the browser on Pyodide %s (CPython compiled to "
        "WebAssembly)." % VERSION, "",
        "- neurograph (neurograph-page/, static/): MIT License, LICENSES/neurograph-LICENSE.txt.",
        "- Pyodide's runtime, %s: Mozilla Public License 2.0," % where,
        "  LICENSES/Pyodide-MPL-2.0.txt; source: https://github.com/pyodide/pyodide (the npm",
        "  package pyodide@%s). Its standard library and interpreter are CPython's:" % VERSION,
        "- CPython 3.14 (inside Pyodide): PSF License Agreement, LICENSES/CPython-LICENSE.txt;",
        "  source: https://github.com/python/cpython. The runtime also holds the Emscripten",
        "  runtime (MIT) and the libraries CPython is built with (among them zlib, bzip2,",
        "  libffi, SQLite, expat, libmpdec, HACL*); their notices ship with the sources above.",
        ] + (["", "python_stdlib.zip and neurograph's zip also hold .pyc files: the modules the",
              "page imports, compiled by Pyodide's own Python when the page was built."]
             if compiled else []) + [""])


def _licenses() -> Dict[str, bytes]:
    folder = os.path.join(_ASSETS, "licenses")
    return {"LICENSES/" + n: _asset(os.path.join("licenses", n)) for n in sorted(os.listdir(folder))}


def _model(model: str) -> Tuple[str, Optional[Dict[str, str]]]:
    """The model's name for the worker and, for a model file, its name and text."""
    from ..playground.models import NAMES, resolve
    resolve(model)     # a bad name or file fails here, at build time, with its reason
    if model in NAMES:
        return model, None
    with open(model, "rb") as f:
        text = f.read().decode("utf-8")
    return os.path.basename(model), {"name": os.path.basename(model), "text": text}


def _runtime(pyodide: Optional[str], single: bool) -> Tuple[str, str, Dict[str, bytes]]:
    """(kind, base address, files to write or embed) of the runtime."""
    if pyodide is None or pyodide.startswith(("http://", "https://")):
        if single:
            raise FileError("--single-file embeds the runtime: give --pyodide PATH, the npm "
                            "package's tarball (npm pack pyodide@%s)" % VERSION)
        if pyodide is None:
            return "cdn", CDN, {}
        return "mirror", mirror_url(pyodide), {}
    files = read_runtime(pyodide)
    if single:
        return "single", "https://embedded.invalid/pyodide/", files
    return "folder", "pyodide/", files


def _config(kind: str, base: str, runtime: Dict[str, bytes], bundle: bytes, model: str,
            model_file: Optional[Dict[str, str]], compiled: bool) -> Dict[str, Any]:
    from ..playground.body import MAX_BODY, MAX_NESTING
    files = {n: {"size": s, "sri": h, "type": t} for n, (s, h, t) in FILES.items()}
    for name, data in runtime.items():          # (the standard library may hold .pyc files)
        files[name] = {"size": len(data), "sri": sri(data), "type": FILES[name][2]}
    return {
        "worker": "neurograph-page/worker.js", "singleFile": kind == "single",
        "runtime": {"kind": kind, "base": base, "version": VERSION, "lock": LOCK,
                    "files": files},
        "bundle": {"name": bundle_name(), "url": "neurograph-page/" + bundle_name(),
                   "sri": sri(bundle)},
        "model": model, "modelFile": model_file, "pycache": kind != "single" and not compiled,
        "maxBody": MAX_BODY, "maxDepth": MAX_NESTING,
    }


def _origin(url: str) -> str:
    import urllib.parse
    parts = urllib.parse.urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc)


def _single_page(index: str, static: Dict[str, bytes], config: Dict[str, Any],
                 runtime: Dict[str, bytes], bundle: bytes, licenses: Dict[str, bytes]) -> str:
    """The self-contained ``index.html``: everything inline, the runtime gzipped."""
    loader = _asset("loader.js").decode("utf-8")
    worker = _asset("worker.js").decode("utf-8")
    conf = pagehtml.data_block("neurograph-page-config", json.dumps(config, sort_keys=True))
    page = pagehtml.insert_head(index, "@CSP@", conf + "<script>%s</script>" % loader)
    page, scripts, styles = pagehtml.inline_page(page, static)
    blobs = dict(runtime, **{bundle_name(): bundle})
    blocks = [pagehtml.data_block("neurograph-page-worker", worker, "text/plain")]
    for name in sorted(blobs):
        text = base64.b64encode(gzip.compress(blobs[name], 9, mtime=0)).decode()
        blocks.append(pagehtml.data_block("neurograph-asset-" + name.replace(".", "-"), text,
                                          "application/octet-stream",
                                          ' data-neurograph-asset="%s"' % name))
    notes = notice("single", not config["pycache"]) + "".join("\n\n===== %s =====\n\n%s" % (n, t.decode("utf-8"))
                                       for n, t in licenses.items())
    blocks.append(pagehtml.data_block("neurograph-notices", notes.replace("</", "< /"),
                                      "text/plain"))
    close = page.lower().rfind("</body>")
    page = page[:close] + "\n".join(blocks) + page[close:]
    policy = pagehtml.csp("single", scripts=[pagehtml.script_hash(loader)] + scripts,
                          styles=styles)
    meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % policy
    top = ("<!-- neurograph playground, one self-contained file: Python runs in this page "
           "(Pyodide %s). Licenses: the element #neurograph-notices at the end. -->\n" % VERSION)
    return top + page.replace("@CSP@", meta, 1)


def _folder_page(index: str, config: Dict[str, Any], kind: str, base: str) -> str:
    origin = _origin(base) if kind in ("cdn", "mirror") else None
    policy = pagehtml.csp("cdn" if origin else "folder", origin)
    meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % policy
    conf = pagehtml.data_block("neurograph-page-config", json.dumps(config, sort_keys=True))
    return pagehtml.insert_head(index, meta, conf + '<script src="neurograph-page/loader.js">'
                                "</script>")


def _built_here(folder: str) -> bool:
    """Does *folder*'s index.html come from :func:`build`?"""
    try:
        with open(os.path.join(folder, "index.html"), "rb") as f:
            return b'id="neurograph-page-config"' in f.read()
    except OSError:
        return False


def _prepare(folder: str) -> None:
    """Make *folder*, or clear the files of an earlier build in it; refuse a folder that
    holds anything else."""
    if os.path.isdir(folder):
        names = set(os.listdir(folder))
        if names and not (names <= set(_OURS) and _built_here(folder)):
            raise FileError("%s is not empty and is not a page built by neurograph (it holds %s): "
                            "give a new or empty folder" % (folder, ", ".join(sorted(names)[:5])))
        for name in names:
            full = os.path.join(folder, name)
            shutil.rmtree(full) if os.path.isdir(full) else os.remove(full)
    elif os.path.exists(folder):
        raise FileError("%s is a file: give a folder for the page" % folder)
    else:
        os.makedirs(folder)


def build(folder: str, model: str = "mazur", pyodide: Optional[str] = None,
          single_file: bool = False, compile: bool = True) -> Built:
    """Write the playground as a static page into *folder* and return what was written.

    *model* is a built-in model (mazur, xor, spiral, iris, digits, echo), a
    gallery example or a model file (:func:`neurograph.playground.resolve`).  *pyodide* is None (the runtime from the CDN, checked by
    SRI), a mirror's ``https://`` address, or the npm package's tarball or
    folder (copied in; checked against the pinned version and hashes).
    *single_file* writes one ``index.html`` with everything inside (needs
    *pyodide* PATH).  With the runtime at hand and *compile*, Python's modules
    are compiled at build time when Node.js is installed
    (:mod:`neurograph.page.precompile`).

    >>> import os, tempfile
    >>> built = build(os.path.join(tempfile.mkdtemp(), "p"), model="xor")
    >>> built.page.endswith("index.html"), built.files, built.size > 300000
    (True, 13, True)
    """
    model_name, model_file = _model(model)
    kind, base, runtime = _runtime(pyodide, single_file)
    bundle = make_bundle()
    worker_model = model if model_file is None else ""
    note = "the runtime is not at hand (give --pyodide PATH)"
    if runtime and compile:
        done, note = precompile(runtime, bundle, worker_model, model_file)
        if done is not None:
            runtime["python_stdlib.zip"], bundle = done
    elif runtime:
        note = "not asked for"
    static = _static_files()
    config = _config(kind, base, runtime, bundle, worker_model, model_file, not note)
    index = pagehtml.relative_paths(static.pop("static/index.html").decode("utf-8"))
    licenses = _licenses()
    if single_file:
        out = {"index.html": _single_page(index, static, config, runtime, bundle,
                                          licenses).encode("utf-8")}
    else:
        out = dict(static, **{"pyodide/" + n: d for n, d in runtime.items()}, **licenses)
        out["index.html"] = _folder_page(index, config, kind, base).encode("utf-8")
        out["NOTICE.txt"] = notice(kind, not note).encode("utf-8")
        for name in ("loader.js", "worker.js"):
            out["neurograph-page/" + name] = _asset(name)
        out["neurograph-page/" + bundle_name()] = bundle
    _prepare(folder)
    for rel in sorted(out):
        full = os.path.join(folder, *rel.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        write_atomically(full, out[rel])
    return Built(os.path.abspath(folder), os.path.join(os.path.abspath(folder), "index.html"),
                 len(out), sum(len(v) for v in out.values()), kind, model_name, note)
