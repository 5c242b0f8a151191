"""Files the tools write: one atomic writer for model files, pictures and tables.

=============================  ===================================================
name                           what it does
=============================  ===================================================
``write_atomically(path, b)``  write bytes so readers see the old file or the new
                               one, whole; the replaced file's permissions kept
=============================  ===================================================
"""

from __future__ import annotations

import errno
import os
from typing import Any, Tuple

from .core.errors import FileError

__all__ = ["write_atomically"]


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
    path = os.fspath(path)
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


