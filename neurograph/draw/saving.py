"""Pictures written to files, atomically (through :func:`neurograph.files.write_atomically`).

=================================  ==================================================
name                               what it does
=================================  ==================================================
``write_svg(svg_text, path)``      write a picture: a temporary file, then a rename
``save_svg(net, path, **opts)``    write :func:`net_svg` of a net (``net.save_svg``)
=================================  ==================================================
"""

from __future__ import annotations

import os
from typing import Any, Union

from ..core.errors import FormatError
from ..files import write_atomically
from .svg import net_svg

__all__ = ["write_svg", "save_svg"]


def write_svg(svg_text: str, path: Union[str, "os.PathLike[str]"]) -> None:
    """Write *svg_text* to *path* atomically: a temporary file in the same folder, then a rename.

    A reader never sees a half-written file, and a failure leaves any old file as it was.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> write_svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', os.path.join(d, "x.svg"))
    >>> os.listdir(d)
    ['x.svg']
    """
    if not isinstance(svg_text, str):
        raise FormatError("write_svg needs the SVG as text (a str), got %s; pass net.to_svg() "
                          "or history.to_svg()" % type(svg_text).__name__)
    write_atomically(path, svg_text.encode("utf-8"))


def save_svg(net: Any, path: Any, **options: Any) -> None:
    """Write :func:`net_svg` of *net* to *path* (``net.save_svg(path, **options)``), atomically.

    >>> import os, tempfile
    >>> import neurograph as ng
    >>> folder = tempfile.mkdtemp()
    >>> ng.Net.dense([2, 1], seed=0).save_svg(os.path.join(folder, "net.svg"))
    >>> os.listdir(folder)
    ['net.svg']
    """
    write_svg(net_svg(net, **options), path)
