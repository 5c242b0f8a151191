"""The pinned Pyodide runtime (CPython compiled to WebAssembly) the page runs on.

The page loads four files of the npm package ``pyodide`` at the version
pinned here.  They come from one of three places, and are checked each time:

- the public CDN (the default): the browser checks each file against its
  SHA-384 below (Subresource Integrity);
- a mirror, ``--pyodide URL``: the same files and hashes at another address;
- the npm package itself, ``--pyodide PATH``: its tarball (``npm pack
  pyodide@VERSION``, checked against the tarball's SHA-256 below) or an
  unpacked copy of it (its ``package.json`` must name this version and each
  file must match its hash); the files are copied into the folder.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``VERSION``                    the pinned version of the npm package ``pyodide``
``TARBALL_SHA256``             the SHA-256 of its tarball ``pyodide-VERSION.tgz``
``CDN``                        the CDN address of the package's files (jsDelivr's copy of
                               the npm package, byte for byte)
``FILES``                      file name -> (size, SHA-384 in SRI form, media type)
``LOCK``                       the lock file the page hands Pyodide (no packages: the page
                               loads none)
``read_runtime(path)``         the four files from a tarball or a folder, checked
``mirror_url(url)``            a mirror's address, checked and ending in ``/``
``sri(data)``                  the SRI form of the SHA-384 of *data*
``cached_tarball()``           the tarball ``.ci/setup-pyodide`` keeps, if it is there
``RuntimeFileError``           a ``--pyodide`` PATH or URL that is not the pinned runtime
=============================  ==========================================================

>>> sorted(FILES)
['pyodide.asm.mjs', 'pyodide.asm.wasm', 'pyodide.mjs', 'python_stdlib.zip']
>>> CDN.endswith("pyodide@%s/" % VERSION)
True
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.parse
from typing import Dict, Optional, Tuple

from ..core.errors import FileError, FormatError
from ..files import read_json

__all__ = ["VERSION", "TARBALL_SHA256", "CDN", "FILES", "LOCK", "read_runtime", "mirror_url",
           "sri", "cached_tarball", "RuntimeFileError"]

#: The pinned version of the npm package ``pyodide`` (CPython 3.14).
VERSION = "314.0.8"
#: SHA-256 of ``pyodide-314.0.8.tgz`` as the npm registry serves it (``npm pack pyodide@314.0.8``).
TARBALL_SHA256 = "9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb"
#: Where the default page loads the runtime: jsDelivr's copy of the npm package's files.
CDN = "https://cdn.jsdelivr.net/npm/pyodide@%s/" % VERSION
#: The files the page loads: name -> (size in bytes, SHA-384 in SRI form, media type).
FILES: Dict[str, Tuple[int, str, str]] = {
    "pyodide.mjs": (17758, "sha384-VR+eYp8LZKGhhQ7Nql3TONJIMizM0VRxz87k6V7IyuQHElicjy7ULmkOuB2LFR3b",
                    "text/javascript"),
    "pyodide.asm.mjs": (1250259, "sha384-zZV4ZBUhsbFzcmaHqwfipWI/BS8YH7Duesu1Rrtyx1HRqFAyz+Mt/"
                        "HRiMtNyWdwU", "text/javascript"),
    "pyodide.asm.wasm": (9597892, "sha384-L3e25SSwmf8Q0I8qcgGD/PNkK1wyivO8lWFSko3xXQZ8uLNcYkZXJl"
                         "X8LU3oVH/o", "application/wasm"),
    "python_stdlib.zip": (2545550, "sha384-ShW1Tjb4ytDLumQGuwRa/PTLxHcN6agBzp2wIRZSJNK8tEt2QMRDnG"
                          "69N58KhHqM", "application/zip"),
}
#: The lock file handed to Pyodide: its ``info`` as in the package, and no packages, so the
#: runtime never fetches one (the page needs only the standard library).
LOCK = {"info": {"abi_version": "2026_0", "arch": "wasm32", "platform": "emscripten_5_0_3",
                 "python": "3.14.2"}, "packages": {}}


class RuntimeFileError(FileError):
    """A ``--pyodide`` PATH or URL that is not the pinned Pyodide runtime."""


def sri(data: bytes) -> str:
    """The Subresource Integrity form of the SHA-384 of *data*.

    >>> sri(b"")
    'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'
    """
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def cached_tarball() -> Optional[str]:
    """The pinned npm tarball where ``.ci/setup-pyodide`` keeps it (``$NEUROGRAPH_PYODIDE``,
    else ``pyodide-VERSION.tgz`` in ``$NEUROGRAPH_CACHE`` or ``~/.cache/neurograph``), or
    None when it is not there.

    >>> cached_tarball() is None or cached_tarball().endswith(".tgz")
    True
    """
    path = os.environ.get("NEUROGRAPH_PYODIDE") or os.path.join(
        os.environ.get("NEUROGRAPH_CACHE") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "neurograph"),
        "pyodide-%s.tgz" % VERSION)
    return path if os.path.isfile(path) else None


def _check_files(files: Dict[str, bytes], where: str) -> Dict[str, bytes]:
    for name, (size, digest, _) in FILES.items():
        if name not in files:
            raise RuntimeFileError("%s has no %s: give the npm package pyodide@%s (npm pack "
                                   "pyodide@%s)" % (where, name, VERSION, VERSION))
        if len(files[name]) != size or sri(files[name]) != digest:
            raise RuntimeFileError("%s: %s does not match the pinned Pyodide %s (its SHA-384 "
                                   "differs): use an unchanged copy of the npm package"
                                   % (where, name, VERSION))
    return {name: files[name] for name in FILES}


def _version_of(package_json: bytes, where: str) -> None:
    try:
        meta = read_json(package_json, "%s: package.json" % where)
    except FormatError as e:
        raise RuntimeFileError(str(e)) from None
    if not isinstance(meta, dict):
        raise RuntimeFileError("%s: package.json is not a JSON object: give the npm package "
                               "pyodide@%s" % (where, VERSION))
    if meta.get("name") != "pyodide" or meta.get("version") != VERSION:
        raise RuntimeFileError("%s is %s %s; this neurograph pins pyodide %s: npm pack pyodide@%s"
                               % (where, meta.get("name"), meta.get("version"), VERSION, VERSION))


def _from_tarball(path: str) -> Dict[str, bytes]:
    with open(path, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != TARBALL_SHA256:
        raise RuntimeFileError("%s is not pyodide-%s.tgz as the npm registry serves it (its SHA-256 "
                               "differs from %s): fetch it with npm pack pyodide@%s"
                               % (path, VERSION, TARBALL_SHA256, VERSION))
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.split("/", 1)[-1]
            if member.isfile() and (name in FILES or name == "package.json"):
                files[name] = tar.extractfile(member).read()    # type: ignore[union-attr]
    _version_of(files.get("package.json", b"{}"), path)
    return _check_files(files, path)


def read_runtime(path: str) -> Dict[str, bytes]:
    """The runtime's files from *path*: the npm tarball ``pyodide-VERSION.tgz`` or a folder
    holding the unpacked package (``package/`` inside the tarball, or
    ``node_modules/pyodide``), each checked against the pinned version and hashes.

    >>> read_runtime("/no/such/pyodide.tgz")
    Traceback (most recent call last):
    ...
    neurograph.page.runtime.RuntimeFileError: --pyodide /no/such/pyodide.tgz: no such file or folder (give the npm package's tarball: npm pack pyodide@314.0.8)
    """
    if os.path.isfile(path):
        return _from_tarball(path)
    if not os.path.isdir(path):
        raise RuntimeFileError("--pyodide %s: no such file or folder (give the npm package's "
                               "tarball: npm pack pyodide@%s)" % (path, VERSION))
    folder = os.path.join(path, "package") if os.path.isdir(os.path.join(path, "package")) \
        else path
    try:
        with open(os.path.join(folder, "package.json"), "rb") as f:
            _version_of(f.read(), path)
    except FileNotFoundError:
        raise RuntimeFileError("%s has no package.json: give the npm package pyodide@%s"
                               % (path, VERSION)) from None
    files = {}
    for name in FILES:
        full = os.path.join(folder, name)
        if os.path.isfile(full):
            with open(full, "rb") as f:
                files[name] = f.read()
    return _check_files(files, path)


def mirror_url(url: str) -> str:
    """*url* checked as the address of a copy of the runtime's files, ending in ``/``.

    >>> mirror_url("https://example.org/pyodide/v314")
    'https://example.org/pyodide/v314/'
    >>> mirror_url("ftp://example.org/")
    Traceback (most recent call last):
    ...
    neurograph.page.runtime.RuntimeFileError: --pyodide ftp://example.org/: a mirror's address must start with https:// (or http:// for this computer)
    """
    parts = urllib.parse.urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise RuntimeFileError("--pyodide %s: a mirror's address must start with https:// (or "
                               "http:// for this computer)" % url)
    if parts.query or parts.fragment:
        raise RuntimeFileError("--pyodide %s: give the folder's address, with no ? or #" % url)
    return url if url.endswith("/") else url + "/"
