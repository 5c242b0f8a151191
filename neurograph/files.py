"""Files and documents: one atomic writer, and one reader of JSON text with a depth limit.

=============================  ===================================================
name                           what it does
=============================  ===================================================
``write_atomically(path, b)``  write bytes so readers see the old file or the new
                               one, whole; the replaced file's permissions kept
``read_json(text, what)``      the value of JSON text (str or UTF-8 bytes); a
                               FormatError naming *what* for bad text, and for
                               arrays and objects nested deeper than the limit
``JSON_DEPTH``                 that limit (64), checked before parsing
=============================  ===================================================
"""

from __future__ import annotations

import errno
import json
import os
import re
from typing import Any, Tuple, Union

from .core.errors import FileError, FormatError

__all__ = ["write_atomically", "read_json", "JSON_DEPTH"]


def write_atomically(path: Any, data: bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the new one, whole.

    The bytes go to a temporary file in the same folder, which is flushed,
    synced and renamed over *path*; on any failure the temporary file is
    removed and the old file is untouched.  The new file keeps the permissions
    of the file it replaces (a model chmod'ed 0600 stays 0600); a new file gets
    the usual ones (the umask).  A path that cannot be written raises
    :class:`~neurograph.FileError` naming it, and writes nothing.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> write_atomically(path, b"old"); os.chmod(path, 0o600)
    >>> write_atomically(path, b"new")
    >>> open(path, "rb").read(), oct(os.stat(path).st_mode & 0o777)
    (b'new', '0o600')
    """
    try:
        path = os.fsdecode(path)                # (a bytes path too, as open() takes)
    except TypeError:
        raise FileError(errno.EINVAL, "cannot write to %r: a path is a str (or a path object) "
                        "such as 'model.json'" % (path,)) from None
    folder = _check_writable(path)
    try:
        fd, tmp = _temp_file(path, folder)
    except FileError:
        raise
    except OSError as e:
        raise FileError(e.errno, "cannot write %r: %s (in folder %r); nothing was written"
                        % (path, e.strerror or e, folder)) from None
    try:
        try:
            mode = os.stat(path).st_mode & 0o7777     # the permissions of the file replaced
        except OSError:
            mode = None
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, FileError):
            raise FileError(e.errno, "cannot write %r: %s; the file was left as it was"
                            % (path, e.strerror or e)) from None
        raise
    try:  # make the rename itself durable where the platform allows it
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _temp_file(path: str, folder: str) -> Tuple[int, str]:
    """A new file beside *path*, created exclusively with the usual permissions (umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, ".%s.%s.tmp" % (os.path.basename(path),
                                                   os.urandom(4).hex()))
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileError(errno.EEXIST, "cannot write %r: no temporary file could be created "
                    "beside it in folder %r" % (path, folder))


def _check_writable(path: str) -> str:
    """The folder *path* goes in; FileError when *path* is a folder or its folder is missing."""
    if not path:
        raise FileError(errno.ENOENT, "cannot write a file with an empty name: give a path "
                        "such as 'model.json'")
    if not os.path.basename(path) or os.path.isdir(path):
        raise FileError(errno.EISDIR, "cannot write %r: it is a folder; give the path of a "
                        "file in it" % (path,))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileError(errno.ENOENT, "cannot write %r: its folder %r does not exist; create "
                        "it first (os.makedirs)" % (path, folder))
    return folder




# ---------------------------------------------------------------------------
# JSON text: nesting checked before parsing
# ---------------------------------------------------------------------------

#: How deeply arrays and objects may nest in the JSON text :func:`read_json` reads (model
#: files, playground requests).  A deeper document is refused before it is parsed: Python's
#: parser recurses once per level, and a deep enough document exhausts its stack (under
#: WebAssembly, the no-install playground, a depth of 10000 kills the runtime).
JSON_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')    # a JSON string, escapes included
_QUOTED = re.compile(rb'"[^"]*"')                        # one without escapes
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_BRACKETS_OR_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_PAIR = re.compile(rb"\[\]|\{\}")


def _nested_deeper(text: str, limit: int) -> bool:
    """True when the arrays and objects of the JSON *text* nest more than *limit* levels deep
    (brackets inside strings do not count).  Each pass removes the innermost pairs of
    brackets, so a pair still there after *limit* passes is one level too deep."""
    data = text.encode("utf-8", "replace")
    if b"\\" in data:                          # escapes: find the strings whole
        brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    else:                                       # none: brackets and quotes are enough
        brackets = _QUOTED.sub(b"", data.translate(None, _NOT_BRACKETS_OR_QUOTES))
    for _ in range(limit):
        brackets, n = _PAIR.subn(b"", brackets)
        if not n:                               # (unbalanced brackets: the parser says where)
            return False
    return _PAIR.search(brackets) is not None


def read_json(text: Union[str, bytes], what: str, max_depth: int = JSON_DEPTH,
              **options: Any) -> Any:
    """The value of the JSON *text* (a str, or bytes in UTF-8), or a FormatError whose message
    starts with *what* (``"model.json"``, ``"request body"``): text that is not UTF-8 or not
    JSON, and arrays and objects nested more than *max_depth* levels deep, which are refused
    before parsing.  *options* go to :func:`json.loads` (``object_pairs_hook=...``).

    >>> read_json('{"x": [1, 2.5, "[[["]}', "request body")
    {'x': [1, 2.5, '[[[']}
    >>> read_json("[" * 100 + "]" * 100, "request body")
    Traceback (most recent call last):
    ...
    neurograph.FormatError: request body: arrays and objects nested more than 64 levels deep; give a document nested less deeply
    >>> read_json(b'{"x": }', "request body")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.FormatError: request body: not valid JSON: line 1 column 7: ...
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise FormatError("%s: not UTF-8 text: byte %d is not valid UTF-8"
                              % (what, e.start)) from None
    if not isinstance(text, str):
        raise FormatError("%s: expected JSON text (a str or UTF-8 bytes), got %s"
                          % (what, type(text).__name__))
    deep = "%s: arrays and objects nested more than %d levels deep; give a document nested " \
        "less deeply" % (what, max_depth)
    if _nested_deeper(text, max_depth):
        raise FormatError(deep)
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise FormatError(deep) from None
    except json.JSONDecodeError as e:
        raise FormatError("%s: not valid JSON: line %d column %d: %s"
                          % (what, e.lineno, e.colno, e.msg)) from None
    except ValueError as e:                     # e.g. an integer with too many digits
        raise FormatError("%s: not valid JSON numbers: %s" % (what, e)) from None
